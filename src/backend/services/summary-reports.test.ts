import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCopyRepo, createDatabase, type CopyRecord, type Database } from '../storage';
import { SYNC_OBJECTS } from '../sync/objects';
import { summaryReportsService } from './summary-reports';

const NOW = Date.parse('2026-12-04T12:00:00Z');
const P = 7;
let db: Database;

const task = (id: string, doneAt: string): CopyRecord => ({
  id,
  properties: { hubspot_owner_id: '501', hs_task_status: 'COMPLETED', hs_task_completion_date: doneAt },
  ownerId: '501',
  createdAt: new Date(NOW - 30 * 86_400_000),
  modifiedAt: new Date(doneAt),
  dueAt: new Date(doneAt),
  pipeline: null,
  stage: null,
  status: 'COMPLETED',
  archived: false,
  archivedAt: null,
  mergedInto: null,
  versionMs: 1,
});

beforeAll(async () => {
  db = await createDatabase({});
  const copy = createCopyRepo(db);
  const at = new Date(NOW - 86_400_000);
  await copy.replaceOwners(P, [{ id: '501', userId: 1, email: null, firstName: 'Ada', lastName: null, archived: false }]);
  await copy.replaceUsers(P, [{ id: 'u1', userId: 1, timeZone: 'UTC' }]);
  for (const o of SYNC_OBJECTS) await copy.putSyncState(P, o.objectType, { state: 'ready', loadStartedAt: at, loadedAt: at }, at);
  await copy.upsertRecords(P, 'tasks', [task('1', '2026-12-01T10:00:00Z')], at);
}, 60_000);

afterAll(async () => {
  await db?.close();
});

describe('summary reports service', () => {
  it('serves a computed report for a minute, then computes it again from the copy', async () => {
    let clock = NOW;
    const service = summaryReportsService({
      db,
      now: () => clock,
      healthSummary: async () => {
        throw new Error('not read by this report');
      },
    });
    const v = { portalId: P, userId: 1, viewAsUserId: 1 };
    const thisWeek = async () => (await service.compute({} as never, v, ['tasks-completed-per-week'])).reports[0]!.rows.at(-1);
    expect(await thisWeek()).toEqual({ week: '2026-11-30', tasks: 1 });
    await createCopyRepo(db).upsertRecords(P, 'tasks', [task('2', '2026-12-03T10:00:00Z')], new Date(NOW));
    clock = NOW + 59_000;
    expect(await thisWeek()).toEqual({ week: '2026-11-30', tasks: 1 });
    clock = NOW + 61_000;
    expect(await thisWeek()).toEqual({ week: '2026-11-30', tasks: 2 });
  });
});
