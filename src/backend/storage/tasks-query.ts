import type { Queryable, SqlParam } from './database';

// The Actions tab's reads of the portal copy's tasks (crm_records, object_type 'tasks'): filters,
// keyset paging over four sort orders and per-window counts, each one statement. Windows come in
// as instants and calendar dates already computed in the user's zone (engines/task-views.ts).

/** A span of due dates: instants for timed tasks, calendar dates for all-day ones. */
export type DueWindow = {
  /** Inclusive start / exclusive end instant; undefined means unbounded. */
  from?: Date;
  to?: Date;
  /** All-day tasks (due at midnight UTC of their date): inclusive / exclusive calendar dates. */
  fromDate?: string;
  toDate?: string;
};

export type TaskSortKey = 'due' | 'priority' | 'subject' | 'modified';
export type TaskSort = { key: TaskSortKey; direction: 'asc' | 'desc' };

export type TaskFilter = {
  /** Owner ids (any of); undefined = every owner. */
  ownerIds?: string[];
  priorities?: string[];
  types?: string[];
  /** hs_task_status values (any of); 'NOT_STARTED' also matches tasks without a status. */
  statuses?: string[];
  /** Exclude COMPLETED (open tasks only). */
  openOnly?: boolean;
  due?: DueWindow;
  /** Tasks associated with at least one record of this type. */
  associatedType?: string;
  /** Sequence tasks whose enrollment is known (sequence_enrollments, migration 017) to be of this sequence. */
  sequenceId?: string;
};

export type TaskRow = {
  id: string;
  properties: Record<string, string | null>;
  ownerId: string | null;
  dueAt: Date | null;
  status: string | null;
  modifiedAt: Date | null;
};

export type TaskPageCursor = { k: string; id: string };

const SORT_EXPR: Record<TaskSortKey, { expr: string; cast: string }> = {
  due: { expr: `coalesce(r.due_at, 'infinity'::timestamptz)`, cast: 'timestamptz' },
  priority: {
    expr: `(case r.properties->>'hs_task_priority' when 'HIGH' then 3 when 'MEDIUM' then 2 when 'LOW' then 1 else 0 end)`,
    cast: 'integer',
  },
  subject: { expr: `lower(coalesce(r.properties->>'hs_task_subject', ''))`, cast: 'text' },
  modified: { expr: `coalesce(r.modified_at, '-infinity'::timestamptz)`, cast: 'timestamptz' },
};

const ALL_DAY = `coalesce(r.properties->>'hs_task_is_all_day', '') = 'true'`;

type Bind = (v: SqlParam) => string;

function dueCondition(w: DueWindow, bind: Bind): string {
  const timed: string[] = ['r.due_at is not null'];
  if (w.from) timed.push(`r.due_at >= ${bind(w.from)}`);
  if (w.to) timed.push(`r.due_at < ${bind(w.to)}`);
  const allDay: string[] = ['r.due_at is not null'];
  const date = `(r.due_at at time zone 'UTC')::date`;
  if (w.fromDate) allDay.push(`${date} >= ${bind(w.fromDate)}::date`);
  if (w.toDate) allDay.push(`${date} < ${bind(w.toDate)}::date`);
  return `((not ${ALL_DAY} and ${timed.join(' and ')}) or (${ALL_DAY} and ${allDay.join(' and ')}))`;
}

function whereOf(portalId: number, f: TaskFilter, params: SqlParam[]): string[] {
  return [`r.portal_id = $${params.push(portalId)}`, `r.object_type = 'tasks'`, 'not r.archived', ...conditionsOf(f, params)];
}

/** The filter's own conditions on a crm_records row `r`. */
function conditionsOf(f: TaskFilter, params: SqlParam[]): string[] {
  const bind: Bind = (v) => `$${params.push(v)}`;
  const where: string[] = [];
  if (f.ownerIds) where.push(`r.owner_id = any(${bind(f.ownerIds.filter((id) => /^\d{1,18}$/.test(id)))}::bigint[])`);
  if (f.priorities) where.push(`coalesce(r.properties->>'hs_task_priority', 'NONE') = any(${bind(f.priorities)}::text[])`);
  if (f.types) where.push(`coalesce(r.properties->>'hs_task_type', 'TODO') = any(${bind(f.types)}::text[])`);
  if (f.statuses) where.push(`coalesce(r.status, 'NOT_STARTED') = any(${bind(f.statuses)}::text[])`);
  if (f.openOnly) where.push(`r.status is distinct from 'COMPLETED'`);
  if (f.due) where.push(dueCondition(f.due, bind));
  if (f.associatedType) {
    const t = bind(f.associatedType);
    where.push(`(exists (select 1 from crm_associations a where a.portal_id = r.portal_id and a.from_type = 'tasks' and a.from_id = r.id and a.to_type = ${t})
              or exists (select 1 from crm_associations a where a.portal_id = r.portal_id and a.to_type = 'tasks' and a.to_id = r.id and a.from_type = ${t}))`);
  }
  if (f.sequenceId) {
    where.push(`exists (select 1 from sequence_enrollments s where s.portal_id = r.portal_id
                  and s.sequence_id = ${bind(/^\d{1,18}$/.test(f.sequenceId) ? f.sequenceId : '0')}::bigint
                  and s.enrollment_id::text = r.properties->>'hs_task_sequence_step_enrollment_id')`);
  }
  return where;
}

type Row = {
  id: number | bigint;
  properties: Record<string, string | null>;
  owner_id: number | bigint | null;
  due_at: Date | null;
  status: string | null;
  modified_at: Date | null;
  sort_key: string;
};

const toRow = (r: Row): TaskRow => ({
  id: String(r.id),
  properties: r.properties,
  ownerId: r.owner_id === null ? null : String(r.owner_id),
  dueAt: r.due_at,
  status: r.status,
  modifiedAt: r.modified_at,
});

/** One page of the tasks matching `filter` in `sort` order, after `cursor`; `next` when more follow. */
export async function listTaskPage(
  db: Queryable,
  portalId: number,
  input: { filter: TaskFilter; sort: TaskSort; limit: number; cursor?: TaskPageCursor },
): Promise<{ tasks: TaskRow[]; next: TaskPageCursor | null }> {
  const params: SqlParam[] = [];
  const where = whereOf(portalId, input.filter, params);
  const { expr, cast } = SORT_EXPR[input.sort.key];
  const dir = input.sort.direction === 'asc' ? 'asc' : 'desc';
  if (input.cursor) {
    const k = `$${params.push(input.cursor.k)}::${cast}`;
    const id = `$${params.push(input.cursor.id)}::bigint`;
    where.push(`(${expr}, r.id) ${dir === 'asc' ? '>' : '<'} (${k}, ${id})`);
  }
  const limit = `$${params.push(input.limit + 1)}`;
  const rows = await db.query<Row>(
    `select r.id, r.properties, r.owner_id, r.due_at, r.status, r.modified_at, (${expr})::text as sort_key
       from crm_records r where ${where.join(' and ')}
      order by ${expr} ${dir}, r.id ${dir} limit ${limit}`,
    params,
  );
  const more = rows.length > input.limit;
  const page = more ? rows.slice(0, input.limit) : rows;
  const last = page[page.length - 1];
  return { tasks: page.map(toRow), next: more && last ? { k: last.sort_key, id: String(last.id) } : null };
}

/** Every task id matching `filter` (bulk jobs resolve a filter once, at creation), ascending. */
export async function matchingTaskIds(db: Queryable, portalId: number, filter: TaskFilter): Promise<string[]> {
  const params: SqlParam[] = [];
  const where = whereOf(portalId, filter, params);
  const rows = await db.query<{ id: number | bigint }>(`select r.id from crm_records r where ${where.join(' and ')} order by r.id`, params);
  return rows.map((r) => String(r.id));
}

/** How many tasks match `base` and each named extra filter, in one statement. */
export async function countTasks<K extends string>(
  db: Queryable,
  portalId: number,
  base: TaskFilter,
  extras: Record<K, TaskFilter>,
): Promise<Record<K, number> & { total: number }> {
  const params: SqlParam[] = [];
  const where = whereOf(portalId, base, params);
  const names = Object.keys(extras) as K[];
  const columns = names.map((name, i) => {
    const conditions = conditionsOf(extras[name], params);
    return `count(*) filter (where ${conditions.length ? conditions.join(' and ') : 'true'})::int as c${i}`;
  });
  const row = await db.one<Record<string, number>>(
    `select count(*)::int as total${columns.map((c) => `, ${c}`).join('')} from crm_records r where ${where.join(' and ')}`,
    params,
  );
  const out = { total: row.total } as Record<K, number> & { total: number };
  names.forEach((name, i) => ((out as Record<string, number>)[name] = row[`c${i}`] ?? 0));
  return out;
}
