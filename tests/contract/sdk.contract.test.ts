// Contract suite: every sandbox endpoint through @hubspot/api-client 13.5.0's typed APIs, and a
// check that the SDK deserializes each response with no field lost (every JSON key survives,
// dates become equal Date objects). Reference hubspot-crm-data.md §1–§3.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@hubspot/api-client';
import { startSandbox, type Sandbox } from '@tiller/hubspot-sandbox';
import { testFixture } from '@tiller/hubspot-sandbox/test-fixture';

let sb: Sandbox;
let client: Client;

beforeAll(async () => {
  sb = await startSandbox({ fixtures: [testFixture()], rateLimit: { tenSecondly: 100_000, searchPerSecond: 100_000 } });
  client = new Client({ accessToken: 'test-token', basePath: sb.url });
});
afterAll(() => sb.close());

async function raw(method: string, path: string, body?: unknown): Promise<unknown> {
  const r = await fetch(sb.url + path, {
    method,
    headers: { authorization: 'Bearer test-token', 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return r.status === 204 ? undefined : r.json();
}

const VOLATILE = new Set(['startedAt', 'completedAt', 'requestedAt', 'correlationId', 'requestId']);

/** Every key of the raw JSON is present in the SDK model with an equal value (SDK renames `from` → `_from`, `in` → `_in`). */
function expectNoFieldLost(json: unknown, model: unknown, path = '$'): void {
  if (json === null || json === undefined) {
    expect(model ?? null, path).toBeNull();
    return;
  }
  if (Array.isArray(json)) {
    expect(Array.isArray(model), `${path} is an array`).toBe(true);
    expect((model as unknown[]).length, `${path}.length`).toBe(json.length);
    json.forEach((v, i) => expectNoFieldLost(v, (model as unknown[])[i], `${path}[${i}]`));
    return;
  }
  if (typeof json === 'object') {
    expect(model, path).toBeTypeOf('object');
    for (const [k, v] of Object.entries(json as Record<string, unknown>)) {
      const m = model as Record<string, unknown>;
      const key = k in m ? k : `_${k}`;
      expect(key in m, `${path}.${k} survives deserialization`).toBe(true);
      // per-call values (timestamps of the batch run, ids of the call) differ between the two calls
      if (VOLATILE.has(k)) continue;
      expectNoFieldLost(v, m[key], `${path}.${k}`);
    }
    return;
  }
  if (model instanceof Date) {
    expect(model.toISOString(), path).toBe(new Date(json as string).toISOString());
    return;
  }
  expect(model, path).toBe(json);
}

describe('owners (reference §3.5) — client.crm.owners.ownersApi', () => {
  it('getPage and getById', async () => {
    const page = await client.crm.owners.ownersApi.getPage(undefined, undefined, 100, false);
    expectNoFieldLost(await raw('GET', '/crm/v3/owners?limit=100&archived=false'), page);
    expect(page.results.map((o) => o.id)).toEqual(['501', '502']);
    const byEmail = await client.crm.owners.ownersApi.getPage('ada@acme.example');
    expect(byEmail.results[0]!.userId).toBe(9001);
    const archived = await client.crm.owners.ownersApi.getPage(undefined, undefined, undefined, true);
    expectNoFieldLost(await raw('GET', '/crm/v3/owners?archived=true'), archived);
    const one = await client.crm.owners.ownersApi.getById(501);
    expectNoFieldLost(await raw('GET', '/crm/v3/owners/501'), one);
    expect(one.createdAt).toBeInstanceOf(Date);
  });
});

describe('users object and account info (reference §3.6)', () => {
  it('users via basicApi.getPage and searchApi.doSearch; account info via apiRequest', async () => {
    const list = await client.crm.objects.basicApi.getPage('users', 10, undefined, ['hs_standard_time_zone', 'hs_internal_user_id']);
    expectNoFieldLost(await raw('GET', '/crm/v3/objects/users?limit=10&properties=hs_standard_time_zone,hs_internal_user_id'), list);
    const found = await client.crm.objects.searchApi.doSearch('users', {
      filterGroups: [{ filters: [{ propertyName: 'hs_internal_user_id', operator: 'EQ' as never, value: '9001' }] }],
      properties: ['hs_standard_time_zone'],
      limit: 1,
      after: undefined as never,
      sorts: [],
    });
    expect(found.results[0]!.properties.hs_standard_time_zone).toBe('Pacific/Auckland');
    const res = await client.apiRequest({ method: 'GET', path: '/account-info/v3/details' });
    const info = (await res.json()) as { timeZone: string; utcOffsetMilliseconds: number };
    expect(info).toMatchObject({ timeZone: 'Europe/Paris', portalId: 123456 });
  });
});

describe('search (reference §3.1) — client.crm.objects.*.searchApi', () => {
  it('tasks search with filters, one sort, properties and paging keeps every field', async () => {
    const req = {
      filterGroups: [
        {
          filters: [
            { propertyName: 'hubspot_owner_id', operator: 'EQ' as never, value: '501' },
            { propertyName: 'hs_task_status', operator: 'NEQ' as never, value: 'COMPLETED' },
          ],
        },
      ],
      sorts: [{ propertyName: 'hs_timestamp', direction: 'ASCENDING' }] as unknown as string[],
      properties: ['hs_task_subject', 'hs_timestamp', 'hs_task_status'],
      limit: 1,
      after: '0',
    };
    const page = await client.crm.objects.tasks.searchApi.doSearch(req);
    expectNoFieldLost(await raw('POST', '/crm/v3/objects/tasks/search', req), page);
    expect(page.total).toBe(2);
    expect(page.paging?.next?.after).toBe('1');
    expect(page.results[0]!.id).toBe('71');
    const next = await client.crm.objects.tasks.searchApi.doSearch({ ...req, after: page.paging!.next!.after });
    expect(next.results[0]!.id).toBe('70');
  });
  it('generic, contacts, companies, deals, leads and engagement search APIs', async () => {
    const empty = { filterGroups: [], sorts: [], properties: [], limit: 10, after: '0' };
    expect((await client.crm.contacts.searchApi.doSearch({ ...empty, query: 'cleo' })).results.map((r) => r.id)).toEqual(['2']);
    expect((await client.crm.companies.searchApi.doSearch(empty)).total).toBe(1);
    expect((await client.crm.deals.searchApi.doSearch(empty)).total).toBe(1);
    expect((await client.crm.objects.leads.searchApi.doSearch(empty)).total).toBe(1);
    expect(
      (
        await client.crm.objects.calls.searchApi.doSearch({
          ...empty,
          filterGroups: [{ filters: [{ propertyName: 'hs_call_disposition', operator: 'NOT_HAS_PROPERTY' as never }] }],
        })
      ).results.map((r) => r.id),
    ).toEqual(['80']);
    expect((await client.crm.objects.emails.searchApi.doSearch(empty)).total).toBe(1);
    expect((await client.crm.objects.meetings.searchApi.doSearch(empty)).total).toBe(1);
    expect((await client.crm.objects.notes.searchApi.doSearch(empty)).total).toBe(1);
    expect((await client.crm.tickets.searchApi.doSearch(empty)).total).toBe(1);
    expect((await client.crm.objects.searchApi.doSearch('0-162', empty)).total).toBe(1);
  });
  it("surfaces a 400 VALIDATION_ERROR as an ApiException with HubSpot's body", async () => {
    const filters = Array.from({ length: 7 }, () => ({ propertyName: 'hs_task_status', operator: 'HAS_PROPERTY' as never }));
    await expect(
      client.crm.objects.tasks.searchApi.doSearch({ filterGroups: [{ filters }], sorts: [], properties: [], limit: 10, after: '0' }),
    ).rejects.toMatchObject({ code: 400, body: { category: 'VALIDATION_ERROR' } });
  });
});

describe('objects v3 (reference §3.2, §3.3) — basicApi / batchApi', () => {
  it('getById with properties, propertiesWithHistory and associations', async () => {
    const c = await client.crm.contacts.basicApi.getById('1', ['email'], ['hubspot_owner_id'], ['deals', 'companies']);
    expectNoFieldLost(
      await raw('GET', '/crm/v3/objects/contacts/1?properties=email&propertiesWithHistory=hubspot_owner_id&associations=deals,companies'),
      c,
    );
    expect(c.propertiesWithHistory!.hubspot_owner_id![0]!.timestamp).toBeInstanceOf(Date);
    const g = await client.crm.objects.basicApi.getById('0-136', '3', ['hs_pipeline_stage', 'hs_lead_is_disqualified']);
    expect(g.properties).toMatchObject({ hs_pipeline_stage: 'unqualified-stage-id', hs_lead_is_disqualified: 'true' });
  });
  it('getPage, create, update, archive, and batch read/create/update/archive', async () => {
    const page = await client.crm.objects.basicApi.getPage('tasks', 2, undefined, ['hs_task_subject']);
    expectNoFieldLost(await raw('GET', '/crm/v3/objects/tasks?limit=2&properties=hs_task_subject'), page);
    const created = await client.crm.objects.tasks.basicApi.create({
      properties: { hs_task_subject: 'SDK task', hs_timestamp: '2026-11-23T10:00:00Z', hubspot_owner_id: '501' },
      associations: [{ to: { id: '1' }, types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 204 }] }],
    });
    expect(created.properties.hs_object_id).toBe(created.id);
    const updated = await client.crm.objects.tasks.basicApi.update(created.id, { properties: { hs_task_status: 'COMPLETED' } });
    expect(updated.properties.hs_task_status).toBe('COMPLETED');
    const assoc = await client.crm.associations.v4.basicApi.getPage('tasks', created.id, 'contacts');
    expect(assoc.results[0]!.associationTypes[0]!.typeId).toBe(204);
    const batch = await client.crm.objects.batchApi.read('tasks', {
      inputs: [{ id: created.id }, { id: '70' }],
      properties: ['hs_task_status'],
      propertiesWithHistory: ['hs_task_status'],
    });
    expectNoFieldLost(
      await raw('POST', '/crm/v3/objects/tasks/batch/read', {
        inputs: [{ id: created.id }, { id: '70' }],
        properties: ['hs_task_status'],
        propertiesWithHistory: ['hs_task_status'],
      }),
      batch,
    );
    expect(batch.results).toHaveLength(2);
    const bc = await client.crm.objects.notes.batchApi.create({
      inputs: [
        { properties: { hs_note_body: 'a', hs_timestamp: '1700000000000' }, associations: [] },
        { properties: { hs_note_body: 'b', hs_timestamp: '1700000000000' }, associations: [] },
      ],
    });
    expect(bc.results).toHaveLength(2);
    const bu = await client.crm.objects.notes.batchApi.update({
      inputs: bc.results.map((r) => ({ id: r.id, properties: { hs_note_body: 'c' } })),
    });
    expect(bu.results.map((r) => r.properties.hs_note_body)).toEqual(['c', 'c']);
    await client.crm.objects.notes.batchApi.archive({ inputs: bc.results.map((r) => ({ id: r.id })) });
    await client.crm.objects.tasks.basicApi.archive(created.id);
    await expect(client.crm.objects.tasks.basicApi.getById(created.id)).rejects.toMatchObject({ code: 404 });
  });
  it('batch read partial failure arrives as 207 with errors', async () => {
    const r = await client.crm.deals.batchApi.read({
      inputs: [{ id: '7' }, { id: '404' }],
      properties: ['dealname'],
      propertiesWithHistory: [],
    });
    expect(r.results).toHaveLength(1);
    expect((r as { errors?: unknown[] }).errors).toHaveLength(1);
  });
});

describe('associations v4 (reference §1.7, §3.4)', () => {
  it('basicApi.getPage, batchApi.getPage (from → _from), create, createDefault, archive, labels', async () => {
    const one = await client.crm.associations.v4.basicApi.getPage('contacts', '1', 'tasks', undefined, 500);
    expectNoFieldLost(await raw('GET', '/crm/v4/objects/contacts/1/associations/tasks?limit=500'), one);
    expect(one.results.map((r) => r.associationTypes[0]!.typeId)).toEqual([203, 203]);
    const batch = await client.crm.associations.v4.batchApi.getPage('contacts', 'deals', { inputs: [{ id: '1' }] });
    expectNoFieldLost(await raw('POST', '/crm/v4/associations/contacts/deals/batch/read', { inputs: [{ id: '1' }] }), batch);
    expect(batch.results[0]!._from.id).toBe('1');
    const def = await client.crm.associations.v4.basicApi.createDefault('contacts', '2', 'companies', '11');
    expect(def.results[0]!.associationSpec.associationTypeId).toBe(279);
    const labelled = await client.crm.associations.v4.basicApi.create('deals', '7', 'companies', '11', [
      { associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 5 },
    ]);
    expect(labelled.labels).toEqual(['Primary']);
    const bcreate = await client.crm.associations.v4.batchApi.create('notes', 'deals', {
      inputs: [
        { _from: { id: '97' }, to: { id: '7' }, types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 214 }] },
      ],
    });
    expect(bcreate.results).toHaveLength(1);
    const bdef = await client.crm.associations.v4.batchApi.createDefault('calls', 'deals', {
      inputs: [{ _from: { id: '81' }, to: { id: '7' } }],
    });
    expect(bdef.results.length).toBeGreaterThan(0);
    await client.crm.associations.v4.batchApi.archive('notes', 'deals', { inputs: [{ _from: { id: '97' }, to: [{ id: '7' }] }] });
    await client.crm.associations.v4.basicApi.archive('contacts', '2', 'companies', '11');
    expect((await client.crm.associations.v4.basicApi.getPage('contacts', '2', 'companies')).results).toEqual([]);
    const labels = await client.crm.associations.v4.schema.definitionsApi.getAll('contacts', 'companies');
    expectNoFieldLost(await raw('GET', '/crm/v4/associations/contacts/companies/labels'), labels);
  });
});

describe('pipelines and properties (reference §2.1, §2.3, §2.4)', () => {
  it('pipelinesApi.getAll/getById and pipelineStagesApi.getAll/getById keep metadata strings', async () => {
    const all = await client.crm.pipelines.pipelinesApi.getAll('deals');
    expectNoFieldLost(await raw('GET', '/crm/v3/pipelines/deals'), all);
    const leads = await client.crm.pipelines.pipelinesApi.getById('leads', 'lead-pipeline-id');
    expectNoFieldLost(await raw('GET', '/crm/v3/pipelines/leads/lead-pipeline-id'), leads);
    const stages = await client.crm.pipelines.pipelineStagesApi.getAll('deals', 'default');
    expect(stages.results.find((s) => s.id === 'closedlost')!.metadata).toEqual({ isClosed: 'true', probability: '0.0' });
    const st = await client.crm.pipelines.pipelineStagesApi.getById('tickets', '0', '4');
    expect(st.metadata!.ticketState).toBe('CLOSED');
    expect((await client.crm.pipelines.pipelinesApi.getAll('services')).results).toHaveLength(1);
  });
  it('coreApi.getAll and getByName keep options and displayOrder', async () => {
    const lc = await client.crm.properties.coreApi.getByName('contacts', 'lifecyclestage');
    expectNoFieldLost(await raw('GET', '/crm/v3/properties/contacts/lifecyclestage'), lc);
    const all = await client.crm.properties.coreApi.getAll('calls');
    expectNoFieldLost(await raw('GET', '/crm/v3/properties/calls'), all);
    expect(all.results.find((p) => p.name === 'hs_call_disposition')!.options.map((o) => o.label)).toContain('Connected');
  });
});

describe('dispositions and sequences (reference §1.3, §3.8) — client.apiRequest', () => {
  it('lists dispositions; lists, gets and enrolls into sequences', async () => {
    const d = (await (await client.apiRequest({ method: 'GET', path: '/calling/v1/dispositions' })).json()) as {
      id: string;
      label: string;
    }[];
    expect(d.map((x) => x.label)).toEqual([
      'Busy',
      'Connected',
      'Left live message',
      'Left voicemail',
      'No answer',
      'Wrong number',
      'Demo booked',
    ]);
    const list = (await (await client.apiRequest({ method: 'GET', path: '/automation/v4/sequences', qs: { userId: '9001' } })).json()) as {
      total: number;
    };
    expect(list.total).toBe(1);
    const seq = (await (
      await client.apiRequest({ method: 'GET', path: '/automation/v4/sequences/801', qs: { userId: '9001' } })
    ).json()) as { steps: unknown[] };
    expect(seq.steps.length).toBeGreaterThan(0);
    const enr = await client.apiRequest({
      method: 'POST',
      path: '/automation/v4/sequences/enrollments',
      qs: { userId: '9001' },
      body: { contactId: '1', sequenceId: '801', senderEmail: 'ada@acme.example' },
    });
    expect(enr.status).toBe(200);
    const got = (await (await client.apiRequest({ method: 'GET', path: '/automation/v4/sequences/enrollments/contact/1' })).json()) as {
      sequenceId: string;
    };
    expect(got.sequenceId).toBe('801');
  });
});

describe('errors through the SDK', () => {
  it('401 with a bad token, 429 with policyName', async () => {
    const bad = new Client({ accessToken: 'nope', basePath: sb.url });
    await expect(bad.crm.owners.ownersApi.getPage()).rejects.toMatchObject({ code: 401, body: { category: 'INVALID_AUTHENTICATION' } });
    sb.control.failNext(1, '429');
    await expect(client.crm.owners.ownersApi.getPage()).rejects.toMatchObject({ code: 429, body: { policyName: 'TEN_SECONDLY_ROLLING' } });
  });
});
