// The portal copy against the sandbox: first load (and its resumption), applied changes, polls,
// reconciliation and status.
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '@tiller/hubspot-sandbox';
import { T0, testFixture } from '@tiller/hubspot-sandbox/test-fixture';
import { createCrmGateway, type CrmGateway } from '../crm/gateway';
import {
  createCopyRepo,
  createDatabase,
  createSettingsRepo,
  type CopyRepo,
  type Database,
  type Queryable,
  type SqlParam,
} from '../storage';
import { truncateAll } from '../storage/testing';
import { applyChanges } from './changes';
import type { SyncDeps } from './context';
import { growthAnalyzer, runFirstLoad } from './first-load';
import { HEALTH_PROPERTIES_SETTING } from './customer-properties';
import { CUSTOM_OBJECTS_SETTING, SYNC_OBJECTS } from './objects';
import { pollPortal } from './poll';
import { reconcilePortal } from './reconcile';
import { summarize } from './status';

const PORTAL = 123456;
const FAST = { general: { burst: 100, refillEveryMs: 5 }, search: { perWindow: 50, windowMs: 100 } };
const TOKEN = 'test-token';
let clock = T0;
let sandbox: Sandbox;
let crm: CrmGateway;
let db: Database;
let repo: CopyRepo;
let deps: SyncDeps;

// 250 more contacts: three list pages, so a load can be resumed in the middle.
const extraContacts = Array.from({ length: 250 }, (_, i) => ({
  id: String(1000 + i),
  properties: { firstname: `C${i}`, email: `c${i}@x.example` },
}));

beforeAll(async () => {
  const base = testFixture();
  sandbox = await startSandbox({
    port: 0,
    fixtures: [{ ...base, objects: { ...base.objects, contacts: [...(base.objects?.contacts ?? []), ...extraContacts] } }],
    now: () => clock,
    // The sandbox's limits run on its (frozen) clock; ours, in the gateway, on real time.
    rateLimit: { tenSecondly: 1_000_000, searchPerSecond: 1_000_000 },
  });
  db = await createDatabase({});
  repo = createCopyRepo(db);
});

afterAll(async () => {
  await db.close();
  await sandbox.close();
});

/** The test's gateway with some of a portal's calls replaced (`wrap` gets the real ones). */
const tracedGateway = (wrap: (p: ReturnType<CrmGateway['portal']>) => Partial<ReturnType<CrmGateway['portal']>>): CrmGateway => ({
  ...crm,
  portal: (id) => {
    const p = crm.portal(id);
    return { ...p, ...wrap(p) };
  },
});

beforeEach(async () => {
  clock = T0;
  await truncateAll(db);
  await crm?.close();
  // Faster limits than HubSpot's: these tests are about what is read, not its pace.
  crm = createCrmGateway({ basePath: sandbox.url, tokens: { accessToken: async (id) => (id === PORTAL ? TOKEN : null) }, limits: FAST });
  deps = { db, crm, logger: pino({ level: 'silent' }), now: () => clock };
  sandbox.control.resetStats();
});

async function hubspot(method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? null : res.json();
}

const subjectOf = async (type: string, id: string) => (await repo.getRecords(PORTAL, type, [id])).get(id);

describe('first load', () => {
  it('copies every object type the features read, with associations, owners, users, pipelines and the time zone', async () => {
    const result = await runFirstLoad(deps, PORTAL);
    expect(result.errors).toEqual({});
    expect(result.ready).toBe(true);
    expect(result.records).toMatchObject({
      contacts: 252,
      companies: 1,
      deals: 1,
      leads: 1,
      tickets: 1,
      tasks: 4,
      calls: 2,
      emails: 1,
      meetings: 1,
      notes: 1,
      '0-162': 1,
    });

    const task = await subjectOf('tasks', '70');
    expect(task).toMatchObject({ ownerId: '501', status: 'NOT_STARTED', dueAt: new Date(T0 + 4 * 3_600_000) });
    expect(task?.properties.hs_task_subject).toBe('Call Bo');
    const assoc = await repo.associations(PORTAL, 'tasks', ['70'], 'contacts');
    expect(assoc.get('70')).toEqual([{ id: '1', typeIds: [204], labels: [] }]);
    expect((await repo.associations(PORTAL, 'tasks', ['70'], 'deals')).get('70')?.map((a) => a.id)).toEqual(['7']);
    // Read from the other side too.
    expect((await repo.associations(PORTAL, 'contacts', ['1'], 'leads')).get('1')?.map((a) => a.id)).toEqual(['3']);
    expect((await repo.owners(PORTAL)).map((o) => o.id)).toEqual(['501', '502']); // active owners, as the features read them
    expect((await repo.users(PORTAL)).find((u) => u.userId === 9001)?.timeZone).toBe('Pacific/Auckland');
    expect((await repo.portal(PORTAL))?.timeZone).toBe('Europe/Paris');
    expect((await repo.pipelines(PORTAL, 'deals')).length).toBeGreaterThan(0);

    const { status, freshness } = summarize(await repo.syncStates(PORTAL), clock + 2_000);
    expect(status.state).toBe('ready');
    expect(status.objects.contacts).toEqual({
      records: 252,
      state: 'ready',
      lastChangeSeenAt: null,
      lagSeconds: 2,
      total: 252,
      percent: 100,
      etaSeconds: null,
      reloading: false,
    });
    expect(status).toMatchObject({ percent: 100, etaSeconds: null });
    expect(freshness).toEqual({ dataAsOf: new Date(T0).toISOString() });
    expect(Object.keys(status.objects).sort()).toEqual(SYNC_OBJECTS.map((o) => o.objectType).sort());
  });

  it('copies the custom objects chosen in settings, with every property', async () => {
    await createSettingsRepo(db).putSetting(PORTAL, CUSTOM_OBJECTS_SETTING, ['2-5001'], new Date(clock));
    try {
      const result = await runFirstLoad(deps, PORTAL);
      expect(result.records['2-5001']).toBe(1);
      expect((await repo.syncState(PORTAL, '2-5001'))?.state).toBe('ready');
    } finally {
      await createSettingsRepo(db).putSetting(PORTAL, CUSTOM_OBJECTS_SETTING, [], new Date(clock));
    }
  });

  it('a second run reads nothing', async () => {
    await runFirstLoad(deps, PORTAL);
    sandbox.control.resetStats();
    expect((await runFirstLoad(deps, PORTAL)).ready).toBe(true);
    expect(sandbox.control.stats().totalCalls).toBe(0);
  });

  it('loads a type again when the settings ask for a property its load did not read, then reads nothing more', async () => {
    await hubspot('PATCH', '/crm/v3/objects/companies/11', { properties: { industry: 'Software' } });
    await runFirstLoad(deps, PORTAL);
    expect((await subjectOf('companies', '11'))?.properties.industry).toBeUndefined();
    // a health profile now reads companies' industry (the same holds for a newly named CSM property)
    await createSettingsRepo(db).putSetting(PORTAL, HEALTH_PROPERTIES_SETTING, { companies: ['industry'] }, new Date(clock));
    try {
      sandbox.control.resetStats();
      expect((await runFirstLoad(deps, PORTAL)).records).toEqual({ companies: 1 });
      expect((await subjectOf('companies', '11'))?.properties.industry).toBe('Software');
      expect(await repo.syncState(PORTAL, 'companies')).toMatchObject({ state: 'ready', records: 1 });
      expect((await repo.syncState(PORTAL, 'companies'))?.loadedProperties).toContain('industry');
      sandbox.control.resetStats();
      await runFirstLoad(deps, PORTAL);
      expect(sandbox.control.stats().totalCalls).toBe(0);
    } finally {
      await createSettingsRepo(db).putSetting(PORTAL, HEALTH_PROPERTIES_SETTING, {}, new Date(clock));
    }
  });

  it('records the loaded properties of a type loaded before they were kept, without loading it again', async () => {
    await runFirstLoad(deps, PORTAL);
    await db.query("update sync_state set loaded_properties = null where portal_id = $1 and object_type = 'companies'", [PORTAL]);
    sandbox.control.resetStats();
    await runFirstLoad(deps, PORTAL);
    expect(sandbox.control.stats().totalCalls).toBe(0);
    expect((await repo.syncState(PORTAL, 'companies'))?.loadedProperties).toContain('name');
  });

  it('resumes from the stored cursor after an interruption, without reading the loaded pages again', async () => {
    // As if the process stopped after storing the first contacts page (ids 1, 2, 1000…1097).
    await runFirstLoad(deps, PORTAL);
    await db.exec(`delete from crm_records where object_type = 'contacts' and id >= 1098`);
    await repo.putSyncState(PORTAL, 'contacts', { state: 'loading', cursor: '1098', records: 100 }, new Date(clock));
    sandbox.control.resetStats();

    const result = await runFirstLoad(deps, PORTAL);
    expect(result.records).toEqual({ contacts: 252 });
    const lists = Object.entries(sandbox.control.stats().byEndpoint)
      .filter(([k]) => k.startsWith('GET /crm/v3/objects/{objectType}'))
      .reduce((n, [, v]) => n + v, 0);
    expect(lists).toBe(2); // 152 records left: two pages, not three
    expect(await repo.countRecords(PORTAL, 'contacts')).toBe(252);
  });

  it("reads a type's next page while it stores the current one", async () => {
    // Each page's associations, history and rows are stored in turn; reading the next page
    // meanwhile keeps HubSpot's budget in use instead of waiting for one call after another.
    const events: string[] = [];
    const traced = tracedGateway((p) => ({
      listPage: async (type, request) => {
        if (type === 'contacts') events.push(`list ${request.after ?? 'first'}`);
        return p.listPage(type, request);
      },
      associationPairs: async (from, to, ids) => {
        if (from !== 'contacts') return p.associationPairs(from, to, ids);
        events.push(`associations ${ids[0]} start`);
        const out = await p.associationPairs(from, to, ids);
        events.push(`associations ${ids[0]} end`);
        return out;
      },
    }));
    expect((await runFirstLoad({ ...deps, crm: traced }, PORTAL)).records.contacts).toBe(252);
    const lists = events.filter((e) => e.startsWith('list'));
    expect(lists).toHaveLength(3); // no page read twice, none past the last
    // the second page was asked for before the first page's associations were read
    expect(events.indexOf(lists[1]!)).toBeLessThan(events.indexOf('associations 1 end'));
    expect(await repo.syncState(PORTAL, 'contacts')).toMatchObject({ state: 'ready', cursor: null, records: 252 });
  });

  it("reads the next page's associations while the current page is written, never while it holds the database", async () => {
    // The first contacts page's write is slow (a busy database): the second page's associations
    // are read meanwhile, so HubSpot's budget is not left unused while pages are written.
    const events: string[] = [];
    let writes = 0;
    const slowFirstWrite = <Q extends Queryable>(q: Q): Q => ({
      ...q,
      query: async (sql: string, params?: readonly SqlParam[]) => {
        if (!sql.trimStart().startsWith('insert into crm_records') || params?.[1] !== 'contacts') return q.query(sql, params);
        const n = ++writes;
        events.push(`write ${n} start`);
        if (n === 1) await new Promise((r) => setTimeout(r, 300));
        const out = await q.query(sql, params);
        events.push(`write ${n} end`);
        return out;
      },
    });
    const slowDb: Database = { ...slowFirstWrite(db), transaction: (fn) => db.transaction((tx) => fn(slowFirstWrite(tx))) };
    const traced = tracedGateway((p) => ({
      associationPairs: async (from, to, ids) => {
        if (from === 'contacts') events.push(`associations ${ids[0]} start`);
        return p.associationPairs(from, to, ids);
      },
    }));
    expect((await runFirstLoad({ ...deps, db: slowDb, crm: traced }, PORTAL)).records.contacts).toBe(252);
    expect(events.indexOf('associations 1098 start')).toBeGreaterThan(-1);
    expect(events.indexOf('associations 1098 start')).toBeLessThan(events.indexOf('write 1 end'));
    // and a page's own associations are read before its write begins
    expect(events.indexOf('associations 1 start')).toBeLessThan(events.indexOf('write 1 start'));
    expect(await repo.countRecords(PORTAL, 'contacts')).toBe(252);
    expect(await repo.syncState(PORTAL, 'contacts')).toMatchObject({ state: 'ready', cursor: null, records: 252 });
  });

  it('analyzes the copy as a load grows it: at the first threshold, then at each doubling, one analyze at a time', async () => {
    let analyzed = 0;
    let finish = () => {};
    const g = growthAnalyzer(
      deps,
      {
        analyze: () => {
          analyzed++;
          return new Promise<void>((r) => (finish = r));
        },
      },
      PORTAL,
      100,
    );
    g.add(60);
    expect(analyzed).toBe(0);
    g.add(60); // 120 stored: the first
    expect(analyzed).toBe(1);
    g.add(100); // 220 ≥ 200, but one is running
    expect(analyzed).toBe(1);
    finish();
    await g.settled();
    g.add(100); // 320 ≥ 200: the next
    expect(analyzed).toBe(2);
    finish();
    await g.settled();
    g.add(50); // 370 < 400
    expect(analyzed).toBe(2);
    g.add(50);
    expect(analyzed).toBe(3);
    finish();
    await g.settled();
  });

  it('says how far it got while loading, and why it stopped when the token is gone', async () => {
    const noToken = createCrmGateway({ basePath: sandbox.url, tokens: { accessToken: async () => null }, limits: FAST });
    const result = await runFirstLoad({ ...deps, crm: noToken }, PORTAL);
    await noToken.close();
    expect(result.ready).toBe(false);
    const { status, freshness } = summarize(await repo.syncStates(PORTAL), clock);
    expect(status.state).toBe('needs-reconnect');
    expect(freshness.syncing).toEqual({ percent: 0 });
  });
});

describe('applying changes', () => {
  beforeEach(async () => {
    await runFirstLoad(deps, PORTAL);
    sandbox.control.resetStats();
  });

  it('re-reads a changed record once, and ignores duplicates, replays and older events', async () => {
    clock = T0 + 60_000;
    await hubspot('PATCH', '/crm/v3/objects/tasks/70', { properties: { hs_task_subject: 'Call Bo back' } });
    const change = { objectType: '0-27', objectId: '70', kind: 'upsert' as const, occurredAt: clock };
    await applyChanges(deps, PORTAL, [change, { ...change }]);
    expect((await subjectOf('tasks', '70'))?.properties.hs_task_subject).toBe('Call Bo back');
    const calls = sandbox.control.stats().totalCalls;
    expect(sandbox.control.stats().byEndpoint['POST /crm/v3/objects/{objectType}/batch/read']).toBe(1);

    // The same event again, and an older one: nothing is read, nothing changes.
    await applyChanges(deps, PORTAL, [change, { ...change, occurredAt: T0 + 1 }]);
    expect(sandbox.control.stats().totalCalls).toBe(calls);
    expect((await subjectOf('tasks', '70'))?.properties.hs_task_subject).toBe('Call Bo back');
  });

  it('applies a record’s events in occurredAt order whatever the arrival order: a late delete does not undo a restore', async () => {
    const del = { objectType: 'tasks', objectId: '71', kind: 'delete' as const, occurredAt: T0 + 10_000 };
    const restore = { objectType: 'tasks', objectId: '71', kind: 'restore' as const, occurredAt: T0 + 20_000 };
    await applyChanges(deps, PORTAL, [restore]);
    await applyChanges(deps, PORTAL, [del]);
    expect((await subjectOf('tasks', '71'))?.archived).toBe(false);
    await applyChanges(deps, PORTAL, [restore, del, { ...del, occurredAt: T0 + 30_000 }]);
    expect(await subjectOf('tasks', '71')).toMatchObject({ archived: true, versionMs: T0 + 30_000 });
    expect((await repo.listRecords(PORTAL, 'tasks')).map((r) => r.id)).not.toContain('71');
  });

  it('a merge tombstones the loser, points it at the winner and moves its associations', async () => {
    await applyChanges(deps, PORTAL, [{ objectType: 'contacts', objectId: '2', kind: 'merge', occurredAt: T0 + 5_000, mergedInto: '1' }]);
    expect(await subjectOf('contacts', '2')).toMatchObject({ archived: true, mergedInto: '1' });
    expect((await repo.associations(PORTAL, 'tasks', ['72'], 'contacts')).get('72')?.map((a) => a.id)).toEqual(['1']);
  });

  it('re-reads announced associations from the side the copy reads them', async () => {
    await hubspot('PUT', '/crm/v4/objects/tasks/71/associations/default/deals/7');
    // HubSpot sends the event for both sides; either is enough.
    await applyChanges(deps, PORTAL, [
      { objectType: 'deals', objectId: '7', kind: 'association', occurredAt: T0 + 1_000, toObjectType: 'tasks', toObjectId: '71' },
    ]);
    expect((await repo.associations(PORTAL, 'tasks', ['71'], 'deals')).get('71')?.map((a) => a.id)).toEqual(['7']);
    await hubspot('DELETE', '/crm/v4/objects/tasks/71/associations/deals/7');
    await applyChanges(deps, PORTAL, [
      {
        objectType: 'tasks',
        objectId: '71',
        kind: 'association',
        occurredAt: T0 + 2_000,
        toObjectType: 'deals',
        toObjectId: '7',
        removed: true,
      },
    ]);
    expect((await repo.associations(PORTAL, 'tasks', ['71'], 'deals')).get('71')).toEqual([]);
  });

  it('skips unknown object types and malformed ids, applying the rest', async () => {
    clock = T0 + 60_000;
    await hubspot('PATCH', '/crm/v3/objects/deals/7', { properties: { dealname: 'Bigger deal' } });
    await applyChanges(deps, PORTAL, [
      { objectType: 'widgets', objectId: '1', kind: 'upsert', occurredAt: clock },
      { objectType: 'deals', objectId: 'abc', kind: 'upsert', occurredAt: clock },
      { objectType: 'deal', objectId: '7', kind: 'upsert', occurredAt: clock },
    ]);
    expect((await subjectOf('deals', '7'))?.properties.dealname).toBe('Bigger deal');
  });
});

describe('polling and reconciliation', () => {
  beforeEach(async () => {
    await runFirstLoad(deps, PORTAL);
  });

  it('a poll finds a change no webhook announced, and moves the high-water mark', async () => {
    clock = T0 + 60_000;
    await hubspot('PATCH', '/crm/v3/objects/contacts/1', { properties: { firstname: 'Bob' } });
    clock = T0 + 90_000;
    const result = await pollPortal(deps, PORTAL);
    expect(result.contacts).toMatchObject({ changed: 1 });
    expect(result.deals).toMatchObject({ changed: 0 }); // seen in the overlap (fixture records changed at T0), not stored again
    expect((await subjectOf('contacts', '1'))?.properties.firstname).toBe('Bob');
    const state = await repo.syncState(PORTAL, 'contacts');
    expect(state).toMatchObject({ highWaterMs: T0 + 60_000, lastPolledAt: new Date(T0 + 90_000), lastChangeSeenAt: new Date(T0 + 60_000) });
    // The overlap re-reads it next time, but does not store it again.
    const again = (await pollPortal(deps, PORTAL)).contacts!;
    expect(again.seen).toBeGreaterThan(0);
    expect(again.changed).toBe(0);
  });

  it('reconciliation reads the owners (with their teams), users and pipelines again: HubSpot sends no webhook for them', async () => {
    await runFirstLoad(deps, PORTAL);
    const owners = await repo.owners(PORTAL);
    expect(owners.length).toBeGreaterThan(0);
    // as if they had changed in HubSpot since the first load
    await repo.replaceOwners(PORTAL, [
      { id: '999', userId: null, email: 'gone@x.example', firstName: 'Gone', lastName: null, archived: false },
    ]);
    await repo.replaceUsers(PORTAL, []);
    await reconcilePortal(deps, PORTAL);
    expect(await repo.owners(PORTAL)).toEqual(owners);
    expect((await repo.users(PORTAL)).length).toBeGreaterThan(0);
  });

  it('reconciliation repairs what neither shows: an engagement re-associated, a deleted record', async () => {
    await hubspot('PUT', '/crm/v4/objects/calls/80/associations/default/companies/11');
    await hubspot('DELETE', '/crm/v3/objects/deals/7');
    clock = T0 + 3_600_000;
    const result = await reconcilePortal(deps, PORTAL);
    expect(result.deals).toEqual({ added: 0, archived: 1, merged: 0 });
    expect((await subjectOf('deals', '7'))?.archived).toBe(true);
    expect((await repo.associations(PORTAL, 'calls', ['80'], 'companies')).get('80')?.map((a) => a.id)).toEqual(['11']);
    expect((await repo.syncState(PORTAL, 'calls'))?.lastReconciledAt).toEqual(new Date(T0 + 3_600_000));
  });

  it('tells the change listener what it repaired (records missing, extra, pairs), as webhooks and polls do; nothing when nothing changed', async () => {
    const told: Record<string, Set<string>> = {};
    const listening: SyncDeps = {
      ...deps,
      onChanged: async (_, touched) => {
        for (const t of touched) for (const id of t.ids) (told[t.objectType] ??= new Set()).add(id);
      },
    };
    clock = T0 + 3_600_000;
    await reconcilePortal(listening, PORTAL);
    expect(told).toEqual({});

    // Other records than the test above's: the sandbox keeps its changes.
    await hubspot('PUT', '/crm/v4/objects/calls/81/associations/default/companies/11');
    await hubspot('DELETE', '/crm/v3/objects/tasks/71');
    const created = (await hubspot('POST', '/crm/v3/objects/contacts', { properties: { firstname: 'New', email: 'new@x.example' } })) as {
      id: string;
    };
    clock = T0 + 7_200_000;
    await reconcilePortal(listening, PORTAL);
    expect(Object.fromEntries(Object.entries(told).map(([t, ids]) => [t, [...ids].sort()]))).toEqual({
      tasks: ['71'], // extra: archived (its pairs stay: health finds its contact through them)
      contacts: [created.id], // missing: stored
      calls: ['81'], // a pair added: both ends
      companies: ['11'],
    });
  });
});
