import type { Queryable } from './database';

export type Installation = {
  portalId: number;
  installedAt: Date;
  uninstalledAt: Date | null;
  scopes: string[];
  hubDomain: string | null;
  accessToken: string | null;
  refreshToken: string | null;
  tokenExpiresAt: Date | null;
};

export type InstallationInput = Pick<Installation, 'portalId' | 'scopes'> &
  Partial<Pick<Installation, 'hubDomain' | 'accessToken' | 'refreshToken' | 'tokenExpiresAt'>>;

export interface InstallationsRepo {
  get(portalId: number): Promise<Installation | undefined>;
  /** Records an install; repeating it keeps installed_at, re-installing after an uninstall starts a new one. */
  install(input: InstallationInput, now: Date): Promise<Installation>;
  /** Replaces the tokens after an OAuth refresh. */
  updateTokens(portalId: number, tokens: { accessToken: string; refreshToken: string; tokenExpiresAt: Date }): Promise<void>;
  /** Marks the portal uninstalled and drops its tokens; the row stays for history. */
  uninstall(portalId: number, now: Date): Promise<void>;
}

type Row = {
  portal_id: number;
  installed_at: Date;
  uninstalled_at: Date | null;
  scopes: string[];
  hub_domain: string | null;
  access_token: string | null;
  refresh_token: string | null;
  token_expires_at: Date | null;
};

const COLUMNS = 'portal_id, installed_at, uninstalled_at, scopes, hub_domain, access_token, refresh_token, token_expires_at';

function toInstallation(r: Row): Installation {
  return {
    portalId: r.portal_id,
    installedAt: r.installed_at,
    uninstalledAt: r.uninstalled_at,
    scopes: r.scopes,
    hubDomain: r.hub_domain,
    accessToken: r.access_token,
    refreshToken: r.refresh_token,
    tokenExpiresAt: r.token_expires_at,
  };
}

/** Builds the installations repository on a database or an open transaction. */
export function createInstallationsRepo(db: Queryable): InstallationsRepo {
  return {
    async get(portalId) {
      const row = await db.maybeOne<Row>(`select ${COLUMNS} from installations where portal_id = $1`, [portalId]);
      return row && toInstallation(row);
    },

    async install(input, now) {
      // Scopes travel as JSON: one text[] binding that behaves the same on both drivers.
      const row = await db.one<Row>(
        `insert into installations as i
           (portal_id, installed_at, scopes, hub_domain, access_token, refresh_token, token_expires_at)
         values ($1, $2, array(select jsonb_array_elements_text($3::jsonb)), $4, $5, $6, $7)
         on conflict (portal_id) do update set
           installed_at = case when i.uninstalled_at is null then i.installed_at else excluded.installed_at end,
           uninstalled_at = null,
           scopes = excluded.scopes,
           hub_domain = coalesce(excluded.hub_domain, i.hub_domain),
           access_token = excluded.access_token,
           refresh_token = excluded.refresh_token,
           token_expires_at = excluded.token_expires_at
         returning ${COLUMNS}`,
        [
          input.portalId,
          now,
          JSON.stringify(input.scopes),
          input.hubDomain ?? null,
          input.accessToken ?? null,
          input.refreshToken ?? null,
          input.tokenExpiresAt ?? null,
        ],
      );
      return toInstallation(row);
    },

    async updateTokens(portalId, tokens) {
      await db.query(
        'update installations set access_token = $2, refresh_token = $3, token_expires_at = $4 where portal_id = $1',
        [portalId, tokens.accessToken, tokens.refreshToken, tokens.tokenExpiresAt],
      );
    },

    async uninstall(portalId, now) {
      await db.query(
        `update installations
            set uninstalled_at = $2, access_token = null, refresh_token = null, token_expires_at = null
          where portal_id = $1`,
        [portalId, now],
      );
    },
  };
}
