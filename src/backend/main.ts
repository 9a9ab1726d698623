// The production server: Tiller against HubSpot (`npm run build` bundles this file; `npm run
// serve` runs it). It contains no sandbox code: `npm start` runs dev.ts, which adds the sandbox.
import { pino } from 'pino';
import { loadConfig } from './config';
import { runEntry, startServer, stopOnSignals } from './server';

runEntry(async () => {
  const config = loadConfig();
  if (config.mode !== 'hubspot') {
    throw new Error(
      'the production entry talks to HubSpot: set HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET (or HUBSPOT_MODE=hubspot). ' +
        'To run Tiller against the local HubSpot sandbox, use `npm start`.',
    );
  }
  const logger = pino({ level: config.logLevel });
  // One portal on a fixed token (no OAuth), besides or instead of the OAuth installs.
  const staticTokens = new Map<number, string>();
  if (config.staticToken && config.staticPortalId) staticTokens.set(config.staticPortalId, config.staticToken);
  const server = await startServer(config, { basePath: config.hubspotApiBase, authorizeUrl: config.authorizeUrl, staticTokens }, logger);
  logger.info(
    {
      port: server.port,
      publicBaseUrl: config.publicBaseUrl,
      staticPortals: staticTokens.size,
      installUrl: config.oauth ? `${config.publicBaseUrl}/oauth/install` : undefined,
    },
    'Tiller is ready (hubspot mode)',
  );
  stopOnSignals(logger, server.close);
});
