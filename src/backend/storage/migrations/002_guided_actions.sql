-- What we remember about each guided action, per portal, rep, rule and record
-- (record_key = '<objectType>:<objectId>'). A row exists from the first time the action was
-- produced; expired_at is set when an expiry condition fired, and the row is deleted when the
-- criteria stop holding, so the action can come back (with a new first_seen_at) only after
-- its criteria stopped holding and held again.
create table guided_action_state (
  portal_id            bigint not null,
  user_id              text not null,
  rule_id              text not null,
  record_key           text not null,
  first_seen_at        timestamptz not null,
  last_seen_at         timestamptz not null,
  expired_at           timestamptz,
  expired_reason       text,
  -- Rules 6, 7, 11: the associated contact/company at the moment the action was created.
  association_snapshot jsonb,
  primary key (portal_id, user_id, rule_id, record_key),
  check (expired_reason is null or expired_at is not null)
);

-- The rep's answer to "is this useful?"; kept independently of the action's lifecycle.
create table guided_action_feedback (
  portal_id   bigint not null,
  user_id     text not null,
  rule_id     text not null,
  record_key  text not null,
  answer      text not null check (answer in ('YES_CONTINUE', 'NOT_REALLY')),
  answered_at timestamptz not null,
  primary key (portal_id, user_id, rule_id, record_key)
);
