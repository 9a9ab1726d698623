import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCopyRepo, createDatabase, type Database } from '../storage';
import { toCopyRecord } from '../sync/records';
import { CrmError } from '../crm/errors';
import { proxiedRequest, type ProxyCall } from '../../../tests/helpers/hubspot-proxy';
import { stubCrm, stubRecord } from '../../../tests/helpers/stub-crm';
import { TEST_PUBLIC_BASE_URL as PUBLIC, TEST_SECRET as SECRET, testApp } from '../../../tests/helpers/test-app';

const NOW = Date.parse('2026-11-22T10:00:00Z');

const record = stubRecord;

let db: Database;
beforeAll(async () => {
  db = await createDatabase({});
  await seedCopy(db);
});

/** Portal 123's copy as a first load would leave it: the tasks the stub's search returned, their contact, owners, users. */
async function seedCopy(database: Database): Promise<void> {
  const repo = createCopyRepo(database);
  const at = new Date(NOW - 60_000);
  const crm = stubCrm().portal(123);
  const search = await crm.search('tasks', { filterGroups: [], properties: [] });
  await repo.upsertRecords(
    123,
    'tasks',
    search.results.map((r) => toCopyRecord('tasks', r)),
    at,
  );
  await repo.upsertRecords(123, 'contacts', [toCopyRecord('contacts', record('1', { firstname: 'Bo', lastname: 'Client' }))], at);
  await repo.upsertAssociations(123, [{ fromType: 'tasks', fromId: '70', toType: 'contacts', toId: '1', typeIds: [204], labels: [] }], at);
  await repo.replaceOwners(123, await crm.owners());
  await repo.replaceUsers(123, await crm.users());
  await repo.putPortal(123, { timeZone: 'America/New_York' }, at);
  for (const type of ['tasks', 'contacts']) {
    await repo.putSyncState(
      123,
      type,
      { state: 'ready', records: 1, loadStartedAt: at, loadedAt: at, lastPolledAt: new Date(NOW - 5_000) },
      at,
    );
  }
}
afterAll(async () => {
  await db.close();
});

function makeApp(crm = stubCrm()) {
  return testApp({ crm, db, installed: [123, UNCOPIED], managers: [9999], now: () => NOW });
}

/** An installed portal whose copy holds nothing yet: the routes that read the owners ask HubSpot. */
const UNCOPIED = 125;

/** That portal's HubSpot, failing to list the owners with `err`. */
const ownersFail = (err: Error) =>
  stubCrm(
    {
      owners: async () => {
        throw err;
      },
    },
    UNCOPIED,
  );

function send(app: ReturnType<typeof makeApp>, call: ProxyCall, tamper?: (r: ReturnType<typeof proxiedRequest>) => void) {
  const r = proxiedRequest(PUBLIC, SECRET, { portalId: 123, userId: 9001, timestamp: NOW, ...call });
  tamper?.(r);
  const req = request(app)[r.method.toLowerCase() as 'get'](r.pathAndQuery).set(r.headers);
  return r.body ? req.send(r.body) : req;
}

describe('GET /healthz', () => {
  it('answers without a signature', async () => {
    const res = await request(makeApp()).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });
});

describe('signature v3 on /api (api.md "Every request under /api/")', () => {
  it('rejects an unsigned request with 401 and the error body', async () => {
    const res = await request(makeApp()).get('/api/v1/tasks/buckets?portalId=123&userId=9001');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: { code: 'UNAUTHENTICATED', message: expect.any(String) } });
  });

  it.each([
    [
      'tampered (another user in the query)',
      (r: ReturnType<typeof proxiedRequest>) => {
        r.pathAndQuery = r.pathAndQuery.replace('userId=9001', 'userId=9002');
      },
    ],
    [
      'stale (6 minutes old)',
      (r: ReturnType<typeof proxiedRequest>) => {
        r.headers['X-HubSpot-Request-Timestamp'] = String(NOW - 6 * 60_000);
      },
    ],
  ])('rejects a %s request with 401', async (_name, tamper) => {
    const res = await send(makeApp(), { path: '/api/v1/tasks/buckets' }, tamper);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('rejects requests signed 6 minutes in the past or future', async () => {
    for (const timestamp of [NOW - 6 * 60_000, NOW + 6 * 60_000]) {
      const res = await send(makeApp(), { path: '/api/v1/tasks/buckets', timestamp });
      expect(res.status).toBe(401);
    }
  });

  it('rejects a body changed after signing', async () => {
    const res = await send(makeApp(), { method: 'POST', path: '/api/v1/tasks/buckets', body: { a: 1 } }, (r) => {
      r.body = JSON.stringify({ a: 2 });
    });
    expect(res.status).toBe(401);
  });

  it('refuses a portal that has not installed the app with 403', async () => {
    const res = await send(makeApp(), { path: '/api/v1/tasks/buckets', portalId: 456 });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('NOT_INSTALLED');
  });

  it('lets only managers view as another user', async () => {
    const denied = await send(makeApp(), { path: '/api/v1/tasks/buckets', query: { asUserId: '9002' } });
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('FORBIDDEN');
    const allowed = await send(makeApp(), { path: '/api/v1/tasks/buckets', userId: 9999, query: { asUserId: '9001' } });
    expect(allowed.status).toBe(200);
  });

  it('answers an unknown endpoint with a JSON 404, never HTML', async () => {
    const res = await send(makeApp(), { path: '/api/v1/nothing-here' });
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/json/);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });
});

describe('GET /api/v1/tasks/buckets', () => {
  it('returns the user buckets in the user time zone with labelled associations', async () => {
    const res = await send(makeApp(), { path: '/api/v1/tasks/buckets', query: { limit: '5' } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      timeZone: 'Europe/Paris',
      buckets: {
        overdue: { count: 1, tasks: [expect.objectContaining({ id: '71', status: 'WAITING', priority: 'NONE' })] },
        today: {
          count: 1,
          tasks: [
            {
              id: '70',
              subject: 'Call Bo',
              dueAt: '2026-11-22T16:00:00.000Z',
              status: 'NOT_STARTED',
              priority: 'HIGH',
              type: 'CALL',
              ownerId: '501',
              associations: [{ objectType: 'contacts', objectId: '1', label: 'Bo Client' }],
            },
          ],
        },
        tomorrow: { count: 0, tasks: [] },
      },
      dataAsOf: new Date(NOW - 5_000).toISOString(),
    });
  });

  it('lists each bad query field with 400', async () => {
    const res = await send(makeApp(), { path: '/api/v1/tasks/buckets', query: { limit: 'lots' } });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'BAD_REQUEST', details: [{ field: 'limit' }] });
  });

  it('rejects a record scope with an unknown object type', async () => {
    const res = await send(makeApp(), { path: '/api/v1/tasks/buckets', query: { objectType: 'widgets', objectId: '1' } });
    expect(res.status).toBe(400);
  });

  it('answers from the portal copy without calling HubSpot', async () => {
    const down = () => {
      throw new CrmError('server', 'HubSpot is down', 503);
    };
    const crm = stubCrm({ owners: down, users: down, account: down, search: down, associations: down, batchRead: down });
    const res = await send(makeApp(crm), { path: '/api/v1/tasks/buckets' });
    expect(res.status).toBe(200);
    expect(res.body.partial).toBeUndefined();
    expect(res.body.buckets.today.tasks[0].associations).toEqual([{ objectType: 'contacts', objectId: '1', label: 'Bo Client' }]);
  });

  it('says how far the copy is loaded while the first load runs, and answers with what it holds', async () => {
    await createCopyRepo(db).putSyncState(123, 'deals', { state: 'loading', records: 1, totalEstimate: 3 }, new Date(NOW));
    try {
      const res = await send(makeApp(), { path: '/api/v1/tasks/buckets' });
      expect(res.status).toBe(200);
      expect(res.body.syncing).toEqual({ percent: 60 }); // 1 + 1 ready of 1 + 1 + 3
      expect(res.body.buckets.today.count).toBe(1);
    } finally {
      await db.query(`delete from sync_state where object_type = 'deals'`);
    }
  });

  it('before the first load has copied anything, says the copy is loading: empty buckets, never a wrong "not an owner"', async () => {
    const app = testApp({ crm: stubCrm(), db, installed: 'all', now: () => NOW });
    const r = proxiedRequest(PUBLIC, SECRET, { path: '/api/v1/tasks/buckets', portalId: 124, userId: 9001, timestamp: NOW });
    const res = await request(app).get(r.pathAndQuery).set(r.headers);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ syncing: { percent: 0 }, dataAsOf: new Date(NOW).toISOString(), buckets: { today: { count: 0 } } });
    expect(res.body.warnings).toEqual([expect.stringContaining('not known yet'), expect.stringContaining('still copying')]);
  });

  it('maps a HubSpot rate limit to 429 and a HubSpot outage to 502 (users, read from HubSpot before the first load)', async () => {
    const limited = await send(makeApp(ownersFail(new CrmError('rate-limited', 'x', 429, 'TEN_SECONDLY_ROLLING'))), {
      path: '/api/v1/users',
      portalId: UNCOPIED,
      userId: 9999,
    });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    const down = await send(makeApp(ownersFail(new CrmError('server', 'x', 503))), {
      path: '/api/v1/users',
      portalId: UNCOPIED,
      userId: 9999,
    });
    expect(down.status).toBe(502);
  });

  it('never leaks an unexpected error: a generic 500 body', async () => {
    const res = await send(makeApp(ownersFail(new TypeError('secret internals'))), {
      path: '/api/v1/users',
      portalId: UNCOPIED,
      userId: 9999,
    });
    expect(res.status).toBe(500);
    expect(JSON.stringify(res.body)).not.toContain('secret internals');
    expect(res.body.error.code).toBe('INTERNAL');
  });
});

describe('GET /api/v1/sync/status', () => {
  it('tells a manager, per object type, how many records the copy holds and how far behind it is', async () => {
    const oneLoaded = {
      records: 1,
      state: 'ready',
      lastChangeSeenAt: null,
      lagSeconds: 5,
      total: null,
      percent: 100,
      etaSeconds: null,
      reloading: false,
    };
    const res = await send(makeApp(), { path: '/api/v1/sync/status', userId: 9999 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      state: 'ready',
      dataAsOf: new Date(NOW - 5_000).toISOString(),
      percent: 100,
      etaSeconds: null,
      objects: { contacts: oneLoaded, tasks: oneLoaded },
    });
  });

  it('refuses anyone else with 403', async () => {
    const res = await send(makeApp(), { path: '/api/v1/sync/status' });
    expect(res.status).toBe(403);
  });
});

/** Portal 123's copy as seedCopy leaves it. */
const FRESHNESS = { dataAsOf: new Date(NOW - 5_000).toISOString() };

describe('GET /api/v1/me', () => {
  it('tells the UI who is looking, their owner id, manager rights and time zone', async () => {
    const res = await send(makeApp(), { path: '/api/v1/me' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      portalId: 123,
      userId: 9001,
      viewAsUserId: 9001,
      ownerId: '501',
      isManager: false,
      timeZone: 'Europe/Paris',
      ...FRESHNESS,
    });
  });
});

describe('GET /api/v1/users', () => {
  it('lists the portal users for a manager', async () => {
    const res = await send(makeApp(), { path: '/api/v1/users', userId: 9999 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ users: [{ userId: 9001, ownerId: '501', name: 'Ada Rep', email: 'ada@acme.example' }], ...FRESHNESS });
  });
  it('refuses anyone else with 403', async () => {
    const res = await send(makeApp(), { path: '/api/v1/users' });
    expect(res.status).toBe(403);
  });
});

describe('GET /api/v1/tasks/buckets?associations=false', () => {
  it('skips the associated records for counts-only callers', async () => {
    const res = await send(makeApp(), { path: '/api/v1/tasks/buckets', query: { associations: 'false' } });
    expect(res.status).toBe(200);
    expect(res.body.buckets.today.count).toBe(1);
    expect(res.body.buckets.today.tasks[0].associations).toEqual([]);
  });
});

describe('HubSpot failures: one translation, in the error handler', () => {
  const fails = (kind: ConstructorParameters<typeof CrmError>[0], status: number) =>
    ownersFail(new CrmError(kind, 'HubSpot said no', status));
  it.each([
    ['rate-limited', 429, 429, 'RATE_LIMITED'],
    ['server', 503, 502, 'HUBSPOT_FAILED'],
    ['timeout', 0, 503, 'UNAVAILABLE'],
    ['unauthorized', 401, 403, 'NOT_INSTALLED'],
    ['not-found', 404, 404, 'NOT_FOUND'],
    // A 4xx HubSpot gave our request will come back on every retry: not a "try again" 502.
    ['bad-request', 400, 500, 'INTERNAL'],
  ] as const)(
    'a %s failure answers %s on every route that reads the owners before the first load',
    async (kind, hubspotStatus, status, code) => {
      const app = makeApp(fails(kind, hubspotStatus));
      // Before the first load has copied the owners (once it has, every route answers from the copy: no HubSpot call to fail).
      for (const path of ['/api/v1/me']) {
        const res = await send(app, { path, portalId: UNCOPIED, userId: 9999 });
        expect({ path, status: res.status, code: res.body.error?.code }).toEqual({ path, status, code });
        if (kind === 'bad-request') expect(res.body.error.message).not.toMatch(/try again\./i);
      }
      const users = await send(app, { path: '/api/v1/users', portalId: UNCOPIED, userId: 9999 });
      expect(users.status).toBe(status);
    },
  );
});
