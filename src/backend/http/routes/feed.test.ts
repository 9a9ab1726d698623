// The Feed tab's endpoints over the portal copy, on PGlite and PostgreSQL: the feed of the
// contacts of the user's companies (0 HubSpot calls), paging, filters and per-user dismissals.
import request from 'supertest';
import { beforeEach, expect, it } from 'vitest';
import type { Express } from 'express';
import type { FeedResponse } from '../../contract/feed';
import type { CrmGateway } from '../../crm/gateway';
import { createCopyRepo, type CopyRecord, type Database } from '../../storage';
import { describeEachDatabase, truncateAll } from '../../storage/testing';
import { proxiedRequest, type ProxyCall } from '../../../../tests/helpers/hubspot-proxy';
import { TEST_PUBLIC_BASE_URL as PUBLIC, TEST_SECRET as SECRET, testApp } from '../../../../tests/helpers/test-app';

const NOW = Date.parse('2026-03-10T12:00:00Z');
const H = 3_600_000;
const ago = (hours: number) => new Date(NOW - hours * H).toISOString();
const PORTAL = 123;
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

function record(id: string, p: Record<string, string | null>, extra: Partial<CopyRecord> = {}): CopyRecord {
  return {
    id,
    properties: p,
    ownerId: p.hubspot_owner_id ?? null,
    createdAt: new Date(NOW - 200 * H),
    modifiedAt: new Date(NOW - 200 * H),
    dueAt: p.hs_timestamp ? new Date(p.hs_timestamp) : null,
    pipeline: null,
    stage: null,
    status: null,
    archived: false,
    archivedAt: null,
    mergedInto: null,
    versionMs: 1,
    ...extra,
  };
}

async function seed(db: Database): Promise<void> {
  const copy = createCopyRepo(db);
  const at = new Date(NOW);
  await copy.replaceOwners(PORTAL, [
    { id: '501', userId: REP, email: 'ada@x', firstName: 'Ada', lastName: 'Rep', archived: false },
    { id: '502', userId: REP2, email: 'bo@x', firstName: 'Bo', lastName: 'Seller', archived: false },
  ]);
  await copy.upsertRecords(
    PORTAL,
    'companies',
    [record('31', { name: 'Acme Inc', hubspot_owner_id: '501' }), record('32', { name: 'Globex', hubspot_owner_id: '502' })],
    at,
  );
  await copy.upsertRecords(
    PORTAL,
    'contacts',
    [
      record('1', { firstname: 'Ann', lastname: 'Lee', hs_sales_email_last_opened: ago(1), hs_sequences_is_enrolled: 'true' }),
      record('2', { firstname: 'Zoe', lastname: 'Park', recent_conversion_date: ago(5), hs_sales_email_last_clicked: ago(2) }),
      // Globex's contact: Bo's feed, not Ada's.
      record('3', { firstname: 'Gil', lastname: 'Globex', hs_sales_email_last_opened: ago(1) }),
    ],
    at,
  );
  await copy.upsertRecords(
    PORTAL,
    'emails',
    [record('100', { hs_email_direction: 'INCOMING_EMAIL', hs_email_subject: 'Re: renewal', hs_timestamp: ago(3) })],
    at,
  );
  await copy.upsertRecords(PORTAL, 'calls', [record('300', { hs_call_title: 'Intro call', hs_timestamp: ago(4) })], at);
  await copy.upsertRecords(
    PORTAL,
    'meetings',
    [
      record(
        '200',
        { hs_meeting_title: 'Demo', hs_meeting_start_time: ago(-24), hs_timestamp: ago(-24) },
        { createdAt: new Date(NOW - 6 * H) },
      ),
    ],
    at,
  );
  await copy.upsertAssociations(
    PORTAL,
    [
      { fromType: 'contacts', fromId: '1', toType: 'companies', toId: '31', typeIds: [1], labels: [] },
      // Stored from the company's side: found all the same.
      { fromType: 'companies', fromId: '31', toType: 'contacts', toId: '2', typeIds: [280], labels: [] },
      { fromType: 'contacts', fromId: '3', toType: 'companies', toId: '32', typeIds: [1], labels: [] },
      { fromType: 'emails', fromId: '100', toType: 'contacts', toId: '1', typeIds: [198], labels: [] },
      { fromType: 'calls', fromId: '300', toType: 'contacts', toId: '2', typeIds: [194], labels: [] },
      { fromType: 'meetings', fromId: '200', toType: 'contacts', toId: '1', typeIds: [200], labels: [] },
    ],
    at,
  );
  await copy.putSyncState(
    PORTAL,
    'contacts',
    { state: 'ready', records: 3, loadStartedAt: new Date(NOW - 60_000), lastPolledAt: new Date(NOW - 30_000) },
    at,
  );
}

describeEachDatabase('feed API', (getDb) => {
  let app: Express;
  const call = (c: ProxyCall) => {
    const r = proxiedRequest(PUBLIC, SECRET, { portalId: PORTAL, userId: REP, timestamp: NOW, ...c });
    const req = request(app)[r.method.toLowerCase() as 'get' | 'post' | 'delete'](r.pathAndQuery).set(r.headers);
    return r.body ? req.send(r.body) : req;
  };
  const feed = async (query: Record<string, string> = {}, as: Partial<ProxyCall> = {}) => {
    const res = await call({ path: '/api/v1/feed', query, ...as });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.headers['x-tiller-hubspot-calls']).toBe('0');
    return res.body as FeedResponse;
  };
  const ids = (b: FeedResponse) => b.items.map((i) => i.id);
  const ALL = [`open:1:${NOW - H}`, `click:2:${NOW - 2 * H}`, 'email:100', 'call:300', `form:2:${NOW - 5 * H}`, 'meeting:200'];

  beforeEach(async () => {
    await truncateAll(getDb());
    await seed(getDb());
    hubspotCalls = 0;
    app = testApp({ crm: noHubSpot, db: getDb(), installed: [PORTAL], managers: [MANAGER], now: () => NOW, exposeMetering: true });
  });

  it("lists the activity of the contacts of the rep's companies, newest first, from the copy", async () => {
    const body = await feed();
    expect(ids(body)).toEqual(ALL);
    expect(body.total).toBe(6);
    expect(body.contacts).toBe(2);
    expect(body.paging).toBeUndefined();
    expect(body.dataAsOf).toBe(new Date(NOW - 30_000).toISOString());
    expect(body.items[2]).toEqual({
      id: 'email:100',
      type: 'reply',
      occurredAt: ago(3),
      title: 'Ann Lee replied to an email',
      detail: 'Re: renewal',
      contact: { objectType: 'contacts', objectId: '1', label: 'Ann Lee' },
      company: { objectType: 'companies', objectId: '31', label: 'Acme Inc' },
      inSequence: true,
      engagement: { objectType: 'emails', objectId: '100' },
    });
    expect(ids(await feed({}, { userId: REP2 }))).toEqual([`open:3:${NOW - H}`]);
    expect(hubspotCalls).toBe(0);
  });

  it('loads older items with the cursor until the end', async () => {
    const first = await feed({ limit: '4' });
    expect(ids(first)).toEqual(ALL.slice(0, 4));
    const second = await feed({ limit: '4', after: first.paging!.next.after });
    expect(ids(second)).toEqual(ALL.slice(4));
    expect(second.paging).toBeUndefined();
  });

  it('searches and filters by activity type and sequence enrolment', async () => {
    expect(ids(await feed({ types: 'open,click' }))).toEqual(ALL.slice(0, 2));
    expect(ids(await feed({ sequence: 'enrolled' }))).toEqual([`open:1:${NOW - H}`, 'email:100', 'meeting:200']);
    expect(ids(await feed({ sequence: 'not-enrolled', types: 'form,call' }))).toEqual(['call:300', `form:2:${NOW - 5 * H}`]);
    expect(ids(await feed({ q: 'zoe intro' }))).toEqual(['call:300']);
    expect((await feed({ q: 'nobody' })).total).toBe(0);
  });

  it('dismisses an item for the rep only, for good, and restores it', async () => {
    const dismiss = await call({ method: 'POST', path: '/api/v1/feed/dismissals', body: { itemId: 'email:100' } });
    expect(dismiss.status).toBe(204);
    // Twice is fine.
    expect((await call({ method: 'POST', path: '/api/v1/feed/dismissals', body: { itemId: 'email:100' } })).status).toBe(204);
    const after = await feed();
    expect(ids(after)).toEqual(ALL.filter((id) => id !== 'email:100'));
    expect(after.total).toBe(5);
    // Another user following the same contact (the manager viewing as the rep sees the rep's dismissals).
    const asRep = await feed({ asUserId: String(REP) }, { userId: MANAGER });
    expect(ids(asRep)).not.toContain('email:100');
    // The manager cannot change the rep's dismissals.
    const refused = await call({
      method: 'POST',
      path: '/api/v1/feed/dismissals',
      query: { asUserId: String(REP) },
      userId: MANAGER,
      body: { itemId: 'call:300' },
    });
    expect(refused.status).toBe(403);
    expect(await feed()).toMatchObject({ total: 5 });

    expect((await call({ method: 'DELETE', path: '/api/v1/feed/dismissals/email:100' })).status).toBe(204);
    expect(ids(await feed())).toEqual(ALL);
    expect((await call({ method: 'DELETE', path: '/api/v1/feed/dismissals/email:100' })).status).toBe(404);
  });

  it.each([
    ['types', { types: 'open,visit' }],
    ['sequence', { sequence: 'maybe' }],
    ['limit', { limit: '500' }],
    ['after', { after: 'bm9wZQ' }],
  ])('refuses a bad %s with a field-level 400', async (field, query) => {
    const res = await call({ path: '/api/v1/feed', query });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([expect.objectContaining({ field: expect.stringMatching(new RegExp(`^${field}`)) })]);
  });

  it('refuses to dismiss something that is not a feed item id', async () => {
    const res = await call({ method: 'POST', path: '/api/v1/feed/dismissals', body: { itemId: 'drop table' } });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([expect.objectContaining({ field: 'itemId' })]);
  });
});
