// The 30-day backfill scores each past day with each property as it was that day (issue 11 item 6):
// the history of the properties the profile reads comes from the copy, else from HubSpot (batch
// reads with propertiesWithHistory, 50 a call) into the copy, so a repeated or resumed backfill
// reads nothing twice. Against the small demo portal on a sandbox clock: a customer's NPS changed
// 10 days before the run.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '@tiller/hubspot-sandbox';
import { createCrmGateway, type CrmGateway } from '../../crm/gateway';
import { createHealthRepo, type Database } from '../../storage';
import { describeEachDatabase, truncateAll } from '../../storage/testing';
import { loadHealthCopy, LIFTED_LIMITS, LIFTED_SANDBOX_LIMITS } from '../../../../tests/helpers/copy';
import { asOf, type LoadedRecord } from './data';
import { queueRun, runPortal, type RunnerDeps, type RunStats } from './runner';

const silent = { info() {}, warn() {}, error() {} };
const DAY = 86_400_000;
const T = Date.UTC(2026, 11, 1, 12, 0, 0); // the run's moment
const CHANGED = T - 10 * DAY; // when the customer's NPS went from ≥ 9 to 2

let clock = CHANGED;
let sb: Sandbox;
let crm: CrmGateway;
let portalId: number;
let customer: string;

beforeAll(async () => {
  sb = await startSandbox({ port: 0, seed: 1, size: 'small', rateLimit: LIFTED_SANDBOX_LIMITS, now: () => clock });
  const portal = sb.portals[0]!;
  portalId = portal.id;
  crm = createCrmGateway({ basePath: sb.url, tokens: { accessToken: async () => portal.accessToken }, limits: LIFTED_LIMITS });
  const promoters = await crm.portal(portalId).search('companies', {
    filterGroups: [{ filters: [{ propertyName: 'nps_score', operator: 'GTE', value: '9' }] }],
    properties: ['nps_score'],
    limit: 1,
  });
  customer = promoters.results[0]!.id;
  await crm.portal(portalId).batchUpdate('companies', [{ id: customer, properties: { nps_score: '2' } }]);
  clock = T;
}, 60_000);

afterAll(async () => {
  await crm?.close();
  await sb?.close();
});

const loaded = new WeakSet<Database>();

/** The copy loaded once per database; health's tables and the copy's read history emptied. */
async function fresh(db: Database): Promise<void> {
  if (!loaded.has(db)) {
    await truncateAll(db);
    await loadHealthCopy({ db, crm, portalId, now: () => clock });
    loaded.add(db);
  }
  await db.exec(
    'truncate health_runs, health_snapshots, health_record_state, health_run_totals, health_alerts, health_dirty, health_backfills, crm_history_properties',
  );
  await db.query("delete from crm_property_history where object_type = 'companies'");
  sb.control.resetStats();
}

/** Health's tables emptied (a new install of the profile), the copy's history kept. */
async function resetHealth(db: Database): Promise<void> {
  await db.exec(
    'truncate health_runs, health_snapshots, health_record_state, health_run_totals, health_alerts, health_dirty, health_backfills',
  );
  sb.control.resetStats();
}

async function run(deps: RunnerDeps): Promise<RunStats> {
  const done = await runPortal(deps, portalId, await queueRun(deps.db, portalId, 'on-demand', clock));
  return done.stats as RunStats;
}

async function npsPoints(db: Database, objectId: string): Promise<{ day: number; points: number | null }[]> {
  const rows = await db.query<{ at: Date; criteria: { id: string; points: number | null }[] }>(
    `select at, criteria from health_snapshots where portal_id = $1 and object_id = $2 and backfilled order by at`,
    [portalId, objectId],
  );
  return rows.map((r) => ({ day: Math.round((T - r.at.getTime()) / DAY), points: r.criteria.find((c) => c.id === 'nps')?.points ?? null }));
}

/** Companies the backfill scores whose properties may have changed in its 30 days (modified since). */
async function changingCompanies(db: Database): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    `select id::text as id from crm_records where portal_id = $1 and object_type = 'companies' and not archived
        and (modified_at is null or modified_at > $2) order by id`,
    [portalId, new Date(T - 30 * DAY)],
  );
  return rows.map((r) => r.id);
}

describe('asOf with property history', () => {
  const record: LoadedRecord = {
    id: '1',
    label: 'Acme',
    ownerId: null,
    createdAt: T - 100 * DAY,
    properties: { nps_score: 2, name: 'Acme' },
    history: {
      nps_score: [
        { at: T - 40 * DAY, value: 9 },
        { at: T - 10 * DAY, value: 2 },
      ],
    },
  };
  it.each([
    ['before its first value: unset', T - 50 * DAY, undefined],
    ['between two changes: the earlier value', T - 11 * DAY, 9],
    ['at the moment of a change: the new value', T - 10 * DAY, 2],
    ['after the last change: today’s value', T - 1 * DAY, 2],
  ])('%s', (_name, at, expected) => {
    expect(asOf(record, at)!.properties.nps_score).toBe(expected);
    expect(asOf(record, at)!.properties.name).toBe('Acme'); // no history: today's value
  });
});

describeEachDatabase('backfill with property history', (getDb) => {
  beforeEach(async () => fresh(getDb()), 180_000);

  it('scores the days before a change with the old value and the days after with the new one, in ⌈n/50⌉ calls', async () => {
    const db = getDb();
    const stats = await run({ db, crm, logger: silent, now: () => clock, backfillDays: 30 });
    const points = await npsPoints(db, customer);
    expect(points).toHaveLength(30);
    const before = points.filter((p) => p.day > 10);
    const after = points.filter((p) => p.day <= 10);
    expect(before).toHaveLength(20);
    // The default profile's NPS criterion: ≥ 9 gives all its points, below 7 none.
    expect(new Set(before.map((p) => p.points))).toEqual(new Set([before[0]!.points]));
    expect(before[0]!.points).toBeGreaterThan(0);
    expect(after.every((p) => p.points === 0)).toBe(true);

    // The calls: one batch read per 50 customers modified inside the window, and nothing else.
    const changing = await changingCompanies(db);
    expect(changing).toContain(customer);
    expect(changing.length).toBeLessThan(200); // customers untouched for 30 days need no history
    expect(stats.historyRecords).toBe(changing.length);
    expect(stats.calls).toEqual({ batch: Math.ceil(changing.length / 50) });
    expect(sb.control.stats().totalCalls).toBe(Math.ceil(changing.length / 50));

    // A second backfill (a new install of the profile) reads the history from the copy: no call,
    // the same history.
    await resetHealth(db);
    const again = await run({ db, crm, logger: silent, now: () => clock, backfillDays: 30 });
    expect(again.historyRecords).toBe(0);
    expect(again.calls).toEqual({});
    expect(sb.control.stats().totalCalls).toBe(0);
    expect(await npsPoints(db, customer)).toEqual(points);
  }, 120_000);

  it('a backfill that crashes and resumes reads each customer’s history once', async () => {
    const db = getDb();
    let crashes = 1;
    const deps: RunnerDeps = {
      db,
      crm,
      logger: silent,
      now: () => clock,
      backfillDays: 30,
      pageSize: 50,
      batchSize: 40,
      afterBatch: () => {
        if (crashes > 0) {
          crashes -= 1;
          throw new Error('simulated crash');
        }
      },
    };
    const first = await queueRun(db, portalId, 'on-demand', clock);
    await expect(runPortal(deps, portalId, first)).rejects.toThrow('simulated crash');
    const afterCrash = sb.control.stats().totalCalls;
    expect(afterCrash).toBe(1); // the first page's customers
    const resumed = await runPortal(deps, portalId, (await createHealthRepo(db).unfinishedRun(portalId))!);
    expect(resumed.status).toBe('done');
    // Pages of 50: one call per page holding a customer modified inside the window, each page once.
    const changing = await changingCompanies(db);
    const ids = (
      await db.query<{ id: string }>(
        "select id::text as id from crm_records where portal_id = $1 and object_type = 'companies' and not archived order by id",
        [portalId],
      )
    ).map((r) => r.id);
    const pages = new Set(changing.map((id) => Math.floor(ids.indexOf(id) / 50)));
    expect(sb.control.stats().totalCalls).toBe(pages.size);
    const points = await npsPoints(db, customer);
    expect(points.filter((p) => p.day > 10).every((p) => (p.points ?? 0) > 0)).toBe(true);
    expect(points.filter((p) => p.day <= 10).every((p) => p.points === 0)).toBe(true);
  }, 120_000);
});
