// Scenarios of issue 5: guided actions for the large demo portal's biggest rep, cold and warm.
import { generateDemoPortal, type DemoPortalMeta } from '@tiller/hubspot-sandbox/generator';
import type { Fixture } from '@tiller/hubspot-sandbox/fixture';
import {
  childBackend,
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

const PATH = '/api/v1/guided-actions?category=all';

let large: { fixture: Fixture; meta: DemoPortalMeta; seed: number } | undefined;
function largePortal(seed: number) {
  if (large?.seed !== seed) large = { ...generateDemoPortal({ seed, size: 'large', now: new Date() }), seed };
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
  const sb = await sandbox({ fixtures: [fixture, other.fixture], latencyMs: ctx.latencyMs });
  try {
    return await fn(sb, meta, fixture, { portalId: OTHER_PORTAL.id, userId: other.userId });
  } finally {
    await sb.close();
  }
}

const ENGINE_RUNS = 40;

/**
 * The engine alone on this rep's input (read once through the data plan, no latency), in a child
 * process: the first evaluation (V8 compiling) and the p50 of the last 20 of 40 (a running backend).
 */
async function engineAlone(sb: Sandbox, meta: DemoPortalMeta) {
  const { createCrmGateway } = await import('../src/backend/crm/gateway');
  const { loadGuidedActionsInput } = await import('../src/backend/services/guided-actions/data-plan');
  const { defaultGuidedActionSettings } = await import('../src/backend/engines/guided-actions');
  const { execFileSync } = await import('node:child_process');
  const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  sb.control.setLatency(0);
  const crm = createCrmGateway({
    basePath: sb.url,
    tokens: { accessToken: async (id) => sb.portals.find((p) => p.id === id)?.accessToken ?? null },
  });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tiller-engine-'));
  try {
    const now = Date.now();
    const plan = await loadGuidedActionsInput(crm.portal(meta.portalId), {
      userId: Number(meta.bigRep.userId),
      now,
      settings: defaultGuidedActionSettings,
    });
    if (plan.kind !== 'ok' || plan.incomplete.size) throw new Error('engine alone: the input could not be read completely');
    const file = path.join(dir, 'input.json');
    writeFileSync(file, JSON.stringify({ now, input: plan.input }));
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'bench/engine-child.ts', file, String(ENGINE_RUNS)], {
      maxBuffer: 1 << 20,
    }).toString();
    const runs = JSON.parse(out) as { cpuMs: number; wallMs: number }[];
    // V8 keeps optimising for the first ten or so evaluations: the steady state is the second half
    const later = runs.slice(ENGINE_RUNS / 2);
    return {
      firstCpuMs: round(runs[0]!.cpuMs, 1),
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
    await crm.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function actionsCold(ctx: BenchContext): Promise<ScenarioResult> {
  return withLarge(ctx, async (sb, meta, fixture, other) => {
    const rep = meta.bigRep;
    const book = bookOf(fixture, rep.ownerId);
    const tokens = Object.fromEntries(sb.portals.map((p) => [String(p.id), p.accessToken]));
    const runs: (CallResult & {
      completeAfterMs: number;
      sandboxCalls: number;
      searches: number;
      rules: number;
      actions: number;
      partial: boolean;
    })[] = [];
    let firstInProcessCpuMs = NaN;
    for (let i = 0; i < 4; i++) {
      // A new backend process each time, run as deployed: empty HubSpot cache, empty database schema.
      // Run 0 is the first evaluation in a fresh process (V8 still compiling the engine); before the
      // others the backend serves another portal's rep, as a running backend has (its JIT is warm,
      // its caches hold nothing of the large portal).
      const be = await childBackend({
        sandboxUrl: sb.url,
        tokens,
        databaseUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
      });
      if (i > 0) {
        const w = await signedGet(be.url, PATH, other.portalId, other.userId);
        if (w.status !== 200) throw new Error(`actions-cold warm-up: HTTP ${w.status}`);
        await new Promise((res) => setTimeout(res, 1_100)); // an empty search window
      }
      const before = sandboxCounters(sb);
      const started = performance.now();
      const r = await signedGet(be.url, PATH, meta.portalId, rep.userId);
      const after = sandboxCounters(sb);
      if (r.status !== 200) throw new Error(`actions-cold: HTTP ${r.status} ${JSON.stringify(r.body)}`);
      const body = r.body as { actions: { rule: string }[]; total: number; partial?: boolean; warnings?: string[] };
      if (body.partial) process.stderr.write(`  actions-cold: partial answer: ${JSON.stringify(body.warnings)}\n`);
      // A partial answer is completed in the background: when does the rep get the complete list?
      let completeAfterMs = r.ms;
      for (let partial = !!body.partial; partial && performance.now() - started < 90_000;) {
        await new Promise((res) => setTimeout(res, 250));
        const again = await signedGet(be.url, PATH, meta.portalId, rep.userId);
        partial = !!(again.body as { partial?: boolean }).partial;
        completeAfterMs = performance.now() - started;
      }
      await be.close();
      if (i === 0) {
        firstInProcessCpuMs = r.engineCpuMs;
        await new Promise((res) => setTimeout(res, 1_100));
        continue;
      }
      runs.push({
        ...r,
        completeAfterMs,
        sandboxCalls: after.total - before.total,
        searches: after.searches - before.searches,
        rules: new Set(body.actions.map((a) => a.rule)).size,
        actions: body.total,
        partial: !!body.partial,
      });
      await new Promise((res) => setTimeout(res, 1_100)); // an empty search window for the next run
    }
    const engine = await engineAlone(sb, meta);
    const calls = Math.max(...runs.map((r) => r.sandboxCalls));
    const searches = Math.max(...runs.map((r) => r.searches));
    const depth = Math.max(...runs.map((r) => r.depth));
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
      what: `guided actions of the large portal's big rep (${book.contacts} contacts, ${book.deals} deals, ${book.leads} leads, ${book.engagements} engagements), empty caches, a new backend process each run (built as deployed) that has served another portal's rep; engineCpuFirstInProcessMs: the first evaluation of a fresh process`,
      figures: {
        calls,
        searches,
        depth,
        wallP50Ms: round(wall),
        wallMaxMs: round(Math.max(...runs.map((r) => r.ms))),
        completeAfterP50Ms: round(
          percentile(
            runs.map((r) => r.completeAfterMs),
            50,
          ),
        ),
        engineCpuP50Ms: round(cpu, 2),
        engineCpuFirstInProcessMs: round(firstInProcessCpuMs, 2),
        engineAloneFirstCpuMs: engine.firstCpuMs,
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
          target: 'no partial answer (10 s request deadline)',
          actual: `${runs.filter((r) => r.partial).length} of ${runs.length} partial`,
          pass: runs.every((r) => !r.partial),
        },
        {
          name: 'book',
          target: '≥ 2,000 contacts, 300 deals, 150 leads, 20,000 engagements',
          actual: `${book.contacts}/${book.deals}/${book.leads}/${book.engagements}`,
          pass: book.contacts >= 2000 && book.deals >= 300 && book.leads >= 150 && book.engagements >= 20000,
        },
        { name: 'calls', target: '≤ 25 HubSpot calls', actual: String(calls), pass: calls <= 25 },
        { name: 'depth', target: '≤ 4 round trips', actual: String(depth), pass: depth <= 4 },
        {
          name: 'engine CPU',
          target: '≤ 50 ms',
          actual: `${round(cpu, 2)} ms per request in a new backend; ${engine.cpuP50Ms} ms p50 once compiled (engine alone, last ${ENGINE_RUNS / 2} of ${ENGINE_RUNS} runs)`,
          pass: cpu <= 50,
        },
        { name: 'wall', target: `≤ 5 × ${ctx.latencyMs} ms`, actual: `${round(wall)} ms`, pass: wall <= 5 * ctx.latencyMs },
      ],
    };
  });
}

export async function actionsWarm(ctx: BenchContext): Promise<ScenarioResult> {
  return withLarge(ctx, async (sb, meta) => {
    const rep = meta.bigRep;
    // The backend in its own process (as deployed), not beside the sandbox's large heap and this client.
    const tokens = Object.fromEntries(sb.portals.map((p) => [String(p.id), p.accessToken]));
    const be = await childBackend({
      sandboxUrl: sb.url,
      tokens,
      databaseUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    });
    try {
      // Warm up until one answer is complete (a cold one may be partial past the 10 s budget;
      // the next one reads HubSpot's pages from the gateway's cache).
      let warm = await signedGet(be.url, PATH, meta.portalId, rep.userId);
      for (let i = 0; i < 3 && (warm.body as { partial?: boolean }).partial; i++) {
        await new Promise((res) => setTimeout(res, 16_000)); // past the 15 s TTL: a new evaluation
        warm = await signedGet(be.url, PATH, meta.portalId, rep.userId);
      }
      if (warm.status !== 200) throw new Error(`actions-warm: HTTP ${warm.status}`);
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
    }
  });
}
