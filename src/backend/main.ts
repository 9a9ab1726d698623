import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import { loadConfig, type Config } from './config';
import { createCrmGateway } from './crm/gateway';
import { createApp } from './http/app';
import { createHealthScheduler } from './jobs/health-scheduler';
import { createDatabase, DEFAULT_PGLITE_DATA_DIR } from './storage';

type DemoUser = { id: string; name: string; timeZone: string | null; superAdmin: boolean };
type DevPortal = { id: number; timeZone: string; users: DemoUser[] };

/** Starts the backend, and in sandbox mode the sandbox beside it, then prints how to use them. */
async function main(config: Config): Promise<void> {
  const logger = pino({ level: config.logLevel });
  const closers: (() => Promise<void>)[] = [];
  let basePath = config.hubspotApiBase;
  const tokens = new Map<number, string>();
  const superAdmins = new Set<string>();
  const portals: DevPortal[] = [];

  if (config.mode === 'sandbox') {
    const started = Date.now();
    const { startSandbox } = await import('./sandbox/server'); // not loaded in production (hubspot mode)
    const sandbox = await startSandbox({
      port: config.sandbox.port,
      fixturePath: config.sandbox.fixturePath,
      seed: config.sandbox.seed,
      size: config.sandbox.size,
      latencyMs: config.sandbox.latencyMs,
      latencyJitterMs: config.sandbox.latencyJitterMs,
      faultRate: config.sandbox.faultRate,
      searchDelayMs: config.sandbox.searchDelayMs,
    });
    closers.push(() => sandbox.close());
    basePath = sandbox.url;
    for (const p of sandbox.portals) {
      tokens.set(p.id, p.accessToken);
      for (const u of p.users) if (u.superAdmin) superAdmins.add(`${p.id}:${u.id}`);
      portals.push({
        id: p.id,
        timeZone: p.timeZone,
        users: p.users.map((u) => ({ id: u.id, name: `${u.firstName} ${u.lastName}`.trim(), timeZone: u.timeZone, superAdmin: u.superAdmin })),
      });
    }
    logger.info({ ms: Date.now() - started, url: sandbox.url }, 'sandbox ready');
  } else if (config.staticToken && config.staticPortalId) {
    tokens.set(config.staticPortalId, config.staticToken);
  }

  const db = await createDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.databaseUrl ? undefined : path.join(config.dataDir, path.basename(DEFAULT_PGLITE_DATA_DIR)),
    logger,
  });
  closers.push(() => db.close());
  logger.info({ kind: db.kind }, 'database ready');

  const crm = createCrmGateway({ basePath, tokens: { accessToken: async (portalId) => tokens.get(portalId) ?? null } });
  closers.push(() => crm.close());
  // Health scores: every portal every HEALTH_RUN_INTERVAL_MINUTES (default 6 h), one run per portal across instances.
  const healthScheduler = createHealthScheduler({
    db, crm, logger, now: Date.now, portals: async () => [...tokens.keys()],
    intervalMinutes: config.healthRunIntervalMinutes,
    backfillDays: config.mode === 'sandbox' ? 30 : 0,
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
  const server = app.listen(config.port);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  closers.unshift(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;

  const session = { backendUrl: `http://127.0.0.1:${port}`, publicBaseUrl: config.publicBaseUrl, mode: config.mode, sandboxUrl: basePath, portals };
  if (config.mode === 'sandbox') {
    await mkdir(config.dataDir, { recursive: true });
    await writeFile(path.join(config.dataDir, 'dev-session.json'), JSON.stringify({ ...session, clientSecret: config.clientSecret }, null, 2));
  }
  printReady(config, session);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    for (const close of closers) await close().catch((err) => logger.error({ err }, 'close failed'));
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

function printReady(config: Config, s: { backendUrl: string; sandboxUrl: string; portals: DevPortal[] }): void {
  const lines = [
    '',
    `Tiller is ready (${config.mode} mode)`,
    `  backend   ${s.backendUrl}   (signed as ${config.publicBaseUrl})`,
    ...(config.mode === 'sandbox' ? [`  sandbox   ${s.sandboxUrl}   (HubSpot stand-in; stats at ${s.sandboxUrl}/__sandbox/stats)`] : []),
    ...(config.clientSecretIsDefault && config.mode === 'sandbox' ? [`  secret    ${config.clientSecret}   (development default; set HUBSPOT_CLIENT_SECRET to change)`] : []),
  ];
  for (const p of s.portals) {
    lines.push(`  portal ${p.id} (${p.timeZone}) users:`);
    for (const u of p.users) lines.push(`    ${u.id.padEnd(8)} ${u.name.padEnd(22)} ${(u.timeZone ?? '(portal time zone)').padEnd(22)}${u.superAdmin ? ' super admin' : ''}`);
  }
  const firstUser = s.portals[0]?.users[0];
  if (firstUser) {
    lines.push('', 'Try it:', `  npm run call -- GET /api/v1/tasks/buckets --user ${firstUser.id}`);
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

// loadConfig inside the chain: a bad environment is reported in plain words, not as a stack trace
Promise.resolve().then(() => main(loadConfig())).catch((err: unknown) => {
  process.stderr.write(`Tiller could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
