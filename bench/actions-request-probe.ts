// Probe (not a scenario): actions-cold's request against the data-plan probe's kept copy
// (bench/data-plan-probe.ts `load <size>` first), without reloading it: each run a new backend
// process built as deployed, its remembered actions emptied; runs after the first serve another rep
// of the portal first (a warm JIT, as actions-cold's other portal). Prints wall and engine CPU.
//   npx tsx bench/actions-request-probe.ts large        # RUNS (6)
//   BENCH_CHILD_PROFILE=/tmp/prof npx tsx bench/actions-request-probe.ts large   # CPU profiles
import { readFileSync } from 'node:fs';
import { BENCH_DATABASE_URL, childBackend, percentile, signedGet } from './harness';
import { createDatabase } from '../src/backend/storage';

const DATABASE_URL = BENCH_DATABASE_URL();
const size = process.argv[2] ?? 'medium';
// PROBE_SCHEMA: a copy of that schema of your own (the probe empties its remembered actions).
const schema = process.env.PROBE_SCHEMA ?? `actions_probe_${size}`;
const { portalId, userId } = JSON.parse(readFileSync(`/tmp/actions-probe-${size}.json`, 'utf8')) as { portalId: number; userId: string };
const PATH = '/api/v1/guided-actions?category=all';

const db = await createDatabase({ databaseUrl: DATABASE_URL, schema, migrate: false });
// WARM (1): how many other reps are served first, in turn, three rounds when more than one.
const others = await db.query<{ user_id: string }>(
  `select user_id::text from crm_owners where portal_id = $1 and user_id is not null and user_id <> $2::bigint and not archived order by id limit $3`,
  [portalId, userId, Number(process.env.WARM ?? 1)],
);
const runs = Number(process.env.RUNS ?? 6);
const walls: number[] = [];
for (let i = 0; i < runs; i++) {
  await db.exec('truncate guided_action_state, guided_action_feedback');
  const be = await childBackend({ sandboxUrl: 'http://127.0.0.1:9', tokens: { [portalId]: 'probe' }, databaseUrl: DATABASE_URL, schema });
  if (i > 0)
    for (let round = 0; round < (others.length > 1 ? 3 : 1); round++)
      for (const other of others) {
        const w = await signedGet(be.url, PATH, portalId, other.user_id);
        if (w.status !== 200) throw new Error(`warm-up: HTTP ${w.status}`);
      }
  const r = await signedGet(be.url, PATH, portalId, userId);
  await be.close();
  const body = r.body as { total: number; partial?: boolean };
  if (r.status !== 200) throw new Error(`HTTP ${r.status}`);
  console.log(
    `run ${i}${i === 0 ? ' (first in process)' : ''}: wall ${Math.round(r.ms)} ms, engine CPU ${r.engineCpuMs} ms, actions ${body.total}${body.partial ? ' PARTIAL' : ''}`,
  );
  if (i > 0) walls.push(r.ms);
}
if (walls.length) console.log(`wall p50 ${Math.round(percentile(walls, 50))} ms, max ${Math.round(Math.max(...walls))} ms`);
await db.close();
