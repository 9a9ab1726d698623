-- The engine's remembered state (engines/guided-actions/README.md) has two more fields:
--   occurrence: which event the action is about (a reply's email id, an assignment time...);
--               a new occurrence is a new action (new first_seen_at, no expiry).
--   cleared_at: a tombstone, set when the creation criteria were seen not holding; the next
--               occurrence starts no earlier than this, so an old event cannot make a returning
--               action look old. A cleared row keeps no expiry, occurrence or snapshot.
alter table guided_action_state add column occurrence text;
alter table guided_action_state add column cleared_at timestamptz;
