import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCrmGateway, type CrmGateway } from '../../crm/gateway';
import { parseProfile, type HealthInputRecord } from '../../engines/health';
import { createHealthScheduler } from '../../jobs/health-scheduler';
import { startSandbox, type Sandbox } from '@tiller/hubspot-sandbox';
import { createDatabase, createHealthRepo, type Database } from '../../storage';
import { createPostgresTestDatabase, describeEachDatabase, testDatabases, truncateAll, uniqueSchemaName } from '../../storage/testing';
import { copyReadiness, nameThenLoad, queueRun, runPortal, scoreStep, type RunnerDeps } from './runner';
import { loadCopy, loadHealthCopy, LIFTED_LIMITS, LIFTED_SANDBOX_LIMITS } from '../../../../tests/helpers/copy';

const silent = { info() {}, warn() {}, error() {} };
const DAY = 86_400_000;

let sb: Sandbox;
let crm: CrmGateway;
let portalId: number;

beforeAll(async () => {
  sb = await startSandbox({ port: 0, seed: 1, size: 'small', rateLimit: LIFTED_SANDBOX_LIMITS });
  const portal = sb.portals[0]!;
  portalId = portal.id;
  crm = createCrmGateway({ basePath: sb.url, tokens: { accessToken: async () => portal.accessToken }, limits: LIFTED_LIMITS });
}, 60_000);

afterAll(async () => {
  await crm?.close();
  await sb?.close();
});

async function counts(db: Database) {
  return db.one<{ snapshots: number; distinct_records: number; states: number; runs: number }>(
    `select (select count(*)::int from health_snapshots where run_id like 'run-%') as snapshots,
            (select count(distinct object_id)::int from health_snapshots where run_id like 'run-%') as distinct_records,
            (select count(*)::int from health_record_state) as states,
            (select count(*)::int from health_runs) as runs`,
  );
}

/** Health's tables only: the portal copy (loaded once per database) stays. */
async function truncateHealth(db: Database): Promise<void> {
  await db.exec(
    'truncate health_profiles, health_profile_versions, health_runs, health_snapshots, health_record_state, health_run_totals, health_alerts, health_dirty, health_backfills',
  );
}

const loaded = new WeakSet<Database>();

/** Runs read the portal copy: loaded once per database (the sandbox's data does not change here). */
async function withCopy(db: Database): Promise<void> {
  if (!loaded.has(db)) {
    await truncateAll(db);
    await loadHealthCopy({ db, crm, portalId });
    loaded.add(db);
  }
  await truncateHealth(db);
}

describeEachDatabase('health runs', (getDb) => {
  beforeEach(async () => withCopy(getDb()), 120_000);

  it('a crash in the middle loses and doubles nothing: the resumed run writes the rest once', async () => {
    const db = getDb();
    let crashes = 1;
    const deps: RunnerDeps = {
      db,
      crm,
      logger: silent,
      now: Date.now,
      backfillDays: 0,
      batchSize: 40,
      afterBatch: (written) => {
        if (written >= 80 && crashes > 0) {
          crashes -= 1;
          throw new Error('simulated crash');
        }
      },
    };
    const run = await queueRun(db, portalId, 'on-demand', Date.now());
    await expect(runPortal(deps, portalId, run)).rejects.toThrow('simulated crash');
    const repo = createHealthRepo(db);
    const halfway = await repo.getRun(portalId, run.id);
    expect(halfway).toMatchObject({ status: 'queued', attempts: 1 });
    expect((await counts(db)).snapshots).toBe(80);

    // The next worker resumes the same run (same as_of): only the records not yet written.
    const resumed = await repo.unfinishedRun(portalId);
    expect(resumed?.id).toBe(run.id);
    const done = await runPortal(deps, portalId, resumed!);
    expect(done).toMatchObject({ status: 'done', scored: 200, total: 200, attempts: 2 });
    expect(await counts(db)).toEqual({ snapshots: 200, distinct_records: 200, states: 200, runs: 1 });

    // Running the finished run again writes nothing new.
    await runPortal(deps, portalId, done);
    expect((await counts(db)).snapshots).toBe(200);
  }, 60_000);

  it('a profile edit alone never raises an alert, even when it moves every category', async () => {
    const db = getDb();
    const deps: RunnerDeps = { db, crm, logger: silent, now: Date.now, backfillDays: 0 };
    await runPortal(deps, portalId, await queueRun(db, portalId, 'scheduled', Date.now()));
    // Version 2: thresholds that put almost everyone At risk.
    const repo = createHealthRepo(db);
    const current = (await repo.getProfile(portalId, 'default'))!;
    const edited = { ...(current.profile as object), version: 2, thresholds: { atRiskBelow: 95, goodFrom: 99 } };
    expect(
      await repo.updateProfile(portalId, 'default', 1, { name: current.name, objectType: current.objectType, profile: edited }, new Date()),
    ).toBe('ok');
    await runPortal(deps, portalId, await queueRun(db, portalId, 'scheduled', Date.now() + 1000));
    const alerts = await db.one<{ n: number }>('select count(*)::int as n from health_alerts');
    expect(alerts.n).toBe(0);
    const atRisk = await db.one<{ n: number }>(
      "select count(*)::int as n from health_record_state where category = 'AT_RISK' and profile_version = 2",
    );
    expect(atRisk.n).toBeGreaterThan(150);
  }, 60_000);

  it('a full run forgets the scores of records that are no longer customers (archived while no event came)', async () => {
    const db = getDb();
    const deps: RunnerDeps = { db, crm, logger: silent, now: Date.now, backfillDays: 0 };
    await runPortal(deps, portalId, await queueRun(db, portalId, 'scheduled', Date.now() - 60_000));
    // A customer the copy no longer holds, scored by an earlier run.
    await db.exec(
      `insert into health_record_state (portal_id, profile_id, object_type, object_id, label, owner_id, run_id, at, profile_version,
                                        score, category, confirmed_category, input, recent, change)
       select portal_id, profile_id, object_type, '999999999', 'Gone Inc', owner_id, 'run-earlier', at - interval '1 day', profile_version,
              score, category, confirmed_category, input, recent, change
         from health_record_state limit 1`,
    );
    expect((await counts(db)).states).toBe(201);
    await runPortal(deps, portalId, await queueRun(db, portalId, 'scheduled', Date.now()));
    expect((await counts(db)).states).toBe(200);
    expect(await db.maybeOne("select 1 from health_record_state where object_id = '999999999'")).toBeUndefined();
    const summaryCount = await createHealthRepo(db).scores(portalId, 'default', null);
    expect(summaryCount).toHaveLength(200);
  }, 60_000);
});

describe('hysteresis through the service', () => {
  // One criterion whose points are the input: value 15 → 100 (Good), 5 → 67 (Neutral, 3 below 70), 25 → 0.
  const profile = parseProfile({
    id: 'p',
    name: 'Test',
    groups: [
      {
        id: 'g',
        label: 'G',
        maxPoints: 100,
        criteria: [
          {
            id: 'signal',
            label: 'Signal',
            kind: 'nps',
            property: 'signal',
            bands: [
              { max: 10, points: 67 },
              { min: 10, max: 20, points: 100 },
              { min: 20, points: 0 },
            ],
          },
        ],
      },
    ],
  });
  const now = Date.parse('2026-11-20T12:00:00Z');
  const record = (signal: number): HealthInputRecord => ({ id: '1', label: 'Acme', ownerId: '501', properties: { signal } });

  it('confirms a change after two runs, or at once beyond the margin, and alerts the CSM once', () => {
    let s = scoreStep(profile, record(15), '501', 'companies', now, 'r1', undefined, false, true)!;
    expect(s.write).toMatchObject({ score: 100, category: 'GOOD', confirmedCategory: 'GOOD', alert: null });
    s = scoreStep(profile, record(5), '501', 'companies', now + DAY, 'r2', s.next, false, true)!;
    expect(s.write).toMatchObject({ score: 67, category: 'NEUTRAL', confirmedCategory: 'GOOD', alert: null });
    s = scoreStep(profile, record(5), '501', 'companies', now + 2 * DAY, 'r3', s.next, false, true)!;
    expect(s.write).toMatchObject({ category: 'NEUTRAL', confirmedCategory: 'NEUTRAL' });
    expect(s.write.alert).toMatchObject({ from: 'GOOD', to: 'NEUTRAL' });
    expect(s.write.alert!.expiresAt.getTime() - s.write.alert!.raisedAt.getTime()).toBe(14 * DAY);
    expect(s.write.alert!.deltas).toEqual([expect.objectContaining({ criterionId: 'signal', delta: -33 })]);
    // Same run again (a resume): nothing to write.
    expect(scoreStep(profile, record(5), '501', 'companies', now + 2 * DAY, 'r3', s.next, false, true)).toBeNull();
    // Far beyond the threshold: At risk at once (margin).
    s = scoreStep(profile, record(25), '501', 'companies', now + 3 * DAY, 'r4', s.next, false, true)!;
    expect(s.write.alert).toMatchObject({ from: 'NEUTRAL', to: 'AT_RISK' });
  });

  it('a score hovering around a threshold does not flap', () => {
    let s = scoreStep(profile, record(15), '501', 'companies', now, 'r0', undefined, false, true)!;
    const alerts: unknown[] = [];
    for (let i = 1; i <= 8; i += 1) {
      s = scoreStep(profile, record(i % 2 ? 5 : 15), '501', 'companies', now + i * DAY, `r${i}`, s.next, false, true)!;
      if (s.write.alert) alerts.push(s.write.alert);
    }
    expect(alerts).toEqual([]);
  });
});

const pg = (await testDatabases()).find((f) => f.kind === 'postgres')!;

describe.skipIf(pg.unavailable !== undefined && !process.env.CI)('two backend instances on one PostgreSQL', () => {
  let a: Database;
  let b: Database;
  beforeAll(async () => {
    const schema = uniqueSchemaName();
    a = await createPostgresTestDatabase(schema);
    b = await createPostgresTestDatabase(schema, { dropOnClose: false, migrate: false });
    await loadHealthCopy({ db: a, crm, portalId });
  }, 120_000);
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('run each portal’s due run exactly once', async () => {
    const opts = { crm, logger: silent, now: Date.now, portals: async () => [portalId], intervalMinutes: 360, backfillDays: 0 };
    const one = createHealthScheduler({ ...opts, db: a });
    const two = createHealthScheduler({ ...opts, db: b });
    const outcomes = await Promise.all([one.runDue(portalId), two.runDue(portalId)]);
    expect(outcomes.sort()).toEqual(['busy', 'ran']);
    // Later ticks on either instance find nothing due.
    expect(await two.runDue(portalId)).toBe('not-due');
    expect(await one.runDue(portalId)).toBe('not-due');
    expect(await counts(a)).toEqual({ snapshots: 200, distinct_records: 200, states: 200, runs: 1 });
  }, 60_000);
});

describe('a copy loaded before the profiles named their properties', () => {
  it('is loaded again at once (startCopyLoad), not at the next poll tick, and only once', async () => {
    const db = await createDatabase({});
    try {
      await loadCopy({ db, crm, portalId }); // no health properties named: the customer object lacks them
      const started: number[] = [];
      const deps: RunnerDeps = { db, crm, logger: silent, now: Date.now, startCopyLoad: (id) => started.push(id) };
      expect(await copyReadiness(deps, portalId)).toMatchObject({ ready: false });
      expect(started).toEqual([portalId]);
      // The reload (what startCopyLoad starts) reads them; then the copy is ready and nothing is reloaded.
      await loadCopy({ db, crm, portalId });
      expect(await copyReadiness(deps, portalId)).toEqual({ ready: true });
      expect(started).toEqual([portalId]);
    } finally {
      await db.close();
    }
  }, 60_000);
});

describe('at install: the profiles name their properties, then the first load starts', () => {
  /** A HubSpot whose property lists take `ms` to come (or fail). */
  const slowCrm = (ms: number, fail = false): CrmGateway => ({
    ...crm,
    portal: (id) => {
      const p = crm.portal(id);
      return {
        ...p,
        properties: async (type) => {
          await new Promise((r) => setTimeout(r, ms));
          if (fail) throw new Error('HubSpot is down');
          return p.properties(type);
        },
      };
    },
  });

  /** On a fresh database (the copy loaded first when `loaded`): what starts, in order ('load', 'reload'). */
  async function named(
    crmOf: CrmGateway,
    o: { loaded?: boolean; logger?: RunnerDeps['logger'] },
    run: (deps: RunnerDeps, events: string[], start: () => void) => Promise<void>,
  ): Promise<string[]> {
    const db = await createDatabase({});
    try {
      if (o.loaded) await loadCopy({ db, crm, portalId }); // what the started load read: no health property
      const events: string[] = [];
      const deps: RunnerDeps = { db, crm: crmOf, logger: o.logger ?? silent, now: Date.now, startCopyLoad: () => events.push('reload') };
      await run(deps, events, () => events.push('load'));
      return events;
    } finally {
      await db.close();
    }
  }

  it('waits for the naming when HubSpot answers in time: the load then reads the properties, no reload asked', async () => {
    const events = await named(slowCrm(20), {}, (deps, _, start) => nameThenLoad(deps, portalId, start, 5_000));
    expect(events).toEqual(['load']);
  }, 60_000);

  it('starts the load after the wait when HubSpot is slow, then asks for the reload of what it loads without them', async () => {
    const events = await named(slowCrm(400), { loaded: true }, async (deps, seen, start) => {
      const naming = nameThenLoad(deps, portalId, start, 50);
      await expect.poll(() => seen, { timeout: 2_000 }).toEqual(['load']);
      await naming;
    });
    expect(events).toEqual(['load', 'reload']);
  }, 60_000);

  it('starts the load when naming fails', async () => {
    const warned: string[] = [];
    const logger = { ...silent, warn: (_: unknown, msg: string) => warned.push(msg) };
    const events = await named(slowCrm(5, true), { logger }, (deps, _, start) => nameThenLoad(deps, portalId, start, 5_000));
    expect(events).toEqual(['load']);
    expect(warned).toEqual(['health: the profiles could not name their properties before the first load']);
  }, 60_000);
});
