// Freshness of guided actions end to end, the push path: a change made in the sandbox (by another
// user) → HubSpot-style signed webhook over real HTTP → POST /webhooks/hubspot → the durable queue
// → the worker → applyChanges (the re-read into the portal copy, the next-step history included)
// → the next GET /api/v1/guided-actions, which evaluates again because the copy version moved.
// Target (issue 11): the change shows within 5 s.
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import type { Express } from 'express';
import { pino } from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '@tiller/hubspot-sandbox';
import type { Fixture } from '@tiller/hubspot-sandbox/fixture';
import type { GuidedActionsResponse } from '../../src/backend/contract/api';
import { createCrmGateway, type CrmGateway } from '../../src/backend/crm/gateway';
import { createWebhookWorker, type WebhookWorker } from '../../src/backend/jobs/webhook-worker';
import { createDatabase, type Database } from '../../src/backend/storage';
import { createApplyChanges } from '../../src/backend/sync';
import { loadCopy } from '../helpers/copy';
import { proxiedRequest } from '../helpers/hubspot-proxy';
import { TEST_SECRET as SECRET, testApp } from '../helpers/test-app';

const PORTAL = 814;
const REP = 9001;
const TOKEN = 'fresh-token';
const COMPONENT = path.resolve(import.meta.dirname, '../../src/app/webhooks/webhooks-hsmeta.json');
const D = 86_400_000;
const NOW = Date.now();
const at = (ms: number) => new Date(ms).toISOString();

// Deal 9: a call 3 days ago, the next step last changed 10 days ago → "Update next steps".
const fixture = {
  portal: { id: PORTAL, timeZone: 'Europe/Paris', domain: 'acme.example', accessToken: TOKEN },
  users: [{ id: String(REP), email: 'ada@acme.example', firstName: 'Ada', lastName: 'Rep', superAdmin: false, timeZone: 'Europe/Paris' }],
  owners: [{ id: '501', userId: REP, email: 'ada@acme.example', firstName: 'Ada', lastName: 'Rep' }],
  objects: {
    deals: [
      {
        id: '9',
        properties: {
          dealname: 'Next step old',
          hubspot_owner_id: '501',
          dealstage: 'qualifiedtobuy',
          pipeline: 'default',
          createdate: at(NOW - 60 * D),
        },
        propertiesWithHistory: { hs_next_step: [{ value: 'Demo', timestamp: at(NOW - 10 * D), sourceType: 'CRM_UI' }] },
      },
    ],
    calls: [
      {
        id: '61',
        properties: {
          hs_call_title: 'Discovery',
          hubspot_owner_id: '501',
          hs_timestamp: at(NOW - 3 * D),
          hs_call_status: 'COMPLETED',
          hs_call_disposition: 'f240bbac-87c9-4f6e-bf70-924b57d47db7',
          hs_call_direction: 'OUTBOUND',
        },
      },
    ],
  },
  associations: [{ from: 'calls/61', to: 'deals/9' }],
} as Fixture;

let db: Database;
let crm: CrmGateway;
let server: Server;
let worker: WebhookWorker;
let sb: Sandbox;
let app: Express;

beforeAll(async () => {
  db = await createDatabase();
  server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  sb = await startSandbox({
    fixtures: [fixture],
    rateLimit: { tenSecondly: 1_000_000, searchPerSecond: 1_000_000 },
    webhooks: {
      targetUrl: `http://127.0.0.1:${port}/webhooks/hubspot`,
      clientSecret: SECRET,
      componentPath: COMPONENT,
      batchWindowMs: 20,
      timeScale: 0.0001,
    },
  });
  crm = createCrmGateway({ basePath: sb.url, tokens: { accessToken: async (id) => (id === PORTAL ? TOKEN : null) } });
  const logger = pino({ level: 'silent' });
  worker = createWebhookWorker({
    db,
    logger,
    pollMs: 50,
    isInstalled: async (p) => p === PORTAL,
    onUninstalled: async () => {},
    apply: createApplyChanges({ db, crm, logger, now: Date.now }),
  });
  // HubSpot signs the target URL it calls: the app's public base URL must be that origin.
  app = testApp({ publicBaseUrl: `http://127.0.0.1:${port}`, clientSecret: SECRET, crm, db, installed: [PORTAL], webhooks: worker });
  server.on('request', app);
  await loadCopy({ db, crm, portalId: PORTAL });
  worker.start();
}, 120_000);

afterAll(async () => {
  await sb?.close();
  await worker?.stop();
  server?.closeAllConnections();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await crm?.close();
  await db?.close();
});

async function list(): Promise<GuidedActionsResponse> {
  const r = proxiedRequest(`http://127.0.0.1:${(server.address() as { port: number }).port}`, SECRET, {
    portalId: PORTAL,
    userId: REP,
    path: '/api/v1/guided-actions',
  });
  const res = await request(app).get(r.pathAndQuery).set(r.headers);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as GuidedActionsResponse;
}

describe('guided actions follow the copy', () => {
  it("another user's change in HubSpot shows in the next answer within 5 s, through the webhook", async () => {
    const before = await list();
    expect(before.partial).toBeUndefined();
    expect(before.actions.filter((a) => a.rule === 'UPDATE_NEXT_STEPS').map((a) => a.record.objectId)).toEqual(['9']);
    // Served from the cache while nothing changes.
    expect((await list()).actions.map((a) => a.id)).toEqual(before.actions.map((a) => a.id));

    const t0 = Date.now();
    const patched = await fetch(`${sb.url}/crm/v3/objects/deals/9`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ properties: { hs_next_step: 'Send the contract' } }),
    });
    expect(patched.status).toBe(200);
    let after = await list();
    while (after.actions.some((a) => a.rule === 'UPDATE_NEXT_STEPS') && Date.now() - t0 < 10_000) {
      await new Promise((r) => setTimeout(r, 50));
      after = await list();
    }
    const ms = Date.now() - t0;
    expect(after.actions.filter((a) => a.rule === 'UPDATE_NEXT_STEPS')).toEqual([]);
    expect(ms).toBeLessThan(5_000);
    expect(Date.parse(after.dataAsOf!)).toBeGreaterThan(0);
  }, 30_000);
});
