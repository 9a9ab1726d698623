// The gateway over real HTTP against the sandbox (style habit 11), with injected 429s, 5xx and
// timeouts. Sleeps are recorded instead of waited, so the waits are asserted, not timed.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '@tiller/hubspot-sandbox';
import type { Fixture } from '@tiller/hubspot-sandbox/fixture';
import { CrmError } from './errors';
import { createCrmGateway, type CrmGatewayOptions } from './gateway';
import { RequestMeter, runWithCallContext } from './meter';

function portalFixture(id: number, token: string, ownerFirstName: string, contacts: number): Fixture {
  return {
    portal: { id, timeZone: 'Europe/Paris', domain: `p${id}.example`, accessToken: token },
    users: [
      {
        id: String(id * 10 + 1),
        email: `rep@p${id}.example`,
        firstName: ownerFirstName,
        lastName: 'Rep',
        superAdmin: true,
        timeZone: 'Europe/Paris',
      },
    ],
    owners: [{ id: String(id * 100 + 1), userId: id * 10 + 1, email: `rep@p${id}.example`, firstName: ownerFirstName, lastName: 'Rep' }],
    objects: {
      contacts: Array.from({ length: contacts }, (_, i) => ({
        id: String(i + 1),
        properties: { email: `c${i + 1}@client.example`, firstname: `C${i + 1}`, hubspot_owner_id: String(id * 100 + 1) },
      })),
      tasks: [
        {
          id: '70',
          properties: {
            hs_task_subject: 'Call',
            hs_timestamp: '2026-11-22T16:00:00Z',
            hs_task_status: 'NOT_STARTED',
            hubspot_owner_id: String(id * 100 + 1),
          },
        },
      ],
    },
    associations: [
      { from: 'tasks/70', to: 'contacts/1' },
      { from: 'tasks/70', to: 'contacts/2' },
    ],
  } as Fixture;
}

let sandbox: Sandbox;
const A = 111;
const B = 222;
const tokens: Record<number, string> = { [A]: 'token-a', [B]: 'token-b' };

beforeAll(async () => {
  sandbox = await startSandbox({
    port: 0,
    fixtures: [
      {
        ...portalFixture(A, tokens[A]!, 'Ada', 450),
        // 120 sequences of the rep (two pages of the list), contact 1 enrolled twice (the later one answers).
        sequences: Array.from({ length: 120 }, (_, i) => ({ id: String(5000 + i), name: `Seq ${i}`, userId: '1111' })),
        enrollments: [
          { id: '900', sequenceId: '5000', contactId: '1', enrolledBy: '1111', enrolledAt: '2026-11-01T00:00:00Z' },
          { id: '901', sequenceId: '5007', contactId: '1', enrolledBy: '1111', enrolledAt: '2026-11-10T00:00:00Z' },
        ],
      },
      portalFixture(B, tokens[B]!, 'Bea', 3),
    ],
    timeoutHoldMs: 2_000,
  });
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(() => {
  sandbox.control.resetStats();
});

function gateway(extra: Partial<CrmGatewayOptions> = {}) {
  const sleeps: number[] = [];
  const crm = createCrmGateway({
    basePath: sandbox.url,
    tokens: { accessToken: async (id) => tokens[id] ?? null },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...extra,
  });
  return { crm, sleeps };
}

const calls = () => sandbox.control.stats().totalCalls;

describe('reads through the SDK over HTTP', () => {
  it('maps owners, users and account into our own types', async () => {
    const { crm } = gateway();
    const portal = crm.portal(A);
    expect(await portal.owners()).toEqual([expect.objectContaining({ id: '11101', userId: 1111, firstName: 'Ada', archived: false })]);
    expect(await portal.users()).toEqual([expect.objectContaining({ userId: 1111, timeZone: 'Europe/Paris' })]);
    expect(await portal.account()).toMatchObject({ portalId: A, timeZone: 'Europe/Paris' });
  });

  it('reads associations and labels in bulk', async () => {
    const { crm } = gateway();
    const portal = crm.portal(A);
    const assoc = await portal.associations('tasks', 'contacts', ['70']);
    expect(assoc.get('70')?.sort()).toEqual(['1', '2']);
    const records = await portal.batchRead('contacts', ['1', '2', '999999'], ['firstname']);
    expect([...records.keys()].sort()).toEqual(['1', '2']);
    expect(records.get('1')?.properties.firstname).toBe('C1');
  });

  it('reads 100 records per batch, 50 with propertiesWithHistory (HubSpot’s limit for histories)', async () => {
    const { crm } = gateway();
    const ids = Array.from({ length: 120 }, (_, i) => String(i + 1));
    const plain = await crm.portal(A).batchRead('contacts', ids, ['email'], [], { fresh: true });
    expect(plain.size).toBe(120);
    expect(calls()).toBe(2);
    sandbox.control.resetStats();
    const withHistory = await crm.portal(A).batchRead('contacts', ids, ['email'], ['hubspot_owner_id'], { fresh: true });
    expect(withHistory.size).toBe(120);
    expect(withHistory.get('120')?.propertiesWithHistory?.hubspot_owner_id?.[0]?.value).toBe('11101');
    expect(calls()).toBe(3); // 50 + 50 + 20: the sandbox answers 51 or more with HubSpot's 400
  });

  it('scans every record by slicing on hs_object_id, none twice', async () => {
    const { crm } = gateway();
    const progress: number[] = [];
    const all = await crm.portal(A).scan('contacts', { filterGroups: [], properties: ['email'] }, (n) => progress.push(n));
    expect(all).toHaveLength(450);
    expect(new Set(all.map((r) => r.id)).size).toBe(450);
    expect(progress).toEqual([200, 400, 450]);
  });

  it('returns null only for "not found"', async () => {
    const { crm } = gateway();
    expect(await crm.portal(A).getRecord('contacts', '987654', ['email'])).toBeNull();
  });
});

describe('sequences through the generic request path (reference §3.8: the SDK has no sequences client)', () => {
  it("reads a contact's latest enrollment, null for a contact never enrolled, retrying a 429 like any call", async () => {
    const { crm, sleeps } = gateway();
    sandbox.control.failNext(1, '429');
    expect(await crm.portal(A).contactEnrollment('1')).toEqual({ id: '901', sequenceId: '5007', sequenceName: 'Seq 7' });
    expect(sleeps.length).toBe(1);
    expect(await crm.portal(A).contactEnrollment('2')).toBeNull();
    expect(calls()).toBe(3);
  });

  it("lists a user's sequences over every page, cached", async () => {
    const { crm } = gateway();
    const list = await crm.portal(A).sequences(1111);
    expect(list).toHaveLength(120);
    expect(list[7]).toEqual({ id: '5007', name: 'Seq 7', userId: '1111' });
    expect(calls()).toBe(2);
    await crm.portal(A).sequences(1111);
    expect(calls()).toBe(2);
  });

  it('fails with "forbidden" when the token lacks automation.sequences.read', async () => {
    const { crm } = gateway();
    const restricted = await startSandbox({
      port: 0,
      fixtures: [
        {
          ...portalFixture(333, 'token-c', 'Cy', 2),
          portal: { id: 333, timeZone: 'Europe/Paris', accessToken: 'token-c', scopes: ['oauth'] },
        },
      ],
    });
    try {
      const c = createCrmGateway({ basePath: restricted.url, tokens: { accessToken: async () => 'token-c' }, sleep: async () => {} });
      await expect(c.portal(333).contactEnrollment('1')).rejects.toMatchObject({ kind: 'forbidden' });
      await c.close();
    } finally {
      await restricted.close();
      await crm.close();
    }
  });
});

describe('retries (hubspot-platform.md §4.3)', () => {
  it('retries 5xx with exponential backoff and succeeds', async () => {
    const { crm, sleeps } = gateway();
    sandbox.control.failNext(2, '500');
    await expect(crm.portal(A).account()).resolves.toMatchObject({ portalId: A });
    expect(calls()).toBe(3);
    expect(sleeps).toHaveLength(2);
    expect(sleeps[1]!).toBeGreaterThan(sleeps[0]!);
  });

  it('gives up after 3 tries on persistent 5xx', async () => {
    const { crm } = gateway();
    sandbox.control.failNext(3, '500');
    await expect(crm.portal(A).account()).rejects.toMatchObject({ kind: 'server' });
    expect(calls()).toBe(3);
  });

  it('never retries a 4xx (a search over the filter limit)', async () => {
    const { crm } = gateway();
    const filters = Array.from({ length: 7 }, (_, i) => ({ propertyName: 'email', operator: 'HAS_PROPERTY' as const, value: String(i) }));
    await expect(crm.portal(A).search('contacts', { filterGroups: [{ filters }], properties: ['email'] })).rejects.toMatchObject({
      kind: 'bad-request',
      status: 400,
    });
    expect(calls()).toBe(1);
  });

  it('waits out TEN_SECONDLY_ROLLING 429s (seconds, with jitter) before retrying', async () => {
    const { crm, sleeps } = gateway();
    sandbox.control.failNext(1, '429');
    await expect(crm.portal(A).owners()).resolves.toHaveLength(1);
    expect(calls()).toBe(2);
    expect(sleeps[0]).toBeGreaterThanOrEqual(2_000);
  });

  it("waits about a second after search's secondly 429", async () => {
    const { crm, sleeps } = gateway();
    sandbox.control.failNext(1, 'search429');
    // Portal B: A's real search budget for this second may already be spent by earlier tests.
    await crm.portal(B).search('contacts', { filterGroups: [], properties: ['email'], limit: 1 });
    expect(calls()).toBe(2);
    expect(sleeps[0]).toBeGreaterThanOrEqual(1_000);
    expect(sleeps[0]).toBeLessThan(2_000);
  });

  it('times a hung call out and retries it', async () => {
    const { crm } = gateway({ callTimeoutMs: 300 });
    sandbox.control.failNext(1, 'timeout');
    await expect(crm.portal(A).account()).resolves.toMatchObject({ portalId: A });
    expect(calls()).toBe(2);
  });

  it('refuses at once a search that could not start before the deadline, instead of queueing it', async () => {
    // Margins of a second on each side, so a loaded machine's start-up delays cannot move a search across
    // the deadline.
    const { crm } = gateway({ limits: { search: { perWindow: 1, windowMs: 2_000 } } });
    const meter = new RequestMeter();
    const started = Date.now();
    const settled = new Map<string, number>();
    const search = (i: number) =>
      crm
        .portal(A)
        .search('contacts', { filterGroups: [], properties: ['email'], limit: 1, after: String(i) })
        .then(
          () => settled.set(`ok ${i}`, Date.now() - started),
          (e: CrmError) => settled.set(`${e.kind} ${i}`, Date.now() - started),
        );
    await runWithCallContext({ meter, deadline: Date.now() + 3_000, priority: 'interactive' }, async () => {
      const first = search(0);
      await new Promise((r) => setTimeout(r, 20)); // the first is under way
      await Promise.all([first, search(1), search(2)]);
    });
    // one search per 2 s: 0 answers at once; 1 starts 2 s after 0; 2 could start only after
    // 4 s: refused at once (whether before or after 0's answer arrives), long before 1 answers
    expect([...settled.keys()].sort()).toEqual(['deadline 2', 'ok 0', 'ok 1']);
    expect(settled.get('deadline 2')!).toBeLessThan(settled.get('ok 1')!);
    expect(settled.get('ok 1')!).toBeGreaterThanOrEqual(1_900);
    expect(settled.get('deadline 2')!).toBeLessThan(1_000);
    expect(sandbox.control.stats().searches).toBe(2);
  });

  it('tells a caller still queued behind the limiter at its deadline then, and never calls HubSpot for it', async () => {
    const { crm } = gateway({ limits: { general: { burst: 1, refillEveryMs: 1_500 } } });
    const meter = new RequestMeter();
    const settled: string[] = [];
    const marker = new Promise((r) => setTimeout(r, 1_000)).then(() => settled.push('marker at 1 s'));
    await runWithCallContext({ meter, deadline: Date.now() + 400, priority: 'interactive' }, () =>
      Promise.all([
        crm
          .portal(A)
          .owners()
          .then(
            () => settled.push('owners'),
            (e: CrmError) => settled.push(`owners ${e.kind}`),
          ),
        crm
          .portal(A)
          .account()
          .then(
            () => settled.push('account'),
            (e: CrmError) => settled.push(`account ${e.kind}`),
          ),
      ]),
    );
    await marker;
    expect(settled).toEqual(['owners', 'account deadline', 'marker at 1 s']);
    await new Promise((r) => setTimeout(r, 1_700)); // the queued job's turn comes: it starts nothing
    expect(calls()).toBe(1);
  });

  it('starts no call past the request deadline', async () => {
    const { crm } = gateway();
    const meter = new RequestMeter();
    await expect(
      runWithCallContext({ meter, deadline: Date.now() - 1, priority: 'interactive' }, () => crm.portal(A).account()),
    ).rejects.toBeInstanceOf(CrmError);
    expect(calls()).toBe(0);
  });
});

describe('cache, single flight and coalescing', () => {
  it('shares one HubSpot call between concurrent identical misses', async () => {
    const { crm } = gateway();
    const results = await Promise.all(Array.from({ length: 10 }, () => crm.portal(A).owners()));
    expect(results.every((r) => r[0]?.firstName === 'Ada')).toBe(true);
    expect(calls()).toBe(1);
  });

  it('serves a second read from the cache', async () => {
    const { crm } = gateway();
    await crm.portal(A).pipelines('deals');
    await crm.portal(A).pipelines('deals');
    expect(calls()).toBe(1);
  });

  it("never answers one portal with another portal's cached data", async () => {
    const { crm } = gateway();
    expect((await crm.portal(A).owners())[0]?.firstName).toBe('Ada');
    expect((await crm.portal(B).owners())[0]?.firstName).toBe('Bea');
    const a = await crm.portal(A).search('contacts', { filterGroups: [], properties: ['email'], limit: 1 });
    const b = await crm.portal(B).search('contacts', { filterGroups: [], properties: ['email'], limit: 1 });
    expect(a.total).toBe(450);
    expect(b.total).toBe(3);
  });

  it('coalesces concurrent batch reads of one portal into one call', async () => {
    const { crm } = gateway();
    const [x, y] = await Promise.all([
      crm.portal(A).batchRead('contacts', ['1', '2'], ['email']),
      crm.portal(A).batchRead('contacts', ['3', '2'], ['email']),
    ]);
    expect([...x.keys()].sort()).toEqual(['1', '2']);
    expect([...y.keys()].sort()).toEqual(['2', '3']);
    expect(calls()).toBe(1);
  });

  it("drops a portal's cached reads on invalidate", async () => {
    const { crm } = gateway();
    await crm.portal(A).owners();
    crm.invalidate(A);
    await crm.portal(A).owners();
    expect(calls()).toBe(2);
  });
});

describe('cache bounds (the soak, issue #14)', () => {
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
  // A search whose filter carries a value that never recurs, as guided actions' filters carry the
  // time ("due before now + 2 days", in ms).
  const timed = (at: number) => ({
    filterGroups: [{ filters: [{ propertyName: 'hs_object_id', operator: 'LT' as const, value: String(1_000_000 + at) }] }],
    properties: ['email'],
    limit: 1,
  });

  it('drops expired entries whose keys never recur, and keeps the live ones', async () => {
    const { crm } = gateway({ recordsTtlMs: 2_000, purgeEveryMs: 50 });
    try {
      await crm.portal(A).owners(); // metadata: 5 minutes
      await Promise.all(Array.from({ length: 5 }, (_, i) => crm.portal(A).search('contacts', timed(i))));
      expect(crm.cacheStats().entries).toBe(6);
      await pause(2_300);
      // Without the purge: all 6 still held, 5 of them expired and never asked for again.
      expect(crm.cacheStats()).toMatchObject({ entries: 1, expired: 0 });
      const before = calls();
      await crm.portal(A).owners(); // still cached
      expect(calls()).toBe(before);
    } finally {
      await crm.close();
    }
  });

  it('stays bounded under a stream of never-recurring searches from many portals', async () => {
    const { crm } = gateway({ recordsTtlMs: 300, purgeEveryMs: 50 });
    try {
      let peak = 0;
      for (let round = 0; round < 4; round++) {
        // 5 searches per portal: one window of the search limiter each
        await Promise.all(Array.from({ length: 10 }, (_, i) => crm.portal(i % 2 ? A : B).search('contacts', timed(round * 1_000 + i))));
        peak = Math.max(peak, crm.cacheStats().entries);
        await pause(1_100);
      }
      // Without the purge: 40 entries at the end, every one of them expired.
      expect(peak).toBeLessThanOrEqual(20);
      expect(crm.cacheStats().entries).toBe(0);
    } finally {
      await crm.close();
    }
  });

  it('keeps no batch-read coalescer per portal once it is idle (bounded after many portals)', async () => {
    const { crm } = gateway({ purgeEveryMs: 400 });
    try {
      await crm.portal(A).batchRead('contacts', ['1', '2'], ['email']);
      await crm.portal(A).associations('tasks', 'contacts', ['70']);
      // 200 portals this process has no token for: each ask fails, each built its coalescer
      await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          crm
            .portal(10_000 + i)
            .batchRead('contacts', ['1'], ['email'])
            .catch(() => undefined),
        ),
      );
      expect(crm.cacheStats().batchers).toBeGreaterThanOrEqual(200);
      await pause(900);
      // Without the sweep: 202, and one more for every portal, object type and property set ever read.
      expect(crm.cacheStats().batchers).toBe(0);
      const again = await crm.portal(A).batchRead('contacts', ['3'], ['email'], [], { fresh: true });
      expect([...again.keys()]).toEqual(['3']);
    } finally {
      await crm.close();
    }
  });

  it('keeps its entries within the byte budget, evicting the least recently used', async () => {
    // Was the memory bench's second target (issue #4); task buckets no longer read through this cache.
    const budget = 4 * 1024;
    const { crm } = gateway({ cacheMaxBytes: budget, purgeEveryMs: 60_000 });
    try {
      for (let i = 0; i < 40; i++) await crm.portal(i % 2 ? A : B).search('contacts', { ...timed(i), limit: 5 });
      const { bytes, entries } = crm.cacheStats();
      expect(bytes).toBeLessThanOrEqual(budget);
      // Without the bound all 40 pages would be held.
      expect(entries).toBeGreaterThan(0);
      expect(entries).toBeLessThan(40);
      // The newest page is still served from the cache, the oldest was evicted.
      const before = calls();
      await crm.portal(A).search('contacts', { ...timed(39), limit: 5 });
      expect(calls()).toBe(before);
      await crm.portal(B).search('contacts', { ...timed(0), limit: 5 });
      expect(calls()).toBe(before + 1);
    } finally {
      await crm.close();
    }
  });

  it('answers a load that outlives its TTL and is purged while it runs', async () => {
    sandbox.control.setLatency(150);
    const { crm } = gateway({ recordsTtlMs: 20, purgeEveryMs: 10 });
    try {
      const page = await crm.portal(A).search('contacts', timed(1));
      expect(page.results).toHaveLength(1);
    } finally {
      sandbox.control.setLatency(0);
      await crm.close();
    }
  });
});

describe('metering', () => {
  it('counts the calls of one request and the depth of its critical path', async () => {
    const { crm } = gateway();
    const meter = new RequestMeter();
    await runWithCallContext({ meter, deadline: Date.now() + 5_000, priority: 'interactive' }, async () => {
      const portal = crm.portal(A);
      await Promise.all([portal.owners(), portal.account()]);
      await portal.search('contacts', { filterGroups: [], properties: ['email'], limit: 1 });
    });
    expect(meter.calls).toBe(3);
    expect(meter.depth()).toBe(2);
    expect(meter.byKind()).toEqual({ metadata: 2, search: 1 });
  });
});
