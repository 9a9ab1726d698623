-- HubSpot webhook deliveries, durable between the 2xx we answer and the copy being updated
-- (docs/api.md "Webhooks"). One row per portal per delivery; a worker claims rows (locked_until),
-- applies them and deletes them; a failed row comes back at available_at.
-- Numbered 009 so that the copy's and the install's migrations (005…) can land in any order.
create table webhook_queue (
  portal_id     bigint      not null,
  id            bigint      generated always as identity,
  events        jsonb       not null,
  received_at   timestamptz not null,
  available_at  timestamptz not null,
  locked_until  timestamptz,
  attempts      integer     not null default 0,
  last_error    text,
  primary key (portal_id, id)
);

-- Notifications already applied, by their identity (everything but attemptNumber, hashed), kept
-- for a retention window longer than HubSpot's 24 h of retries: duplicates and replays are no-ops.
create table webhook_processed (
  portal_id     bigint      not null,
  event_key     text        not null,
  processed_at  timestamptz not null,
  primary key (portal_id, event_key)
);
create index webhook_processed_age on webhook_processed (portal_id, processed_at);
