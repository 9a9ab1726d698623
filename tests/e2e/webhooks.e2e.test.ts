// End to end, the push path: a change in the sandbox → HubSpot-style signed webhook over real HTTP
// (the app's own webhooks component as the subscriptions) → POST /webhooks/hubspot → the durable
// queue → the worker → `apply` (here a recording fake for sync/changes.ts applyChanges). With
// 5 % of deliveries dropped, 5 % duplicated and 5 % reordered: every notification not dropped is
// applied exactly once (the drops are what polling repairs, issue #11 item 3).
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '@tiller/hubspot-sandbox';
import { testFixture } from '@tiller/hubspot-sandbox/test-fixture';
import type { CrmGateway } from '../../src/backend/crm/gateway';
import { createWebhookWorker, type WebhookWorker } from '../../src/backend/jobs/webhook-worker';
import { createDatabase, type Database } from '../../src/backend/storage';
import type { CopyChange } from '../../src/backend/sync/webhook-events';
import { TEST_SECRET as SECRET, testApp } from '../helpers/test-app';

const PORTAL = 123456; // testFixture's portal
const COMPONENT = path.resolve(import.meta.dirname, '../../src/app/webhooks/webhooks-hsmeta.json');
const unusedCrm: CrmGateway = {
  portal: () => {
    throw new Error('the webhook path reads nothing from HubSpot');
  },
  invalidate: () => {},
  cacheStats: () => ({ entries: 0, bytes: 0 }),
  close: async () => {},
};

function seeded(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

let db: Database;
let server: Server;
let worker: WebhookWorker;
let sb: Sandbox;
const applied: { portalId: number; changes: CopyChange[]; at: number }[] = [];

async function call(method: string, p: string, body?: unknown) {
  const res = await fetch(sb.url + p, {
    method,
    headers: { 'content-type': 'application/json', authorization: 'Bearer test-token' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}
async function until(ok: () => boolean, ms = 5000) {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

beforeAll(async () => {
  db = await createDatabase();
  worker = createWebhookWorker({
    db,
    logger: pino({ level: 'silent' }),
    pollMs: 50,
    isInstalled: async (p) => p === PORTAL,
    onUninstalled: async () => {},
    apply: async (portalId, changes) => {
      applied.push({ portalId, changes, at: Date.now() });
    },
  });
  server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  // HubSpot signs the target URL it calls: the app's public base URL must be that origin
  const app = testApp({
    publicBaseUrl: `http://127.0.0.1:${port}`,
    clientSecret: SECRET,
    crm: unusedCrm,
    db,
    installed: [PORTAL],
    webhooks: worker,
  });
  server.on('request', app);
  worker.start();
  sb = await startSandbox({
    fixtures: [testFixture()],
    rateLimit: { tenSecondly: 1_000_000, searchPerSecond: 1_000_000 },
    webhooks: {
      targetUrl: `http://127.0.0.1:${port}/webhooks/hubspot`,
      clientSecret: SECRET,
      componentPath: COMPONENT,
      batchWindowMs: 20,
      timeScale: 0.0001,
    },
  });
});
afterAll(async () => {
  await sb?.close();
  await worker?.stop();
  server?.closeAllConnections();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await db?.close();
});

describe('webhooks end to end', () => {
  it('a change made in the sandbox reaches apply through real HTTP and the queue, well within a second', async () => {
    const t0 = Date.now();
    await call('PATCH', '/crm/v3/objects/deals/7', { properties: { dealstage: 'appointmentscheduled' } });
    await until(() => applied.some((a) => a.changes.some((c) => c.objectType === 'deals' && c.objectId === '7')));
    const hit = applied.find((a) => a.changes.some((c) => c.objectId === '7'))!;
    expect(hit.portalId).toBe(PORTAL);
    expect(hit.changes).toContainEqual({ objectType: 'deals', objectId: '7', kind: 'upsert', occurredAt: expect.any(Number) });
    expect(hit.at - t0).toBeLessThan(1000);
  });

  it('a change by another user (merge, restore, association) arrives as the matching CopyChanges', async () => {
    applied.length = 0;
    const r = await fetch(`${sb.url}/__sandbox/changes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        userId: '9002',
        changes: [
          { op: 'associate', fromType: 'notes', fromId: '97', toType: 'deals', toId: '7' },
          { op: 'archive', objectType: 'tasks', id: '73' },
          { op: 'restore', objectType: 'tasks', id: '73' },
          { op: 'merge', objectType: 'contacts', primaryId: '1', mergedId: '2' },
        ],
      }),
    });
    expect(r.status).toBe(200);
    await sb.control.webhooks.idle();
    await worker.drain();
    const changes = applied.flatMap((a) => a.changes);
    expect(changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          objectType: 'notes',
          objectId: '97',
          kind: 'association',
          toObjectType: 'deals',
          toObjectId: '7',
          removed: false,
        }),
        expect.objectContaining({ objectType: 'deals', objectId: '7', kind: 'association', toObjectType: 'notes', toObjectId: '97' }),
        expect.objectContaining({ objectType: 'tasks', objectId: '73', kind: 'delete' }),
        expect.objectContaining({ objectType: 'tasks', objectId: '73', kind: 'restore' }),
        expect.objectContaining({ objectType: 'contacts', objectId: '2', kind: 'merge', mergedInto: '1' }),
      ]),
    );
  });

  it('with 5 % drops, duplicates and reorders, every notification not dropped is applied exactly once', async () => {
    applied.length = 0;
    sb.control.webhooks.configure({ dropRate: 0.05, duplicateRate: 0.05, reorderRate: 0.05, reorderWindowMs: 200, random: seeded(11) });
    sb.control.webhooks.resetStats();
    const before = worker.counters();
    const tag = Date.now().toString(36);
    const created = await call('POST', '/crm/v3/objects/companies/batch/create', {
      inputs: Array.from({ length: 40 }, (_, i) => ({ properties: { name: `Churn ${i} ${tag}` } })),
    });
    const ids: string[] = created.body.results.map((x: { id: string }) => x.id);
    for (let round = 0; round < 3; round++) {
      await call('POST', '/crm/v3/objects/companies/batch/update', {
        inputs: ids.map((id, i) => ({ id, properties: { domain: `c${i}-${round}-${tag}.example` } })),
      });
      await call('POST', '/crm/v3/objects/contacts/batch/update', {
        inputs: [{ id: '1', properties: { lifecyclestage: round % 2 ? 'lead' : 'customer' } }],
      });
    }
    for (const id of ids.slice(0, 10)) await call('PUT', `/crm/v4/objects/companies/${id}/associations/default/deals/7`);
    await call('POST', '/crm/v3/objects/companies/batch/archive', { inputs: ids.slice(30).map((id) => ({ id })) });
    await sb.control.webhooks.idle();
    await worker.drain();
    const s = sb.control.webhooks.stats();
    const w = worker.counters();
    const appliedNow = applied.flatMap((a) => a.changes).length;
    // what the sandbox produced: 40 creations + 40 names + 120 domains + 3 lifecycle + 20 association sides + 10 deletions
    expect(s.events).toBe(40 + 40 + 120 + 3 + 20 + 10);
    expect(s.dropped).toBeGreaterThan(0);
    expect(s.duplicated).toBeGreaterThan(0);
    expect(s.reordered).toBeGreaterThan(0);
    expect(s.lost).toBe(0);
    expect(appliedNow).toBe(s.events - s.dropped); // nothing received was lost, nothing applied twice
    expect(w.duplicates - before.duplicates).toBe(s.duplicated);
    expect(w.malformed - before.malformed).toBe(0);
    expect(await db.one<{ n: number }>('select count(*)::int as n from webhook_queue')).toEqual({ n: 0 });
  });
});
