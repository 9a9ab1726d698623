// POST /webhooks/hubspot and its durable queue, on PGlite and PostgreSQL. HubSpot's rules
// (reference hubspot-sync.md §2; D-WH https://developers.hubspot.com/docs/api-reference/legacy/webhooks/guide):
// deliveries are JSON arrays of up to 100 notifications, retried for 24 h on any 4xx/5xx or a reply
// slower than 5 s, out of order and sometimes twice; v3 signature per hubspot-platform.md §2.3.
import { createHmac } from 'node:crypto';
import { pino } from 'pino';
import request from 'supertest';
import { beforeEach, expect, it } from 'vitest';
import type { CrmGateway } from '../crm/gateway';
import { createWebhookWorker, type WebhookWorker } from '../jobs/webhook-worker';
import { describeEachDatabase, truncateAll } from '../storage/testing';
import type { CopyChange } from '../sync/webhook-events';
import { TEST_PUBLIC_BASE_URL as PUBLIC, TEST_SECRET as SECRET, testApp } from '../../../tests/helpers/test-app';

const PORTAL = 62515;
const OTHER = 777;
const unusedCrm: CrmGateway = {
  portal: () => {
    throw new Error('the webhook route reads nothing from HubSpot');
  },
  invalidate: () => {},
  cacheStats: () => ({ entries: 0, bytes: 0 }),
  close: async () => {},
};

/** Signs like HubSpot, computed here (not with the product's signV3). */
function signed(body: string, opts: { secret?: string; timestamp?: number; path?: string } = {}) {
  const ts = String(opts.timestamp ?? Date.now());
  const path = opts.path ?? '/webhooks/hubspot';
  const sig = createHmac('sha256', opts.secret ?? SECRET)
    .update(`POST${PUBLIC}${path}${body}${ts}`)
    .digest('base64');
  return { 'X-HubSpot-Signature-v3': sig, 'X-HubSpot-Request-Timestamp': ts, 'Content-Type': 'application/json' };
}

const ev = (extra: Record<string, unknown>) => ({
  eventId: 100,
  subscriptionId: 1,
  portalId: PORTAL,
  appId: 3,
  occurredAt: 1_700_000_000_000,
  attemptNumber: 0,
  subscriptionType: 'object.propertyChange',
  objectTypeId: '0-1',
  objectId: 1,
  propertyName: 'email',
  propertyValue: 'a@x',
  changeSource: 'CRM_UI',
  ...extra,
});

describeEachDatabase('POST /webhooks/hubspot', (getDb) => {
  let applied: { portalId: number; changes: CopyChange[] }[];
  let uninstalled: number[];
  let failApply: number;
  let worker: WebhookWorker;
  let app: ReturnType<typeof testApp>;

  beforeEach(async () => {
    await truncateAll(getDb());
    applied = [];
    uninstalled = [];
    failApply = 0;
    worker = createWebhookWorker({
      db: getDb(),
      logger: pino({ level: 'silent' }),
      isInstalled: async (p) => p === PORTAL,
      onUninstalled: async (p) => {
        uninstalled.push(p);
      },
      apply: async (portalId, changes) => {
        if (failApply > 0) {
          failApply--;
          throw new Error('copy unavailable');
        }
        applied.push({ portalId, changes });
      },
    });
    app = testApp({ crm: unusedCrm, db: getDb(), installed: [PORTAL], webhooks: worker });
  });

  const post = (events: unknown, headers?: Record<string, string>) => {
    const body = typeof events === 'string' ? events : JSON.stringify(events);
    return request(app)
      .post('/webhooks/hubspot')
      .set(headers ?? signed(body))
      .send(body);
  };
  const queued = async () => (await getDb().one<{ n: number }>('select count(*)::int as n from webhook_queue')).n;

  it('answers 401 to a bad, missing, stale or foreign-secret signature and stores nothing; it does not parse the body first', async () => {
    const body = JSON.stringify([ev({})]);
    const tampered = signed(body);
    expect((await request(app).post('/webhooks/hubspot').set(tampered).send(body.replace('a@x', 'b@x'))).status).toBe(401);
    expect((await request(app).post('/webhooks/hubspot').set({ 'Content-Type': 'application/json' }).send(body)).status).toBe(401);
    expect((await post(body, signed(body, { timestamp: Date.now() - 6 * 60_000 }))).status).toBe(401);
    expect((await post(body, signed(body, { secret: 'someone-else' }))).status).toBe(401);
    // invalid JSON with a bad signature is a 401, not a 400: nothing parses before the check
    const r = await post('{not json', { ...signed('other'), 'Content-Type': 'application/json' });
    expect(r.status).toBe(401);
    expect(r.body).toEqual({ error: { code: 'UNAUTHENTICATED', message: expect.any(String) } });
    expect(await queued()).toBe(0);
    expect(await worker.drain()).toBe(0);
    expect(applied).toEqual([]);
  });

  it('acknowledges a signed delivery with 2xx well under a second, stores it, and the worker applies it', async () => {
    const events = Array.from({ length: 100 }, (_, i) => ev({ objectId: i + 1, eventId: 1000 + i }));
    const t0 = performance.now();
    const r = await post(events);
    const ms = performance.now() - t0;
    expect(r.status).toBe(204);
    expect(ms).toBeLessThan(500);
    expect(await queued()).toBe(1);
    await worker.drain();
    expect(await queued()).toBe(0);
    expect(applied).toHaveLength(1);
    expect(applied[0]!.changes).toHaveLength(100);
    expect(applied[0]!.changes[0]).toEqual({ objectType: 'contacts', objectId: '1', kind: 'upsert', occurredAt: 1_700_000_000_000 });
  });

  it('acknowledges malformed input (not an array, no portalId, unknown shapes), logs and counts it, and applies the good notifications', async () => {
    expect((await post('{"not":"an array"}')).status).toBe(204);
    expect((await post('not json at all')).status).toBe(204);
    expect(
      (await post([ev({ portalId: 'x' }), ev({ subscriptionType: 'object.teleport' }), ev({ objectId: 'abc' }), ev({ objectId: 5 })]))
        .status,
    ).toBe(204);
    await worker.drain();
    expect(worker.counters()).toMatchObject({ malformed: 5, applied: 1 });
    expect(applied.flatMap((a) => a.changes.map((c) => c.objectId))).toEqual(['5']);
  });

  it('drops and counts notifications for a portal that is not installed', async () => {
    expect((await post([ev({ portalId: OTHER }), ev({ portalId: OTHER, objectId: 2 }), ev({})])).status).toBe(204);
    await worker.drain();
    expect(worker.counters()).toMatchObject({ notInstalled: 2, applied: 1 });
    expect(applied.map((a) => a.portalId)).toEqual([PORTAL]);
  });

  it('applies duplicates and redeliveries once (same notification, higher attemptNumber), even across deliveries', async () => {
    const a = ev({ objectId: 1 });
    const b = ev({ objectId: 1, propertyName: 'firstname', propertyValue: 'Bo' }); // same eventId, another notification
    await post([a, a, b]);
    await post([
      { ...a, attemptNumber: 1 },
      { ...b, attemptNumber: 3 },
    ]);
    await worker.drain();
    expect(applied.flatMap((x) => x.changes)).toHaveLength(2);
    expect(worker.counters()).toMatchObject({ duplicates: 3, applied: 2 });
    // still remembered after the queue is empty
    await post([{ ...a, attemptNumber: 9 }]);
    await worker.drain();
    expect(applied.flatMap((x) => x.changes)).toHaveLength(2);
  });

  it('hands changes over in occurredAt order, grouped per portal delivery', async () => {
    await post([ev({ objectId: 3, occurredAt: 30 }), ev({ objectId: 1, occurredAt: 10 }), ev({ objectId: 2, occurredAt: 20 })]);
    await worker.drain();
    expect(applied[0]!.changes.map((c) => c.objectId)).toEqual(['1', '2', '3']);
  });

  it('keeps a delivery whose apply failed and applies it later (nothing lost, nothing twice)', async () => {
    failApply = 1;
    await post([ev({ objectId: 8 })]);
    await worker.drain();
    expect(applied).toEqual([]);
    expect(worker.counters().failures).toBe(1);
    const row = await getDb().one<{ attempts: number; last_error: string }>('select attempts, last_error from webhook_queue');
    expect(row).toEqual({ attempts: 1, last_error: 'copy unavailable' });
    await getDb().query("update webhook_queue set available_at = now() - interval '1 second'");
    await worker.drain();
    expect(applied.flatMap((x) => x.changes.map((c) => c.objectId))).toEqual(['8']);
    expect(await queued()).toBe(0);
  });

  it('passes an uninstall to the install handler', async () => {
    await post([ev({ subscriptionType: 'app.lifecycle', eventTypeId: '4-1916193', objectId: undefined })]);
    await worker.drain();
    expect(uninstalled).toEqual([PORTAL]);
    expect(applied).toEqual([]);
  });

  it('refuses a body over 1 MB (a HubSpot batch is tens of KB)', async () => {
    const big = JSON.stringify([ev({ propertyValue: 'x'.repeat(1_100_000) })]);
    expect((await post(big)).status).toBe(413);
    expect(await queued()).toBe(0);
  });

  it('forgets applied notifications after the retention window', async () => {
    let clock = Date.now();
    const w = createWebhookWorker({
      db: getDb(),
      logger: pino({ level: 'silent' }),
      isInstalled: async () => true,
      onUninstalled: async () => {},
      apply: async () => {},
      now: () => clock,
      retentionMs: 60_000,
    });
    await w.enqueue([{ portalId: PORTAL, events: [ev({})] }]);
    await w.drain();
    expect((await getDb().one<{ n: number }>('select count(*)::int as n from webhook_processed')).n).toBe(1);
    clock += 2 * 3_600_000;
    await w.drain();
    expect((await getDb().one<{ n: number }>('select count(*)::int as n from webhook_processed')).n).toBe(0);
  });
});
