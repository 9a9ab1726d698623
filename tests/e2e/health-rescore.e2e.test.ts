// End to end, health follows the data (issue 11 item 6): a change made in the sandbox by another
// user (POST /__sandbox/changes) → signed webhooks over real HTTP → POST /webhooks/hubspot → the
// durable queue → applyChanges on the copy → the customers it touches marked dirty → the debounced
// rescoring job → a new score, snapshot and day total, read through the health API. The debounce
// is scaled down (quiet 200 ms, at most 1 s) so the bound checked is seconds, not the minute.
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { pino } from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '@tiller/hubspot-sandbox';
import type { HealthRecordResponse, HealthSummaryResponse } from '../../src/backend/contract/api';
import { createCrmGateway, type CrmGateway } from '../../src/backend/crm/gateway';
import { createHealthScheduler, type HealthScheduler } from '../../src/backend/jobs/health-scheduler';
import { createWebhookWorker, type WebhookWorker } from '../../src/backend/jobs/webhook-worker';
import { markChanged } from '../../src/backend/services/health/runner';
import { createDatabase, type Database } from '../../src/backend/storage';
import { createApplyChanges } from '../../src/backend/sync';
import { loadHealthCopy } from '../helpers/copy';
import { proxiedRequest, type ProxyCall } from '../helpers/hubspot-proxy';
import { TEST_SECRET as SECRET, testApp } from '../helpers/test-app';

const COMPONENT = path.resolve(import.meta.dirname, '../../src/app/webhooks/webhooks-hsmeta.json');
const BOUND_MS = 10_000;

let sb: Sandbox;
let crm: CrmGateway;
let db: Database;
let worker: WebhookWorker;
let scheduler: HealthScheduler;
let server: Server;
let publicBase: string;
let portalId: number;
let manager: number;

function call(c: ProxyCall) {
  const r = proxiedRequest(publicBase, SECRET, { portalId, userId: manager, ...c });
  return request(server)[r.method.toLowerCase() as 'get'](r.pathAndQuery).set(r.headers);
}

async function until<T>(what: string, read: () => Promise<T | undefined>, ms = BOUND_MS): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function sandboxChanges(changes: unknown[]): Promise<{ results: { op: string; id?: string }[] }> {
  const res = await fetch(`${sb.url}/__sandbox/changes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ portalId, changes }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { results: { op: string; id?: string }[] };
}

beforeAll(async () => {
  server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  publicBase = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  sb = await startSandbox({
    port: 0,
    seed: 1,
    size: 'small',
    webhooks: {
      targetUrl: `${publicBase}/webhooks/hubspot`,
      clientSecret: SECRET,
      componentPath: COMPONENT,
      batchWindowMs: 20,
      timeScale: 0.001,
    },
  });
  const portal = sb.portals[0]!;
  portalId = portal.id;
  manager = Number(portal.users.find((u) => u.superAdmin)!.id);
  crm = createCrmGateway({ basePath: sb.url, tokens: { accessToken: async (id) => (id === portalId ? portal.accessToken : null) } });
  db = await createDatabase({});
  const logger = pino({ level: 'silent' });
  await loadHealthCopy({ db, crm, portalId });
  const apply = createApplyChanges({
    db,
    crm,
    logger,
    now: Date.now,
    onChanged: (p, touched) => markChanged(db, p, touched, Date.now()).then(() => {}),
  });
  worker = createWebhookWorker({
    db,
    logger,
    pollMs: 50,
    isInstalled: async (p) => p === portalId,
    onUninstalled: async () => {},
    apply,
  });
  scheduler = createHealthScheduler({
    db,
    crm,
    logger,
    now: Date.now,
    portals: async () => [portalId],
    intervalMinutes: 360,
    backfillDays: 3,
    tickMs: 3_600_000,
    rescoreQuietMs: 200,
    rescoreMaxWaitMs: 1_000,
    rescoreTickMs: 100,
  });
  server.on(
    'request',
    testApp({
      publicBaseUrl: publicBase,
      clientSecret: SECRET,
      crm,
      db,
      installed: [portalId],
      managers: [manager],
      webhooks: worker,
      healthScheduler: scheduler,
      logger,
    }),
  );
  worker.start();
  expect(await scheduler.runDue(portalId)).toBe('ran');
  scheduler.start();
}, 180_000);

afterAll(async () => {
  await scheduler?.stop();
  await worker?.stop();
  await sb?.close();
  server?.closeAllConnections();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await crm?.close();
  await db?.close();
});

type StateRow = { score: number; run_id: string; at: Date };
const stateOf = (id: string) =>
  db.maybeOne<StateRow>(
    "select score, run_id, at from health_record_state where portal_id = $1 and profile_id = 'default' and object_id = $2",
    [portalId, id],
  );

describe('health follows the data', () => {
  it('the first run read the copy: history backfilled (marked), answers carry dataAsOf', async () => {
    const summary = (await call({ path: '/api/v1/health/summary', query: { scope: 'portal' } })).body as HealthSummaryResponse;
    expect(summary.customers).toBe(200);
    expect(summary.syncing).toBeUndefined();
    expect(Date.parse(summary.dataAsOf!)).toBeGreaterThan(Date.now() - 120_000);
    expect(summary.history.filter((h) => h.backfilled)).toHaveLength(3);
    expect(summary.history.at(-1)!.backfilled).toBeUndefined();
    const backfills = await db.one<{ n: number }>('select count(*)::int as n from health_backfills where portal_id = $1', [portalId]);
    expect(backfills.n).toBe(1);
  });

  it("a sentiment change made by another user rescores that customer within the bound, and the day's average follows", async () => {
    const row = await db.one<{ id: string; sentiment: string | null }>(
      `select id::text, properties->>'hs_csm_sentiment' as sentiment from crm_records
        where portal_id = $1 and object_type = 'companies' and properties->>'hs_csm_sentiment' = 'Positive' order by id limit 1`,
      [portalId],
    );
    const before = (await stateOf(row.id))!;
    const t0 = Date.now();
    await sandboxChanges([{ op: 'update', objectType: 'companies', id: row.id, properties: { hs_csm_sentiment: 'Negative' } }]);
    const after = await until('the rescore', async () => {
      const s = await stateOf(row.id);
      return s && s.run_id !== before.run_id ? s : undefined;
    });
    const elapsed = Date.now() - t0;
    expect(after.run_id).toMatch(/^rs-/);
    expect(after.score).toBeLessThan(before.score);
    expect(elapsed).toBeLessThan(BOUND_MS);
    // The card shows the new score and its trend; the history gained the rescore.
    const card = (await call({ path: `/api/v1/health/records/companies/${row.id}` })).body as HealthRecordResponse;
    expect(card.score).toBe(after.score);
    expect(card.previous?.score).toBe(before.score);
    expect(card.dataAsOf).toEqual(expect.any(String));
    const snapshots = await db.query<{ run_id: string }>(
      "select run_id from health_snapshots where portal_id = $1 and profile_id = 'default' and object_id = $2 order by at",
      [portalId, row.id],
    );
    expect(snapshots.map((s) => s.run_id).at(-1)).toBe(after.run_id);
    const total = await db.one<{ n: number }>('select count(*)::int as n from health_run_totals where portal_id = $1 and run_id = $2', [
      portalId,
      after.run_id,
    ]);
    expect(total.n).toBeGreaterThan(0);
    expect(await db.one<{ n: number }>('select count(*)::int as n from health_dirty where portal_id = $1', [portalId])).toEqual({ n: 0 });
  }, 30_000);

  it('a meeting logged on a customer by another user rescores the customers it is associated with', async () => {
    const company = await db.one<{ id: string }>(
      "select id::text from crm_records where portal_id = $1 and object_type = 'companies' order by id desc limit 1",
      [portalId],
    );
    const before = (await stateOf(company.id))!;
    const created = await sandboxChanges([
      { op: 'create', objectType: 'meetings', properties: { hs_timestamp: new Date().toISOString(), hs_meeting_title: 'QBR' } },
    ]);
    const meetingId = created.results[0]!.id!;
    await sandboxChanges([{ op: 'associate', fromType: 'meetings', fromId: meetingId, toType: 'companies', toId: company.id }]);
    const after = await until('the rescore', async () => {
      const s = await stateOf(company.id);
      return s && s.run_id !== before.run_id ? s : undefined;
    });
    expect(after.run_id).toMatch(/^rs-/);
    const input = await db.one<{ input: { engagements?: { type: string; timestamp: number }[] } }>(
      "select input from health_record_state where portal_id = $1 and profile_id = 'default' and object_id = $2",
      [portalId, company.id],
    );
    expect(input.input.engagements?.some((e) => e.type === 'MEETING' && Date.now() - e.timestamp < 120_000)).toBe(true);
  }, 30_000);

  it("a customer archived by another user leaves the health summary's count within the bound, and comes back when restored", async () => {
    const summary = async () => (await call({ path: '/api/v1/health/summary', query: { scope: 'portal' } })).body as HealthSummaryResponse;
    const company = await db.one<{ id: string }>(
      "select id::text from crm_records where portal_id = $1 and object_type = 'companies' order by id limit 1 offset 5",
      [portalId],
    );
    const before = (await summary()).customers;
    // The answer is kept by the health runs it reads: a rescore writes no run, and must still show.
    await sandboxChanges([{ op: 'archive', objectType: 'companies', id: company.id }]);
    await until('the summary without the archived customer', async () => ((await summary()).customers === before - 1 ? true : undefined));
    await sandboxChanges([{ op: 'restore', objectType: 'companies', id: company.id }]);
    await until('the summary with the restored customer', async () => ((await summary()).customers === before ? true : undefined));
  }, 30_000);
});
