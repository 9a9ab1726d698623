import { z } from 'zod';
import type {
  ActionsBuiltInView,
  ActionsFilters,
  ActionsSort,
  ActionsTask,
  ActionsTasksResponse,
  Freshness,
  ObjectRef,
} from '../../contract/api';
import { AppError } from '../../app-error';
import { isValidTimeZone } from '../../engines/task-buckets';
import { BUILT_IN_VIEWS, builtInViewCondition, dateRangeWindow, type BuiltInView } from '../../engines/task-views';
import {
  countTasks,
  createActionsRepo,
  createCopyRepo,
  listTaskPage,
  type Database,
  type Queryable,
  type StoredTaskView,
  type TaskFilter,
  type TaskPageCursor,
  type TaskRow,
  type TaskSortKey,
} from '../../storage';
import { freshnessOf } from '../../sync/status';
import { toCrmRecord } from '../../sync/records';
import { recordLabel } from '../record-labels';
import { createCopyCache, type CopyCache } from '../copy-cache';
import { dateIn } from '../../engines/schedule';

// The Actions tab's reads: every answer comes from the portal copy (0 HubSpot calls) and says how
// fresh the copy is (api.md "Freshness of every answer").

export const ASSOCIATED_TYPES = ['contacts', 'companies', 'deals', 'tickets'] as const;
const LISTED_ASSOCIATIONS = ['contacts', 'companies', 'deals'];
const SORT_KEYS = ['due', 'priority', 'subject', 'modified'] as const;

const code = z.string().regex(/^[A-Z][A-Z0-9_]{0,63}$/, 'an upper-case HubSpot value');
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(d)), 'a real date');

/** The filters a view saves and a list request takes, as stored and as parsed. */
export const filtersSchema = z
  .object({
    view: z.enum(BUILT_IN_VIEWS).optional(),
    owner: z
      .union([
        z.literal('me'),
        z.literal('all'),
        z
          .array(z.string().regex(/^\d{1,18}$/, 'an owner id'))
          .min(1)
          .max(100),
      ])
      .optional(),
    priority: z
      .array(z.enum(['NONE', 'LOW', 'MEDIUM', 'HIGH']))
      .min(1)
      .optional(),
    type: z.array(code).min(1).max(20).optional(),
    status: z
      .array(z.enum(['NOT_STARTED', 'IN_PROGRESS', 'WAITING', 'COMPLETED', 'DEFERRED']))
      .min(1)
      .optional(),
    dueFrom: isoDate.optional(),
    dueTo: isoDate.optional(),
    associatedType: z.enum(ASSOCIATED_TYPES).optional(),
    sequenceId: z
      .string()
      .regex(/^\d{1,18}$/, 'a sequence id')
      .optional(),
  })
  .strict();

export const sortSchema = z
  .string()
  .regex(new RegExp(`^-?(${SORT_KEYS.join('|')})$`), `one of ${SORT_KEYS.join(', ')}, "-" first for descending`)
  .transform((s) => s as ActionsSort);

/** The query string's shape of the filters: comma-separated lists. */
const list = z.string().transform((s) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean),
);
export const filtersQuery = z.object({
  owner: z
    .string()
    .optional()
    .transform((s) =>
      s === undefined || s === 'me' || s === 'all'
        ? s
        : s
            .split(',')
            .map((x) => x.trim())
            .filter(Boolean),
    ),
  priority: list.optional(),
  type: list.optional(),
  status: list.optional(),
  dueFrom: z.string().optional(),
  dueTo: z.string().optional(),
  associatedType: z.string().optional(),
  sequenceId: z.string().optional(),
});

/** Parses filters from anywhere (query or body); 400 naming each bad one. */
export function parseFilters(raw: unknown): ActionsFilters {
  const defined = Object.fromEntries(Object.entries((raw ?? {}) as Record<string, unknown>).filter(([, v]) => v !== undefined));
  const parsed = filtersSchema.safeParse(defined);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => ({ field: i.path.join('.') || 'filters', issue: i.message }));
    throw new AppError('BAD_REQUEST', `Some filters are not valid: ${details.map((d) => d.field).join(', ')}.`, details);
  }
  const f = parsed.data as ActionsFilters;
  if (f.dueFrom && f.dueTo && f.dueFrom > f.dueTo) {
    throw new AppError('BAD_REQUEST', 'The due range ends before it starts.', [{ field: 'dueTo', issue: 'on or after dueFrom' }]);
  }
  return f;
}

/** The user whose tasks are shown (userId) and, when a manager views as them, who asked. */
export type Viewer = { portalId: number; userId: number; callerUserId?: number };

/** Who the viewer is in the copy: their owner id (null when they own nothing) and time zone. */
export async function viewerContext(
  db: Queryable,
  portalId: number,
  userId: number,
): Promise<{ ownerId: string | null; timeZone: string; owners: { id: string; name: string }[] }> {
  const copy = createCopyRepo(db);
  const [owners, users, portal] = await Promise.all([copy.owners(portalId), copy.users(portalId), copy.portal(portalId)]);
  const owner = owners.find((o) => o.userId === userId && !o.archived);
  const userZone = users.find((u) => u.userId === userId)?.timeZone;
  const timeZone = isValidTimeZone(userZone) ? userZone : isValidTimeZone(portal?.timeZone) ? portal.timeZone : 'UTC';
  const active = owners
    .filter((o) => !o.archived)
    .map((o) => ({ id: o.id, name: [o.firstName, o.lastName].filter(Boolean).join(' ') || o.email || `Owner ${o.id}` }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return { ownerId: owner?.id ?? null, timeZone, owners: active };
}

/** The copy's filter for what a person chose, in their zone at `now`. */
export function toTaskFilter(f: ActionsFilters, ctx: { ownerId: string | null; timeZone: string; now: number }): TaskFilter {
  const out: TaskFilter = {};
  const owner = f.owner ?? 'me';
  if (owner === 'me') out.ownerIds = ctx.ownerId ? [ctx.ownerId] : [];
  else if (owner !== 'all') out.ownerIds = owner;
  if (f.priority) out.priorities = f.priority;
  if (f.type) out.types = f.type;
  if (f.status) out.statuses = f.status;
  if (f.associatedType) out.associatedType = f.associatedType;
  if (f.sequenceId) out.sequenceId = f.sequenceId;
  if (f.dueFrom || f.dueTo) out.due = dateRangeWindow(f.dueFrom, f.dueTo, ctx.timeZone);
  if (f.view) return withView(out, f.view, ctx);
  return out;
}

function withView(base: TaskFilter, view: BuiltInView, ctx: { timeZone: string; now: number }): TaskFilter {
  const c = builtInViewCondition(view, ctx.timeZone, ctx.now);
  const out: TaskFilter = { ...base };
  if (c.openOnly) out.openOnly = true;
  if (c.completedOnly) out.statuses = base.statuses ? base.statuses.filter((s) => s === 'COMPLETED') : ['COMPLETED'];
  if (c.due) out.due = intersect(base.due, c.due);
  return out;
}

function intersect(a: TaskFilter['due'], b: NonNullable<TaskFilter['due']>): NonNullable<TaskFilter['due']> {
  if (!a) return b;
  const later = (x?: Date, y?: Date) => (!x ? y : !y ? x : x > y ? x : y);
  const earlier = (x?: Date, y?: Date) => (!x ? y : !y ? x : x < y ? x : y);
  const laterS = (x?: string, y?: string) => (!x ? y : !y ? x : x > y ? x : y);
  const earlierS = (x?: string, y?: string) => (!x ? y : !y ? x : x < y ? x : y);
  return {
    from: later(a.from, b.from),
    to: earlier(a.to, b.to),
    fromDate: laterS(a.fromDate, b.fromDate),
    toDate: earlierS(a.toDate, b.toDate),
  };
}

export function encodeCursor(c: TaskPageCursor, sort: ActionsSort): string {
  return Buffer.from(JSON.stringify({ ...c, s: sort })).toString('base64url');
}

export function decodeCursor(after: string, sort: ActionsSort): TaskPageCursor {
  try {
    const v = JSON.parse(Buffer.from(after, 'base64url').toString('utf8')) as { k?: unknown; id?: unknown; s?: unknown };
    if (typeof v.k === 'string' && typeof v.id === 'string' && /^\d{1,18}$/.test(v.id) && v.s === sort) return { k: v.k, id: v.id };
  } catch {
    /* falls through */
  }
  throw new AppError('BAD_REQUEST', 'The paging cursor is not valid for this sort; start again from the first page.', [
    { field: 'after', issue: 'a paging.next.after value of the same sort' },
  ]);
}

export function splitSort(sort: ActionsSort): { key: TaskSortKey; direction: 'asc' | 'desc' } {
  return sort.startsWith('-') ? { key: sort.slice(1) as TaskSortKey, direction: 'desc' } : { key: sort as TaskSortKey, direction: 'asc' };
}

/** A task of the copy in the API's shape (associations added by the caller). */
export function toActionsTask(r: TaskRow, associations: ObjectRef[] = []): ActionsTask {
  const p = r.properties;
  return {
    id: r.id,
    subject: p.hs_task_subject || '(no subject)',
    dueAt: r.dueAt ? r.dueAt.toISOString() : null,
    allDay: p.hs_task_is_all_day === 'true',
    status: r.status || 'NOT_STARTED',
    priority: p.hs_task_priority || 'NONE',
    type: p.hs_task_type || 'TODO',
    ownerId: r.ownerId,
    lastModifiedAt: r.modifiedAt ? r.modifiedAt.toISOString() : null,
    associations,
  };
}

/** The records each task is about, labelled, from the copy. */
export async function taskAssociations(db: Queryable, portalId: number, ids: string[]): Promise<Map<string, ObjectRef[]>> {
  const copy = createCopyRepo(db);
  const out = new Map<string, ObjectRef[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return out;
  await Promise.all(
    LISTED_ASSOCIATIONS.map(async (toType) => {
      const assoc = await copy.associations(portalId, 'tasks', ids, toType);
      const targets = [...new Set([...assoc.values()].flat().map((a) => a.id))];
      const records = await copy.getRecords(portalId, toType, targets);
      for (const [id, refs] of assoc) {
        for (const ref of refs) {
          const rec = records.get(ref.id);
          if (rec && !rec.archived)
            out.get(id)!.push({ objectType: toType, objectId: ref.id, label: recordLabel(toType, toCrmRecord(rec)) });
        }
      }
    }),
  );
  return out;
}

/** A custom view the viewer may use (their own or shared); 404 otherwise. */
export async function usableView(db: Queryable, viewer: Viewer, id: string): Promise<StoredTaskView> {
  const view = await createActionsRepo(db).getView(viewer.portalId, id);
  if (!view || (!view.shared && view.ownerUserId !== viewer.userId)) throw new AppError('NOT_FOUND', 'There is no such task view.');
  return view;
}

/**
 * One page of the viewer's tasks in a built-in or custom view, with filters on top, the counts of
 * the built-in views under the same filters, and the copy's freshness.
 */
/** Pages of the Actions list kept by copy version (see listActionsTasks), without their freshness. */
export type ActionsPageCache = CopyCache<Omit<ActionsTasksResponse, keyof Freshness>>;

export const createActionsPageCache = (now: () => number, max = 1_000): ActionsPageCache =>
  // Views and filters are days in the user's zone (the day is in the key); a minute bounds the rest.
  createCopyCache({ max, ttlMs: 60_000, now });

export async function listActionsTasks(
  db: Database,
  viewer: Viewer,
  input: { view: string; filters: ActionsFilters; sort?: ActionsSort; after?: string; limit: number; now: number },
  cache?: ActionsPageCache,
): Promise<ActionsTasksResponse> {
  const { portalId } = viewer;
  const copy = createCopyRepo(db);
  // Round one, in parallel: who and where the viewer is, the custom view, how fresh the copy is.
  const isBuiltIn = (BUILT_IN_VIEWS as readonly string[]).includes(input.view);
  const [ctx, custom, freshness, version] = await Promise.all([
    viewerContext(db, portalId, viewer.userId),
    isBuiltIn ? undefined : usableView(db, { portalId, userId: viewer.callerUserId ?? viewer.userId }, input.view),
    freshnessOf(copy, portalId, input.now),
    cache ? copy.copyVersion(portalId) : 0,
  ]);
  const saved = custom ? parseFilters(custom.filters) : {};
  const filters: ActionsFilters = { ...saved, ...input.filters, ...(isBuiltIn ? { view: input.view as ActionsBuiltInView } : {}) };
  const sort = input.sort ?? (custom?.sort as ActionsSort | undefined) ?? (filters.view === 'completed' ? '-modified' : 'due');
  const compute = () => actionsPage(db, portalId, input, ctx, filters, sort);
  // The same question on the same copy and the same day where the user is: the kept page (the
  // counts and the page are the heavy part; round one and the freshness are read every time).
  const key = JSON.stringify([
    portalId,
    viewer.userId,
    input.view,
    filters,
    sort,
    input.after ?? null,
    input.limit,
    ctx,
    dateIn(input.now, ctx.timeZone),
  ]);
  // A sequence filter (SW-2) also reads the enrollments matched since, which do not move the copy's version: never kept.
  const body = cache && !filters.sequenceId ? await cache.get(key, version, compute) : await compute();
  return { ...body, ...freshness };
}

async function actionsPage(
  db: Database,
  portalId: number,
  input: { view: string; after?: string; limit: number; now: number },
  ctx: Awaited<ReturnType<typeof viewerContext>>,
  filters: ActionsFilters,
  sort: ActionsSort,
): Promise<Omit<ActionsTasksResponse, keyof Freshness>> {
  const cursor = input.after ? decodeCursor(input.after, sort) : undefined;
  const fctx = { ownerId: ctx.ownerId, timeZone: ctx.timeZone, now: input.now };

  // Round two, in parallel: the page and the counts (the built-in views under the same filters).
  const { view: _chosen, ...rest } = filters;
  const base = toTaskFilter(rest, fctx);
  const extras = Object.fromEntries(BUILT_IN_VIEWS.map((v) => [v, withView({}, v, fctx)])) as Record<BuiltInView, TaskFilter>;
  const [page, counts, total] = await Promise.all([
    listTaskPage(db, portalId, { filter: toTaskFilter(filters, fctx), sort: splitSort(sort), limit: input.limit, cursor }),
    countTasks(db, portalId, base, extras),
    filters.view ? countTasks(db, portalId, toTaskFilter(filters, fctx), {}) : undefined,
  ]);

  // Round three: what the listed tasks are about.
  const refs = await taskAssociations(
    db,
    portalId,
    page.tasks.map((t) => t.id),
  );
  const response: Omit<ActionsTasksResponse, keyof Freshness> = {
    view: input.view,
    timeZone: ctx.timeZone,
    filters,
    sort,
    counts: {
      'due-today': counts['due-today'],
      overdue: counts.overdue,
      'due-tomorrow': counts['due-tomorrow'],
      completed: counts.completed,
    },
    total: total?.total ?? counts.total,
    tasks: page.tasks.map((t) => toActionsTask(t, refs.get(t.id))),
    owners: ctx.owners,
  };
  if (page.next) response.paging = { next: { after: encodeCursor(page.next, sort) } };
  return response;
}
