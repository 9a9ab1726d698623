import type { Queryable } from './database';

export const INSTALL_STATUSES = ['active', 'needs-reconnect', 'uninstalled'] as const;
export type InstallStatus = (typeof INSTALL_STATUSES)[number];

/** One portal's install. Token fields hold ciphertext (services/install/token-cipher.ts). */
export type Installation = {
  portalId: number;
  status: InstallStatus;
  installedAt: Date;
  uninstalledAt: Date | null;
  installedByUserId: number | null;
  scopes: string[];
  hubDomain: string | null;
  accessToken: string | null;
  refreshToken: string | null;
  tokenExpiresAt: Date | null;
  tokenRefreshAt: Date | null;
  purgeAfter: Date | null;
  purgedAt: Date | null;
};

export type InstallationInput = Pick<Installation, 'portalId' | 'scopes'> &
  Partial<Pick<Installation, 'hubDomain' | 'accessToken' | 'refreshToken' | 'tokenExpiresAt' | 'tokenRefreshAt' | 'installedByUserId'>>;

export type StoredTokens = { accessToken: string; refreshToken: string; tokenExpiresAt: Date; tokenRefreshAt?: Date };

export interface InstallationsRepo {
  get(portalId: number): Promise<Installation | undefined>;
  /** Portals whose install is active or waiting for a reconnect (those Tiller serves). */
  listServed(): Promise<Installation[]>;
  /** Records an install; repeating it keeps installed_at, re-installing after an uninstall starts a new one. */
  install(input: InstallationInput, now: Date): Promise<Installation>;
  /** Replaces the tokens after an OAuth refresh. */
  updateTokens(portalId: number, tokens: StoredTokens): Promise<void>;
  /** HubSpot refused this access token (401): refresh it on next use, unless it was replaced meanwhile. */
  refreshDueNow(portalId: number, accessToken: string, now: Date): Promise<void>;
  /**
   * HubSpot refused the refresh token: drop the tokens, keep the install until it is reconnected;
   * unless reconnected, its data is purged after `purgeAfter` like an uninstall's.
   */
  markNeedsReconnect(portalId: number, purgeAfter?: Date): Promise<void>;
  /** Marks the portal uninstalled, drops its tokens and schedules the purge; the row stays for history. */
  uninstall(portalId: number, now: Date, purgeAfter?: Date): Promise<void>;
  /** Uninstalled (or never reconnected) portals whose grace period is over and that are not purged yet. */
  duePurges(now: Date): Promise<number[]>;
  /** Deletes everything stored for the portal in every table (the installations row keeps only its history). */
  purge(portalId: number, now: Date): Promise<{ tables: string[] }>;
  /**
   * A contact's privacy deletion: removes every row about that contact (tables keyed by
   * object_type/object_id or record_key) and every remembered action that names it. Returns rows deleted per table.
   */
  forgetContact(portalId: number, contactId: string): Promise<Record<string, number>>;
  /** Remembers a state value for the install flow. */
  saveState(nonce: string, browserHash: string, expiresAt: Date): Promise<void>;
  /** Consumes a state value: it is gone afterwards, whoever asks; undefined if unknown or already used. */
  takeState(nonce: string): Promise<{ browserHash: string; expiresAt: Date } | undefined>;
  /** Drops state values that expired (housekeeping). */
  dropExpiredStates(now: Date): Promise<void>;
  grantManager(portalId: number, userId: number, grantedBy: number, now: Date): Promise<void>;
  revokeManager(portalId: number, userId: number): Promise<boolean>;
  grantedManagers(portalId: number): Promise<{ userId: number; grantedBy: number; grantedAt: Date }[]>;
}

type Row = {
  portal_id: number;
  status: InstallStatus;
  installed_at: Date;
  uninstalled_at: Date | null;
  installed_by_user_id: number | null;
  scopes: string[];
  hub_domain: string | null;
  access_token: string | null;
  refresh_token: string | null;
  token_expires_at: Date | null;
  token_refresh_at: Date | null;
  purge_after: Date | null;
  purged_at: Date | null;
};

const COLUMNS =
  'portal_id, status, installed_at, uninstalled_at, installed_by_user_id, scopes, hub_domain, access_token, refresh_token, token_expires_at, token_refresh_at, purge_after, purged_at';

function toInstallation(r: Row): Installation {
  return {
    portalId: r.portal_id,
    status: r.status,
    installedAt: r.installed_at,
    uninstalledAt: r.uninstalled_at,
    installedByUserId: r.installed_by_user_id,
    scopes: r.scopes,
    hubDomain: r.hub_domain,
    accessToken: r.access_token,
    refreshToken: r.refresh_token,
    tokenExpiresAt: r.token_expires_at,
    tokenRefreshAt: r.token_refresh_at,
    purgeAfter: r.purge_after,
    purgedAt: r.purged_at,
  };
}

/** Builds the installations repository on a database or an open transaction. */
export function createInstallationsRepo(db: Queryable): InstallationsRepo {
  return {
    async get(portalId) {
      const row = await db.maybeOne<Row>(`select ${COLUMNS} from installations where portal_id = $1`, [portalId]);
      return row && toInstallation(row);
    },

    async listServed() {
      const rows = await db.query<Row>(`select ${COLUMNS} from installations where status <> 'uninstalled' order by portal_id`);
      return rows.map(toInstallation);
    },

    async install(input, now) {
      // Scopes travel as JSON: one text[] binding that behaves the same on both drivers.
      const row = await db.one<Row>(
        `insert into installations as i
           (portal_id, status, installed_at, scopes, hub_domain, access_token, refresh_token, token_expires_at,
            token_refresh_at, installed_by_user_id)
         values ($1, 'active', $2, array(select jsonb_array_elements_text($3::jsonb)), $4, $5, $6, $7, $8, $9)
         on conflict (portal_id) do update set
           installed_at = case when i.status = 'uninstalled' then excluded.installed_at else i.installed_at end,
           installed_by_user_id = coalesce(excluded.installed_by_user_id, i.installed_by_user_id),
           status = 'active',
           uninstalled_at = null,
           purge_after = null,
           purged_at = null,
           scopes = excluded.scopes,
           hub_domain = coalesce(excluded.hub_domain, i.hub_domain),
           access_token = excluded.access_token,
           refresh_token = excluded.refresh_token,
           token_expires_at = excluded.token_expires_at,
           token_refresh_at = excluded.token_refresh_at
         returning ${COLUMNS}`,
        [
          input.portalId,
          now,
          JSON.stringify(input.scopes),
          input.hubDomain ?? null,
          input.accessToken ?? null,
          input.refreshToken ?? null,
          input.tokenExpiresAt ?? null,
          input.tokenRefreshAt ?? input.tokenExpiresAt ?? null,
          input.installedByUserId ?? null,
        ],
      );
      return toInstallation(row);
    },

    async updateTokens(portalId, tokens) {
      await db.query(
        `update installations set access_token = $2, refresh_token = $3, token_expires_at = $4, token_refresh_at = $5
          where portal_id = $1 and status = 'active'`,
        [portalId, tokens.accessToken, tokens.refreshToken, tokens.tokenExpiresAt, tokens.tokenRefreshAt ?? tokens.tokenExpiresAt],
      );
    },

    async refreshDueNow(portalId, accessToken, now) {
      await db.query(
        'update installations set token_refresh_at = $3 where portal_id = $1 and access_token = $2 and token_refresh_at > $3',
        [portalId, accessToken, now],
      );
    },

    async markNeedsReconnect(portalId, purgeAfter) {
      await db.query(
        `update installations
            set status = 'needs-reconnect', purge_after = $2,
                access_token = null, refresh_token = null, token_expires_at = null, token_refresh_at = null
          where portal_id = $1 and status = 'active'`,
        [portalId, purgeAfter ?? null],
      );
    },

    async uninstall(portalId, now, purgeAfter) {
      await db.query(
        `update installations
            set status = 'uninstalled', uninstalled_at = $2, purge_after = $3,
                access_token = null, refresh_token = null, token_expires_at = null, token_refresh_at = null
          where portal_id = $1 and status <> 'uninstalled'`,
        [portalId, now, purgeAfter ?? null],
      );
    },

    async duePurges(now) {
      const rows = await db.query<{ portal_id: number }>(
        `select portal_id from installations
          where status in ('uninstalled', 'needs-reconnect') and purged_at is null and purge_after is not null and purge_after <= $1
          order by portal_id`,
        [now],
      );
      return rows.map((r) => r.portal_id);
    },

    async purge(portalId, now) {
      // Every table keyed by portal_id, so tables added later (the portal copy) are purged too.
      const tables = await db.query<{ name: string }>(
        `select table_name as name from information_schema.columns
          where table_schema = current_schema() and column_name = 'portal_id' and table_name <> 'installations'
          order by table_name`,
      );
      for (const t of tables) await db.query(`delete from "${t.name}" where portal_id = $1`, [portalId]);
      await db.query(
        `update installations
            set status = 'uninstalled', uninstalled_at = coalesce(uninstalled_at, $2),
                purged_at = $2, scopes = '{}', hub_domain = null, installed_by_user_id = null,
                access_token = null, refresh_token = null, token_expires_at = null, token_refresh_at = null
          where portal_id = $1`,
        [portalId, now],
      );
      return { tables: tables.map((t) => t.name) };
    },

    async forgetContact(portalId, contactId) {
      const columns = await db.query<{ table_name: string; column_name: string }>(
        `select table_name, column_name from information_schema.columns
          where table_schema = current_schema() and column_name in ('portal_id', 'object_type', 'object_id', 'record_key', 'association_snapshot')`,
      );
      const byTable = new Map<string, Set<string>>();
      for (const c of columns) byTable.set(c.table_name, (byTable.get(c.table_name) ?? new Set()).add(c.column_name));
      const out: Record<string, number> = {};
      const note = (table: string, n: number) => {
        if (n > 0) out[table] = (out[table] ?? 0) + n;
      };
      for (const [table, cols] of [...byTable].sort(([a], [b]) => a.localeCompare(b))) {
        if (!cols.has('portal_id')) continue;
        if (cols.has('object_type') && cols.has('object_id')) {
          note(
            table,
            (
              await db.query(`delete from "${table}" where portal_id = $1 and object_type = 'contacts' and object_id = $2 returning 1`, [
                portalId,
                contactId,
              ])
            ).length,
          );
        }
        if (cols.has('record_key')) {
          note(
            table,
            (
              await db.query(`delete from "${table}" where portal_id = $1 and record_key = $2 returning 1`, [
                portalId,
                `contacts:${contactId}`,
              ])
            ).length,
          );
        }
        if (cols.has('association_snapshot')) {
          note(
            table,
            (
              await db.query(
                `delete from "${table}" where portal_id = $1 and association_snapshot is not null
               and jsonb_path_exists(association_snapshot, '$.** ? (@.objectType == "contacts" && @.objectId == $id)', jsonb_build_object('id', $2::text))
             returning 1`,
                [portalId, contactId],
              )
            ).length,
          );
        }
      }
      return out;
    },

    async saveState(nonce, browserHash, expiresAt) {
      await db.query('insert into oauth_states (nonce, browser_hash, expires_at) values ($1, $2, $3)', [nonce, browserHash, expiresAt]);
    },

    async takeState(nonce) {
      // delete … returning: of two callbacks racing with one state, exactly one gets the row.
      const row = await db.maybeOne<{ browser_hash: string; expires_at: Date }>(
        'delete from oauth_states where nonce = $1 returning browser_hash, expires_at',
        [nonce],
      );
      return row && { browserHash: row.browser_hash, expiresAt: row.expires_at };
    },

    async dropExpiredStates(now) {
      await db.query('delete from oauth_states where expires_at < $1', [now]);
    },

    async grantManager(portalId, userId, grantedBy, now) {
      await db.query(
        `insert into portal_managers (portal_id, user_id, granted_by, granted_at) values ($1, $2, $3, $4)
         on conflict (portal_id, user_id) do nothing`,
        [portalId, userId, grantedBy, now],
      );
    },

    async revokeManager(portalId, userId) {
      const rows = await db.query('delete from portal_managers where portal_id = $1 and user_id = $2 returning user_id', [
        portalId,
        userId,
      ]);
      return rows.length > 0;
    },

    async grantedManagers(portalId) {
      const rows = await db.query<{ user_id: number; granted_by: number; granted_at: Date }>(
        'select user_id, granted_by, granted_at from portal_managers where portal_id = $1 order by user_id',
        [portalId],
      );
      return rows.map((r) => ({ userId: r.user_id, grantedBy: r.granted_by, grantedAt: r.granted_at }));
    },
  };
}
