// A backend in its own process, for scenarios that need real separate instances (two-instances)
// or the backend's own memory (memory). Config comes as JSON in BENCH_CHILD_CONFIG; prints
// "READY <port>" when listening. Adds GET /__bench/cache (the gateway's cache size) for the bench.
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Redis } from 'ioredis';
import { createCrmGateway } from '../src/backend/crm/gateway';
import { createDatabase } from '../src/backend/storage';
import { benchApp } from './harness';

type ChildConfig = {
  sandboxUrl: string;
  tokens: Record<string, string>;
  redisUrl?: string;
  namespace?: string;
  cacheMaxBytes?: number;
  databaseUrl?: string;
  /** An existing schema (holding a portal copy) to use and keep, instead of a new one dropped on exit. */
  schema?: string;
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
});
// With databaseUrl: PostgreSQL in a schema of its own, dropped on exit (as a multi-instance deployment runs).
const ownSchema = config.databaseUrl && !config.schema ? `bench_${process.pid}_${Date.now()}` : undefined;
const schema = config.schema ?? ownSchema;
const db = await createDatabase({ databaseUrl: config.databaseUrl, schema });
const app = benchApp(crm, db, tokens);
const outer = express();
outer.get('/__bench/cache', (_req, res) => {
  (globalThis as { gc?: () => void }).gc?.();
  const mem = process.memoryUsage();
  res.json({ ...crm.cacheStats(), rss: mem.rss, heapUsed: mem.heapUsed, external: mem.external + mem.arrayBuffers });
});
outer.use(app);
const server = outer.listen(0, '127.0.0.1', () => {
  process.stdout.write(`READY ${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => {
  server.close();
  void crm
    .close()
    .then(async () => {
      if (ownSchema) await db.exec(`drop schema if exists ${ownSchema} cascade`);
    })
    .then(() => db.close())
    .finally(() => {
      redis?.disconnect();
      process.exit(0);
    });
});
