import type { Queryable, SqlParam } from './database';

// What health runs read from the portal copy (docs/decisions/0007, migration 005) and the
// bookkeeping of rescoring and backfill (migration 014). Every statement filters on the portal
// first; reads are set-based: one statement per page of customers and per linked object family.

/** A customer as a run reads it: the properties asked for, when it was created and last modified. */
export type CustomerRecord = {
  id: string;
  properties: Record<string, string | null>;
  createdAt: Date | null;
  modifiedAt: Date | null;
};

/** A record linked to a customer (an engagement, a ticket, a deal), with the properties asked for. */
export type LinkedRecord = {
  customerId: string;
  objectType: string;
  id: string;
  properties: Record<string, string | null>;
  createdAt: Date | null;
};

export type DirtyRow = { objectType: string; objectId: string; firstMarked: Date; markedAt: Date };

/** Records of the copy that changed: a type and its ids. */
export type Touched = { objectType: string; ids: string[] };

export interface HealthCopyRepo {
  /** Live customers of `objectType` with id above `afterId`, ascending, at most `limit`. */
  customerPage(
    portalId: number,
    objectType: string,
    properties: string[],
    afterId: string | null,
    limit: number,
  ): Promise<CustomerRecord[]>;
  /** Live customers of `objectType` among `ids`. */
  customersByIds(portalId: number, objectType: string, properties: string[], ids: string[]): Promise<CustomerRecord[]>;
  /**
   * Live records of `linkedTypes` associated with the customers `ids` (either direction). With
   * `dueWindow`, only those whose due_at (hs_timestamp; meeting start) lies in it, a day of slack
   * either side (callers filter exactly on their own timestamp).
   */
  linked(
    portalId: number,
    customerType: string,
    ids: string[],
    linkedTypes: string[],
    properties: string[],
    dueWindow?: { from: Date; to: Date },
  ): Promise<LinkedRecord[]>;
  /**
   * Marks dirty the customers (of each type in `customerTypes`) that `touched` records are or are
   * associated with. Returns how many rows were marked.
   */
  markDirty(portalId: number, customerTypes: string[], touched: Touched[], at: Date): Promise<number>;
  isDirty(portalId: number, objectType: string, objectId: string): Promise<boolean>;
  /** Dirty rows of a portal, oldest first. */
  dirty(portalId: number, limit: number): Promise<DirtyRow[]>;
  /** Removes dirty rows not marked again since they were read. */
  clearDirty(portalId: number, rows: DirtyRow[]): Promise<void>;
  /** Portals with dirty rows and when their oldest and newest marks were made. */
  dirtyPortals(): Promise<{ portalId: number; first: Date; last: Date }[]>;
  /** The object types scored by a portal's profiles. */
  scoredTypes(portalId: number): Promise<string[]>;
  /** What hysteresis needs of some records' stored states (rescoring a few). */
  statesFor(
    portalId: number,
    profileId: string,
    objectType: string,
    ids: string[],
  ): Promise<Map<string, { runId: string; recent: unknown[]; change: unknown }>>;
  backfillDone(portalId: number, profileId: string): Promise<boolean>;
  putBackfillDone(portalId: number, profileId: string, days: number, runId: string, at: Date): Promise<void>;
  /**
   * Totals of a rescore: every record's current state under the profile, per CSM, as one run at
   * `at` (so "average over time" reads the portal as it stands after the rescore).
   */
  writeStateTotals(portalId: number, profileId: string, runId: string, at: Date): Promise<void>;
}

type Row = { id: number | bigint; properties: Record<string, string | null> | null; created_at: Date | null; modified_at: Date | null };

/**
 * Only the properties asked for, as a jsonb object built in the database (names bound as
 * parameters from `first` on; unset ones are null, as HubSpot's search returns them).
 */
function subset(alias: string, names: string[], first: number): string {
  if (names.length === 0) return `'{}'::jsonb`;
  return `jsonb_build_object(${names.map((_, i) => `$${first + i}::text, ${alias}.properties->>$${first + i}::text`).join(', ')})`;
}

const numericIds = (ids: string[]) => ids.filter((id) => /^\d{1,18}$/.test(id));

export function createHealthCopyRepo(db: Queryable): HealthCopyRepo {
  const toCustomer = (r: Row): CustomerRecord => ({
    id: String(r.id),
    properties: r.properties ?? {},
    createdAt: r.created_at,
    modifiedAt: r.modified_at,
  });
  return {
    async customerPage(portalId, objectType, properties, afterId, limit) {
      const rows = await db.query<Row>(
        `select r.id, ${subset('r', properties, 5)} as properties, r.created_at, r.modified_at from crm_records r
          where r.portal_id = $1 and r.object_type = $2 and not r.archived and ($3::bigint is null or r.id > $3::bigint)
          order by r.id limit $4`,
        [portalId, objectType, afterId, limit, ...properties],
      );
      return rows.map(toCustomer);
    },

    async customersByIds(portalId, objectType, properties, ids) {
      const list = numericIds(ids);
      if (list.length === 0) return [];
      const rows = await db.query<Row>(
        `select r.id, ${subset('r', properties, 4)} as properties, r.created_at, r.modified_at from crm_records r
          where r.portal_id = $1 and r.object_type = $2 and not r.archived and r.id = any($3::bigint[])
          order by r.id`,
        [portalId, objectType, list, ...properties],
      );
      return rows.map(toCustomer);
    },

    async linked(portalId, customerType, ids, linkedTypes, properties, dueWindow) {
      const list = numericIds(ids);
      if (list.length === 0 || linkedTypes.length === 0) return [];
      const params: SqlParam[] = [portalId, customerType, list, linkedTypes];
      let window = '';
      if (dueWindow) {
        params.push(new Date(dueWindow.from.getTime() - 86_400_000), new Date(dueWindow.to.getTime() + 86_400_000));
        window = 'and e.due_at > $5 and e.due_at <= $6';
      }
      const props = subset('e', properties, params.length + 1);
      params.push(...properties);
      const rows = await db.query<{
        customer_id: number | bigint;
        object_type: string;
        id: number | bigint;
        properties: Record<string, string | null> | null;
        created_at: Date | null;
      }>(
        `select p.customer_id, e.object_type, e.id, ${props} as properties, e.created_at from (
           select to_id as customer_id, from_type as t, from_id as other from crm_associations
            where portal_id = $1 and to_type = $2 and to_id = any($3::bigint[]) and from_type = any($4::text[])
           union
           select from_id as customer_id, to_type as t, to_id as other from crm_associations
            where portal_id = $1 and from_type = $2 and from_id = any($3::bigint[]) and to_type = any($4::text[])
         ) p
         join crm_records e on e.portal_id = $1 and e.object_type = p.t and e.id = p.other and not e.archived
         where true ${window}
         order by p.customer_id, e.object_type, e.id`,
        params,
      );
      return rows.map((r) => ({
        customerId: String(r.customer_id),
        objectType: r.object_type,
        id: String(r.id),
        properties: r.properties ?? {},
        createdAt: r.created_at,
      }));
    },

    async markDirty(portalId, customerTypes, touched, at) {
      if (customerTypes.length === 0) return 0;
      const types: string[] = [];
      const ids: string[] = [];
      for (const t of touched)
        for (const id of numericIds(t.ids)) {
          types.push(t.objectType);
          ids.push(id);
        }
      if (ids.length === 0) return 0;
      // The touched records that are customers, and the customers associated with the others.
      const rows = await db.query(
        `insert into health_dirty (portal_id, object_type, object_id, first_marked, marked_at)
         select $1, c.object_type, c.object_id::text, $5, $5 from (
           select t.object_type, t.id as object_id from unnest($3::text[], $4::bigint[]) as t(object_type, id)
            where t.object_type = any($2::text[])
           union
           select a.to_type, a.to_id from crm_associations a join unnest($3::text[], $4::bigint[]) as t(object_type, id)
             on a.from_type = t.object_type and a.from_id = t.id
            where a.portal_id = $1 and a.to_type = any($2::text[])
           union
           select a.from_type, a.from_id from crm_associations a join unnest($3::text[], $4::bigint[]) as t(object_type, id)
             on a.to_type = t.object_type and a.to_id = t.id
            where a.portal_id = $1 and a.from_type = any($2::text[])
         ) c
         on conflict (portal_id, object_type, object_id) do update set marked_at = greatest(health_dirty.marked_at, excluded.marked_at)
         returning object_id`,
        [portalId, customerTypes, types, ids, at],
      );
      return rows.length;
    },

    async isDirty(portalId, objectType, objectId) {
      const row = await db.maybeOne('select 1 from health_dirty where portal_id = $1 and object_type = $2 and object_id = $3', [
        portalId,
        objectType,
        objectId,
      ]);
      return row !== undefined;
    },

    async dirty(portalId, limit) {
      const rows = await db.query<{ object_type: string; object_id: string; first_marked: Date; marked_at: Date }>(
        `select object_type, object_id, first_marked, marked_at from health_dirty where portal_id = $1
          order by first_marked, object_type, object_id limit $2`,
        [portalId, limit],
      );
      return rows.map((r) => ({ objectType: r.object_type, objectId: r.object_id, firstMarked: r.first_marked, markedAt: r.marked_at }));
    },

    async clearDirty(portalId, rows) {
      if (rows.length === 0) return;
      await db.query(
        `delete from health_dirty d using unnest($2::text[], $3::text[], $4::timestamptz[]) as t(object_type, object_id, marked_at)
          where d.portal_id = $1 and d.object_type = t.object_type and d.object_id = t.object_id and d.marked_at <= t.marked_at`,
        [
          portalId,
          rows.map((r) => r.objectType),
          rows.map((r) => r.objectId),
          rows.map((r) => r.markedAt.toISOString()) as unknown as readonly string[],
        ],
      );
    },

    async dirtyPortals() {
      const rows = await db.query<{ portal_id: number | bigint; first: Date; last: Date }>(
        'select portal_id, min(first_marked) as first, max(marked_at) as last from health_dirty group by portal_id order by portal_id',
      );
      return rows.map((r) => ({ portalId: Number(r.portal_id), first: r.first, last: r.last }));
    },

    async scoredTypes(portalId) {
      const rows = await db.query<{ object_type: string }>(
        'select distinct object_type from health_profiles where portal_id = $1 and deleted_at is null order by object_type',
        [portalId],
      );
      return rows.map((r) => r.object_type);
    },

    async statesFor(portalId, profileId, objectType, ids) {
      if (ids.length === 0) return new Map();
      const rows = await db.query<{ object_id: string; run_id: string; recent: unknown[]; change: unknown }>(
        `select object_id, run_id, recent, change from health_record_state
          where portal_id = $1 and profile_id = $2 and object_type = $3 and object_id = any($4::text[])`,
        [portalId, profileId, objectType, ids],
      );
      return new Map(rows.map((r) => [r.object_id, { runId: r.run_id, recent: r.recent, change: r.change }]));
    },

    async backfillDone(portalId, profileId) {
      const row = await db.maybeOne('select 1 from health_backfills where portal_id = $1 and profile_id = $2', [portalId, profileId]);
      return row !== undefined;
    },

    async putBackfillDone(portalId, profileId, days, runId, at) {
      await db.query(
        `insert into health_backfills (portal_id, profile_id, days, run_id, finished_at) values ($1, $2, $3, $4, $5)
         on conflict (portal_id, profile_id) do nothing`,
        [portalId, profileId, days, runId, at],
      );
    },

    async writeStateTotals(portalId, profileId, runId, at) {
      await db.query(
        `insert into health_run_totals as t (portal_id, profile_id, run_id, owner_id, at, profile_version, score_sum, count, backfilled)
         select portal_id, profile_id, $3, coalesce(owner_id, ''), $4, max(profile_version), sum(score), count(*), false
           from health_record_state where portal_id = $1 and profile_id = $2
          group by portal_id, profile_id, coalesce(owner_id, '')
         on conflict (portal_id, profile_id, run_id, owner_id) do update set
           at = excluded.at, profile_version = excluded.profile_version, score_sum = excluded.score_sum, count = excluded.count`,
        [portalId, profileId, runId, at],
      );
    },
  };
}
