import type { ObjectRef, TaskBucketsResponse } from '../contract/api';
import { AppError } from '../app-error';
import type { PortalCrm } from '../crm/gateway';
import type { CrmRecord, Filter, SearchRequest } from '../crm/types';
import { readBoolean, readDatetime } from '../crm/values';
import { BUCKETS, bucketTasks, classifyTask, dayWindow, searchUpperBound, type TaskInput } from '../engines/task-buckets';
import { fromCrmError, warningFor } from './crm-errors';
import { associatedRefs } from './record-labels';
import { resolveTimeZone } from './time-zone';

export const TASK_PROPERTIES = [
  'hs_task_subject', 'hs_timestamp', 'hs_task_status', 'hs_task_priority', 'hs_task_type', 'hubspot_owner_id', 'hs_task_is_all_day',
];

/** Objects whose records can scope the buckets (the Tasks card), with their search pseudo-property. */
export const RECORD_SCOPES = { contacts: 'contact', companies: 'company', deals: 'deal', tickets: 'ticket' } as const;
export type RecordScope = { objectType: keyof typeof RECORD_SCOPES; objectId: string };

const TASK_ASSOCIATION_TYPES = ['contacts', 'companies', 'deals'];
const PAGE = 200;

// Complete answers computed from cached search pages, dropped with the first page (see getTaskBuckets).
const answers = new WeakMap<object, Map<string, TaskBucketsResponse>>();
const serials = new WeakMap<object, number>();
let nextSerial = 0;
function pageSerial(page: object): number {
  let n = serials.get(page);
  if (n === undefined) serials.set(page, (n = ++nextSerial));
  return n;
}

// Search pages come from the gateway's cache as shared objects: map each page's records once.
const mappedPages = new WeakMap<object, TaskInput[]>();
function tasksOf(page: { results: CrmRecord[] }): TaskInput[] {
  let tasks = mappedPages.get(page);
  if (!tasks) mappedPages.set(page, (tasks = page.results.map(toTaskInput)));
  return tasks;
}

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
 * (api.md). With `record`, the open tasks associated with that record instead, whoever owns them.
 */
export async function getTaskBuckets(
  crm: PortalCrm,
  input: { userId: number; limit: number; now: number; record?: RecordScope; withAssociations?: boolean },
): Promise<TaskBucketsResponse> {
  const { userId, limit, now, record } = input;
  const warnings: string[] = [];

  // Round one: who the user is (owner id) and where they are (time zone), in parallel.
  const tzPromise = resolveTimeZone(crm, userId);
  let scope: Filter;
  if (record) {
    scope = { propertyName: `associations.${RECORD_SCOPES[record.objectType]}`, operator: 'EQ', value: record.objectId };
  } else {
    const owners = await crm.owners().catch((err) => Promise.reject(fromCrmError(err)));
    const owner = owners.find((o) => o.userId === userId && !o.archived);
    if (!owner) {
      const { timeZone, warnings: tzWarnings } = await tzPromise;
      return {
        timeZone,
        buckets: emptyBuckets(),
        warnings: [...tzWarnings, 'You are not a HubSpot owner in this portal, so no tasks can be assigned to you.'],
      };
    }
    scope = { propertyName: 'hubspot_owner_id', operator: 'EQ', value: owner.id };
  }

  // Round two: the open tasks due before the end of tomorrow anywhere on Earth, oldest first.
  const base: SearchRequest = {
    filterGroups: [{ filters: [
      scope,
      { propertyName: 'hs_task_status', operator: 'NEQ', value: 'COMPLETED' },
      { propertyName: 'hs_timestamp', operator: 'LT', value: String(searchUpperBound(now)) },
    ] }],
    properties: TASK_PROPERTIES,
    limit: PAGE,
  };
  const [first, tz] = await Promise.all([
    crm.search('tasks', { ...base, sorts: [{ propertyName: 'hs_timestamp', direction: 'ASCENDING' }] }),
    tzPromise,
  ]).catch((err) => Promise.reject(fromCrmError(err)));
  warnings.push(...tz.warnings);
  const tasks = [...tasksOf(first)];

  // More than one page: read from the newest end until the pages meet or reach overdue tasks,
  // so today and tomorrow are complete and the middle (all overdue) is counted from `total`.
  const pages: object[] = [first];
  if (first.total > tasks.length) {
    let after: string | undefined;
    try {
      for (;;) {
        const page = await crm.search('tasks', { ...base, sorts: [{ propertyName: 'hs_timestamp', direction: 'DESCENDING' }], after });
        const fetched = tasksOf(page);
        pages.push(page);
        tasks.push(...fetched);
        const oldest = fetched[fetched.length - 1];
        const reachedOverdue = !oldest || classifyTask(oldest, tz.timeZone, now) === 'overdue';
        if (reachedOverdue || !page.after || Number(page.after) >= 10_000) break;
        after = page.after;
      }
    } catch (err) {
      throw fromCrmError(err);
    }
  }

  // The answer is a function of these (cached, shared) pages, the user's day and the options:
  // remember it beside the first page, so a warm request skips the bucketing and the label lookups.
  const memoable = tz.warnings.length === 0;
  const memoKey = `${pages.map(pageSerial).join(',')}|${tz.timeZone}|${dayWindow(tz.timeZone, now).todayStart}|${limit}|${input.withAssociations !== false}`;
  const memo = memoable ? answers.get(first)?.get(memoKey) : undefined;
  if (memo) return memo;

  const buckets = bucketTasks({ tasks, timeZone: tz.timeZone, now, limit, total: first.total });

  // Round three: the records the listed tasks are about, labelled.
  const listed = BUCKETS.flatMap((b) => buckets[b].tasks.map((t) => t.id));
  let refs = new Map<string, ObjectRef[]>();
  if (input.withAssociations !== false) {
    try {
      refs = await associatedRefs(crm, 'tasks', listed, TASK_ASSOCIATION_TYPES);
    } catch (err) {
      warnings.push(warningFor('The records your tasks are about', err));
    }
  }

  const response: TaskBucketsResponse = {
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
  };
  if (warnings.length) Object.assign(response, { partial: true, warnings });
  else if (memoable) {
    const perPage = answers.get(first) ?? new Map<string, TaskBucketsResponse>();
    perPage.set(memoKey, response);
    answers.set(first, perPage);
  }
  return response;
}

function emptyBuckets(): TaskBucketsResponse['buckets'] {
  return { overdue: { count: 0, tasks: [] }, today: { count: 0, tasks: [] }, tomorrow: { count: 0, tasks: [] } };
}

export function assertRecordScope(objectType: string | undefined, objectId: string | undefined): RecordScope | undefined {
  if (objectType === undefined && objectId === undefined) return undefined;
  if (!objectType || !objectId || !(objectType in RECORD_SCOPES) || !/^\d+$/.test(objectId)) {
    throw new AppError('BAD_REQUEST', 'objectType and objectId go together: objectType is one of contacts, companies, deals, tickets and objectId is a record id.', [
      { field: 'objectType', issue: `one of ${Object.keys(RECORD_SCOPES).join(', ')}` },
      { field: 'objectId', issue: 'digits only' },
    ]);
  }
  return { objectType: objectType as RecordScope['objectType'], objectId };
}
