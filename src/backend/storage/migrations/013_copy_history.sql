-- The portal copy's property history and version (issue 11 item 5, docs/decisions/0007-portal-copy.md).

-- Past values of a short list of tracked properties (deals.hs_next_step today; storage/copy-repo.ts
-- TRACKED_HISTORY), the copy's stand-in for HubSpot's propertiesWithHistory: filled at the first
-- load from HubSpot's history, then by every applied change (webhook re-read, poll, write-through).
-- One row per (record, property, moment): replays write nothing new.
create table crm_property_history (
  portal_id   bigint not null,
  object_type text not null,
  record_id   bigint not null,
  property    text not null,
  changed_at  timestamptz not null,
  value       text,
  -- 'hubspot:<sourceType>' (read from HubSpot's history) or 'copy' (a change the copy saw applied).
  source      text not null,
  primary key (portal_id, object_type, record_id, property, changed_at)
);

-- A counter per portal, moved by every write to its copy: answers computed from the copy are
-- cached under the version they read, and recomputed as soon as it moves.
create table crm_copy_versions (
  portal_id  bigint primary key,
  version    bigint not null,
  changed_at timestamptz not null
);
