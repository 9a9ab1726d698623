// Probe (not a scenario): the startup warm-up's effect on the first real guided-actions evaluation
// of a fresh process, on the data-plan probe's kept copy (bench/data-plan-probe.ts `load <size>`):
// optionally the warm-up, then the real data plan (the mappers' objects, as a request builds them),
// then the engine RUNS times on that input. Prints one JSON line: the warm-up's time, the first
// evaluation's CPU and wall, and the p50 of the second half (compiled). Run it in a loop of fresh
// processes, with and without WARM_UP=1:
//   WARM_UP=1 npx tsx bench/warm-up-probe.ts large
//   PROBE_SCHEMA=<your copy of actions_probe_large> …
import { readFileSync } from 'node:fs';
import { createDatabase } from '../src/backend/storage';
import { loadGuidedActionsInput } from '../src/backend/services/guided-actions/data-plan';
import { defaultGuidedActionSettings, evaluateGuidedActions } from '../src/backend/engines/guided-actions';
import { warmUpGuidedActions } from '../src/backend/services/guided-actions/warm-up';
import { BENCH_DATABASE_URL, percentile } from './harness';

const size = process.argv[2] ?? 'medium';
const schema = process.env.PROBE_SCHEMA ?? `actions_probe_${size}`;
const { now, portalId, userId } = JSON.parse(readFileSync(`/tmp/actions-probe-${size}.json`, 'utf8')) as {
  now: number;
  portalId: number;
  userId: string;
};
const cpuMs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;

// WARM_UP_ROUNDS: other than the server's default, to see what more or fewer rounds buy.
const rounds = process.env.WARM_UP_ROUNDS ? Number(process.env.WARM_UP_ROUNDS) : undefined;
const warmUp = process.env.WARM_UP === '1' ? warmUpGuidedActions({ rounds }) : undefined;
const db = await createDatabase({ databaseUrl: BENCH_DATABASE_URL(), schema, migrate: false });
const p0 = process.cpuUsage();
const plan = await loadGuidedActionsInput(db, portalId, { userId: Number(userId), now, settings: defaultGuidedActionSettings });
const planCpuMs = cpuMs(process.cpuUsage(p0));
await db.close();
if (plan.kind !== 'ok') throw new Error('not an owner');
const runs: { cpuMs: number; wallMs: number }[] = [];
let actions = 0;
for (let i = 0; i < Number(process.env.RUNS ?? 20); i++) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  actions = evaluateGuidedActions(plan.input, now, [], defaultGuidedActionSettings).actions.length;
  runs.push({ wallMs: performance.now() - t0, cpuMs: cpuMs(process.cpuUsage(c0)) });
}
const later = runs.slice(runs.length / 2);
const r1 = (n: number) => Math.round(n * 10) / 10;
process.stdout.write(
  `${JSON.stringify({
    warmUp: warmUp ? { rounds: warmUp.rounds, ms: r1(warmUp.ms), cpuMs: r1(warmUp.cpuMs) } : null,
    planCpuMs: r1(planCpuMs),
    actions,
    first: { cpuMs: r1(runs[0]!.cpuMs), wallMs: r1(runs[0]!.wallMs) },
    second: { cpuMs: r1(runs[1]!.cpuMs), wallMs: r1(runs[1]!.wallMs) },
    compiled: {
      cpuMs: r1(
        percentile(
          later.map((r) => r.cpuMs),
          50,
        ),
      ),
      wallMs: r1(
        percentile(
          later.map((r) => r.wallMs),
          50,
        ),
      ),
    },
  })}\n`,
);
