// Operations endpoints outside /api/: readiness for a load balancer and Prometheus metrics.
// /healthz (alive) stays in app.ts; these need the server's resources, handed in by server.ts.
import { timingSafeEqual } from 'node:crypto';
import express, { type RequestHandler, type Router } from 'express';
import type { Metrics } from '../metrics';

export type ReadinessCheck = { name: string; check: () => Promise<string | undefined> };

export type OpsDeps = {
  metrics: Metrics;
  /** Each check resolves to undefined when fine, or a sentence saying what is wrong. */
  checks: ReadinessCheck[];
  /** True from SIGTERM on: the balancer should stop sending requests here. */
  draining: () => boolean;
  /** METRICS_TOKEN; without it /metrics is not served. */
  metricsToken?: string;
};

/** GET /readyz and GET /metrics. */
export function opsRoutes(deps: OpsDeps): Router {
  const router = express.Router();
  router.get('/readyz', async (_req, res) => {
    if (deps.draining()) {
      res.status(503).json({ status: 'draining', checks: {} });
      return;
    }
    const results = await Promise.all(
      deps.checks.map(
        async (c) =>
          [c.name, await withTimeout(c.check(), 2_000).catch((e: unknown) => (e instanceof Error ? e.message : String(e)))] as const,
      ),
    );
    const checks = Object.fromEntries(results.map(([name, problem]) => [name, problem ?? 'ok']));
    const ok = results.every(([, problem]) => problem === undefined);
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'not-ready', checks });
  });
  router.get('/metrics', async (req, res) => {
    if (!deps.metricsToken || !bearerMatches(req.headers.authorization, deps.metricsToken)) {
      // no hint whether metrics exist: the same answer as any unknown path
      res.status(404).json({ error: { code: 'NOT_FOUND', message: `There is no endpoint GET ${req.path}.` } });
      return;
    }
    res.setHeader('Content-Type', deps.metrics.registry.contentType);
    res.send(await deps.metrics.registry.metrics());
  });
  return router;
}

/** Records each request's latency by method, matched route and status. */
export function requestMetrics(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    res.once('finish', () => {
      const routePath = (req.route as { path?: unknown } | undefined)?.path;
      const route = typeof routePath === 'string' ? `${req.originalUrl.startsWith('/api/') ? '/api' : ''}${routePath}` : 'unmatched';
      metrics.request(req.method, route, res.statusCode, performance.now() - started);
    });
    next();
  };
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer (.+)$/.exec(header ?? '');
  if (!m) return false;
  const a = Buffer.from(m[1]!);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
