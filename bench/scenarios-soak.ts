// Issue #14 item 4: a soak. Mixed signed load from three portals for SOAK_MS (default 10 min)
// against a production-built backend process, with HubSpot (the sandbox) failing SOAK_FAULT_RATE
// of its calls (default 0.1), on SOAK_DATABASE_URL (PostgreSQL) when set.
//
// "Flat", precisely (bench/README.md, the soak): the first SOAK_WARMUP_MS (default 60 s) are
// warm-up (caches filling, the first health runs) and are not judged. The rest is cut into
// equal windows of SOAK_WINDOW_MS (default 60 s); the last window is compared with the first:
//   - RSS: the mean of the window's samples (one every SOAK_SAMPLE_MS, default 10 s) ≤ 1.1 × the first's;
//   - p95: over every request of the window (not a mean of per-sample p95s) ≤ 1.1 × the first's;
//   - open file descriptors: the window's maximum ≤ 1.1 × the first's + 2;
//   - no 5xx and no failed connection over the whole run, warm-up included.
// The machine is shared, so each window also reports the 1-minute load average and the backend's
// CPU time per request (from /proc): a p95 that rises with the load average while CPU per request,
// heap and cache stay flat is the machine, not the backend; the target is still judged as measured.
// The heap after a full GC is read once per window, at its end (the same in every window), and the
// gateway cache's entries, expired entries and approximate bytes at every sample.
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { generateDemoPortal } from '@tiller/hubspot-sandbox/generator';
import { childBackend, round, sandbox, signedGet, statCpuMs, type ScenarioResult } from './harness';
import { flatness, soakWindows, type Sample, type SoakVerdict, type SoakWindow } from './soak-windows';
import type { BenchContext } from './scenarios-gateway';

const PATHS = [
  '/api/v1/tasks/buckets',
  '/api/v1/guided-actions',
  '/api/v1/health/summary',
  '/api/v1/health/customers',
  '/api/v1/health/alerts',
  '/api/v1/me',
];

function rssMb(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
  return round(kb / 1024, 1);
}
const openFds = (pid: number) => readdirSync(`/proc/${pid}/fd`).length;
const cpuMs = (pid: number) => statCpuMs(`/proc/${pid}/stat`);

export async function soak(ctx: BenchContext): Promise<ScenarioResult> {
  const durationMs = Number(process.env.SOAK_MS ?? 600_000);
  const warmupMs = Number(process.env.SOAK_WARMUP_MS ?? 60_000);
  const windowMs = Number(process.env.SOAK_WINDOW_MS ?? 60_000);
  const sampleMs = Number(process.env.SOAK_SAMPLE_MS ?? 10_000);
  const faultRate = Number(process.env.SOAK_FAULT_RATE ?? 0.1);
  if (durationMs < warmupMs + 2 * windowMs)
    throw new Error(`SOAK_MS (${durationMs}) must hold the warm-up (${warmupMs}) and at least two windows of ${windowMs} ms`);
  const now = new Date();
  const fixtures = [0, 1, 2].map((i) => {
    const { fixture } = generateDemoPortal({ seed: ctx.seed + i, size: 'small', now, portalId: 73_001 + i });
    return { ...fixture, portal: { ...fixture.portal, accessToken: `soak-${i}` } };
  });
  const sb = await sandbox({ fixtures, latencyMs: ctx.latencyMs, latencyJitterMs: Math.round(ctx.latencyMs / 4), faultRate });
  // SOAK_DATABASE_URL: PostgreSQL as production runs (a schema of its own); without it the backend's
  // in-memory PGlite, whose own growth then counts in the backend's RSS.
  const backend = await childBackend({
    sandboxUrl: sb.url,
    tokens: Object.fromEntries(sb.portals.map((p) => [String(p.id), p.accessToken])),
    databaseUrl: process.env.SOAK_DATABASE_URL,
    // SOAK_PURGE_EVERY_MS: how often the gateway drops expired entries (default its records TTL);
    // a day turns the purge off, as before #14, for a comparison.
    purgeEveryMs: process.env.SOAK_PURGE_EVERY_MS ? Number(process.env.SOAK_PURGE_EVERY_MS) : undefined,
  });
  const pid = backend.pid;
  const callers = sb.portals.flatMap((p) =>
    p.users
      .filter((u) => u.ownerId)
      .slice(0, 3)
      .map((u) => ({ portalId: p.id, userId: u.id })),
  );

  const samples: Sample[] = [];
  const latencies: { at: number; ms: number }[] = [];
  const cpuMarks: { at: number; cpuMs: number; requests: number }[] = [];
  let requests = 0;
  const statuses = new Map<number, number>();
  const started = Date.now();
  let stop = false;

  type Stats = { entries: number; bytes: number; expired?: number; heapUsed: number };
  const stats = (gc: boolean) =>
    fetch(`${backend.url}/__bench/cache${gc ? '?gc=1' : ''}`)
      .then((r) => r.json() as Promise<Stats>)
      .catch(() => undefined);
  // Window ends: a full GC in the backend and the heap it leaves (once per window, so every window pays the same).
  const boundaries = new Set<number>();
  for (let t = warmupMs; t <= durationMs; t += windowMs) boundaries.add(t);
  // Sample k is taken at started + k × sampleMs (each timer aimed at its instant, so delays on a
  // busy machine do not add up); the load runs until the last one and its stats are in.
  const lastTick = Math.floor(durationMs / sampleMs);
  let timer: NodeJS.Timeout | undefined;
  const sampled = new Promise<void>((done) => {
    const take = (k: number) => {
      const at = k * sampleMs;
      const gc = boundaries.has(at);
      cpuMarks.push({ at, cpuMs: cpuMs(pid), requests });
      const sample: Sample = {
        at,
        rssMb: rssMb(pid),
        fds: openFds(pid),
        load1: round(os.loadavg()[0]!, 2),
        cacheEntries: NaN,
        cacheExpired: NaN,
        cacheMb: NaN,
        heapMb: NaN,
        heapAfterGcMb: NaN,
      };
      samples.push(sample);
      const pending = stats(gc).then((c) => {
        if (!c) return;
        Object.assign(sample, {
          cacheEntries: c.entries,
          cacheExpired: c.expired ?? NaN,
          cacheMb: round(c.bytes / 2 ** 20, 1),
          [gc ? 'heapAfterGcMb' : 'heapMb']: round(c.heapUsed / 2 ** 20, 1),
        });
      });
      if (k >= lastTick) void pending.then(() => done());
      else timer = setTimeout(() => take(k + 1), Math.max(0, started + (k + 1) * sampleMs - Date.now()));
    };
    timer = setTimeout(() => take(1), sampleMs);
  });
  cpuMarks.push({ at: 0, cpuMs: cpuMs(pid), requests: 0 });
  try {
    const worker = async (w: number) => {
      for (let i = w; !stop; i += 1) {
        const c = callers[i % callers.length]!;
        const path = PATHS[(i * 7 + w) % PATHS.length]!;
        const r = await signedGet(backend.url, path, c.portalId, c.userId, { parse: false }).catch(() => ({ status: 0, ms: NaN }));
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        requests += 1;
        if (Number.isFinite(r.ms)) latencies.push({ at: Date.now() - started, ms: r.ms });
      }
    };
    const workers = Array.from({ length: 8 }, (_, w) => worker(w));
    await sampled;
    stop = true;
    await Promise.all(workers);
  } finally {
    clearTimeout(timer);
    await backend.close();
    await sb.close();
  }

  const windows = soakWindows({ samples, latencies, cpuMarks, durationMs, warmupMs, windowMs });
  const verdicts = flatness(windows);
  const v = (name: SoakVerdict['name']) => verdicts.find((x) => x.name === name)!;
  const first = windows[0]!;
  const last = windows.at(-1)!;
  const fivexx = [...statuses.entries()].filter(([s]) => s >= 500 || s === 0).reduce((n, [, k]) => n + k, 0);
  const span = (w: SoakWindow) => `${w.from}–${w.to} s`;
  return {
    scenario: 'soak',
    what: `${round(durationMs / 60_000, 1)} min of mixed signed GETs from 3 portals (8 connections), HubSpot failing ${faultRate * 100} % of calls; warm-up ${warmupMs / 1000} s, then ${windows.length} windows of ${windowMs / 1000} s, the last against the first`,
    figures: {
      requests,
      fivexx,
      statuses: [...statuses.entries()]
        .sort(([a], [b]) => a - b)
        .map(([s, n]) => `${s}×${n}`)
        .join(' '),
      database: process.env.SOAK_DATABASE_URL ? 'PostgreSQL' : 'PGlite',
      gatewayPurge: process.env.SOAK_PURGE_EVERY_MS ? `every ${process.env.SOAK_PURGE_EVERY_MS} ms` : 'default (20 s)',
      windows: windows
        .map(
          (w) =>
            `${span(w)}: ${w.requests} req, p95 ${w.p95} ms, RSS ${w.rssMb} MB, heap after GC ${w.heapAfterGcMb} MB, cache ${w.cacheEntries} entries (${w.cacheExpired} expired) ${w.cacheMb} MB, ${w.fdsMax} fds, load ${w.load1}, CPU ${w.cpuMsPerRequest} ms/req`,
        )
        .join(' · '),
      rssSeries: samples.map((s) => `${Math.round(s.at / 1000)}s:${s.rssMb}`).join(' '),
    },
    targets: [
      {
        name: 'rss',
        target: 'last window ≤ 1.1 × first window after warm-up (mean RSS)',
        actual: `${v('rss').first} → ${v('rss').last} MB (${span(first)} → ${span(last)})`,
        pass: v('rss').pass,
      },
      {
        name: 'p95',
        target: 'last window ≤ 1.1 × first window after warm-up',
        actual: `${v('p95').first} → ${v('p95').last} ms (load average ${first.load1} → ${last.load1}, CPU ${first.cpuMsPerRequest} → ${last.cpuMsPerRequest} ms/request)`,
        pass: v('p95').pass,
      },
      {
        name: 'fds',
        target: 'last window ≤ 1.1 × first window (+2), maximum',
        actual: `${v('fds').first} → ${v('fds').last}`,
        pass: v('fds').pass,
      },
      { name: '5xx', target: '0 (and no failed connection), warm-up included', actual: String(fivexx), pass: fivexx === 0 },
    ],
  };
}
