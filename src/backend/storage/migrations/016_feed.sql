-- The Feed tab (issue 16, CS-FEED-3): feed items a user dismissed, remembered per user. An item id
-- names its source ("email:123", "open:456:1767225600000"), so a dismissal outlives copy reloads.
create table feed_dismissals (
  portal_id    bigint not null,
  user_id      bigint not null,
  item_id      text not null,
  dismissed_at timestamptz not null,
  primary key (portal_id, user_id, item_id)
);
