import type { Queryable } from './database';

export interface SettingsRepo {
  /** The stored JSON value, or undefined when the portal never set this key. */
  getSetting<T = unknown>(portalId: number, key: string): Promise<T | undefined>;
  /** Every setting of a portal, by key. */
  getSettings(portalId: number): Promise<Map<string, unknown>>;
  /** Creates or replaces one setting. */
  putSetting(portalId: number, key: string, value: unknown, now: Date): Promise<void>;
}

/** Builds the per-portal settings repository on a database or an open transaction. */
export function createSettingsRepo(db: Queryable): SettingsRepo {
  return {
    async getSetting<T>(portalId: number, key: string) {
      const row = await db.maybeOne<{ value: T }>('select value from portal_settings where portal_id = $1 and key = $2', [portalId, key]);
      return row?.value;
    },

    async getSettings(portalId) {
      const rows = await db.query<{ key: string; value: unknown }>('select key, value from portal_settings where portal_id = $1', [
        portalId,
      ]);
      return new Map(rows.map((r) => [r.key, r.value]));
    },

    async putSetting(portalId, key, value, now) {
      if (value === undefined) throw new Error(`Setting "${key}" cannot be undefined; store null instead`);
      await db.query(
        `insert into portal_settings (portal_id, key, value, updated_at) values ($1, $2, $3::jsonb, $4)
         on conflict (portal_id, key) do update set value = excluded.value, updated_at = excluded.updated_at`,
        [portalId, key, JSON.stringify(value), now],
      );
    },
  };
}
