// The Actions tab's reads and custom views over the portal copy, on PGlite and PostgreSQL. The
// gateway refuses every call: these answers must come from the copy alone (0 HubSpot calls).
import request from 'supertest';
import { beforeEach, expect, it } from 'vitest';
import type { Express } from 'express';
import type { ActionsTasksResponse, ActionsView } from '../../contract/api';
import type { CrmGateway } from '../../crm/gateway';
import { createCopyRepo, createSequencesRepo, type CopyRecord, type Database } from '../../storage';
import { describeEachDatabase, truncateAll } from '../../storage/testing';
import { proxiedRequest, type ProxyCall } from '../../../../tests/helpers/hubspot-proxy';
import { TEST_PUBLIC_BASE_URL as PUBLIC, TEST_SECRET as SECRET, testApp } from '../../../../tests/helpers/test-app';

const NOW = Date.parse('2026-11-22T12:00:00Z'); // 07:00 in New York, the rep's zone
const PORTAL = 123;
const OTHER_PORTAL = 456;
const REP = 9001; // owner 501
const REP2 = 9002; // owner 502
const MANAGER = 9009;

let hubspotCalls = 0;
const noHubSpot: CrmGateway = {
  portal: () =>
    new Proxy({} as ReturnType<CrmGateway['portal']>, {
      get: (_t, prop) =>
        prop === 'portalId'
          ? PORTAL
          : () => {
              hubspotCalls++;
              return Promise.reject(new Error(`HubSpot called: ${String(prop)}`));
            },
    }),
  invalidate: () => {},
  cacheStats: () => ({ entries: 0, bytes: 0 }),
  close: async () => {},
};

function task(id: string, p: Record<string, string | null>, extra: Partial<CopyRecord> = {}): CopyRecord {
  const due = p.hs_timestamp ? new Date(p.hs_timestamp) : null;
  return {
    id,
    properties: p,
    ownerId: p.hubspot_owner_id ?? null,
    createdAt: new Date('2026-11-01T00:00:00Z'),
    modifiedAt: new Date(`2026-11-${String(10 + (Number(id) % 10)).padStart(2, '0')}T00:00:00Z`),
    dueAt: due,
    pipeline: null,
    stage: null,
    status: p.hs_task_status ?? null,
    archived: false,
    archivedAt: null,
    mergedInto: null,
    versionMs: 1,
    ...extra,
  };
}

async function seed(db: Database, portalId = PORTAL): Promise<void> {
  const copy = createCopyRepo(db);
  const at = new Date(NOW);
  await copy.replaceOwners(portalId, [
    { id: '501', userId: REP, email: 'ada@x', firstName: 'Ada', lastName: 'Rep', archived: false },
    { id: '502', userId: REP2, email: 'bo@x', firstName: 'Bo', lastName: 'Seller', archived: false },
  ]);
  await copy.replaceUsers(portalId, [
    { id: 'u1', userId: REP, timeZone: 'America/New_York' },
    { id: 'u2', userId: REP2, timeZone: null },
  ]);
  await copy.putPortal(portalId, { timeZone: 'Europe/Paris' }, at);
  const mine = { hubspot_owner_id: '501', hs_task_status: 'NOT_STARTED' };
  await copy.upsertRecords(
    portalId,
    'tasks',
    [
      // 23:00 the day before in New York: overdue for the rep, though "today" in UTC.
      task('1', {
        ...mine,
        hs_task_subject: 'Call Ann',
        hs_timestamp: '2026-11-22T04:00:00Z',
        hs_task_priority: 'HIGH',
        hs_task_type: 'CALL',
      }),
      task('2', {
        ...mine,
        hs_task_subject: 'email bo',
        hs_timestamp: '2026-11-22T20:00:00Z',
        hs_task_priority: 'LOW',
        hs_task_type: 'EMAIL',
        hs_task_sequence_step_enrollment_id: '7001',
      }),
      // 23:30 today in New York, already tomorrow in UTC.
      task('3', {
        ...mine,
        hs_task_subject: 'Zed review',
        hs_timestamp: '2026-11-23T04:30:00Z',
        hs_task_priority: 'MEDIUM',
        hs_task_type: 'TODO',
        hs_task_sequence_step_enrollment_id: '7002',
      }),
      task('4', {
        ...mine,
        hs_task_subject: 'Prep QBR',
        hs_timestamp: '2026-11-23T15:00:00Z',
        hs_task_priority: 'HIGH',
        hs_task_type: 'TODO',
        hs_task_sequence_step_enrollment_id: '7003',
      }),
      task('5', { ...mine, hs_task_subject: 'Done one', hs_timestamp: '2026-11-20T15:00:00Z', hs_task_status: 'COMPLETED' }),
      task('6', {
        hubspot_owner_id: '502',
        hs_task_status: 'WAITING',
        hs_task_subject: 'Bo task',
        hs_timestamp: '2026-11-22T18:00:00Z',
        hs_task_priority: 'HIGH',
      }),
      // All-day on the 22nd: midnight UTC, compared by calendar date — today, not overdue.
      task('7', { ...mine, hs_task_subject: 'All day', hs_timestamp: '2026-11-22T00:00:00Z', hs_task_is_all_day: 'true' }),
      task('8', { ...mine, hs_task_subject: 'Archived', hs_timestamp: '2026-11-22T18:00:00Z' }, { archived: true }),
      task('9', { ...mine, hs_task_subject: 'No date', hs_timestamp: null }),
    ],
    at,
  );
  await copy.upsertRecords(
    portalId,
    'contacts',
    [{ ...task('1', { firstname: 'Bo', lastname: 'Client' }), status: null, dueAt: null }],
    at,
  );
  await copy.upsertAssociations(
    portalId,
    [{ fromType: 'tasks', fromId: '2', toType: 'contacts', toId: '1', typeIds: [204], labels: [] }],
    at,
  );
  // SW-2: tasks 2 and 3 come from enrollments of two sequences (task 7's enrollment was never matched).
  await createSequencesRepo(db).putEnrollments(
    portalId,
    [
      { enrollmentId: '7001', sequenceId: '11', contactId: '1' },
      { enrollmentId: '7002', sequenceId: '12', contactId: '1' },
    ],
    at,
  );
  await copy.putSyncState(
    portalId,
    'tasks',
    { state: 'ready', records: 9, loadStartedAt: new Date(NOW - 60_000), lastPolledAt: new Date(NOW - 30_000) },
    at,
  );
}

describeEachDatabase('actions API (reads and views)', (getDb) => {
  let app: Express;
  const call = (c: ProxyCall) => {
    const r = proxiedRequest(PUBLIC, SECRET, { portalId: PORTAL, userId: REP, timestamp: NOW, ...c });
    const req = request(app)[r.method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete'](r.pathAndQuery).set(r.headers);
    return r.body ? req.send(r.body) : req;
  };
  const list = async (query: Record<string, string> = {}, userId = REP) => {
    const res = await call({ path: '/api/v1/actions/tasks', query, userId });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.headers['x-tiller-hubspot-calls']).toBe('0');
    return res.body as ActionsTasksResponse;
  };
  const ids = (b: ActionsTasksResponse) => b.tasks.map((t) => t.id);

  beforeEach(async () => {
    await truncateAll(getDb());
    await seed(getDb());
    hubspotCalls = 0;
    app = testApp({
      crm: noHubSpot,
      db: getDb(),
      installed: [PORTAL, OTHER_PORTAL],
      managers: [MANAGER],
      now: () => NOW,
      exposeMetering: true,
    });
  });

  it("lists the built-in views in the rep's zone, with counts, freshness and associations, without calling HubSpot", async () => {
    const today = await list({ view: 'due-today' });
    expect(ids(today)).toEqual(['7', '2', '3']);
    expect(today.counts).toEqual({ 'due-today': 3, overdue: 1, 'due-tomorrow': 1, completed: 1 });
    expect(today.total).toBe(3);
    expect(today.timeZone).toBe('America/New_York');
    expect(today.owners).toEqual([
      { id: '501', name: 'Ada Rep' },
      { id: '502', name: 'Bo Seller' },
    ]);
    expect(today.dataAsOf).toBe(new Date(NOW - 30_000).toISOString());
    expect(today.syncing).toBeUndefined();
    expect(today.tasks.find((t) => t.id === '2')).toMatchObject({
      subject: 'email bo',
      priority: 'LOW',
      type: 'EMAIL',
      status: 'NOT_STARTED',
      ownerId: '501',
      associations: [{ objectType: 'contacts', objectId: '1', label: 'Bo Client' }],
    });
    expect(ids(await list({ view: 'overdue' }))).toEqual(['1']);
    expect(ids(await list({ view: 'due-tomorrow' }))).toEqual(['4']);
    expect(ids(await list({ view: 'completed' }))).toEqual(['5']);
    expect(hubspotCalls).toBe(0);
  });

  it('says the copy is still loading (syncing) and how far it got', async () => {
    await createCopyRepo(getDb()).putSyncState(PORTAL, 'contacts', { state: 'loading', records: 50, totalEstimate: 100 }, new Date(NOW));
    const body = await list();
    expect(body.syncing).toEqual({ percent: expect.any(Number) });
    expect(body.syncing!.percent).toBeLessThan(100);
  });

  it.each([
    ["owner=all adds the other rep's task", { view: 'due-today', owner: 'all' }, ['7', '6', '2', '3']],
    ["an owner id shows that owner's tasks", { view: 'due-today', owner: '502' }, ['6']],
    ['priority narrows to the chosen ones', { view: 'due-today', priority: 'LOW,MEDIUM' }, ['2', '3']],
    ['type narrows to the chosen ones', { view: 'due-today', type: 'EMAIL' }, ['2']],
    ['status narrows to the chosen ones', { view: 'due-today', owner: 'all', status: 'WAITING' }, ['6']],
    ['associated record type keeps tasks about a contact', { view: 'due-today', associatedType: 'contacts' }, ['2']],
    ["a sequence keeps its matched enrollments' tasks (SW-2)", { view: 'due-today', sequenceId: '11' }, ['2']],
    ['a sequence with no matched enrollment keeps none', { view: 'due-today', sequenceId: '99' }, []],
    ["a due range is read in the rep's calendar days", { view: 'due-tomorrow', dueFrom: '2026-11-23', dueTo: '2026-11-23' }, ['4']],
    ["a due range intersects the view's window", { view: 'overdue', dueFrom: '2026-11-22' }, []],
  ])('filters: %s', async (_name, query, expected) => {
    expect(ids(await list(query))).toEqual(expected);
  });

  it("shows a sequence's tasks as soon as their enrollment is matched (the sequence filter is never served from kept pages)", async () => {
    expect(ids(await list({ view: 'due-tomorrow', sequenceId: '11' }))).toEqual([]);
    await createSequencesRepo(getDb()).putEnrollments(PORTAL, [{ enrollmentId: '7003', sequenceId: '11', contactId: '1' }], new Date(NOW));
    expect(ids(await list({ view: 'due-tomorrow', sequenceId: '11' }))).toEqual(['4']);
  });

  it('counts the built-in views under the same filters', async () => {
    const body = await list({ view: 'due-today', priority: 'HIGH' });
    expect(body.counts).toEqual({ 'due-today': 0, overdue: 1, 'due-tomorrow': 1, completed: 0 });
  });

  it.each([
    ['priority', ['5', '7', '9', '2', '3', '1', '4']],
    ['-priority', ['4', '1', '3', '2', '9', '7', '5']],
    ['subject', ['7', '1', '5', '2', '9', '4', '3']],
    ['-modified', ['9', '7', '5', '4', '3', '2', '1']],
    ['due', ['5', '7', '1', '2', '3', '4', '9']],
  ])('sorts by %s and pages through the whole book with a cursor', async (sort, expected) => {
    const seen: string[] = [];
    let after: string | undefined;
    // Every task of the rep: a private view with no built-in window, two a page.
    const created = await call({ method: 'POST', path: '/api/v1/actions/views', body: { name: 'All mine', filters: {} } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const viewId = (created.body as ActionsView).id;
    for (let i = 0; i < 10; i++) {
      const page = await list({ view: viewId, sort, limit: '2', ...(after ? { after } : {}) });
      seen.push(...ids(page));
      after = page.paging?.next.after;
      if (!after) break;
    }
    expect(seen).toEqual(expected);
  });

  it('refuses a cursor made for another sort', async () => {
    const first = await list({ view: 'due-today', limit: '1', sort: 'due' });
    const res = await call({
      path: '/api/v1/actions/tasks',
      query: { view: 'due-today', sort: 'subject', after: first.paging!.next.after },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('BAD_REQUEST');
  });

  it('refuses bad filters, naming each', async () => {
    const res = await call({ path: '/api/v1/actions/tasks', query: { view: 'nope', priority: 'URGENT', dueFrom: '2026-13-45' } });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['view']);
    const res2 = await call({ path: '/api/v1/actions/tasks', query: { priority: 'URGENT', dueFrom: '2026-13-45', sequenceId: 'x' } });
    expect(res2.status).toBe(400);
    expect(res2.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['dueFrom', 'priority.0', 'sequenceId']);
  });

  it("a manager viewing as a rep sees that rep's tasks; a member may not view as someone else", async () => {
    const asRep2 = await list({ view: 'due-today', asUserId: String(REP2) }, MANAGER);
    expect(ids(asRep2)).toEqual(['6']);
    const res = await call({ path: '/api/v1/actions/tasks', query: { asUserId: String(REP2) } });
    expect(res.status).toBe(403);
  });

  it('custom views: private to their creator, shared by managers only, filters applied, delete confirmed', async () => {
    const mine = await call({
      method: 'POST',
      path: '/api/v1/actions/views',
      body: { name: 'High ones', filters: { priority: ['HIGH'] }, sort: '-due' },
    });
    expect(mine.status).toBe(201);
    const view = mine.body as ActionsView;
    expect(view).toMatchObject({
      name: 'High ones',
      shared: false,
      mine: true,
      editable: true,
      filters: { priority: ['HIGH'] },
      sort: '-due',
    });
    expect(ids(await list({ view: view.id }))).toEqual(['4', '1']);
    // Query filters narrow the saved ones.
    expect(ids(await list({ view: view.id, type: 'CALL' }))).toEqual(['1']);

    // Another member neither sees nor uses it.
    const other = await call({ path: '/api/v1/actions/views', userId: REP2 });
    expect(other.body.views).toEqual([]);
    expect((await call({ path: '/api/v1/actions/tasks', query: { view: view.id }, userId: REP2 })).status).toBe(404);

    // Members cannot share; managers can, and only managers edit a shared view.
    expect((await call({ method: 'POST', path: '/api/v1/actions/views', body: { name: 'Team', shared: true } })).status).toBe(403);
    expect((await call({ method: 'PATCH', path: `/api/v1/actions/views/${view.id}`, body: { shared: true } })).status).toBe(403);
    const shared = await call({
      method: 'POST',
      path: '/api/v1/actions/views',
      body: { name: 'Team calls', shared: true, filters: { type: ['CALL'], owner: 'all' } },
      userId: MANAGER,
    });
    expect(shared.status).toBe(201);
    const sharedId = (shared.body as ActionsView).id;
    const seen = (await call({ path: '/api/v1/actions/views', userId: REP2 })).body.views as ActionsView[];
    expect(seen).toEqual([expect.objectContaining({ id: sharedId, shared: true, mine: false, editable: false })]);
    expect(
      (await call({ method: 'PATCH', path: `/api/v1/actions/views/${sharedId}`, body: { name: 'Mine now' }, userId: REP2 })).status,
    ).toBe(403);
    expect(
      (await call({ method: 'DELETE', path: `/api/v1/actions/views/${sharedId}`, body: { confirm: true }, userId: REP2 })).status,
    ).toBe(403);

    // Rename, then delete only with the confirmation field.
    const renamed = await call({ method: 'PATCH', path: `/api/v1/actions/views/${view.id}`, body: { name: 'Highest' } });
    expect(renamed.body).toMatchObject({ name: 'Highest', filters: { priority: ['HIGH'] } });
    const unconfirmed = await call({ method: 'DELETE', path: `/api/v1/actions/views/${view.id}` });
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.body.error.details[0].field).toBe('confirm');
    expect((await call({ method: 'DELETE', path: `/api/v1/actions/views/${view.id}`, body: { confirm: true } })).status).toBe(204);
    expect((await call({ path: '/api/v1/actions/tasks', query: { view: view.id } })).status).toBe(404);
  });

  it('keeps portals apart: another portal sees none of these tasks or views; a portal without the app gets 403', async () => {
    const created = await call({ method: 'POST', path: '/api/v1/actions/views', body: { name: 'Team', shared: true }, userId: MANAGER });
    const viewId = (created.body as ActionsView).id;
    const elsewhere = await call({ path: '/api/v1/actions/tasks', query: { view: 'due-today', owner: 'all' }, portalId: OTHER_PORTAL });
    expect(elsewhere.status).toBe(200);
    expect(elsewhere.body.tasks).toEqual([]);
    expect((await call({ path: '/api/v1/actions/views', portalId: OTHER_PORTAL, userId: MANAGER })).body.views).toEqual([]);
    expect((await call({ path: '/api/v1/actions/tasks', query: { view: viewId }, portalId: OTHER_PORTAL, userId: MANAGER })).status).toBe(
      404,
    );
    expect((await call({ path: '/api/v1/actions/tasks', portalId: 789 })).status).toBe(403);
  });
});
