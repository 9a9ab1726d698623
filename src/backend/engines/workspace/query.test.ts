import { describe, expect, it } from 'vitest';
import { countMatches, DAY_MS, matches, mismatch, queryRecords, type ResolvedFilters, type WorkspaceRecord } from './query';
import { OPERATORS_BY_KIND, isUserProperty, kindOf } from './properties';
import { validateCustomersSettings } from './settings';
import { dayRange, resolveFilters } from './views';

const NOW = Date.parse('2026-12-04T12:00:00Z');

function rec(id: string, over: Partial<WorkspaceRecord> = {}): WorkspaceRecord {
  return {
    id,
    name: `Company ${id}`,
    csm: '501',
    createdAt: NOW - 100 * DAY_MS,
    lastActivityAt: null,
    assignedAt: null,
    renewalAt: null,
    properties: {},
    ...over,
  };
}

describe('a record against resolved filters', () => {
  it.each<[string, Partial<WorkspaceRecord>, ResolvedFilters, ReturnType<typeof mismatch>]>([
    ['matches when there are no filters', {}, {}, null],
    ['matches its CSM', {}, { owner: '501' }, null],
    ['fails another CSM', {}, { owner: '502' }, 'owner'],
    ['an unassigned record matches "unassigned"', { csm: null }, { owner: null }, null],
    ['an assigned record fails "unassigned"', {}, { owner: null }, 'owner'],
    ['created inside the range matches (from inclusive)', { createdAt: 1000 }, { createdAt: { from: 1000, to: 2000 } }, null],
    ['created at the range end fails (to exclusive)', { createdAt: 2000 }, { createdAt: { from: 1000, to: 2000 } }, 'createdAt'],
    ['no activity fails an activity range', {}, { lastActivityAt: { from: 0 } }, 'lastActivityAt'],
    ['assigned 10 days ago is in the last 30 days', { assignedAt: NOW - 10 * DAY_MS }, { assignedAt: { from: NOW - 30 * DAY_MS } }, null],
    ['assigned 31 days ago is not', { assignedAt: NOW - 31 * DAY_MS }, { assignedAt: { from: NOW - 30 * DAY_MS } }, 'assignedAt'],
    ['an unknown assignment time is not', {}, { assignedAt: { from: NOW - 30 * DAY_MS } }, 'assignedAt'],
    [
      'a property filter with HubSpot semantics',
      { properties: { industry: 'SOFTWARE' } },
      { properties: [{ propertyName: 'industry', operator: 'IN', values: ['SOFTWARE', 'RETAIL'] }] },
      null,
    ],
    [
      'names the property it fails',
      { properties: { amount: 5 } },
      { properties: [{ propertyName: 'amount', operator: 'GT', value: 10 }] },
      { property: 'amount' },
    ],
    ['a missing value matches only NOT_HAS_PROPERTY', {}, { properties: [{ propertyName: 'x', operator: 'NOT_HAS_PROPERTY' }] }, null],
  ])('%s', (_name, over, filters, expected) => {
    expect(mismatch(rec('1', over), filters)).toEqual(expected);
  });
});

describe('sorting and keyset paging through the whole book', () => {
  const book = Array.from({ length: 57 }, (_, i) =>
    rec(String(i + 1), { name: `Co ${String((i * 7) % 57).padStart(2, '0')}`, createdAt: i % 5 === 0 ? null : NOW - i * DAY_MS }),
  );

  it.each([
    ['name ascending', { property: 'name', direction: 'ASC' as const }],
    ['create date descending, empty dates last', { property: 'createdate', direction: 'DESC' as const }],
    ['create date ascending, empty dates last', { property: 'createdate', direction: 'ASC' as const }],
  ])('pages by %s: every record once, in order', (_name, sort) => {
    const seen: WorkspaceRecord[] = [];
    let after;
    for (let guard = 0; guard < 20; guard++) {
      const page = queryRecords(book, {}, { sort, limit: 10, ...(after ? { after } : {}) });
      expect(page.total).toBe(57);
      seen.push(...page.records);
      if (!page.next) break;
      after = page.next;
    }
    expect(seen.map((r) => r.id).sort()).toEqual(book.map((r) => r.id).sort());
    const all = queryRecords(book, {}, { sort, limit: 100 }).records.map((r) => r.id);
    expect(seen.map((r) => r.id)).toEqual(all);
    const dated = all.map((id) => book.find((r) => r.id === id)!.createdAt);
    if (sort.property === 'createdate') expect(dated.slice(-12).every((d) => d === null)).toBe(true);
  });

  it('keeps its place when a record before the cursor disappears between pages', () => {
    const first = queryRecords(book, {}, { sort: { property: 'name', direction: 'ASC' }, limit: 10 });
    const without = book.filter((r) => r.id !== first.records[0]!.id);
    const second = queryRecords(without, {}, { sort: { property: 'name', direction: 'ASC' }, limit: 10, after: first.next! });
    expect(second.records[0]!.name > first.records.at(-1)!.name).toBe(true);
  });

  it("sorts stages in their pipelines' order, not by id, and pages through them", () => {
    // HubSpot's stage ids are not in board order: "zz-onboarding" comes first in the pipeline
    const ranks = new Map([
      ['zz-onboarding', 0],
      ['aa-live', 1],
      ['mm-churned', 2],
    ]);
    const stages = ['aa-live', 'mm-churned', 'zz-onboarding', 'other-pipeline-stage', 'aa-live'];
    const records = stages.map((st, i) => rec(String(i + 1), { properties: { dealstage: st } }));
    records.push(rec('9'));
    const sort = { property: 'dealstage', direction: 'ASC' as const };
    const order = (r: WorkspaceRecord[]) => r.map((x) => x.properties.dealstage ?? '-');
    expect(order(queryRecords(records, {}, { sort, limit: 10, ranks }).records)).toEqual([
      'zz-onboarding',
      'aa-live',
      'aa-live',
      'mm-churned',
      'other-pipeline-stage',
      '-',
    ]);
    const first = queryRecords(records, {}, { sort: { ...sort, direction: 'DESC' }, limit: 2, ranks });
    expect(order(first.records)).toEqual(['other-pipeline-stage', 'mm-churned']);
    const next = queryRecords(records, {}, { sort: { ...sort, direction: 'DESC' }, limit: 10, ranks, after: first.next! });
    expect(order(next.records)).toEqual(['aa-live', 'aa-live', 'zz-onboarding', '-']);
    // without ranks, the text order of the ids
    expect(order(queryRecords(records, {}, { sort, limit: 10 }).records)[0]).toBe('aa-live');
  });

  it('counts each set of filters in one pass', () => {
    expect(countMatches([rec('1'), rec('2', { csm: '502' }), rec('3', { csm: null })], [{}, { owner: '501' }, { owner: null }])).toEqual([
      3, 1, 1,
    ]);
  });
});

describe('views resolved for a viewer', () => {
  const ctx = { meOwnerId: '501', now: NOW, timeZone: 'Europe/Paris' };

  it('"me" is the viewed user’s owner id; a viewer who is no owner owns nothing', () => {
    expect(matches(rec('1'), resolveFilters({ owner: 'me' }, ctx))).toBe(true);
    expect(matches(rec('1'), resolveFilters({ owner: 'me' }, { ...ctx, meOwnerId: null }))).toBe(false);
    expect(matches(rec('1', { csm: null }), resolveFilters({ owner: 'me' }, { ...ctx, meOwnerId: null }))).toBe(false);
  });

  it('date ranges are whole days in the portal’s time zone, both ends included', () => {
    expect(dayRange({ from: '2026-12-01', to: '2026-12-02' }, 'Europe/Paris')).toEqual({
      from: Date.parse('2026-11-30T23:00:00Z'),
      to: Date.parse('2026-12-02T23:00:00Z'),
    });
  });

  it('"assigned in the last 30 days" counts from now', () => {
    expect(resolveFilters({ owner: 'me', assignedWithinDays: 30 }, ctx)).toEqual({ owner: '501', assignedAt: { from: NOW - 30 * DAY_MS } });
  });
});

describe('properties by type', () => {
  it.each([
    ['hubspot_owner_id is a user property', { name: 'hubspot_owner_id', label: 'Owner', type: 'enumeration', fieldType: 'select' }, true],
    [
      'a property referencing owners is one',
      { name: 'cs_manager', label: 'CSM', type: 'enumeration', fieldType: 'select', referencedObjectType: 'OWNER' },
      true,
    ],
    ['a plain dropdown is not', { name: 'industry', label: 'Industry', type: 'enumeration', fieldType: 'select' }, false],
    ['a text property named like an owner is not', { name: 'owner_name', label: 'Owner', type: 'string', fieldType: 'text' }, false],
  ])('%s', (_name, def, expected) => {
    expect(isUserProperty(def)).toBe(expected);
  });

  it('offers only the operators HubSpot accepts for the type', () => {
    expect(OPERATORS_BY_KIND[kindOf({ name: 'd', type: 'date' })]).not.toContain('CONTAINS_TOKEN');
    expect(OPERATORS_BY_KIND[kindOf({ name: 'b', type: 'bool' })]).toEqual(['EQ', 'NEQ', 'HAS_PROPERTY', 'NOT_HAS_PROPERTY']);
    expect(kindOf({ name: 'hubspot_owner_id', type: 'enumeration' })).toBe('user');
  });
});

describe('customers settings validation', () => {
  const defs = [
    { name: 'hubspot_owner_id', label: 'Owner', type: 'enumeration', fieldType: 'select' },
    { name: 'industry', label: 'Industry', type: 'enumeration', fieldType: 'select' },
    { name: 'renewal_date', label: 'Renewal date', type: 'date', fieldType: 'date' },
  ];
  it.each([
    ['a valid choice', { objectType: 'companies', csmProperty: 'hubspot_owner_id', renewalDateProperty: 'renewal_date' }, []],
    [
      'a deal is not a customer object',
      { objectType: 'deals', csmProperty: 'hubspot_owner_id', renewalDateProperty: null },
      ['customers.objectType'],
    ],
    [
      'a CSM property that is not a user property',
      { objectType: 'companies', csmProperty: 'industry', renewalDateProperty: null },
      ['customers.csmProperty'],
    ],
    [
      'an unknown CSM property and a renewal date that is no date',
      { objectType: 'companies', csmProperty: 'nope', renewalDateProperty: 'industry' },
      ['customers.csmProperty', 'customers.renewalDateProperty'],
    ],
  ])('%s', (_name, s, fields) => {
    expect(validateCustomersSettings(s, defs).map((e) => e.field)).toEqual(fields);
  });

  it('an object without known properties is refused on its object field', () => {
    expect(
      validateCustomersSettings({ objectType: '2-999', csmProperty: 'hubspot_owner_id', renewalDateProperty: null }, null).map(
        (e) => e.field,
      ),
    ).toEqual(['customers.objectType']);
  });
});
