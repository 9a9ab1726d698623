import { LRUCache } from 'lru-cache';
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
import { dateIn } from '../engines/schedule';

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
export async function getTaskBuckets(db: Queryable, portalId: number, input: TaskBucketsInput): Promise<TaskBucketsResponse & Freshness> {
  const repo = createCopyRepo(db);
  const [freshness, answer] = await Promise.all([freshnessOf(repo, portalId, input.now), computeBuckets(repo, portalId, input)]);
  return withFreshness(answer, freshness);
}

export type TaskBucketsInput = { userId: number; limit: number; now: number; record?: RecordScope; withAssociations?: boolean };

/** What the copy answers, before the freshness of the moment is added. */
type Computed = { timeZone: string; buckets: TaskBucketsResponse['buckets']; warnings: string[] };

function withFreshness(c: Computed, freshness: Freshness): TaskBucketsResponse & Freshness {
  const response: TaskBucketsResponse & Freshness = { timeZone: c.timeZone, buckets: c.buckets, ...freshness };
  if (c.warnings.length) Object.assign(response, { partial: true, warnings: c.warnings });
  return response;
}

/** Answers kept by the cache (all portals and users). */
const CACHED_ANSWERS = 5_000;

/**
 * getTaskBuckets with its answers kept by portal, user, scope and copy version: the copy's version
 * moves on every write to it (records, owners, users, the portal's time zone, a type's state), so an
 * answer is reused only while the copy is unchanged, on any instance; and only on the same day where
 * the user is, since a day's turn moves tasks from "tomorrow" to "today" to "overdue". A hit costs
 * two queries (the version, the freshness) instead of six.
 */
export function createTaskBuckets(db: Queryable) {
  const repo = createCopyRepo(db);
  const answers = new LRUCache<string, { version: number; day: string; computed: Computed }>({ max: CACHED_ANSWERS });
  return async (portalId: number, input: TaskBucketsInput): Promise<TaskBucketsResponse & Freshness> => {
    const key = JSON.stringify([portalId, input.userId, input.limit, input.record ?? null, input.withAssociations !== false]);
    const [version, freshness] = await Promise.all([repo.copyVersion(portalId), freshnessOf(repo, portalId, input.now)]);
    const hit = answers.get(key);
    if (hit && hit.version === version && hit.day === dateIn(input.now, hit.computed.timeZone))
      return withFreshness(hit.computed, freshness);
    const computed = await computeBuckets(repo, portalId, input);
    answers.set(key, { version, day: dateIn(input.now, computed.timeZone), computed });
    return withFreshness(computed, freshness);
  };
}

async function computeBuckets(repo: CopyRepo, portalId: number, input: TaskBucketsInput): Promise<Computed> {
  const { userId, limit, now, record } = input;
  const tz = await copyTimeZone(repo, portalId, userId);
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
      const why = !(await repo.syncState(portalId, 'tasks'))?.loadStartedAt
        ? 'Tiller is still copying this portal from HubSpot; your tasks appear as soon as they are loaded.'
        : 'You are not a HubSpot owner in this portal, so no tasks can be assigned to you.';
      return { timeZone: tz.timeZone, buckets: emptyBuckets(), warnings: [...warnings, why] };
    }
    rows = await repo.listRecords(portalId, 'tasks', { ...due, ownerId: owner.id });
  }
  const buckets = bucketTasks({ tasks: rows.map((r) => toTaskInput(toCrmRecord(r))), timeZone: tz.timeZone, now, limit });

  // The records the listed tasks are about, labelled.
  const listed = BUCKETS.flatMap((b) => buckets[b].tasks.map((t) => t.id));
  const refs = input.withAssociations !== false ? await associatedRefs(repo, portalId, listed) : new Map<string, ObjectRef[]>();

  return {
    timeZone: tz.timeZone,
    warnings,
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
  };
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
