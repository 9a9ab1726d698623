// The backend server, whatever HubSpot it talks to: database, gateway (sharing limits through
// Redis when REDIS_URL is set), health scheduler and the HTTP app, listening on config.port.
// Both entries use it: main.ts (production, HubSpot) and dev.ts (npm start, the sandbox).
import path from 'node:path';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from './config';
import { createCrmGateway } from './crm/gateway';
import { createApp } from './http/app';
import { createHealthScheduler } from './jobs/health-scheduler';
import { createDatabase, DEFAULT_PGLITE_DATA_DIR } from './storage';
import { createPortalSync, type PortalSync } from './sync';

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

export type RunningServer = {
  port: number;
  /** The portal copy: startFirstLoad for the install hook, applyChanges for the webhook queue. */
  sync: Pick<PortalSync, 'startFirstLoad' | 'applyChanges' | 'status'>;
  close(): Promise<void>;
};

/** Starts the backend on config.port; close() stops taking requests, then releases everything. */
export async function startServer(config: Config, hubspot: HubSpotAccess, logger: Logger): Promise<RunningServer> {
  const closers: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    for (const close of closers) await close().catch((err: unknown) => logger.error({ err }, 'close failed'));
  };
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
    const crm = createCrmGateway({
      basePath: hubspot.basePath,
      tokens: { accessToken: async (portalId) => tokens.get(portalId) ?? null },
      redis,
      namespace: config.redisPrefix,
    });
    closers.unshift(() => crm.close());
    // Health scores: every portal every HEALTH_RUN_INTERVAL_MINUTES (default 6 h), one run per portal across instances.
    const healthScheduler = createHealthScheduler({
      db, crm, logger, now: Date.now, portals: async () => [...tokens.keys()],
      intervalMinutes: config.healthRunIntervalMinutes,
      backfillDays: hubspot.backfillDays ?? 0,
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
    healthScheduler.start();
    closers.unshift(() => healthScheduler.stop());
    // The portal copy: each installed portal's first load (resumed after a restart), then polls
    // every 30 s and a reconciliation every hour, one instance at a time per portal (docs/decisions/0007).
    const sync = createPortalSync({ db, crm, logger, now: Date.now, portals: async () => [...tokens.keys()] });
    sync.start();
    closers.unshift(() => sync.stop());
    const server = app.listen(config.port);
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    closers.unshift(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const address = server.address();
    return { port: typeof address === 'object' && address ? address.port : config.port, sync, close: closeAll };
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
