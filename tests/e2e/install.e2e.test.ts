// The install scenario end to end, over real HTTP: the production server (startServer) on
// PostgreSQL against the sandbox as HubSpot. A fresh portal installs through /oauth/install as a
// browser would; its signed calls are 403 before and 200 after; its tokens expire (50 requests,
// one refresh) and are revoked (needs reconnect); it reconnects, is uninstalled (lifecycle event)
// and purged. No plaintext token is ever in the database.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '@tiller/hubspot-sandbox';
import type { Fixture } from '@tiller/hubspot-sandbox/fixture';
import { loadConfig } from '../../src/backend/config';
import { startServer, type RunningServer } from '../../src/backend/server';
import { installLikeABrowser } from '../../src/backend/services/install/browser-install';
import { createCopyRepo, type Database } from '../../src/backend/storage';
import { createPostgresTestDatabase, testDatabases, uniqueSchemaName } from '../../src/backend/storage/testing';
import { proxiedRequest } from '../helpers/hubspot-proxy';

const PUBLIC = 'https://tiller.test';
const SECRET = 'scenario-secret';
const PORTAL = 4242;
const ADMIN = 9001;
const REP = 9002;

const fixture = {
  portal: { id: PORTAL, timeZone: 'Europe/Paris', domain: 'fresh.example', accessToken: 'fixture-token-never-used' },
  users: [
    { id: String(ADMIN), email: 'ada@fresh.example', firstName: 'Ada', lastName: 'Admin', superAdmin: true, timeZone: null },
    { id: String(REP), email: 'rex@fresh.example', firstName: 'Rex', lastName: 'Rep', superAdmin: false, timeZone: null },
  ],
  owners: [{ id: '501', userId: REP, email: 'rex@fresh.example', firstName: 'Rex', lastName: 'Rep' }],
  // A renewal date: the default health profile reads it, so the copy of companies must hold it.
  // Another date, named later in the Customer Success settings.
  properties: {
    companies: [
      { name: 'renewal_date', type: 'date', fieldType: 'date' },
      { name: 'contract_end', type: 'date', fieldType: 'date' },
    ],
  },
  objects: {
    tasks: [
      {
        id: '101',
        properties: {
          hs_task_subject: 'Call',
          hs_timestamp: new Date().toISOString(),
          hs_task_status: 'NOT_STARTED',
          hubspot_owner_id: '501',
        },
      },
    ],
  },
} as Fixture;

const pgUnavailable = (await testDatabases()).find((f) => f.kind === 'postgres')!.unavailable;

describe.skipIf(pgUnavailable !== undefined && !process.env.CI)(
  `install scenario (production server, PostgreSQL)${pgUnavailable ? ` — skipped: ${pgUnavailable}` : ''}`,
  () => {
    let sandbox: Sandbox;
    let server: RunningServer;
    let db: Database;
    let dataDir: string;
    let backend: string;
    let skew = 0;
    const clock = () => Date.now() + skew;

    const api = async (p: string, userId = REP, init: { method?: string; body?: unknown } = {}) => {
      const call = proxiedRequest(PUBLIC, SECRET, { path: p, portalId: PORTAL, userId, method: init.method, body: init.body });
      const res = await fetch(`${backend}${call.pathAndQuery}`, {
        method: call.method,
        headers: call.headers,
        body: call.body || undefined,
      });
      return {
        status: res.status,
        body: (await res.json().catch(() => null)) as Record<string, unknown> & {
          error?: { code: string; details?: { reconnectUrl?: string } };
        },
      };
    };

    beforeAll(async () => {
      sandbox = await startSandbox({ fixtures: [fixture], oauth: { clientId: 'scenario-client', clientSecret: SECRET }, now: clock });
      dataDir = await mkdtemp(path.join(os.tmpdir(), 'tiller-install-'));
      const schema = uniqueSchemaName();
      const config = loadConfig({
        PORT: '0',
        PUBLIC_BASE_URL: PUBLIC,
        HUBSPOT_MODE: 'hubspot',
        HUBSPOT_CLIENT_ID: 'scenario-client',
        HUBSPOT_CLIENT_SECRET: SECRET,
        HUBSPOT_API_BASE: sandbox.url,
        HUBSPOT_AUTHORIZE_URL: `${sandbox.url}/oauth/authorize`,
        TOKEN_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
        DATABASE_URL: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
        DATABASE_SCHEMA: schema,
        DATA_DIR: dataDir,
        LOG_LEVEL: 'silent',
        HEALTH_RUN_INTERVAL_MINUTES: '100000',
        REQUEST_DEADLINE_MS: '30000', // 50 searches at HubSpot's 5 per second
      });
      server = await startServer(
        config,
        { basePath: config.hubspotApiBase, authorizeUrl: config.authorizeUrl, now: clock },
        pino({ level: 'silent' }),
      );
      backend = `http://127.0.0.1:${server.port}`;
      db = await createPostgresTestDatabase(schema); // a second handle on the server's schema; drops it on close
    }, 60_000);

    afterAll(async () => {
      await server?.close();
      await db?.close();
      await sandbox?.close();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    });

    /** Every row of every table, as text, must hold no token the sandbox issued (sbx-at-…, sbx-rt-…). */
    async function expectNoPlaintextToken() {
      const tables = await db.query<{ name: string }>(`select tablename as name from pg_tables where schemaname = current_schema()`);
      expect(tables.length).toBeGreaterThan(3);
      for (const { name } of tables) {
        const rows = await db.query<{ t: string }>(`select t::text as t from "${name}" t`);
        for (const r of rows) expect(r.t, `table ${name}`).not.toMatch(/sbx-(at|rt)-|fixture-token/);
      }
    }

    it('answers 403 NOT_INSTALLED before the install, 200 after it', async () => {
      expect((await api('/api/v1/tasks/buckets')).body.error?.code).toBe('NOT_INSTALLED');
      expect((await api('/api/v1/tasks/buckets')).status).toBe(403);

      const installed = await installLikeABrowser({ backendUrl: backend, authorizeParams: { portal_id: String(PORTAL) } });
      expect(installed).toMatchObject({ ok: true, portalId: PORTAL });
      const page = await fetch(installed.ok ? installed.installedUrl : '');
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/Tiller is now installed in HubSpot portal 4242/);

      expect((await api('/api/v1/tasks/buckets')).status).toBe(200);
      const me = await api('/api/v1/install', ADMIN);
      expect(me.body).toMatchObject({ status: 'active', role: 'manager', missingScopes: [] });
      expect((await api('/api/v1/install', REP)).body).toMatchObject({ role: 'member' });

      const [row] = await db.query<{ access_token: string; refresh_token: string; installed_by_user_id: number }>(
        'select * from installations',
      );
      expect(row!.access_token).toMatch(/^v1\.k1\./);
      expect(row!.refresh_token).toMatch(/^v1\.k1\./);
      expect(row!.installed_by_user_id).toBe(ADMIN);
      await expectNoPlaintextToken();
    }, 30_000);

    it("names the default health profile's properties before the first load, which reads them (no reload)", async () => {
      const copy = createCopyRepo(db);
      const end = Date.now() + 20_000;
      let companies = await copy.syncState(PORTAL, 'companies');
      while (companies?.state !== 'ready' && Date.now() < end) {
        await new Promise((r) => setTimeout(r, 100));
        companies = await copy.syncState(PORTAL, 'companies');
      }
      expect(companies?.state).toBe('ready');
      expect(companies?.loadedProperties).toContain('renewal_date');
      const [profile] = await db.query<{ profile: unknown }>('select profile from health_profiles where portal_id = $1 and is_default', [
        PORTAL,
      ]);
      expect(JSON.stringify(profile?.profile)).toContain('renewal_date');
    }, 30_000);

    it('loads the customers again at once when the settings name a property the copy does not hold', async () => {
      const copy = createCopyRepo(db);
      expect((await copy.syncState(PORTAL, 'companies'))?.loadedProperties).not.toContain('contract_end');
      const saved = await api('/api/v1/settings/customer-success', ADMIN, {
        method: 'PUT',
        body: { customers: { objectType: 'companies', csmProperty: 'hubspot_owner_id', renewalDateProperty: 'contract_end' } },
      });
      expect(saved.status, JSON.stringify(saved.body)).toBe(200);
      // The next poll tick is up to 30 s away: the save starts the reload (cache bus → the sync).
      const end = Date.now() + 10_000;
      let companies = await copy.syncState(PORTAL, 'companies');
      while (!(companies?.state === 'ready' && companies.loadedProperties?.includes('contract_end')) && Date.now() < end) {
        await new Promise((r) => setTimeout(r, 100));
        companies = await copy.syncState(PORTAL, 'companies');
      }
      expect(companies?.loadedProperties).toContain('contract_end');
      expect(companies?.state).toBe('ready');
    }, 30_000);

    // The ids do not exist: HubSpot's "not found" (404) shows the call went through with a valid token.
    let n = 0;
    // A call that must reach HubSpot every time (no cache, no copy): completing a task HubSpot
    // does not have (health records are read from the portal copy now).
    const reachHubSpot = () => api(`/api/v1/actions/tasks/${990_000 + ++n}/complete`, REP, { method: 'POST', body: {} });
    const REACHED_HUBSPOT = 404;

    it('refreshes an expired access token once for 50 concurrent requests', async () => {
      skew += 31 * 60_000; // both clocks: the 30-minute token has expired
      const before = sandbox.control.refreshCount(PORTAL);
      const answers = await Promise.all(Array.from({ length: 50 }, () => reachHubSpot()));
      expect(answers.map((a) => a.status)).toEqual(Array(50).fill(REACHED_HUBSPOT));
      expect(sandbox.control.refreshCount(PORTAL) - before).toBe(1);
      await expectNoPlaintextToken();
    }, 60_000);

    it('refreshes once and retries when HubSpot refuses an access token before its time (401)', async () => {
      sandbox.control.expireAccessTokens(PORTAL);
      const before = sandbox.control.refreshCount(PORTAL);
      expect((await reachHubSpot()).status).toBe(REACHED_HUBSPOT);
      expect(sandbox.control.refreshCount(PORTAL) - before).toBe(1);
    }, 30_000);

    it('stops calling HubSpot and says "needs reconnect" when the refresh is refused, until a reconnect', async () => {
      sandbox.control.revokeTokens(PORTAL);
      const refused = await reachHubSpot();
      expect(refused.status).toBe(409);
      expect(refused.body.error).toMatchObject({ code: 'NEEDS_RECONNECT', details: { reconnectUrl: `${PUBLIC}/oauth/install` } });
      sandbox.control.resetStats();
      expect((await reachHubSpot()).body.error?.code).toBe('NEEDS_RECONNECT');
      expect(sandbox.control.stats().totalCalls).toBe(0); // no more HubSpot calls for this portal
      expect((await api('/api/v1/install', ADMIN)).body).toMatchObject({
        status: 'needs-reconnect',
        reconnectUrl: `${PUBLIC}/oauth/install`,
      });

      expect(await installLikeABrowser({ backendUrl: backend, authorizeParams: { portal_id: String(PORTAL) } })).toMatchObject({
        ok: true,
      });
      expect((await reachHubSpot()).status).toBe(REACHED_HUBSPOT);
    }, 30_000);

    it('learns the uninstall from the lifecycle event, then purges the data after the grace period', async () => {
      const event = sandbox.control.uninstall(PORTAL);
      expect(event).toMatchObject({ subscriptionType: 'APP_LIFECYCLE_EVENT', eventType: 'APP_UNINSTALL', portalId: PORTAL });
      await server.install.handleAppUninstalled(event.portalId);
      expect((await api('/api/v1/tasks/buckets')).body.error?.code).toBe('NOT_INSTALLED');
      const [row] = await db.query<{ status: string; access_token: string | null; purge_after: Date }>('select * from installations');
      expect(row).toMatchObject({ status: 'uninstalled', access_token: null });
      expect(row!.purge_after.getTime() - Date.now()).toBeGreaterThan(29 * 86_400_000);
      await db.query(`update installations set purge_after = now() - interval '1 minute'`);
      expect(await server.install.purgeDue()).toEqual([PORTAL]);
      expect((await db.query('select purged_at from installations'))[0]).toMatchObject({ purged_at: expect.any(Date) });
      await expectNoPlaintextToken();
    }, 30_000);
  },
);
