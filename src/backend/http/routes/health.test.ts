import { pino } from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import type {
  HealthAlertsResponse,
  HealthCustomersResponse,
  HealthProfileResponse,
  HealthProfilesResponse,
  HealthRecordResponse,
  HealthSummaryResponse,
} from '../../contract/api';
import { createCrmGateway, type CrmGateway } from '../../crm/gateway';
import { createHealthScheduler, type HealthScheduler } from '../../jobs/health-scheduler';
import { startSandbox, type Sandbox } from '@tiller/hubspot-sandbox';
import { createDatabase, type Database } from '../../storage';
import { proxiedRequest, type ProxyCall } from '../../../../tests/helpers/hubspot-proxy';
import { TEST_PUBLIC_BASE_URL as PUBLIC, TEST_SECRET as SECRET, testApp } from '../../../../tests/helpers/test-app';
import { loadHealthCopy, LIFTED_LIMITS, LIFTED_SANDBOX_LIMITS } from '../../../../tests/helpers/copy';

// End to end against the sandbox's small demo portal, read through the portal copy: zero setup, a
// run with 30 days of history backfilled from the copy, the four reads, profile CRUD with
// versions, the dry run.

let sb: Sandbox;
let crm: CrmGateway;
let db: Database;
let scheduler: HealthScheduler;
let app: Express;
let portalId: number;
let rep: number; // Hugo, the biggest book
let manager: number; // Camille, super admin

function call(c: ProxyCall) {
  const r = proxiedRequest(PUBLIC, SECRET, { portalId, userId: rep, ...c });
  const req = request(app)[r.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete'](r.pathAndQuery).set(r.headers);
  return r.body ? req.send(r.body) : req;
}

beforeAll(async () => {
  sb = await startSandbox({ port: 0, seed: 1, size: 'small', rateLimit: LIFTED_SANDBOX_LIMITS });
  const portal = sb.portals[0]!;
  portalId = portal.id;
  rep = Number(portal.users.find((u) => u.firstName === 'Hugo')!.id);
  manager = Number(portal.users.find((u) => u.superAdmin)!.id);
  crm = createCrmGateway({
    basePath: sb.url,
    tokens: { accessToken: async (id) => (id === portalId ? portal.accessToken : null) },
    limits: LIFTED_LIMITS,
  });
  db = await createDatabase({});
  const logger = pino({ level: 'silent' });
  await loadHealthCopy({ db, crm, portalId });
  scheduler = createHealthScheduler({
    db,
    crm,
    logger,
    now: Date.now,
    portals: async () => [portalId],
    intervalMinutes: 360,
    backfillDays: 30,
  });
  app = testApp({ crm, db, logger, installed: [portalId], managers: [manager], healthScheduler: scheduler });
}, 180_000);

afterAll(async () => {
  await scheduler?.stop();
  await crm?.close();
  await db?.close();
  await sb?.close();
});

describe('health API on the demo portal', () => {
  it('creates the default profile from what the portal has on the first request', async () => {
    const res = await call({ path: '/api/v1/health/profiles' });
    expect(res.status).toBe(200);
    const body = res.body as HealthProfilesResponse;
    expect(body.profiles).toEqual([expect.objectContaining({ id: 'default', version: 1, isDefault: true, objectType: 'companies' })]);
    const one = (await call({ path: '/api/v1/health/profiles/default' })).body as HealthProfileResponse;
    expect(one.profile.groups.map((g) => g.id)).toEqual(['engagement', 'support', 'deals', 'renewal', 'csm-sentiment', 'nps']);
    const renewal = one.profile.groups.find((g) => g.id === 'renewal')!.criteria[0]!;
    expect(renewal).toMatchObject({ kind: 'renewal', property: 'renewal_date' });
  });

  it('answers partial while the first run is still going, then scores every company on demand', async () => {
    const early = (await call({ path: '/api/v1/health/summary' })).body as HealthSummaryResponse;
    expect(early.partial).toBe(true);
    expect(early.warnings?.join(' ')).toMatch(/first time/);
    expect((await call({ method: 'POST', path: '/api/v1/health/runs' })).status).toBe(403);
    const started = await call({ method: 'POST', path: '/api/v1/health/runs', userId: manager });
    expect(started.status).toBe(202);
    const runId = (started.body as { runId: string }).runId;
    await scheduler.idle();
    const run = await call({ path: `/api/v1/health/runs/${runId}` });
    expect(run.body).toMatchObject({ id: runId, status: 'done', total: 200, scored: 200 });
    // From the copy: no search; the only calls are the backfill's property history (batch reads of 50,
    // for the companies modified in its 30 days), stored in the copy for any later backfill.
    const stats = (run.body as { stats: { searches: number; general: number; calls: object; historyRecords: number } }).stats;
    expect(stats.historyRecords).toBeGreaterThan(0);
    expect(stats).toMatchObject({ searches: 0, general: Math.ceil(stats.historyRecords / 50) });
    expect(stats.calls).toEqual({ batch: stats.general });
  }, 120_000);

  it('summarises the rep’s customers: three categories, ten bins, 30+ days of history', async () => {
    const res = await call({ path: '/api/v1/health/summary' });
    expect(res.status).toBe(200);
    const s = res.body as HealthSummaryResponse;
    expect(s.partial).toBeUndefined();
    expect(s.profileId).toBe('default');
    expect(s.customers).toBeGreaterThan(10);
    for (const c of ['AT_RISK', 'NEUTRAL', 'GOOD'] as const) expect(s.categories[c].count).toBeGreaterThan(0);
    expect(s.distribution).toHaveLength(10);
    expect(s.distribution.reduce((n, b) => n + b.count, 0)).toBe(s.customers);
    expect(s.history.length).toBeGreaterThanOrEqual(30);
    // The 30 past days were backfilled (marked); today's point is the run's own.
    expect(s.history.filter((h) => h.backfilled).length).toBeGreaterThanOrEqual(29);
    expect(s.history.at(-1)!.backfilled).toBeUndefined();
    expect(s.dataAsOf).toEqual(expect.any(String));
    expect(s.syncing).toBeUndefined();
    const portal = (await call({ path: '/api/v1/health/summary', query: { scope: 'portal' }, userId: manager }))
      .body as HealthSummaryResponse;
    expect(portal.customers).toBe(200);
    expect((await call({ path: '/api/v1/health/summary', query: { scope: 'portal' } })).status).toBe(403);
  });

  it('drills down into a category and explains one record from its snapshot', async () => {
    const res = await call({ path: '/api/v1/health/customers', query: { category: 'AT_RISK', limit: '3' } });
    const list = res.body as HealthCustomersResponse;
    expect(list.customers.length).toBe(3);
    expect(list.customers.every((c) => c.category === 'AT_RISK')).toBe(true);
    expect(list.paging?.next.after).toBeTruthy();
    const next = (
      await call({ path: '/api/v1/health/customers', query: { category: 'AT_RISK', limit: '3', after: list.paging!.next.after } })
    ).body as HealthCustomersResponse;
    expect(next.customers.map((c) => c.objectId)).not.toContain(list.customers[0]!.objectId);

    const first = list.customers[0]!;
    const rec = (await call({ path: `/api/v1/health/records/companies/${first.objectId}` })).body as HealthRecordResponse;
    expect(rec).toMatchObject({
      objectType: 'companies',
      objectId: first.objectId,
      score: first.score,
      category: 'AT_RISK',
      profileVersion: 1,
    });
    expect(rec.groups.reduce((n, g) => n + g.maxPoints, 0)).toBe(100);
    expect(rec.criteria.length).toBeGreaterThan(5);
    expect(rec.criteria.every((c) => typeof c.facts.reason === 'string')).toBe(true);
    // The card's trend: the backfilled history gives an earlier stored score.
    expect(rec.previous).toEqual({ score: expect.any(Number), computedAt: expect.any(String) });
    expect(Date.parse(rec.previous!.computedAt)).toBeLessThan(Date.parse(rec.computedAt));
  });

  it("a health record's numbers add up: a group without data shows maxPoints 0 and excluded, the others their re-scaled share", async () => {
    const list = ((await call({ path: '/api/v1/health/customers', query: { limit: '100' } })).body as HealthCustomersResponse).customers;
    const records = await Promise.all(
      list.map(async (c) => (await call({ path: `/api/v1/health/records/companies/${c.objectId}` })).body as HealthRecordResponse),
    );
    const tenths = (xs: number[]) => Math.round(xs.reduce((a, b) => a + b, 0) * 10);
    for (const rec of records) {
      expect(tenths(rec.groups.map((g) => g.score))).toBe(rec.score * 10);
      expect(tenths(rec.groups.map((g) => g.maxPoints))).toBe(1000);
      for (const g of rec.groups) if (g.excluded) expect(g).toEqual({ id: g.id, label: g.label, maxPoints: 0, score: 0, excluded: true });
    }
    // The demo portal has companies without NPS or CSM-sentiment data: their groups are excluded.
    const excluded = records.filter((r) => r.groups.some((g) => g.excluded));
    expect(excluded.length).toBeGreaterThan(0);
    const one = excluded[0]!;
    expect(one.groups.filter((g) => !g.excluded).every((g) => Number.isInteger(g.maxPoints * 10) && g.maxPoints > 0)).toBe(true);
  });

  it('computes a record from the copy when no snapshot exists', async () => {
    const base = ((await call({ path: '/api/v1/health/profiles/default' })).body as HealthProfileResponse).profile;
    const created = await call({
      method: 'POST',
      path: '/api/v1/health/profiles',
      userId: manager,
      body: { profile: { ...base, name: 'Unscored' } },
    });
    const id = (created.body as HealthProfileResponse).profile.id;
    const any = ((await call({ path: '/api/v1/health/customers', query: { limit: '1' } })).body as HealthCustomersResponse).customers[0]!;
    const before = Date.now();
    const live = await call({ path: `/api/v1/health/records/companies/${any.objectId}`, query: { profileId: id } });
    expect(live.status).toBe(200);
    const rec = live.body as HealthRecordResponse;
    expect(rec.profileId).toBe(id);
    expect(new Date(rec.computedAt).getTime()).toBeGreaterThanOrEqual(before - 1000);
    // Same data, same criteria: the live score matches the stored one give or take what moved since.
    expect(Math.abs(rec.score - any.score)).toBeLessThanOrEqual(10);
    expect((await call({ path: '/api/v1/health/records/companies/999999999', query: { profileId: id } })).status).toBe(404);
    expect((await call({ path: '/api/v1/health/records/contacts/1' })).status).toBe(404);
    expect((await call({ path: '/api/v1/health/records/deals/1' })).status).toBe(400);
    expect((await call({ path: '/api/v1/health/records/companies/abc' })).status).toBe(400);
    expect((await call({ method: 'DELETE', path: `/api/v1/health/profiles/${id}`, userId: manager })).status).toBe(204);
  });

  it('lists active alerts newest first, paged', async () => {
    const res = await call({ path: '/api/v1/health/alerts', query: { limit: '2' } });
    expect(res.status).toBe(200);
    const body = res.body as HealthAlertsResponse;
    for (const a of body.alerts) {
      expect(new Date(a.expiresAt).getTime() - new Date(a.raisedAt).getTime()).toBe(14 * 86_400_000);
      expect(a.from).not.toBe(a.to);
    }
    if (body.paging) {
      const next = (await call({ path: '/api/v1/health/alerts', query: { limit: '2', after: body.paging.next.after } }))
        .body as HealthAlertsResponse;
      expect(next.alerts[0]!.raisedAt <= body.alerts[1]!.raisedAt).toBe(true);
    }
    expect((await call({ path: '/api/v1/health/alerts', query: { after: 'nonsense' } })).status).toBe(400);
  });

  it('creates, versions, previews and deletes profiles (managers only)', async () => {
    const base = ((await call({ path: '/api/v1/health/profiles/default' })).body as HealthProfileResponse).profile;
    const draft = { ...base, name: 'Strict', thresholds: { atRiskBelow: 60, goodFrom: 85 } };
    expect((await call({ method: 'POST', path: '/api/v1/health/profiles', body: { profile: draft } })).status).toBe(403);
    const created = await call({ method: 'POST', path: '/api/v1/health/profiles', userId: manager, body: { profile: draft } });
    expect(created.status).toBe(201);
    const id = (created.body as HealthProfileResponse).profile.id;
    expect((created.body as HealthProfileResponse).profile.version).toBe(1);

    const bad = await call({
      method: 'PUT',
      path: `/api/v1/health/profiles/${id}`,
      userId: manager,
      body: { profile: { ...draft, groups: [] }, expectedVersion: 1 },
    });
    expect(bad.status).toBe(400);
    const ok = await call({
      method: 'PUT',
      path: `/api/v1/health/profiles/${id}`,
      userId: manager,
      body: { profile: { ...draft, name: 'Stricter' }, expectedVersion: 1 },
    });
    expect(ok.status).toBe(200);
    expect((ok.body as HealthProfileResponse).profile).toMatchObject({ id, version: 2, name: 'Stricter' });
    const stale = await call({
      method: 'PUT',
      path: `/api/v1/health/profiles/${id}`,
      userId: manager,
      body: { profile: draft, expectedVersion: 1 },
    });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ error: { code: 'CONFLICT', details: { currentVersion: 2 } } });

    const preview = await call({
      method: 'POST',
      path: '/api/v1/health/profiles/default/preview',
      userId: manager,
      body: { profile: draft },
    });
    expect(preview.status).toBe(200);
    const p = preview.body as {
      before: { customers: number };
      after: { customers: number; categories: Record<string, { count: number }> };
      changed: unknown[];
    };
    expect(p.before.customers).toBe(200);
    expect(p.after.customers).toBe(200);
    expect(p.changed.length).toBeGreaterThan(0);
    const fresh = await call({ method: 'POST', path: '/api/v1/health/profiles/new/preview', userId: manager, body: { profile: draft } });
    expect(fresh.status).toBe(200);

    expect((await call({ method: 'DELETE', path: '/api/v1/health/profiles/default', userId: manager })).status).toBe(409);
    expect((await call({ method: 'DELETE', path: `/api/v1/health/profiles/${id}` })).status).toBe(403);
    expect((await call({ method: 'DELETE', path: `/api/v1/health/profiles/${id}`, userId: manager })).status).toBe(204);
    expect((await call({ path: `/api/v1/health/profiles/${id}` })).status).toBe(404);
  });
});
