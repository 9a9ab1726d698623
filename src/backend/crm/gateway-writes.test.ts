// The gateway's task writes over real HTTP against the sandbox: create, batch update, batch archive,
// HubSpot's refusals as typed errors, retries on injected 429/500, and cached reads dropped.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '@tiller/hubspot-sandbox';
import { testFixture } from '@tiller/hubspot-sandbox/test-fixture';
import { CrmError } from './errors';
import { createCrmGateway, type CrmGateway } from './gateway';

let sandbox: Sandbox;
let crm: CrmGateway;
let sleeps: number[];
const PORTAL = 123456;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, fixtures: [testFixture()] });
});
afterAll(async () => {
  await crm?.close();
  await sandbox.close();
});
beforeEach(() => {
  sleeps = [];
  crm = createCrmGateway({
    basePath: sandbox.url,
    tokens: { accessToken: async () => 'test-token' },
    sleep: async (ms) => void sleeps.push(ms),
  });
  sandbox.control.resetStats();
});

const TASK = ['hs_task_subject', 'hs_task_status', 'hs_task_priority', 'hs_timestamp', 'hubspot_owner_id'];

describe('createRecord', () => {
  it('creates a task with its association and returns it in our types', async () => {
    const portal = crm.portal(PORTAL);
    const created = await portal.createRecord('tasks', {
      properties: {
        hs_task_subject: 'Follow up',
        hs_timestamp: '2026-11-23T14:00:00.000Z',
        hs_task_priority: 'HIGH',
        hs_task_status: 'NOT_STARTED',
        hubspot_owner_id: '501',
      },
      associations: [{ toId: '1', typeId: 204 }],
    });
    expect(created.id).toMatch(/^\d+$/);
    expect(created.properties).toMatchObject({ hs_task_subject: 'Follow up', hs_task_priority: 'HIGH' });
    expect((await portal.getRecord('tasks', created.id, TASK))?.properties.hs_task_subject).toBe('Follow up');
    expect(await portal.associations('tasks', 'contacts', [created.id])).toEqual(new Map([[created.id, ['1']]]));
  });

  // The sandbox refuses what HubSpot refuses (hubspot-crm-data.md §1.2 enumerations; §1.1 ISO/epoch dates).
  it.each([
    ['an unknown property', { hs_task_subject: 'x', hs_timestamp: '2026-11-23T14:00:00Z', no_such_property: '1' }],
    ['a priority outside its options', { hs_task_subject: 'x', hs_timestamp: '2026-11-23T14:00:00Z', hs_task_priority: 'URGENT' }],
    ['a due date that is not a date', { hs_task_subject: 'x', hs_timestamp: 'next tuesday' }],
  ])('refuses %s as a bad-request CrmError, creating nothing', async (_name, properties) => {
    const portal = crm.portal(PORTAL);
    const before = (await portal.listPage('tasks', { properties: [] })).results.length;
    const err = await portal.createRecord('tasks', { properties }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CrmError);
    expect((err as CrmError).kind).toBe('bad-request');
    expect((await portal.listPage('tasks', { properties: [] })).results.length).toBe(before);
  });
});

describe('batchUpdate', () => {
  it('updates up to 100 tasks in one call and lists the ids HubSpot does not know (207)', async () => {
    const portal = crm.portal(PORTAL);
    const res = await portal.batchUpdate(
      'tasks',
      ['70', '71', '999999'].map((id) => ({ id, properties: { hs_task_status: 'COMPLETED' } })),
    );
    expect(res.results.map((r) => r.id).sort()).toEqual(['70', '71']);
    expect(res.missing).toEqual(['999999']);
    expect(sandbox.control.stats().totalCalls).toBe(1);
    const read = await portal.batchRead('tasks', ['70', '71'], TASK, [], { fresh: true });
    expect([...read.values()].map((r) => r.properties.hs_task_status)).toEqual(['COMPLETED', 'COMPLETED']);
    await portal.batchUpdate(
      'tasks',
      ['70', '71'].map((id) => ({ id, properties: { hs_task_status: 'NOT_STARTED' } })),
    );
  });

  it('refuses a bad option for the whole batch as a bad-request CrmError', async () => {
    const err = await crm
      .portal(PORTAL)
      .batchUpdate('tasks', [{ id: '70', properties: { hs_task_priority: 'URGENT' } }])
      .catch((e: unknown) => e);
    expect((err as CrmError).kind).toBe('bad-request');
  });

  it.each([['500' as const], ['429' as const]])('retries after an injected %s and succeeds', async (kind) => {
    sandbox.control.failNext(1, kind);
    const res = await crm.portal(PORTAL).batchUpdate('tasks', [{ id: '71', properties: { hs_task_priority: 'HIGH' } }]);
    expect(res.results.map((r) => r.id)).toEqual(['71']);
    expect(sleeps).toHaveLength(1);
    expect(sandbox.control.stats().totalCalls).toBe(2);
  });

  it('drops the cached reads of tasks, so the next search sees the change', async () => {
    const portal = crm.portal(PORTAL);
    const search = () =>
      portal.search('tasks', {
        filterGroups: [{ filters: [{ propertyName: 'hs_object_id', operator: 'EQ', value: '70' }] }],
        properties: TASK,
      });
    const before = await search();
    expect(await search()).toBe(before); // cached
    await portal.batchUpdate('tasks', [{ id: '70', properties: { hs_task_subject: 'Call Bo again' } }]);
    const after = await search();
    expect(after).not.toBe(before);
    expect(after.results[0]?.properties.hs_task_subject).toBe('Call Bo again');
  });

  it('takes at most 100 records per call', async () => {
    const inputs = Array.from({ length: 101 }, (_, i) => ({ id: String(i + 1), properties: {} }));
    await expect(crm.portal(PORTAL).batchUpdate('tasks', inputs)).rejects.toThrow(RangeError);
  });
});

describe('batchArchive', () => {
  it('archives tasks in one call (after an injected 500) and they are gone', async () => {
    const portal = crm.portal(PORTAL);
    const created = await portal.createRecord('tasks', { properties: { hs_task_subject: 'Temp', hs_timestamp: '2026-11-23T14:00:00Z' } });
    sandbox.control.resetStats();
    sandbox.control.failNext(1, '500');
    await portal.batchArchive('tasks', [created.id]);
    expect(sandbox.control.stats().totalCalls).toBe(2);
    expect(await portal.getRecord('tasks', created.id, TASK)).toBeNull();
  });
});

// A create is not idempotent: when HubSpot did the work but its answer was lost (a 502 after the
// write), repeating the call would make a second task. Reads and batch updates are still retried.
describe('a create whose answer is lost', () => {
  it('is not repeated, so exactly one task exists, and the error says it may have landed', async () => {
    const portal = crm.portal(PORTAL);
    const before = (await portal.listPage('tasks', { properties: [] })).results.length;
    sandbox.control.resetStats();
    sandbox.control.failNext(1, '500-after');
    const err = await portal
      .createRecord('tasks', { properties: { hs_task_subject: 'Once', hs_timestamp: '2026-11-23T14:00:00Z' } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CrmError);
    expect((err as CrmError).kind).toBe('server');
    expect((err as CrmError).message).toMatch(/may have applied it/);
    expect(sandbox.control.stats().totalCalls).toBe(1);
    expect((await portal.listPage('tasks', { properties: [] })).results.length).toBe(before + 1);
  });

  it('is not repeated after a plain 500 either: a 5xx cannot be told apart from a lost answer', async () => {
    const portal = crm.portal(PORTAL);
    sandbox.control.resetStats();
    sandbox.control.failNext(1, '500');
    await expect(
      portal.createRecord('tasks', { properties: { hs_task_subject: 'x', hs_timestamp: '2026-11-23T14:00:00Z' } }),
    ).rejects.toThrow(/not repeated/);
    expect(sandbox.control.stats().totalCalls).toBe(1);
  });

  it('is retried after a 429, which HubSpot answers before doing anything', async () => {
    const portal = crm.portal(PORTAL);
    sandbox.control.resetStats();
    sandbox.control.failNext(1, '429');
    const created = await portal.createRecord('tasks', {
      properties: { hs_task_subject: 'After 429', hs_timestamp: '2026-11-23T14:00:00Z' },
    });
    expect(created.properties.hs_task_subject).toBe('After 429');
    expect(sandbox.control.stats().totalCalls).toBe(2);
  });
});
