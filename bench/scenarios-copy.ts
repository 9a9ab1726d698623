// Issue #11's portal-copy scenarios: freshness with and without webhooks, churn, first load and
// storage. Each runs the product's own pieces in this process — the app (createApp), the webhook
// receiver and its durable queue (createWebhookWorker), the copy's jobs (createPortalSync), health's
// scheduler with its rescoring of changed customers (createHealthScheduler, markChanged) — on
// PostgreSQL (a schema of its own, dropped at the end), against the sandbox sending HubSpot-style
// webhooks. "After the first load": the copy is loaded first with the sandbox at 0 ms and our
// limits lifted (the load is first-load's scenario, not theirs), then the sandbox runs at the
// bench's latency with HubSpot's limits, and only then are changes made.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pino } from 'pino';
import { generateDemoPortal } from '@tiller/hubspot-sandbox/generator';
import type { Fixture } from '@tiller/hubspot-sandbox/fixture';
import { createCrmGateway, type CrmGateway } from '../src/backend/crm/gateway';
import { createApp } from '../src/backend/http/app';
import { createHealthScheduler, type HealthScheduler } from '../src/backend/jobs/health-scheduler';
import { createWebhookWorker, type WebhookWorker } from '../src/backend/jobs/webhook-worker';
import { ensureCopyProperties, markChanged } from '../src/backend/services/health/runner';
import { createDatabase, createCopyRepo, type Database } from '../src/backend/storage';
import { createPortalSync, type PortalSync } from '../src/backend/sync';
import { runFirstLoad } from '../src/backend/sync/first-load';
import { reconcilePortal } from '../src/backend/sync/reconcile';
import type { CopyChange } from '../src/backend/sync/webhook-events';
import {
  BENCH_DATABASE_URL as DATABASE_URL,
  childSandbox,
  dropCopy,
  percentile,
  round,
  sandbox,
  SECRET,
  signedGet,
  withLiftedSandboxLimits,
  type Sandbox,
  type ScenarioResult,
} from './harness';
import { sandboxCounters } from './sandbox-stats';
import type { BenchContext } from './scenarios-gateway';
import { LIFTED_LIMITS } from '../tests/helpers/copy';

const COMPONENT = path.resolve(import.meta.dirname, '../src/app/webhooks/webhooks-hsmeta.json');
/**
 * Which demo portal the copy scenarios use. Issue #11's targets are for large (COPY_BENCH_SIZE=large),
 * but loading its copy first takes over 10 minutes on a loaded 2-core machine, so medium is the default.
 */
const copySize = () => (process.env.COPY_BENCH_SIZE ?? 'medium') as 'small' | 'medium' | 'large';
const silent = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const num = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);

type Stack = {
  sb: Sandbox;
  db: Database;
  crm: CrmGateway;
  sync: PortalSync;
  worker: WebhookWorker;
  health: HealthScheduler;
  /** Every change the worker handed to the copy, in order. */
  applied: CopyChange[];
  url: string;
  publicBase: string;
  portalId: number;
  loadMs: number;
  close(): Promise<void>;
};

/** A schema of its own on PostgreSQL, dropped by the returned close. */
async function benchDatabase(): Promise<{ db: Database; drop(): Promise<void> }> {
  const schema = `syncbench_${process.pid}_${Date.now()}`;
  const db = await createDatabase({ databaseUrl: DATABASE_URL(), schema, maxConnections: 10 });
  return {
    db,
    drop: () => dropCopy({ db, schema }),
  };
}

/** The product end to end for one portal: loaded copy, webhooks received and applied, polls every pollMs. */
async function copyStack(ctx: BenchContext, opts: { searchDelayMs: number; pollMs?: number }): Promise<Stack> {
  const server: Server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sb = await sandbox({
    seed: ctx.seed,
    size: copySize(),
    latencyMs: 0,
    webhooks: { targetUrl: `${url}/webhooks/hubspot`, clientSecret: SECRET, componentPath: COMPONENT },
  });
  const portalId = sb.portals[0]!.id;
  const tokens = new Map(sb.portals.map((p) => [p.id, p.accessToken]));
  const { db, drop } = await benchDatabase();
  const loader = createCrmGateway({
    basePath: sb.url,
    tokens: { accessToken: async (id) => tokens.get(id) ?? null },
    limits: LIFTED_LIMITS,
  });
  const started = performance.now();
  // The properties health's default profile reads are named before the load, as the scheduler's
  // first tick names them at install (otherwise the first health run would wait for a reload).
  const loaded = await withLiftedSandboxLimits(sb, async () => {
    await ensureCopyProperties({ db, crm: loader, logger: silent, now: Date.now }, portalId);
    return runFirstLoad({ db, crm: loader, logger: silent, now: Date.now }, portalId);
  });
  const loadMs = performance.now() - started;
  await loader.close();
  if (!loaded.ready) throw new Error(`the first load failed: ${JSON.stringify(loaded.errors)}`);

  const crm = createCrmGateway({ basePath: sb.url, tokens: { accessToken: async (id) => tokens.get(id) ?? null } });
  const sync = createPortalSync({
    db,
    crm,
    logger: silent,
    now: Date.now,
    portals: async () => [portalId],
    pollMs: opts.pollMs,
    // As the server wires it: customers touched by a change are rescored (health follows the data).
    onChanged: async (p, touched) => void (await markChanged(db, p, touched, Date.now())),
  });
  // Health with production's rescoring defaults; its first full run is made below, before any
  // change (without the 30-day backfill, which is not these scenarios' subject).
  const health = createHealthScheduler({
    db,
    crm,
    logger: silent,
    now: Date.now,
    portals: async () => [portalId],
    intervalMinutes: 360,
    backfillDays: 0,
  });
  const applied: CopyChange[] = [];
  const worker = createWebhookWorker({
    db,
    logger: silent,
    isInstalled: async (p) => p === portalId,
    onUninstalled: async () => {},
    apply: async (p, changes) => {
      await sync.applyChanges(p, changes);
      applied.push(...changes);
    },
  });
  const app = createApp({
    publicBaseUrl: url,
    clientSecret: SECRET,
    crm,
    db,
    installations: { isInstalled: async (id) => id === portalId },
    roles: { isManager: async () => true },
    logger: silent,
    exposeMetering: true,
    webhooks: worker,
    healthScheduler: health,
  });
  server.on('request', app);
  sb.control.setLatency(ctx.latencyMs);
  sb.control.setSearchDelay(opts.searchDelayMs);
  worker.start();
  await sync.runNow(portalId); // the first poll after the load, at the bench's latency
  sync.start();
  // start() ticks at once: a second poll right after the first, re-reading the records changed in
  // its 5-minute overlap (the whole load's tail). Measuring starts once it is over (steady state:
  // the next poll comes 30 s later, among the rounds).
  await sync.runNow(portalId);
  const firstRun = await health.runDue(portalId);
  if (firstRun !== 'ran') throw new Error(`the first health run did not run: ${firstRun}`);
  health.start();
  return {
    sb,
    db,
    crm,
    sync,
    worker,
    health,
    applied,
    url,
    publicBase: url,
    portalId,
    loadMs,
    close: async () => {
      await health.stop();
      await sync.stop();
      await worker.stop();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await crm.close();
      await sb.close();
      await drop();
    },
  };
}

async function sandboxChanges(sb: Sandbox, userId: string, changes: unknown[]): Promise<{ op: string; id?: string }[]> {
  const res = await fetch(`${sb.url}/__sandbox/changes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId, changes }),
  });
  if (res.status !== 200) throw new Error(`POST /__sandbox/changes: HTTP ${res.status} ${await res.text()}`);
  return ((await res.json()) as { results: { op: string; id?: string }[] }).results;
}

// ---- freshness ------------------------------------------------------------------------------------

type Json = Record<string, unknown>;
/** One answer a change must reach: where to read it, and how to make a change it shows and see it. */
type Probe = {
  name: string;
  /** Answered from the copy (false: read from HubSpot at request time; every probe reads the copy today). */
  copy: boolean;
  /**
   * Shown only through webhooks: a deletion never shows in a search, so without webhooks the hourly
   * reconciliation repairs it (docs/decisions/0007's bound), not the poll; freshness-no-webhooks skips it.
   */
  webhooksOnly?: true;
  /** Prepares the probe from its first answer: the change to make this round and the test that the answer shows it. */
  setup(
    get: (p: string) => Promise<Json>,
    round: number,
    tag: string,
  ): Promise<{ path: string; change: unknown; shows(body: Json): boolean } | null>;
};

const NAME_PROPERTY: Record<string, string> = {
  companies: 'name',
  deals: 'dealname',
  contacts: 'lastname',
  tickets: 'subject',
  leads: 'hs_lead_name',
};
const text = (b: Json) => JSON.stringify(b);
// Sorted on a property the changes leave alone, so a renamed row stays where it was.
const CUSTOMERS = '/api/v1/workspace/customers?view=owned-by-me&sort=createdate&direction=DESC&limit=50';

/**
 * The answers a change must reach. Add a row to probe another endpoint. Health answers show stored
 * scores: a change reaches them when the stack's rescoring job has rescored the customers it touched
 * (a lone change after 1 s of quiet, issue #11 item 6).
 */
const PROBES: Probe[] = [
  {
    name: 'task buckets',
    copy: true,
    async setup(get, round, tag) {
      const p = '/api/v1/tasks/buckets?limit=50';
      const body = (await get(p)) as { buckets: Record<string, { tasks: { id: string }[] }> };
      const task = Object.values(body.buckets).flatMap((b) => b.tasks)[0];
      if (!task) return null;
      const subject = `Fresh task ${tag}-${round}`;
      return {
        path: p,
        change: { op: 'update', objectType: 'tasks', id: task.id, properties: { hs_task_subject: subject } },
        shows: (b) => text(b).includes(subject),
      };
    },
  },
  {
    name: 'customers view',
    copy: true,
    async setup(get, round, tag) {
      const p = CUSTOMERS;
      const body = (await get(p)) as { objectType: string; rows: { id: string }[] };
      const row = body.rows[0];
      if (!row) return null;
      const name = `Fresh customer ${tag}-${round}`;
      return {
        path: p,
        change: { op: 'update', objectType: body.objectType, id: row.id, properties: { [NAME_PROPERTY[body.objectType] ?? 'name']: name } },
        shows: (b) => text(b).includes(name),
      };
    },
  },
  {
    name: 'record preview',
    copy: true,
    async setup(get, round, tag) {
      const list = (await get(CUSTOMERS)) as { objectType: string; rows: { id: string }[] };
      const row = list.rows[1];
      if (!row) return null;
      const name = `Fresh preview ${tag}-${round}`;
      return {
        path: `/api/v1/workspace/customers/records/${row.id}`,
        change: { op: 'update', objectType: list.objectType, id: row.id, properties: { [NAME_PROPERTY[list.objectType] ?? 'name']: name } },
        shows: (b) => text(b).includes(name),
      };
    },
  },
  {
    name: 'guided actions',
    copy: true,
    async setup(get, round, tag) {
      const p = '/api/v1/guided-actions';
      const body = (await get(p)) as { actions?: { record: { objectType: string; objectId: string } }[] };
      const record = body.actions?.map((a) => a.record).find((r) => NAME_PROPERTY[r.objectType]);
      if (!record) return null;
      const name = `Fresh action ${tag}-${round}`;
      return {
        path: p,
        change: {
          op: 'update',
          objectType: record.objectType,
          id: record.objectId,
          properties: { [NAME_PROPERTY[record.objectType]!]: name },
        },
        shows: (b) => text(b).includes(name),
      };
    },
  },
  {
    name: 'health summary',
    copy: true,
    webhooksOnly: true,
    // A customer deleted (then restored next round) changes how many customers the summary counts.
    async setup(get, round) {
      const p = '/api/v1/health/summary';
      const [summary, list] = (await Promise.all([get(p), get(CUSTOMERS)])) as [
        { customers?: number },
        { objectType: string; rows: { id: string }[] },
      ];
      // The page's last row: never one the other probes rename (a deletion reaches the copy through
      // a webhook or, without them, only through the hourly reconciliation).
      const row = list.rows[list.rows.length - 1];
      if (typeof summary.customers !== 'number' || !row) return null;
      const archive = round % 2 === 0;
      const want = summary.customers + (archive ? -1 : 1);
      healthTarget ??= { objectType: list.objectType, id: row.id };
      return {
        path: p,
        change: { op: archive ? 'archive' : 'restore', ...healthTarget },
        shows: (b) => (b as { customers?: number }).customers === want,
      };
    },
  },
  {
    name: 'health score',
    copy: true,
    // The CSM's sentiment (a criterion of the default profile) changed on a customer no other probe
    // touches: its health record shows a new computation with the new value.
    async setup(get) {
      const list = (await get(CUSTOMERS)) as { objectType: string; rows: { id: string }[] };
      const row = list.rows[2];
      if (!row) return null;
      const p = `/api/v1/health/records/${list.objectType}/${row.id}`;
      const before = (await get(p)) as { computedAt?: string; criteria?: unknown[] };
      if (!before.computedAt) return null;
      const next = text({ c: before.criteria }).includes('"Negative"') ? 'Positive' : 'Negative';
      return {
        path: p,
        change: { op: 'update', objectType: list.objectType, id: row.id, properties: { hs_csm_sentiment: next } },
        shows: (b) => (b as { computedAt?: string }).computedAt !== before.computedAt && text({ c: b.criteria }).includes(`"${next}"`),
      };
    },
  },
];
let healthTarget: { objectType: string; id: string } | undefined;

type ProbeSamples = { name: string; copy: boolean; ms: number[]; missed: number; answerMs: number[]; skipped: number };

async function measureFreshness(
  stack: Stack,
  opts: { rounds: number; timeoutMs: number; gapMs: number; requestTimeTimeoutMs?: number; webhooks: boolean },
): Promise<{ probes: ProbeSamples[]; rep: string; failures: string[] }> {
  const probes = PROBES.filter((p) => opts.webhooks || !p.webhooksOnly);
  const portal = stack.sb.portals[0]!;
  const rep = portal.users.find((u) => u.ownerId && !u.superAdmin)!;
  const other = portal.users.find((u) => u.superAdmin) ?? portal.users[1]!;
  const answerMs = new Map<string, number[]>();
  const get = async (p: string, probe = '') => {
    const r = await signedGet(stack.url, p, portal.id, rep.id, { publicBase: stack.publicBase });
    if (probe) answerMs.set(probe, [...(answerMs.get(probe) ?? []), r.ms]);
    if (r.status !== 200) throw new Error(`${p}: HTTP ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
    return r.body as Json;
  };
  const samples: ProbeSamples[] = probes.map((p) => ({ name: p.name, copy: p.copy, ms: [], missed: 0, answerMs: [], skipped: 0 }));
  const tag = Date.now().toString(36);
  const failures: string[] = [];
  // Copy-backed probes and request-time ones take turns: a request-time answer (guided actions: dozens
  // of HubSpot calls at interactive priority) read every 100 ms would hold the portal's HubSpot
  // budget, and the copy's re-reads (background priority) would wait behind it.
  const groups = [true, false].map((copy) => probes.map((p, i) => ({ p, i })).filter(({ p }) => p.copy === copy));
  for (let round = 0; round < opts.rounds; round++) {
    for (const group of groups) {
      const ready = await Promise.all(group.map(({ p }) => p.setup((x) => get(x), round, tag).catch(() => null)));
      const changes = ready.flatMap((r) => (r ? [r.change] : []));
      if (changes.length === 0) continue;
      const t0 = performance.now();
      const made = await sandboxChanges(stack.sb, other.id, changes).then(
        () => true,
        (err: Error) => (failures.push(err.message.slice(0, 200)), false),
      );
      if (!made) {
        for (const { i } of group) samples[i]!.skipped++;
        continue;
      }
      await Promise.all(
        ready.map(async (r, k) => {
          const s = samples[group[k]!.i]!;
          if (!r) return void s.skipped++;
          for (;;) {
            const body = await get(r.path, s.name).catch(() => ({}) as Json);
            const at = performance.now() - t0;
            if (r.shows(body)) return void s.ms.push(at);
            if (at > (s.copy ? opts.timeoutMs : (opts.requestTimeTimeoutMs ?? opts.timeoutMs))) return void s.missed++;
            await sleep(100);
          }
        }),
      );
      await sleep(opts.gapMs);
    }
  }
  for (const s of samples) s.answerMs = answerMs.get(s.name) ?? [];
  return { probes: samples, rep: `${rep.firstName} ${rep.lastName}`, failures };
}

function freshnessResult(
  scenario: string,
  what: string,
  r: { probes: ProbeSamples[]; failures: string[] },
  targetMs: number,
  extra: Record<string, number | string>,
): ScenarioResult {
  const figures: Record<string, number | string> = { ...extra };
  if (r.failures.length) figures.changeFailures = `${r.failures.length}: ${r.failures[0]}`;
  for (const p of r.probes) {
    const key = p.name.replace(/ (\w)/g, (_, c: string) => c.toUpperCase());
    figures[`${key}P95Ms`] = p.ms.length ? Math.round(percentile(p.ms, 95)) : 'none';
    figures[`${key}Missed`] = p.missed;
    if (p.skipped) figures[`${key}Skipped`] = p.skipped;
    figures[`${key}AnswerP50Ms`] = round(percentile(p.answerMs, 50));
  }
  const judge = (probes: ProbeSamples[]) => {
    const all = probes.flatMap((p) => p.ms);
    const missed = probes.reduce((n, p) => n + p.missed + p.skipped, 0);
    // A missed change counts as slower than any measured one.
    const p95 = missed > 0 && missed / (all.length + missed) > 0.05 ? Infinity : percentile(all, 95);
    return { p95, missed, n: all.length + missed };
  };
  const copy = judge(r.probes.filter((p) => p.copy));
  const every = judge(r.probes);
  const fmt = (j: { p95: number; missed: number; n: number }) =>
    `p95 ${Number.isFinite(j.p95) ? `${round(j.p95 / 1000, 2)} s` : '> timeout'} over ${j.n} (${j.missed} not shown)`;
  return {
    scenario,
    what,
    figures,
    targets: [
      {
        name: 'copy-backed answers',
        target: `≤ ${targetMs / 1000} s p95`,
        actual: `${fmt(copy)} — ${r.probes
          .filter((p) => p.copy)
          .map((p) => p.name)
          .join(', ')}`,
        pass: copy.p95 <= targetMs,
      },
      {
        name: 'every affected answer',
        target: `≤ ${targetMs / 1000} s p95`,
        actual: `${fmt(every)}; ${r.probes
          .map((p) => `${p.name} ${p.ms.length ? `${round(percentile(p.ms, 95) / 1000, 1)} s p95` : 'never shown'}, ${p.missed} missed`)
          .join('; ')}`,
        pass: every.p95 <= targetMs,
      },
    ],
  };
}

export async function freshnessWebhooks(ctx: BenchContext): Promise<ScenarioResult> {
  const stack = await copyStack(ctx, { searchDelayMs: num('FRESHNESS_SEARCH_DELAY_MS', 5_000) });
  try {
    const rounds = num('FRESHNESS_ROUNDS', 10);
    const r = await measureFreshness(stack, { rounds, timeoutMs: num('FRESHNESS_TIMEOUT_MS', 20_000), gapMs: 500, webhooks: true });
    const wh = stack.sb.control.webhooks.stats();
    return freshnessResult(
      'freshness-webhooks',
      `${rounds} rounds: a change per probe made in the sandbox by another user (one POST /__sandbox/changes), then each probe's answer read every 100 ms until it shows it; ${copySize()} demo portal after its first load, webhooks delivered, search index delay ${num('FRESHNESS_SEARCH_DELAY_MS', 5_000)} ms, rep ${r.rep}`,
      r,
      5_000,
      { records: await recordCount(stack), webhookEvents: wh.events, webhookRequests: wh.requests, firstLoadS: round(stack.loadMs / 1000) },
    );
  } finally {
    await stack.close();
  }
}

export async function freshnessNoWebhooks(ctx: BenchContext): Promise<ScenarioResult> {
  const searchDelayMs = num('FRESHNESS_SEARCH_DELAY_MS', 5_000);
  const stack = await copyStack(ctx, { searchDelayMs });
  try {
    stack.sb.control.webhooks.configure({ dropRate: 1 });
    const rounds = num('FRESHNESS_ROUNDS', 4);
    // Rounds a random share of the poll interval apart, so changes land at every point of it.
    // Answers not on the copy yet do not depend on webhooks: 30 s is plenty to see whether they show a change.
    const r = await measureFreshness(stack, {
      rounds,
      webhooks: false,
      timeoutMs: num('FRESHNESS_TIMEOUT_MS', 150_000),
      gapMs: 7_000,
      requestTimeTimeoutMs: 30_000,
    });
    const wh = stack.sb.control.webhooks.stats();
    return freshnessResult(
      'freshness-no-webhooks',
      `as freshness-webhooks with every webhook dropped: only the 30 s poll (5 min overlap) brings changes; search index delay ${searchDelayMs} ms; ${rounds} rounds`,
      r,
      120_000,
      { records: await recordCount(stack), webhookEvents: wh.events, dropped: wh.dropped, applied: stack.applied.length },
    );
  } finally {
    await stack.close();
  }
}

async function recordCount(stack: Stack): Promise<number> {
  return (await createCopyRepo(stack.db).syncStates(stack.portalId)).reduce((n, s) => n + s.records, 0);
}

// ---- churn ------------------------------------------------------------------------------------------

function seeded(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

/**
 * CHURN_MS of changes (default 60 s; 600000 is the issue's 10 minutes) by another user, CHURN_RATE
 * a second, with 5 % of deliveries dropped, 5 % duplicated and 5 % reordered. At the end the copy
 * is repaired as in production (webhooks, then a poll, then a reconciliation for what polls cannot
 * see: deletions whose webhook was dropped) and compared with the sandbox record by record.
 */
export async function churn(ctx: BenchContext): Promise<ScenarioResult> {
  const durationMs = num('CHURN_MS', 60_000);
  const perSecond = num('CHURN_RATE', 10);
  const stack = await copyStack(ctx, { searchDelayMs: num('FRESHNESS_SEARCH_DELAY_MS', 5_000) });
  const { sb, db, portalId } = stack;
  try {
    const random = seeded(ctx.seed * 7919);
    sb.control.webhooks.configure({ dropRate: 0.05, duplicateRate: 0.05, reorderRate: 0.05, reorderWindowMs: 2_000, random });
    sb.control.webhooks.resetStats();
    const workerBefore = stack.worker.counters();
    const appliedBefore = stack.applied.length;
    const repo = createCopyRepo(db);
    // The records churned: a sample of each type the features read most, from the copy.
    const pool: Record<string, string[]> = {};
    for (const type of ['companies', 'contacts', 'deals', 'tasks']) {
      const rows = await db.query<{ id: string }>(
        `select id from crm_records where portal_id = $1 and object_type = $2 and not archived order by id limit 200`,
        [portalId, type],
      );
      pool[type] = rows.map((r) => r.id);
    }
    const PROPS: Record<string, (i: number) => Record<string, string>> = {
      companies: (i) => ({ name: `Churn co ${i}` }),
      contacts: (i) => ({ lastname: `Churn ${i}` }),
      deals: (i) => ({ dealname: `Churn deal ${i}`, amount: String(1000 + i) }),
      tasks: (i) => ({ hs_task_subject: `Churn task ${i}`, hs_task_priority: i % 2 ? 'HIGH' : 'LOW' }),
    };
    const touched: Record<string, Set<string>> = { companies: new Set(), contacts: new Set(), deals: new Set(), tasks: new Set() };
    const archived = new Set<string>();
    const created: { type: string; id: string }[] = [];
    const other = sb.portals[0]!.users.find((u) => u.superAdmin)?.id ?? sb.portals[0]!.users[0]!.id;
    let ops = 0;
    let i = 0;
    const started = performance.now();
    while (performance.now() - started < durationMs) {
      const tickStart = performance.now();
      const batch: unknown[] = [];
      for (let k = 0; k < perSecond; k++) {
        i++;
        const type = (['companies', 'contacts', 'deals', 'tasks'] as const)[Math.floor(random() * 4)]!;
        const ids = pool[type]!;
        const id = ids[Math.floor(random() * ids.length)]!;
        const roll = random();
        if (roll < 0.8 || archived.has(`${type}/${id}`)) {
          if (archived.has(`${type}/${id}`)) continue;
          batch.push({ op: 'update', objectType: type, id, properties: PROPS[type]!(i) });
          touched[type]!.add(id);
        } else if (roll < 0.88) {
          batch.push({ op: 'create', objectType: type, properties: PROPS[type]!(i) });
        } else if (roll < 0.94) {
          const company = pool.companies![Math.floor(random() * pool.companies!.length)]!;
          if (type === 'companies' || archived.has(`companies/${company}`)) continue;
          batch.push({ op: 'associate', fromType: type, fromId: id, toType: 'companies', toId: company });
          touched[type]!.add(id);
        } else {
          batch.push({ op: 'archive', objectType: type, id });
          archived.add(`${type}/${id}`);
          touched[type]!.add(id);
        }
      }
      if (batch.length) {
        const results = await sandboxChanges(sb, other, batch);
        ops += batch.length;
        results.forEach((r, j) => {
          const o = batch[j] as { op: string; objectType?: string };
          if (o.op === 'create' && r.id) created.push({ type: o.objectType!, id: r.id });
        });
      }
      await sleep(Math.max(0, 1_000 - (performance.now() - tickStart)));
    }
    for (const c of created) touched[c.type]!.add(c.id);

    // Delivery settles (retries of failed requests included), then the queue.
    await sb.control.webhooks.idle();
    await stack.worker.drain();
    const wh = sb.control.webhooks.stats();
    const w = stack.worker.counters();
    const appliedChanges = stack.applied.length - appliedBefore;
    const duplicatesCaught = w.duplicates - workerBefore.duplicates;
    // Repair as production does: a poll (property changes whose webhook was lost), then a
    // reconciliation (deletions and associations whose webhook was lost). The reconciliation runs
    // with the sandbox at 0 ms so the scenario stays short; its bound is 0007's (≈ 70 min).
    const afterWebhooks = await compare(sb, repo, portalId, touched);
    const repairStarted = performance.now();
    sb.control.setSearchDelay(0);
    await stack.sync.runNow(portalId);
    const pollMs = performance.now() - repairStarted;
    const diffAfterPoll = await compare(sb, repo, portalId, touched);
    sb.control.setLatency(0);
    const fast = createCrmGateway({
      basePath: sb.url,
      tokens: { accessToken: async () => sb.portals[0]!.accessToken },
      limits: LIFTED_LIMITS,
    });
    const reconcileStarted = performance.now();
    await reconcilePortal({ db, crm: fast, logger: silent, now: Date.now }, portalId);
    const reconcileMs = performance.now() - reconcileStarted;
    await fast.close();
    const diff = await compare(sb, repo, portalId, touched);
    const receivedOnce = wh.delivered - wh.duplicated; // every notification that reached us, counted once
    const twice = appliedChanges - (wh.events - wh.dropped);
    return {
      scenario: 'churn',
      what: `${round(durationMs / 60_000, 1)} min of changes by another user (${perSecond}/s: updates, creations, associations, deletions over ${Object.values(pool).reduce((n, p) => n + p.length, 0)} records) with 5 % of deliveries dropped, 5 % duplicated, 5 % reordered; then a poll and a reconciliation; the copy compared with the sandbox (CHURN_MS=600000 for the issue's 10 minutes)`,
      figures: {
        changes: ops,
        notifications: wh.events,
        dropped: wh.dropped,
        duplicated: wh.duplicated,
        reordered: wh.reordered,
        lostBySandbox: wh.lost,
        applied: appliedChanges,
        duplicatesCaught,
        recordsCompared: diff.compared,
        wrongAfterWebhooks: afterWebhooks.wrong,
        wrongAfterPoll: diffAfterPoll.wrong,
        wrongAfterReconcile: diff.wrong,
        pollMs: Math.round(pollMs),
        reconcileS: round(reconcileMs / 1000),
      },
      targets: [
        {
          name: 'lost',
          target: '0 changes lost',
          actual: `${diff.wrong} of ${diff.compared} touched records differ from the sandbox${diff.examples.length ? ` (${diff.examples.join('; ')})` : ''}`,
          pass: diff.wrong === 0 && diff.compared > 0,
        },
        {
          name: 'applied twice',
          target: '0 applied twice',
          actual: `${appliedChanges} applied for ${wh.events - wh.dropped} notifications received (${receivedOnce} deliveries, ${duplicatesCaught} duplicates caught of ${wh.duplicated} sent)`,
          pass: twice === 0 && duplicatesCaught === wh.duplicated,
        },
      ],
    };
  } finally {
    await stack.close();
  }
}

/** Touched records, copy vs sandbox: live or deleted, the churned properties, and their company associations. */
async function compare(
  sb: Sandbox,
  repo: ReturnType<typeof createCopyRepo>,
  portalId: number,
  touched: Record<string, Set<string>>,
): Promise<{ compared: number; wrong: number; examples: string[] }> {
  const PROPS: Record<string, string[]> = {
    companies: ['name'],
    contacts: ['lastname'],
    deals: ['dealname', 'amount'],
    tasks: ['hs_task_subject', 'hs_task_priority'],
  };
  let compared = 0;
  let wrong = 0;
  const examples: string[] = [];
  const token = sb.portals[0]!.accessToken;
  for (const [type, set] of Object.entries(touched)) {
    const ids = [...set];
    for (let k = 0; k < ids.length; k += 100) {
      const chunk = ids.slice(k, k + 100);
      const res = await fetch(`${sb.url}/crm/v3/objects/${type}/batch/read`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ inputs: chunk.map((id) => ({ id })), properties: PROPS[type] }),
      });
      const body = (await res.json()) as { results?: { id: string; properties: Record<string, string | null> }[] };
      const live = new Map((body.results ?? []).map((r) => [r.id, r.properties]));
      const copy = new Map((await repo.listRecords(portalId, type, { ids: chunk })).map((r) => [r.id, r]));
      const assocHub = type === 'companies' ? null : await hubAssociations(sb, token, type, chunk);
      const assocCopy = type === 'companies' ? null : await repo.associations(portalId, type, chunk, 'companies');
      for (const id of chunk) {
        compared++;
        const want = live.get(id);
        const have = copy.get(id);
        let bad: string | null = null;
        if (!want) bad = have ? 'deleted in HubSpot, live in the copy' : null;
        else if (!have) bad = 'missing from the copy';
        else {
          for (const p of PROPS[type]!)
            if ((want[p] ?? null) !== (have.properties[p] ?? null)) bad = `${p} ${have.properties[p]} ≠ ${want[p]}`;
          if (!bad && assocHub && assocCopy) {
            const a = [...(assocHub.get(id) ?? [])].sort().join(',');
            const b = (assocCopy.get(id) ?? [])
              .map((x) => x.id)
              .sort()
              .join(',');
            if (a !== b) bad = `companies ${b} ≠ ${a}`;
          }
        }
        if (bad) {
          wrong++;
          if (examples.length < 3) examples.push(`${type}/${id}: ${bad}`);
        }
      }
    }
  }
  return { compared, wrong, examples };
}

async function hubAssociations(sb: Sandbox, token: string, type: string, ids: string[]): Promise<Map<string, string[]>> {
  const res = await fetch(`${sb.url}/crm/v4/associations/${type}/companies/batch/read`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ inputs: ids.map((id) => ({ id })) }),
  });
  const body = (await res.json()) as { results?: { from: { id: string }; to: { toObjectId: number | string }[] }[] };
  return new Map((body.results ?? []).map((r) => [String(r.from.id), r.to.map((t) => String(t.toObjectId))]));
}

// ---- first load and storage ---------------------------------------------------------------------------

function fixtureFor(seed: number, size: 'small' | 'medium' | 'large', portalId: number, token: string): Fixture {
  const { fixture } = generateDemoPortal({ seed, size, portalId });
  return { ...fixture, portal: { ...fixture.portal, accessToken: token } };
}

/**
 * The first load at HubSpot's limits and the bench's latency, with our limiter (the product's
 * pace), against the floor HubSpot's limits set for the calls it made: max(non-search calls / 11
 * a second, searches / 5 a second). Meanwhile another portal's reps read their task buckets.
 * FIRST_LOAD_SIZE: medium by default (≈ 3 min); large for the issue's target (≈ 15 min).
 */
export async function firstLoad(ctx: BenchContext): Promise<ScenarioResult> {
  const size = (process.env.FIRST_LOAD_SIZE ?? 'medium') as 'small' | 'medium' | 'large';
  const BIG = 81_001;
  const OTHER = 81_002;
  // The big portal's HubSpot in a process of its own, as HubSpot is: serving its pages is not this
  // process's work (the backend's, measured by the other portal's p95, shares this event loop).
  const big = await childSandbox({ size, latencyMs: ctx.latencyMs, seed: ctx.seed, portal: { id: BIG, accessToken: 'first-load-big' } });
  const sb = await sandbox({ fixtures: [fixtureFor(ctx.seed + 1, 'small', OTHER, 'first-load-other')], latencyMs: 0 });
  const tokens = new Map([...sb.portals, big.portal].map((p) => [p.id, p.accessToken]));
  const { db, drop } = await benchDatabase();
  const accessToken = async (id: number) => tokens.get(id) ?? null;
  const loader = createCrmGateway({ basePath: sb.url, tokens: { accessToken }, limits: LIFTED_LIMITS });
  const crm = createCrmGateway({ basePath: sb.url, tokens: { accessToken } });
  const bigCrm = createCrmGateway({ basePath: big.url, tokens: { accessToken } });
  const server = createApp({
    publicBaseUrl: 'https://tiller.bench.example',
    clientSecret: SECRET,
    crm,
    db,
    installations: { isInstalled: async (id) => tokens.has(id) },
    roles: { isManager: async () => false },
    logger: silent,
    exposeMetering: true,
  }).listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const other = await withLiftedSandboxLimits(sb, () => runFirstLoad({ db, crm: loader, logger: silent, now: Date.now }, OTHER));
    if (!other.ready) throw new Error(`the other portal's load failed: ${JSON.stringify(other.errors)}`);
    sb.control.setLatency(ctx.latencyMs);
    const reps = sb.portals.find((p) => p.id === OTHER)!.users.filter((u) => u.ownerId);
    const sampleBuckets = async (stop: () => boolean, pause: number) => {
      const ms: number[] = [];
      let failures = 0;
      for (let k = 0; !stop(); k++) {
        const r = await signedGet(url, '/api/v1/tasks/buckets?limit=5', OTHER, reps[k % reps.length]!.id);
        if (r.status !== 200) failures++;
        ms.push(r.ms);
        await sleep(pause);
      }
      return { ms, failures };
    };
    let n = 0;
    const idle = await sampleBuckets(() => n++ >= 100, 50);

    await big.reset();
    let loading = true;
    const started = performance.now();
    const during = sampleBuckets(() => !loading, 200);
    const loaded = await runFirstLoad({ db, crm: bigCrm, logger: silent, now: Date.now }, BIG).finally(() => (loading = false));
    const wall = performance.now() - started;
    const busy = await during;
    if (!loaded.ready) throw new Error(`the first load failed: ${JSON.stringify(loaded.errors)}`);
    const stats = await big.stats();
    const calls = stats.totalCalls;
    const searches = stats.searches;
    const general = calls - searches;
    const floorMs = Math.max((general / 110) * 10_000, (searches / 5) * 1_000);
    const ratio = wall / floorMs;
    const records = Object.values(loaded.records).reduce((a, b) => a + b, 0);
    const idleP95 = percentile(idle.ms, 95);
    const busyP95 = percentile(busy.ms, 95);
    return {
      scenario: 'first-load',
      what: `first load of the ${size} demo portal at HubSpot's limits (our limiter, background priority), its sandbox in a process of its own at ${ctx.latencyMs} ms a call, on PostgreSQL; meanwhile another portal's task buckets every 200 ms (FIRST_LOAD_SIZE=large for the issue's portal)`,
      figures: {
        records,
        calls,
        searches,
        general,
        served429: stats.rateLimited,
        wallS: round(wall / 1000),
        floorS: round(floorMs / 1000),
        ratio: round(ratio, 3),
        recordsPerSecond: Math.round(records / (wall / 1000)),
        otherIdleP95Ms: round(idleP95),
        otherDuringP95Ms: round(busyP95),
        otherRequests: busy.ms.length,
        otherFailures: idle.failures + busy.failures,
      },
      targets: [
        {
          name: 'wall',
          target: "≤ 1.25 × the floor of HubSpot's limits",
          actual: `${round(ratio, 3)} × (${round(wall / 1000)} s vs ${round(floorMs / 1000)} s)`,
          pass: ratio <= 1.25 && stats.rateLimited === 0,
        },
        {
          name: "other portal's p95",
          target: 'unchanged (within 10 ms or 1.5 × idle)',
          actual: `${round(busyP95)} ms during vs ${round(idleP95)} ms idle, ${idle.failures + busy.failures} failures`,
          pass: (busyP95 <= idleP95 * 1.5 || busyP95 - idleP95 <= 10) && idle.failures + busy.failures === 0,
        },
      ],
    };
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
    await loader.close();
    await crm.close();
    await bigCrm.close();
    await sb.close();
    await big.close();
    await drop();
  }
}

/** Bytes the copy takes on PostgreSQL after the first load: per record, per association, in all (indexes included). */
export async function storage(ctx: BenchContext): Promise<ScenarioResult> {
  const size = copySize();
  const sb = await sandbox({ seed: ctx.seed, size, latencyMs: 0 });
  const { db, drop } = await benchDatabase();
  const portalId = sb.portals[0]!.id;
  const loader = createCrmGateway({
    basePath: sb.url,
    tokens: { accessToken: async () => sb.portals[0]!.accessToken },
    limits: LIFTED_LIMITS,
  });
  try {
    const started = performance.now();
    const loaded = await withLiftedSandboxLimits(sb, () => runFirstLoad({ db, crm: loader, logger: silent, now: Date.now }, portalId));
    const loadMs = performance.now() - started;
    if (!loaded.ready) throw new Error(`the first load failed: ${JSON.stringify(loaded.errors)}`);
    const calls = sandboxCounters(sb).total;
    await db.exec('analyze');
    const sizeOf = async (table: string) =>
      Number((await db.one<{ n: string }>(`select pg_total_relation_size(to_regclass($1))::text as n`, [table]))?.n ?? 0);
    const count = async (table: string) => Number((await db.one<{ n: string }>(`select count(*)::text as n from ${table}`))?.n ?? 0);
    const records = await count('crm_records');
    const associations = await count('crm_associations');
    const recordBytes = await sizeOf('crm_records');
    const assocBytes = await sizeOf('crm_associations');
    const others = ['crm_owners', 'crm_users', 'crm_pipelines', 'crm_property_definitions', 'crm_portals', 'sync_state'];
    let otherBytes = 0;
    for (const t of others) otherBytes += await sizeOf(t);
    const total = recordBytes + assocBytes + otherBytes;
    const mb = (b: number) => round(b / 2 ** 20, 1);
    return {
      scenario: 'storage',
      what: `the ${size} demo portal's copy on PostgreSQL after its first load (tables and indexes, pg_total_relation_size; COPY_BENCH_SIZE picks the portal)`,
      figures: {
        records,
        associations,
        bytesPerRecord: Math.round(recordBytes / Math.max(1, records)),
        bytesPerAssociation: Math.round(assocBytes / Math.max(1, associations)),
        recordsMb: mb(recordBytes),
        associationsMb: mb(assocBytes),
        metadataMb: mb(otherBytes),
        totalMb: mb(total),
        loadCalls: calls,
        loadS: round(loadMs / 1000),
      },
      targets: [
        {
          name: 'reported',
          target: 'bytes per record and per association, and the total',
          actual: `${Math.round(recordBytes / Math.max(1, records))} B/record, ${Math.round(assocBytes / Math.max(1, associations))} B/association, ${mb(total)} MB`,
          pass: records > 0 && associations > 0,
        },
      ],
    };
  } finally {
    await loader.close();
    await sb.close();
    await drop();
  }
}

export const COPY_SCENARIOS = {
  'freshness-webhooks': freshnessWebhooks,
  'freshness-no-webhooks': freshnessNoWebhooks,
  churn,
  'first-load': firstLoad,
  storage,
};
