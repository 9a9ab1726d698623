-- Installs for real (issue #12). The token columns now hold AES-256-GCM ciphertext
-- ("v1.<key id>.<iv>.<tag>.<data>", services/install/token-cipher.ts), never a plaintext token.
--   status: active | needs-reconnect (HubSpot refused the refresh token: no more calls) | uninstalled
--   token_refresh_at: when to refresh, ahead of token_expires_at
--   purge_after: an uninstalled portal's data is deleted after this (PURGE_AFTER_DAYS)
alter table installations add column status text not null default 'active'
  check (status in ('active', 'needs-reconnect', 'uninstalled'));
alter table installations add column installed_by_user_id bigint;
alter table installations add column token_refresh_at timestamptz;
alter table installations add column purge_after timestamptz;
alter table installations add column purged_at timestamptz;

-- The install flow's state values: single use (deleted when consumed), short-lived, bound to the
-- browser that started the install (the hash of its cookie).
create table oauth_states (
  nonce        text primary key,
  browser_hash text not null,
  expires_at   timestamptz not null
);

-- Users a manager made a manager (the portal's super admins are managers without a row).
create table portal_managers (
  portal_id  bigint not null,
  user_id    bigint not null,
  granted_by bigint not null,
  granted_at timestamptz not null,
  primary key (portal_id, user_id)
);
