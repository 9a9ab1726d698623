// The cache bus: local invalidations, and between two "instances" (two buses, two gateways) on
// the local Redis, a write through one dropping the other's cached HubSpot reads.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '@tiller/hubspot-sandbox';
import { testFixture } from '@tiller/hubspot-sandbox/test-fixture';
import { cacheBusChannel, createCacheBus, localCacheBus, type CacheBus } from './cache-bus';
import { createCrmGateway, type CrmGateway } from './crm/gateway';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PORTAL = 123456;

async function until(check: () => boolean, ms = 2_000): Promise<void> {
  for (const end = Date.now() + ms; !check();) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('a local bus (no Redis)', () => {
  it('runs the handlers of the scope at once, with the portal and key, and stops after unregistering', async () => {
    const bus = localCacheBus();
    const seen: unknown[] = [];
    const off = bus.on('crm', (portalId, key) => seen.push(['crm', portalId, key]));
    bus.on('install', (portalId, key) => seen.push(['install', portalId, key]));
    await bus.invalidate(7, 'crm', 'tasks');
    await bus.invalidate(8, 'install');
    off();
    await bus.invalidate(7, 'crm', 'deals');
    expect(seen).toEqual([
      ['crm', 7, 'tasks'],
      ['install', 8, undefined],
    ]);
  });
});

describe('buses of two instances on one Redis', () => {
  const namespace = `tiller-test-bus-${process.pid}-${randomBytes(3).toString('hex')}`;
  const clients: Redis[] = [];
  const buses: CacheBus[] = [];
  const client = () => {
    const c = new Redis(REDIS_URL);
    clients.push(c);
    return c;
  };
  const bus = async (ns = namespace) => {
    const b = await createCacheBus({ redis: client(), namespace: ns });
    buses.push(b);
    return b;
  };
  afterEach(async () => {
    for (const b of buses.splice(0)) await b.close();
    for (const c of clients.splice(0)) c.disconnect();
  });

  it("runs the writer's handlers at once and the other instance's when its message arrives, not twice here", async () => {
    const [a, b] = [await bus(), await bus()];
    const onA: unknown[] = [];
    const onB: unknown[] = [];
    a.on('guided-actions-feedback', (p, k) => onA.push([p, k]));
    b.on('guided-actions-feedback', (p, k) => onB.push([p, k]));
    await a.invalidate(42, 'guided-actions-feedback', '1001');
    expect(onA).toEqual([[42, '1001']]);
    await until(() => onB.length > 0);
    expect(onB).toEqual([[42, '1001']]);
    expect(b.received()['guided-actions-feedback']).toBe(1);
    await new Promise((r) => setTimeout(r, 50));
    expect(onA).toHaveLength(1); // its own message, heard back, is not run again
    expect(a.received()['guided-actions-feedback']).toBe(0);
  });

  it('keeps namespaces apart, and ignores what is not an invalidation on the channel', async () => {
    const a = await bus();
    const other = await bus(`${namespace}-other`);
    const heard: unknown[] = [];
    other.on('crm', (p) => heard.push(p));
    const a2 = await bus();
    const onA2: unknown[] = [];
    a2.on('crm', (p, k) => onA2.push([p, k]));
    const raw = client();
    await raw.publish(cacheBusChannel(namespace), 'not json');
    await raw.publish(cacheBusChannel(namespace), JSON.stringify({ from: 'x', portalId: -1, scope: 'crm' }));
    await a.invalidate(5, 'crm');
    await until(() => onA2.length > 0);
    expect(onA2).toEqual([[5, undefined]]);
    await new Promise((r) => setTimeout(r, 50));
    expect(heard).toEqual([]);
  });
});

describe("two instances' gateways on one Redis", () => {
  let sandbox: Sandbox;
  const gateways: CrmGateway[] = [];
  const clients: Redis[] = [];
  const namespace = `tiller-test-gw-${process.pid}-${randomBytes(3).toString('hex')}`;
  const buses: CacheBus[] = [];
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, fixtures: [testFixture()] });
  });
  afterAll(async () => {
    for (const g of gateways) await g.close();
    for (const b of buses) await b.close();
    for (const c of clients) c.disconnect();
    await sandbox.close();
  });
  const gateway = async (withBus: boolean) => {
    let bus: CacheBus | undefined;
    if (withBus) {
      const redis = new Redis(REDIS_URL);
      clients.push(redis);
      bus = await createCacheBus({ redis, namespace });
      buses.push(bus);
    }
    const g = createCrmGateway({ basePath: sandbox.url, tokens: { accessToken: async () => 'test-token' }, bus });
    gateways.push(g);
    return { crm: g.portal(PORTAL), bus };
  };

  it("a task written through one is read afresh through the other at once; without the bus the other's read is stale", async () => {
    const a = await gateway(true);
    const b = await gateway(true);
    const alone = await gateway(false);
    const props = ['hs_task_subject'];
    const [task] = (await a.crm.listPage('tasks', { properties: props })).results;
    const id = task!.id;
    const subject = (r: Map<string, { properties: Record<string, string | null> }>) => r.get(id)?.properties.hs_task_subject;
    const before = task!.properties.hs_task_subject;
    // both read it (now cached for 20 s)
    expect(subject(await b.crm.batchRead('tasks', [id], props))).toBe(before);
    expect(subject(await alone.crm.batchRead('tasks', [id], props))).toBe(before);
    const calls = sandbox.control.stats().totalCalls;
    expect(subject(await b.crm.batchRead('tasks', [id], props))).toBe(before);
    expect(sandbox.control.stats().totalCalls).toBe(calls); // from the cache

    await a.crm.batchUpdate('tasks', [{ id, properties: { hs_task_subject: 'Renamed through instance A' } }]);
    await until(() => b.bus!.received().crm > 0);
    expect(subject(await b.crm.batchRead('tasks', [id], props))).toBe('Renamed through instance A');
    // the check can fail: a gateway that does not hear the bus still answers from its cache
    expect(subject(await alone.crm.batchRead('tasks', [id], props))).toBe(before);
  });
});
