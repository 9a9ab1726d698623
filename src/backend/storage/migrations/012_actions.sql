-- The Actions tab (issue 16, CS-ACT-3/4): custom task views and durable bulk jobs.

-- A saved set of task filters: private to its creator, or shared with everyone (managers only).
create table task_views (
  portal_id     bigint not null,
  id            text not null,
  owner_user_id bigint not null,
  name          text not null,
  shared        boolean not null default false,
  filters       jsonb not null,
  sort          text not null default 'due',
  created_at    timestamptz not null,
  updated_at    timestamptz not null,
  primary key (portal_id, id)
);
create index task_views_by_owner on task_views (portal_id, owner_user_id);

-- One bulk action over a fixed list of tasks (resolved when the job was created).
create table bulk_jobs (
  portal_id        bigint not null,
  id               text not null,
  created_by       bigint not null,
  action           jsonb not null,
  status           text not null check (status in ('queued', 'running', 'done', 'cancelled', 'failed')),
  total            integer not null,
  done             integer not null default 0,
  failed           integer not null default 0,
  cancel_requested boolean not null default false,
  error            text,
  created_at       timestamptz not null,
  updated_at       timestamptz not null,
  finished_at      timestamptz,
  primary key (portal_id, id)
);
create index bulk_jobs_unfinished on bulk_jobs (status) where status in ('queued', 'running');

-- Each task of a job, in the batch (of at most 100) that applies it. A batch's items leave
-- 'pending' in the same transaction that records their results, so a restarted job resumes at the
-- first batch with pending items and never re-applies a recorded batch.
create table bulk_job_items (
  portal_id bigint not null,
  job_id    text not null,
  task_id   bigint not null,
  batch     integer not null,
  state     text not null default 'pending' check (state in ('pending', 'done', 'failed', 'cancelled')),
  reason    text,
  primary key (portal_id, job_id, task_id)
);
create index bulk_job_items_by_batch on bulk_job_items (portal_id, job_id, batch) where state = 'pending';
