// A backend in its own process, for scenarios that need real separate instances (two-instances)
// or the backend's own memory (memory). Config comes as JSON in BENCH_CHILD_CONFIG; prints
// "READY <port>" when listening, after the guided-actions warm-up as a deployed instance runs it
// (TILLER_WARM_UP=0 in the bench's environment: without; docs/decisions/0016). Adds GET /__bench/cache (the gateway's cache size and the process's memory) for the bench.
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Redis } from 'ioredis';
import { createCrmGateway } from '../src/backend/crm/gateway';
import { pino } from 'pino';
import { createBulkRunner } from '../src/backend/jobs/bulk-runner';
import { createDatabase } from '../src/backend/storage';
import { loadConfig } from '../src/backend/config';
import { warmUpBeforeListening } from '../src/backend/services/guided-actions/warm-up-plan';
import { benchApp } from './harness';

type ChildConfig = {
  sandboxUrl: string;
  tokens: Record<string, string>;
  redisUrl?: string;
  namespace?: string;
  cacheMaxBytes?: number;
  databaseUrl?: string;
  /** An existing schema (a portal copy loaded by the bench), kept on exit. */
  schema?: string;
  purgeEveryMs?: number;
  /** Run the instance's bulk-job runner (ticking: it resumes unfinished jobs it finds). */
  bulkRunner?: boolean;
};

const config = JSON.parse(process.env.BENCH_CHILD_CONFIG ?? '{}') as ChildConfig;
const tokens = new Map(Object.entries(config.tokens).map(([k, v]) => [Number(k), v]));
const redis = config.redisUrl ? new Redis(config.redisUrl) : undefined;
const crm = createCrmGateway({
  basePath: config.sandboxUrl,
  tokens: { accessToken: async (id) => tokens.get(id) ?? null },
  redis,
  namespace: config.namespace,
  cacheMaxBytes: config.cacheMaxBytes,
  purgeEveryMs: config.purgeEveryMs,
});
// With databaseUrl: PostgreSQL in a schema of its own, dropped on exit (as a multi-instance deployment runs).
const ownSchema = config.databaseUrl && !config.schema ? `bench_${process.pid}_${Date.now()}` : undefined;
const schema = config.schema ?? ownSchema;
const db = await createDatabase({ databaseUrl: config.databaseUrl, schema });
const bulkRunner = config.bulkRunner ? createBulkRunner({ db, crm, logger: pino({ level: 'silent' }), now: Date.now }) : undefined;
bulkRunner?.start();
const app = benchApp(crm, db, tokens, { bulkRunner });
const outer = express();
// ?gc=1: a full GC first, so heapUsed is what is still referenced (the soak asks once per window).
outer.get('/__bench/cache', (req, res) => {
  if (req.query.gc === '1') (globalThis as { gc?: () => void }).gc?.();
  const mem = process.memoryUsage();
  const cpu = process.cpuUsage();
  res.json({
    ...crm.cacheStats(),
    rss: mem.rss,
    heapUsed: mem.heapUsed,
    external: mem.external + mem.arrayBuffers,
    cpuMs: (cpu.user + cpu.system) / 1000,
  });
});
outer.use(app);
if (loadConfig({ TILLER_WARM_UP: process.env.TILLER_WARM_UP }).warmUp) {
  const { engine: w, ...p } = await warmUpBeforeListening();
  process.stderr.write(`backend child: guided actions warmed up in ${Math.round(w.ms)} ms (${Math.round(w.cpuMs)} ms CPU)\n`);
  if (!p.plan) throw p.planError; // a bench must not measure a half-warmed instance silently
  process.stderr.write(
    `backend child: guided actions' data plan warmed up in ${Math.round(p.plan.ms)} ms (${Math.round(p.plan.cpuMs)} ms CPU)\n`,
  );
}
const server = outer.listen(0, '127.0.0.1', () => {
  process.stdout.write(`READY ${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => {
  server.close();
  void (bulkRunner?.stop() ?? Promise.resolve())
    .then(() => crm.close())
    .then(async () => {
      if (ownSchema) await db.exec(`drop schema if exists ${ownSchema} cascade`);
    })
    .then(() => db.close())
    .finally(() => {
      redis?.disconnect();
      process.exit(0);
    });
});
