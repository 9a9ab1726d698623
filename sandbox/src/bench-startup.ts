// Start-up and search-latency measurement for the generated demo portals (docs/performance.md,
// "Sandbox start-up"). Run: `npx tsx sandbox/src/bench-startup.ts [small|medium|large] [seed]`.
// Prints the ready time, the RSS and heap after load (after a GC when run with --expose-gc), and
// the median / p95 wall time of representative searches over HTTP on localhost (client in the same
// process). DIRECT=1: server time only — the same searches through runSearch + JSON.stringify on a
// portal built in-process (build path with validation, comparable across versions).
import { loadavg } from 'node:os';
import { startSandbox } from './server';

const size = (process.argv[2] ?? 'large') as 'small' | 'medium' | 'large';
const seed = Number(process.argv[3] ?? 1);
const gc = (globalThis as { gc?: () => void }).gc;
const mb = (n: number) => Math.round(n / 1e6);

const load = loadavg()
  .map((x) => x.toFixed(2))
  .join(' ');
const t0 = performance.now();
const sb = await startSandbox({ seed, size, rateLimit: { tenSecondly: 1e9, searchPerSecond: 1e9 } });
const readyMs = Math.round(performance.now() - t0);
const rssRaw = process.memoryUsage().rss;
gc?.();
const m = process.memoryUsage();
console.log(
  `size=${size} seed=${seed} load=[${load}] ready=${readyMs} ms rss=${mb(rssRaw)} MB rss(after gc)=${mb(m.rss)} MB heapUsed=${mb(m.heapUsed)} MB`,
);

const token = sb.portals[0]!.accessToken;
const owner = sb.portals[0]!.users.find((u) => u.ownerId)?.ownerId ?? '501';
const now = Date.now();
type Body = Record<string, unknown>;
const f = (propertyName: string, operator: string, value?: string) => ({
  propertyName,
  operator,
  ...(value !== undefined ? { value } : {}),
});
const cases: [string, string, Body][] = [
  [
    'contacts owner, lastmodifieddate desc, 100',
    'contacts',
    {
      filterGroups: [{ filters: [f('hubspot_owner_id', 'EQ', owner)] }],
      sorts: [{ propertyName: 'lastmodifieddate', direction: 'DESCENDING' }],
      limit: 100,
      properties: ['firstname', 'lastname', 'email'],
    },
  ],
  ['contacts owner, default order, 200', 'contacts', { filterGroups: [{ filters: [f('hubspot_owner_id', 'EQ', owner)] }], limit: 200 }],
  [
    'contacts owner scan page (hs_object_id GT, asc, 200)',
    'contacts',
    {
      filterGroups: [{ filters: [f('hubspot_owner_id', 'EQ', owner), f('hs_object_id', 'GT', '20000')] }],
      sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }],
      limit: 200,
    },
  ],
  [
    'tasks owner open due<, hs_timestamp asc, 100',
    'tasks',
    {
      filterGroups: [
        {
          filters: [
            f('hubspot_owner_id', 'EQ', owner),
            f('hs_task_status', 'NEQ', 'COMPLETED'),
            f('hs_timestamp', 'LT', String(now + 2 * 86_400_000)),
          ],
        },
      ],
      sorts: [{ propertyName: 'hs_timestamp', direction: 'ASCENDING' }],
      limit: 100,
      properties: ['hs_task_subject', 'hs_task_status', 'hs_timestamp', 'hubspot_owner_id'],
    },
  ],
  [
    'tasks owner open due<, hs_timestamp desc, 100',
    'tasks',
    {
      filterGroups: [
        {
          filters: [
            f('hubspot_owner_id', 'EQ', owner),
            f('hs_task_status', 'NEQ', 'COMPLETED'),
            f('hs_timestamp', 'LT', String(now + 2 * 86_400_000)),
          ],
        },
      ],
      sorts: [{ propertyName: 'hs_timestamp', direction: 'DESCENDING' }],
      limit: 100,
      properties: ['hs_task_subject', 'hs_task_status', 'hs_timestamp', 'hubspot_owner_id'],
    },
  ],
  [
    'companies owner, name asc, 100',
    'companies',
    {
      filterGroups: [{ filters: [f('hubspot_owner_id', 'EQ', owner)] }],
      sorts: [{ propertyName: 'name', direction: 'ASCENDING' }],
      limit: 100,
      properties: ['name', 'domain'],
    },
  ],
  [
    'emails owner, hs_timestamp desc, 100',
    'emails',
    {
      filterGroups: [{ filters: [f('hubspot_owner_id', 'EQ', owner)] }],
      sorts: [{ propertyName: 'hs_timestamp', direction: 'DESCENDING' }],
      limit: 100,
    },
  ],
];
const runs = Number(process.env.RUNS ?? 25);
if (process.env.DIRECT) {
  await sb.close();
  const [{ generatePortal }, { buildPortal }, { runSearch }] = await Promise.all([
    import('./generator/index'),
    import('./store'),
    import('./search'),
  ]);
  const portal = buildPortal(generatePortal({ seed, size }), Date.now(), 'bench');
  for (const [label, type, body] of cases) {
    const ts = portal.types.get(type)!;
    const times: number[] = [];
    let total = 0;
    for (let i = 0; i < runs * 8; i++) {
      const s = performance.now();
      const out = runSearch(portal, ts, body, Date.now());
      JSON.stringify(out);
      times.push(performance.now() - s);
      total = out.total as number;
    }
    times.sort((a, b) => a - b);
    const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(2);
    console.log(
      `  [server] ${label}: total=${total} median=${q(0.5)} ms p95=${q(0.95)} ms (first ${times.length} runs, incl. index build)`,
    );
  }
  process.exit(0);
}
for (const [label, type, body] of cases) {
  const times: number[] = [];
  let total = 0;
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    const res = await fetch(`${sb.url}/crm/v3/objects/${type}/search`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as { total?: number };
    times.push(performance.now() - s);
    total = json.total ?? -1;
  }
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(1);
  console.log(`  ${label}: total=${total} median=${q(0.5)} ms p95=${q(0.95)} ms`);
}
await sb.close();
