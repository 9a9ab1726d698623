// The copy's job per portal (one instance at a time), its background priority, and what it holds.
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '@tiller/hubspot-sandbox';
import { T0, testFixture } from '@tiller/hubspot-sandbox/test-fixture';
import { localCacheBus } from '../cache-bus';
import { createCrmGateway, type CrmGateway } from '../crm/gateway';
import { currentCallContext } from '../crm/meter';
import { PROPERTIES as ACTION_PROPERTIES } from '../services/guided-actions/mappers';
import { labelProperties } from '../services/record-labels';
import { TASK_PROPERTIES } from '../services/task-buckets';
import { createCopyRepo, createDatabase, type Database } from '../storage';
import { inBackground } from './context';
import { createPortalSync } from './index';
import { SYNC_OBJECTS } from './objects';

const PORTAL = 123456;
let clock = T0;
let sandbox: Sandbox;
let crm: CrmGateway;
let db: Database;

beforeAll(async () => {
  sandbox = await startSandbox({
    port: 0,
    fixtures: [testFixture()],
    now: () => clock,
    rateLimit: { tenSecondly: 1_000_000, searchPerSecond: 1_000_000 },
  });
  crm = createCrmGateway({
    basePath: sandbox.url,
    tokens: { accessToken: async () => 'test-token' },
    limits: { general: { burst: 100, refillEveryMs: 5 }, search: { perWindow: 50, windowMs: 100 } },
  });
  db = await createDatabase({});
});

afterAll(async () => {
  await crm.close();
  await db.close();
  await sandbox.close();
});

describe('the copy job', () => {
  it('loads, then polls; a second instance asking at the same time is told the portal is busy', async () => {
    const logger = pino({ level: 'silent' });
    const opts = { db, crm, logger, now: () => clock, portals: async () => [PORTAL] };
    const a = createPortalSync(opts);
    const b = createPortalSync(opts);
    const [first, second] = await Promise.all([a.runNow(PORTAL), b.runNow(PORTAL)]);
    expect([first, second].sort()).toEqual(['busy', 'polled']);
    expect((await a.status(PORTAL)).state).toBe('ready');
    expect((await a.freshness(PORTAL)).syncing).toBeUndefined();
    // Reconciled when due (here: asked for), polled otherwise.
    clock = T0 + 60_000;
    expect(await a.runNow(PORTAL, { reconcile: true })).toBe('polled');
    const states = await createCopyRepo(db).syncStates(PORTAL);
    expect(states.every((s) => s.lastPolledAt?.getTime() === T0 + 60_000 && s.lastReconciledAt?.getTime() === T0 + 60_000)).toBe(true);
    await a.stop();
    await b.stop();
  });

  it('polls the types already loaded while a long first load goes on', async () => {
    await db.exec('truncate crm_records, crm_associations, sync_state');
    const polls: number[] = [];
    // Records when a poll (a search on the last-modified property) reaches HubSpot.
    const watched: CrmGateway = {
      ...crm,
      portal: (id) => {
        const p = crm.portal(id);
        return {
          ...p,
          scanPage: (type, request, after) => {
            if (request.filterGroups.some((g) => g.filters.some((f) => /lastmodifieddate$/.test(f.propertyName)))) polls.push(Date.now());
            return p.scanPage(type, request, after);
          },
        };
      },
    };
    sandbox.control.setLatency(40);
    try {
      const sync = createPortalSync({
        db,
        crm: watched,
        logger: pino({ level: 'silent' }),
        now: Date.now,
        portals: async () => [PORTAL],
        pollMs: 100,
      });
      expect(await sync.runNow(PORTAL)).toBe('polled');
      const states = await createCopyRepo(db).syncStates(PORTAL);
      const lastLoaded = Math.max(...states.map((s) => s.loadedAt!.getTime()));
      expect(polls.some((t) => t < lastLoaded)).toBe(true);
      await sync.stop();
    } finally {
      sandbox.control.setLatency(0);
    }
  });

  it('runs the job again at once when what the copy reads changes, on the instance holding the portal', async () => {
    // Two instances on one database and one bus (server.ts: 'copy-settings' → readsChanged); the
    // jobs each one runs, counted at the portal's lock.
    const jobs = { a: 0, b: 0 };
    const counted = (name: keyof typeof jobs): Database => ({
      ...db,
      tryLock: (key, fn) =>
        db.tryLock(key, (session) => {
          jobs[name]++;
          return fn(session);
        }),
    });
    const opts = { crm, logger: pino({ level: 'silent' }), now: () => clock, portals: async () => [PORTAL] };
    const a = createPortalSync({ ...opts, db: counted('a') });
    const b = createPortalSync({ ...opts, db: counted('b') });
    const bus = localCacheBus();
    bus.on('copy-settings', (portalId) => a.readsChanged(portalId));
    bus.on('copy-settings', (portalId) => b.readsChanged(portalId));
    // Nothing running: the job runs now.
    await bus.invalidate(PORTAL, 'copy-settings');
    await Promise.all([a.idle(), b.idle()]);
    expect(jobs.a + jobs.b).toBe(1);
    jobs.a = jobs.b = 0;
    // B is running the portal's job (a slow HubSpot): A is told the portal is busy, B runs it once
    // more when its job ends, so what the settings named is read without waiting for a tick.
    sandbox.control.setLatency(30);
    try {
      const running = b.runNow(PORTAL);
      await expect.poll(() => jobs.b).toBe(1);
      await bus.invalidate(PORTAL, 'copy-settings');
      expect(await running).toBe('polled');
      await Promise.all([a.idle(), b.idle()]);
      expect(jobs).toEqual({ a: 0, b: 2 });
    } finally {
      sandbox.control.setLatency(0);
    }
    await a.stop();
    await b.stop();
    // Once stopped, an instance starts nothing.
    await bus.invalidate(PORTAL, 'copy-settings');
    await b.idle();
    expect(jobs).toEqual({ a: 0, b: 2 });
  });

  it('runs HubSpot calls at background priority, without a deadline', async () => {
    const ctx = await inBackground(async () => currentCallContext());
    expect(ctx).toMatchObject({ priority: 'background', deadline: Infinity });
  });
});

describe('what the copy holds', () => {
  it('every property task buckets, guided actions and record labels read', () => {
    const held = (type: string) => new Set(SYNC_OBJECTS.find((o) => o.objectType === type)?.properties);
    for (const p of TASK_PROPERTIES) expect(held('tasks'), p).toContain(p);
    for (const [type, props] of Object.entries(ACTION_PROPERTIES)) for (const p of props) expect(held(type), `${type}.${p}`).toContain(p);
    for (const type of ['contacts', 'companies', 'deals', 'tickets', 'leads'])
      for (const p of labelProperties(type)) expect(held(type), `${type}.${p}`).toContain(p);
  });
});
