import type { Queryable } from './database';

// Custom task views and bulk jobs (migration 012). portal_id leads every key and every statement.

export type StoredTaskView = {
  id: string;
  ownerUserId: number;
  name: string;
  shared: boolean;
  filters: Record<string, unknown>;
  sort: string;
  createdAt: Date;
  updatedAt: Date;
};

export const JOB_STATUSES = ['queued', 'running', 'done', 'cancelled', 'failed'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const ITEM_STATES = ['pending', 'done', 'failed', 'cancelled'] as const;
export type ItemState = (typeof ITEM_STATES)[number];

export type StoredJob = {
  portalId: number;
  id: string;
  createdBy: number;
  action: Record<string, unknown>;
  status: JobStatus;
  total: number;
  done: number;
  failed: number;
  cancelRequested: boolean;
  error: string | null;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
};

export type JobItem = { taskId: string; batch: number; state: ItemState; reason: string | null };
export type ItemResult = { taskId: string; state: 'done' | 'failed'; reason?: string | null };

type ViewRow = {
  id: string;
  owner_user_id: number | bigint;
  name: string;
  shared: boolean;
  filters: Record<string, unknown>;
  sort: string;
  created_at: Date;
  updated_at: Date;
};
const toView = (r: ViewRow): StoredTaskView => ({
  id: r.id,
  ownerUserId: Number(r.owner_user_id),
  name: r.name,
  shared: r.shared,
  filters: r.filters,
  sort: r.sort,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

type JobRow = {
  portal_id: number | bigint;
  id: string;
  created_by: number | bigint;
  action: Record<string, unknown>;
  status: JobStatus;
  total: number;
  done: number;
  failed: number;
  cancel_requested: boolean;
  error: string | null;
  created_at: Date;
  updated_at: Date;
  finished_at: Date | null;
};
const toJob = (r: JobRow): StoredJob => ({
  portalId: Number(r.portal_id),
  id: r.id,
  createdBy: Number(r.created_by),
  action: r.action,
  status: r.status,
  total: r.total,
  done: r.done,
  failed: r.failed,
  cancelRequested: r.cancel_requested,
  error: r.error,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  finishedAt: r.finished_at,
});

export const BULK_BATCH_SIZE = 100;

export interface ActionsRepo {
  /** The views a user may use: their own and every shared one, by name. */
  listViews(portalId: number, userId: number): Promise<StoredTaskView[]>;
  getView(portalId: number, id: string): Promise<StoredTaskView | undefined>;
  putView(portalId: number, view: Omit<StoredTaskView, 'createdAt' | 'updatedAt'>, now: Date): Promise<StoredTaskView>;
  deleteView(portalId: number, id: string): Promise<boolean>;

  /** Stores a job and its items (batches of BULK_BATCH_SIZE in the given order) in one transaction's worth of statements. */
  createJob(
    portalId: number,
    job: { id: string; createdBy: number; action: Record<string, unknown> },
    taskIds: string[],
    now: Date,
  ): Promise<StoredJob>;
  getJob(portalId: number, id: string): Promise<StoredJob | undefined>;
  jobItems(portalId: number, id: string): Promise<JobItem[]>;
  /** Jobs not finished yet, oldest first (any portal: the runner's restart list). */
  unfinishedJobs(): Promise<{ portalId: number; id: string }[]>;
  /**
   * The pending items of the first batch that still has any, or null when none is left; `sent`:
   * the batch was sent to HubSpot before (its results were never recorded). `after`: only batches
   * numbered above it (the one being recorded is still pending).
   */
  nextBatch(portalId: number, id: string, after?: number): Promise<{ batch: number; taskIds: string[]; sent: boolean } | null>;
  /** Marks a batch's pending items sent (before its HubSpot call). */
  markSent(portalId: number, id: string, batch: number, now: Date): Promise<void>;
  /**
   * Records a batch's results and the job's counters together; items already out of 'pending'
   * are left alone (a batch is never counted twice). Call inside a transaction.
   */
  recordBatch(portalId: number, id: string, batch: number, results: ItemResult[], now: Date): Promise<void>;
  setStatus(portalId: number, id: string, status: JobStatus, now: Date, error?: string | null): Promise<void>;
  requestCancel(portalId: number, id: string, now: Date): Promise<StoredJob | undefined>;
  /** Marks every pending item cancelled and the job cancelled. */
  cancelPending(portalId: number, id: string, now: Date): Promise<void>;
}

/** Builds the Actions repository on a database or an open transaction. */
export function createActionsRepo(db: Queryable): ActionsRepo {
  return {
    async listViews(portalId, userId) {
      const rows = await db.query<ViewRow>(
        `select * from task_views where portal_id = $1 and (shared or owner_user_id = $2) order by lower(name), id`,
        [portalId, userId],
      );
      return rows.map(toView);
    },
    async getView(portalId, id) {
      const row = await db.maybeOne<ViewRow>('select * from task_views where portal_id = $1 and id = $2', [portalId, id]);
      return row ? toView(row) : undefined;
    },
    async putView(portalId, v, now) {
      const row = await db.one<ViewRow>(
        `insert into task_views (portal_id, id, owner_user_id, name, shared, filters, sort, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $8)
         on conflict (portal_id, id) do update set name = excluded.name, shared = excluded.shared, filters = excluded.filters,
           sort = excluded.sort, updated_at = excluded.updated_at
         returning *`,
        [portalId, v.id, v.ownerUserId, v.name, v.shared, JSON.stringify(v.filters), v.sort, now],
      );
      return toView(row);
    },
    async deleteView(portalId, id) {
      const rows = await db.query('delete from task_views where portal_id = $1 and id = $2 returning id', [portalId, id]);
      return rows.length > 0;
    },

    async createJob(portalId, job, taskIds, now) {
      const unique = [...new Set(taskIds)];
      const row = await db.one<JobRow>(
        `insert into bulk_jobs (portal_id, id, created_by, action, status, total, created_at, updated_at)
         values ($1, $2, $3, $4::jsonb, 'queued', $5, $6, $6) returning *`,
        [portalId, job.id, job.createdBy, JSON.stringify(job.action), unique.length, now],
      );
      if (unique.length > 0) {
        await db.query(
          `insert into bulk_job_items (portal_id, job_id, task_id, batch)
           select $1, $2, t.id, (t.n - 1) / ${BULK_BATCH_SIZE} from unnest($3::bigint[]) with ordinality as t(id, n)`,
          [portalId, job.id, unique],
        );
      }
      return toJob(row);
    },
    async getJob(portalId, id) {
      const row = await db.maybeOne<JobRow>('select * from bulk_jobs where portal_id = $1 and id = $2', [portalId, id]);
      return row ? toJob(row) : undefined;
    },
    async jobItems(portalId, id) {
      const rows = await db.query<{ task_id: number | bigint; batch: number; state: ItemState; reason: string | null }>(
        'select task_id, batch, state, reason from bulk_job_items where portal_id = $1 and job_id = $2 order by batch, task_id',
        [portalId, id],
      );
      return rows.map((r) => ({ taskId: String(r.task_id), batch: r.batch, state: r.state, reason: r.reason }));
    },
    async unfinishedJobs() {
      const rows = await db.query<{ portal_id: number | bigint; id: string }>(
        `select portal_id, id from bulk_jobs where status in ('queued', 'running') order by created_at, id`,
      );
      return rows.map((r) => ({ portalId: Number(r.portal_id), id: r.id }));
    },
    async nextBatch(portalId, id, after = -1) {
      const rows = await db.query<{ task_id: number | bigint; batch: number; sent: boolean }>(
        `select task_id, batch, sent_at is not null as sent from bulk_job_items
          where portal_id = $1 and job_id = $2 and state = 'pending'
            and batch = (select min(batch) from bulk_job_items where portal_id = $1 and job_id = $2 and state = 'pending' and batch > $3)
          order by task_id`,
        [portalId, id, after],
      );
      if (rows.length === 0) return null;
      return { batch: rows[0]!.batch, taskIds: rows.map((r) => String(r.task_id)), sent: rows.some((r) => r.sent) };
    },
    async markSent(portalId, id, batch, now) {
      await db.query(`update bulk_job_items set sent_at = $4 where portal_id = $1 and job_id = $2 and batch = $3 and state = 'pending'`, [
        portalId,
        id,
        batch,
        now,
      ]);
    },
    async recordBatch(portalId, id, batch, results, now) {
      if (results.length === 0) return;
      const changed = await db.query<{ state: ItemState }>(
        `update bulk_job_items i set state = t.state, reason = t.reason
           from unnest($4::bigint[], $5::text[], $6::text[]) as t(task_id, state, reason)
          where i.portal_id = $1 and i.job_id = $2 and i.batch = $3 and i.task_id = t.task_id and i.state = 'pending'
         returning i.state`,
        [
          portalId,
          id,
          batch,
          results.map((r) => r.taskId),
          results.map((r) => r.state),
          results.map((r) => r.reason ?? null) as unknown as string[],
        ],
      );
      const done = changed.filter((r) => r.state === 'done').length;
      const failed = changed.filter((r) => r.state === 'failed').length;
      await db.query('update bulk_jobs set done = done + $3, failed = failed + $4, updated_at = $5 where portal_id = $1 and id = $2', [
        portalId,
        id,
        done,
        failed,
        now,
      ]);
    },
    async setStatus(portalId, id, status, now, error = null) {
      const finished = status === 'done' || status === 'cancelled' || status === 'failed';
      await db.query(
        `update bulk_jobs set status = $3, updated_at = $4, error = coalesce($5, error),
           finished_at = case when $6::boolean then $4 else finished_at end
          where portal_id = $1 and id = $2`,
        [portalId, id, status, now, error, finished],
      );
    },
    async requestCancel(portalId, id, now) {
      const row = await db.maybeOne<JobRow>(
        `update bulk_jobs set cancel_requested = true, updated_at = $3 where portal_id = $1 and id = $2 returning *`,
        [portalId, id, now],
      );
      return row ? toJob(row) : undefined;
    },
    async cancelPending(portalId, id, now) {
      await db.query(
        `update bulk_job_items set state = 'cancelled', reason = 'Cancelled before it was applied.' where portal_id = $1 and job_id = $2 and state = 'pending'`,
        [portalId, id],
      );
      await db.query(
        `update bulk_jobs set status = 'cancelled', updated_at = $3, finished_at = $3 where portal_id = $1 and id = $2 and status in ('queued', 'running')`,
        [portalId, id, now],
      );
    },
  };
}
