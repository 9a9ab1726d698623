// The backend server, whatever HubSpot it talks to: database, installs and tokens, gateway
// (sharing limits through Redis when REDIS_URL is set), the portal copy (first loads, polls,
// reconciliation, the webhook queue), health runs, bulk task jobs, the HTTP app and /readyz,
// /metrics, listening on config.port. Both entries use it: main.ts (production, HubSpot) and
// dev.ts (npm start, the sandbox).
import path from 'node:path';
import express from 'express';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from './config';
import { createCrmGateway } from './crm/gateway';
import { createCacheBus } from './cache-bus';
import { createApp } from './http/app';
import { createBulkRunner } from './jobs/bulk-runner';
import { opsRoutes, requestMetrics } from './http/ops';
import { createServer } from './http/server';
import { createHealthScheduler } from './jobs/health-scheduler';
import { createWebhookWorker } from './jobs/webhook-worker';
import { createMetrics } from './metrics';
import { createDatabase, DEFAULT_PGLITE_DATA_DIR, pendingMigrations } from './storage';
import { createOAuthClient } from './crm/oauth';
import { optionalScopes, requiredScopes } from './crm/scopes';
import { createInstallService, type InstallService } from './services/install/install-service';
import { createRoles } from './services/install/roles';
import { createTokenCipher, devTokenKey } from './services/install/token-cipher';
import { createPortalSync, type PortalSync } from './sync';
import { markChanged, nameThenLoad } from './services/health/runner';
import { warmUpBeforeListening } from './services/guided-actions/warm-up-plan';

/** Where HubSpot is; installs are stored (OAuth), plus an optional portal on a static token. */
export type HubSpotAccess = {
  basePath: string;
  /** HubSpot's authorize URL, or the sandbox's. */
  authorizeUrl: string;
  /** A portal on a fixed token without OAuth (HUBSPOT_ACCESS_TOKEN + HUBSPOT_PORTAL_ID). */
  staticTokens?: ReadonlyMap<number, string>;
  /** Days of health history backfilled from the copy on a profile's first run (default 30, every install). */
  backfillDays?: number;
  /** The clock token expiry is judged by (tests move it forward with the sandbox's). */
  now?: () => number;
};

export type RunningServer = {
  port: number;
  /** Installs: `onInstalled` (start the portal copy's first load), `handleAppUninstalled` (lifecycle event). */
  install: InstallService;
  /** The portal copy: first loads, changes applied, status. */
  sync: Pick<PortalSync, 'startFirstLoad' | 'applyChanges' | 'status'>;
  close(): Promise<void>;
};

/** How often uninstalled portals past their grace period are purged. */
const PURGE_EVERY_MS = 60 * 60_000;

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
    const metrics = createMetrics();
    // In-process caches dropped on every instance after a write (Redis pub/sub; local only without Redis).
    const bus = await createCacheBus({ redis, namespace: config.redisPrefix, logger, onMessage: (s, o) => metrics.invalidation(s, o) });
    closers.unshift(() => bus.close());
    // Tokens at rest: TOKEN_KEYS (required in hubspot mode with OAuth, config.ts); the sandbox may derive a dev key.
    const install = createInstallService({
      db,
      oauth: createOAuthClient({ basePath: hubspot.basePath, clientId: config.clientId ?? '', clientSecret: config.clientSecret }),
      cipher: createTokenCipher(config.tokenKeys ?? [devTokenKey(config.clientSecret)]),
      clientId: config.clientId ?? '',
      stateSecret: config.clientSecret,
      publicBaseUrl: config.publicBaseUrl,
      authorizeUrl: hubspot.authorizeUrl,
      scopes: { required: requiredScopes(), optional: optionalScopes() },
      logger,
      purgeAfterDays: config.purgeAfterDays,
      staticTokens: hubspot.staticTokens,
      now: hubspot.now,
      bus,
    });
    const crm = createCrmGateway({
      basePath: hubspot.basePath,
      tokens: install.tokens,
      redis,
      namespace: config.redisPrefix,
      onCall: (e) => metrics.crmCall(e.kind, e.ms, e.error?.kind),
      bus,
    });
    metrics.cacheSource(() => crm.cacheStats());
    closers.unshift(() => crm.close());
    const roles = createRoles({ db, crm, logger });
    const purgeTimer = setInterval(() => {
      install.purgeDue().catch((err: unknown) => logger.error({ err }, 'purge of uninstalled portals failed'));
    }, PURGE_EVERY_MS);
    purgeTimer.unref();
    closers.unshift(async () => clearInterval(purgeTimer));
    // The portal copy: each installed portal's first load (resumed after a restart), then polls
    // every 30 s and a reconciliation every hour, one instance at a time per portal (docs/decisions/0007).
    const sync = createPortalSync({
      db,
      crm,
      logger,
      now: Date.now,
      portals: () => install.activePortals(),
      // Health follows the data: customers touched by a change are rescored within a minute.
      onChanged: async (portalId, touched) => void (await markChanged(db, portalId, touched, Date.now())),
    });
    // Health scores: every portal every HEALTH_RUN_INTERVAL_MINUTES (default 6 h), one run per portal across instances.
    // A type the profiles now read more of is loaded again at once, not at the next poll tick.
    const healthDeps = {
      db,
      crm,
      logger,
      now: Date.now,
      startCopyLoad: (portalId: number) => void bus.invalidate(portalId, 'copy-settings'),
    };
    const healthScheduler = createHealthScheduler({
      ...healthDeps,
      portals: () => install.activePortals(),
      intervalMinutes: config.healthRunIntervalMinutes,
      backfillDays: hubspot.backfillDays,
      onRun: (ms, ok) => metrics.job('health-run', ms, ok),
    });
    // Whatever names more for the copy to read (health, the Customer Success settings), on any
    // instance: the portal's job runs now, or again after the one running (the lock holder's).
    bus.on('copy-settings', (portalId) => sync.readsChanged(portalId));
    // The health profiles (the default one built from what the portal has) name the properties
    // they read before the first load starts, so it reads them: no reload of the customer object
    // once a health run asks for them. Whatever happens, the load starts (within NAMING_WAIT_MS).
    install.onInstalled((portalId) => {
      void nameThenLoad(healthDeps, portalId, () => sync.startFirstLoad(portalId));
    });
    metrics.syncLagSource(async () =>
      Promise.all(
        (await install.activePortals()).map(async (portalId) => ({
          portalId,
          seconds: Math.max(0, (Date.now() - Date.parse((await sync.freshness(portalId)).dataAsOf)) / 1000),
        })),
      ),
    );
    // HubSpot's webhooks: queued durably by POST /webhooks/hubspot, applied to the copy in order.
    const webhookWorker = createWebhookWorker({
      db,
      logger,
      apply: (portalId, changes) => sync.applyChanges(portalId, changes),
      isInstalled: async (portalId) => (await install.status(portalId)) === 'active',
      onUninstalled: (portalId) => install.handleAppUninstalled(portalId),
    });
    // Bulk task jobs (Actions tab): one instance runs a given job; a restart resumes unfinished ones.
    const bulkRunner = createBulkRunner({ db, crm, logger, now: Date.now });
    const app = createApp({
      publicBaseUrl: config.publicBaseUrl,
      clientSecret: config.clientSecret,
      crm,
      db,
      installations: { isInstalled: async (portalId) => (await install.status(portalId)) !== 'not-installed' },
      roles,
      install: { service: install, roles, oauthPages: config.oauth },
      logger,
      deadlineMs: config.requestDeadlineMs,
      exposeMetering: config.mode === 'sandbox',
      healthScheduler,
      webhooks: webhookWorker,
      bulkRunner,
      bus,
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
          ...(redis
            ? [{ name: 'redis', check: async () => (redis.status === 'ready' ? void (await redis.ping()) : `connection ${redis.status}`) }]
            : []),
          { name: 'jobs', check: async () => (healthScheduler.running() ? undefined : 'the scheduler is stopped') },
        ],
      }),
    );
    outer.use(app);
    // Before any worker starts and before listening: a fresh process would otherwise pay V8's
    // compiling on its first guided-actions request (~1 s of CPU here, synchronous; docs/decisions/0016).
    if (config.warmUp) {
      // The engine, then the data plan's JavaScript on the same book through an in-memory stand-in
      // of the copy (session 8): a failure of the latter only leaves that part cold.
      const { engine: w, ...p } = await warmUpBeforeListening();
      logger.info({ ms: Math.round(w.ms), cpuMs: Math.round(w.cpuMs), rounds: w.rounds }, 'guided actions warmed up');
      if (p.plan)
        logger.info(
          { ms: Math.round(p.plan.ms), cpuMs: Math.round(p.plan.cpuMs), rounds: p.plan.rounds },
          "guided actions' data plan warmed up",
        );
      else logger.warn({ err: p.planError }, "guided actions' data plan not warmed up");
    }
    healthScheduler.start();
    closers.unshift(() => healthScheduler.stop());
    sync.start();
    closers.unshift(() => sync.stop());
    webhookWorker.start();
    closers.unshift(() => webhookWorker.stop());
    bulkRunner.start();
    closers.unshift(() => bulkRunner.stop());
    // our HTTP server: long URLs and bad request heads get JSON answers, not Node's bare ones
    const server = createServer(outer).listen(config.port);
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
    return { port: typeof address === 'object' && address ? address.port : config.port, install, sync, close: closeAll };
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
  Promise.resolve()
    .then(start)
    .catch((err: unknown) => {
      process.stderr.write(`Tiller could not start: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    });
}
