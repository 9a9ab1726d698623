import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  Dashboard,
  DashboardResponse,
  DashboardsResponse,
  DashboardTeamsResponse,
  SummaryReportsResponse,
  TodayScheduleResponse,
} from '../../contract/summary';
import type { HealthAlertsResponse } from '../../contract/api';
import type { Owner } from '../../crm/types';
import { createCopyRepo, createDatabase, createSettingsRepo, type CopyRecord, type Database } from '../../storage';
import { CUSTOMERS_SETTING } from '../../sync/customer-properties';
import { SYNC_OBJECTS } from '../../sync/objects';
import { stubCrm } from '../../../../tests/helpers/stub-crm';
import { proxiedRequest, type ProxyCall } from '../../../../tests/helpers/hubspot-proxy';
import { TEST_PUBLIC_BASE_URL as PUBLIC, TEST_SECRET as SECRET, testApp } from '../../../../tests/helpers/test-app';

// Today's schedule, the report gallery and the dashboards over a portal copy filled here (the
// gateway stub only answers the owners API, for teams and the health queries).

const NOW = Date.parse('2026-12-04T12:00:00Z'); // a Friday; 13:00 in Paris
const DAY = 86_400_000;
const PORTAL = 123;
const REP = 9001; // owner 501, team Customer Success, Europe/Paris
const REP2 = 9002; // owner 502, team Sales, America/Los_Angeles
const MANAGER = 9999; // owner 503, no team

const OWNERS: Owner[] = [
  {
    id: '501',
    userId: REP,
    email: 'ada@acme.example',
    firstName: 'Ada',
    lastName: 'Rep',
    archived: false,
    teams: [{ id: 't-cs', name: 'Customer Success' }],
  },
  {
    id: '502',
    userId: REP2,
    email: 'bo@acme.example',
    firstName: 'Bo',
    lastName: 'Rep',
    archived: false,
    teams: [{ id: 't-sales', name: 'Sales' }],
  },
  { id: '503', userId: MANAGER, email: 'cy@acme.example', firstName: 'Cy', lastName: 'Boss', archived: false, teams: [] },
];

let db: Database;
let ownersAsked = 0;
const crm = stubCrm(
  {
    owners: async () => {
      ownersAsked++;
      return OWNERS;
    },
  },
  PORTAL,
);
const app = () => testApp({ crm, db, installed: [PORTAL], managers: [MANAGER], now: () => NOW });

function call(c: ProxyCall) {
  const r = proxiedRequest(PUBLIC, SECRET, { portalId: PORTAL, userId: REP, timestamp: NOW, ...c });
  const req = request(app())[r.method.toLowerCase() as 'get'](r.pathAndQuery).set(r.headers);
  return r.body ? req.send(r.body) : req;
}

function record(id: string, p: Record<string, string | null>, over: Partial<CopyRecord> = {}): CopyRecord {
  return {
    id,
    properties: p,
    ownerId: p.hubspot_owner_id ?? null,
    createdAt: new Date(NOW - 100 * DAY),
    modifiedAt: new Date(NOW - DAY),
    dueAt: null,
    pipeline: null,
    stage: null,
    status: null,
    archived: false,
    archivedAt: null,
    mergedInto: null,
    versionMs: 1,
    ...over,
  };
}

const meeting = (id: string, owner: string, start: string, title: string) =>
  record(id, { hs_meeting_title: title, hs_meeting_start_time: start, hubspot_owner_id: owner }, { dueAt: new Date(start) });
const task = (id: string, owner: string, due: string, subject: string, p: Record<string, string | null> = {}) =>
  record(
    id,
    { hs_task_subject: subject, hs_timestamp: due, hubspot_owner_id: owner, hs_task_status: 'NOT_STARTED', ...p },
    { dueAt: new Date(due), status: p.hs_task_status ?? 'NOT_STARTED', modifiedAt: new Date(NOW - DAY) },
  );

beforeAll(async () => {
  db = await createDatabase({});
  const copy = createCopyRepo(db);
  const at = new Date(NOW - DAY);
  await copy.replaceOwners(PORTAL, OWNERS);
  await copy.replaceUsers(PORTAL, [
    { id: 'u1', userId: REP, timeZone: 'Europe/Paris' },
    { id: 'u2', userId: REP2, timeZone: 'America/Los_Angeles' },
  ]);
  await copy.putPortal(PORTAL, { timeZone: 'America/New_York' }, at);
  for (const o of SYNC_OBJECTS) await copy.putSyncState(PORTAL, o.objectType, { state: 'ready', loadStartedAt: at, loadedAt: at }, at);
  await copy.replacePropertyDefinitions(
    PORTAL,
    'companies',
    [{ name: 'renewal_date', label: 'Renewal date', type: 'date', fieldType: 'date' }].map((d) => ({ name: d.name, definition: d })),
  );
  await copy.upsertRecords(
    PORTAL,
    'companies',
    [
      record('1', { name: 'Acme', hubspot_owner_id: '501', renewal_date: '2027-01-15' }),
      record('2', { name: 'Globex', hubspot_owner_id: '501', renewal_date: '2027-01-31' }),
      record('3', { name: 'Initech', hubspot_owner_id: '501', renewal_date: '2026-12-01' }),
      record('4', { name: 'Umbrella', hubspot_owner_id: '502', renewal_date: '2027-01-10' }),
    ],
    at,
  );
  await copy.upsertRecords(
    PORTAL,
    'meetings',
    [
      meeting('801', '501', '2026-12-04T09:00:00Z', 'QBR with Acme'),
      meeting('802', '501', '2026-12-05T09:00:00Z', 'Tomorrow’s call'),
      meeting('803', '502', '2026-12-04T18:00:00Z', 'Bo’s demo'),
      meeting('804', '501', '2026-11-27T09:00:00Z', 'Last week'),
      meeting('805', '502', '2026-12-01T10:00:00Z', 'Bo’s Monday call'),
    ],
    at,
  );
  await copy.upsertRecords(
    PORTAL,
    'tasks',
    [
      task('701', '501', '2026-12-04T15:00:00Z', 'Send the renewal quote'),
      task('702', '501', '2026-12-04T00:00:00.000Z', 'Plan the week', { hs_task_is_all_day: 'true' }),
      task('703', '501', '2026-12-05T08:00:00Z', 'Tomorrow’s task'),
      task('704', '501', '2026-12-04T07:00:00Z', 'Done this morning', {
        hs_task_status: 'COMPLETED',
        hs_task_completion_date: '2026-12-04T07:05:00Z',
      }),
      task('705', '501', '2026-11-25T10:00:00Z', 'Done last week', {
        hs_task_status: 'COMPLETED',
        hs_task_completion_date: '2026-11-25T10:00:00Z',
      }),
    ],
    at,
  );
  await copy.upsertAssociations(
    PORTAL,
    [{ fromType: 'meetings', fromId: '801', toType: 'companies', toId: '1', typeIds: [], labels: [] }],
    at,
  );
  await createSettingsRepo(db).putSetting(
    PORTAL,
    CUSTOMERS_SETTING,
    { objectType: 'companies', csmProperty: 'hubspot_owner_id', renewalDateProperty: 'renewal_date' },
    at,
  );
}, 60_000);

/** Health alerts as a scoring run writes them (owner 501: 30 active and one expired; owner 502: 2). */
async function seedAlerts(): Promise<void> {
  const rows = [
    ...Array.from({ length: 30 }, (_, i) => ({ id: `a-${String(i).padStart(2, '0')}`, owner: '501', hoursAgo: i + 1 })),
    { id: 'a-expired', owner: '501', hoursAgo: 15 * 24 },
    { id: 'b-1', owner: '502', hoursAgo: 2 },
    { id: 'b-2', owner: '502', hoursAgo: 3 },
  ];
  for (const r of rows) {
    const raised = new Date(NOW - r.hoursAgo * 3_600_000);
    await db.query(
      `insert into health_alerts (portal_id, id, profile_id, object_type, object_id, label, owner_id, run_id, from_category, to_category,
                                  raised_at, expires_at, deltas)
       values ($1, $2, 'default', 'companies', $3, $4, $5, 'run-1', 'GOOD', 'AT_RISK', $6, $7, '[]'::jsonb)`,
      [PORTAL, r.id, String(1000 + rows.indexOf(r)), `Customer ${r.id}`, r.owner, raised, new Date(raised.getTime() + 14 * DAY)],
    );
  }
}

afterAll(async () => {
  await db?.close();
});

describe('GET /api/v1/health/alerts past 25 (CS-SUM-1)', () => {
  it('pages the user’s 30 active alerts 25 at a time, newest first, without repeats; view-as pages another user’s', async () => {
    await seedAlerts();
    const first = await call({ path: '/api/v1/health/alerts' });
    expect(first.status).toBe(200);
    const page1 = first.body as HealthAlertsResponse;
    expect(page1.alerts).toHaveLength(25);
    expect(page1.alerts[0]!.id).toBe('a-00');
    expect(page1.paging?.next.after).toBeTruthy();
    const page2 = (await call({ path: '/api/v1/health/alerts', query: { after: page1.paging!.next.after } })).body as HealthAlertsResponse;
    expect(page2.alerts.map((a) => a.id)).toEqual(['a-25', 'a-26', 'a-27', 'a-28', 'a-29']);
    expect(page2.paging).toBeUndefined();
    const all = [...page1.alerts, ...page2.alerts].map((a) => a.id);
    expect(new Set(all).size).toBe(30);
    expect(all).not.toContain('a-expired');
    const bo = (await call({ path: '/api/v1/health/alerts', userId: MANAGER, query: { asUserId: String(REP2) } }))
      .body as HealthAlertsResponse;
    expect(bo.alerts.map((a) => a.id)).toEqual(['b-1', 'b-2']);
  });
});

describe('GET /api/v1/summary/schedule (CS-SUM-4)', () => {
  it('lists today’s meetings and tasks of the user in their zone, in time order, with what they are about', async () => {
    const res = await call({ path: '/api/v1/summary/schedule' });
    expect(res.status).toBe(200);
    const body = res.body as TodayScheduleResponse;
    expect([body.date, body.timeZone]).toEqual(['2026-12-04', 'Europe/Paris']);
    expect(body.items.map((i) => [i.kind, i.title, i.startsAt, i.done])).toEqual([
      ['task', 'Plan the week', '2026-12-03T23:00:00.000Z', false],
      ['task', 'Done this morning', '2026-12-04T07:00:00.000Z', true],
      ['meeting', 'QBR with Acme', '2026-12-04T09:00:00.000Z', false],
      ['task', 'Send the renewal quote', '2026-12-04T15:00:00.000Z', false],
    ]);
    expect(body.items[2]!.associations).toEqual([{ objectType: 'companies', objectId: '1', label: 'Acme' }]);
    expect(body.dataAsOf).toBeTruthy();
  });

  it('shows a manager another user’s day (view as), and refuses view-as to members', async () => {
    const res = await call({ path: '/api/v1/summary/schedule', userId: MANAGER, query: { asUserId: String(REP2) } });
    expect(res.status).toBe(200);
    expect((res.body as TodayScheduleResponse).timeZone).toBe('America/Los_Angeles');
    expect((res.body as TodayScheduleResponse).items.map((i) => i.title)).toEqual(['Bo’s demo']);
    const refused = await call({ path: '/api/v1/summary/schedule', userId: REP, query: { asUserId: String(REP2) } });
    expect(refused.status).toBe(403);
  });

  it('says why the schedule is empty for a user who is not an owner', async () => {
    const res = await call({ path: '/api/v1/summary/schedule', userId: 4444 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ items: [], partial: true, warnings: [expect.stringContaining('not a HubSpot owner')] });
  });
});

describe('/api/v1/summary/reports (CS-SUM-6)', () => {
  it('offers the gallery and computes the default reports from the copy', async () => {
    const res = await call({ path: '/api/v1/summary/reports' });
    expect(res.status).toBe(200);
    const body = res.body as SummaryReportsResponse;
    expect(body.gallery.map((g) => g.id)).toContain('activity-per-csm');
    expect(body.chosen).toEqual(['customers-by-health', 'renewals-by-month', 'tasks-completed-per-week']);
    const renewals = body.reports.find((r) => r.id === 'renewals-by-month')!;
    // Ada's renewals: Dec 2026 (Initech) and two in Jan 2027; Bo's Umbrella is not hers.
    expect(renewals.rows.slice(0, 3)).toEqual([
      { month: '2026-12', renewals: 1 },
      { month: '2027-01', renewals: 2 },
      { month: '2027-02', renewals: 0 },
    ]);
    expect(renewals.rows).toHaveLength(12);
    const done = body.reports.find((r) => r.id === 'tasks-completed-per-week')!;
    expect(done.rows.slice(-2)).toEqual([
      { week: '2026-11-23', tasks: 1 },
      { week: '2026-11-30', tasks: 1 },
    ]);
    expect(body.reports.find((r) => r.id === 'customers-by-health')!.rows.map((r) => r.category)).toEqual(['At risk', 'Neutral', 'Good']);
  });

  it('saves up to five reports and HubSpot links per user, refusing more and links out of HubSpot field by field', async () => {
    const tooMany = await call({
      method: 'PUT',
      path: '/api/v1/summary/reports',
      body: {
        chosen: [
          'customers-by-health',
          'health-trend-30-days',
          'renewals-by-month',
          'tasks-completed-per-week',
          'activity-per-csm',
          'meetings-per-week',
        ],
        hubspotLinks: [],
      },
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.details).toEqual([expect.objectContaining({ field: 'chosen' })]);
    const badLink = await call({
      method: 'PUT',
      path: '/api/v1/summary/reports',
      body: { chosen: ['activity-per-csm'], hubspotLinks: [{ label: 'Mine', url: 'https://evil.example/x' }] },
    });
    expect(badLink.status).toBe(400);
    expect(badLink.body.error.details).toEqual([expect.objectContaining({ field: 'hubspotLinks.0.url' })]);

    const link = { label: 'My pipeline report', url: 'https://app.hubspot.com/reports-list/123/42' };
    const saved = await call({
      method: 'PUT',
      path: '/api/v1/summary/reports',
      body: { chosen: ['activity-per-csm', 'meetings-per-week'], hubspotLinks: [link] },
    });
    expect(saved.status).toBe(200);
    const again = (await call({ path: '/api/v1/summary/reports' })).body as SummaryReportsResponse;
    expect(again.chosen).toEqual(['activity-per-csm', 'meetings-per-week']);
    expect(again.hubspotLinks).toEqual([link]);
    // Engagements of the last 30 days up to now: Ada has 2 meetings (Dec 4, Nov 27), Bo 1 (his demo tonight is still to come).
    expect(again.reports[0]!.rows).toEqual([
      { csm: 'Ada Rep', activities: 2 },
      { csm: 'Bo Rep', activities: 1 },
    ]);
    expect(again.reports[1]!.rows.slice(-2)).toEqual([
      { week: '2026-11-23', meetings: 1 },
      { week: '2026-11-30', meetings: 1 },
    ]);
    // Another user keeps the defaults.
    expect(((await call({ path: '/api/v1/summary/reports', userId: REP2 })).body as SummaryReportsResponse).chosen).toHaveLength(3);
  });

  it('shows a manager the reports of the user viewed, and keeps that user’s choice theirs', async () => {
    const viewed = await call({ path: '/api/v1/summary/reports', userId: MANAGER, query: { asUserId: String(REP) } });
    expect((viewed.body as SummaryReportsResponse).chosen).toEqual(['activity-per-csm', 'meetings-per-week']);
    const refused = await call({
      method: 'PUT',
      path: '/api/v1/summary/reports',
      userId: MANAGER,
      query: { asUserId: String(REP) },
      body: { chosen: [], hubspotLinks: [] },
    });
    expect(refused.status).toBe(403);
  });
});

describe('/api/v1/dashboards (CS-DASH-1, SW-5)', () => {
  const input = {
    name: 'CS weekly',
    reportIds: ['renewals-by-month', 'activity-per-csm'],
    hubspotLinks: [{ label: 'Service dashboard', url: 'https://app.hubspot.com/reports-dashboard/123/view/77' }],
    access: { kind: 'teams', teamIds: ['t-cs'] },
    confirmViewAccess: true,
  };

  it('lists the teams of the portal with their members, from HubSpot’s owners as the copy keeps them', async () => {
    const asked = ownersAsked;
    const res = await call({ path: '/api/v1/teams' });
    expect(ownersAsked).toBe(asked); // the copy's owners and teams: no HubSpot call
    expect((res.body as DashboardTeamsResponse).teams).toEqual([
      { id: 't-cs', name: 'Customer Success', members: [{ userId: REP, name: 'Ada Rep' }] },
      { id: 't-sales', name: 'Sales', members: [{ userId: REP2, name: 'Bo Rep' }] },
    ]);
  });

  it('adds a dashboard only once the adder confirms view access, and only for teams that exist', async () => {
    const unconfirmed = await call({ method: 'POST', path: '/api/v1/dashboards', body: { ...input, confirmViewAccess: false } });
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.body.error.details).toEqual([expect.objectContaining({ field: 'confirmViewAccess' })]);
    const unknownTeam = await call({
      method: 'POST',
      path: '/api/v1/dashboards',
      body: { ...input, access: { kind: 'teams', teamIds: ['t-x'] } },
    });
    expect(unknownTeam.status).toBe(400);
    expect(unknownTeam.body.error.details).toEqual([expect.objectContaining({ field: 'access.teamIds.0' })]);
    const empty = await call({ method: 'POST', path: '/api/v1/dashboards', body: { ...input, reportIds: [], hubspotLinks: [] } });
    expect(empty.status).toBe(400);
    const noName = await call({ method: 'POST', path: '/api/v1/dashboards', body: { ...input, name: ' ' } });
    expect(noName.body.error.details).toEqual([expect.objectContaining({ field: 'name' })]);
    expect(((await call({ path: '/api/v1/dashboards' })).body as DashboardsResponse).dashboards).toEqual([]);
  });

  it('shares a dashboard with its teams only; opens it with its reports; deletes it after confirmation', async () => {
    const created = await call({ method: 'POST', path: '/api/v1/dashboards', body: input });
    expect(created.status).toBe(201);
    const d = (created.body as { dashboard: Dashboard }).dashboard;
    expect(d).toMatchObject({
      name: 'CS weekly',
      access: { kind: 'teams', teamIds: ['t-cs'] },
      createdBy: { userId: REP, name: 'Ada Rep' },
      deletable: true,
    });

    const names = async (userId: number, query: Record<string, string> = {}) =>
      ((await call({ path: '/api/v1/dashboards', userId, query })).body as DashboardsResponse).dashboards.map((x) => x.name);
    expect(await names(REP)).toEqual(['CS weekly']);
    expect(await names(REP2)).toEqual([]);
    expect(await names(MANAGER)).toEqual(['CS weekly']);
    // A manager viewing as Bo sees what Bo sees.
    expect(await names(MANAGER, { asUserId: String(REP2) })).toEqual([]);
    expect((await call({ path: `/api/v1/dashboards/${d.id}`, userId: REP2 })).status).toBe(404);

    const opened = (await call({ path: `/api/v1/dashboards/${d.id}` })).body as DashboardResponse;
    expect(opened.reports.map((r) => r.id)).toEqual(['renewals-by-month', 'activity-per-csm']);
    expect(opened.dashboard.hubspotLinks).toEqual(input.hubspotLinks);

    const everyone = await call({
      method: 'POST',
      path: '/api/v1/dashboards',
      userId: REP2,
      body: { ...input, name: 'For all', access: { kind: 'everyone' } },
    });
    expect(everyone.status).toBe(201);
    expect(await names(REP)).toEqual(['CS weekly', 'For all']);
    expect(((await call({ path: '/api/v1/dashboards' })).body as DashboardsResponse).dashboards[1]!.deletable).toBe(false);

    expect((await call({ method: 'DELETE', path: `/api/v1/dashboards/${d.id}`, userId: REP2, body: { confirm: true } })).status).toBe(403);
    expect((await call({ method: 'DELETE', path: `/api/v1/dashboards/${d.id}`, body: { confirm: false } })).status).toBe(400);
    expect((await call({ method: 'DELETE', path: `/api/v1/dashboards/${d.id}`, body: { confirm: true } })).status).toBe(204);
    expect(await names(REP)).toEqual(['For all']);
    expect((await call({ method: 'DELETE', path: `/api/v1/dashboards/${d.id}`, body: { confirm: true } })).status).toBe(404);
    expect((await call({ path: '/api/v1/dashboards/not-an-id' })).status).toBe(400);
  });
});
