// `npm start`: the HubSpot sandbox (@tiller/hubspot-sandbox) on SANDBOX_PORT, then the same server
// as production (server.ts) against it, a session file for `npm run call` and the ready line.
// The only product file that imports the sandbox; the production bundle (main.ts) never does.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import { startSandbox } from '@tiller/hubspot-sandbox';
import { loadConfig, type Config } from './config';
import { runEntry, startServer, stopOnSignals, type RunningServer } from './server';
import { installLikeABrowser } from './services/install/browser-install';

type DemoUser = { id: string; name: string; timeZone: string | null; superAdmin: boolean };
type DevPortal = { id: number; timeZone: string; users: DemoUser[] };

runEntry(async () => {
  const config = loadConfig();
  const logger = pino({ level: config.logLevel });
  if (config.mode !== 'sandbox') {
    await import('./main'); // HubSpot credentials set: the production server, through tsx
    return;
  }
  const started = Date.now();
  const running: { server?: RunningServer } = {}; // the sandbox starts first, the server hears its events
  const sandbox = await startSandbox({
    port: config.sandbox.port,
    fixturePath: config.sandbox.fixturePath,
    seed: config.sandbox.seed,
    size: config.sandbox.size,
    latencyMs: config.sandbox.latencyMs,
    latencyJitterMs: config.sandbox.latencyJitterMs,
    faultRate: config.sandbox.faultRate,
    searchDelayMs: config.sandbox.searchDelayMs,
    oauth: config.clientId ? { clientId: config.clientId, clientSecret: config.clientSecret } : undefined,
    // The sandbox's uninstall control emits HubSpot's app lifecycle event; the server learns it here
    // (until the webhooks receiver delivers it).
    onAppLifecycleEvent: (event) => {
      if (event.eventType === 'APP_UNINSTALL') void running.server?.install.handleAppUninstalled(event.portalId).catch((err: unknown) => logger.error({ err }, 'uninstall failed'));
    },
  });
  logger.info({ ms: Date.now() - started, url: sandbox.url }, 'sandbox ready');
  const portals: DevPortal[] = [];
  for (const p of sandbox.portals) {
    portals.push({
      id: p.id,
      timeZone: p.timeZone,
      users: p.users.map((u) => ({ id: u.id, name: `${u.firstName} ${u.lastName}`.trim(), timeZone: u.timeZone, superAdmin: u.superAdmin })),
    });
  }
  const server = await startServer(config, { basePath: sandbox.url, authorizeUrl: `${sandbox.url}/oauth/authorize`, backfillDays: 30 }, logger).catch(async (err: unknown) => {
    await sandbox.close();
    throw err;
  });
  running.server = server;
  const backendUrl = `http://127.0.0.1:${server.port}`;
  // The demo portals install through the production path: /oauth/install → the sandbox's consent → /oauth/callback.
  // Every start: the sandbox is new each time, so tokens kept in .data from the last run are dead.
  if (config.sandbox.autoInstall) {
    for (const p of sandbox.portals) {
      const result = await installLikeABrowser({ backendUrl, authorizeParams: { portal_id: String(p.id) } });
      if (!result.ok) {
        await server.close();
        await sandbox.close();
        throw new Error(`installing sandbox portal ${p.id} through /oauth/install failed (${result.status}); set SANDBOX_AUTO_INSTALL=0 to start without installs`);
      }
    }
    logger.info({ portals: sandbox.portals.length }, 'sandbox portals installed through OAuth');
  }
  const session = { backendUrl, publicBaseUrl: config.publicBaseUrl, mode: config.mode, sandboxUrl: sandbox.url, portals };
  await mkdir(config.dataDir, { recursive: true });
  await writeFile(path.join(config.dataDir, 'dev-session.json'), JSON.stringify({ ...session, clientSecret: config.clientSecret }, null, 2));
  printReady(config, session);
  stopOnSignals(logger, async () => {
    await server.close();
    await sandbox.close();
  });
});

function printReady(config: Config, s: { backendUrl: string; sandboxUrl: string; portals: DevPortal[] }): void {
  const lines = [
    '',
    `Tiller is ready (${config.mode} mode)`,
    `  backend   ${s.backendUrl}   (signed as ${config.publicBaseUrl})`,
    `  sandbox   ${s.sandboxUrl}   (HubSpot stand-in; stats at ${s.sandboxUrl}/__sandbox/stats)`,
    ...(config.clientSecretIsDefault ? [`  secret    ${config.clientSecret}   (development default; set HUBSPOT_CLIENT_SECRET to change)`] : []),
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
