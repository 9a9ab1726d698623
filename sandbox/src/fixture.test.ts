import { describe, expect, it } from 'vitest';
import { FixtureError, validateFixture, parseTimestamp } from './fixture';

const base = {
  portal: { id: 123456, timeZone: 'Europe/Paris' },
  users: [{ id: '9001', email: 'ada@acme.example', firstName: 'Ada', lastName: 'Rep', timeZone: 'Europe/Paris', teamIds: ['1'] }],
  teams: [{ id: '1', name: 'Customer Success' }],
  owners: [{ id: '501', userId: 9001, email: 'ada@acme.example', firstName: 'Ada', lastName: 'Rep' }],
  objects: {
    contacts: [{ id: '1', properties: { email: 'bo@client.example', hubspot_owner_id: '501' } }],
    deals: [{ id: '7', properties: { dealname: 'Big' } }],
  },
  associations: [{ from: 'contacts/1', to: 'deals/7' }],
};

function problems(data: unknown): string[] {
  try {
    validateFixture(data, 'portal.json');
  } catch (e) {
    if (e instanceof FixtureError) return e.problems;
    throw e;
  }
  return [];
}

describe('fixture format v1 (spec sandbox-fixture.md)', () => {
  it('accepts the spec example and applies defaults (accessToken "sandbox-token")', () => {
    const fx = validateFixture(base);
    expect(fx.portal.accessToken).toBe('sandbox-token');
    expect(fx.users[0]!.superAdmin).toBe(false);
  });

  it('reports every problem with file, JSON path and what is wrong, and loads nothing', () => {
    const bad = structuredClone(base) as Record<string, unknown> & typeof base;
    (bad.objects as Record<string, unknown>).widgets = [];
    bad.objects.contacts.push({ id: '1', properties: { email: 'x@y.z', hubspot_owner_id: '999' } });
    bad.associations.push({ from: 'contacts/1', to: 'deals/8' });
    const p = problems(bad);
    expect(p).toEqual(
      expect.arrayContaining([
        'portal.json: $.objects.widgets: unknown object type "widgets" (use a name such as "contacts" or an id such as "0-162" or "2-1234")',
        'portal.json: $.objects.contacts[1].id: duplicate contacts id "1"',
        'portal.json: $.objects.contacts[1].properties.hubspot_owner_id: unknown owner id "999" (not in "owners")',
        'portal.json: $.associations[1].to: dangling association end: no deals record with id "8"',
      ]),
    );
    expect(p).toHaveLength(4);
  });

  it('rejects malformed shapes: unknown keys, non-string property values, bad time zones', () => {
    const bad = structuredClone(base) as unknown as {
      portal: Record<string, unknown>;
      objects: { contacts: { properties: Record<string, unknown> }[] };
    };
    bad.portal.timeZone = 'Mars/Olympus';
    bad.portal.colour = 'red';
    bad.objects.contacts[0]!.properties.num = 3;
    const p = problems(bad);
    expect(p.some((m) => m.startsWith('portal.json: $.portal.timeZone: must be an IANA'))).toBe(true);
    expect(p.some((m) => m.startsWith('portal.json: $.portal: Unrecognized key'))).toBe(true);
    expect(p.some((m) => m.startsWith('portal.json: $.objects.contacts[0].properties.num:'))).toBe(true);
  });

  it('checks datetime values when the property type is known', () => {
    const bad = structuredClone(base);
    (bad.objects as Record<string, unknown>).tasks = [{ id: '70', properties: { hs_timestamp: 'tomorrow' } }];
    const p = (() => {
      try {
        validateFixture(bad, 'f.json', (_t, n) => (n === 'hs_timestamp' ? 'datetime' : undefined));
        return [];
      } catch (e) {
        return (e as FixtureError).problems;
      }
    })();
    expect(p).toEqual([
      'f.json: $.objects.tasks[0].properties.hs_timestamp: "tomorrow" is not a valid datetime (ISO-8601 UTC or epoch milliseconds)',
    ]);
  });

  it('parses ISO-8601 UTC and epoch ms timestamps', () => {
    expect(parseTimestamp('2026-11-01T09:00:00Z')).toBe(Date.UTC(2026, 10, 1, 9));
    expect(parseTimestamp('1700000000000')).toBe(1700000000000);
    expect(parseTimestamp(1700000000000)).toBe(1700000000000);
    expect(parseTimestamp('2026-11-01T09:00:00')).toBeUndefined();
  });
});
