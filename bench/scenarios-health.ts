// Health scores: health-scan (score every company of the large demo portal), health-summary-warm and
// health-backfill (the 30-day backfill's property history, medium demo portal).
// The sandbox runs in a child process so the RSS measured here is the backend's alone.
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { pino } from 'pino';
import { createCrmGateway, type CrmGateway } from '../src/backend/crm/gateway';
import { createApp } from '../src/backend/http/app';
import { ensureCopyProperties, queueRun, rateLimitFloorMs, runPortal, type RunStats } from '../src/backend/services/health/runner';
import { createCopyRepo, createDatabase, type Database } from '../src/backend/storage';
import { syncObjectsOf } from '../src/backend/sync/context';
import { runFirstLoad } from '../src/backend/sync/first-load';
import {
  BENCH_DATABASE_URL,
  childSandbox,
  percentile,
  PUBLIC,
  round,
  SECRET,
  signedGet,
  type ChildSandbox,
  type ScenarioResult,
} from './harness';
import type { BenchContext } from './scenarios-gateway';

const PG_URL = BENCH_DATABASE_URL();

/** PostgreSQL in a throw-away schema when the server answers (production's store), else PGlite. */
async function benchDatabase(): Promise<{ db: Database; kind: string; close(): Promise<void> }> {
  const probe = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  const ok = await probe.connect().then(
    () => true,
    () => false,
  );
  await probe.end().catch(() => {});
  if (!ok) {
    const db = await createDatabase({});
    return { db, kind: 'pglite', close: () => db.close() };
  }
  const schema = `bench_health_${process.pid}`;
  const db = await createDatabase({ databaseUrl: PG_URL, schema });
  return {
    db,
    kind: 'postgres',
    close: async () => {
      await db.exec(`drop schema if exists ${schema} cascade`);
      await db.close();
    },
  };
}

type Prepared = { sb: ChildSandbox; crm: CrmGateway; store: Awaited<ReturnType<typeof benchDatabase>>; size: string };
let prepared: Prepared | undefined;

async function release(): Promise<void> {
  if (!prepared) return;
  const p = prepared;
  prepared = undefined;
  await p.crm.close();
  await p.store.close();
  await p.sb.close();
}

/** The object types a health run reads; the others are left out of the bench's copy (marked ready, empty). */
const HEALTH_TYPES = new Set(['companies', 'deals', 'tickets', 'calls', 'emails', 'meetings', 'notes']);

/**
 * The portal copy a run reads, filled before measuring: the sandbox without rate limits, our
 * gateway's limits lifted, the health profiles' properties named first (as the scheduler does),
 * then the first load of the types health reads.
 */
async function fillCopy(sb: ChildSandbox, db: Database): Promise<{ ms: number; records: Record<string, number> }> {
  const started = performance.now();
  const loader = createCrmGateway({
    basePath: sb.url,
    tokens: { accessToken: async () => sb.portal.accessToken },
    limits: { general: { burst: 10_000, refillEveryMs: 1 }, search: { perWindow: 10_000, windowMs: 1 } },
  });
  try {
    const deps = { db, crm: loader, logger: pino({ level: 'silent' }), now: Date.now };
    await ensureCopyProperties(deps, sb.portal.id);
    const repo = createCopyRepo(db);
    for (const o of await syncObjectsOf(deps, sb.portal.id))
      if (!HEALTH_TYPES.has(o.objectType)) await repo.putSyncState(sb.portal.id, o.objectType, { state: 'ready' }, new Date());
    const loaded = await runFirstLoad(deps, sb.portal.id);
    if (!loaded.ready) throw new Error(`health-scan: the copy did not load: ${JSON.stringify(loaded.errors)}`);
    return { ms: Math.round(performance.now() - started), records: loaded.records };
  } finally {
    await loader.close();
  }
}

async function scoreAll(size: 'medium' | 'large', ctx: BenchContext) {
  await release();
  const sb = await childSandbox({ size, latencyMs: ctx.latencyMs, seed: ctx.seed, unlimited: true });
  const crm = createCrmGateway({ basePath: sb.url, tokens: { accessToken: async () => sb.portal.accessToken } });
  const store = await benchDatabase();
  prepared = { sb, crm, store, size };
  const copy = await fillCopy(sb, store.db);
  await sb.reset();
  // The copy was filled in this process: the run's peak is measured from here, after a GC.
  (globalThis as { gc?: () => void }).gc?.();
  const rssBefore = process.memoryUsage().rss;
  let peakRss = rssBefore;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);
  const started = performance.now();
  const run = await runPortal(
    { db: store.db, crm, logger: { info() {}, warn() {}, error() {} }, now: Date.now, backfillDays: 0, batchSize: 1000 },
    sb.portal.id,
    await queueRun(store.db, sb.portal.id, 'on-demand', Date.now()),
  );
  const wall = performance.now() - started;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  return { run, wall, peakRss, rssBefore, copy, counters: await sb.stats() };
}

function summaryWillRun(): boolean {
  const i = process.argv.indexOf('--only');
  return i < 0 || (process.argv[i + 1] ?? '').split(',').includes('health-summary-warm');
}

export const HEALTH_SCENARIOS = {
  'health-scan': (ctx: BenchContext) => healthScan(ctx),
  'health-summary-warm': (ctx: BenchContext) => healthSummaryWarm(ctx),
  'health-backfill': (ctx: BenchContext) => healthBackfill(ctx),
};

/** Health's run tables emptied: the next run is a profile's first again (profiles and the copy kept). */
async function resetRuns(db: Database): Promise<void> {
  await db.exec(
    'truncate health_runs, health_snapshots, health_record_state, health_run_totals, health_alerts, health_dirty, health_backfills',
  );
}

/**
 * health-backfill: what the 30-day backfill's property history costs on the medium demo portal
 * (issue 11 item 6). The copy filled as for health-scan; the sandbox at --latency, our gateway at
 * HubSpot's limits. Three runs from the copy: without backfill, the first backfill (history read
 * from HubSpot: batch reads of 50), a second backfill (history from the copy).
 */
export async function healthBackfill(ctx: BenchContext): Promise<ScenarioResult> {
  await release();
  const sb = await childSandbox({ size: 'medium', latencyMs: ctx.latencyMs, seed: ctx.seed, unlimited: true });
  const crm = createCrmGateway({ basePath: sb.url, tokens: { accessToken: async () => sb.portal.accessToken } });
  const store = await benchDatabase();
  prepared = { sb, crm, store, size: 'medium' };
  try {
    await fillCopy(sb, store.db);
    const db = store.db;
    const measure = async (backfillDays: number) => {
      await resetRuns(db);
      await sb.reset();
      const started = performance.now();
      const run = await runPortal(
        { db, crm, logger: { info() {}, warn() {}, error() {} }, now: Date.now, backfillDays, batchSize: 1000 },
        sb.portal.id,
        await queueRun(db, sb.portal.id, 'on-demand', Date.now()),
      );
      return { run, stats: run.stats as RunStats, wall: performance.now() - started, counters: await sb.stats() };
    };
    const plain = await measure(0);
    const first = await measure(30);
    const second = await measure(30);
    const windowStart = new Date(Date.now() - 30 * 86_400_000);
    const modified = await db.one<{ n: number; all: number }>(
      `select count(*) filter (where modified_at is null or modified_at > $2)::int as n, count(*)::int as all
         from crm_records where portal_id = $1 and object_type = 'companies' and not archived`,
      [sb.portal.id, windowStart],
    );
    const calls = first.stats.calls.batch ?? 0;
    const floorMs = Math.round(rateLimitFloorMs(0, calls));
    return {
      scenario: 'health-backfill',
      what: `30-day backfill of the medium demo portal's ${first.run.scored} companies (${modified.n} modified in the 30 days) with each property as it was that day (${store.kind})`,
      figures: {
        customers: first.run.scored,
        historyRecords: first.stats.historyRecords,
        historyCalls: calls,
        historyMs: first.stats.historyMs,
        historyFloorMs: floorMs,
        peak10s: first.counters.peak10s,
        rateLimited: first.counters.rateLimited,
        runWallMs: Math.round(plain.wall),
        backfillWallMs: Math.round(first.wall),
        againWallMs: Math.round(second.wall),
        againCalls: second.counters.totalCalls,
      },
      targets: [
        {
          name: 'calls',
          target: 'one batch read per 50 customers modified in the 30 days (pages of 1,000), nothing else',
          actual: `${first.counters.totalCalls} calls for ${first.stats.historyRecords} customers`,
          pass:
            first.stats.historyRecords === modified.n &&
            first.counters.totalCalls === calls &&
            calls <= Math.ceil(modified.n / 50) + Math.ceil(modified.all / 1000),
        },
        { name: '429s', target: '0', actual: String(first.counters.rateLimited), pass: first.counters.rateLimited === 0 },
        {
          name: 'again',
          target: 'a second backfill reads the history from the copy: 0 calls',
          actual: `${second.counters.totalCalls} calls`,
          pass: second.counters.totalCalls === 0 && second.stats.historyRecords === 0,
        },
      ],
    };
  } finally {
    await release();
  }
}

export async function healthScan(ctx: BenchContext): Promise<ScenarioResult> {
  const { run, wall, peakRss, rssBefore, copy, counters } = await scoreAll('large', ctx);
  const stats = run.stats as RunStats;
  const db = prepared!.store.db;
  const snap = await db.one<{ n: number; d: number }>(
    'select count(*)::int as n, count(distinct object_id)::int as d from health_snapshots where run_id = $1',
    [run.id],
  );
  const rssMb = Math.round(peakRss / 2 ** 20);
  const complete = run.status === 'done' && run.scored === 20_000 && snap.n === 20_000 && snap.d === 20_000;
  const storeKind = prepared!.store.kind;
  // health-summary-warm reads the scores of this run when it runs next in this process.
  if (!summaryWillRun()) await release();
  return {
    scenario: 'health-scan',
    what: `score every company of the large demo portal from the portal copy (${storeKind}; ${stats.engagements} engagement links, ${stats.tickets} tickets, ${stats.deals} deals joined)`,
    figures: {
      scored: run.scored,
      snapshots: snap.n,
      hubspotCalls: counters.totalCalls,
      searches: counters.searches,
      wallMs: Math.round(wall),
      loadMs: stats.loadMs,
      peakRssMb: rssMb,
      rssBeforeMb: Math.round(rssBefore / 2 ** 20),
      copyFillMs: copy.ms,
      copyRecords: Object.values(copy.records).reduce((a, b) => a + b, 0),
    },
    targets: [
      {
        name: 'complete',
        target: '20,000 companies, one snapshot each',
        actual: `${run.scored} scored, ${snap.n} snapshots (${snap.d} records)`,
        pass: complete,
      },
      { name: 'wall', target: '≤ 20 s from the copy (issue 11)', actual: `${round(wall / 1000, 2)} s`, pass: wall <= 20_000 },
      {
        name: 'hubspot',
        target: '0 HubSpot calls during the run',
        actual: `${counters.totalCalls} calls`,
        pass: counters.totalCalls === 0,
      },
      { name: 'rss', target: '≤ 500 MB', actual: `${rssMb} MB`, pass: rssMb <= 500 },
    ],
  };
}

export async function healthSummaryWarm(ctx: BenchContext): Promise<ScenarioResult> {
  if (!prepared) await scoreAll('medium', ctx);
  const p = prepared!;
  try {
    const manager = p.sb.portal.users.find((u) => u.superAdmin)!;
    const rep = p.sb.portal.users[0]!;
    const app = createApp({
      publicBaseUrl: PUBLIC,
      clientSecret: SECRET,
      crm: p.crm,
      db: p.store.db,
      logger: pino({ level: 'silent' }),
      installations: { isInstalled: async () => true },
      roles: { isManager: async (_portal, userId) => String(userId) === manager.id },
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((r) => server.once('listening', () => r()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const paths: [string, string][] = [
        ['/api/v1/health/summary', rep.id],
        ['/api/v1/health/summary?scope=portal', manager.id],
      ];
      for (const [path, user] of paths) await signedGet(url, path, p.sb.portal.id, user); // warm: owners, users, account
      const ms: number[] = [];
      let errors = 0;
      let customers = 0;
      for (let i = 0; i < 200; i += 1) {
        const [path, user] = paths[i % 2]!;
        const r = await signedGet(url, path, p.sb.portal.id, user);
        if (r.status !== 200) errors += 1;
        customers = Math.max(customers, (r.body as { customers?: number }).customers ?? 0);
        ms.push(r.ms);
      }
      const p95 = percentile(ms, 95);
      return {
        scenario: 'health-summary-warm',
        what: `GET /health/summary, a rep's book and the whole portal (${customers} customers, ${p.size} portal), 200 calls after a warm-up`,
        figures: { calls: ms.length, errors, p50Ms: round(percentile(ms, 50)), p95Ms: round(p95), maxMs: round(Math.max(...ms)) },
        targets: [{ name: 'p95', target: '≤ 20 ms', actual: `${round(p95)} ms`, pass: p95 <= 20 && errors === 0 }],
      };
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  } finally {
    await release();
  }
}
