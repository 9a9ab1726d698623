import { describe, expect, it } from 'vitest';
import { Alert, Link, Text } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { MissingScopesNotice, ReconnectNotice } from './InstallNotices';

describe('install notices', () => {
  it('shows the reconnect link only for NEEDS_RECONNECT', () => {
    const r = createRenderer('crm.record.tab');
    r.render(
      <ReconnectNotice
        backendOrigin="https://tiller.example"
        error={{ code: 'NEEDS_RECONNECT', message: 'HubSpot no longer accepts Tiller.' }}
      />,
    );
    expect(r.find(Alert).props.title).toBe('Tiller needs to be reconnected');
    expect(r.find(Text).text).toBe('HubSpot no longer accepts Tiller.');
    expect(r.find(Link).props.href).toEqual({ url: 'https://tiller.example/oauth/install', external: true });

    const other = createRenderer('crm.record.tab');
    other.render(<ReconnectNotice backendOrigin="https://tiller.example" error={{ code: 'RATE_LIMITED', message: 'busy' }} />);
    expect(other.maybeFind(Alert)).toBeNull();
  });

  it('lists each declined optional scope with its sentence, and nothing when all were granted', () => {
    const r = createRenderer('crm.record.tab');
    r.render(<MissingScopesNotice install={{ missingScopes: [{ scope: 'crm.objects.leads.read', sentence: 'Leads need it.' }] }} />);
    expect(r.findAll(Text).map((t) => t.text)).toEqual(['Leads need it.']);
    const none = createRenderer('crm.record.tab');
    none.render(<MissingScopesNotice install={{ missingScopes: [] }} />);
    expect(none.maybeFind(Alert)).toBeNull();
  });
});
