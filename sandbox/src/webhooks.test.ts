// The sandbox sends webhooks like HubSpot. Sources (reference hubspot-sync.md):
//  §2, D-WH https://developers.hubspot.com/docs/api-reference/legacy/webhooks/guide — a POST of a
//   JSON array, "up to 100 events" per request; fields eventId, subscriptionId, portalId, appId,
//   occurredAt, subscriptionType, attemptNumber (from 0), objectId, propertyName, propertyValue,
//   changeSource; merge: primaryObjectId, mergedObjectIds; no ordering, possible duplicates.
//  §1.3, D-CHG-GEN https://developers.hubspot.com/changelog/public-beta-generic-webhook-subscriptions —
//   generic object.* types carry objectTypeId; associationChange carries fromObjectTypeId,
//   toObjectTypeId, associationTypeId, associationCategory and fires for both sides.
//  §2, D-ERR https://developers.hubspot.com/docs/api-reference/latest/error-handling — up to 10
//   retries over 24 h on connection failure, timeout (5 s) or any 4xx/5xx.
//  hubspot-platform.md §2.3, https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/request-validation —
//   v3 = Base64 HMAC-SHA256(secret, method + uri + body + timestamp).
import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from './server';
import { testFixture } from './test-fixture';
import { MAX_RETRIES, retryDelayMs, type WebhooksOptions } from './webhooks';
import type { WebhookSubscriptions } from './webhooks-events';

const SECRET = 'wh-secret';
type Got = { at: number; headers: IncomingMessage['headers']; raw: string; events: Record<string, unknown>[] };

/** A receiver that records every request and answers with `respond(n)` (n = request index). */
class Receiver {
  got: Got[] = [];
  respond: (n: number) => number | 'hang' = () => 204;
  server!: Server;
  url = '';
  async start() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const n = this.got.length;
        this.got.push({ at: Date.now(), headers: req.headers, raw, events: JSON.parse(raw) as Record<string, unknown>[] });
        const r = this.respond(n);
        if (r === 'hang') return; // never answers: the sender times out
        res.writeHead(r).end();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const a = this.server.address();
    this.url = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}/webhooks/hubspot?app=tiller`;
  }
  events() {
    return this.got.flatMap((g) => g.events);
  }
  reset() {
    this.got = [];
    this.respond = () => 204;
  }
  close() {
    this.server.closeAllConnections();
    return new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const SUBS: WebhookSubscriptions = {
  crmObjects: [
    ...['contact', 'company', 'deal', 'task', 'meeting_event'].flatMap((objectType) =>
      ['object.creation', 'object.deletion', 'object.merge', 'object.restore', 'object.associationChange'].map((subscriptionType) => ({
        subscriptionType,
        objectType,
        active: true,
      })),
    ),
    { subscriptionType: 'object.propertyChange', objectType: 'contact', propertyName: 'lifecyclestage', active: true },
    { subscriptionType: 'object.propertyChange', objectType: 'contact', propertyName: 'email', active: true },
    { subscriptionType: 'object.propertyChange', objectType: 'contact', propertyName: 'firstname', active: false },
  ],
  legacyCrmObjects: [{ subscriptionType: 'deal.propertyChange', propertyName: 'dealstage', active: true }],
};

let sb: Sandbox;
const rx = new Receiver();

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(sb.url + path, {
    method,
    headers: { 'content-type': 'application/json', authorization: 'Bearer test-token' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}
async function control(path: string, body: unknown) {
  const res = await fetch(sb.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}
/** A seeded random source, so knob tests are repeatable. */
function seeded(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}
const base = (): WebhooksOptions => ({
  targetUrl: rx.url,
  clientSecret: SECRET,
  appId: 77,
  subscriptions: SUBS,
  batchWindowMs: 20,
  timeScale: 0.001,
  timeoutMs: 2000,
  dropRate: 0,
  duplicateRate: 0,
  reorderRate: 0,
  delayMs: 0,
  delayJitterMs: 0,
  random: Math.random,
  maxConcurrentRequests: 10,
});

beforeAll(async () => {
  await rx.start();
  sb = await startSandbox({
    fixtures: [testFixture()],
    rateLimit: { tenSecondly: 1_000_000, searchPerSecond: 1_000_000 },
    webhooks: base(),
  });
});
afterAll(async () => {
  await sb.close();
  await rx.close();
});
afterEach(async () => {
  await sb.control.webhooks.idle();
  sb.control.webhooks.configure(base());
  sb.control.webhooks.resetStats();
  sb.control.setSearchDelay(0);
  rx.reset();
});

describe('what a change sends (reference §2, §1.3)', () => {
  it('a contact created through the API sends object.creation and a propertyChange per subscribed property set, sharing one eventId', async () => {
    const t0 = Date.now();
    const r = await call('POST', '/crm/v3/objects/contacts', {
      properties: { email: 'new@x.example', firstname: 'New', lifecyclestage: 'lead' },
    });
    await sb.control.webhooks.idle();
    const evs = rx.events();
    expect(evs.map((e) => [e.subscriptionType, e.propertyName]).sort()).toEqual([
      ['object.creation', undefined],
      ['object.propertyChange', 'email'],
      ['object.propertyChange', 'lifecyclestage'],
    ]);
    for (const e of evs) {
      expect(e).toMatchObject({
        portalId: 123456,
        appId: 77,
        objectId: Number(r.body.id),
        objectTypeId: '0-1',
        attemptNumber: 0,
        changeSource: 'INTEGRATION',
        eventId: evs[0]!.eventId,
      });
      expect(e.occurredAt).toBeGreaterThanOrEqual(t0 - 1);
      expect(typeof e.subscriptionId).toBe('number');
    }
    expect(evs.find((e) => e.propertyName === 'email')!.propertyValue).toBe('new@x.example');
  });

  it('an update sends only the subscribed, active properties that changed; a legacy subscription has the legacy shape', async () => {
    await call('PATCH', '/crm/v3/objects/contacts/2', {
      properties: { lifecyclestage: 'evangelist', firstname: 'Cleopatra', lastname: 'X' },
    });
    await call('PATCH', '/crm/v3/objects/deals/7', { properties: { dealstage: 'appointmentscheduled' } });
    await sb.control.webhooks.idle();
    const evs = rx.events();
    expect(evs).toHaveLength(2);
    expect(evs[0]).toMatchObject({
      subscriptionType: 'object.propertyChange',
      objectId: 2,
      propertyName: 'lifecyclestage',
      propertyValue: 'evangelist',
    });
    expect(evs.find((e) => e.subscriptionType === 'deal.propertyChange')).toMatchObject({
      objectId: 7,
      propertyName: 'dealstage',
      propertyValue: 'appointmentscheduled',
    });
    expect(evs.find((e) => e.subscriptionType === 'deal.propertyChange')).not.toHaveProperty('objectTypeId');
  });

  it('archive sends object.deletion; a restore "by another user" sends object.restore with CRM_UI and the user', async () => {
    const c = await call('POST', '/crm/v3/objects/companies', { properties: { name: 'Gone soon' } });
    await sb.control.webhooks.idle();
    rx.reset();
    expect((await call('DELETE', `/crm/v3/objects/companies/${c.body.id}`)).status).toBe(204);
    const restored = await control('/__sandbox/changes', {
      userId: '9002',
      changes: [{ op: 'restore', objectType: 'companies', id: c.body.id }],
    });
    expect(restored.status).toBe(200);
    await sb.control.webhooks.idle();
    const evs = rx.events();
    expect(evs.map((e) => e.subscriptionType)).toEqual(expect.arrayContaining(['object.deletion', 'object.restore']));
    expect(evs.find((e) => e.subscriptionType === 'object.deletion')).toMatchObject({
      objectId: Number(c.body.id),
      objectTypeId: '0-2',
      changeSource: 'INTEGRATION',
    });
    expect(evs.find((e) => e.subscriptionType === 'object.restore')).toMatchObject({
      objectId: Number(c.body.id),
      changeSource: 'CRM_UI',
      sourceId: 'userId:9002',
    });
    expect((await call('GET', `/crm/v3/objects/companies/${c.body.id}`)).status).toBe(200);
  });

  it('a merge through the API sends one object.merge with the winner and the merged ids; the merged record is gone and its associations moved', async () => {
    const a = await call('POST', '/crm/v3/objects/contacts', { properties: { email: 'a@m.example' } });
    const b = await call('POST', '/crm/v3/objects/contacts', {
      properties: { email: 'b@m.example', firstname: 'Bee' },
      associations: [{ to: { id: '11' }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 279 }] }],
    });
    await sb.control.webhooks.idle();
    rx.reset();
    const m = await call('POST', '/crm/v3/objects/contacts/merge', { primaryObjectId: a.body.id, objectIdToMerge: b.body.id });
    expect(m.status).toBe(200);
    await sb.control.webhooks.idle();
    const evs = rx.events();
    expect(evs).toHaveLength(1);
    expect(evs[0]).toMatchObject({
      subscriptionType: 'object.merge',
      objectId: Number(a.body.id),
      primaryObjectId: Number(a.body.id),
      mergedObjectIds: [Number(b.body.id)],
      numberOfPropertiesMoved: 1,
    });
    expect((await call('GET', `/crm/v3/objects/contacts/${b.body.id}`)).status).toBe(404);
    const assoc = await call('GET', `/crm/v4/objects/contacts/${a.body.id}/associations/companies`);
    expect(assoc.body.results.map((x: { toObjectId: number }) => x.toObjectId)).toEqual([11]);
    expect((await call('GET', `/crm/v3/objects/contacts/${a.body.id}?properties=firstname`)).body.properties.firstname).toBe('Bee');
  });

  it('an association added and removed fires object.associationChange for both sides, with the generic fields', async () => {
    await call('PUT', '/crm/v4/objects/deals/7/associations/default/companies/11');
    await sb.control.webhooks.idle();
    const added = rx.events();
    expect(added).toHaveLength(2);
    expect(added).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          subscriptionType: 'object.associationChange',
          fromObjectTypeId: '0-3',
          fromObjectId: 7,
          toObjectTypeId: '0-2',
          toObjectId: 11,
          associationTypeId: 341,
          associationCategory: 'HUBSPOT_DEFINED',
          associationRemoved: false,
        }),
        expect.objectContaining({
          fromObjectTypeId: '0-2',
          fromObjectId: 11,
          toObjectTypeId: '0-3',
          toObjectId: 7,
          associationTypeId: 342,
          associationRemoved: false,
        }),
      ]),
    );
    rx.reset();
    await call('DELETE', '/crm/v4/objects/deals/7/associations/companies/11');
    await sb.control.webhooks.idle();
    expect(rx.events().map((e) => [e.fromObjectId, e.associationRemoved])).toEqual(
      expect.arrayContaining([
        [7, true],
        [11, true],
      ]),
    );
  });

  it('a change to a type or property nobody subscribed to sends nothing', async () => {
    await call('PATCH', '/crm/v3/objects/tickets/60', { properties: { subject: 'x' } });
    await call('PATCH', '/crm/v3/objects/contacts/1', { properties: { firstname: 'Inactive sub' } });
    await sb.control.webhooks.idle();
    expect(rx.got).toHaveLength(0);
  });
});

describe('requests (reference §2; platform §2.3)', () => {
  it('is signed v3 over method + target URI + body + timestamp, and v1, checked here independently', async () => {
    await call('PATCH', '/crm/v3/objects/contacts/2', { properties: { lifecyclestage: 'lead' } });
    await sb.control.webhooks.idle();
    const g = rx.got[0]!;
    const ts = String(g.headers['x-hubspot-request-timestamp']);
    expect(Math.abs(Number(ts) - Date.now())).toBeLessThan(10_000);
    const v3 = createHmac('sha256', SECRET).update(`POST${rx.url}${g.raw}${ts}`).digest('base64');
    expect(g.headers['x-hubspot-signature-v3']).toBe(v3);
    expect(g.headers['x-hubspot-signature']).toBe(
      createHash('sha256')
        .update(SECRET + g.raw)
        .digest('hex'),
    );
    expect(g.headers['content-type']).toBe('application/json');
    expect(Array.isArray(JSON.parse(g.raw))).toBe(true);
  });

  it('sends at most 100 notifications per request (250 changes → 100 + 100 + 50)', async () => {
    // a window wide enough that a loaded machine cannot close it in the middle of one batch create
    sb.control.webhooks.configure({ batchWindowMs: 500 });
    const inputs = (n: number) => ({ inputs: Array.from({ length: n }, (_, i) => ({ properties: { name: `Co ${i}` } })) });
    await call('POST', '/crm/v3/objects/companies/batch/create', inputs(100));
    await call('POST', '/crm/v3/objects/companies/batch/create', inputs(100));
    await call('POST', '/crm/v3/objects/companies/batch/create', inputs(50));
    await sb.control.webhooks.idle();
    const sizes = rx.got.map((g) => g.events.length);
    expect(Math.max(...sizes)).toBe(100);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(250);
    expect(sb.control.webhooks.stats()).toMatchObject({ events: 250, delivered: 250, largestBatch: 100, pending: 0 });
  });
});

describe('retries (reference §2: up to 10 over ~24 h, on 4xx/5xx, timeout, connection failure)', () => {
  it('retries a failed request with the same notifications, attemptNumber counting up, with growing delays', async () => {
    rx.respond = (n) => (n < 3 ? [500, 401, 429][n]! : 200);
    await call('PATCH', '/crm/v3/objects/contacts/2', { properties: { lifecyclestage: 'customer' } });
    await sb.control.webhooks.idle();
    expect(rx.got.map((g) => g.events[0]!.attemptNumber)).toEqual([0, 1, 2, 3]);
    expect(new Set(rx.got.map((g) => g.events[0]!.eventId)).size).toBe(1);
    const gaps = rx.got.slice(1).map((g, i) => g.at - rx.got[i]!.at);
    // time scale 0.001: 84 ms, 168 ms, 336 ms (±20 %)
    gaps.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(retryDelayMs(i + 1) * 0.001 * 0.8 - 5));
    expect(gaps[2]!).toBeGreaterThan(gaps[0]!);
    expect(sb.control.webhooks.stats()).toMatchObject({ requests: 4, retried: 3, failedRequests: 3, delivered: 1, lost: 0 });
  });

  it('gives up after the tenth retry, and the ten delays add up to about 24 h at time scale 1', async () => {
    const total = Array.from({ length: MAX_RETRIES }, (_, i) => retryDelayMs(i + 1)).reduce((a, b) => a + b, 0);
    expect(total / 3_600_000).toBeGreaterThan(23);
    expect(total / 3_600_000).toBeLessThan(25);
    sb.control.webhooks.configure({ timeScale: 0.00002 });
    rx.respond = () => 503;
    await call('PATCH', '/crm/v3/objects/contacts/2', { properties: { lifecyclestage: 'lead' } });
    await sb.control.webhooks.idle();
    expect(rx.got).toHaveLength(1 + MAX_RETRIES);
    expect(sb.control.webhooks.stats()).toMatchObject({ requests: 11, retried: 10, lost: 1, delivered: 0 });
  });

  it('a receiver slower than the timeout counts as a failure and is retried', async () => {
    sb.control.webhooks.configure({ timeoutMs: 100 });
    rx.respond = (n) => (n === 0 ? 'hang' : 200);
    await call('PATCH', '/crm/v3/objects/contacts/2', { properties: { lifecyclestage: 'customer' } });
    await sb.control.webhooks.idle();
    expect(rx.got.map((g) => g.events[0]!.attemptNumber)).toEqual([0, 1]);
    expect(sb.control.webhooks.stats()).toMatchObject({ delivered: 1, retried: 1 });
  });

  it('a target that refuses connections is retried too', async () => {
    sb.control.webhooks.configure({ targetUrl: 'http://127.0.0.1:9/nothing-listens', timeScale: 0.00001 });
    await call('PATCH', '/crm/v3/objects/contacts/2', { properties: { lifecyclestage: 'lead' } });
    await sb.control.webhooks.idle();
    expect(sb.control.webhooks.stats()).toMatchObject({ requests: 11, lost: 1 });
  });
});

describe('knobs', () => {
  const burst = async (n: number) => {
    const tag = Math.random().toString(36).slice(2);
    for (let i = 0; i < n; i++) await call('PATCH', '/crm/v3/objects/contacts/2', { properties: { email: `c${i}-${tag}@x.example` } });
    await sb.control.webhooks.idle();
  };

  it('dropRate loses that share of notifications (counted)', async () => {
    sb.control.webhooks.configure({ dropRate: 0.3, random: seeded(1) });
    await burst(60);
    const s = sb.control.webhooks.stats();
    expect(s.dropped).toBeGreaterThan(5);
    expect(s.dropped).toBeLessThan(35);
    expect(rx.events()).toHaveLength(60 - s.dropped);
  });

  it('duplicateRate sends that share twice, the copy in a later request', async () => {
    sb.control.webhooks.configure({ duplicateRate: 1, random: seeded(2) });
    await burst(5);
    const ids = rx.events().map((e) => `${e.eventId}`);
    expect(ids).toHaveLength(10);
    expect(new Set(ids).size).toBe(5);
    expect(sb.control.webhooks.stats().duplicated).toBe(5);
  });

  it('reorderRate lets later notifications overtake earlier ones', async () => {
    sb.control.webhooks.configure({ reorderRate: 0.5, reorderWindowMs: 300, random: seeded(3) });
    await burst(30);
    const order = rx.events().map((e) => e.occurredAt as number);
    expect(order).toHaveLength(30);
    expect(order.some((t, i) => i > 0 && t < order[i - 1]!)).toBe(true);
    expect(sb.control.webhooks.stats().reordered).toBeGreaterThan(5);
  });

  it('delayMs holds every notification that long', async () => {
    sb.control.webhooks.configure({ delayMs: 300 });
    const t0 = Date.now();
    await call('PATCH', '/crm/v3/objects/contacts/2', { properties: { lifecyclestage: 'customer' } });
    await sb.control.webhooks.idle();
    expect(rx.got[0]!.at - t0).toBeGreaterThanOrEqual(300);
  });

  it('is configurable over HTTP: POST /__sandbox/webhooks, and changes by another user through POST /__sandbox/changes', async () => {
    const r = await control('/__sandbox/webhooks', { dropRate: 1 });
    expect(r.body).toMatchObject({ dropRate: 1, clientSecretSet: true });
    expect((await control('/__sandbox/webhooks', { dropRate: 2 })).status).toBe(400);
    expect((await control('/__sandbox/webhooks', { timeScale: 'fast' })).body.message).toMatch(/timeScale must be a number/);
    expect((await control('/__sandbox/webhooks', { componentPath: '/nope.json' })).body.message).toMatch(
      /cannot read the webhooks component/,
    );
    const c = await control('/__sandbox/changes', {
      changes: [{ op: 'update', objectType: 'contacts', id: '2', properties: { lifecyclestage: 'lead' } }],
    });
    expect(c.body.results).toEqual([{ op: 'update', id: '2' }]);
    await sb.control.webhooks.idle();
    expect(rx.got).toHaveLength(0);
    expect(sb.control.webhooks.stats()).toMatchObject({ events: 1, dropped: 1 });
    expect(
      (await control('/__sandbox/changes', { changes: [{ op: 'update', objectType: 'contacts', id: '999', properties: {} }] })).status,
    ).toBe(404);
  });
});

describe('the search indexing delay covers every write path', () => {
  it('a restored and a merged record show in search only after the delay', async () => {
    const found = async (id: string) => {
      const r = await call('POST', '/crm/v3/objects/companies/search', {
        filterGroups: [{ filters: [{ propertyName: 'hs_object_id', operator: 'EQ', value: id }] }],
      });
      return r.body.total as number;
    };
    const c = await call('POST', '/crm/v3/objects/companies', { properties: { name: 'Delayed' } });
    const d = await call('POST', '/crm/v3/objects/companies', { properties: { name: 'Merged away' } });
    await call('DELETE', `/crm/v3/objects/companies/${c.body.id}`);
    sb.control.setSearchDelay(200);
    await control('/__sandbox/changes', { changes: [{ op: 'restore', objectType: 'companies', id: c.body.id }] });
    await call('POST', '/crm/v3/objects/companies/merge', { primaryObjectId: c.body.id, objectIdToMerge: d.body.id });
    expect(await found(c.body.id)).toBe(0);
    expect(await found(d.body.id)).toBe(1);
    await new Promise((r) => setTimeout(r, 250));
    expect(await found(c.body.id)).toBe(1);
    expect(await found(d.body.id)).toBe(0);
  });

  it('an association added or removed shows in associations.* filters only after the delay (reads see it at once)', async () => {
    const withDeal = async () => {
      const r = await call('POST', '/crm/v3/objects/companies/search', {
        filterGroups: [{ filters: [{ propertyName: 'associations.deal', operator: 'EQ', value: '7' }] }],
      });
      return (r.body.results as { id: string }[]).map((x) => x.id);
    };
    const dealsOf11 = async () => {
      const r = await call('POST', '/crm/v3/objects/deals/search', {
        filterGroups: [{ filters: [{ propertyName: 'associations.company', operator: 'HAS_PROPERTY' }] }],
      });
      return (r.body.results as { id: string }[]).map((x) => x.id);
    };
    expect(await withDeal()).toEqual([]);
    sb.control.setSearchDelay(200);
    await call('PUT', '/crm/v4/objects/deals/7/associations/default/companies/11');
    expect((await call('GET', '/crm/v4/objects/deals/7/associations/companies')).body.results).toHaveLength(1);
    expect(await withDeal()).toEqual([]);
    expect(await dealsOf11()).toEqual([]);
    await new Promise((r) => setTimeout(r, 250));
    expect(await withDeal()).toEqual(['11']);
    expect(await dealsOf11()).toEqual(['7']);
    await call('DELETE', '/crm/v4/objects/deals/7/associations/companies/11');
    expect(await withDeal()).toEqual(['11']);
    await new Promise((r) => setTimeout(r, 250));
    expect(await withDeal()).toEqual([]);
  });
});
