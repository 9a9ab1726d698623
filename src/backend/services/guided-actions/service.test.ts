// The service against the sandbox through a gateway that can fail one kind of read: partial
// answers say so, skip the rules that read the missing data, and never clear remembered state.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCrmGateway, type CrmGateway, type PortalCrm } from '../../crm/gateway';
import { CrmError } from '../../crm/errors';
import { startSandbox, type Sandbox } from '@tiller/hubspot-sandbox';
import { createDatabase, type Database } from '../../storage';
import { createGuidedActionsRepo } from '../../storage/guided-actions-repo';
import { truncateAll } from '../../storage/testing';
import { createGuidedActionsService, STILL_LOADING_WARNING } from './service';
import { localCacheBus } from '../../cache-bus';
import { RULE_SOURCES } from './data-plan';

let sb: Sandbox;
let real: CrmGateway;
let db: Database;
let portalId: number;
let rep: number;
/** Object types whose searches fail, and whether owners fail. */
let failing: { searches: Set<string>; owners: boolean };

function flaky(gw: CrmGateway): CrmGateway {
  return {
    ...gw,
    portal(id) {
      const p = gw.portal(id);
      const wrapped: PortalCrm = {
        ...p,
        portalId: p.portalId,
        owners: () => (failing.owners ? Promise.reject(new CrmError('server', 'boom', 500)) : p.owners()),
        search: (type, req) => (failing.searches.has(type) ? Promise.reject(new CrmError('server', 'boom', 500)) : p.search(type, req)),
      };
      return wrapped;
    },
  };
}

beforeAll(async () => {
  sb = await startSandbox({ port: 0, seed: 1, size: 'small' });
  const portal = sb.portals[0]!;
  portalId = portal.id;
  rep = Number(portal.users.find((u) => u.firstName === 'Jordan')!.id);
  real = createCrmGateway({ basePath: sb.url, tokens: { accessToken: async () => portal.accessToken } });
  db = await createDatabase({});
}, 60_000);

afterAll(async () => {
  await real?.close();
  await db?.close();
  await sb?.close();
});

describe('guided-actions service', () => {
  beforeEach(async () => {
    failing = { searches: new Set(), owners: false };
    await truncateAll(db);
  });
  const service = () => createGuidedActionsService({ crm: flaky(real), db, now: Date.now });

  it('a complete answer is cached for a few seconds (no second evaluation)', async () => {
    const s = service();
    const first = await s.list(portalId, rep, { category: 'all' });
    expect(first.meta.cache).toBe('miss');
    expect(first.partial).toBeUndefined();
    const second = await s.list(portalId, rep, { category: 'deal' });
    expect(second.meta.cache).toBe('hit');
    expect(second.actions.every((a) => a.category === 'deal')).toBe(true);
  });

  it('holds no evaluation past its stale age: reps who stopped asking leave nothing behind', async () => {
    let t = Date.now();
    const s = createGuidedActionsService({ crm: flaky(real), db, now: () => t, cacheTtlMs: 15_000, staleMs: 60_000 });
    // 30 users who are not owners: an evaluation each, cached
    for (let i = 0; i < 30; i++) await s.list(portalId, 990_000 + i, { category: 'all' });
    expect(s.cachedEvaluations()).toBe(30);
    t += 60_000;
    await s.list(portalId, rep, { category: 'all' });
    // Without the sweep: 31, and up to 2,000 kept however old.
    expect(s.cachedEvaluations()).toBe(1);
  });

  it('after the TTL, serves the last complete evaluation at once and refreshes it in the background', async () => {
    const s = createGuidedActionsService({ crm: flaky(real), db, now: Date.now, cacheTtlMs: 1, staleMs: 60_000 });
    const first = await s.list(portalId, rep, { category: 'all' });
    await new Promise((r) => setTimeout(r, 5));
    failing.searches.add('emails'); // the refresh will be partial: it must not replace the complete answer
    const stale = await s.list(portalId, rep, { category: 'all' });
    expect(stale.meta.cache).toBe('hit');
    expect(stale.partial).toBeUndefined();
    expect(stale.actions.map((a) => a.id)).toEqual(first.actions.map((a) => a.id));
    await new Promise((r) => setTimeout(r, 3_000)); // the refresh (partial) lands
    const after = await s.list(portalId, rep, { category: 'all' });
    expect(after.meta.cache).toBe('hit');
    expect(after.partial).toBeUndefined();
  });

  it('when the emails search fails: partial, a warning, no rule that reads emails, and nothing cleared', async () => {
    const full = await service().list(portalId, rep, { category: 'all' });
    const before = await createGuidedActionsRepo(db).loadRemembered(portalId, String(rep));
    expect(before.entries.length).toBeGreaterThan(0);

    failing.searches.add('emails');
    const partial = await service().list(portalId, rep, { category: 'all' });
    expect(partial.partial).toBe(true);
    expect(partial.warnings?.join(' ')).toMatch(/Your emails could not be loaded because HubSpot failed/);
    expect(partial.warnings?.join(' ')).toMatch(/rules could not be checked/);
    const emailRules = Object.entries(RULE_SOURCES)
      .filter(([, s]) => s.includes('emails'))
      .map(([r]) => r);
    expect(partial.actions.some((a) => emailRules.includes(a.rule))).toBe(false);
    // Rules that do not read emails still answer, with the same ids.
    const taskAction = full.actions.find((a) => a.rule === 'PRIORITY_TASKS_TODAY')!;
    expect(partial.actions.find((a) => a.id === taskAction.id)?.firstSeenAt).toBe(taskAction.firstSeenAt);

    const after = await createGuidedActionsRepo(db).loadRemembered(portalId, String(rep));
    expect(after.entries.filter((e) => e.clearedAt !== null)).toEqual([]);
    expect(after.entries.length).toBe(before.entries.length);
  });

  it('a partial first answer says the rest is coming, and is completed in the background for the next request', async () => {
    const s = createGuidedActionsService({ crm: flaky(real), db, now: Date.now, cacheTtlMs: 60_000 });
    failing.searches.add('emails');
    const first = await s.list(portalId, rep, { category: 'all' });
    expect(first.partial).toBe(true);
    expect(first.warnings).toContain(STILL_LOADING_WARNING);
    failing.searches.clear(); // HubSpot answers again: the background run completes
    let next = await s.list(portalId, rep, { category: 'all' });
    const started = Date.now();
    while (next.partial && Date.now() - started < 30_000) {
      await new Promise((r) => setTimeout(r, 100));
      next = await s.list(portalId, rep, { category: 'all' });
    }
    expect(next.partial).toBeUndefined();
    expect(next.meta.cache).toBe('hit'); // served from the cache: the request did not evaluate
    expect(next.actions.some((a) => Object.entries(RULE_SOURCES).some(([r, t]) => r === a.rule && t.includes('emails')))).toBe(true);
  }, 60_000);

  it('a background completion that is partial again does not loop: the partial answer stays until its TTL', async () => {
    const s = createGuidedActionsService({ crm: flaky(real), db, now: Date.now, cacheTtlMs: 60_000 });
    failing.searches.add('emails');
    const first = await s.list(portalId, rep, { category: 'all' });
    expect(first.warnings).toContain(STILL_LOADING_WARNING);
    await new Promise((r) => setTimeout(r, 1_500));
    const again = await s.list(portalId, rep, { category: 'all' });
    expect(again.partial).toBe(true);
    expect(again.meta.cache).toBe('hit');
  });

  it('when the owners list fails: the error reaches the caller (no guess about who the rep is)', async () => {
    failing.owners = true;
    // HubSpot's own error: the app's error handler is the one place that turns it into a 502.
    await expect(service().list(portalId, rep, { category: 'all' })).rejects.toBeInstanceOf(CrmError);
  });

  it('a user who is not an owner gets no actions and a plain warning', async () => {
    const res = await service().list(portalId, 123456789, { category: 'all' });
    expect(res.actions).toEqual([]);
    expect(res.warnings?.join(' ')).toMatch(/not a HubSpot owner/);
  });

  it('first-seen times never move forward across evaluations (the database keeps them)', async () => {
    const first = await service().list(portalId, rep, { category: 'all' });
    await new Promise((r) => setTimeout(r, 20));
    const second = await service().list(portalId, rep, { category: 'all' });
    for (const a of second.actions) {
      const was = first.actions.find((x) => x.id === a.id);
      if (was) expect(a.firstSeenAt).toBe(was.firstSeenAt);
    }
  });

  it("feedback given through one instance shows at once in another instance's cached list (the cache bus); without the bus it does not", async () => {
    const bus = localCacheBus(); // what Redis delivers between instances, here within one process
    const a = createGuidedActionsService({ crm: flaky(real), db, now: Date.now, bus });
    const b = createGuidedActionsService({ crm: flaky(real), db, now: Date.now, bus });
    const alone = createGuidedActionsService({ crm: flaky(real), db, now: Date.now });
    const listed = await b.list(portalId, rep, { category: 'all' });
    await alone.list(portalId, rep, { category: 'all' });
    const target = listed.actions.find((x) => x.feedback === null)!;
    expect(target).toBeDefined();
    await a.feedback(portalId, rep, target.id, 'NOT_REALLY');
    const seen = await b.list(portalId, rep, { category: 'all' });
    expect(seen.meta.cache).toBe('hit'); // not re-evaluated: the answers were re-read
    expect(seen.actions.find((x) => x.id === target.id)?.feedback).toBe('NOT_REALLY');
    const body = JSON.parse((await b.listBody(portalId, rep, { category: 'all' })).body.toString()) as typeof listed;
    expect(body.actions.find((x) => x.id === target.id)?.feedback).toBe('NOT_REALLY');
    // the check can fail: an instance that hears nothing keeps its cached answer until it expires
    expect((await alone.list(portalId, rep, { category: 'all' })).actions.find((x) => x.id === target.id)?.feedback).toBeNull();
  });
});
