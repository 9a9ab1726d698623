-- One row per HubSpot portal that installed the app. Tokens stay nullable: the OAuth flow
-- fills them, and an uninstall may wipe them while keeping the row for history.
create table installations (
  portal_id        bigint primary key,
  installed_at     timestamptz not null,
  uninstalled_at   timestamptz,
  scopes           text[] not null default '{}',
  hub_domain       text,
  access_token     text,
  refresh_token    text,
  token_expires_at timestamptz
);

-- Per-portal settings (rule windows, thresholds, ...): one JSON value per key.
create table portal_settings (
  portal_id  bigint not null,
  key        text not null,
  value      jsonb not null,
  updated_at timestamptz not null,
  primary key (portal_id, key)
);
