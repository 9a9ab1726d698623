// Task writes and bulk jobs end to end: the app over a copy first-loaded from the sandbox, writes
// through the gateway to the sandbox and straight into the copy; jobs in batches of 100, per-task
// results, a restart on the same database, cancel. On PGlite and PostgreSQL.
import { pino } from 'pino';
import request from 'supertest';
import { afterAll, beforeEach, expect, it } from 'vitest';
import type { Express } from 'express';
import { startSandbox, type Sandbox } from '@tiller/hubspot-sandbox';
import { T0, testFixture } from '@tiller/hubspot-sandbox/test-fixture';
import type { ActionsTasksResponse, BulkJobResponse, CreateTaskResponse } from '../../contract/api';
import { createCrmGateway, type CrmGateway } from '../../crm/gateway';
import { createBulkRunner, type BulkRunner, type BulkRunnerOptions } from '../../jobs/bulk-runner';
import { createActionsRepo } from '../../storage';
import { describeEachDatabase, truncateAll } from '../../storage/testing';
import { runFirstLoad } from '../../sync/first-load';
import { proxiedRequest, type ProxyCall } from '../../../../tests/helpers/hubspot-proxy';
import { TEST_PUBLIC_BASE_URL as PUBLIC, TEST_SECRET as SECRET, testApp } from '../../../../tests/helpers/test-app';

const PORTAL = 123456;
const REP = 9001; // owner 501, Pacific/Auckland: 01:00 on 2026-11-23 at T0
const REP2 = 9002; // owner 502
const MANAGER = 9009;
const FAST = { general: { burst: 100, refillEveryMs: 5 }, search: { perWindow: 50, windowMs: 100 } };
const BATCH_UPDATE = 'POST /crm/v3/objects/{objectType}/batch/update';
const log = pino({ level: 'silent' });

// 250 more open tasks of the rep, due on the 24th: three batches for a job over all of them.
const bulkTasks = Array.from({ length: 250 }, (_, i) => ({
  id: String(1000 + i),
  properties: {
    hs_task_subject: `Bulk ${i}`,
    hs_timestamp: '2026-11-24T03:00:00Z',
    hs_task_status: 'NOT_STARTED',
    hs_task_type: 'TODO',
    hubspot_owner_id: '501',
  },
}));

let sandbox: Sandbox | undefined;
let crm: CrmGateway;

/** A fresh sandbox portal per test: the tests change its tasks. */
async function freshSandbox(): Promise<void> {
  await sandbox?.close();
  const base = testFixture();
  sandbox = await startSandbox({
    port: 0,
    fixtures: [{ ...base, objects: { ...base.objects, tasks: [...(base.objects?.tasks ?? []), ...bulkTasks] } }],
    now: () => T0,
    rateLimit: { tenSecondly: 1_000_000, searchPerSecond: 1_000_000 },
  });
}

afterAll(async () => {
  await crm?.close();
  await sandbox?.close();
});

/** Every task's subject in the sandbox, paged as HubSpot pages its list endpoint. */
async function hubspotTaskSubjects(): Promise<string[]> {
  const subjects: string[] = [];
  let after: string | undefined;
  do {
    const res = await fetch(`${sandbox!.url}/crm/v3/objects/tasks?limit=100&properties=hs_task_subject${after ? `&after=${after}` : ''}`, {
      headers: { authorization: 'Bearer test-token' },
    });
    const page = (await res.json()) as { results: { properties: { hs_task_subject?: string } }[]; paging?: { next?: { after: string } } };
    subjects.push(...page.results.map((r) => r.properties.hs_task_subject ?? ''));
    after = page.paging?.next?.after;
  } while (after);
  return subjects;
}

async function hubspotTask(id: string): Promise<Record<string, string | null> | null> {
  const res = await fetch(
    `${sandbox!.url}/crm/v3/objects/tasks/${id}?properties=hs_task_status,hubspot_owner_id,hs_task_subject,hs_timestamp,hs_task_priority`,
    {
      headers: { authorization: 'Bearer test-token' },
    },
  );
  if (res.status === 404) return null;
  return ((await res.json()) as { properties: Record<string, string | null> }).properties;
}

describeEachDatabase('actions API (writes and bulk jobs)', (getDb) => {
  let app: Express;
  let runner: BulkRunner;
  const runners: BulkRunner[] = [];
  const newRunner = (extra: Partial<BulkRunnerOptions> = {}) => {
    const r = createBulkRunner({ db: getDb(), crm, logger: log, now: () => T0, retryAfterMs: 0, ...extra });
    runners.push(r);
    return r;
  };
  const buildApp = (bulkRunner: BulkRunner) =>
    testApp({ crm, db: getDb(), installed: [PORTAL], managers: [MANAGER], now: () => T0, bulkRunner, logger: log });
  const call = (c: ProxyCall) => {
    const r = proxiedRequest(PUBLIC, SECRET, { portalId: PORTAL, userId: REP, timestamp: T0, ...c });
    const req = request(app)[r.method.toLowerCase() as 'get' | 'post'](r.pathAndQuery).set(r.headers);
    return r.body ? req.send(r.body) : req;
  };
  const list = async (query: Record<string, string>) => {
    const res = await call({ path: '/api/v1/actions/tasks', query });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as ActionsTasksResponse;
  };
  const job = async (id: string, userId = REP) => (await call({ path: `/api/v1/actions/jobs/${id}`, userId })).body as BulkJobResponse;
  const startJob = async (body: unknown) => {
    const res = await call({ method: 'POST', path: '/api/v1/actions/jobs', body });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    return res.body as BulkJobResponse;
  };
  const batchUpdates = () => sandbox!.control.stats().byEndpoint[BATCH_UPDATE] ?? 0;

  beforeEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop()));
    await truncateAll(getDb());
    await freshSandbox();
    await crm?.close();
    crm = createCrmGateway({
      basePath: sandbox!.url,
      tokens: { accessToken: async (id) => (id === PORTAL ? 'test-token' : null) },
      limits: FAST,
    });
    // The copy as the sync leaves it after a first load of the sandbox portal.
    const loaded = await runFirstLoad({ db: getDb(), crm, logger: log, now: () => T0 }, PORTAL);
    expect(loaded.ready).toBe(true);
    runner = newRunner();
    app = buildApp(runner);
    sandbox!.control.resetStats();
  }, 60_000);

  it("creates a task due at a time of the rep's day, writes it through to the copy, and the next read shows it", async () => {
    // the list read first is kept (by copy version): the write-through must move past it
    const before = await list({ view: 'due-today' });
    expect(before.tasks.map((t) => t.subject)).not.toContain('Call Bo back');
    const res = await call({
      method: 'POST',
      path: '/api/v1/actions/tasks',
      body: {
        subject: 'Call Bo back',
        dueDate: '2026-11-23',
        dueTime: '09:30',
        priority: 'HIGH',
        type: 'CALL',
        associatedRecord: { objectType: 'contacts', objectId: '1' },
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const { task, dataAsOf } = res.body as CreateTaskResponse;
    // 09:30 in Auckland (UTC+13 in November) is 20:30 UTC the day before.
    expect(task).toMatchObject({
      subject: 'Call Bo back',
      dueAt: '2026-11-22T20:30:00.000Z',
      priority: 'HIGH',
      type: 'CALL',
      ownerId: '501',
      status: 'NOT_STARTED',
    });
    expect(task.associations).toEqual([{ objectType: 'contacts', objectId: '1', label: 'Bo Client' }]);
    expect(dataAsOf).toEqual(expect.any(String));
    expect(await hubspotTask(task.id)).toMatchObject({
      hs_task_subject: 'Call Bo back',
      hs_timestamp: '2026-11-22T20:30:00.000Z',
      hubspot_owner_id: '501',
    });

    sandbox!.control.resetStats();
    const today = await list({ view: 'due-today' });
    expect(today.tasks.map((t) => t.id)).toContain(task.id);
    expect(sandbox!.control.stats().totalCalls).toBe(0);
  });

  it('refuses what cannot be a task: an impossible date, an unknown owner, a record HubSpot does not have', async () => {
    const post = (body: unknown) => call({ method: 'POST', path: '/api/v1/actions/tasks', body });
    expect((await post({ subject: 'x', dueDate: '2026-02-30' })).status).toBe(400);
    expect((await post({ subject: 'x', dueDate: '2026-11-30', dueTime: '25:00' })).status).toBe(400);
    expect((await post({ subject: '', dueDate: '2026-11-30' })).status).toBe(400);
    expect((await post({ subject: 'x', dueDate: '2026-11-30', ownerId: '999' })).status).toBe(400);
    const missing = await post({ subject: 'x', dueDate: '2026-11-30', associatedRecord: { objectType: 'contacts', objectId: '424242' } });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(/^HubSpot refused the task/);
  });

  it('creates the task after HubSpot answers 429 once', async () => {
    sandbox!.control.failNext(1, '429');
    const res = await call({ method: 'POST', path: '/api/v1/actions/tasks', body: { subject: 'After a 429', dueDate: '2026-11-30' } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  });

  it('does not repeat a create whose answer HubSpot lost: one task made, and the user is told to check before retrying', async () => {
    sandbox!.control.failNext(1, '500-after');
    const res = await call({ method: 'POST', path: '/api/v1/actions/tasks', body: { subject: 'Answer lost', dueDate: '2026-11-30' } });
    expect(res.status).toBe(502);
    expect(res.body.error.message).toMatch(/did not confirm the task was created/);
    expect(await hubspotTaskSubjects()).toContain('Answer lost');
    expect((await hubspotTaskSubjects()).filter((s) => s === 'Answer lost')).toHaveLength(1);
  });

  it('completes one task in place (the Tasks card): HubSpot and the copy at once; an unknown task is 404', async () => {
    expect((await list({ view: 'completed' })).tasks.map((t) => t.id)).not.toContain('70');
    const res = await call({ method: 'POST', path: '/api/v1/actions/tasks/70/complete' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect((res.body as CreateTaskResponse).task).toMatchObject({ id: '70', status: 'COMPLETED', subject: 'Call Bo' });
    expect((await hubspotTask('70'))?.hs_task_status).toBe('COMPLETED');
    sandbox!.control.resetStats();
    expect((await list({ view: 'completed' })).tasks.map((t) => t.id)).toContain('70');
    expect(sandbox!.control.stats().totalCalls).toBe(0);
    const missing = await call({ method: 'POST', path: '/api/v1/actions/tasks/5555/complete' });
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe('This task no longer exists in HubSpot.');
  });

  it('completes chosen tasks in a job: per-task results, HubSpot and the copy changed', async () => {
    const started = await startJob({ action: { kind: 'complete' }, selection: { ids: ['70', '71', '1000'] } });
    expect(started).toMatchObject({ status: 'queued', total: 3 });
    await runner.idle();
    const done = await job(started.id);
    expect(done).toMatchObject({ status: 'done', total: 3, done: 3, failed: 0, pending: 0 });
    expect(done.items.every((i) => i.state === 'done')).toBe(true);
    expect((await hubspotTask('71'))?.hs_task_status).toBe('COMPLETED');
    const completed = await list({ view: 'completed' });
    expect(completed.tasks.map((t) => t.id).sort()).toEqual(['1000', '70', '71']);
  });

  it('reports a task HubSpot no longer has as failed with the reason, the others done', async () => {
    await fetch(`${sandbox!.url}/crm/v3/objects/tasks/71`, { method: 'DELETE', headers: { authorization: 'Bearer test-token' } });
    const started = await startJob({ action: { kind: 'assign', ownerId: '502' }, selection: { ids: ['70', '71'] } });
    await runner.idle();
    const result = await job(started.id);
    expect(result).toMatchObject({ status: 'done', done: 1, failed: 1 });
    expect(result.items).toEqual([
      { taskId: '70', state: 'done', reason: null },
      { taskId: '71', state: 'failed', reason: 'This task no longer exists in HubSpot.' },
    ]);
    expect((await hubspotTask('70'))?.hubspot_owner_id).toBe('502');
  });

  it("a value HubSpot refuses fails every task of its batch with HubSpot's reason", async () => {
    const started = await startJob({
      action: { kind: 'set-property', property: 'hs_task_priority', value: 'URGENT' },
      selection: { ids: ['70', '1000'] },
    });
    await runner.idle();
    const result = await job(started.id);
    expect(result).toMatchObject({ status: 'done', done: 0, failed: 2 });
    expect(result.items[0]!.reason).toMatch(/^HubSpot refused the change: .*URGENT/);
  });

  it('acts on every task matching a filter, beyond any page, in batches of 100', async () => {
    const started = await startJob({
      action: { kind: 'set-property', property: 'hs_task_priority', value: 'LOW' },
      selection: { filter: { dueFrom: '2026-11-24', dueTo: '2026-11-24' } },
    });
    expect(started.total).toBe(250);
    await runner.idle();
    expect(await job(started.id)).toMatchObject({ status: 'done', done: 250, failed: 0 });
    expect(batchUpdates()).toBe(3);
    expect((await hubspotTask('1249'))?.hs_task_priority).toBe('LOW');
  });

  it('survives a restart: a new runner on the same database finishes the job, applying no batch twice', async () => {
    // The first instance (one batch at a time) stops after its first batch (as a shutdown would).
    const first: BulkRunner = newRunner({ lanes: 1, onBatch: () => void first.stop() });
    app = buildApp(first);
    const started = await startJob({ action: { kind: 'complete' }, selection: { filter: { dueFrom: '2026-11-24', dueTo: '2026-11-24' } } });
    await first.idle();
    const halfway = await job(started.id);
    expect(halfway).toMatchObject({ status: 'running', done: 100, pending: 150 });
    expect(batchUpdates()).toBe(1);

    const second = newRunner();
    second.start(); // finds the unfinished job by itself
    for (let i = 0; i < 200 && (await job(started.id)).status !== 'done'; i++) await new Promise((r) => setTimeout(r, 25));
    await second.idle();
    const finished = await job(started.id);
    expect(finished).toMatchObject({ status: 'done', done: 250, failed: 0, pending: 0 });
    expect(batchUpdates()).toBe(3);
  });

  it('after a crash during a batch’s call, reads the batch back and sends only what HubSpot did not apply: every task changed once', async () => {
    // An instance that never runs the job: the test plays its crash.
    const idle: BulkRunner = { start() {}, stop: async () => {}, kick: async () => 'busy', idle: async () => {} };
    app = buildApp(idle);
    const started = await startJob({ action: { kind: 'complete' }, selection: { filter: { dueFrom: '2026-11-24', dueTo: '2026-11-24' } } });
    const repo = createActionsRepo(getDb());
    const first = (await repo.nextBatch(PORTAL, started.id))!;
    expect(first.sent).toBe(false);
    // The batch was marked sent, HubSpot applied 60 of its 100 tasks' call… and the process died before recording it.
    await repo.markSent(PORTAL, started.id, first.batch, new Date(T0));
    const res = await fetch(`${sandbox!.url}/crm/v3/objects/tasks/batch/update`, {
      method: 'POST',
      headers: { authorization: 'Bearer test-token', 'content-type': 'application/json' },
      body: JSON.stringify({ inputs: first.taskIds.slice(0, 60).map((id) => ({ id, properties: { hs_task_status: 'COMPLETED' } })) }),
    });
    expect(res.status).toBe(200);

    const restarted = newRunner();
    expect(await restarted.kick(PORTAL, started.id)).toBe('done');
    expect(await job(started.id)).toMatchObject({ status: 'done', done: 250, failed: 0, pending: 0 });
    const counts = Object.values(sandbox!.control.stats().batchUpdated);
    expect(counts).toHaveLength(250);
    expect(counts.every((n) => n === 1)).toBe(true);
  });

  it('cancels a running job before its next batch: the rest are marked cancelled, not applied', async () => {
    let jobId = '';
    const slow = newRunner({
      lanes: 1,
      onBatch: async () => {
        const res = await call({ method: 'POST', path: `/api/v1/actions/jobs/${jobId}/cancel` });
        expect(res.status).toBe(202);
        expect((res.body as BulkJobResponse).cancelRequested).toBe(true);
      },
    });
    app = buildApp(slow);
    // The job is created while no runner may take it, then the slow runner runs it.
    const paused = newRunner();
    await paused.stop();
    app = buildApp(paused);
    jobId = (await startJob({ action: { kind: 'reopen' }, selection: { filter: { dueFrom: '2026-11-24', dueTo: '2026-11-24' } } })).id;
    app = buildApp(slow);
    await slow.kick(PORTAL, jobId);
    const cancelled = await job(jobId);
    expect(cancelled).toMatchObject({ status: 'cancelled', done: 100, cancelled: 150, pending: 0 });
    expect(batchUpdates()).toBe(1);
    expect((await call({ method: 'POST', path: `/api/v1/actions/jobs/${jobId}/cancel` })).status).toBe(409);
  });

  it('deletes only after confirmation, and deleted tasks leave HubSpot and the list', async () => {
    const unconfirmed = await call({
      method: 'POST',
      path: '/api/v1/actions/jobs',
      body: { action: { kind: 'delete' }, selection: { ids: ['1000'] } },
    });
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.body.error.details[0].field).toBe('confirm');
    const started = await startJob({ action: { kind: 'delete' }, selection: { ids: ['1000', '1001'] }, confirm: true });
    await runner.idle();
    expect(await job(started.id)).toMatchObject({ status: 'done', done: 2 });
    expect(await hubspotTask('1000')).toBeNull();
    const remaining = await list({ view: 'due-tomorrow', limit: '100' });
    expect(remaining.tasks.map((t) => t.id)).not.toContain('1000');
  });

  it('shows a job to its creator and managers only; refuses unknown tasks and owners', async () => {
    const started = await startJob({ action: { kind: 'complete' }, selection: { ids: ['70'] } });
    await runner.idle();
    expect((await call({ path: `/api/v1/actions/jobs/${started.id}`, userId: REP2 })).status).toBe(404);
    expect((await call({ path: `/api/v1/actions/jobs/${started.id}`, userId: MANAGER })).status).toBe(200);
    expect((await call({ path: `/api/v1/actions/jobs/${started.id}`, portalId: 424242 })).status).toBe(403);
    const unknown = await call({
      method: 'POST',
      path: '/api/v1/actions/jobs',
      body: { action: { kind: 'complete' }, selection: { ids: ['70', '5555'] } },
    });
    expect(unknown.status).toBe(400);
    const badOwner = await call({
      method: 'POST',
      path: '/api/v1/actions/jobs',
      body: { action: { kind: 'assign', ownerId: '999' }, selection: { ids: ['70'] } },
    });
    expect(badOwner.status).toBe(400);
  });
});
