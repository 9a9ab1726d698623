// SW-2 over the copy of a generated sandbox portal, on PGlite and PostgreSQL: one card per sequence
// of the rep's open sequence tasks, matched to the portal's real enrollments; enrollments never
// seen cost at most 10 HubSpot calls a request, and none once every one is known.
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { Express } from 'express';
import { startSandbox, type Fixture, type Sandbox } from '@tiller/hubspot-sandbox';
import { generatePortal } from '@tiller/hubspot-sandbox/generator';
import type { SequenceCardsResponse } from '../../contract/sequences';
import { createCrmGateway, type CrmGateway } from '../../crm/gateway';
import { LOADING_NAME, UNKNOWN_NAME } from '../../engines/sequence-cards';
import { pino } from 'pino';
import { createSequenceResolver, RESOLVE_PER_REQUEST, type SequenceResolver } from '../../services/sequences';
import { createInstallationsRepo } from '../../storage';
import { describeEachDatabase, truncateAll } from '../../storage/testing';
import { loadCopy, LIFTED_LIMITS, LIFTED_SANDBOX_LIMITS } from '../../../../tests/helpers/copy';
import { proxiedRequest, type ProxyCall } from '../../../../tests/helpers/hubspot-proxy';
import { TEST_PUBLIC_BASE_URL as PUBLIC, TEST_SECRET as SECRET, testApp } from '../../../../tests/helpers/test-app';

let sb: Sandbox;
let crm: CrmGateway;
let fixture: Fixture;
let portalId: number;
let rep: number;
let repOwner: string;
let manager: number;
/** What HubSpot would say: sequence id (or "unknown": not the contact's latest enrollment) → open tasks of the rep. */
let truth: Map<string, number>;

type Rec = { id: string; properties?: Record<string, string | null> };

beforeAll(async () => {
  const hour = new Date();
  hour.setUTCMinutes(0, 0, 0);
  fixture = generatePortal({ seed: 5, size: 'small', now: hour });
  sb = await startSandbox({ port: 0, fixtures: [fixture], rateLimit: LIFTED_SANDBOX_LIMITS });
  const portal = sb.portals[0]!;
  portalId = portal.id;
  const maya = portal.users.find((u) => u.firstName === 'Maya')!;
  rep = Number(maya.id);
  repOwner = maya.ownerId!;
  manager = Number(portal.users.find((u) => u.superAdmin)!.id);
  crm = createCrmGateway({
    basePath: sb.url,
    tokens: { accessToken: async (id) => (id === portalId ? portal.accessToken : null) },
    limits: LIFTED_LIMITS,
  });
  // The contact's latest enrollment is the one the API names (the sandbox keeps the last by enrolledAt).
  const enrollments = fixture.enrollments ?? [];
  const latest = new Map<string, string>();
  for (const e of [...enrollments].sort((a, b) => Date.parse(String(a.enrolledAt)) - Date.parse(String(b.enrolledAt))))
    latest.set(e.contactId, e.id);
  const byId = new Map(enrollments.map((e) => [e.id, e]));
  truth = new Map();
  for (const t of (fixture.objects?.tasks ?? []) as Rec[]) {
    const p = t.properties ?? {};
    if (p.hubspot_owner_id !== repOwner || p.hs_task_status === 'COMPLETED' || !p.hs_task_sequence_step_enrollment_id) continue;
    const e = byId.get(p.hs_task_sequence_step_enrollment_id)!;
    const key = latest.get(e.contactId) === e.id ? e.sequenceId : 'unknown';
    truth.set(key, (truth.get(key) ?? 0) + 1);
  }
}, 60_000);

afterAll(async () => {
  await crm?.close();
  await sb?.close();
});

describeEachDatabase('sales sequences API', (getDb) => {
  let app: Express;
  let resolver: SequenceResolver | undefined;
  const call = (c: ProxyCall) => {
    const r = proxiedRequest(PUBLIC, SECRET, { portalId, userId: rep, ...c });
    return request(app).get(r.pathAndQuery).set(r.headers);
  };
  const cards = async (query: Record<string, string> = {}, userId = rep) => {
    const res = await call({ path: '/api/v1/sales/sequences', query, userId });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return { body: res.body as SequenceCardsResponse, calls: Number(res.headers['x-tiller-hubspot-calls'] ?? '0') };
  };

  beforeAll(async () => {
    await truncateAll(getDb());
    await loadCopy({ db: getDb(), crm, portalId });
  }, 120_000);

  beforeEach(async () => {
    await resolver?.idle();
    await getDb().exec('truncate sequence_enrollments, sequence_names, installations');
    resolver = createSequenceResolver({ db: getDb(), crm, now: Date.now, logger: pino({ level: 'silent' }) });
    app = testApp({ crm, db: getDb(), installed: [portalId], managers: [manager], exposeMetering: true, sequenceResolver: resolver });
  });
  afterAll(async () => {
    await resolver?.idle();
  });

  /** Loads until nothing is pending (the background, or each load's own 10 contacts). */
  const settle = async () => {
    for (let i = 0; i < 50; i++) {
      await resolver?.idle();
      if ((await cards()).body.pendingEnrollments === 0) return;
    }
  };

  it('asks about at most 10 contacts in the request and the rest in the background, then answers with no HubSpot call and the right sequences', async () => {
    expect(truth.size).toBeGreaterThan(1);
    const first = await cards({ limit: '20' });
    expect(first.calls).toBeGreaterThan(0);
    expect(first.calls).toBeLessThanOrEqual(RESOLVE_PER_REQUEST);
    expect(first.body.openTasks).toBe([...truth.values()].reduce((a, b) => a + b, 0));
    expect(first.body.pendingEnrollments).toBeGreaterThan(0);
    expect(first.body.partial).toBe(true);
    expect(first.body.warnings!.join(' ')).toContain('in the background');
    expect(first.body.cards.find((c) => c.state === 'loading')).toMatchObject({ name: LOADING_NAME, sequenceId: null });

    await resolver!.idle();
    const settled = await cards({ limit: '20' });
    expect(settled.calls).toBe(0);
    expect(settled.body.pendingEnrollments).toBe(0);
    expect(settled.body.partial).toBeUndefined();
    expect(Date.parse(settled.body.dataAsOf)).toBeGreaterThan(0);
    const got = new Map(settled.body.cards.map((c) => [c.state === 'unknown' ? 'unknown' : c.sequenceId!, c.openTasks]));
    expect(got).toEqual(truth);
    const named = settled.body.cards.filter((c) => c.state === 'known');
    for (const c of named) {
      expect(c.name).toBe(fixture.sequences!.find((s) => s.id === c.sequenceId)!.name);
      expect(c.byStep.reduce((a, s) => a + s.count, 0)).toBe(c.openTasks);
      expect(c.tasks.length).toBe(Math.min(5, c.openTasks));
      expect(c.tasks.every((t) => t.step !== null && t.contact?.objectType === 'contacts')).toBe(true);
    }
    expect(settled.body.cards.find((c) => c.state === 'unknown')?.name ?? UNKNOWN_NAME).toBe(UNKNOWN_NAME);
  });

  it('without the background, each load asks about at most 10 more contacts until none is left', async () => {
    app = testApp({
      crm,
      db: getDb(),
      installed: [portalId],
      exposeMetering: true,
      sequenceResolver: { kick: () => {}, idle: async () => {} },
    });
    let last = await cards();
    const pendings = [last.body.pendingEnrollments];
    for (let i = 0; i < 50 && last.body.pendingEnrollments > 0; i++) {
      last = await cards();
      expect(last.calls).toBeLessThanOrEqual(RESOLVE_PER_REQUEST);
      pendings.push(last.body.pendingEnrollments);
    }
    expect(pendings.length).toBeGreaterThan(2);
    expect(pendings).toEqual([...pendings].sort((a, b) => b - a));
    expect(last.body.pendingEnrollments).toBe(0);
    expect((await cards()).calls).toBe(0);
  });

  it('pages cards and answers the same for a manager viewing as the rep', async () => {
    await settle();
    const all = (await cards({ limit: '20' })).body;
    const p0 = (await cards({ page: '0', limit: '1' })).body;
    const p1 = (await cards({ page: '1', limit: '1' })).body;
    expect(p0).toMatchObject({ page: 0, limit: 1, total: all.total });
    expect(p0.cards.map((c) => c.name)).toEqual([all.cards[0]!.name]);
    expect(p1.cards.map((c) => c.name)).toEqual([all.cards[1]!.name]);
    expect((await cards({ page: String(all.total), limit: '1' })).body.cards).toEqual([]);
    expect((await cards({ asUserId: String(rep), limit: '20' }, manager)).body.cards).toEqual(all.cards);
    const bad = await call({ path: '/api/v1/sales/sequences', query: { limit: '0' } });
    expect(bad.status).toBe(400);
    expect((await call({ path: '/api/v1/sales/sequences', query: { sequence: 'x' } })).status).toBe(400);
    // "All tasks in sequence": that card alone, every task of it.
    const big = all.cards[0]!;
    const one = (await cards({ sequence: big.sequenceId ?? big.state })).body;
    expect(one.cards.map((c) => c.name)).toEqual([big.name]);
    expect(one.total).toBe(1);
    expect(one.openTasks).toBe(big.openTasks);
    expect(one.cards[0]!.tasks).toHaveLength(big.openTasks);
    expect(one.cards[0]!.tasks.slice(0, 5)).toEqual(big.tasks);
    expect((await cards({ sequence: '999999' })).body).toMatchObject({ cards: [], total: 0, openTasks: 0 });
  });

  it("refreshes a name older than a day from the rep's sequence list (one call), then keeps it", async () => {
    await settle();
    const named = (await cards({ limit: '20' })).body.cards.find((c) => c.state === 'known')!;
    await getDb().query(
      "update sequence_names set name = 'Old name', updated_at = now() - interval '2 days' where portal_id = $1 and sequence_id = $2",
      [portalId, named.sequenceId],
    );
    crm.invalidate(portalId);
    const refreshed = await cards({ limit: '20' });
    expect(refreshed.calls).toBe(1);
    expect(refreshed.body.cards.find((c) => c.sequenceId === named.sequenceId)!.name).toBe(named.name);
    expect((await cards({ limit: '20' })).calls).toBe(0);
  });

  it('says so on the card, with no HubSpot call, when the portal declined automation.sequences.read', async () => {
    await createInstallationsRepo(getDb()).install({ portalId, scopes: ['oauth', 'crm.objects.contacts.read'] }, new Date());
    const { body, calls } = await cards({ limit: '20' });
    expect(calls).toBe(0);
    expect(body.missingScope).toMatchObject({ scope: 'automation.sequences.read' });
    expect(body.partial).toBe(true);
    expect(body.cards).toEqual([expect.objectContaining({ state: 'unknown', openTasks: body.openTasks })]);
  });
});
