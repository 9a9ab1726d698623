// The backend server, whatever HubSpot it talks to: database, gateway (sharing limits through
// Redis when REDIS_URL is set), health scheduler and the HTTP app, listening on config.port.
// Both entries use it: main.ts (production, HubSpot) and dev.ts (npm start, the sandbox).
import path from 'node:path';
import express from 'express';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from './config';
import { createCrmGateway } from './crm/gateway';
import { createApp } from './http/app';
import { opsRoutes, requestMetrics } from './http/ops';
import { createHealthScheduler } from './jobs/health-scheduler';
import { createMetrics } from './metrics';
import { createDatabase, DEFAULT_PGLITE_DATA_DIR, pendingMigrations } from './storage';

/** Where HubSpot is and which portals may use it (until installs are stored: issue #12). */
export type HubSpotAccess = {
  basePath: string;
  /** Access token per installed portal. */
  tokens: ReadonlyMap<number, string>;
  /** `${portalId}:${userId}` of the portals' super admins (managers). */
  superAdmins: ReadonlySet<string>;
  /** Days of health history to score on a profile's first run (sandbox demo history). */
  backfillDays?: number;
};

export type RunningServer = { port: number; close(): Promise<void> };

/**
 * Starts the backend on config.port. close() is the graceful shutdown: /readyz answers 503 at
 * once (the balancer stops sending), no new connection is taken, requests in flight get up to
 * config.shutdownGraceMs to finish, then the scheduler stops (a run in progress ends at its next
 * step and its lock is released, so another instance resumes it) and everything is released.
 */
export async function startServer(config: Config, hubspot: HubSpotAccess, logger: Logger): Promise<RunningServer> {
  const closers: (() => Promise<void>)[] = [];
  let closing: Promise<void> | undefined;
  const closeAll = () =>
    (closing ??= (async () => {
      for (const close of closers) await close().catch((err: unknown) => logger.error({ err }, 'close failed'));
    })());
  try {
    const db = await createDatabase({
      databaseUrl: config.databaseUrl,
      schema: config.databaseSchema,
      dataDir: config.databaseUrl ? undefined : path.join(config.dataDir, path.basename(DEFAULT_PGLITE_DATA_DIR)),
      logger,
    });
    closers.unshift(() => db.close());
    logger.info({ kind: db.kind }, 'database ready');

    // Several instances share one portal's HubSpot limits through Redis (docs/decisions/0004).
    // Not lazyConnect: Bottleneck duplicates this client for its subscriber, and a lazy duplicate never connects.
    const redis = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 3 }) : undefined;
    if (redis) {
      await new Promise<void>((resolve, reject) => {
        redis.once('ready', resolve);
        redis.once('error', reject);
      });
      redis.on('error', (err) => logger.warn({ err }, 'redis error (ioredis reconnects)'));
      closers.unshift(async () => void redis.disconnect());
      logger.info('redis ready: HubSpot limits shared between instances');
    }
    const { tokens, superAdmins } = hubspot;
    const metrics = createMetrics();
    const crm = createCrmGateway({
      basePath: hubspot.basePath,
      tokens: { accessToken: async (portalId) => tokens.get(portalId) ?? null },
      redis,
      namespace: config.redisPrefix,
      onCall: (e) => metrics.crmCall(e.kind, e.ms, e.error?.kind),
    });
    metrics.cacheSource(() => crm.cacheStats());
    closers.unshift(() => crm.close());
    // Health scores: every portal every HEALTH_RUN_INTERVAL_MINUTES (default 6 h), one run per portal across instances.
    const healthScheduler = createHealthScheduler({
      db, crm, logger, now: Date.now, portals: async () => [...tokens.keys()],
      intervalMinutes: config.healthRunIntervalMinutes,
      backfillDays: hubspot.backfillDays ?? 0,
      onRun: (ms, ok) => metrics.job('health-run', ms, ok),
    });
    const app = createApp({
      publicBaseUrl: config.publicBaseUrl,
      clientSecret: config.clientSecret,
      crm,
      db,
      installations: { isInstalled: async (portalId) => tokens.has(portalId) },
      roles: { isManager: async (portalId, userId) => superAdmins.has(`${portalId}:${userId}`) },
      logger,
      deadlineMs: config.requestDeadlineMs,
      exposeMetering: config.mode === 'sandbox',
      healthScheduler,
    });
    let draining = false;
    const outer = express();
    outer.disable('x-powered-by');
    outer.use(requestMetrics(metrics));
    outer.use(
      opsRoutes({
        metrics,
        draining: () => draining,
        metricsToken: config.metricsToken,
        checks: [
          { name: 'database', check: async () => void (await db.query('select 1')) },
          {
            name: 'migrations',
            check: async () => {
              const pending = await pendingMigrations(db);
              return pending.length ? `not applied: ${pending.join(', ')}` : undefined;
            },
          },
          ...(redis ? [{ name: 'redis', check: async () => (redis.status === 'ready' ? void (await redis.ping()) : `connection ${redis.status}`) }] : []),
          { name: 'jobs', check: async () => (healthScheduler.running() ? undefined : 'the scheduler is stopped') },
        ],
      }),
    );
    outer.use(app);
    healthScheduler.start();
    closers.unshift(() => healthScheduler.stop());
    const server = outer.listen(config.port);
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    closers.unshift(async () => {
      draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const grace = setTimeout(() => server.closeAllConnections(), config.shutdownGraceMs);
      await closed;
      clearTimeout(grace);
    });
    const address = server.address();
    return { port: typeof address === 'object' && address ? address.port : config.port, close: closeAll };
  } catch (err) {
    await closeAll();
    throw err;
  }
}

/** Stops the server on SIGINT / SIGTERM, then exits. */
export function stopOnSignals(logger: Logger, close: () => Promise<void>): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    void close().finally(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/** Runs an entry's start function; a bad environment or failed start is reported in plain words. */
export function runEntry(start: () => Promise<void>): void {
  Promise.resolve().then(start).catch((err: unknown) => {
    process.stderr.write(`Tiller could not start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
