// End to end: signed HubSpot-style calls → backend → @hubspot/api-client → sandbox (a fixture),
// for the task buckets (CS-SUM-2, SW-1, CARD-3) in two reps' time zones at the same instant.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrmGateway, type CrmGateway } from '../../src/backend/crm/gateway';
import type { Fixture } from '@tiller/hubspot-sandbox/fixture';
import { startSandbox, type Sandbox } from '@tiller/hubspot-sandbox';
import { createDatabase, type Database } from '../../src/backend/storage';
import { loadCopy } from '../helpers/copy';
import { proxiedRequest } from '../helpers/hubspot-proxy';
import { TEST_PUBLIC_BASE_URL as PUBLIC, TEST_SECRET as SECRET, testApp } from '../helpers/test-app';

// 2026-11-22 20:00 UTC: 09:00 on Monday the 23rd in Auckland (UTC+13), 12:00 on Sunday the 22nd in Los Angeles (UTC-8).
const NOW = Date.parse('2026-11-22T20:00:00Z');
const UNLIMITED = { tenSecondly: 1_000_000, searchPerSecond: 1_000_000 };

const task = (id: string, due: string, extra: Record<string, string> = {}) => ({
  id,
  properties: {
    hs_task_subject: `Task ${id}`,
    hs_timestamp: due,
    hs_task_status: 'NOT_STARTED',
    hs_task_priority: 'MEDIUM',
    hs_task_type: 'CALL',
    hubspot_owner_id: '501',
    ...extra,
  },
});

const fixture: Fixture = {
  portal: { id: 777, timeZone: 'Europe/Paris', domain: 'acme.example', accessToken: 'e2e-token' },
  users: [
    { id: '9001', email: 'aroha@acme.example', firstName: 'Aroha', lastName: 'Ngata', superAdmin: false, timeZone: 'Pacific/Auckland' },
    { id: '9002', email: 'maya@acme.example', firstName: 'Maya', lastName: 'Chen', superAdmin: false, timeZone: 'America/Los_Angeles' },
  ],
  owners: [
    { id: '501', userId: 9001, email: 'aroha@acme.example', firstName: 'Aroha', lastName: 'Ngata' },
    { id: '502', userId: 9002, email: 'maya@acme.example', firstName: 'Maya', lastName: 'Chen' },
  ],
  objects: {
    contacts: [{ id: '1', properties: { firstname: 'Bo', lastname: 'Client', email: 'bo@client.example' } }],
    tasks: [
      task('101', '2026-11-22T09:00:00Z'), // Auckland: 22:00 on the 22nd → overdue; LA: 01:00 on the 22nd → today
      task('102', '2026-11-23T05:00:00Z'), // Auckland: 18:00 on the 23rd → today; LA: 21:00 on the 22nd → today
      task('103', '2026-11-23T10:00:00Z'), // Auckland: 23:00 on the 23rd → today; LA: 02:00 on the 23rd → tomorrow
      task('104', '2026-11-23T12:00:00Z'), // Auckland: 01:00 on the 24th → tomorrow; LA: 04:00 on the 23rd → tomorrow
      task('105', '2026-11-24T12:00:00Z'), // Auckland: 01:00 on the 25th → none; LA: 04:00 on the 24th → none
      task('106', '2026-11-20T09:00:00Z', { hs_task_status: 'COMPLETED' }), // completed: never
      task('107', '2026-11-23T00:00:00Z', { hs_task_is_all_day: 'true' }), // all-day on the 23rd: Auckland today, LA tomorrow
    ],
  },
  associations: ['101', '102', '103', '104', '105', '106', '107'].map((t) => ({ from: `tasks/${t}`, to: 'contacts/1' })),
} as Fixture;

let sandbox: Sandbox;
let crm: CrmGateway;
let db: Database;
let app: ReturnType<typeof testApp>;

beforeAll(async () => {
  // The sandbox's rate limits run on its clock, frozen here: unbounded, or the first load's searches would wait forever.
  sandbox = await startSandbox({ port: 0, fixtures: [fixture], now: () => NOW, rateLimit: UNLIMITED });
  crm = createCrmGateway({ basePath: sandbox.url, tokens: { accessToken: async (id) => (id === 777 ? 'e2e-token' : null) } });
  db = await createDatabase({});
  await loadCopy({ db, crm, portalId: 777, now: () => NOW });
  app = testApp({ crm, db, installed: [777], now: () => NOW, exposeMetering: true });
});

afterAll(async () => {
  await crm.close();
  await db.close();
  await sandbox.close();
});

function get(path: string, userId: number, query: Record<string, string> = {}) {
  const r = proxiedRequest(PUBLIC, SECRET, { path, portalId: 777, userId, query, timestamp: NOW });
  return request(app).get(r.pathAndQuery).set(r.headers);
}

const ids = (bucket: { tasks: { id: string }[] }) => bucket.tasks.map((t) => t.id);

describe("the same record's tasks at the same instant (Tasks card, CARD-3)", () => {
  it('a rep in Pacific/Auckland gets her own day', async () => {
    const res = await get('/api/v1/tasks/buckets', 9001, { objectType: 'contacts', objectId: '1' });
    expect(res.status).toBe(200);
    expect(res.body.timeZone).toBe('Pacific/Auckland');
    expect(ids(res.body.buckets.overdue)).toEqual(['101']);
    expect(ids(res.body.buckets.today)).toEqual(['107', '102', '103']);
    expect(ids(res.body.buckets.tomorrow)).toEqual(['104']);
  });

  it('a rep in America/Los_Angeles gets different, correct buckets', async () => {
    const res = await get('/api/v1/tasks/buckets', 9002, { objectType: 'contacts', objectId: '1' });
    expect(res.status).toBe(200);
    expect(res.body.timeZone).toBe('America/Los_Angeles');
    expect(res.body.buckets.overdue.count).toBe(0);
    expect(ids(res.body.buckets.today)).toEqual(['101', '102']);
    expect(ids(res.body.buckets.tomorrow)).toEqual(['107', '103', '104']);
  });
});

describe('my buckets (SW-1, CS-SUM-2)', () => {
  it("returns the owner's open tasks with labelled associations, from the copy: no HubSpot call", async () => {
    const res = await get('/api/v1/tasks/buckets', 9001, { limit: '2' });
    expect(res.status).toBe(200);
    expect(res.body.buckets.today).toEqual({
      count: 3,
      tasks: [
        expect.objectContaining({ id: '107', associations: [{ objectType: 'contacts', objectId: '1', label: 'Bo Client' }] }),
        expect.objectContaining({
          id: '102',
          dueAt: '2026-11-23T05:00:00.000Z',
          status: 'NOT_STARTED',
          priority: 'MEDIUM',
          type: 'CALL',
          ownerId: '501',
        }),
      ],
    });
    expect(res.headers['x-tiller-hubspot-calls']).toBe('0');
    expect(res.body.dataAsOf).toBe(new Date(NOW).toISOString());
    expect(res.body.syncing).toBeUndefined();
  });

  it('a rep who owns nothing gets empty buckets', async () => {
    const res = await get('/api/v1/tasks/buckets', 9002);
    expect(res.status).toBe(200);
    expect(res.body.buckets).toEqual({
      overdue: { count: 0, tasks: [] },
      today: { count: 0, tasks: [] },
      tomorrow: { count: 0, tasks: [] },
    });
  });

  it('counts exactly past one page (more than 200 open tasks)', async () => {
    const many: Fixture = {
      ...fixture,
      portal: { ...fixture.portal, id: 778, accessToken: 'many' },
      objects: {
        tasks: Array.from({ length: 450 }, (_, i) => task(String(1000 + i), new Date(NOW - (i + 1) * 3_600_000 * 6).toISOString())) // all overdue
          .concat([task('5001', '2026-11-23T02:00:00Z'), task('5002', '2026-11-23T12:00:00Z')]),
      },
      associations: [],
    } as Fixture;
    const sb = await startSandbox({ port: 0, fixtures: [many], now: () => NOW, rateLimit: UNLIMITED });
    const gw = createCrmGateway({ basePath: sb.url, tokens: { accessToken: async () => 'many' } });
    const a = testApp({ crm: gw, db, installed: 'all', now: () => NOW });
    try {
      await loadCopy({ db, crm: gw, portalId: 778, now: () => NOW });
      const r = proxiedRequest(PUBLIC, SECRET, { path: '/api/v1/tasks/buckets', portalId: 778, userId: 9001, timestamp: NOW });
      const res = await request(a).get(r.pathAndQuery).set(r.headers);
      expect(res.status).toBe(200);
      // The task due NOW-6h is at 03:00 on the 23rd in Auckland (today); the other 449 are overdue.
      expect(res.body.buckets.overdue.count).toBe(449);
      expect(res.body.buckets.today.count).toBe(2);
      expect(res.body.buckets.tomorrow.count).toBe(1);
      expect(ids(res.body.buckets.overdue)[0]).toBe('1449'); // oldest due first
    } finally {
      await gw.close();
      await sb.close();
    }
  });
});
