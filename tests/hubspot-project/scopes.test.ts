// app-hsmeta.json asks for exactly the scopes the gateway's calls need (crm/scopes.ts): no more
// (marketplace reviewers compare scopes with API usage), no fewer (calls would answer 403).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OBJECT_READ_SCOPES, optionalScopes, requiredScopes, scopesTheGatewayNeeds } from '../../src/backend/crm/scopes';

const root = path.resolve(import.meta.dirname, '../..');
const hsmeta = JSON.parse(readFileSync(path.join(root, 'src/app/app-hsmeta.json'), 'utf8')) as {
  config: { auth: { requiredScopes: string[]; optionalScopes: string[] } };
};

// CRM object types a service could read; each one a service names must be in the scope table.
const CRM_OBJECT_TYPES = [
  'contacts',
  'companies',
  'deals',
  'tickets',
  'leads',
  'calls',
  'emails',
  'meetings',
  'notes',
  'tasks',
  'products',
  'line_items',
  'quotes',
  'communications',
  'postal_mail',
  'invoices',
  'orders',
  'carts',
  'services',
  'appointments',
  'courses',
  'listings',
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [full] : [];
  });
}

describe('scopes', () => {
  it('app-hsmeta.json requires exactly the needed scopes that are not optional, and offers exactly the optional ones', () => {
    expect([...hsmeta.config.auth.requiredScopes].sort()).toEqual(requiredScopes());
    expect([...hsmeta.config.auth.optionalScopes].sort()).toEqual(optionalScopes());
    expect(new Set([...requiredScopes(), ...optionalScopes()])).toEqual(scopesTheGatewayNeeds());
    expect(requiredScopes()).toContain('oauth');
  });

  it('every CRM object type the services and jobs name has its scope in the table', () => {
    const named = new Set<string>();
    for (const dir of ['src/backend/services', 'src/backend/jobs', 'src/backend/engines']) {
      for (const file of sourceFiles(path.join(root, dir))) {
        const text = readFileSync(file, 'utf8');
        for (const type of CRM_OBJECT_TYPES) if (new RegExp(`['"\`]${type}['"\`]`).test(text)) named.add(type);
      }
    }
    expect(named.size).toBeGreaterThan(5);
    expect([...named].filter((t) => !(t in OBJECT_READ_SCOPES))).toEqual([]);
  });
});
