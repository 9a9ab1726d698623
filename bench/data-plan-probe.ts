// Probe (not a scenario): the guided-actions data plan alone on a demo portal's copy kept in a
// PostgreSQL schema between runs (actions_probe_<size>), each statement timed, the engine's input
// and output digested (a change meant only to be faster keeps both digests). bench/README.md.
//   npx tsx bench/data-plan-probe.ts load large      # generate (fixed seed and now), first load with
//                                                    # the limits lifted, keep the schema
//   npx tsx bench/data-plan-probe.ts measure large   # RUNS (5) plans in one process; slowest statements
//   EXPLAIN=3 …measure large                         # and EXPLAIN (ANALYZE, BUFFERS) of the 3 slowest
//   MIGRATE=1 …measure large                         # apply this tree's new migrations to the kept schema first
//   JIT_OFF=1 …measure large                         # PostgreSQL's JIT off (one connection: no parallel statements)
//   npx tsx bench/data-plan-probe.ts load-other large  # after `load`: another customer (a medium portal) in the
//                                                    # same kept schema, for actions-request-probe.ts's WARM=other
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { pino } from 'pino';
import { generateDemoPortal, type PortalSize } from '@tiller/hubspot-sandbox/generator';
import { startSandbox } from '@tiller/hubspot-sandbox';
import { createCrmGateway } from '../src/backend/crm/gateway';
import { createCopyRepo, createDatabase, type Queryable } from '../src/backend/storage';
import { runFirstLoad } from '../src/backend/sync/first-load';
import { loadGuidedActionsInput } from '../src/backend/services/guided-actions/data-plan';
import { defaultGuidedActionSettings, evaluateGuidedActions } from '../src/backend/engines/guided-actions';
import { LIFTED_LIMITS, LIFTED_SANDBOX_LIMITS } from '../tests/helpers/copy';
import { BENCH_DATABASE_URL, settleCopy } from './harness';
import { otherPortal } from './scenarios-guided-actions';

const DATABASE_URL = BENCH_DATABASE_URL();
const [mode, size = 'medium'] = process.argv.slice(2) as [string, PortalSize];
const schema = `actions_probe_${size}`;
const metaFile = `/tmp/actions-probe-${size}.json`;
const otherFile = `/tmp/actions-probe-${size}-other.json`;

if (mode === 'load' || mode === 'load-other') {
  const now = Date.parse('2026-12-05T12:00:00Z');
  const other = mode === 'load-other';
  // load-other: actions-cold's other customer (a medium portal; its demo reps are served first).
  const customer = other ? otherPortal(1, new Date(now)) : undefined;
  const large = other ? undefined : generateDemoPortal({ seed: 1, size, now: new Date(now) });
  const fixture = (customer ?? large)!.fixture;
  const portalId = customer?.portalId ?? large!.meta.portalId;
  if (!other) {
    const db0 = await createDatabase({ databaseUrl: DATABASE_URL, migrate: false });
    await db0.exec(`drop schema if exists ${schema} cascade`);
    await db0.close();
  }
  const db = await createDatabase({ databaseUrl: DATABASE_URL, schema });
  if (other) await createCopyRepo(db).purgePortal(portalId); // loaded again from scratch
  const sb = await startSandbox({ port: 0, fixtures: [fixture], rateLimit: LIFTED_SANDBOX_LIMITS });
  const crm = createCrmGateway({
    basePath: sb.url,
    tokens: { accessToken: async () => fixture.portal.accessToken ?? null },
    limits: LIFTED_LIMITS,
  });
  const started = performance.now();
  const r = await runFirstLoad({ db, crm, logger: pino({ level: 'silent' }), now: () => now }, portalId);
  console.log('first load', Math.round(performance.now() - started), 'ms', r.ready);
  await settleCopy(db); // as the bench does after a load
  if (customer) writeFileSync(otherFile, JSON.stringify({ portalId, userIds: customer.userIds }));
  else writeFileSync(metaFile, JSON.stringify({ now, portalId, userId: large!.meta.bigRep.userId }));
  await crm.close();
  await sb.close();
  await db.close();
} else {
  const { now, portalId, userId } = JSON.parse(readFileSync(metaFile, 'utf8')) as { now: number; portalId: number; userId: string };
  const db = await createDatabase({
    databaseUrl: DATABASE_URL,
    schema,
    migrate: process.env.MIGRATE === '1',
    ...(process.env.JIT_OFF ? { maxConnections: 1 } : {}),
  });
  if (process.env.JIT_OFF) await db.exec('set jit = off'); // one connection: the setting holds for every statement
  const times: { sql: string; ms: number; rows: number; full: string; params?: readonly unknown[] }[] = [];
  const timed: Queryable = {
    async query(sql, params) {
      const t = performance.now();
      const rows = await db.query(sql, params);
      times.push({ sql: sql.replace(/\s+/g, ' ').slice(0, 70), ms: performance.now() - t, rows: rows.length, full: sql, params });
      return rows as never;
    },
    one: (sql, params) => db.one(sql, params),
    maybeOne: (sql, params) => db.maybeOne(sql, params),
    exec: (sql) => db.exec(sql),
  };
  const runs = Number(process.env.RUNS ?? 5);
  const plans: number[] = [];
  const planCpus: number[] = [];
  for (let i = 0; i < runs; i++) {
    times.length = 0;
    const t = performance.now();
    const cpu0 = process.cpuUsage();
    const plan = await loadGuidedActionsInput(timed, portalId, { userId: Number(userId), now, settings: defaultGuidedActionSettings });
    const ms = performance.now() - t;
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    if (plan.kind !== 'ok') throw new Error('not ok');
    // INPUT=<file>: the engine's input as bench/engine-child.ts reads it ({ now, input }).
    if (process.env.INPUT && i === 0) writeFileSync(process.env.INPUT, JSON.stringify({ now, input: plan.input }));
    const digest = createHash('sha256').update(JSON.stringify(plan.input)).digest('hex').slice(0, 16);
    const e0 = performance.now();
    const out = evaluateGuidedActions(plan.input, now);
    const eMs = performance.now() - e0;
    const outDigest = createHash('sha256').update(JSON.stringify(out)).digest('hex').slice(0, 16);
    console.log(
      `run ${i}: plan ${Math.round(ms)} ms (this process's CPU ${Math.round(cpuMs)} ms), engine ${Math.round(eMs)} ms, input ${digest}, output ${outDigest}, actions ${out.actions.length}`,
    );
    plans.push(ms);
    planCpus.push(cpuMs);
    if (i === runs - 1 || process.env.ALL === '1')
      for (const q of times.sort((a, b) => b.ms - a.ms).slice(0, 8))
        console.log(`  ${q.ms.toFixed(1).padStart(8)} ms ${String(q.rows).padStart(6)} rows  ${q.sql}`);
  }
  const sorted = (a: number[]) => [...a].sort((x, y) => x - y);
  console.log(
    `plan p50 ${Math.round(sorted(plans)[runs >> 1]!)} ms, min ${Math.round(sorted(plans)[0]!)} ms; CPU p50 ${Math.round(sorted(planCpus)[runs >> 1]!)} ms, min ${Math.round(sorted(planCpus)[0]!)} ms`,
  );
  // DUMP=<file>: the last run's statements and parameters, to try other SQL on them by hand.
  if (process.env.DUMP) writeFileSync(process.env.DUMP, JSON.stringify(times.map((q) => ({ sql: q.full, params: q.params, ms: q.ms }))));
  if (process.env.EXPLAIN)
    for (const q of times.sort((a, b) => b.ms - a.ms).slice(0, Number(process.env.EXPLAIN))) {
      const plan = await db.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${q.full}`, q.params as never);
      console.log(`\n=== ${q.sql}\n${plan.map((r) => r['QUERY PLAN']).join('\n')}`);
    }
  await db.close();
}
