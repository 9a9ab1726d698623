-- Health follows the portal copy (issue 11 items 5 and 6, docs/decisions/0007).

-- Customers whose copy data changed since they were last scored: marked when a change reaches the
-- copy (webhooks, polls, Tiller's own writes), rescored by the debounced job within a minute, then
-- removed (only if not marked again meanwhile: marked_at is compared). Durable across restarts.
create table health_dirty (
  portal_id    bigint not null,
  object_type  text not null,
  object_id    text not null,
  first_marked timestamptz not null,
  marked_at    timestamptz not null,
  primary key (portal_id, object_type, object_id)
);

-- The 30 days of history computed from the copy once its first load is done, per profile: done
-- once (idempotent), the run that did it named.
create table health_backfills (
  portal_id   bigint not null,
  profile_id  text not null,
  days        integer not null,
  run_id      text not null,
  finished_at timestamptz not null,
  primary key (portal_id, profile_id)
);
