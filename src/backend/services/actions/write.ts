import type { CreateTaskRequest, CreateTaskResponse } from '../../contract/api';
import { AppError } from '../../app-error';
import { CrmError } from '../../crm/errors';
import type { PortalCrm } from '../../crm/gateway';
import type { CrmRecord } from '../../crm/types';
import { localDueInstant } from '../../engines/task-views';
import { createCopyRepo, type Database, type Queryable } from '../../storage';
import { freshnessOf } from '../../sync/status';
import { toCopyRecord } from '../../sync/records';
import { fromCrmError } from '../crm-errors';
import { taskAssociations, toActionsTask, viewerContext, type Viewer } from './tasks';

// Task writes go to HubSpot through the gateway, then straight into the portal copy (write-through),
// so the next read of the Actions tab shows them without waiting for the sync's poll.

/** Task → record association type ids (HUBSPOT_DEFINED, hubspot-crm-data.md §1.7). */
export const TASK_ASSOCIATION_TYPE_IDS = { contacts: 204, companies: 192, deals: 216 } as const;

/**
 * Stores what HubSpot answered for written records: each answer's properties over the copy's row
 * (HubSpot returns only the properties written), typed columns recomputed.
 */
export async function writeThrough(db: Queryable, portalId: number, records: CrmRecord[], now: number): Promise<void> {
  if (records.length === 0) return;
  const copy = createCopyRepo(db);
  const existing = await copy.getRecords(
    portalId,
    'tasks',
    records.map((r) => r.id),
  );
  const rows = records.map((r) => {
    const before = existing.get(r.id);
    const merged: CrmRecord = { ...r, properties: { ...(before?.properties ?? {}), ...r.properties } };
    return toCopyRecord('tasks', merged, before ? before.versionMs : undefined);
  });
  await copy.upsertRecords(portalId, 'tasks', rows, new Date(now));
}

/** Removes archived tasks from what the copy lists (tombstones, as the sync does). */
export async function archiveThrough(db: Queryable, portalId: number, ids: string[], now: number): Promise<void> {
  const copy = createCopyRepo(db);
  // HubSpot just archived them: newer than anything the copy holds, whatever the clocks say.
  const version = Math.max(now, ...(await copy.versions(portalId, 'tasks', ids)).values());
  await copy.archiveRecords(portalId, 'tasks', ids, new Date(now), version);
}

/** Creates a task for the viewer (CS-ACT-2): due date and time read in their zone. */
export async function createTask(
  db: Database,
  crm: PortalCrm,
  viewer: Viewer,
  req: CreateTaskRequest,
  now: number,
): Promise<CreateTaskResponse> {
  const ctx = await viewerContext(db, viewer.portalId, viewer.userId);
  const due = localDueInstant(req.dueDate, req.dueTime, ctx.timeZone);
  if (due === null) {
    throw new AppError('BAD_REQUEST', 'The due date or time is not a real date or time.', [
      { field: 'dueDate', issue: 'a real date (and dueTime HH:mm)' },
    ]);
  }
  const ownerId = req.ownerId ?? ctx.ownerId;
  if (req.ownerId) {
    const owners = await createCopyRepo(db).owners(viewer.portalId);
    if (!owners.some((o) => o.id === req.ownerId && !o.archived)) {
      throw new AppError('BAD_REQUEST', 'That owner is not an active HubSpot user of this portal.', [
        { field: 'ownerId', issue: 'an active owner id' },
      ]);
    }
  }
  const properties: Record<string, string> = {
    hs_task_subject: req.subject,
    hs_timestamp: new Date(due).toISOString(),
    hs_task_status: 'NOT_STARTED',
    hs_task_priority: req.priority ?? 'NONE',
    hs_task_type: req.type ?? 'TODO',
  };
  if (ownerId) properties.hubspot_owner_id = ownerId;
  if (req.notes) properties.hs_task_body = req.notes;
  const assoc = req.associatedRecord;

  let created: CrmRecord;
  try {
    created = await crm.createRecord('tasks', {
      properties,
      associations: assoc ? [{ toId: assoc.objectId, typeId: TASK_ASSOCIATION_TYPE_IDS[assoc.objectType] }] : [],
    });
  } catch (err) {
    if (err instanceof CrmError && (err.kind === 'bad-request' || err.kind === 'not-found')) {
      throw new AppError('BAD_REQUEST', `HubSpot refused the task: ${err.message}`);
    }
    if (err instanceof CrmError && (err.kind === 'server' || err.kind === 'timeout' || err.kind === 'network')) {
      // Not repeated by the gateway (a second task would be made): the copy's poll shows it if it landed.
      throw new AppError(
        'HUBSPOT_FAILED',
        'HubSpot did not confirm the task was created, and it may have been: it shows in your tasks within a minute if so. Check there before creating it again.',
      );
    }
    throw fromCrmError(err);
  }

  // Write-through: the task and its association, so the next list shows both.
  const at = new Date(now);
  await writeThrough(db, viewer.portalId, [created], now);
  if (assoc) {
    await createCopyRepo(db).upsertAssociations(
      viewer.portalId,
      [
        {
          fromType: 'tasks',
          fromId: created.id,
          toType: assoc.objectType,
          toId: assoc.objectId,
          typeIds: [TASK_ASSOCIATION_TYPE_IDS[assoc.objectType]],
          labels: [],
        },
      ],
      at,
    );
  }
  const [row] = [...(await createCopyRepo(db).getRecords(viewer.portalId, 'tasks', [created.id])).values()];
  const refs = await taskAssociations(db, viewer.portalId, [created.id]);
  const freshness = await freshnessOf(createCopyRepo(db), viewer.portalId, now);
  if (!row) throw new AppError('INTERNAL', 'The task was created in HubSpot but could not be stored.');
  return { task: toActionsTask(row, refs.get(created.id)), ...freshness };
}

/** Completes one task in place (CARD-3): HubSpot first, then the copy; 404 when HubSpot has no such task. */
export async function completeTask(db: Database, crm: PortalCrm, viewer: Viewer, taskId: string, now: number): Promise<CreateTaskResponse> {
  let res: Awaited<ReturnType<PortalCrm['batchUpdate']>>;
  try {
    res = await crm.batchUpdate('tasks', [{ id: taskId, properties: { hs_task_status: 'COMPLETED' } }]);
  } catch (err) {
    if (err instanceof CrmError && err.kind === 'bad-request')
      throw new AppError('BAD_REQUEST', `HubSpot refused the change: ${err.message}`);
    throw fromCrmError(err);
  }
  const updated = res.results.find((r) => r.id === taskId);
  if (!updated) throw new AppError('NOT_FOUND', 'This task no longer exists in HubSpot.');
  await writeThrough(db, viewer.portalId, [updated], now);
  const row = (await createCopyRepo(db).getRecords(viewer.portalId, 'tasks', [taskId])).get(taskId);
  const refs = await taskAssociations(db, viewer.portalId, [taskId]);
  const freshness = await freshnessOf(createCopyRepo(db), viewer.portalId, now);
  const task = row
    ? toActionsTask(row, refs.get(taskId))
    : toActionsTask({
        id: taskId,
        properties: updated.properties,
        ownerId: updated.properties.hubspot_owner_id ?? null,
        dueAt: null,
        status: 'COMPLETED',
        modifiedAt: null,
      });
  return { task, ...freshness };
}
