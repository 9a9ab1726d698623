// Sizing with the portal copy (docs/operations.md): N small demo portals first-loaded into
// PostgreSQL, then one backend process, built as deployed, serving every rep of every portal the
// copy-backed reads (task buckets, the Actions tab, the Customers workspace). Measures the database
// bytes per portal, per record and per association, the process's memory and its CPU time per
// request; docs/operations.md derives the figures per 1,000 portals from them.
// BENCH_COPY_PORTALS sets N (default 10).
import { pino } from 'pino';
import { generateDemoPortal } from '@tiller/hubspot-sandbox/generator';
import { createCrmGateway } from '../src/backend/crm/gateway';
import { createDatabase } from '../src/backend/storage';
import { runFirstLoad } from '../src/backend/sync/first-load';
import { pollPortal } from '../src/backend/sync/poll';
import { BENCH_DATABASE_URL, childBackend, percentile, round, sandbox, signedGet, type ScenarioResult } from './harness';

const MB = 2 ** 20;

export async function copySizing(seed: number): Promise<ScenarioResult> {
  const portals = Number(process.env.BENCH_COPY_PORTALS ?? 10);
  const fixtures = Array.from({ length: portals }, (_, i) => {
    const { fixture } = generateDemoPortal({ seed: seed + i, size: 'small', now: new Date(), portalId: 700_000 + i });
    return { ...fixture, portal: { ...fixture.portal, accessToken: `copy-sizing-${i}` } };
  });
  const sb = await sandbox({ fixtures, latencyMs: 0 });
  const databaseUrl = BENCH_DATABASE_URL();
  const schema = `bench_copy_${process.pid}_${Date.now()}`;
  const db = await createDatabase({ databaseUrl, schema });
  const tokens = Object.fromEntries(sb.portals.map((p) => [String(p.id), p.accessToken]));
  try {
    // ---- first loads: every portal at once, through one gateway (HubSpot's limits are per portal)
    const crm = createCrmGateway({ basePath: sb.url, tokens: { accessToken: async (id) => tokens[String(id)] ?? null } });
    const loadStarted = performance.now();
    const loads = await Promise.all(
      sb.portals.map((p) => runFirstLoad({ db, crm, logger: pino({ level: 'silent' }), now: Date.now }, p.id)),
    );
    const loadS = (performance.now() - loadStarted) / 1000;
    const failedLoads = loads.filter((l) => !l.ready).length;
    // Poll passes (what every portal costs every 30 s), one portal after the other: the first
    // re-reads the changes of the load's last minutes (the 5 min overlap); the second is the
    // steady state of a portal without changes. CPU time includes the sandbox's (it runs in this
    // process): an upper bound.
    const pollPass = async () => {
      const cpu = process.cpuUsage();
      const started = performance.now();
      for (const p of sb.portals) await pollPortal({ db, crm, logger: pino({ level: 'silent' }), now: Date.now }, p.id);
      const used = process.cpuUsage(cpu);
      return { ms: (performance.now() - started) / portals, cpuMs: (used.user + used.system) / 1000 / portals };
    };
    const firstPoll = await pollPass();
    const { ms: pollMs, cpuMs: pollCpuMs } = await pollPass();
    await crm.close();

    // ---- what the copy weighs in PostgreSQL
    await db.exec('analyze');
    const tables = await db.query<{ name: string; bytes: string }>(
      `select c.relname as name, pg_total_relation_size(c.oid)::text as bytes
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = $1 and c.relkind = 'r'`,
      [schema],
    );
    const bytesOf = (name: string) => Number(tables.find((t) => t.name === name)?.bytes ?? 0);
    const totalBytes = tables.reduce((s, t) => s + Number(t.bytes), 0);
    const count = async (table: string) => Number((await db.query<{ n: string }>(`select count(*)::text as n from ${table}`))[0]?.n ?? 0);
    const records = await count('crm_records');
    const associations = await count('crm_associations');
    const recordBytes = bytesOf('crm_records');
    const assocBytes = bytesOf('crm_associations');

    // ---- one instance serving every rep of every portal from the copy
    const child = await childBackend({ sandboxUrl: sb.url, tokens, databaseUrl, schema });
    try {
      const stats = async () =>
        (await (await fetch(`${child.url}/__bench/cache`)).json()) as { rss: number; heapUsed: number; cpuMs: number };
      const idle = await stats();
      const paths = [
        '/api/v1/tasks/buckets?limit=5',
        '/api/v1/actions/tasks?view=overdue&limit=25',
        '/api/v1/workspace/customers?limit=50',
      ];
      const calls = sb.portals.flatMap((p) => p.users.flatMap((u) => paths.map((path) => ({ p: p.id, u: u.id, path }))));
      const ms: number[] = [];
      let failures = 0;
      const before = await stats();
      // two passes, 8 at a time: the first also warms what each process keeps (owners, zones, plans)
      for (let pass = 0; pass < 2; pass++) {
        let next = 0;
        await Promise.all(
          Array.from({ length: 8 }, async () => {
            while (next < calls.length) {
              const c = calls[next++]!;
              const r = await signedGet(child.url, c.path, c.p, c.u);
              if (r.status !== 200) failures++;
              ms.push(r.ms);
            }
          }),
        );
      }
      const after = await stats();
      const requests = calls.length * 2;
      const cpuMsPerRequest = round((after.cpuMs - before.cpuMs) / requests, 2);
      return {
        scenario: 'copy-sizing',
        what: `${portals} small demo portals first-loaded into PostgreSQL, then one backend process (built as deployed) serving every rep of every portal the copy-backed reads (task buckets, Actions tab, Customers workspace), twice`,
        figures: {
          portals,
          failedLoads,
          firstLoadS: round(loadS, 1),
          firstPollCpuMsPerPortal: round(firstPoll.cpuMs, 1),
          pollMsPerPortal: round(pollMs, 1),
          pollCpuMsPerPortal: round(pollCpuMs, 1),
          records,
          associations,
          dbMb: round(totalBytes / MB, 1),
          dbMbPerPortal: round(totalBytes / MB / portals, 2),
          bytesPerRecord: Math.round(recordBytes / records),
          bytesPerAssociation: Math.round(assocBytes / associations),
          requests,
          failures,
          p50Ms: round(percentile(ms, 50), 1),
          p95Ms: round(percentile(ms, 95), 1),
          cpuMsPerRequest,
          idleRssMb: Math.round(idle.rss / MB),
          rssMb: Math.round(after.rss / MB),
          heapMb: Math.round(after.heapUsed / MB),
        },
        targets: [
          {
            name: 'served',
            target: 'every first load complete, every request 200',
            actual: `${failedLoads} failed loads, ${failures} failed requests`,
            pass: failedLoads === 0 && failures === 0,
          },
        ],
      };
    } finally {
      await child.close();
    }
  } finally {
    await db.exec(`drop schema if exists ${schema} cascade`).catch(() => {});
    await db.close();
    await sb.close();
  }
}
