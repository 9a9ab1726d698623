// The service on the small demo portal's copy (loaded once from the sandbox): answers carry the
// copy's freshness, are cached under the copy version (a change in the copy shows in the next
// answer), say what is still loading, skip the rules that read it and never clear remembered state.
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LIFTED_LIMITS, LIFTED_SANDBOX_LIMITS } from '../../../../tests/helpers/copy';
import { createCrmGateway, type CrmGateway } from '../../crm/gateway';
import { startSandbox, type Sandbox } from '@tiller/hubspot-sandbox';
import { createCopyRepo, createDatabase, type Database, type SyncState } from '../../storage';
import { createGuidedActionsRepo } from '../../storage/guided-actions-repo';
import { runFirstLoad } from '../../sync/first-load';
import { createGuidedActionsService, SAVE_AFTER_MS } from './service';
import { localCacheBus } from '../../cache-bus';
import { RULE_SOURCES } from './data-plan';

let sb: Sandbox;
let crm: CrmGateway;
let db: Database;
let portalId: number;
let rep: number;
let states: SyncState[];

beforeAll(async () => {
  sb = await startSandbox({ port: 0, seed: 1, size: 'small', rateLimit: LIFTED_SANDBOX_LIMITS });
  const portal = sb.portals[0]!;
  portalId = portal.id;
  rep = Number(portal.users.find((u) => u.firstName === 'Jordan')!.id);
  crm = createCrmGateway({ basePath: sb.url, tokens: { accessToken: async () => portal.accessToken }, limits: LIFTED_LIMITS });
  db = await createDatabase({});
  const loaded = await runFirstLoad({ db, crm, logger: pino({ level: 'silent' }), now: Date.now }, portalId);
  if (!loaded.ready) throw new Error(JSON.stringify(loaded.errors));
  states = await createCopyRepo(db).syncStates(portalId);
}, 120_000);

afterAll(async () => {
  await crm?.close();
  await db?.close();
  await sb?.close();
});

const emailRules = Object.entries(RULE_SOURCES)
  .filter(([, s]) => s.includes('emails'))
  .map(([r]) => r);

describe('guided-actions service (from the copy)', () => {
  beforeEach(async () => {
    await db.exec('truncate guided_action_state, guided_action_feedback');
    const repo = createCopyRepo(db);
    for (const s of states) await repo.putSyncState(portalId, s.objectType, { state: s.state }, new Date());
  });
  const service = (o: { cacheTtlMs?: number; staleMs?: number } = {}) => createGuidedActionsService({ db, now: Date.now, ...o });

  it('a complete answer carries dataAsOf, no syncing, and is cached while the copy does not change', async () => {
    const s = service();
    const first = await s.list(portalId, rep, { category: 'all' });
    expect(first.meta.cache).toBe('miss');
    expect(first.partial).toBeUndefined();
    expect(first.warnings).toBeUndefined();
    expect(Date.parse(first.dataAsOf)).toBeGreaterThan(0);
    expect(first.syncing).toBeUndefined();
    expect(first.actions.length).toBeGreaterThan(10);
    const second = await s.list(portalId, rep, { category: 'deal' });
    expect(second.meta.cache).toBe('hit');
    expect(second.actions.every((a) => a.category === 'deal')).toBe(true);
  });

  it('a change in the copy shows in the next answer (the cache is keyed by the copy version)', async () => {
    const s = service({ cacheTtlMs: 60_000 });
    const first = await s.list(portalId, rep, { category: 'all' });
    const priority = first.actions.find((a) => a.rule === 'PRIORITY_TASKS_TODAY');
    expect(priority, 'the demo rep has priority tasks due today').toBeDefined();
    // The rep completes one of them in HubSpot; the webhook's re-read stores it in the copy.
    const copy = createCopyRepo(db);
    const task = priority!.members[0]!;
    const [row] = [...(await copy.getRecords(portalId, 'tasks', [task.objectId])).values()];
    await copy.upsertRecords(
      portalId,
      'tasks',
      [{ ...row!, properties: { ...row!.properties, hs_task_status: 'COMPLETED' }, status: 'COMPLETED', versionMs: row!.versionMs + 1 }],
      new Date(),
    );
    const next = await s.list(portalId, rep, { category: 'all' });
    expect(next.meta.cache).toBe('miss');
    const members = next.actions.find((a) => a.rule === 'PRIORITY_TASKS_TODAY')?.members ?? [];
    expect(members.map((m) => m.objectId)).not.toContain(task.objectId);
    expect((await s.list(portalId, rep, { category: 'all' })).meta.cache).toBe('hit');
    // Put it back for the other tests.
    await copy.upsertRecords(portalId, 'tasks', [{ ...row!, versionMs: row!.versionMs + 2 }], new Date());
  });

  it('after the TTL of an unchanged copy, serves the last complete evaluation at once and refreshes it in the background', async () => {
    const s = service({ cacheTtlMs: 1, staleMs: 60_000 });
    const first = await s.list(portalId, rep, { category: 'all' });
    await new Promise((r) => setTimeout(r, 5));
    const stale = await s.list(portalId, rep, { category: 'all' });
    expect(stale.meta.cache).toBe('hit');
    expect(stale.actions.map((a) => a.id)).toEqual(first.actions.map((a) => a.id));
  });

  it('while emails are still loading: partial, syncing, a warning, no rule that reads emails, and nothing cleared', async () => {
    const s0 = service();
    const full = await s0.list(portalId, rep, { category: 'all' });
    await s0.settled(); // the remembered state is saved after the answer
    const before = await createGuidedActionsRepo(db).loadRemembered(portalId, String(rep));
    expect(before.entries.length).toBeGreaterThan(0);

    await createCopyRepo(db).putSyncState(portalId, 'emails', { state: 'loading' }, new Date());
    const s1 = service();
    const partial = await s1.list(portalId, rep, { category: 'all' });
    await s1.settled();
    expect(partial.partial).toBe(true);
    expect(partial.syncing?.percent).toBeLessThan(100);
    expect(partial.warnings?.join(' ')).toMatch(/still copying this portal from HubSpot .*your emails are not all loaded yet/);
    expect(partial.warnings?.join(' ')).toMatch(/rules could not be checked/);
    expect(partial.actions.some((a) => emailRules.includes(a.rule))).toBe(false);
    // Rules that do not read emails still answer, with the same ids.
    const taskAction = full.actions.find((a) => a.rule === 'PRIORITY_TASKS_TODAY')!;
    expect(partial.actions.find((a) => a.id === taskAction.id)?.firstSeenAt).toBe(taskAction.firstSeenAt);

    const after = await createGuidedActionsRepo(db).loadRemembered(portalId, String(rep));
    expect(after.entries.filter((e) => e.clearedAt !== null)).toEqual([]);
    expect(after.entries.length).toBe(before.entries.length);
  });

  it('a partial answer is replaced as soon as the type is loaded (the state change moves the copy version)', async () => {
    const s = service({ cacheTtlMs: 60_000 });
    await createCopyRepo(db).putSyncState(portalId, 'emails', { state: 'loading' }, new Date());
    expect((await s.list(portalId, rep, { category: 'all' })).partial).toBe(true);
    await createCopyRepo(db).putSyncState(portalId, 'emails', { state: 'ready' }, new Date());
    const next = await s.list(portalId, rep, { category: 'all' });
    expect(next.meta.cache).toBe('miss');
    expect(next.partial).toBeUndefined();
    expect(next.actions.some((a) => emailRules.includes(a.rule))).toBe(true);
  });

  it('a user who is not an owner gets no actions and a plain warning', async () => {
    const res = await service().list(portalId, 123456789, { category: 'all' });
    expect(res.actions).toEqual([]);
    expect(res.warnings?.join(' ')).toMatch(/not a HubSpot owner/);
    expect(res.partial).toBeUndefined();
  });

  it('a portal whose copy has not started: not blank without a word — partial, syncing 0 %, still copying', async () => {
    const res = await service().list(424242, rep, { category: 'all' });
    expect(res.actions).toEqual([]);
    expect(res.partial).toBe(true);
    expect(res.syncing).toEqual({ percent: 0 });
    expect(res.warnings?.join(' ')).toMatch(/still copying this portal/);
  });

  it('first-seen times never move forward across evaluations (the database keeps them)', async () => {
    const s0 = service();
    const first = await s0.list(portalId, rep, { category: 'all' });
    await s0.settled(); // another instance reads what this one saved (after its answer)
    await new Promise((r) => setTimeout(r, 20));
    const second = await service().list(portalId, rep, { category: 'all' });
    for (const a of second.actions) {
      const was = first.actions.find((x) => x.id === a.id);
      if (was) expect(a.firstSeenAt).toBe(was.firstSeenAt);
    }
  });

  it("answers before the remembered state is written; the rep's next evaluation reads it after the write", async () => {
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    let written = 0;
    // The database as the service sees it: the state's write waits for the gate.
    const gated: typeof db = Object.create(db) as typeof db;
    gated.query = async (sql, params) => {
      if (/insert into guided_action_state/.test(sql)) {
        await gate;
        const rows = await db.query(sql, params);
        written++;
        return rows as never;
      }
      return db.query(sql, params);
    };
    const s = createGuidedActionsService({ db: gated, now: Date.now, cacheTtlMs: 0, staleMs: 0 });
    const first = await s.list(portalId, rep, { category: 'all' });
    expect(first.actions.length).toBeGreaterThan(10);
    expect(written).toBe(0); // answered while the write waits
    let secondDone = false;
    const second = s.list(portalId, rep, { category: 'all' }).then((r) => ((secondDone = true), r));
    await new Promise((r) => setTimeout(r, 50));
    expect(secondDone).toBe(false); // its remembered state is read after the first write
    open();
    const next = await second;
    await s.settled();
    // The second evaluation read the first one's state: nothing new to write (read before it, it
    // would have written every action again as first seen).
    expect(written).toBe(1);
    for (const a of next.actions) expect(a.firstSeenAt).toBe(first.actions.find((x) => x.id === a.id)?.firstSeenAt ?? a.firstSeenAt);
  });

  it("feedback through another instance before the lister's state is written finds the action among the rep's current ones", async () => {
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const gated: typeof db = Object.create(db) as typeof db;
    gated.query = async (sql, params) => {
      if (/insert into guided_action_state/.test(sql)) await gate;
      return db.query(sql, params);
    };
    const lister = createGuidedActionsService({ db: gated, now: Date.now });
    const other = createGuidedActionsService({ db, now: Date.now });
    const listed = await lister.list(portalId, rep, { category: 'all' });
    const target = listed.actions[0]!;
    await other.feedback(portalId, rep, target.id, 'YES_CONTINUE');
    expect((await other.list(portalId, rep, { category: 'all' })).actions.find((x) => x.id === target.id)?.feedback).toBe('YES_CONTINUE');
    await expect(other.feedback(portalId, rep, 'not-an-action', 'YES_CONTINUE')).rejects.toThrow(/does not exist/);
    open();
    await lister.settled();
  });

  it('saves the remembered state once the answer is sent (listBody `sent`), else after SAVE_AFTER_MS', async () => {
    let written = 0;
    const counting: typeof db = Object.create(db) as typeof db;
    counting.query = async (sql, params) => {
      if (/insert into guided_action_state/.test(sql)) written++;
      return db.query(sql, params);
    };
    const until = async (ms: number) => {
      const end = Date.now() + ms;
      while (written === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    };
    const s = createGuidedActionsService({ db: counting, now: Date.now, cacheTtlMs: 0, staleMs: 0 });
    const { sent } = await s.listBody(portalId, rep, { category: 'all' });
    await new Promise((r) => setTimeout(r, 100));
    expect(written).toBe(0); // the answer is not sent yet: nothing of the write has run
    sent();
    await until(SAVE_AFTER_MS / 2);
    expect(written).toBe(1);
    // No one says the answer left (a background refresh, list()): saved after SAVE_AFTER_MS all the same.
    await db.exec('truncate guided_action_state');
    written = 0;
    const started = Date.now();
    await s.list(portalId, rep, { category: 'all' });
    await until(SAVE_AFTER_MS * 3);
    expect(written).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(SAVE_AFTER_MS - 50);
    await s.settled();
  });

  it('a remembered state that cannot be written is logged; the answer was served all the same', async () => {
    const errors: unknown[] = [];
    const failing: typeof db = Object.create(db) as typeof db;
    failing.query = async (sql, params) => {
      if (/insert into guided_action_state/.test(sql)) throw new Error('disk full');
      return db.query(sql, params);
    };
    const s = createGuidedActionsService({ db: failing, now: Date.now, logger: { error: (o: unknown) => void errors.push(o) } });
    const res = await s.list(portalId, rep, { category: 'all' });
    expect(res.actions.length).toBeGreaterThan(10);
    await s.settled();
    expect(errors).toHaveLength(1);
    expect(String((errors[0] as { err: Error }).err)).toMatch(/disk full/);
  });

  it('holds no evaluation past its stale age: reps who stopped asking leave nothing behind', async () => {
    let t = Date.now();
    const s = createGuidedActionsService({ db, now: () => t, cacheTtlMs: 15_000, staleMs: 60_000 });
    // 30 users who are not owners: an evaluation each, cached
    for (let i = 0; i < 30; i++) await s.list(portalId, 990_000 + i, { category: 'all' });
    expect(s.cachedEvaluations()).toBe(30);
    t += 60_000;
    await s.list(portalId, rep, { category: 'all' });
    // Without the sweep: 31, and up to 2,000 kept however old.
    expect(s.cachedEvaluations()).toBe(1);
  });

  it("feedback given through one instance shows at once in another instance's cached list (the cache bus); without the bus it does not", async () => {
    const bus = localCacheBus(); // what Redis delivers between instances, here within one process
    const a = createGuidedActionsService({ db, now: Date.now, bus });
    const b = createGuidedActionsService({ db, now: Date.now, bus });
    const alone = createGuidedActionsService({ db, now: Date.now });
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
