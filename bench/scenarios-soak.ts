// Issue #14 item 4: a soak. Mixed signed load from three portals for SOAK_MS (default 10 min)
// against a production-built backend process, with HubSpot (the sandbox) failing SOAK_FAULT_RATE
// of its calls (default 0.1), on SOAK_DATABASE_URL (PostgreSQL) when set. Every 10 s: the backend's RSS and open file descriptors (from /proc)
// and the window's p95. Flat = the last minute within 10 % of the second minute (the first is
// warm-up: caches filling, the first health runs), and no 5xx.
import { readdirSync, readFileSync } from 'node:fs';
import { generateDemoPortal } from '@tiller/hubspot-sandbox/generator';
import { childBackend, percentile, round, sandbox, signedGet, type ScenarioResult } from './harness';
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

export async function soak(ctx: BenchContext): Promise<ScenarioResult> {
  const durationMs = Number(process.env.SOAK_MS ?? 600_000);
  const faultRate = Number(process.env.SOAK_FAULT_RATE ?? 0.1);
  const windowMs = 10_000;
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
  });
  const pid = backend.pid;
  const callers = sb.portals.flatMap((p) =>
    p.users
      .filter((u) => u.ownerId)
      .slice(0, 3)
      .map((u) => ({ portalId: p.id, userId: u.id })),
  );
  // Besides RSS: the heap after a full GC and the gateway cache's own size (bounded, 64 MB by
  // default), so a cache filling up to its bound is told apart from a leak.
  const samples: { at: number; rssMb: number; fds: number; p95: number; requests: number; heapMb: number; cacheMb: number }[] = [];
  let window: number[] = [];
  let requests = 0;
  const statuses = new Map<number, number>();
  const started = Date.now();
  let stop = false;
  const sampler = setInterval(() => {
    const sample = {
      at: Date.now() - started,
      rssMb: rssMb(pid),
      fds: openFds(pid),
      p95: round(percentile(window, 95), 1),
      requests: window.length,
      heapMb: NaN,
      cacheMb: NaN,
    };
    window = [];
    samples.push(sample);
    void fetch(`${backend.url}/__bench/cache`)
      .then((r) => r.json() as Promise<{ bytes: number; heapUsed: number }>)
      .then((c) => Object.assign(sample, { heapMb: round(c.heapUsed / 2 ** 20, 1), cacheMb: round(c.bytes / 2 ** 20, 1) }))
      .catch(() => {});
  }, windowMs);
  try {
    const worker = async (w: number) => {
      for (let i = w; !stop; i += 1) {
        const c = callers[i % callers.length]!;
        const path = PATHS[(i * 7 + w) % PATHS.length]!;
        const r = await signedGet(backend.url, path, c.portalId, c.userId, { parse: false }).catch(() => ({ status: 0, ms: NaN }));
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        requests += 1;
        if (Number.isFinite(r.ms)) window.push(r.ms);
      }
    };
    const workers = Array.from({ length: 8 }, (_, w) => worker(w));
    await new Promise((r) => setTimeout(r, durationMs));
    stop = true;
    await Promise.all(workers);
  } finally {
    clearInterval(sampler);
    await backend.close();
    await sb.close();
  }
  const perMinute = Math.max(1, Math.round(60_000 / windowMs));
  const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const slice = (from: number, key: 'rssMb' | 'fds' | 'p95' | 'heapMb' | 'cacheMb') =>
    avg(samples.slice(from, from + perMinute).map((s) => s[key]));
  const base = { rss: slice(perMinute, 'rssMb'), fds: slice(perMinute, 'fds'), p95: slice(perMinute, 'p95') };
  const end = {
    rss: slice(samples.length - perMinute, 'rssMb'),
    fds: slice(samples.length - perMinute, 'fds'),
    p95: slice(samples.length - perMinute, 'p95'),
  };
  const fivexx = [...statuses.entries()].filter(([s]) => s >= 500 || s === 0).reduce((n, [, k]) => n + k, 0);
  const flat = (a: number, b: number, slack = 0) => b <= a * 1.1 + slack;
  return {
    scenario: 'soak',
    what: `${round(durationMs / 60_000, 1)} min of mixed signed GETs from 3 portals (8 connections), HubSpot failing ${faultRate * 100} % of calls`,
    figures: {
      requests,
      fivexx,
      rssStartMb: round(base.rss),
      rssEndMb: round(end.rss),
      fdsStart: round(base.fds),
      fdsEnd: round(end.fds),
      p95StartMs: round(base.p95),
      p95EndMs: round(end.p95),
      heapAfterGcStartMb: round(slice(perMinute, 'heapMb')),
      heapAfterGcEndMb: round(slice(samples.length - perMinute, 'heapMb')),
      cacheStartMb: round(slice(perMinute, 'cacheMb')),
      cacheEndMb: round(slice(samples.length - perMinute, 'cacheMb')),
      statuses: [...statuses.entries()]
        .sort(([a], [b]) => a - b)
        .map(([s, n]) => `${s}×${n}`)
        .join(' '),
      samples: samples
        .map((s) => `${Math.round(s.at / 1000)}s:${s.rssMb}MB/heap ${s.heapMb}/cache ${s.cacheMb}/${s.fds}fd/${s.p95}ms`)
        .join(' '),
    },
    targets: [
      {
        name: 'rss',
        target: 'last minute ≤ 1.1 × second minute',
        actual: `${round(base.rss)} → ${round(end.rss)} MB`,
        pass: flat(base.rss, end.rss),
      },
      {
        name: 'fds',
        target: 'last minute ≤ 1.1 × second minute (+2)',
        actual: `${round(base.fds)} → ${round(end.fds)}`,
        pass: flat(base.fds, end.fds, 2),
      },
      {
        name: 'p95',
        target: 'last minute ≤ 1.1 × second minute',
        actual: `${round(base.p95)} → ${round(end.p95)} ms`,
        pass: flat(base.p95, end.p95),
      },
      { name: '5xx', target: '0 (and no failed connection)', actual: String(fivexx), pass: fivexx === 0 },
    ],
  };
}
