// A Tiller process for crash.test.ts, killed with SIGKILL by the test: on PostgreSQL (a schema of
// its own), talking to the test's sandbox. CRASH_CHILD = { mode, sandboxUrl, portalId, token, schema }.
//   mode 'run':   runs the portal's due health run in batches of 20, printing "BATCH n" after each;
//                 prints "DONE" when the run is over.
//   mode 'serve': serves the app (test secret) and prints "READY <port>".
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { createCrmGateway } from '../../src/backend/crm/gateway';
import { createHealthScheduler } from '../../src/backend/jobs/health-scheduler';
import { createDatabase } from '../../src/backend/storage';
import { TEST_DATABASE_URL } from '../../src/backend/storage/testing';
import { testApp } from '../helpers/test-app';

type Config = { mode: 'run' | 'serve'; sandboxUrl: string; portalId: number; token: string; schema: string; manager: number };
const config = JSON.parse(process.env.CRASH_CHILD ?? '{}') as Config;

const db = await createDatabase({ databaseUrl: TEST_DATABASE_URL, schema: config.schema, maxConnections: 4 });
const crm = createCrmGateway({
  basePath: config.sandboxUrl,
  tokens: { accessToken: async (id) => (id === config.portalId ? config.token : null) },
});
const logger = pino({ level: 'silent' });
const scheduler = createHealthScheduler({
  db,
  crm,
  logger,
  now: Date.now,
  portals: async () => [config.portalId],
  intervalMinutes: 360,
  batchSize: 20,
  // A short pause after each batch keeps the run going long enough for the test to kill it
  // anywhere: between batches or inside the next one's transaction.
  afterBatch: async (written) => {
    process.stdout.write(`BATCH ${written}\n`);
    await new Promise((r) => setTimeout(r, 25));
  },
});

if (config.mode === 'run') {
  const outcome = await scheduler.runDue(config.portalId);
  process.stdout.write(`DONE ${outcome}\n`);
  await scheduler.stop();
  await crm.close();
  await db.close();
  process.exit(0);
} else {
  const app = testApp({ crm, db, logger, installed: [config.portalId], managers: [config.manager], healthScheduler: scheduler });
  const server = app.listen(0, '127.0.0.1');
  server.once('listening', () => process.stdout.write(`READY ${(server.address() as AddressInfo).port}\n`));
}
