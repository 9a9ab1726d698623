-- Health scores (issue 6). record keys are (object_type, object_id); owner_id is the record's CSM
-- (the configured CSM property, hubspot_owner_id by default) when it was last scored.

-- A portal's health profiles: the current version here, every version in health_profile_versions.
create table health_profiles (
  portal_id   bigint not null,
  id          text not null,
  version     integer not null,
  name        text not null,
  object_type text not null,
  is_default  boolean not null default false,
  profile     jsonb not null,
  updated_at  timestamptz not null,
  deleted_at  timestamptz,
  primary key (portal_id, id)
);

create table health_profile_versions (
  portal_id  bigint not null,
  id         text not null,
  version    integer not null,
  profile    jsonb not null,
  created_at timestamptz not null,
  primary key (portal_id, id, version)
);

-- One scoring run of a portal (every active profile). A run that is not 'done' or 'failed' is
-- resumed by the next holder of the portal's run lock, with the same as_of.
create table health_runs (
  portal_id    bigint not null,
  id           text not null,
  kind         text not null check (kind in ('scheduled', 'on-demand')),
  status       text not null check (status in ('queued', 'running', 'done', 'failed')),
  as_of        timestamptz not null,
  requested_at timestamptz not null,
  started_at   timestamptz,
  finished_at  timestamptz,
  total        integer,
  scored       integer not null default 0,
  attempts     integer not null default 0,
  stats        jsonb,
  warnings     jsonb not null default '[]',
  error        text,
  primary key (portal_id, id)
);
create index health_runs_latest on health_runs (portal_id, requested_at desc);

-- Every computed score (CS-HS-2): written once per (portal, profile, record, run).
create table health_snapshots (
  portal_id          bigint not null,
  profile_id         text not null,
  object_type        text not null,
  object_id          text not null,
  run_id             text not null,
  at                 timestamptz not null,
  profile_version    integer not null,
  score              smallint not null,
  category           text not null,
  confirmed_category text not null,
  owner_id           text,
  backfilled         boolean not null default false,
  criteria           jsonb not null,
  primary key (portal_id, profile_id, object_type, object_id, run_id)
);
create index health_snapshots_by_run on health_snapshots (portal_id, profile_id, run_id);

-- The latest state of each record under each profile: what summaries, drill-downs and the next
-- run's hysteresis read. `input` is what was scored (re-scored for explanations and dry runs),
-- `recent` the last snapshots hysteresis needs, `change` the last confirmed category change.
create table health_record_state (
  portal_id          bigint not null,
  profile_id         text not null,
  object_type        text not null,
  object_id          text not null,
  label              text not null,
  owner_id           text,
  run_id             text not null,
  at                 timestamptz not null,
  profile_version    integer not null,
  score              smallint not null,
  category           text not null,
  confirmed_category text not null,
  input              jsonb not null,
  recent             jsonb not null,
  change             jsonb,
  primary key (portal_id, profile_id, object_type, object_id)
);
create index health_record_state_owner on health_record_state (portal_id, profile_id, owner_id, score);

-- Per run and CSM: the sum and count of scores, so "average over time" reads a few rows a day.
create table health_run_totals (
  portal_id       bigint not null,
  profile_id      text not null,
  run_id          text not null,
  owner_id        text not null,
  at              timestamptz not null,
  profile_version integer not null,
  score_sum       bigint not null,
  count           integer not null,
  backfilled      boolean not null default false,
  primary key (portal_id, profile_id, run_id, owner_id)
);
create index health_run_totals_at on health_run_totals (portal_id, profile_id, at);

-- Confirmed category changes (CS-SUM-1), for the record's CSM; shown until expires_at.
create table health_alerts (
  portal_id     bigint not null,
  id            text not null,
  profile_id    text not null,
  object_type   text not null,
  object_id     text not null,
  label         text not null,
  owner_id      text,
  run_id        text not null,
  from_category text not null,
  to_category   text not null,
  raised_at     timestamptz not null,
  expires_at    timestamptz not null,
  deltas        jsonb not null,
  backfilled    boolean not null default false,
  primary key (portal_id, id)
);
create index health_alerts_owner on health_alerts (portal_id, owner_id, raised_at desc);
