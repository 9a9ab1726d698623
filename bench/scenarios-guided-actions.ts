// Scenarios of issue 5: guided actions for the large demo portal's biggest rep, cold and warm.
// Since issue 11 they answer from the portal copy: actions-cold runs after the first load.
import { generateDemoPortal, type DemoPortalMeta, type PortalSize } from '@tiller/hubspot-sandbox/generator';
import type { Fixture } from '@tiller/hubspot-sandbox/fixture';
import {
  BENCH_DATABASE_URL as DATABASE_URL,
  childBackend,
  dropCopy,
  loadedCopy,
  percentile,
  round,
  sandbox,
  signedGet,
  throughput,
  type CallResult,
  type Sandbox,
  type ScenarioResult,
} from './harness';
import { sandboxCounters } from './sandbox-stats';
import type { BenchContext } from './scenarios-gateway';
import type { Database } from '../src/backend/storage';
import { LIFTED_SANDBOX_LIMITS } from '../tests/helpers/copy';

const PATH = '/api/v1/guided-actions?category=all';

/**
 * The portal the scenarios read: the large one (the issue's), or ACTIONS_BENCH_SIZE=medium|small
 * to investigate (the large copy's first load alone takes 5–10 minutes on a busy 2-core machine;
 * the book target then fails: the figures are not the issue's).
 */
const SIZE = (): PortalSize => {
  const size = process.env.ACTIONS_BENCH_SIZE ?? 'large';
  if (size !== 'small' && size !== 'medium' && size !== 'large')
    throw new Error(`ACTIONS_BENCH_SIZE: small, medium or large (got "${size}")`);
  return size;
};

let large: { fixture: Fixture; meta: DemoPortalMeta; seed: number; size: PortalSize } | undefined;
function largePortal(seed: number) {
  const size = SIZE();
  if (large?.seed !== seed || large.size !== size) large = { ...generateDemoPortal({ seed, size, now: new Date() }), seed, size };
  return large;
}

/** The big rep's book in the fixture: what the scenario is about. */
function bookOf(fixture: Fixture, ownerId: string) {
  const owned = (type: string) =>
    (fixture.objects?.[type as keyof typeof fixture.objects] ?? []).filter((r) => r.properties?.hubspot_owner_id === ownerId).length;
  return {
    contacts: owned('contacts'),
    deals: owned('deals'),
    leads: owned('leads'),
    engagements: ['tasks', 'calls', 'emails', 'meetings', 'notes'].reduce((n, t) => n + owned(t), 0),
  };
}

/** A second, small portal beside the large one: other customers a backend serves (JIT warm-up). */
const OTHER_PORTAL = { id: 990_001, token: 'bench-other-portal' };
function otherPortal(seed: number): { fixture: Fixture; userId: string } {
  const { fixture, meta } = generateDemoPortal({ seed, size: 'small', now: new Date(), portalId: OTHER_PORTAL.id });
  return { fixture: { ...fixture, portal: { ...fixture.portal, accessToken: OTHER_PORTAL.token } }, userId: meta.bigRep.userId };
}

async function withLarge<T>(
  ctx: BenchContext,
  fn: (sb: Sandbox, meta: DemoPortalMeta, fixture: Fixture, other: { portalId: number; userId: string }) => Promise<T>,
): Promise<T> {
  const { fixture, meta } = largePortal(ctx.seed);
  const other = otherPortal(ctx.seed);
  // HubSpot's rate limits lifted: the scenarios answer from the copy (0 calls); only loading it
  // beforehand would wait on them (the first load's pace is measured elsewhere).
  const sb = await sandbox({
    fixtures: [fixture, other.fixture],
    latencyMs: ctx.latencyMs,
    rateLimit: LIFTED_SANDBOX_LIMITS,
  });
  try {
    return await fn(sb, meta, fixture, { portalId: OTHER_PORTAL.id, userId: other.userId });
  } finally {
    await sb.close();
  }
}

const ENGINE_RUNS = 40;

/**
 * The engine alone on this rep's input (read once through the data plan, from the copy), in a child
 * process: the first evaluation (V8 compiling), the first after the startup warm-up (another child)
 * and the p50 of the last 20 of 40 (a running backend).
 */
async function engineAlone(db: Database, meta: DemoPortalMeta) {
  const { loadGuidedActionsInput } = await import('../src/backend/services/guided-actions/data-plan');
  const { defaultGuidedActionSettings } = await import('../src/backend/engines/guided-actions');
  const { execFileSync } = await import('node:child_process');
  const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tiller-engine-'));
  try {
    const now = Date.now();
    const plan = await loadGuidedActionsInput(db, meta.portalId, {
      userId: Number(meta.bigRep.userId),
      now,
      settings: defaultGuidedActionSettings,
    });
    if (plan.kind !== 'ok' || plan.incomplete.size) throw new Error('engine alone: the input could not be read completely');
    const file = path.join(dir, 'input.json');
    writeFileSync(file, JSON.stringify({ now, input: plan.input }));
    const child = (warmUp: boolean) =>
      JSON.parse(
        execFileSync(process.execPath, ['--import', 'tsx', 'bench/engine-child.ts', file, String(ENGINE_RUNS)], {
          maxBuffer: 1 << 20,
          env: { ...process.env, WARM_UP: warmUp ? '1' : '0' },
          stdio: ['ignore', 'pipe', 'ignore'],
        }).toString(),
      ) as { cpuMs: number; wallMs: number }[];
    const runs = child(false);
    // The same in a process that ran the startup warm-up first, as a deployed instance has.
    const warmed = child(true);
    // V8 keeps optimising for the first ten or so evaluations: the steady state is the second half
    const later = runs.slice(ENGINE_RUNS / 2);
    return {
      firstCpuMs: round(runs[0]!.cpuMs, 1),
      firstCpuAfterWarmUpMs: round(warmed[0]!.cpuMs, 1),
      cpuP50Ms: round(
        percentile(
          later.map((r) => r.cpuMs),
          50,
        ),
        1,
      ),
      wallP50Ms: round(
        percentile(
          later.map((r) => r.wallMs),
          50,
        ),
        1,
      ),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function actionsCold(ctx: BenchContext): Promise<ScenarioResult> {
  return withLarge(ctx, async (sb, meta, fixture, other) => {
    const rep = meta.bigRep;
    const book = bookOf(fixture, rep.ownerId);
    const tokens = Object.fromEntries(sb.portals.map((p) => [String(p.id), p.accessToken]));
    // After the first load (issue 11): both portals' copies, then each run a new backend process
    // on that database (empty caches; the rep's remembered actions emptied: a first answer).
    const { db, schema } = await loadedCopy(sb, [meta.portalId, other.portalId], ctx.latencyMs);
    try {
      const runs: (CallResult & { sandboxCalls: number; searches: number; rules: number; actions: number; partial: boolean })[] = [];
      let firstInProcessCpuMs = NaN;
      for (let i = 0; i < 6; i++) {
        await db.exec('truncate guided_action_state, guided_action_feedback');
        // A new backend process each time, run as deployed. Run 0 is the first evaluation in a
        // fresh process (V8 still compiling the engine); before the others the backend serves
        // another portal's rep, as a running backend has (its JIT is warm, its caches hold
        // nothing of the large portal).
        const be = await childBackend({ sandboxUrl: sb.url, tokens, databaseUrl: DATABASE_URL(), schema });
        if (i > 0) {
          const w = await signedGet(be.url, PATH, other.portalId, other.userId);
          if (w.status !== 200) throw new Error(`actions-cold warm-up: HTTP ${w.status}`);
        }
        const before = sandboxCounters(sb);
        const r = await signedGet(be.url, PATH, meta.portalId, rep.userId);
        const after = sandboxCounters(sb);
        await be.close();
        if (r.status !== 200) throw new Error(`actions-cold: HTTP ${r.status} ${JSON.stringify(r.body)}`);
        const body = r.body as { actions: { rule: string }[]; total: number; partial?: boolean; warnings?: string[] };
        if (body.partial) process.stderr.write(`  actions-cold: partial answer: ${JSON.stringify(body.warnings)}\n`);
        if (i === 0) {
          firstInProcessCpuMs = r.engineCpuMs;
          continue;
        }
        runs.push({
          ...r,
          sandboxCalls: after.total - before.total,
          searches: after.searches - before.searches,
          rules: new Set(body.actions.map((a) => a.rule)).size,
          actions: body.total,
          partial: !!body.partial,
        });
      }
      const engine = await engineAlone(db, meta);
      const calls = Math.max(...runs.map((r) => r.sandboxCalls));
      const searches = Math.max(...runs.map((r) => r.searches));
      const wall = percentile(
        runs.map((r) => r.ms),
        50,
      );
      const cpu = percentile(
        runs.map((r) => r.engineCpuMs),
        50,
      );
      const last = runs[runs.length - 1]!;
      return {
        scenario: 'actions-cold',
        what: `guided actions of the ${SIZE()} portal's big rep (${book.contacts} contacts, ${book.deals} deals, ${book.leads} leads, ${book.engagements} engagements) from the portal copy after its first load, a new backend process each run (built as deployed) that has served another portal's rep, no remembered actions; engineCpuFirstInProcessMs: the first evaluation of a fresh process`,
        figures: {
          calls,
          searches,
          wallP50Ms: round(wall),
          wallMaxMs: round(Math.max(...runs.map((r) => r.ms))),
          engineCpuP50Ms: round(cpu, 2),
          engineCpuFirstInProcessMs: round(firstInProcessCpuMs, 2),
          engineAloneFirstCpuMs: engine.firstCpuMs,
          engineAloneFirstCpuAfterWarmUpMs: engine.firstCpuAfterWarmUpMs,
          engineAloneCpuP50Ms: engine.cpuP50Ms,
          engineAloneWallP50Ms: engine.wallP50Ms,
          actions: last.actions,
          rulesInFirst100: last.rules,
          partialRuns: runs.filter((r) => r.partial).length,
          ...book,
        },
        targets: [
          {
            name: 'complete',
            target: 'no partial answer',
            actual: `${runs.filter((r) => r.partial).length} of ${runs.length} partial`,
            pass: runs.every((r) => !r.partial),
          },
          {
            name: 'book',
            target: '≥ 2,000 contacts, 300 deals, 150 leads, 20,000 engagements',
            actual: `${book.contacts}/${book.deals}/${book.leads}/${book.engagements}`,
            pass: book.contacts >= 2000 && book.deals >= 300 && book.leads >= 150 && book.engagements >= 20000,
          },
          { name: 'calls', target: '≤ 1 HubSpot call', actual: String(calls), pass: calls <= 1 },
          {
            name: 'engine CPU',
            target: '≤ 50 ms',
            actual: `${round(cpu, 2)} ms per request in a new backend; ${engine.cpuP50Ms} ms p50 once compiled (engine alone, last ${ENGINE_RUNS / 2} of ${ENGINE_RUNS} runs)`,
            pass: cpu <= 50,
          },
          { name: 'wall', target: '≤ 300 ms', actual: `${round(wall)} ms`, pass: wall <= 300 },
        ],
      };
    } finally {
      await dropCopy({ db, schema });
    }
  });
}

export async function actionsWarm(ctx: BenchContext): Promise<ScenarioResult> {
  return withLarge(ctx, async (sb, meta) => {
    const rep = meta.bigRep;
    // The backend in its own process (as deployed), not beside the sandbox's large heap and this client.
    const tokens = Object.fromEntries(sb.portals.map((p) => [String(p.id), p.accessToken]));
    // From the portal copy, after its first load (issue 11).
    const { db, schema } = await loadedCopy(sb, [meta.portalId], ctx.latencyMs);
    const be = await childBackend({ sandboxUrl: sb.url, tokens, databaseUrl: DATABASE_URL(), schema });
    try {
      const warm = await signedGet(be.url, PATH, meta.portalId, rep.userId);
      if (warm.status !== 200 || (warm.body as { partial?: boolean }).partial)
        throw new Error(`actions-warm: HTTP ${warm.status} ${JSON.stringify((warm.body as { warnings?: string[] }).warnings)}`);
      for (let i = 0; i < 200; i++) await signedGet(be.url, PATH, meta.portalId, rep.userId, { parse: false }); // JIT warm-up
      const before = sandboxCounters(sb);
      // Latency: one request at a time, so the figure is a warm request's own time (as tasks-warm
      // measures it), not time spent queueing behind other clients' requests.
      const times: number[] = [];
      let failures = 0;
      let misses = 0;
      for (let i = 0; i < 1_000; i++) {
        const r = await signedGet(be.url, PATH, meta.portalId, rep.userId, { parse: false });
        if (r.status !== 200) failures++;
        if (r.cache !== 'hit') misses++;
        times.push(r.ms);
      }
      // Throughput under 16 connections, for the record (no target in the issue).
      const through = await throughput(be.url, PATH, meta.portalId, rep.userId, 16, 5_000);
      failures += through.failures;
      const calls = sandboxCounters(sb).total - before.total;
      const p95 = percentile(times, 95);
      return {
        scenario: 'actions-warm',
        what: `the same again within the evaluation cache: 1,000 sequential requests, then 16 connections for 5 s (${through.tool}); backend in its own process`,
        figures: {
          calls,
          failures,
          misses,
          p50Ms: round(percentile(times, 50), 2),
          p95Ms: round(p95, 2),
          requestsPerSecond: Math.round(through.rps),
          loadP50Ms: through.p50Ms,
          bodyKb: Math.round(warm.bytes / 1024),
          coldMs: round(warm.ms),
        },
        targets: [
          { name: 'p95', target: '≤ 15 ms', actual: `${round(p95, 2)} ms`, pass: p95 <= 15 && failures === 0 },
          { name: 'calls', target: '0 HubSpot calls', actual: String(calls), pass: calls === 0 },
        ],
      };
    } finally {
      await be.close();
      await dropCopy({ db, schema });
    }
  });
}
