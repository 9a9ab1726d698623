// Shared plumbing for the benchmark scenarios: a sandbox with realistic latency, a backend on a
// random port, HubSpot-style signed calls, and the figures every scenario reports.
import { spawn, type ChildProcess } from 'node:child_process';
import net, { type AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import { pino } from 'pino';
import type { Redis } from 'ioredis';
import { createCrmGateway, type CrmGateway } from '../src/backend/crm/gateway';
import { createApp } from '../src/backend/http/app';
import { signV3 } from '../src/backend/http/signature';
import { startSandbox, type SandboxOptions } from '@tiller/hubspot-sandbox';
import type { BulkRunner } from '../src/backend/jobs/bulk-runner';
import { createDatabase, type Database } from '../src/backend/storage';
import { runFirstLoad } from '../src/backend/sync/first-load';
import { LIFTED_LIMITS, LIFTED_SANDBOX_LIMITS } from '../tests/helpers/copy';

export const PUBLIC = 'https://tiller.bench.example';
export const SECRET = 'bench-secret';

export type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

export async function sandbox(opts: SandboxOptions): Promise<Sandbox> {
  return startSandbox({ port: 0, ...opts });
}

export type Backend = { url: string; crm: CrmGateway; close(): Promise<void> };

/** The product's app as the bench runs it: signed with the bench secret, quiet, metering exposed. */
export function benchApp(crm: CrmGateway, db: Database, tokens: Map<number, string>, opts: { bulkRunner?: BulkRunner } = {}) {
  return createApp({
    bulkRunner: opts.bulkRunner,
    publicBaseUrl: PUBLIC,
    clientSecret: SECRET,
    crm,
    db,
    installations: { isInstalled: async (id) => tokens.has(id) },
    roles: { isManager: async () => false },
    logger: pino({ level: 'silent' }),
    exposeMetering: true,
  });
}

/** A backend in this process, talking to the sandbox over HTTP like production talks to HubSpot. */
export async function backend(sb: Sandbox, opts: { redis?: Redis; cacheMaxBytes?: number; db?: Database } = {}): Promise<Backend> {
  const tokens = new Map(sb.portals.map((p) => [p.id, p.accessToken]));
  const crm = createCrmGateway({
    basePath: sb.url,
    tokens: { accessToken: async (id) => tokens.get(id) ?? null },
    redis: opts.redis,
    cacheMaxBytes: opts.cacheMaxBytes,
  });
  // A given database (holding a portal copy) outlives this backend; an own one is closed with it.
  const db = opts.db ?? (await createDatabase({}));
  const app = benchApp(crm, db, tokens);
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    crm,
    close: async () => {
      await new Promise<void>((r) => server.close(() => r()));
      await crm.close();
      if (!opts.db) await db.close();
    },
  };
}

/**
 * HubSpot's limits lifted on the sandbox while `load` runs (a copy loaded before a scenario measures
 * something else: our limiter is lifted too, and the sandbox would refuse the pace with 429s), then
 * HubSpot's own (110 per 10 s, 5 searches a second) for what the scenario measures.
 */
export async function withLiftedSandboxLimits<T>(sb: Sandbox, load: () => Promise<T>): Promise<T> {
  sb.control.setRateLimit(LIFTED_SANDBOX_LIMITS);
  try {
    return await load();
  } finally {
    sb.control.setRateLimit({});
  }
}

/** The PostgreSQL the scenarios that share a copy between processes use. */
export const BENCH_DATABASE_URL = () => process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * The portals' copies loaded once (the first load at no sandbox latency and without our limiter:
 * the first load's own figures are another scenario's) into a PostgreSQL schema the backends then
 * share; the caller drops it (`dropCopy`).
 */
export async function loadedCopy(
  sb: Sandbox,
  portalIds: number[],
  latencyMs: number,
  lanes = 1,
): Promise<{ db: Database; schema: string }> {
  const schema = `bench_copy_${process.pid}_${Date.now()}`;
  const db = await createDatabase({ databaseUrl: BENCH_DATABASE_URL(), schema });
  const crm = createCrmGateway({
    basePath: sb.url,
    tokens: { accessToken: async (id) => sb.portals.find((p) => p.id === id)?.accessToken ?? null },
    limits: LIFTED_LIMITS,
  });
  sb.control.setLatency(0);
  try {
    // `lanes` portals at once (many small portals); one after another by default.
    const queue = [...portalIds];
    const started = performance.now();
    await withLiftedSandboxLimits(sb, () =>
      Promise.all(
        Array.from({ length: lanes }, async () => {
          for (let portalId = queue.shift(); portalId !== undefined; portalId = queue.shift()) {
            const loaded = await runFirstLoad({ db, crm, logger: pino({ level: 'silent' }), now: Date.now }, portalId);
            if (!loaded.ready) throw new Error(`the first load of portal ${portalId} failed: ${JSON.stringify(loaded.errors)}`);
          }
        }),
      ),
    );
    process.stderr.write(`  first load of ${portalIds.length} portal(s): ${Math.round(performance.now() - started)} ms\n`);
    const vacuumed = performance.now();
    await settleCopy(db);
    process.stderr.write(`  vacuum analyze of the copy: ${Math.round(performance.now() - vacuumed)} ms\n`);
  } finally {
    sb.control.setLatency(latencyMs);
    await crm.close();
  }
  return { db, schema };
}

/**
 * What autovacuum does within minutes of a load (PostgreSQL 13+ vacuums tables after many inserts):
 * the visibility map that index-only scans read, fresh statistics. Scenarios and probes measure the
 * copy's steady state, not the minutes right after its load.
 */
export async function settleCopy(db: Pick<Database, 'exec'>): Promise<void> {
  await db.exec('vacuum (analyze) crm_records, crm_associations, crm_property_history');
}

/** Drops a `loadedCopy`'s schema and closes its database. */
export async function dropCopy(copy: { db: Database; schema: string }): Promise<void> {
  await copy.db.exec(`drop schema if exists ${copy.schema} cascade`);
  await copy.db.close();
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/** A signed call's answer with the Tiller headers the scenarios read (calls, depth, engine CPU, cache). */
export type CallResult = {
  status: number;
  ms: number;
  bytes: number;
  calls: number;
  depth: number;
  engineCpuMs: number;
  cache: string;
  body: unknown;
};

/** One signed GET, as HubSpot's proxy sends it. `parse: false` skips decoding the body (load loops). */
export function signedGet(
  baseUrl: string,
  path: string,
  portalId: number,
  userId: string | number,
  opts: { parse?: boolean; publicBase?: string } = {},
): Promise<CallResult> {
  const sep = path.includes('?') ? '&' : '?';
  const pathAndQuery = `${path}${sep}portalId=${portalId}&userId=${userId}`;
  const ts = String(Date.now());
  // publicBase: a backend whose public origin is its own address (one that receives the sandbox's webhooks).
  const signature = signV3(SECRET, 'GET', (opts.publicBase ?? PUBLIC) + pathAndQuery, '', ts);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${baseUrl}${pathAndQuery}`,
      {
        agent,
        headers: { 'X-HubSpot-Signature-v3': signature, 'X-HubSpot-Request-Timestamp': ts },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const ms = performance.now() - started;
          let body: unknown = null;
          if (opts.parse !== false) {
            const text = Buffer.concat(chunks).toString('utf8');
            body = text;
            try {
              body = JSON.parse(text);
            } catch {
              /* keep text */
            }
          }
          const h = res.headers;
          resolve({
            status: res.statusCode ?? 0,
            ms,
            bytes: chunks.reduce((n, c) => n + c.length, 0),
            calls: Number(h['x-tiller-hubspot-calls'] ?? 0),
            depth: Number(h['x-tiller-hubspot-depth'] ?? 0),
            engineCpuMs: Number(h['x-tiller-engine-cpu-ms'] ?? NaN),
            cache: String(h['x-tiller-cache'] ?? ''),
            body,
          });
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** One signed POST with a JSON body, as HubSpot's proxy sends it (the body is signed too). */
export async function signedPost(
  baseUrl: string,
  path: string,
  portalId: number,
  userId: string | number,
  body: unknown,
): Promise<{ status: number; ms: number; body: unknown }> {
  const pathAndQuery = `${path}${path.includes('?') ? '&' : '?'}portalId=${portalId}&userId=${userId}`;
  const raw = JSON.stringify(body);
  const ts = String(Date.now());
  const started = performance.now();
  const res = await fetch(`${baseUrl}${pathAndQuery}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'X-HubSpot-Signature-v3': signV3(SECRET, 'POST', PUBLIC + pathAndQuery, raw, ts),
      'X-HubSpot-Request-Timestamp': ts,
    },
    body: raw,
  });
  const text = await res.text();
  return { status: res.status, ms: performance.now() - started, body: text ? (JSON.parse(text) as unknown) : null };
}

/**
 * User + system CPU time in ms of the process or thread whose `/proc` stat file this is
 * (`/proc/<pid>/stat`, `/proc/<pid>/task/<tid>/stat`: fields 14 and 15, in clock ticks). Linux only.
 */
export function statCpuMs(statFile: string): number {
  const stat = readFileSync(statFile, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** A scenario's outcome: figures for the table, and each target with whether it was met. */
export type ScenarioResult = {
  scenario: string;
  what: string;
  figures: Record<string, number | string>;
  targets: { name: string; target: string; actual: string; pass: boolean }[];
};

export type ChildBackend = { url: string; pid: number; close(): Promise<void>; exited: Promise<void> };

/** A backend in a separate Node process (see backend-child.ts). */
let built: Promise<{ file: string; nodeFlags: string[] }> | undefined;
/**
 * The bench's backend process runs as production does (`npm run build`, `npm run serve`): bundled
 * JavaScript, with the Node flags of the `serve` script.
 */
function builtChild() {
  built ??= (async () => {
    const { buildBackend } = await import('../scripts/build-backend.mjs');
    const file = await buildBackend('bench/backend-child.ts', 'dist/bench', { withWorkspacePackages: true });
    const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };
    const nodeFlags = (pkg.scripts.serve ?? '').split(/\s+/).filter((w) => w.startsWith('--'));
    return { file, nodeFlags };
  })();
  return built;
}

export async function childBackend(config: {
  sandboxUrl: string;
  tokens: Record<string, string>;
  redisUrl?: string;
  namespace?: string;
  cacheMaxBytes?: number;
  databaseUrl?: string;
  schema?: string;
  purgeEveryMs?: number;
  /** Run the instance's bulk-job runner (started, as server.ts starts it). */
  bulkRunner?: boolean;
}): Promise<ChildBackend> {
  const { spawn } = await import('node:child_process');
  // BENCH_CHILD_PROFILE=<dir>: write a CPU profile of the backend process there on exit.
  const profile = process.env.BENCH_CHILD_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CHILD_PROFILE}`] : [];
  // BENCH_CHILD_NODE_FLAGS: more V8/Node flags for the backend process (e.g. --trace-gc).
  profile.push(...(process.env.BENCH_CHILD_NODE_FLAGS ?? '').split(' ').filter(Boolean));
  const { file, nodeFlags } = await builtChild();
  const child = spawn(process.execPath, [...profile, ...nodeFlags, '--expose-gc', file], {
    env: { ...process.env, BENCH_CHILD_CONFIG: JSON.stringify(config) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      if (process.env.BENCH_CHILD_NODE_FLAGS) process.stderr.write(c); // what the flags print
      out += c.toString();
      const m = /READY (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`backend child exited with ${code}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    exited,
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/**
 * Requests per second of one signed GET over `connections` keep-alive connections for `ms`:
 * with wrk when it is installed (apt-get install wrk), else with this process's own client.
 * The signature stays valid for the run (HubSpot accepts 5 minutes).
 */
export async function throughput(
  baseUrl: string,
  path: string,
  portalId: number,
  userId: string | number,
  connections: number,
  ms: number,
) {
  const { execFileSync } = await import('node:child_process');
  const sep = path.includes('?') ? '&' : '?';
  const pathAndQuery = `${path}${sep}portalId=${portalId}&userId=${userId}`;
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
  } catch (err) {
    // wrk prints its version and exits 1; only a missing binary means "not installed".
    if ((err as { code?: string }).code === 'ENOENT') return nodeThroughput();
  }
  const ts = String(Date.now());
  const { signV3 } = await import('../src/backend/http/signature');
  const signature = signV3(SECRET, 'GET', PUBLIC + pathAndQuery, '', ts);
  const out = execFileSync('wrk', [
    '-t1',
    `-c${connections}`,
    `-d${Math.round(ms / 1000)}s`,
    '--latency',
    '-H',
    `X-HubSpot-Signature-v3: ${signature}`,
    '-H',
    `X-HubSpot-Request-Timestamp: ${ts}`,
    baseUrl + pathAndQuery,
  ]).toString();
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0);
  const p50 = /50%\s+([\d.]+)(ms|us|s)/.exec(out);
  const p50Ms = p50 ? Number(p50[1]) * (p50[2] === 'us' ? 0.001 : p50[2] === 's' ? 1000 : 1) : NaN;
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  return { tool: 'wrk', rps, p50Ms: round(p50Ms, 2), failures: non2xx };

  async function nodeThroughput() {
    const times: number[] = [];
    let failures = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (performance.now() - started < ms) {
          const r = await signedGet(baseUrl, path, portalId, userId);
          if (r.status !== 200) failures++;
          times.push(r.ms);
        }
      }),
    );
    return {
      tool: 'node client',
      rps: times.length / ((performance.now() - started) / 1000),
      p50Ms: round(percentile(times, 50), 2),
      failures,
    };
  }
}

/** The sandbox in a process of its own (sandbox/src/main.ts): its CPU and heap are not the measuring process's. */
export type ChildSandbox = {
  url: string;
  portal: { id: number; accessToken: string; users: { id: string; firstName: string; superAdmin: boolean }[] };
  stats(): Promise<{
    totalCalls: number;
    searches: number;
    rateLimited: number;
    rateLimitedSearch: number;
    peak10s: number;
    peak1s: number;
  }>;
  reset(): Promise<void>;
  close(): Promise<void>;
};

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/**
 * A generated demo portal served by a sandbox process of its own. `unlimited`: no rate limits (a
 * copy filled fast before measuring); `portal`: the portal's id and access token (default the
 * generator's).
 */
export async function childSandbox(opts: {
  size: 'small' | 'medium' | 'large';
  latencyMs: number;
  seed: number;
  unlimited?: boolean;
  portal?: { id: number; accessToken: string };
}): Promise<ChildSandbox> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'sandbox/src/main.ts'], {
    env: {
      ...process.env,
      SANDBOX_PORT: String(port),
      SANDBOX_SIZE: opts.size,
      SANDBOX_SEED: String(opts.seed),
      SANDBOX_LATENCY_MS: String(opts.latencyMs),
      SANDBOX_UNLIMITED: opts.unlimited ? '1' : '0',
      ...(opts.portal ? { SANDBOX_PORTAL_ID: String(opts.portal.id), SANDBOX_ACCESS_TOKEN: opts.portal.accessToken } : {}),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  let portals: ChildSandbox['portal'][] | undefined;
  while (!portals) {
    if (child.exitCode !== null) throw new Error(`the sandbox exited with ${child.exitCode}`);
    if (Date.now() - started > 180_000) throw new Error('the sandbox did not start within 3 minutes');
    await new Promise((r) => setTimeout(r, 500));
    portals = await fetch(`${url}/__sandbox/portals`).then(
      (r) => (r.ok ? (r.json() as Promise<ChildSandbox['portal'][]>) : undefined),
      () => undefined,
    );
  }
  return {
    url,
    portal: portals[0]!,
    stats: () => fetch(`${url}/__sandbox/stats`).then((r) => r.json() as Promise<Awaited<ReturnType<ChildSandbox['stats']>>>),
    reset: async () => void (await fetch(`${url}/__sandbox/reset`, { method: 'POST' })),
    close: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}
