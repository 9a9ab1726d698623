// Behaviour of the sandbox over raw HTTP (exact bodies and headers). Each test cites the
// reference section it follows: hubspot-crm-data.md (CRM) and hubspot-platform.md (platform).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from './server';
import { FixtureError } from './fixture';
import { testFixture, T0 } from './test-fixture';

let sb: Sandbox;
let clock = T0;
const H = 3_600_000;

async function call(method: string, path: string, body?: unknown, token = 'test-token') {
  const res = await fetch(sb.url + path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}
const search = (type: string, body: unknown) => call('POST', `/crm/v3/objects/${type}/search`, body);
const ids = (r: { body: { results: { id: string }[] } }) => r.body.results.map((x) => x.id);
const f = (propertyName: string, operator: string, value?: string, extra: Record<string, unknown> = {}) => ({
  propertyName,
  operator,
  value,
  ...extra,
});
const one = (...filters: unknown[]) => ({ filterGroups: [{ filters }], limit: 200 });

beforeAll(async () => {
  sb = await startSandbox({
    fixtures: [testFixture()],
    now: () => clock,
    rateLimit: { tenSecondly: 1_000_000, searchPerSecond: 1_000_000 },
  });
});
afterAll(() => sb.close());
beforeEach(() => {
  clock += 60_000;
});

describe('auth (reference hubspot-platform.md §3.2; 401 body)', () => {
  it('rejects a missing or unknown bearer token with 401 INVALID_AUTHENTICATION', async () => {
    for (const token of ['', 'nope']) {
      const r = await call('GET', '/crm/v3/owners', undefined, token);
      expect(r.status).toBe(401);
      expect(r.body).toMatchObject({ status: 'error', category: 'INVALID_AUTHENTICATION', correlationId: expect.any(String) });
    }
  });
  it('reports the loaded portals', () => {
    expect(sb.portals).toEqual([expect.objectContaining({ id: 123456, accessToken: 'test-token', timeZone: 'Europe/Paris' })]);
    expect(sb.portals[0]!.users[0]).toEqual({
      id: '9001',
      email: 'ada@acme.example',
      firstName: 'Ada',
      lastName: 'Rep',
      timeZone: 'Pacific/Auckland',
      superAdmin: true,
      ownerId: '501',
    });
  });
});

describe('owners, users, account (reference hubspot-crm-data.md §3.5, §3.6)', () => {
  it('lists active owners, filters by email (case-insensitive), pages with after, and lists archived ones apart', async () => {
    const all = await call('GET', '/crm/v3/owners');
    expect(all.body.results.map((o: { id: string }) => o.id)).toEqual(['501', '502']);
    expect((await call('GET', '/crm/v3/owners?email=bo@acme.example')).body.results.map((o: { id: string }) => o.id)).toEqual(['502']);
    const p1 = await call('GET', '/crm/v3/owners?limit=1');
    expect(p1.body.paging.next.after).toBe('1');
    expect((await call('GET', `/crm/v3/owners?limit=1&after=${p1.body.paging.next.after}`)).body.results[0].id).toBe('502');
    const archived = await call('GET', '/crm/v3/owners?archived=true');
    // §3.5: deactivated users have no userId but keep userIdIncludingInactive
    expect(archived.body.results).toEqual([expect.objectContaining({ id: '503', archived: true, userIdIncludingInactive: 9003 })]);
    expect(archived.body.results[0].userId).toBeUndefined();
  });
  it('gets one owner, or 404', async () => {
    expect((await call('GET', '/crm/v3/owners/501')).body).toMatchObject({
      id: '501',
      userId: 9001,
      type: 'PERSON',
      teams: [{ id: '1', name: 'Customer Success', primary: true }],
    });
    expect((await call('GET', '/crm/v3/owners/999')).status).toBe(404);
  });
  it('finds a rep time zone on the users object by hs_internal_user_id (§3.6)', async () => {
    const r = await search('users', one(f('hs_internal_user_id', 'EQ', '9002')));
    expect(r.body.total).toBe(1);
    expect(Object.keys(r.body.results[0].properties)).toEqual(['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id']);
    const r2 = await search('users', {
      ...one(f('hs_internal_user_id', 'IN', undefined, { values: ['9001', '9003'] })),
      properties: ['hs_standard_time_zone', 'hs_internal_user_id'],
    });
    expect(
      r2.body.results.map((u: { properties: Record<string, string | null> }) => [
        u.properties.hs_internal_user_id,
        u.properties.hs_standard_time_zone,
      ]),
    ).toEqual([
      ['9001', 'Pacific/Auckland'],
      ['9003', null],
    ]);
    const list = await call('GET', '/crm/v3/objects/0-115?properties=hs_standard_time_zone');
    expect(list.body.results).toHaveLength(3);
  });
  it('reports the account time zone and its current UTC offset (§3.6)', async () => {
    const r = await call('GET', '/account-info/v3/details');
    expect(r.body).toMatchObject({ portalId: 123456, timeZone: 'Europe/Paris', utcOffset: '+01:00', utcOffsetMilliseconds: 3_600_000 });
  });
});

describe('search (reference hubspot-crm-data.md §3.1, hubspot-platform.md §4.2)', () => {
  it('returns only hs_createdate, hs_lastmodifieddate and hs_object_id unless properties are sent (§1.1)', async () => {
    const r = await search('tasks', one(f('hs_object_id', 'EQ', '70')));
    expect(r.body.results[0].properties).toEqual({
      hs_createdate: new Date(T0 - 48 * H).toISOString(),
      hs_lastmodifieddate: new Date(T0 - 48 * H).toISOString(),
      hs_object_id: '70',
    });
    const r2 = await search('tasks', { ...one(f('hs_object_id', 'EQ', '70')), properties: ['hs_task_subject', 'hs_task_body'] });
    expect(r2.body.results[0].properties).toMatchObject({ hs_task_subject: 'Call Bo', hs_task_body: null });
  });
  it('supports every operator', async () => {
    const t = (...filters: unknown[]) => search('tasks', one(...filters)).then(ids);
    expect(await t(f('hubspot_owner_id', 'EQ', '501'))).toEqual(['70', '71']);
    // NEQ and NOT_IN also match records without the property
    expect(await t(f('hubspot_owner_id', 'NEQ', '501'))).toEqual(['72', '73']);
    expect(await t(f('hs_timestamp', 'LT', String(T0)))).toEqual(['71']);
    expect(await t(f('hs_timestamp', 'LTE', String(T0 + 4 * H)))).toEqual(['70', '71']);
    expect(await t(f('hs_timestamp', 'GT', String(T0 + 4 * H)))).toEqual(['72', '73']);
    expect(await t(f('hs_timestamp', 'GTE', String(T0 + 4 * H)))).toEqual(['70', '72', '73']);
    expect(await t(f('hs_timestamp', 'BETWEEN', String(T0), { highValue: String(T0 + 30 * H) }))).toEqual(['70', '72']);
    expect(await t(f('hs_task_status', 'IN', undefined, { values: ['WAITING', 'COMPLETED'] }))).toEqual(['72', '73']);
    expect(await t(f('hs_task_status', 'NOT_IN', undefined, { values: ['WAITING', 'COMPLETED'] }))).toEqual(['70', '71']);
    expect(await t(f('hubspot_owner_id', 'HAS_PROPERTY'))).toEqual(['70', '71', '72']);
    expect(await t(f('hubspot_owner_id', 'NOT_HAS_PROPERTY'))).toEqual(['73']);
    expect(await t(f('hs_task_subject', 'CONTAINS_TOKEN', 'proposal'))).toEqual(['71']);
    expect(await t(f('hs_task_subject', 'NOT_CONTAINS_TOKEN', 'proposal'))).toEqual(['70', '72', '73']);
    expect(await search('contacts', one(f('email', 'CONTAINS_TOKEN', '*@client.example'))).then(ids)).toEqual(['1']);
  });
  it('applies the case rules: enumerations case-sensitive, strings case-insensitive, string IN needs lowercase values', async () => {
    expect(await search('tasks', one(f('hs_task_status', 'EQ', 'completed'))).then(ids)).toEqual([]);
    expect(await search('tasks', one(f('hs_task_subject', 'EQ', 'CALL BO'))).then(ids)).toEqual(['70']);
    expect(await search('contacts', one(f('email', 'IN', undefined, { values: ['BO@CLIENT.EXAMPLE'] }))).then(ids)).toEqual([]);
    expect(await search('contacts', one(f('email', 'IN', undefined, { values: ['bo@client.example'] }))).then(ids)).toEqual(['1']);
  });
  it('compares datetimes as epoch ms, and also accepts ISO-8601 values', async () => {
    expect(await search('tasks', one(f('hs_timestamp', 'LT', new Date(T0).toISOString()))).then(ids)).toEqual(['71']);
    const bad = await search('tasks', one(f('hs_timestamp', 'LT', 'yesterday')));
    expect(bad.status).toBe(400);
    expect(bad.body.category).toBe('VALIDATION_ERROR');
  });
  it('filters through associations.<singular object> pseudo-properties (§1.7)', async () => {
    expect(await search('tasks', one(f('associations.contact', 'EQ', '1'))).then(ids)).toEqual(['70', '71']);
    expect(
      await search(
        'tasks',
        one(f('associations.contact', 'IN', undefined, { values: ['1', '2'] }), f('hs_task_status', 'NEQ', 'COMPLETED')),
      ).then(ids),
    ).toEqual(['70', '71']);
    expect(await search('tasks', one(f('associations.deal', 'EQ', '7'))).then(ids)).toEqual(['70']);
  });
  it('ORs filter groups and ANDs filters within a group', async () => {
    const r = await search('tasks', {
      filterGroups: [
        { filters: [f('hubspot_owner_id', 'EQ', '502')] },
        { filters: [f('hs_task_priority', 'EQ', 'HIGH'), f('hubspot_owner_id', 'EQ', '501')] },
      ],
    });
    expect(ids(r)).toEqual(['70', '72']);
  });
  it('sorts by one property; a second sort is a 400', async () => {
    const r = await search('tasks', { sorts: [{ propertyName: 'hs_timestamp', direction: 'DESCENDING' }] });
    expect(ids(r)).toEqual(['73', '72', '70', '71']);
    expect(ids(await search('tasks', { sorts: ['hs_timestamp'] }))).toEqual(['71', '70', '72', '73']);
    expect((await search('tasks', { sorts: [{ propertyName: 'hs_timestamp' }, { propertyName: 'hs_task_priority' }] })).status).toBe(400);
  });
  it('pages with integer-string after (default 10, max 200) and reports total', async () => {
    const r = await search('tasks', { limit: 3 });
    expect(r.body.total).toBe(4);
    expect(r.body.paging).toEqual({ next: { after: '3' } });
    const r2 = await search('tasks', { limit: 3, after: '3' });
    expect(ids(r2)).toEqual(['73']);
    expect(r2.body.paging).toBeUndefined();
    expect((await search('tasks', { limit: 201 })).status).toBe(400);
    expect((await search('tasks', { after: 'abc' })).status).toBe(400);
  });
  it('enforces 5 groups, 6 filters per group and 18 in total with 400 VALIDATION_ERROR', async () => {
    const g = (n: number) => ({ filters: Array.from({ length: n }, () => f('hs_task_status', 'HAS_PROPERTY')) });
    expect((await search('tasks', { filterGroups: [g(1), g(1), g(1), g(1), g(1), g(1)] })).body.category).toBe('VALIDATION_ERROR');
    expect((await search('tasks', { filterGroups: [g(7)] })).status).toBe(400);
    const r = await search('tasks', { filterGroups: [g(6), g(6), g(6), g(1)] });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
    expect((await search('tasks', { filterGroups: [g(6), g(6), g(6)] })).status).toBe(200);
  });
  it('rejects unknown properties and unfilterable ones (§1.1)', async () => {
    expect((await search('tasks', one(f('no_such_prop', 'EQ', 'x')))).status).toBe(400);
    expect((await search('emails', one(f('hs_email_html', 'HAS_PROPERTY')))).status).toBe(400);
  });
  it('matches query on default searchable properties', async () => {
    expect(ids(await search('contacts', { query: 'cleo' }))).toEqual(['2']);
  });
  it('computes HubSpot-calculated properties (deal closed flags, lead state, task overdue)', async () => {
    expect(
      (await search('deals', { ...one(f('hs_is_closed_won', 'EQ', 'true')), properties: ['num_associated_contacts'] })).body.results[0]
        .properties.num_associated_contacts,
    ).toBe('1');
    expect(ids(await search('leads', one(f('hs_lead_is_disqualified', 'EQ', 'true'))))).toEqual(['3']);
    expect(ids(await search('tasks', one(f('hs_task_is_overdue', 'EQ', 'true'))))).toEqual(['71']);
  });
});

describe('the 10,000-result cap (reference §3.1)', () => {
  it('serves up to 10,000 results and answers 400 past them', async () => {
    const many = Array.from({ length: 10_050 }, (_, i) => ({
      id: String(i + 1),
      properties: { hs_task_subject: `t${i}`, hs_timestamp: String(T0 + i) },
    }));
    const big = await startSandbox({
      fixtures: [testFixture({ objects: { tasks: many }, associations: [] })],
      rateLimit: { searchPerSecond: 1000 },
    });
    try {
      const s = (b: unknown) =>
        fetch(`${big.url}/crm/v3/objects/tasks/search`, {
          method: 'POST',
          headers: { authorization: 'Bearer test-token', 'content-type': 'application/json' },
          body: JSON.stringify(b),
        });
      const last = await (await s({ limit: 200, after: '9800' })).json();
      expect(last.total).toBe(10_050);
      expect(last.results).toHaveLength(200);
      expect(last.paging).toBeUndefined();
      const past = await s({ limit: 10, after: '10000' });
      expect(past.status).toBe(400);
      expect((await past.json()).category).toBe('VALIDATION_ERROR');
    } finally {
      await big.close();
    }
  });
});

describe('objects v3 (reference §3.2, §3.3)', () => {
  it('gets a record with properties, propertiesWithHistory (newest first) and associations', async () => {
    const r = await call(
      'GET',
      '/crm/v3/objects/contacts/1?properties=email,lifecyclestage&propertiesWithHistory=hubspot_owner_id&associations=deals,companies',
    );
    expect(r.body.properties).toEqual({
      createdate: '2026-11-01T09:00:00.000Z',
      email: 'bo@client.example',
      hs_object_id: '1',
      lastmodifieddate: '2026-11-20T09:00:00.000Z',
      lifecyclestage: 'lead',
    });
    expect(r.body.propertiesWithHistory.hubspot_owner_id.map((h: { value: string }) => h.value)).toEqual(['501', '502']);
    // A fixture value with no recorded change dates from the record's creation, not its last change.
    const plain = await call('GET', '/crm/v3/objects/contacts/1?propertiesWithHistory=email,lifecyclestage');
    expect(plain.body.propertiesWithHistory.email).toEqual([
      { value: 'bo@client.example', timestamp: '2026-11-01T09:00:00.000Z', sourceType: 'CRM_UI' },
    ]);
    expect(r.body.associations.deals.results).toEqual([{ id: '7', type: 'contact_to_deal' }]);
    expect(r.body.associations.companies.results).toEqual(
      expect.arrayContaining([
        { id: '11', type: 'contact_to_company' },
        { id: '11', type: 'contact_to_company_unlabeled' },
      ]),
    );
  });
  it('accepts object type ids as well as names (0-1, 0-136, 0-162, 2-…)', async () => {
    expect((await call('GET', '/crm/v3/objects/0-1/1')).body.id).toBe('1');
    expect((await call('GET', '/crm/v3/objects/0-136/3')).body.id).toBe('3');
    expect((await call('GET', '/crm/v3/objects/services/65')).body.id).toBe('65');
    expect((await call('GET', '/crm/v3/objects/2-5001/1')).body.id).toBe('1');
    expect((await call('GET', '/crm/v3/objects/widgets/1')).status).toBe(400);
    expect((await call('GET', '/crm/v3/objects/contacts/999')).body.category).toBe('OBJECT_NOT_FOUND');
  });
  it('creates, updates and archives; reads and searches follow, last-modified moves', async () => {
    const c = await call('POST', '/crm/v3/objects/tasks', {
      properties: { hs_task_subject: 'New', hs_timestamp: String(T0), hs_task_status: 'NOT_STARTED', hubspot_owner_id: '502' },
    });
    expect(c.status).toBe(201);
    expect(c.body.properties).toMatchObject({ hs_task_subject: 'New', hs_timestamp: new Date(T0).toISOString(), hs_object_id: c.body.id });
    clock += 1000;
    const u = await call('PATCH', `/crm/v3/objects/tasks/${c.body.id}`, { properties: { hs_task_status: 'COMPLETED' } });
    expect(u.body.properties.hs_lastmodifieddate).toBe(new Date(clock).toISOString());
    expect(ids(await search('tasks', one(f('hubspot_owner_id', 'EQ', '502'), f('hs_task_status', 'EQ', 'COMPLETED'))))).toContain(
      c.body.id,
    );
    expect((await call('PATCH', `/crm/v3/objects/tasks/${c.body.id}`, { properties: { hs_task_status: 'DONE' } })).status).toBe(400);
    expect((await call('PATCH', `/crm/v3/objects/tasks/${c.body.id}`, { properties: { hs_object_id: '5' } })).status).toBe(400);
    expect((await call('DELETE', `/crm/v3/objects/tasks/${c.body.id}`)).status).toBe(204);
    expect((await call('GET', `/crm/v3/objects/tasks/${c.body.id}`)).status).toBe(404);
    expect(ids(await search('tasks', one(f('hubspot_owner_id', 'EQ', '502'))))).not.toContain(c.body.id);
  });
  it('batch: at most 100 inputs; partial failure is 207 with errors', async () => {
    const tooMany = await call('POST', '/crm/v3/objects/contacts/batch/read', {
      inputs: Array.from({ length: 101 }, (_, i) => ({ id: String(i) })),
      properties: [],
    });
    expect(tooMany.status).toBe(400);
    const partial = await call('POST', '/crm/v3/objects/contacts/batch/read', {
      inputs: [{ id: '1' }, { id: '404' }],
      properties: ['email'],
      propertiesWithHistory: [],
    });
    expect(partial.status).toBe(207);
    expect(partial.body).toMatchObject({
      status: 'COMPLETE',
      numErrors: 1,
      results: [{ id: '1' }],
      errors: [{ category: 'OBJECT_NOT_FOUND', context: { ids: ['404'] } }],
    });
  });
  it('batch read with propertiesWithHistory: at most 50 inputs, HubSpot’s 400 beyond', async () => {
    // Reference §1.1 "Property history" (history lowers the objects per request); the limit and the
    // answer as HubSpot gives them: PipedreamHQ/pipedream#8462, activepieces/activepieces#9359.
    const read = (n: number, history: string[]) =>
      call('POST', '/crm/v3/objects/contacts/batch/read', {
        inputs: Array.from({ length: n }, (_, i) => ({ id: String(i + 1) })),
        properties: ['email'],
        propertiesWithHistory: history,
      });
    const tooMany = await read(51, ['hubspot_owner_id']);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body).toMatchObject({
      status: 'error',
      category: 'VALIDATION_ERROR',
      message:
        'The maximum number of inputs supported in a batch request for property histories is 50. Please reduce the number of items and try again',
    });
    expect((await read(50, ['hubspot_owner_id'])).status).toBe(207); // ids 3…50 do not exist
    expect((await read(51, [])).status).toBe(207); // without history, 100 stays the limit
  });
  it('lists with paging', async () => {
    const r = await call('GET', '/crm/v3/objects/tasks?limit=2');
    expect(ids(r)).toEqual(['70', '71']);
    expect(ids(await call('GET', `/crm/v3/objects/tasks?limit=2&after=${r.body.paging.next.after}`))).toEqual(['72', '73']);
  });
});

describe('search indexing delay (reference §3.1 "a few moments")', () => {
  it('shows a write in search only after the delay, while reads see it at once', async () => {
    sb.control.setSearchDelay(5000);
    try {
      const c = await call('POST', '/crm/v3/objects/notes', { properties: { hs_note_body: 'fresh', hs_timestamp: String(T0) } });
      expect((await call('GET', `/crm/v3/objects/notes/${c.body.id}`)).status).toBe(200);
      expect(ids(await search('notes', one(f('hs_object_id', 'EQ', c.body.id))))).toEqual([]);
      clock += 5001;
      expect(ids(await search('notes', one(f('hs_object_id', 'EQ', c.body.id))))).toEqual([c.body.id]);
    } finally {
      sb.control.setSearchDelay(0);
    }
  });
});

describe('associations v4 (reference §1.7, §3.4)', () => {
  it('uses HubSpot-defined default type ids in both directions', async () => {
    const r = await call('GET', '/crm/v4/objects/contacts/1/associations/tasks');
    expect(r.body.results).toEqual([
      { toObjectId: 70, associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 203, label: null }] },
      { toObjectId: 71, associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 203, label: null }] },
    ]);
    const back = await call('GET', '/crm/v4/objects/tasks/70/associations/contacts');
    expect(back.body.results[0].associationTypes[0].typeId).toBe(204);
    const lead = await call('GET', '/crm/v4/objects/leads/3/associations/contacts');
    expect(lead.body.results[0].associationTypes.map((t: { typeId: number }) => t.typeId)).toEqual([578, 608]);
  });
  it('batch reads up to 1,000 inputs; ids without associations come back as errors (207)', async () => {
    const r = await call('POST', '/crm/v4/associations/contacts/deals/batch/read', { inputs: [{ id: '1' }, { id: '2' }] });
    expect(r.status).toBe(207);
    expect(r.body.results).toEqual([
      { from: { id: '1' }, to: [{ toObjectId: 7, associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 4, label: null }] }] },
    ]);
    expect(
      (
        await call('POST', '/crm/v4/associations/contacts/deals/batch/read', {
          inputs: Array.from({ length: 1001 }, (_, i) => ({ id: String(i) })),
        })
      ).status,
    ).toBe(400);
  });
  it('creates and deletes associations; counts follow', async () => {
    expect((await call('PUT', '/crm/v4/objects/contacts/2/associations/default/deals/7')).status).toBe(200);
    expect((await call('GET', '/crm/v3/objects/deals/7?properties=num_associated_contacts')).body.properties.num_associated_contacts).toBe(
      '2',
    );
    expect((await call('DELETE', '/crm/v4/objects/deals/7/associations/contacts/2')).status).toBe(204);
    expect((await call('GET', '/crm/v3/objects/deals/7?properties=num_associated_contacts')).body.properties.num_associated_contacts).toBe(
      '1',
    );
    const labelled = await call('PUT', '/crm/v4/objects/contacts/2/associations/companies/11', [
      { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 1 },
    ]);
    expect(labelled.status).toBe(201);
    expect(labelled.body).toEqual({ fromObjectTypeId: '0-1', fromObjectId: 2, toObjectTypeId: '0-2', toObjectId: 11, labels: ['Primary'] });
  });
  it('lists labels for a pair', async () => {
    const r = await call('GET', '/crm/v4/associations/contacts/companies/labels');
    expect(r.body.results).toEqual(
      expect.arrayContaining([
        { category: 'HUBSPOT_DEFINED', typeId: 279, label: null },
        { category: 'HUBSPOT_DEFINED', typeId: 1, label: 'Primary' },
      ]),
    );
  });
});

describe('pipelines, properties, dispositions, sequences', () => {
  it('serves HubSpot default pipelines with string metadata (reference §2.3, §2.4)', async () => {
    const deals = await call('GET', '/crm/v3/pipelines/deals');
    expect(deals.body.results[0].id).toBe('default');
    expect(deals.body.results[0].stages.find((s: { id: string }) => s.id === 'closedwon').metadata).toEqual({
      isClosed: 'true',
      probability: '1.0',
    });
    const leads = await call('GET', '/crm/v3/pipelines/leads/lead-pipeline-id/stages');
    expect(leads.body.results.map((s: { id: string }) => s.id)).toEqual([
      'new-stage-id',
      'attempting-stage-id',
      'connected-stage-id',
      'qualified-stage-id',
      'unqualified-stage-id',
    ]);
    expect((await call('GET', '/crm/v3/pipelines/tickets/0')).body.stages[0].metadata.ticketState).toBe('OPEN');
    expect((await call('GET', '/crm/v3/pipelines/0-162')).body.results).toHaveLength(1);
  });
  it('serves property definitions with options in displayOrder (reference §2.1, §1.3)', async () => {
    const lc = await call('GET', '/crm/v3/properties/contacts/lifecyclestage');
    expect(lc.body.options.map((o: { value: string }) => o.value)).toEqual([
      'subscriber',
      'lead',
      'marketingqualifiedlead',
      'salesqualifiedlead',
      'opportunity',
      'customer',
      'evangelist',
      'other',
    ]);
    const disp = await call('GET', '/crm/v3/properties/calls/hs_call_disposition');
    expect(disp.body.options).toHaveLength(7);
    expect((await call('GET', '/crm/v3/properties/calls/hs_call_source')).body.options.map((o: { value: string }) => o.value)).toContain(
      'VOIP',
    );
    expect((await call('GET', '/crm/v3/properties/tasks/hs_task_status')).body.options.map((o: { value: string }) => o.value)).toEqual([
      'NOT_STARTED',
      'IN_PROGRESS',
      'WAITING',
      'COMPLETED',
      'DEFERRED',
    ]);
    expect((await call('GET', '/crm/v3/properties/tasks/nope')).status).toBe(404);
  });
  it('lists call outcomes: the six defaults plus the portal ones (reference §1.3)', async () => {
    const r = await call('GET', '/calling/v1/dispositions');
    expect(r.body).toHaveLength(7);
    expect(r.body[1]).toEqual({ id: 'f240bbac-87c9-4f6e-bf70-924b57d47db7', label: 'Connected', deleted: false });
  });
  it('sequences: list needs userId, get, enroll, and the contact enrollment (reference §3.8)', async () => {
    expect((await call('GET', '/automation/v4/sequences')).status).toBe(400);
    expect((await call('GET', '/automation/v4/sequences?userId=9001')).body).toMatchObject({
      total: 1,
      results: [{ id: '801', name: 'Post-demo follow-up', userId: '9001' }],
    });
    expect((await call('GET', '/automation/v4/sequences/801?userId=9001')).body.steps.length).toBeGreaterThan(0);
    expect((await call('GET', '/automation/v4/sequences/enrollments/contact/2')).status).toBe(404);
    const e = await call('POST', '/automation/v4/sequences/enrollments?userId=9001', {
      contactId: '2',
      sequenceId: '801',
      senderEmail: 'ada@acme.example',
    });
    expect(e.body).toMatchObject({ id: expect.any(String), toEmail: 'cleo@other.example' });
    expect((await call('GET', '/automation/v4/sequences/enrollments/contact/2')).body).toMatchObject({
      sequenceId: '801',
      sequenceName: 'Post-demo follow-up',
    });
  });
});

describe('faults, latency and stats', () => {
  it('serves queued faults: 500, spurious 429, search 429', async () => {
    sb.control.failNext(1, '500');
    expect((await call('GET', '/crm/v3/owners')).status).toBe(500);
    sb.control.failNext(1, '429');
    const r = await call('GET', '/crm/v3/owners');
    expect(r.status).toBe(429);
    expect(r.body.policyName).toBe('TEN_SECONDLY_ROLLING');
    sb.control.failNext(1, 'search429');
    expect((await call('GET', '/crm/v3/owners')).status).toBe(200); // waits for a search
    expect((await search('tasks', {})).body.message).toBe('You have reached your secondly limit.');
  });
  it('counts calls by endpoint and portal, searches and peaks; reset zeroes them', async () => {
    sb.control.resetStats();
    await call('GET', '/crm/v3/owners');
    await search('tasks', {});
    await search('tasks', {});
    const s = sb.control.stats();
    expect(s).toMatchObject({
      totalCalls: 3,
      searches: 2,
      byPortal: { '123456': 3 },
      peak1s: 3,
      peak10s: 3,
      peak10sGeneral: 1,
      peak1sSearch: 2,
    });
    expect(s.byEndpoint['POST /crm/v3/objects/{objectType}/search']).toBe(2);
    const http = await (await fetch(`${sb.url}/__sandbox/stats`)).json();
    expect(http.totalCalls).toBe(3);
    await fetch(`${sb.url}/__sandbox/reset`, { method: 'POST' });
    expect(sb.control.stats().totalCalls).toBe(0);
  });
});

describe('scopes (reference hubspot-platform.md §3.5: 403 for a missing scope)', () => {
  it('answers 403 MISSING_SCOPES when the fixture restricts scopes', async () => {
    const fx = testFixture();
    fx.portal.scopes = ['oauth', 'crm.objects.owners.read'];
    const s2 = await startSandbox({ fixtures: [fx] });
    try {
      const h = { authorization: 'Bearer test-token' };
      expect((await fetch(`${s2.url}/crm/v3/owners`, { headers: h })).status).toBe(200);
      const r = await fetch(`${s2.url}/crm/v3/objects/contacts/1`, { headers: h });
      expect(r.status).toBe(403);
      expect((await r.json()).category).toBe('MISSING_SCOPES');
    } finally {
      await s2.close();
    }
  });
});

describe('fixtures at start-up (spec sandbox-fixture.md)', () => {
  it('refuses to start half-loaded', async () => {
    const fx = testFixture();
    fx.associations!.push({ from: 'contacts/1', to: 'deals/99' });
    await expect(startSandbox({ fixtures: [fx] })).rejects.toBeInstanceOf(FixtureError);
  });
  it('serves several portals at once, each with its own token', async () => {
    const a = testFixture();
    const b = testFixture({ portal: { id: 654321, timeZone: 'America/New_York', accessToken: 'other-token' } });
    const s2 = await startSandbox({ fixtures: [a, b] });
    try {
      const r = await fetch(`${s2.url}/account-info/v3/details`, { headers: { authorization: 'Bearer other-token' } });
      expect((await r.json()).portalId).toBe(654321);
    } finally {
      await s2.close();
    }
  });
});

describe('rate limits (reference hubspot-platform.md §4.1–§4.3)', () => {
  it("floods: 110 requests per rolling 10 s per portal, then HubSpot's exact 429 with rate-limit headers", async () => {
    let t = T0;
    const s2 = await startSandbox({ fixtures: [testFixture()], now: () => t });
    try {
      const get = () => fetch(`${s2.url}/crm/v3/owners`, { headers: { authorization: 'Bearer test-token' } });
      const statuses: number[] = [];
      let firstHeaders: Headers | undefined;
      for (let i = 0; i < 110; i++) {
        const r = await get();
        statuses.push(r.status);
        firstHeaders ??= r.headers;
        await r.arrayBuffer();
        t += 50; // 110 calls within 5.5 s
      }
      expect(statuses.every((s) => s === 200)).toBe(true);
      expect(firstHeaders!.get('x-hubspot-ratelimit-max')).toBe('110');
      expect(firstHeaders!.get('x-hubspot-ratelimit-remaining')).toBe('109');
      expect(firstHeaders!.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('10000');
      const over = await get();
      expect(over.status).toBe(429);
      expect(over.headers.get('x-hubspot-ratelimit-remaining')).toBe('0');
      const body = await over.json();
      expect(Object.keys(body)).toEqual(['status', 'message', 'errorType', 'correlationId', 'policyName', 'requestId']);
      expect(body).toMatchObject({
        status: 'error',
        message: 'You have reached your ten_secondly_rolling limit.',
        errorType: 'RATE_LIMIT',
        policyName: 'TEN_SECONDLY_ROLLING',
      });
      // searches have their own bucket (exempt from ten-secondly, §4.2)
      const sr = await fetch(`${s2.url}/crm/v3/objects/tasks/search`, {
        method: 'POST',
        headers: { authorization: 'Bearer test-token', 'content-type': 'application/json' },
        body: '{}',
      });
      expect(sr.status).toBe(200);
      // the window rolls: once the oldest calls are 10 s old, calls pass again
      t = T0 + 10_000 + 1;
      expect((await get()).status).toBe(200);
      expect(s2.control.stats()).toMatchObject({ rateLimited: 1, rateLimitedTenSecondly: 1, peak10s: 112 });
    } finally {
      await s2.close();
    }
  });

  it('floods search: 5 per second per portal, then the secondly 429 without rate-limit headers', async () => {
    let t = T0;
    const s2 = await startSandbox({ fixtures: [testFixture()], now: () => t });
    try {
      const s = () =>
        fetch(`${s2.url}/crm/v3/objects/tasks/search`, {
          method: 'POST',
          headers: { authorization: 'Bearer test-token', 'content-type': 'application/json' },
          body: '{"limit":1}',
        });
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        const r = await s();
        statuses.push(r.status);
        if (i < 5) {
          expect(r.headers.get('x-hubspot-ratelimit-max')).toBeNull();
          await r.arrayBuffer();
        } else {
          expect(r.headers.get('x-hubspot-ratelimit-max')).toBeNull();
          expect(await r.json()).toMatchObject({
            status: 'error',
            message: 'You have reached your secondly limit.',
            errorType: 'RATE_LIMIT',
          });
        }
        t += 100;
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
      t = T0 + 1001;
      expect((await s()).status).toBe(200);
      expect(s2.control.stats().rateLimitedSearch).toBe(1);
    } finally {
      await s2.close();
    }
  });
});

describe('rate limits changed at run time (POST /__sandbox/faults)', () => {
  it("lifts the limits for a load and puts HubSpot's back for what is measured after it", async () => {
    const t = T0;
    const s2 = await startSandbox({ fixtures: [testFixture()], now: () => t, rateLimit: { tenSecondly: 1_000_000 } });
    try {
      const get = () => fetch(`${s2.url}/crm/v3/owners`, { headers: { authorization: 'Bearer test-token' } });
      for (let i = 0; i < 150; i++) expect((await get()).status).toBe(200);
      const set = await fetch(`${s2.url}/__sandbox/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ tenSecondly: 110 }),
      });
      expect(await set.json()).toMatchObject({ tenSecondly: 110, searchPerSecond: 5 });
      // Counted from an empty window: the load's 150 calls of the last seconds do not count.
      for (let i = 0; i < 110; i++) expect((await get()).status).toBe(200);
      expect((await get()).status).toBe(429);
      s2.control.setRateLimit({ tenSecondly: 1_000_000, searchPerSecond: 1_000_000 });
      expect((await get()).status).toBe(200);
    } finally {
      await s2.close();
    }
  });
});

describe('OAuth and uninstall (reference hubspot-platform.md §3.2–§3.4)', () => {
  const form = (url: string, params: Record<string, string>) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params).toString(),
    });
  it('exchanges a code, refreshes, introspects, revokes; params in the query are refused', async () => {
    const s2 = await startSandbox({ fixtures: [testFixture()], oauth: { clientId: 'cid', clientSecret: 'sec' } });
    try {
      const { code } = await (
        await fetch(`${s2.url}/__sandbox/oauth/code`, {
          method: 'POST',
          body: JSON.stringify({ portalId: 123456, redirectUri: 'https://x.example/cb' }),
        })
      ).json();
      expect((await fetch(`${s2.url}/oauth/2026-03/token?grant_type=authorization_code&code=${code}`, { method: 'POST' })).status).toBe(
        400,
      );
      const tok = await (
        await form(`${s2.url}/oauth/2026-03/token`, {
          grant_type: 'authorization_code',
          client_id: 'cid',
          client_secret: 'sec',
          redirect_uri: 'https://x.example/cb',
          code,
        })
      ).json();
      expect(tok).toMatchObject({
        token_type: 'bearer',
        expires_in: 1800,
        access_token: expect.any(String),
        refresh_token: expect.any(String),
      });
      // the code is single-use
      expect(
        (
          await form(`${s2.url}/oauth/2026-03/token`, {
            grant_type: 'authorization_code',
            client_id: 'cid',
            client_secret: 'sec',
            redirect_uri: 'https://x.example/cb',
            code,
          })
        ).status,
      ).toBe(400);
      const intro = await (
        await form(`${s2.url}/oauth/2026-03/token/introspect`, {
          client_id: 'cid',
          client_secret: 'sec',
          token: tok.access_token,
          token_type_hint: 'access_token',
        })
      ).json();
      expect(intro).toMatchObject({ active: true, token_use: 'access_token', hub_id: 123456, user_id: 9001, user: 'ada@acme.example' });
      expect((await fetch(`${s2.url}/crm/v3/owners`, { headers: { authorization: `Bearer ${tok.access_token}` } })).status).toBe(200);
      const refreshed = await (
        await form(`${s2.url}/oauth/2026-03/token`, {
          grant_type: 'refresh_token',
          client_id: 'cid',
          client_secret: 'sec',
          refresh_token: tok.refresh_token,
        })
      ).json();
      expect(refreshed.access_token).not.toBe(tok.access_token);
      expect(
        (
          await form(`${s2.url}/oauth/2026-03/token`, {
            grant_type: 'refresh_token',
            client_id: 'cid',
            client_secret: 'wrong',
            refresh_token: tok.refresh_token,
          })
        ).status,
      ).toBe(401);
      await form(`${s2.url}/oauth/2026-03/token/revoke`, { client_id: 'cid', client_secret: 'sec', token: tok.refresh_token });
      expect(
        (
          await form(`${s2.url}/oauth/2026-03/token`, {
            grant_type: 'refresh_token',
            client_id: 'cid',
            client_secret: 'sec',
            refresh_token: tok.refresh_token,
          })
        ).status,
      ).toBe(400);
      // uninstall: 204, then the portal's tokens stop working
      const un = await fetch(`${s2.url}/appinstalls/2026-03/external-install`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${refreshed.access_token}` },
      });
      expect(un.status).toBe(204);
      expect((await fetch(`${s2.url}/crm/v3/owners`, { headers: { authorization: 'Bearer test-token' } })).status).toBe(401);
    } finally {
      await s2.close();
    }
  });
});

describe('the batch-update count (a bench statistic)', () => {
  // hubspot-crm-data.md §3.3: a batch update answers the records it changed in `results` and the
  // ids it does not know in a 207's errors; a refused call (429, hubspot-platform.md §4.3) changes nothing.
  it('counts each record a batch update changed, per portal, type and id; missing ids and refused calls count nothing', async () => {
    sb.control.resetStats();
    const portal = sb.portals[0]!.id;
    const done = { properties: { hs_task_status: 'COMPLETED' } };
    expect(
      (
        await call('POST', '/crm/v3/objects/tasks/batch/update', {
          inputs: [
            { id: '70', ...done },
            { id: '71', ...done },
          ],
        })
      ).status,
    ).toBe(200);
    const partial = await call('POST', '/crm/v3/objects/tasks/batch/update', {
      inputs: [
        { id: '70', ...done },
        { id: '999999', ...done },
      ],
    });
    expect(partial.status).toBe(207);
    sb.control.failNext(1, '429');
    expect((await call('POST', '/crm/v3/objects/tasks/batch/update', { inputs: [{ id: '71', ...done }] })).status).toBe(429);
    expect(sb.control.stats().batchUpdated).toEqual({ [`${portal}/tasks/70`]: 2, [`${portal}/tasks/71`]: 1 });
  });
});

describe('a generated portal with a given id and token (SANDBOX_PORTAL_ID, SANDBOX_ACCESS_TOKEN)', () => {
  it('serves that portal under that token, and refuses the generator’s default one', async () => {
    const s = await startSandbox({ port: 0, seed: 1, size: 'small', portalId: 81_001, accessToken: 'first-load-big' });
    try {
      expect(s.portals.map((p) => p.id)).toEqual([81_001]);
      const get = (token: string) =>
        fetch(`${s.url}/crm/v3/owners?limit=1`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);
      expect(await get('first-load-big')).toBe(200);
      const generated = await startSandbox({ port: 0, seed: 1, size: 'small' });
      const defaultToken = generated.portals[0]!.accessToken;
      await generated.close();
      expect(await get(defaultToken)).toBe(401);
    } finally {
      await s.close();
    }
  });
});
