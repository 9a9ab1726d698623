// Probe (not a scenario): actions-cold's request against the data-plan probe's kept copy
// (bench/data-plan-probe.ts `load <size>` first), without reloading it: each run a new backend
// process built as deployed, its remembered actions emptied; runs after the first serve other reps
// first (a warm JIT). Prints wall and engine CPU.
//   npx tsx bench/actions-request-probe.ts large        # RUNS (6)
//   WARM=8 …                                            # served first: 8 other reps of the portal, three times each
//   WARM=other …                                        # served first: the other customer's reps three times each,
//                                                       # as actions-cold's running backend (`load-other` first)
//   CPU=1 …                                             # and each measured request's CPU (Linux /proc): the backend's
//                                                       # main thread, its other threads (V8's compiler, GC), PostgreSQL
//   BENCH_CHILD_PROFILE=/tmp/prof npx tsx bench/actions-request-probe.ts large   # CPU profiles
import { readFileSync, readdirSync } from 'node:fs';
import { BENCH_DATABASE_URL, childBackend, percentile, signedGet, statCpuMs } from './harness';
import { createDatabase } from '../src/backend/storage';
import { runningWarmUp } from './scenarios-guided-actions';

const DATABASE_URL = BENCH_DATABASE_URL();
const size = process.argv[2] ?? 'medium';
// PROBE_SCHEMA: a copy of that schema of your own (the probe empties its remembered actions).
const schema = process.env.PROBE_SCHEMA ?? `actions_probe_${size}`;
const { portalId, userId } = JSON.parse(readFileSync(`/tmp/actions-probe-${size}.json`, 'utf8')) as { portalId: number; userId: string };
const PATH = '/api/v1/guided-actions?category=all';

const db = await createDatabase({ databaseUrl: DATABASE_URL, schema, migrate: false });
// WARM (1): how many other reps of the portal are served first, in turn, three rounds when more
// than one; `other`: the other customer's reps (data-plan-probe.ts load-other), as actions-cold serves them.
const warm = process.env.WARM ?? '1';
const other =
  warm === 'other'
    ? (JSON.parse(readFileSync(`/tmp/actions-probe-${size}-other.json`, 'utf8')) as { portalId: number; userIds: string[] })
    : undefined;
const sameOthers = other
  ? []
  : await db.query<{ user_id: string }>(
      `select user_id::text from crm_owners where portal_id = $1 and user_id is not null and user_id <> $2::bigint and not archived order by id limit $3`,
      [portalId, userId, Number(warm)],
    );
const warmUp: { portalId: number; userId: string }[] = other
  ? runningWarmUp(other).map((u) => ({ portalId: other.portalId, userId: u }))
  : Array.from({ length: sameOthers.length > 1 ? 3 : 1 }, () => sameOthers.map((o) => ({ portalId, userId: o.user_id }))).flat();
const tokens = { [portalId]: 'probe', ...(other ? { [other.portalId]: 'probe' } : {}) };

// CPU time (ms) of a process or thread from /proc; 0 for one gone meanwhile.
const ticks = (file: string) => {
  try {
    return statCpuMs(file);
  } catch {
    return 0;
  }
};
const threads = (pid: number) => new Map(readdirSync(`/proc/${pid}/task`).map((t) => [t, ticks(`/proc/${pid}/task/${t}/stat`)]));
const postgres = () => {
  let ms = 0;
  for (const p of readdirSync('/proc'))
    if (/^\d+$/.test(p))
      try {
        if (readFileSync(`/proc/${p}/comm`, 'utf8').startsWith('postgres')) ms += ticks(`/proc/${p}/stat`);
      } catch {
        // gone meanwhile
      }
  return ms;
};

const runs = Number(process.env.RUNS ?? 6);
const walls: number[] = [];
for (let i = 0; i < runs; i++) {
  await db.exec('truncate guided_action_state, guided_action_feedback');
  const be = await childBackend({ sandboxUrl: 'http://127.0.0.1:9', tokens, databaseUrl: DATABASE_URL, schema });
  if (i > 0)
    for (const w of warmUp) {
      const r = await signedGet(be.url, PATH, w.portalId, w.userId);
      if (r.status !== 200) throw new Error(`warm-up: HTTP ${r.status}`);
    }
  const cpu = process.env.CPU === '1';
  if (cpu) await new Promise((resolve) => setTimeout(resolve, 1_000)); // the warm-up's background work settles
  const before = cpu ? { threads: threads(be.pid), pg: postgres() } : undefined;
  const r = await signedGet(be.url, PATH, portalId, userId);
  if (cpu) await new Promise((resolve) => setTimeout(resolve, 100)); // the response's end, not the save after it
  const after = cpu ? { threads: threads(be.pid), pg: postgres() } : undefined;
  await be.close();
  const body = r.body as { total: number; partial?: boolean };
  if (r.status !== 200) throw new Error(`HTTP ${r.status}`);
  let split = '';
  if (before && after) {
    const main = (after.threads.get(String(be.pid)) ?? 0) - (before.threads.get(String(be.pid)) ?? 0);
    let rest = 0;
    for (const [t, ms] of after.threads) if (t !== String(be.pid)) rest += ms - (before.threads.get(t) ?? 0);
    split = `, CPU: main thread ${main} ms, other threads ${rest} ms, PostgreSQL ${after.pg - before.pg} ms`;
  }
  console.log(
    `run ${i}${i === 0 ? ' (first in process)' : ''}: wall ${Math.round(r.ms)} ms, engine CPU ${r.engineCpuMs} ms, actions ${body.total}${body.partial ? ' PARTIAL' : ''}${split}`,
  );
  if (i > 0) walls.push(r.ms);
}
if (walls.length) console.log(`wall p50 ${Math.round(percentile(walls, 50))} ms, max ${Math.round(Math.max(...walls))} ms`);
await db.close();
