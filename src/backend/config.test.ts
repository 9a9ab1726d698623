import { describe, expect, it } from 'vitest';
import { loadConfig, SANDBOX_CLIENT_SECRET } from './config';

const KEYS = `k1:${'A'.repeat(43)}=`;

describe('loadConfig', () => {
  it('defaults to sandbox mode on port 3000 with the development secret', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      mode: 'sandbox',
      port: 3000,
      publicBaseUrl: 'http://localhost:3000',
      clientSecret: SANDBOX_CLIENT_SECRET,
      clientSecretIsDefault: true,
    });
    expect(c.sandbox.port).toBe(4010);
    expect(c.healthRunIntervalMinutes).toBe(360);
  });

  it('derives the public URL from PORT and trims a trailing slash when given', () => {
    expect(loadConfig({ PORT: '8080' }).publicBaseUrl).toBe('http://localhost:8080');
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://tiller.example/' }).publicBaseUrl).toBe('https://tiller.example');
  });

  it('switches to hubspot mode when HubSpot credentials are configured', () => {
    expect(loadConfig({ HUBSPOT_CLIENT_ID: 'id', HUBSPOT_CLIENT_SECRET: 'secret', TOKEN_KEYS: KEYS }).mode).toBe('hubspot');
  });

  it('refuses hubspot mode with OAuth but without a token key, in a plain sentence', () => {
    expect(() => loadConfig({ HUBSPOT_CLIENT_ID: 'id', HUBSPOT_CLIENT_SECRET: 'secret' })).toThrow(
      /TOKEN_KEYS: is required in hubspot mode: Tiller encrypts/,
    );
  });

  it('reads rotating token keys, the first one encrypting', () => {
    const c = loadConfig({ HUBSPOT_CLIENT_ID: 'id', HUBSPOT_CLIENT_SECRET: 'secret', TOKEN_KEYS: `k2:${'B'.repeat(43)}=,${KEYS}` });
    expect(c.tokenKeys?.map((k) => k.id)).toEqual(['k2', 'k1']);
    expect(() => loadConfig({ HUBSPOT_CLIENT_ID: 'id', HUBSPOT_CLIENT_SECRET: 'secret', TOKEN_KEYS: 'k1:c2hvcnQ=' })).toThrow(
      /must be 32 bytes/,
    );
  });

  it('needs no token key for one portal on a static token (no OAuth, nothing stored)', () => {
    const c = loadConfig({ HUBSPOT_MODE: 'hubspot', HUBSPOT_CLIENT_SECRET: 's', HUBSPOT_ACCESS_TOKEN: 't', HUBSPOT_PORTAL_ID: '42' });
    expect(c).toMatchObject({ mode: 'hubspot', oauth: false, staticPortalId: 42 });
  });

  it('warms guided actions up before listening unless TILLER_WARM_UP=0 (or false)', () => {
    expect(loadConfig({}).warmUp).toBe(true);
    expect(
      loadConfig({ HUBSPOT_MODE: 'hubspot', HUBSPOT_CLIENT_SECRET: 's', HUBSPOT_ACCESS_TOKEN: 't', HUBSPOT_PORTAL_ID: '42' }).warmUp,
    ).toBe(true);
    expect(loadConfig({ TILLER_WARM_UP: '0' }).warmUp).toBe(false);
    expect(loadConfig({ TILLER_WARM_UP: 'false' }).warmUp).toBe(false);
    expect(loadConfig({ TILLER_WARM_UP: '' }).warmUp).toBe(true);
    expect(() => loadConfig({ TILLER_WARM_UP: 'no' })).toThrow(/TILLER_WARM_UP/);
  });

  it('installs the sandbox portals through OAuth unless SANDBOX_AUTO_INSTALL=0; purges after 30 days by default', () => {
    expect(loadConfig({})).toMatchObject({
      oauth: true,
      clientId: 'tiller-sandbox-client',
      purgeAfterDays: 30,
      sandbox: { autoInstall: true },
    });
    expect(loadConfig({ SANDBOX_AUTO_INSTALL: '0', PURGE_AFTER_DAYS: '7' })).toMatchObject({
      purgeAfterDays: 7,
      sandbox: { autoInstall: false },
    });
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
