// `npm start`: the HubSpot sandbox (@tiller/hubspot-sandbox) on SANDBOX_PORT, then the same server
// as production (server.ts) against it, the browser preview of the extensions (src/preview) on
// PREVIEW_PORT, a session file for `npm run call` and the ready line.
// The only product file that imports the sandbox or the preview; the production bundle (main.ts) never does.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import { startSandbox } from '@tiller/hubspot-sandbox';
import { startPreviewServer } from '../preview/server';
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
      if (event.eventType === 'APP_UNINSTALL')
        void running.server?.install
          .handleAppUninstalled(event.portalId)
          .catch((err: unknown) => logger.error({ err }, 'uninstall failed'));
    },
  });
  logger.info({ ms: Date.now() - started, url: sandbox.url }, 'sandbox ready');
  const portals: DevPortal[] = [];
  for (const p of sandbox.portals) {
    portals.push({
      id: p.id,
      timeZone: p.timeZone,
      users: p.users.map((u) => ({
        id: u.id,
        name: `${u.firstName} ${u.lastName}`.trim(),
        timeZone: u.timeZone,
        superAdmin: u.superAdmin,
      })),
    });
  }
  const server = await startServer(
    config,
    { basePath: sandbox.url, authorizeUrl: `${sandbox.url}/oauth/authorize`, backfillDays: 30 },
    logger,
  ).catch(async (err: unknown) => {
    await sandbox.close();
    throw err;
  });
  running.server = server;
  const backendUrl = `http://127.0.0.1:${server.port}`;
  // The sandbox sends webhooks like HubSpot: the app's own webhooks component, to the public URL
  // the receiver checks signatures against (PORT=0 leaves no such URL: webhooks then stay off and
  // polling keeps the copy fresh).
  if (config.port !== 0) {
    sandbox.control.webhooks.configure({
      targetUrl: `${config.publicBaseUrl}/webhooks/hubspot`,
      clientSecret: config.clientSecret,
      componentPath: path.resolve('src/app/webhooks/webhooks-hsmeta.json'),
    });
  }
  // The demo portals install through the production path: /oauth/install → the sandbox's consent → /oauth/callback.
  // Every start: the sandbox is new each time, so tokens kept in .data from the last run are dead.
  if (config.sandbox.autoInstall) {
    for (const p of sandbox.portals) {
      const result = await installLikeABrowser({ backendUrl, authorizeParams: { portal_id: String(p.id) } });
      if (!result.ok) {
        await server.close();
        await sandbox.close();
        throw new Error(
          `installing sandbox portal ${p.id} through /oauth/install failed (${result.status}); set SANDBOX_AUTO_INSTALL=0 to start without installs`,
        );
      }
    }
    logger.info({ portals: sandbox.portals.length }, 'sandbox portals installed through OAuth');
  }
  const preview = await startPreviewServer({
    projectDir: process.cwd(),
    backendUrl,
    publicBaseUrl: config.publicBaseUrl,
    clientSecret: config.clientSecret,
    sandbox: {
      url: sandbox.url,
      portals: sandbox.portals.map((p) => ({ id: p.id, timeZone: p.timeZone, accessToken: p.accessToken, users: p.users })),
    },
    port: previewPort(),
    anyPortIfBusy: process.env.PREVIEW_PORT === undefined,
    logger,
  }).catch(async (err: unknown) => {
    await server.close();
    await sandbox.close();
    throw err;
  });
  const session = {
    backendUrl,
    publicBaseUrl: config.publicBaseUrl,
    mode: config.mode,
    sandboxUrl: sandbox.url,
    previewUrl: preview.url,
    portals,
  };
  await mkdir(config.dataDir, { recursive: true });
  await writeFile(
    path.join(config.dataDir, 'dev-session.json'),
    JSON.stringify({ ...session, clientSecret: config.clientSecret }, null, 2),
  );
  printReady(config, session);
  stopOnSignals(logger, async () => {
    await preview.close();
    await server.close();
    await sandbox.close();
  });
});

// The preview's port: PREVIEW_PORT, else 4020 (or any free port when 4020 is taken; 0: any free port).
function previewPort(): number {
  const raw = process.env.PREVIEW_PORT ?? '4020';
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PREVIEW_PORT must be a port number; got ${JSON.stringify(raw)}.`);
  return port;
}

function printReady(config: Config, s: { backendUrl: string; sandboxUrl: string; previewUrl: string; portals: DevPortal[] }): void {
  const lines = [
    '',
    `Tiller is ready (${config.mode} mode)`,
    `  backend   ${s.backendUrl}   (signed as ${config.publicBaseUrl})`,
    `  sandbox   ${s.sandboxUrl}   (HubSpot stand-in; stats at ${s.sandboxUrl}/__sandbox/stats)`,
    `  preview   ${s.previewUrl}   (every page and card in your browser, signed like HubSpot's proxy)`,
    ...(config.clientSecretIsDefault
      ? [`  secret    ${config.clientSecret}   (development default; set HUBSPOT_CLIENT_SECRET to change)`]
      : []),
  ];
  for (const p of s.portals) {
    lines.push(`  portal ${p.id} (${p.timeZone}) users:`);
    for (const u of p.users)
      lines.push(
        `    ${u.id.padEnd(8)} ${u.name.padEnd(22)} ${(u.timeZone ?? '(portal time zone)').padEnd(22)}${u.superAdmin ? ' super admin' : ''}`,
      );
  }
  const firstUser = s.portals[0]?.users[0];
  if (firstUser) {
    lines.push('', 'Try it:', `  npm run call -- GET /api/v1/tasks/buckets --user ${firstUser.id}`);
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);
}
