// Prometheus metrics (prom-client), one registry per server: HubSpot calls by kind and outcome,
// 429s, call time (limiter wait included), gateway cache, request latency by route, job
// durations and sync lag per portal. Served at /metrics behind METRICS_TOKEN (http/ops.ts).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type CallOutcome = 'ok' | 'rate-limited' | 'server' | 'timeout' | 'network' | 'client' | 'other';

export interface Metrics {
  readonly registry: Registry;
  /** One HubSpot call attempt (the gateway's onCall hook). */
  crmCall(kind: string, ms: number, errorKind?: string): void;
  /** One answered HTTP request. */
  request(method: string, route: string, status: number, ms: number): void;
  /** One background job (health run, sync pass…). */
  job(name: string, ms: number, ok: boolean): void;
  /** How stale each portal's copy is (now − its dataAsOf), read at scrape time. */
  syncLagSource(read: () => Promise<{ portalId: number; seconds: number }[]>): void;
  /** The gateway's cache size, read at scrape time. */
  cacheSource(read: () => { entries: number; bytes: number }): void;
  /** A cache invalidation heard from another instance (cache-bus.ts), or one that could not be published. */
  invalidation(scope: string, outcome: 'received' | 'unpublished'): void;
}

const OUTCOMES = new Set<string>(['rate-limited', 'server', 'timeout', 'network', 'client']);

/** Builds the registry with default process metrics (memory, CPU, event loop lag, open fds). */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tiller_' });
  const calls = new Counter({
    name: 'tiller_hubspot_calls_total',
    help: 'HubSpot call attempts by kind and outcome',
    labelNames: ['kind', 'outcome'],
    registers: [registry],
  });
  const rateLimited = new Counter({
    name: 'tiller_hubspot_429_total',
    help: 'HubSpot answers 429 (rate limited)',
    labelNames: ['kind'],
    registers: [registry],
  });
  const callSeconds = new Histogram({
    name: 'tiller_hubspot_call_seconds',
    help: 'HubSpot call time including the wait for the limiter',
    labelNames: ['kind'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
    registers: [registry],
  });
  const requestSeconds = new Histogram({
    name: 'tiller_http_request_seconds',
    help: 'HTTP request latency by route',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const jobSeconds = new Histogram({
    name: 'tiller_job_seconds',
    help: 'Background job durations',
    labelNames: ['job', 'outcome'],
    buckets: [0.1, 1, 5, 15, 30, 60, 120, 300, 900],
    registers: [registry],
  });
  let lagRead: (() => Promise<{ portalId: number; seconds: number }[]>) | undefined;
  new Gauge({
    name: 'tiller_sync_lag_seconds',
    help: "How stale each portal's copy is: now minus the moment up to which it is known complete (dataAsOf)",
    labelNames: ['portal'],
    registers: [registry],
    async collect() {
      if (!lagRead) return;
      this.reset();
      for (const { portalId, seconds } of await lagRead()) this.set({ portal: String(portalId) }, seconds);
    },
  });
  let cacheRead: (() => { entries: number; bytes: number }) | undefined;
  new Gauge({
    name: 'tiller_gateway_cache_bytes',
    help: 'Approximate bytes held by the HubSpot read cache',
    registers: [registry],
    collect() {
      if (cacheRead) this.set(cacheRead().bytes);
    },
  });
  new Gauge({
    name: 'tiller_gateway_cache_entries',
    help: 'Entries in the HubSpot read cache',
    registers: [registry],
    collect() {
      if (cacheRead) this.set(cacheRead().entries);
    },
  });
  const invalidations = new Counter({
    name: 'tiller_cache_invalidations_total',
    help: 'Cache invalidations: received from another instance, or not published (Redis failing) by scope',
    labelNames: ['scope', 'outcome'],
    registers: [registry],
  });
  return {
    registry,
    invalidation(scope, outcome) {
      invalidations.inc({ scope, outcome });
    },
    crmCall(kind, ms, errorKind) {
      const outcome = errorKind === undefined ? 'ok' : OUTCOMES.has(errorKind) ? errorKind : 'other';
      calls.inc({ kind, outcome });
      if (outcome === 'rate-limited') rateLimited.inc({ kind });
      callSeconds.observe({ kind }, ms / 1000);
    },
    request(method, route, status, ms) {
      requestSeconds.observe({ method, route, status: String(status) }, ms / 1000);
    },
    job(name, ms, ok) {
      jobSeconds.observe({ job: name, outcome: ok ? 'ok' : 'failed' }, ms / 1000);
    },
    syncLagSource(read) {
      lagRead = read;
    },
    cacheSource(read) {
      cacheRead = read;
    },
  };
}
