import { describe, expect, it } from 'vitest';
import { loadConfig, SANDBOX_CLIENT_SECRET } from './config';

describe('loadConfig', () => {
  it('defaults to sandbox mode on port 3000 with the development secret', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ mode: 'sandbox', port: 3000, publicBaseUrl: 'http://localhost:3000', clientSecret: SANDBOX_CLIENT_SECRET, clientSecretIsDefault: true });
    expect(c.sandbox.port).toBe(4010);
    expect(c.healthRunIntervalMinutes).toBe(360);
  });

  it('derives the public URL from PORT and trims a trailing slash when given', () => {
    expect(loadConfig({ PORT: '8080' }).publicBaseUrl).toBe('http://localhost:8080');
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://tiller.example/' }).publicBaseUrl).toBe('https://tiller.example');
  });

  it('switches to hubspot mode when HubSpot credentials are configured', () => {
    expect(loadConfig({ HUBSPOT_CLIENT_ID: 'id', HUBSPOT_CLIENT_SECRET: 'secret' }).mode).toBe('hubspot');
  });

  it('lists every bad variable in one message', () => {
    expect(() => loadConfig({ PORT: 'eighty', HUBSPOT_MODE: 'hubspot', SANDBOX_SIZE: 'huge' })).toThrow(
      /PORT[\s\S]*SANDBOX_SIZE|SANDBOX_SIZE[\s\S]*PORT/,
    );
  });

  it('requires the client secret in hubspot mode', () => {
    expect(() => loadConfig({ HUBSPOT_MODE: 'hubspot' })).toThrow(/HUBSPOT_CLIENT_SECRET/);
  });
});
