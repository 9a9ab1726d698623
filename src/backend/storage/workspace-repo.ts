import type { Queryable } from './database';

// Migration 010: settings history, the object workspaces' custom views, and when each customer's
// CSM property was last set (captured by a trigger on the copy).

export type SettingsChangeRow = { key: string; changedAt: Date; userId: number; before: unknown; after: unknown };

export type StoredView = {
  id: string;
  workspace: string;
  ownerUserId: number;
  name: string;
  sharing: 'private' | 'everyone';
  query: unknown;
  createdAt: Date;
  updatedAt: Date;
};

export type CsmAssignment = { property: string; value: string | null; assignedAt: Date };

export interface WorkspaceRepo {
  /** Replaces one setting and records the change (before/after, who, when) in one transaction. */
  putSettingWithHistory(portalId: number, key: string, value: unknown, userId: number, now: Date): Promise<void>;
  settingsHistory(portalId: number, key: string, limit: number): Promise<SettingsChangeRow[]>;

  /** Views the user sees: their own and every view shared with everyone. */
  visibleViews(portalId: number, workspace: string, userId: number): Promise<StoredView[]>;
  getView(portalId: number, workspace: string, id: string): Promise<StoredView | undefined>;
  insertView(portalId: number, view: Omit<StoredView, 'createdAt' | 'updatedAt'>, now: Date): Promise<StoredView>;
  updateView(
    portalId: number,
    workspace: string,
    id: string,
    patch: Pick<StoredView, 'name' | 'sharing' | 'query'>,
    now: Date,
  ): Promise<StoredView | undefined>;
  deleteView(portalId: number, workspace: string, id: string): Promise<boolean>;

  /** When the CSM property of each record was last set, as the copy saw it (keyed by record id). */
  csmAssignments(portalId: number, objectType: string): Promise<Map<string, CsmAssignment>>;

  /** The stored health category of every scored record of one profile and object type (keyed by record id). */
  healthCategories(portalId: number, profileId: string, objectType: string): Promise<Map<string, string>>;
}

type ViewRow = {
  id: string;
  workspace: string;
  owner_user_id: number | bigint;
  name: string;
  sharing: 'private' | 'everyone';
  query: unknown;
  created_at: Date;
  updated_at: Date;
};

const toView = (r: ViewRow): StoredView => ({
  id: r.id,
  workspace: r.workspace,
  ownerUserId: Number(r.owner_user_id),
  name: r.name,
  sharing: r.sharing,
  query: r.query,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Builds the workspace repository on a database (settings writes need its transactions). */
export function createWorkspaceRepo(db: Queryable & { transaction?: <T>(fn: (tx: Queryable) => Promise<T>) => Promise<T> }): WorkspaceRepo {
  const inTransaction = <T>(fn: (tx: Queryable) => Promise<T>) => (db.transaction ? db.transaction(fn) : fn(db));
  return {
    async putSettingWithHistory(portalId, key, value, userId, now) {
      await inTransaction(async (tx) => {
        const before = await tx.maybeOne<{ value: unknown }>(
          'select value from portal_settings where portal_id = $1 and key = $2 for update',
          [portalId, key],
        );
        await tx.query(
          `insert into portal_settings (portal_id, key, value, updated_at) values ($1, $2, $3::jsonb, $4)
           on conflict (portal_id, key) do update set value = excluded.value, updated_at = excluded.updated_at`,
          [portalId, key, JSON.stringify(value), now],
        );
        await tx.query(
          'insert into settings_history (portal_id, key, changed_at, user_id, before, after) values ($1, $2, $3, $4, $5::jsonb, $6::jsonb)',
          [portalId, key, now, userId, before === undefined ? null : JSON.stringify(before.value), JSON.stringify(value)],
        );
      });
    },

    async settingsHistory(portalId, key, limit) {
      const rows = await db.query<{ key: string; changed_at: Date; user_id: number | bigint; before: unknown; after: unknown }>(
        'select key, changed_at, user_id, before, after from settings_history where portal_id = $1 and key = $2 order by seq desc limit $3',
        [portalId, key, limit],
      );
      return rows.map((r) => ({ key: r.key, changedAt: r.changed_at, userId: Number(r.user_id), before: r.before, after: r.after }));
    },

    async visibleViews(portalId, workspace, userId) {
      const rows = await db.query<ViewRow>(
        `select * from workspace_views where portal_id = $1 and workspace = $2 and (owner_user_id = $3 or sharing = 'everyone')
          order by lower(name), id`,
        [portalId, workspace, userId],
      );
      return rows.map(toView);
    },

    async getView(portalId, workspace, id) {
      const row = await db.maybeOne<ViewRow>('select * from workspace_views where portal_id = $1 and workspace = $2 and id = $3', [
        portalId,
        workspace,
        id,
      ]);
      return row ? toView(row) : undefined;
    },

    async insertView(portalId, v, now) {
      const row = await db.one<ViewRow>(
        `insert into workspace_views (portal_id, workspace, id, owner_user_id, name, sharing, query, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $8) returning *`,
        [portalId, v.workspace, v.id, v.ownerUserId, v.name, v.sharing, JSON.stringify(v.query), now],
      );
      return toView(row);
    },

    async updateView(portalId, workspace, id, patch, now) {
      const row = await db.maybeOne<ViewRow>(
        `update workspace_views set name = $4, sharing = $5, query = $6::jsonb, updated_at = $7
          where portal_id = $1 and workspace = $2 and id = $3 returning *`,
        [portalId, workspace, id, patch.name, patch.sharing, JSON.stringify(patch.query), now],
      );
      return row ? toView(row) : undefined;
    },

    async deleteView(portalId, workspace, id) {
      const rows = await db.query('delete from workspace_views where portal_id = $1 and workspace = $2 and id = $3 returning id', [
        portalId,
        workspace,
        id,
      ]);
      return rows.length > 0;
    },

    async csmAssignments(portalId, objectType) {
      const rows = await db.query<{ id: number | bigint; property: string; value: string | null; assigned_at: Date }>(
        'select id, property, value, assigned_at from crm_csm_assignments where portal_id = $1 and object_type = $2',
        [portalId, objectType],
      );
      return new Map(rows.map((r) => [String(r.id), { property: r.property, value: r.value, assignedAt: r.assigned_at }]));
    },

    async healthCategories(portalId, profileId, objectType) {
      const rows = await db.query<{ object_id: string | number | bigint; category: string }>(
        'select object_id, category from health_record_state where portal_id = $1 and profile_id = $2 and object_type = $3',
        [portalId, profileId, objectType],
      );
      return new Map(rows.map((r) => [String(r.object_id), r.category]));
    },
  };
}
