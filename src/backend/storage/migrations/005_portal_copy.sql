-- The portal copy (issue 11, docs/decisions/0007-portal-copy.md): the CRM data features read, per
-- portal. portal_id leads every primary key and index, so each table can be hash-partitioned or
-- distributed (Citus) on portal_id without changing a query.

-- One row per CRM record. `properties` holds every property we read, as HubSpot sent it; the typed
-- columns are what queries filter and sort on. HubSpot ids are integers for every object type.
create table crm_records (
  portal_id     bigint not null,
  object_type   text not null,
  id            bigint not null,
  properties    jsonb not null,
  owner_id      bigint,
  created_at    timestamptz,
  modified_at   timestamptz,
  -- hs_timestamp for tasks and engagements (due date, call/email/note time), meeting start time.
  due_at        timestamptz,
  pipeline      text,
  stage         text,
  -- hs_task_status, hs_lead_status, hs_call_status…: the object's status property.
  status        text,
  archived      boolean not null default false,
  archived_at   timestamptz,
  merged_into   bigint,
  -- occurredAt (epoch ms) of the newest change applied to this row: older events are ignored.
  version_ms    bigint not null default 0,
  synced_at     timestamptz not null,
  primary key (portal_id, object_type, id)
);
create index crm_records_by_owner on crm_records (portal_id, object_type, owner_id, due_at) where not archived;
create index crm_records_by_modified on crm_records (portal_id, object_type, modified_at);
create index crm_records_by_due on crm_records (portal_id, object_type, due_at) where not archived;

-- One row per associated pair, in the direction it was read (from → to); readers look both ways
-- (the reverse index), so a pair read from either side is found from either side.
create table crm_associations (
  portal_id   bigint not null,
  from_type   text not null,
  from_id     bigint not null,
  to_type     text not null,
  to_id       bigint not null,
  type_ids    integer[] not null default '{}',
  labels      text[] not null default '{}',
  synced_at   timestamptz not null,
  primary key (portal_id, from_type, from_id, to_type, to_id)
);
create index crm_associations_reverse on crm_associations (portal_id, to_type, to_id, from_type);

create table crm_owners (
  portal_id  bigint not null,
  id         bigint not null,
  user_id    bigint,
  email      text,
  first_name text,
  last_name  text,
  archived   boolean not null default false,
  primary key (portal_id, id)
);
create index crm_owners_by_user on crm_owners (portal_id, user_id);

create table crm_users (
  portal_id bigint not null,
  id        text not null,
  user_id   bigint,
  time_zone text,
  primary key (portal_id, id)
);
create index crm_users_by_user on crm_users (portal_id, user_id);

create table crm_pipelines (
  portal_id   bigint not null,
  object_type text not null,
  id          text not null,
  pipeline    jsonb not null,
  primary key (portal_id, object_type, id)
);

create table crm_property_definitions (
  portal_id   bigint not null,
  object_type text not null,
  name        text not null,
  definition  jsonb not null,
  primary key (portal_id, object_type, name)
);

-- Portal-wide facts read with the records (the account's time zone).
create table crm_portals (
  portal_id  bigint primary key,
  time_zone  text,
  synced_at  timestamptz not null
);

-- Where the copy of each object type of a portal stands. `cursor` is the first load's resume
-- point (the last id stored); `high_water_ms` the newest modification time the copy is complete
-- up to (polls search from it minus an overlap).
create table sync_state (
  portal_id           bigint not null,
  object_type         text not null,
  state               text not null check (state in ('pending', 'loading', 'ready', 'error')),
  records             integer not null default 0,
  -- HubSpot's count when the first load started (its progress bar and ETA).
  total_estimate      integer,
  cursor              text,
  high_water_ms       bigint,
  load_started_at     timestamptz,
  loaded_at           timestamptz,
  last_change_seen_at timestamptz,
  last_polled_at      timestamptz,
  last_reconciled_at  timestamptz,
  error               text,
  updated_at          timestamptz not null,
  primary key (portal_id, object_type)
);
