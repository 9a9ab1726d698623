// The sort indexes search walks (store.ts SortIndex) give exactly the order of sorting the matches:
// ties by id, missing values last in both directions, paging, and writes after the index is built.
import { describe, expect, it } from 'vitest';
import { buildPortal } from './store';
import { createRecord, updateRecord } from './records';
import { runSearch } from './search';
import type { Fixture } from './fixture';

const NOW = Date.UTC(2026, 10, 22, 12);
const N = 900;

function fixture(): Fixture {
  const contacts = [];
  for (let i = 1; i <= N; i++) {
    // few distinct values (many ties), some missing or empty; ids out of order
    const id = String(i % 2 ? i : N * 3 - i);
    contacts.push({
      id,
      createdAt: NOW - (i % 37) * 86_400_000,
      updatedAt: NOW - (i % 11) * 3_600_000,
      properties: {
        firstname: i % 13 === 0 ? null : i % 17 === 0 ? '' : ['ana', 'Bob', 'carl', 'Dee', 'bob'][i % 5]!,
        hubspot_owner_id: i % 3 === 0 ? '2' : '1',
        notes_last_updated: i % 7 === 0 ? null : new Date(NOW - (i % 23) * 60_000).toISOString(),
        hs_lead_status: i % 4 === 0 ? 'NEW' : 'OPEN',
      },
    });
  }
  return {
    portal: { id: 99, timeZone: 'Europe/Paris' },
    users: [
      { id: '1', email: 'a@x.example', firstName: 'A', lastName: 'X' },
      { id: '2', email: 'b@x.example', firstName: 'B', lastName: 'X' },
    ],
    owners: [
      { id: '1', userId: 1, email: 'a@x.example', firstName: 'A', lastName: 'X' },
      { id: '2', userId: 2, email: 'b@x.example', firstName: 'B', lastName: 'X' },
    ],
    objects: { contacts },
  };
}

type Res = { total: number; results: { id: string }[] };

/** The reference order: every match sorted with search's comparator. */
function reference(p: ReturnType<typeof buildPortal>, owner: string, prop: string | undefined, desc: boolean): string[] {
  const ts = p.types.get('contacts')!;
  const all = [...ts.byId.values()].filter((r) => !r.archived && r.props.hubspot_owner_id === owner);
  const key = (r: (typeof all)[number]): number | string | undefined => {
    if (!prop) return r.createdAt;
    if (prop === 'lastmodifieddate') return r.updatedAt;
    if (prop === 'createdate') return r.createdAt;
    if (prop === 'hs_object_id') return Number(r.id);
    const v = r.props[prop];
    if (v == null || v === '') return undefined;
    return prop === 'notes_last_updated' ? Date.parse(v) : v.toLowerCase();
  };
  const dir = desc ? -1 : 1;
  return all
    .map((r) => ({ id: r.id, k: key(r), n: Number(r.id) }))
    .sort((a, b) => {
      if (a.k === undefined || b.k === undefined) return a.k === b.k ? a.n - b.n : a.k === undefined ? 1 : -1;
      return a.k < b.k ? -dir : a.k > b.k ? dir : a.n - b.n;
    })
    .map((x) => x.id);
}

function pages(p: ReturnType<typeof buildPortal>, owner: string, prop: string | undefined, desc: boolean): string[] {
  const ts = p.types.get('contacts')!;
  const ids: string[] = [];
  for (let after = 0; ; after += 97) {
    const body = {
      filterGroups: [{ filters: [{ propertyName: 'hubspot_owner_id', operator: 'EQ', value: owner }] }],
      limit: 97,
      after: String(after),
      ...(prop ? { sorts: [{ propertyName: prop, direction: desc ? 'DESCENDING' : 'ASCENDING' }] } : {}),
    };
    const res = runSearch(p, ts, body, NOW) as Res;
    ids.push(...res.results.map((r) => r.id));
    if (after + 97 >= res.total) return ids;
  }
}

describe('search sort indexes', () => {
  it('page through the same order as sorting every match, before and after writes', () => {
    const p = buildPortal(fixture(), NOW, 'index-test');
    const ts = p.types.get('contacts')!;
    const check = () => {
      for (const prop of [
        undefined,
        'firstname',
        'notes_last_updated',
        'lastmodifieddate',
        'createdate',
        'hs_object_id',
        'hs_lead_status',
      ]) {
        for (const desc of prop ? [false, true] : [false]) {
          expect(pages(p, '1', prop, desc), `${prop ?? '(default)'} ${desc ? 'desc' : 'asc'}`).toEqual(reference(p, '1', prop, desc));
        }
      }
    };
    check();
    const ctx = { now: NOW + 1000, searchDelayMs: 0 };
    for (const r of [...ts.byId.values()].slice(0, 60)) {
      updateRecord(
        p,
        ts,
        r,
        {
          firstname: r.id.endsWith('1') ? null : 'aaa',
          notes_last_updated: String(NOW + Number(r.id)),
          hubspot_owner_id: r.id.endsWith('3') ? '2' : '1',
        },
        ctx,
      );
    }
    for (let i = 0; i < 5; i++) createRecord(p, ts, { firstname: 'Bob', hubspot_owner_id: '1' }, ctx);
    check();
  });
});

describe('search during the indexing delay', () => {
  it('shows a record as it was indexed: old values with the old modification date, never old values with the new date', () => {
    const p = buildPortal(fixture(), NOW, 'delay-test');
    const ts = p.types.get('contacts')!;
    const r = ts.byId.get('1')!;
    const before = r.updatedAt;
    updateRecord(p, ts, r, { firstname: 'Zed' }, { now: NOW + 60_000, searchDelayMs: 5_000 });
    const search = (now: number, since: number) =>
      runSearch(
        p,
        ts,
        {
          filterGroups: [
            {
              filters: [
                { propertyName: 'hs_object_id', operator: 'EQ', value: '1' },
                { propertyName: 'lastmodifieddate', operator: 'GTE', value: String(since) },
              ],
            },
          ],
          properties: ['firstname'],
        },
        now,
      ) as { total: number; results: { properties: Record<string, string | null> }[] };
    const during = search(NOW + 61_000, 0);
    expect(during.results[0]?.properties.firstname).not.toBe('Zed');
    expect(Date.parse(during.results[0]!.properties.lastmodifieddate!)).toBe(before);
    expect(search(NOW + 61_000, NOW + 60_000).total).toBe(0); // the new date is not indexed yet either
    const after = search(NOW + 66_000, NOW + 60_000);
    expect(after.results[0]?.properties).toMatchObject({ firstname: 'Zed', lastmodifieddate: new Date(NOW + 60_000).toISOString() });
  });
});
