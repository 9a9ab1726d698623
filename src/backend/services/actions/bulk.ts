import { randomUUID } from 'node:crypto';
import type { BulkAction, BulkJobRequest, BulkJobResponse } from '../../contract/api';
import { AppError } from '../../app-error';
import { CrmError } from '../../crm/errors';
import type { PortalCrm } from '../../crm/gateway';
import type { CrmRecord } from '../../crm/types';
import {
  BULK_BATCH_SIZE,
  createActionsRepo,
  createCopyRepo,
  matchingTaskIds,
  type Database,
  type ItemResult,
  type Queryable,
  type StoredJob,
} from '../../storage';
import { archiveThrough, writeThrough } from './write';
import { parseFilters, toTaskFilter, usableView, viewerContext, type Viewer } from './tasks';

// Bulk actions on tasks (CS-ACT-4) as durable jobs: the task list is fixed when the job is created
// (a filter is resolved from the copy then), stored with the job in batches of 100; the runner
// (jobs/bulk-runner.ts) applies one batch per HubSpot call and records its results in one step.

/** At most this many tasks per job (20 batches a minute at background priority: about 25 min). */
export const MAX_JOB_TASKS = 50_000;

/** Properties a bulk edit may not set: identity, system and the ones the other actions own. */
const NOT_EDITABLE = /^(hs_object_id|hs_createdate|hs_lastmodifieddate|hs_task_status|hubspot_owner_id|hs_timestamp_utc)$/;

/** What HubSpot is asked to write for an update action. */
export function updateProperties(action: BulkAction): Record<string, string> | null {
  switch (action.kind) {
    case 'complete':
      return { hs_task_status: 'COMPLETED' };
    case 'reopen':
      return { hs_task_status: 'NOT_STARTED' };
    case 'assign':
      return { hubspot_owner_id: action.ownerId };
    case 'set-property':
      return { [action.property]: action.value ?? '' };
    case 'delete':
      return null;
  }
}

/** Creates a bulk job over the chosen tasks or every task matching a filter now; 400 when nothing matches. */
export async function createBulkJob(db: Database, viewer: Viewer, req: BulkJobRequest, now: number): Promise<StoredJob> {
  const { portalId } = viewer;
  if (req.action.kind === 'delete' && req.confirm !== true) {
    throw new AppError('BAD_REQUEST', 'Deleting tasks needs an explicit confirmation.', [
      { field: 'confirm', issue: 'must be true to delete' },
    ]);
  }
  const copy = createCopyRepo(db);
  if (req.action.kind === 'assign') {
    const { ownerId } = req.action;
    const owners = await copy.owners(portalId);
    if (!owners.some((o) => o.id === ownerId && !o.archived)) {
      throw new AppError('BAD_REQUEST', 'That owner is not an active HubSpot user of this portal.', [
        { field: 'action.ownerId', issue: 'an active owner id' },
      ]);
    }
  }
  if (req.action.kind === 'set-property') {
    const { property } = req.action;
    const defs = await copy.propertyDefinitions<{ name: string; modificationMetadata?: { readOnlyValue?: boolean } }>(portalId, 'tasks');
    const def = defs.find((d) => d.name === property);
    if (NOT_EDITABLE.test(property) || (defs.length > 0 && (!def || def.modificationMetadata?.readOnlyValue))) {
      throw new AppError('BAD_REQUEST', `Tasks have no property "${property}" that can be edited in bulk.`, [
        { field: 'action.property', issue: 'an editable task property' },
      ]);
    }
  }

  let ids: string[];
  if ('ids' in req.selection) {
    // Chosen ids: only tasks the copy knows for this portal (others would be another portal's).
    const known = await copy.getRecords(portalId, 'tasks', req.selection.ids);
    const unknown = req.selection.ids.filter((id) => !known.has(id) || known.get(id)!.archived);
    if (unknown.length) {
      throw new AppError('BAD_REQUEST', `${unknown.length} of the chosen tasks do not exist (any more).`, [
        { field: 'selection.ids', issue: `unknown: ${unknown.slice(0, 20).join(', ')}` },
      ]);
    }
    ids = req.selection.ids;
  } else {
    const saved = req.selection.viewId
      ? parseFilters((await usableView(db, { portalId, userId: viewer.callerUserId ?? viewer.userId }, req.selection.viewId)).filters)
      : {};
    const filters = { ...saved, ...parseFilters(req.selection.filter) };
    const ctx = await viewerContext(db, portalId, viewer.userId);
    ids = await matchingTaskIds(db, portalId, toTaskFilter(filters, { ...ctx, now }));
  }
  if (ids.length === 0)
    throw new AppError('BAD_REQUEST', 'No task matches this selection.', [{ field: 'selection', issue: 'matches no task' }]);
  if (ids.length > MAX_JOB_TASKS) {
    throw new AppError('BAD_REQUEST', `A bulk action takes at most ${MAX_JOB_TASKS} tasks; narrow the filter.`, [
      { field: 'selection', issue: `${ids.length} tasks` },
    ]);
  }
  return createActionsRepo(db).createJob(
    portalId,
    { id: `bj_${randomUUID()}`, createdBy: viewer.callerUserId ?? viewer.userId, action: req.action },
    ids,
    new Date(now),
  );
}

/** A job as the API shows it, with every task's result. */
export async function bulkJobResponse(db: Queryable, job: StoredJob): Promise<BulkJobResponse> {
  const items = await createActionsRepo(db).jobItems(job.portalId, job.id);
  const count = (s: string) => items.filter((i) => i.state === s).length;
  return {
    id: job.id,
    action: job.action as BulkAction,
    status: job.status,
    total: job.total,
    done: job.done,
    failed: job.failed,
    cancelled: count('cancelled'),
    pending: count('pending'),
    cancelRequested: job.cancelRequested,
    error: job.error,
    createdAt: job.createdAt.toISOString(),
    finishedAt: job.finishedAt?.toISOString() ?? null,
    items: items.map((i) => ({ taskId: i.taskId, state: i.state, reason: i.reason })),
  };
}

/** A job its creator (or a manager) may see; 404 otherwise. */
export async function visibleJob(
  db: Queryable,
  viewer: { portalId: number; userId: number; isManager: boolean },
  id: string,
): Promise<StoredJob> {
  const job = await createActionsRepo(db).getJob(viewer.portalId, id);
  if (!job || (job.createdBy !== viewer.userId && !viewer.isManager)) throw new AppError('NOT_FOUND', 'There is no such bulk job.');
  return job;
}

/** Asks a running or queued job to stop before its next batch; 409 when it is already over. */
export async function cancelBulkJob(
  db: Queryable,
  viewer: { portalId: number; userId: number; isManager: boolean },
  id: string,
  now: number,
): Promise<StoredJob> {
  const job = await visibleJob(db, viewer, id);
  if (job.status !== 'queued' && job.status !== 'running') throw new AppError('CONFLICT', `This bulk job is already ${job.status}.`);
  return (await createActionsRepo(db).requestCancel(viewer.portalId, id, new Date(now)))!;
}

/** The outcome of one batch: per-task results, or `retry` when HubSpot could not take it now. */
export type BatchOutcome = { results: ItemResult[]; written: { updated: CrmRecord[]; archived: string[] } } | { retry: CrmError };

const reasonOf = (err: CrmError): string =>
  err.kind === 'forbidden' ? 'Tiller is missing a HubSpot permission to change this task.' : `HubSpot refused the change: ${err.message}`;

/** Applies one batch (≤ 100 tasks) to HubSpot; the caller records the outcome. */
export async function applyBatch(crm: PortalCrm, action: BulkAction, taskIds: string[]): Promise<BatchOutcome> {
  if (taskIds.length > BULK_BATCH_SIZE) throw new RangeError('a batch holds at most 100 tasks');
  try {
    const properties = updateProperties(action);
    if (properties === null) {
      await crm.batchArchive('tasks', taskIds);
      return { results: taskIds.map((taskId) => ({ taskId, state: 'done' })), written: { updated: [], archived: taskIds } };
    }
    const res = await crm.batchUpdate(
      'tasks',
      taskIds.map((id) => ({ id, properties })),
    );
    const missing = new Set(res.missing);
    const updated = new Set(res.results.map((r) => r.id));
    const results: ItemResult[] = taskIds.map((taskId) =>
      updated.has(taskId)
        ? { taskId, state: 'done' }
        : {
            taskId,
            state: 'failed',
            reason: missing.has(taskId) ? 'This task no longer exists in HubSpot.' : 'HubSpot did not confirm this change.',
          },
    );
    return { results, written: { updated: res.results, archived: [] } };
  } catch (err) {
    if (!(err instanceof CrmError)) throw err;
    if (err.retryable || err.kind === 'deadline' || err.kind === 'unauthorized') return { retry: err };
    // HubSpot refused the whole batch (a bad value, a missing permission): every task fails with its reason.
    return {
      results: taskIds.map((taskId) => ({ taskId, state: 'failed', reason: reasonOf(err) })),
      written: { updated: [], archived: [] },
    };
  }
}

/**
 * The tasks of a batch HubSpot already shows as the action leaves them (a batch sent before a
 * crash, whose answer was lost): read fresh, they count as done and are not sent again. Deleted
 * tasks: those HubSpot no longer returns.
 */
export async function alreadyApplied(
  crm: PortalCrm,
  action: BulkAction,
  taskIds: string[],
): Promise<{ applied: ItemResult[]; written: { updated: CrmRecord[]; archived: string[] } } | { retry: CrmError }> {
  const properties = updateProperties(action);
  try {
    const read = await crm.batchRead('tasks', taskIds, Object.keys(properties ?? { hs_task_status: '' }), undefined, { fresh: true });
    if (properties === null) {
      const gone = taskIds.filter((id) => !read.has(id));
      return { applied: gone.map((taskId) => ({ taskId, state: 'done' })), written: { updated: [], archived: gone } };
    }
    const same = [...read.values()].filter((r) => Object.entries(properties).every(([k, v]) => (r.properties[k] ?? '') === v));
    return { applied: same.map((r) => ({ taskId: r.id, state: 'done' })), written: { updated: same, archived: [] } };
  } catch (err) {
    if (err instanceof CrmError) return { retry: err };
    throw err;
  }
}

/** Records a batch's results and writes what changed into the copy, in one transaction. */
export async function recordBatch(
  tx: Queryable,
  job: { portalId: number; id: string },
  batch: number,
  outcome: Exclude<BatchOutcome, { retry: CrmError }>,
  now: number,
): Promise<void> {
  await createActionsRepo(tx).recordBatch(job.portalId, job.id, batch, outcome.results, new Date(now));
  await writeThrough(tx, job.portalId, outcome.written.updated, now);
  if (outcome.written.archived.length) await archiveThrough(tx, job.portalId, outcome.written.archived, now);
}
