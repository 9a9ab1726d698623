import type { Freshness, ObjectRef, TaskBucketsResponse } from '../contract/api';
import { AppError } from '../app-error';
import type { CrmRecord } from '../crm/types';
import { readBoolean, readDatetime } from '../crm/values';
import { BUCKETS, bucketTasks, searchUpperBound, type TaskInput } from '../engines/task-buckets';
import { createCopyRepo, type CopyRepo, type Queryable } from '../storage';
import { toCrmRecord } from '../sync/records';
import { freshnessOf } from '../sync/status';
import { recordLabel } from './record-labels';
import { copyTimeZone } from './time-zone';

export const TASK_PROPERTIES = [
  'hs_task_subject',
  'hs_timestamp',
  'hs_task_status',
  'hs_task_priority',
  'hs_task_type',
  'hubspot_owner_id',
  'hs_task_is_all_day',
];

/** Objects whose records can scope the buckets (the Tasks card). */
export const RECORD_SCOPES = { contacts: 'contact', companies: 'company', deals: 'deal', tickets: 'ticket' } as const;
export type RecordScope = { objectType: keyof typeof RECORD_SCOPES; objectId: string };

const TASK_ASSOCIATION_TYPES = ['contacts', 'companies', 'deals'];

export function toTaskInput(r: CrmRecord): TaskInput {
  const p = r.properties;
  return {
    id: r.id,
    subject: p.hs_task_subject || '(no subject)',
    dueAt: readDatetime(p.hs_timestamp),
    allDay: readBoolean(p.hs_task_is_all_day) ?? false,
    status: p.hs_task_status || 'NOT_STARTED',
    priority: p.hs_task_priority || 'NONE',
    type: p.hs_task_type || 'TODO',
    ownerId: p.hubspot_owner_id || null,
    associations: [],
  };
}

/**
 * The viewing user's open tasks that are overdue, due today or due tomorrow, in the user's time zone
 * (api.md), from the portal copy: no HubSpot call. With `record`, the open tasks associated with
 * that record instead, whoever owns them.
 */
export async function getTaskBuckets(
  db: Queryable,
  portalId: number,
  input: { userId: number; limit: number; now: number; record?: RecordScope; withAssociations?: boolean },
): Promise<TaskBucketsResponse & Freshness> {
  const { userId, limit, now, record } = input;
  const repo = createCopyRepo(db);
  const [freshness, tz] = await Promise.all([freshnessOf(repo, portalId, now), copyTimeZone(repo, portalId, userId)]);
  const warnings = [...tz.warnings];

  // Open tasks due before the end of tomorrow anywhere on Earth, oldest first.
  const due = { statusNot: 'COMPLETED', dueBefore: new Date(searchUpperBound(now)), orderBy: 'due_at' as const };
  let rows;
  if (record) {
    rows = await repo.listRecords(portalId, 'tasks', { ...due, associatedWith: { objectType: record.objectType, id: record.objectId } });
  } else {
    const owner = (await repo.owners(portalId)).find((o) => o.userId === userId && !o.archived);
    if (!owner) {
      // Before the owners are copied, nobody is an owner yet: say so rather than "not an owner".
      const why =
        freshness.syncing && !(await repo.syncState(portalId, 'tasks'))?.loadStartedAt
          ? 'Tiller is still copying this portal from HubSpot; your tasks appear as soon as they are loaded.'
          : 'You are not a HubSpot owner in this portal, so no tasks can be assigned to you.';
      return { timeZone: tz.timeZone, buckets: emptyBuckets(), warnings: [...warnings, why], ...freshness };
    }
    rows = await repo.listRecords(portalId, 'tasks', { ...due, ownerId: owner.id });
  }
  const buckets = bucketTasks({ tasks: rows.map((r) => toTaskInput(toCrmRecord(r))), timeZone: tz.timeZone, now, limit });

  // The records the listed tasks are about, labelled.
  const listed = BUCKETS.flatMap((b) => buckets[b].tasks.map((t) => t.id));
  const refs = input.withAssociations !== false ? await associatedRefs(repo, portalId, listed) : new Map<string, ObjectRef[]>();

  const response: TaskBucketsResponse & Freshness = {
    timeZone: tz.timeZone,
    buckets: Object.fromEntries(
      BUCKETS.map((b) => [
        b,
        {
          count: buckets[b].count,
          tasks: buckets[b].tasks.map((t) => ({
            id: t.id,
            subject: t.subject,
            dueAt: new Date(t.dueAt).toISOString(),
            status: t.status,
            priority: t.priority,
            type: t.type,
            ownerId: t.ownerId,
            associations: refs.get(t.id) ?? [],
          })),
        },
      ]),
    ) as TaskBucketsResponse['buckets'],
    ...freshness,
  };
  if (warnings.length) Object.assign(response, { partial: true, warnings });
  return response;
}

/** The contacts, companies and deals each task is about, labelled, from the copy (one query). */
async function associatedRefs(repo: CopyRepo, portalId: number, ids: string[]): Promise<Map<string, ObjectRef[]>> {
  const out = new Map<string, ObjectRef[]>(ids.map((id) => [id, []]));
  for (const a of await repo.associatedRecords(portalId, 'tasks', ids, TASK_ASSOCIATION_TYPES)) {
    const label = recordLabel(a.toType, { id: a.toId, properties: a.properties, createdAt: '', updatedAt: '' });
    out.get(a.id)?.push({ objectType: a.toType, objectId: a.toId, label });
  }
  return out;
}

function emptyBuckets(): TaskBucketsResponse['buckets'] {
  return { overdue: { count: 0, tasks: [] }, today: { count: 0, tasks: [] }, tomorrow: { count: 0, tasks: [] } };
}

export function assertRecordScope(objectType: string | undefined, objectId: string | undefined): RecordScope | undefined {
  if (objectType === undefined && objectId === undefined) return undefined;
  if (!objectType || !objectId || !Object.hasOwn(RECORD_SCOPES, objectType) || !/^\d+$/.test(objectId)) {
    throw new AppError(
      'BAD_REQUEST',
      'objectType and objectId go together: objectType is one of contacts, companies, deals, tickets and objectId is a record id.',
      [
        { field: 'objectType', issue: `one of ${Object.keys(RECORD_SCOPES).join(', ')}` },
        { field: 'objectId', issue: 'digits only' },
      ],
    );
  }
  return { objectType: objectType as RecordScope['objectType'], objectId };
}
