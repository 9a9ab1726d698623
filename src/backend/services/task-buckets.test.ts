// Task buckets' answers kept by copy version and the user's day (createTaskBuckets).
import { expect, it } from 'vitest';
import { createCopyRepo, type CopyRecord, type Database } from '../storage';
import { describeEachDatabase } from '../storage/testing';
import { createTaskBuckets } from './task-buckets';

const PORTAL = 41;
// 2026-12-04 20:00 in Paris (19:00 UTC)
const NOW = Date.parse('2026-12-04T19:00:00Z');
const HOUR = 3_600_000;

const task = (id: string, subject: string, dueIso: string, version: number): CopyRecord => ({
  id,
  properties: { hs_task_subject: subject, hs_timestamp: dueIso, hs_task_status: 'NOT_STARTED', hubspot_owner_id: '501' },
  ownerId: '501',
  createdAt: new Date(NOW - 48 * HOUR),
  modifiedAt: new Date(NOW - HOUR),
  dueAt: new Date(dueIso),
  pipeline: null,
  stage: null,
  status: 'NOT_STARTED',
  archived: false,
  archivedAt: null,
  mergedInto: null,
  versionMs: version,
});

/** The database, counting the queries that read records. */
function counting(db: Database): { db: Database; reads: () => number } {
  let reads = 0;
  const proxy = new Proxy(db, {
    get(target, prop, receiver) {
      if (prop !== 'query') return Reflect.get(target, prop, receiver) as unknown;
      return (sql: string, params?: Parameters<typeof db.query>[1]) => {
        if (/from crm_records/i.test(sql)) reads++;
        return db.query(sql, params);
      };
    },
  });
  return { db: proxy, reads: () => reads };
}

describeEachDatabase('task buckets, kept by copy version and day', (getDb) => {
  it('answers again without reading the tasks until the copy changes or the day turns where the user is', async () => {
    const copy = createCopyRepo(getDb());
    await copy.replaceOwners(PORTAL, [{ id: '501', userId: 9001, email: null, firstName: 'Ada', lastName: null, archived: false }]);
    await copy.replaceUsers(PORTAL, [{ id: 'u1', userId: 9001, timeZone: 'Europe/Paris' }]);
    await copy.putPortal(PORTAL, { timeZone: 'UTC' }, new Date(NOW));
    // due tomorrow in Paris (2026-12-05 10:00 local)
    await copy.upsertRecords(PORTAL, 'tasks', [task('1', 'Call Bo', '2026-12-05T09:00:00Z', 1)], new Date(NOW));
    const { db, reads } = counting(getDb());
    const buckets = createTaskBuckets(db);
    const ask = async (now: number) => {
      const r = await buckets(PORTAL, { userId: 9001, limit: 10, now });
      return { today: r.buckets.today.tasks.map((t) => t.subject), tomorrow: r.buckets.tomorrow.tasks.map((t) => t.subject) };
    };
    expect(await ask(NOW)).toEqual({ today: [], tomorrow: ['Call Bo'] });
    const first = reads();
    expect(first).toBeGreaterThan(0);
    expect(await ask(NOW + HOUR)).toEqual({ today: [], tomorrow: ['Call Bo'] });
    expect(reads()).toBe(first);

    // a change of the copy is seen at once
    await copy.upsertRecords(PORTAL, 'tasks', [task('1', 'Call Bo back', '2026-12-05T09:00:00Z', 2)], new Date(NOW));
    expect(await ask(NOW + HOUR)).toEqual({ today: [], tomorrow: ['Call Bo back'] });
    expect(reads()).toBeGreaterThan(first);

    // 2026-12-05 00:30 in Paris (23:30 UTC, still the 4th in UTC): tomorrow's task is today's now
    expect(await ask(NOW + 4.5 * HOUR)).toEqual({ today: ['Call Bo back'], tomorrow: [] });
  });
});
