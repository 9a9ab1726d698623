import type { Queryable, Session, SqlParam } from './database';

// The portal copy's tables (migration 005, docs/decisions/0007-portal-copy.md). Every function
// takes the portal first and every statement filters on it. Writes are batched: one statement per
// call, rows passed as parallel arrays through unnest.

/** One record as the copy stores it: HubSpot's property strings plus the typed columns. */
export type CopyRecord = {
  id: string;
  properties: Record<string, string | null>;
  ownerId: string | null;
  createdAt: Date | null;
  modifiedAt: Date | null;
  dueAt: Date | null;
  pipeline: string | null;
  stage: string | null;
  status: string | null;
  archived: boolean;
  archivedAt: Date | null;
  mergedInto: string | null;
  /** occurredAt (epoch ms) of the newest change this row reflects; older writes are ignored. */
  versionMs: number;
};

export type CopyAssociation = {
  fromType: string;
  fromId: string;
  toType: string;
  toId: string;
  typeIds: number[];
  labels: string[];
};

/** An associated record seen from one side: the other record and the pair's types and labels. */
export type AssociatedRef = { id: string; typeIds: number[]; labels: string[] };

export type CopyOwner = {
  id: string;
  userId: number | null;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  archived: boolean;
  /** The owner's teams (the owners API's teams[]); none when not given. */
  teams?: { id: string; name: string }[];
};
export type CopyUser = { id: string; userId: number | null; timeZone: string | null };

export const SYNC_STATES = ['pending', 'loading', 'ready', 'error'] as const;
export type SyncStateName = (typeof SYNC_STATES)[number];

export type SyncState = {
  objectType: string;
  state: SyncStateName;
  records: number;
  totalEstimate: number | null;
  cursor: string | null;
  highWaterMs: number | null;
  loadStartedAt: Date | null;
  loadedAt: Date | null;
  lastChangeSeenAt: Date | null;
  lastPolledAt: Date | null;
  lastReconciledAt: Date | null;
  /** The properties the last complete load read (null: loaded before they were recorded). */
  loadedProperties: string[] | null;
  error: string | null;
  updatedAt: Date;
};

export type SyncStatePatch = Partial<Omit<SyncState, 'objectType' | 'updatedAt'>>;

/**
 * Properties whose past values the copy keeps (crm_property_history, migration 013) for every
 * portal, per object type: what rules read as HubSpot's propertiesWithHistory. A property added here
 * later needs its history read once for the records already copied (sync/first-load.ts loadHistory
 * does it per page). A portal adds its own (crm_history_properties, migration 025: the properties
 * its health profiles read, sync/property-history.ts).
 */
export const TRACKED_HISTORY: Readonly<Record<string, readonly string[]>> = {
  deals: ['hs_next_step'],
};

/** One past value of a tracked property. */
export type PropertyChange = {
  recordId: string;
  property: string;
  value: string | null;
  changedAt: Date;
  /** 'hubspot:<sourceType>' when read from HubSpot's history, 'copy' when the copy saw it change. */
  source: string;
};

export type UpsertOptions = {
  /**
   * Tracked properties whose HubSpot history the caller stores itself for these records (read with
   * propertiesWithHistory). Every other tracked property (TRACKED_HISTORY and the portal's own,
   * crm_history_properties) gets a history row (source 'copy', at the record's modification time)
   * for each value the write changes.
   */
  historyStored?: readonly string[];
};

/** Which records of one object type to list (all conditions together). */
export type RecordQuery = {
  ids?: string[];
  ownerId?: string;
  /** due_at strictly before this instant (and not null). */
  dueBefore?: Date;
  /** due_at at or after this instant (and not null). */
  dueFrom?: Date;
  /** status distinct from this value (null status counts as distinct). */
  statusNot?: string;
  /** Records associated with this record (either direction). */
  associatedWith?: { objectType: string; id: string };
  /** Include archived (tombstoned) records; default false. */
  archived?: boolean;
  orderBy?: 'due_at' | 'id';
  /** Only these properties (the rest of the record's jsonb is not read); default all. */
  properties?: readonly string[];
};

export interface CopyRepo {
  /** Returns how many rows were written (older versions are ignored); tracked properties' changes go to the history. */
  upsertRecords(portalId: number, objectType: string, records: CopyRecord[], syncedAt: Date, opts?: UpsertOptions): Promise<number>;
  /** Tombstones records (archived in HubSpot; restorable for 90 days). */
  archiveRecords(portalId: number, objectType: string, ids: string[], at: Date, versionMs: number): Promise<void>;
  /** Marks merged-away records (tombstoned, pointing at the winner) and moves their associations to the winner. */
  mergeRecords(portalId: number, objectType: string, loserIds: string[], winnerId: string, at: Date, versionMs: number): Promise<void>;
  /** Removes records and their associations for good. */
  deleteRecords(portalId: number, objectType: string, ids: string[]): Promise<void>;
  /** `properties`: only these (default all); `liveOnly`: leave archived records out. */
  getRecords(
    portalId: number,
    objectType: string,
    ids: string[],
    opts?: { properties?: readonly string[]; liveOnly?: boolean; since?: { column: 'due_at' | 'created_at'; at: Date } },
  ): Promise<Map<string, CopyRecord>>;
  listRecords(portalId: number, objectType: string, query?: RecordQuery): Promise<CopyRecord[]>;
  /** Stored version (epoch ms) per id, archived or not; absent ids are missing. */
  versions(portalId: number, objectType: string, ids: string[]): Promise<Map<string, number>>;
  /** Ids of the live (not archived) records of a type, ascending. */
  liveIds(portalId: number, objectType: string): Promise<string[]>;
  countRecords(portalId: number, objectType: string): Promise<number>;

  /** Replaces every pair between `fromIds` (of fromType) and toType, in both directions, by `pairs`. */
  replaceAssociations(
    portalId: number,
    fromType: string,
    fromIds: string[],
    toType: string,
    pairs: CopyAssociation[],
    syncedAt: Date,
  ): Promise<void>;
  upsertAssociations(portalId: number, pairs: CopyAssociation[], syncedAt: Date): Promise<void>;
  /** Removes one pair, whichever direction it was stored in. */
  removeAssociation(portalId: number, a: { type: string; id: string }, b: { type: string; id: string }): Promise<void>;
  /**
   * The live records of `toTypes` associated with each of `ids` (of fromType), with their
   * properties, in one query (labels for lists).
   */
  associatedRecords(
    portalId: number,
    fromType: string,
    ids: string[],
    toTypes: string[],
    /** Only these properties of the associated records (e.g. what labels them); default all. */
    properties?: readonly string[],
  ): Promise<{ id: string; toType: string; toId: string; properties: Record<string, string | null> }[]>;
  /** Records of toType associated with each of `ids` (of fromType), looking both ways. */
  associations(portalId: number, fromType: string, ids: string[], toType: string): Promise<Map<string, AssociatedRef[]>>;

  replaceOwners(portalId: number, owners: CopyOwner[]): Promise<void>;
  owners(portalId: number): Promise<CopyOwner[]>;
  replaceUsers(portalId: number, users: CopyUser[]): Promise<void>;
  users(portalId: number): Promise<CopyUser[]>;
  replacePipelines(portalId: number, objectType: string, pipelines: { id: string; pipeline: unknown }[]): Promise<void>;
  pipelines<T = unknown>(portalId: number, objectType: string): Promise<T[]>;
  replacePropertyDefinitions(portalId: number, objectType: string, definitions: { name: string; definition: unknown }[]): Promise<void>;
  propertyDefinitions<T = unknown>(portalId: number, objectType: string): Promise<T[]>;
  putPortal(portalId: number, facts: { timeZone: string | null }, syncedAt: Date): Promise<void>;
  portal(portalId: number): Promise<{ timeZone: string | null; syncedAt: Date } | undefined>;

  syncStates(portalId: number): Promise<SyncState[]>;
  syncState(portalId: number, objectType: string): Promise<SyncState | undefined>;
  putSyncState(portalId: number, objectType: string, patch: SyncStatePatch, now: Date): Promise<SyncState>;
  /** Stores past values of tracked properties (idempotent: one row per record, property and moment). */
  addPropertyHistory(portalId: number, objectType: string, changes: PropertyChange[]): Promise<void>;
  /** The moment of the newest known change of `property` per id (ids without history are absent). */
  lastPropertyChanges(portalId: number, objectType: string, property: string, ids: string[]): Promise<Map<string, Date>>;
  /** Every stored past value of `property` for `ids`, oldest first. */
  propertyHistory(portalId: number, objectType: string, property: string, ids: string[]): Promise<PropertyChange[]>;
  /** Every stored past value of each of `properties` for `ids`, by record, property and moment. */
  propertyHistories(portalId: number, objectType: string, properties: readonly string[], ids: string[]): Promise<PropertyChange[]>;
  /**
   * Names properties whose history the copy keeps for this portal from now on (idempotent): each
   * change a write applies to them is recorded, as for TRACKED_HISTORY.
   */
  trackHistory(portalId: number, objectType: string, properties: readonly string[], at: Date): Promise<void>;
  /** The properties whose history the copy keeps for this portal and type (TRACKED_HISTORY and its own), sorted. */
  historyProperties(portalId: number, objectType: string): Promise<string[]>;
  /** Per id, which of `properties` have their history read from HubSpot in the copy (a 'hubspot…' row). */
  historyRead(portalId: number, objectType: string, properties: readonly string[], ids: string[]): Promise<Map<string, Set<string>>>;
  /** The portal's copy version: moves on every write to its copy (0 before the first). */
  copyVersion(portalId: number): Promise<number>;
  /**
   * Runs `fn`'s writes as one (a first-load page: its records, their pairs, their history, the
   * cursor): in one transaction when this repository is built on a database or a session (inside
   * an open transaction, in it), and with each portal's copy version moved once, at the end,
   * instead of after every statement. Readers see the page all at once; the database commits once.
   * `fn` must write through the repository it is given only.
   */
  batch<T>(fn: (repo: CopyRepo) => Promise<T>): Promise<T>;
  /**
   * Refreshes the planner's statistics of the copy's tables (all portals: PostgreSQL keeps them
   * per table), after a first load has grown them; until then queries are planned as on empty tables.
   */
  analyze(): Promise<void>;

  /** Removes tombstones archived before `before` (HubSpot's recycle bin keeps them 90 days), with their pairs. */
  purgeTombstones(portalId: number, before: Date): Promise<number>;
  /** Everything the copy holds for a portal (uninstall). */
  purgePortal(portalId: number): Promise<void>;
}

/** A crm_records row as selected with RECORD_COLUMNS (storage's other copy readers share it). */
export type RecordRow = {
  id: number | bigint;
  properties: Record<string, string | null>;
  owner_id: number | bigint | null;
  created_at: Date | null;
  modified_at: Date | null;
  due_at: Date | null;
  pipeline: string | null;
  stage: string | null;
  status: string | null;
  archived: boolean;
  archived_at: Date | null;
  merged_into: number | bigint | null;
  version_ms: number | bigint;
};

export const RECORD_COLUMNS =
  'id, properties, owner_id, created_at, modified_at, due_at, pipeline, stage, status, archived, archived_at, merged_into, version_ms';

/**
 * Only the named properties of a record's jsonb, as a select expression (binds the names as one
 * array parameter): the rest of a wide record (contacts hold hundreds) is neither sent nor parsed.
 */
export function propertiesOf(alias: string, names: readonly string[], params: SqlParam[]): string {
  const p = `$${params.push(names as unknown as readonly string[])}::text[]`;
  return `(select coalesce(jsonb_object_agg(k, ${alias}.properties -> k), '{}'::jsonb) from unnest(${p}) as k where ${alias}.properties ? k)`;
}

/** RECORD_COLUMNS of `alias`, with only the named properties when `names` is given. */
export function recordColumns(alias: string, names: readonly string[] | undefined, params: SqlParam[]): string {
  return RECORD_COLUMNS.split(', ')
    .map((c) => (c === 'properties' && names ? `${propertiesOf(alias, names, params)} as properties` : `${alias}.${c}`))
    .join(', ');
}

const idOrNull = (v: number | bigint | null): string | null => (v === null ? null : String(v));

export function toRecord(r: RecordRow): CopyRecord {
  return {
    id: String(r.id),
    properties: r.properties,
    ownerId: idOrNull(r.owner_id),
    createdAt: r.created_at,
    modifiedAt: r.modified_at,
    dueAt: r.due_at,
    pipeline: r.pipeline,
    stage: r.stage,
    status: r.status,
    archived: r.archived,
    archivedAt: r.archived_at,
    mergedInto: idOrNull(r.merged_into),
    versionMs: Number(r.version_ms),
  };
}

// Arrays with nulls bind fine on both drivers; SqlParam's types just don't say so.
const arr = (values: (string | null)[]): SqlParam => values as unknown as readonly string[];
const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);
/** The first item of each key, in order. */
function firstOfEach<T>(items: readonly T[], key: (t: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const t of items) if (!seen.has(key(t))) seen.set(key(t), t);
  return [...seen.values()];
}
/** A numeric id column value: HubSpot owner ids are integers; anything else is not stored as one. */
const numericId = (v: string | null): string | null => (v !== null && /^\d{1,18}$/.test(v) ? v : null);

const STATE_COLUMNS: Record<keyof SyncStatePatch, string> = {
  state: 'state',
  records: 'records',
  totalEstimate: 'total_estimate',
  cursor: 'cursor',
  highWaterMs: 'high_water_ms',
  loadStartedAt: 'load_started_at',
  loadedAt: 'loaded_at',
  lastChangeSeenAt: 'last_change_seen_at',
  lastPolledAt: 'last_polled_at',
  lastReconciledAt: 'last_reconciled_at',
  loadedProperties: 'loaded_properties',
  error: 'error',
};

type StateRow = {
  object_type: string;
  state: SyncStateName;
  records: number;
  total_estimate: number | null;
  cursor: string | null;
  high_water_ms: number | bigint | null;
  load_started_at: Date | null;
  loaded_at: Date | null;
  last_change_seen_at: Date | null;
  last_polled_at: Date | null;
  last_reconciled_at: Date | null;
  loaded_properties: string[] | null;
  error: string | null;
  updated_at: Date;
};

function toState(r: StateRow): SyncState {
  return {
    objectType: r.object_type,
    state: r.state,
    records: r.records,
    totalEstimate: r.total_estimate,
    cursor: r.cursor,
    highWaterMs: r.high_water_ms === null ? null : Number(r.high_water_ms),
    loadStartedAt: r.load_started_at,
    loadedAt: r.loaded_at,
    lastChangeSeenAt: r.last_change_seen_at,
    lastPolledAt: r.last_polled_at,
    lastReconciledAt: r.last_reconciled_at,
    loadedProperties: r.loaded_properties,
    error: r.error,
    updatedAt: r.updated_at,
  };
}

/** Builds the portal copy's repository on a database or an open transaction. */
export function createCopyRepo(db: Queryable): CopyRepo {
  return buildCopyRepo(db, null);
}

const canBegin = (db: Queryable): db is Session => typeof (db as Partial<Session>).transaction === 'function';

/**
 * The repository on `db`. `deferred`: inside batch(), the copy versions to move once the batch's
 * writes are done (portal → the last moment given), instead of one statement per write.
 */
function buildCopyRepo(db: Queryable, deferred: Map<number, Date> | null): CopyRepo {
  const repo: CopyRepo = {
    async upsertRecords(portalId, objectType, records, syncedAt, opts = {}) {
      if (records.length === 0) return 0;
      // Last write per id wins inside one batch (on conflict cannot touch a row twice).
      const byId = new Map(records.map((r) => [r.id, r]));
      const rows = [...byId.values()];
      const given = new Set(opts.historyStored ?? []);
      const tracked = (await repo.historyProperties(portalId, objectType)).filter((p) => !given.has(p));
      const upsert = `insert into crm_records (portal_id, object_type, ${RECORD_COLUMNS}, synced_at)
         select $1, $2, t.id, t.properties::jsonb, t.owner_id, t.created_at, t.modified_at, t.due_at, t.pipeline, t.stage, t.status,
                t.archived, t.archived_at, t.merged_into, t.version_ms, $16
           from unnest($3::bigint[], $4::text[], $5::bigint[], $6::timestamptz[], $7::timestamptz[], $8::timestamptz[], $9::text[],
                       $10::text[], $11::text[], $12::boolean[], $13::timestamptz[], $14::bigint[], $15::bigint[])
                as t(id, properties, owner_id, created_at, modified_at, due_at, pipeline, stage, status, archived, archived_at, merged_into, version_ms)
         on conflict (portal_id, object_type, id) do update set
           properties = excluded.properties, owner_id = excluded.owner_id, created_at = excluded.created_at,
           modified_at = excluded.modified_at, due_at = excluded.due_at, pipeline = excluded.pipeline, stage = excluded.stage,
           status = excluded.status, archived = excluded.archived, archived_at = excluded.archived_at,
           merged_into = excluded.merged_into, version_ms = excluded.version_ms, synced_at = excluded.synced_at
         where crm_records.version_ms <= excluded.version_ms`;
      const params: SqlParam[] = [
        portalId,
        objectType,
        arr(rows.map((r) => r.id)),
        arr(rows.map((r) => JSON.stringify(r.properties))),
        arr(rows.map((r) => numericId(r.ownerId))),
        arr(rows.map((r) => iso(r.createdAt))),
        arr(rows.map((r) => iso(r.modifiedAt))),
        arr(rows.map((r) => iso(r.dueAt))),
        arr(rows.map((r) => r.pipeline)),
        arr(rows.map((r) => r.stage)),
        arr(rows.map((r) => r.status)),
        arr(rows.map((r) => String(r.archived))),
        arr(rows.map((r) => iso(r.archivedAt))),
        arr(rows.map((r) => numericId(r.mergedInto))),
        arr(rows.map((r) => String(Math.trunc(r.versionMs)))),
        syncedAt,
      ];
      // With tracked properties, one statement reads the values before the write (every part of a
      // statement sees the same snapshot), writes, and records each tracked value that changed.
      const updated =
        tracked.length === 0
          ? await db.query(`${upsert} returning id`, params)
          : await db.query(
              `with prev as (
                 select id, properties from crm_records where portal_id = $1 and object_type = $2 and id = any($3::bigint[])
               ), up as (
                 ${upsert} returning id, properties, modified_at, version_ms
               ), changed as (
                 insert into crm_property_history (portal_id, object_type, record_id, property, changed_at, value, source)
                 select $1, $2, up.id, p.name, coalesce(up.modified_at, to_timestamp(up.version_ms / 1000.0)),
                        nullif(up.properties->>p.name, ''), 'copy'
                   from up join prev on prev.id = up.id cross join unnest($17::text[]) as p(name)
                  where nullif(up.properties->>p.name, '') is distinct from nullif(prev.properties->>p.name, '')
                 on conflict do nothing
                 returning 1
               )
               select id from up`,
              [...params, [...tracked]],
            );
      if (updated.length > 0) await bump(portalId, syncedAt);
      return updated.length;
    },

    async archiveRecords(portalId, objectType, ids, at, versionMs) {
      if (ids.length === 0) return;
      await db.query(
        `update crm_records set archived = true, archived_at = $4, version_ms = $5, synced_at = $4
          where portal_id = $1 and object_type = $2 and id = any($3::bigint[]) and version_ms <= $5`,
        [portalId, objectType, numericIds(ids), at, versionMs],
      );
      await bump(portalId, at);
    },

    async mergeRecords(portalId, objectType, loserIds, winnerId, at, versionMs) {
      const losers = loserIds.filter((id) => id !== winnerId);
      if (losers.length === 0) return;
      await db.query(
        `update crm_records set archived = true, archived_at = $4, merged_into = $5, version_ms = greatest(version_ms, $6), synced_at = $4
          where portal_id = $1 and object_type = $2 and id = any($3::bigint[])`,
        [portalId, objectType, numericIds(losers), at, winnerId, versionMs],
      );
      // Re-point the losers' pairs at the winner (HubSpot moves them too); the winner's re-read confirms.
      await db.query(
        `insert into crm_associations (portal_id, from_type, from_id, to_type, to_id, type_ids, labels, synced_at)
         select portal_id, from_type, $4, to_type, to_id, type_ids, labels, $5 from crm_associations
          where portal_id = $1 and from_type = $2 and from_id = any($3::bigint[])
         on conflict do nothing`,
        [portalId, objectType, numericIds(losers), winnerId, at],
      );
      await db.query(
        `insert into crm_associations (portal_id, from_type, from_id, to_type, to_id, type_ids, labels, synced_at)
         select portal_id, from_type, from_id, to_type, $4, type_ids, labels, $5 from crm_associations
          where portal_id = $1 and to_type = $2 and to_id = any($3::bigint[])
         on conflict do nothing`,
        [portalId, objectType, numericIds(losers), winnerId, at],
      );
      await deleteAssociationsOf(portalId, objectType, losers);
      await bump(portalId, at);
    },

    async deleteRecords(portalId, objectType, ids) {
      if (ids.length === 0) return;
      await db.query('delete from crm_records where portal_id = $1 and object_type = $2 and id = any($3::bigint[])', [
        portalId,
        objectType,
        numericIds(ids),
      ]);
      await deleteAssociationsOf(portalId, objectType, ids);
      await db.query('delete from crm_property_history where portal_id = $1 and object_type = $2 and record_id = any($3::bigint[])', [
        portalId,
        objectType,
        numericIds(ids),
      ]);
      await bump(portalId, new Date());
    },

    async getRecords(portalId, objectType, ids, opts = {}) {
      if (ids.length === 0) return new Map();
      const params: SqlParam[] = [portalId, objectType, numericIds(ids)];
      const rows = await db.query<RecordRow>(
        `select ${recordColumns('r', opts.properties, params)} from crm_records r
          where r.portal_id = $1 and r.object_type = $2 and r.id = any($3::bigint[])${opts.liveOnly ? ' and not r.archived' : ''}${
            opts.since ? ` and r.${opts.since.column === 'created_at' ? 'created_at' : 'due_at'} >= $${params.push(opts.since.at)}` : ''
          }`,
        params,
      );
      return new Map(rows.map((r) => [String(r.id), toRecord(r)]));
    },

    async listRecords(portalId, objectType, query = {}) {
      const where = ['r.portal_id = $1', 'r.object_type = $2'];
      const params: SqlParam[] = [portalId, objectType];
      const bind = (v: SqlParam) => `$${params.push(v)}`;
      if (!query.archived) where.push('not r.archived');
      if (query.ids) where.push(`r.id = any(${bind(numericIds(query.ids))}::bigint[])`);
      if (query.ownerId !== undefined) {
        const owner = numericId(query.ownerId);
        if (owner === null) return [];
        where.push(`r.owner_id = ${bind(owner)}::bigint`);
      }
      if (query.dueBefore) where.push(`r.due_at < ${bind(query.dueBefore)}`);
      if (query.dueFrom) where.push(`r.due_at >= ${bind(query.dueFrom)}`);
      if (query.statusNot !== undefined) where.push(`r.status is distinct from ${bind(query.statusNot)}`);
      if (query.associatedWith) {
        const { objectType: otherType, id } = query.associatedWith;
        if (numericId(id) === null) return [];
        const t = bind(otherType);
        const i = bind(id);
        where.push(`(exists (select 1 from crm_associations a where a.portal_id = r.portal_id and a.from_type = r.object_type
                       and a.from_id = r.id and a.to_type = ${t} and a.to_id = ${i}::bigint)
                  or exists (select 1 from crm_associations a where a.portal_id = r.portal_id and a.to_type = r.object_type
                       and a.to_id = r.id and a.from_type = ${t} and a.from_id = ${i}::bigint))`);
      }
      const order = query.orderBy === 'due_at' ? 'r.due_at asc nulls last, r.id asc' : 'r.id asc';
      const rows = await db.query<RecordRow>(
        `select ${recordColumns('r', query.properties, params)} from crm_records r where ${where.join(' and ')} order by ${order}`,
        params,
      );
      return rows.map(toRecord);
    },

    async versions(portalId, objectType, ids) {
      if (ids.length === 0) return new Map();
      const rows = await db.query<{ id: number | bigint; version_ms: number | bigint }>(
        'select id, version_ms from crm_records where portal_id = $1 and object_type = $2 and id = any($3::bigint[])',
        [portalId, objectType, numericIds(ids)],
      );
      return new Map(rows.map((r) => [String(r.id), Number(r.version_ms)]));
    },

    async liveIds(portalId, objectType) {
      const rows = await db.query<{ id: number | bigint }>(
        'select id from crm_records where portal_id = $1 and object_type = $2 and not archived order by id',
        [portalId, objectType],
      );
      return rows.map((r) => String(r.id));
    },

    async countRecords(portalId, objectType) {
      const row = await db.one<{ n: number }>(
        'select count(*)::int as n from crm_records where portal_id = $1 and object_type = $2 and not archived',
        [portalId, objectType],
      );
      return row.n;
    },

    async replaceAssociations(portalId, fromType, fromIds, toType, pairs, syncedAt) {
      if (fromIds.length === 0) return;
      const ids = numericIds(fromIds);
      await db.query(
        `delete from crm_associations where portal_id = $1
           and ((from_type = $2 and from_id = any($3::bigint[]) and to_type = $4)
             or (from_type = $4 and to_type = $2 and to_id = any($3::bigint[])))`,
        [portalId, fromType, ids, toType],
      );
      await repo.upsertAssociations(portalId, pairs, syncedAt);
      if (pairs.length === 0) await bump(portalId, syncedAt);
    },

    async upsertAssociations(portalId, pairs, syncedAt) {
      if (pairs.length === 0) return;
      const unique = new Map(pairs.map((p) => [`${p.fromType}|${p.fromId}|${p.toType}|${p.toId}`, p]));
      const rows = [...unique.values()];
      // The directions these pairs are stored in are named in the same statement (migration 026).
      await db.query(
        `with directions as (
           insert into crm_association_directions (portal_id, from_type, to_type)
           select distinct $1::bigint, d.from_type, d.to_type from unnest($2::text[], $4::text[]) as d(from_type, to_type)
           on conflict do nothing
         )
         insert into crm_associations (portal_id, from_type, from_id, to_type, to_id, type_ids, labels, synced_at)
         select $1, t.from_type, t.from_id, t.to_type, t.to_id,
                array(select jsonb_array_elements_text(t.type_ids::jsonb)::int),
                array(select jsonb_array_elements_text(t.labels::jsonb)), $8
           from unnest($2::text[], $3::bigint[], $4::text[], $5::bigint[], $6::text[], $7::text[])
                as t(from_type, from_id, to_type, to_id, type_ids, labels)
         on conflict (portal_id, from_type, from_id, to_type, to_id) do update set
           type_ids = excluded.type_ids, labels = excluded.labels, synced_at = excluded.synced_at`,
        [
          portalId,
          arr(rows.map((p) => p.fromType)),
          arr(rows.map((p) => p.fromId)),
          arr(rows.map((p) => p.toType)),
          arr(rows.map((p) => p.toId)),
          arr(rows.map((p) => JSON.stringify(p.typeIds))),
          arr(rows.map((p) => JSON.stringify(p.labels))),
          syncedAt,
        ],
      );
      await bump(portalId, syncedAt);
    },

    async removeAssociation(portalId, a, b) {
      await db.query(
        `delete from crm_associations where portal_id = $1
           and ((from_type = $2 and from_id = $3::bigint and to_type = $4 and to_id = $5::bigint)
             or (from_type = $4 and from_id = $5::bigint and to_type = $2 and to_id = $3::bigint))`,
        [portalId, a.type, a.id, b.type, b.id],
      );
      await bump(portalId, new Date());
    },

    async associations(portalId, fromType, ids, toType) {
      const out = new Map<string, AssociatedRef[]>(ids.map((id) => [id, []]));
      if (ids.length === 0) return out;
      const rows = await db.query<{ id: number | bigint; other: number | bigint; type_ids: number[]; labels: string[] }>(
        `select from_id as id, to_id as other, type_ids, labels from crm_associations
          where portal_id = $1 and from_type = $2 and from_id = any($3::bigint[]) and to_type = $4
         union all
         select to_id as id, from_id as other, type_ids, labels from crm_associations
          where portal_id = $1 and to_type = $2 and to_id = any($3::bigint[]) and from_type = $4
         order by id, other`,
        [portalId, fromType, numericIds(ids), toType],
      );
      for (const r of rows) {
        const list = out.get(String(r.id));
        if (!list) continue;
        const other = String(r.other);
        const seen = list.find((x) => x.id === other);
        if (seen) {
          seen.typeIds = [...new Set([...seen.typeIds, ...r.type_ids])];
          seen.labels = [...new Set([...seen.labels, ...r.labels])];
        } else list.push({ id: other, typeIds: r.type_ids, labels: r.labels });
      }
      return out;
    },

    async associatedRecords(portalId, fromType, ids, toTypes, properties) {
      if (ids.length === 0 || toTypes.length === 0) return [];
      const params: SqlParam[] = [portalId, fromType, numericIds(ids), toTypes];
      const props = properties ? propertiesOf('r', properties, params) : 'r.properties';
      const rows = await db.query<{
        id: number | bigint;
        to_type: string;
        to_id: number | bigint;
        properties: Record<string, string | null>;
      }>(
        `select p.id, p.to_type, p.to_id, ${props} as properties from (
           select from_id as id, to_type, to_id from crm_associations
            where portal_id = $1 and from_type = $2 and from_id = any($3::bigint[]) and to_type = any($4::text[])
           union
           select to_id as id, from_type as to_type, from_id as to_id from crm_associations
            where portal_id = $1 and to_type = $2 and to_id = any($3::bigint[]) and from_type = any($4::text[])
         ) p
         join crm_records r on r.portal_id = $1 and r.object_type = p.to_type and r.id = p.to_id and not r.archived
         order by p.id, p.to_type, p.to_id`,
        params,
      );
      return rows.map((r) => ({ id: String(r.id), toType: r.to_type, toId: String(r.to_id), properties: r.properties }));
    },

    async replaceOwners(portalId, list) {
      // Upserted, then the others removed: a reader never finds the table empty (the reconciliation
      // replaces them every hour while screens read them). The first of a repeated id wins.
      const owners = firstOfEach(list, (o) => o.id);
      if (owners.length)
        await db.query(
          `insert into crm_owners (portal_id, id, user_id, email, first_name, last_name, archived, teams)
           select $1, * from unnest($2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::boolean[], $8::jsonb[])
           on conflict (portal_id, id) do update set user_id = excluded.user_id, email = excluded.email,
             first_name = excluded.first_name, last_name = excluded.last_name, archived = excluded.archived, teams = excluded.teams`,
          [
            portalId,
            arr(owners.map((o) => o.id)),
            arr(owners.map((o) => (o.userId === null ? null : String(o.userId)))),
            arr(owners.map((o) => o.email)),
            arr(owners.map((o) => o.firstName)),
            arr(owners.map((o) => o.lastName)),
            arr(owners.map((o) => String(o.archived))),
            arr(owners.map((o) => JSON.stringify((o.teams ?? []).map((t) => ({ id: String(t.id), name: t.name }))))),
          ],
        );
      await db.query('delete from crm_owners where portal_id = $1 and not (id = any($2::bigint[]))', [
        portalId,
        arr(owners.map((o) => o.id)),
      ]);
      await bump(portalId, new Date());
    },

    async owners(portalId) {
      const rows = await db.query<{
        id: number | bigint;
        user_id: number | bigint | null;
        email: string | null;
        first_name: string | null;
        last_name: string | null;
        archived: boolean;
        teams: { id: string; name: string }[] | string;
      }>('select id, user_id, email, first_name, last_name, archived, teams from crm_owners where portal_id = $1 order by id', [portalId]);
      return rows.map((r) => ({
        id: String(r.id),
        userId: r.user_id === null ? null : Number(r.user_id),
        email: r.email,
        firstName: r.first_name,
        lastName: r.last_name,
        archived: r.archived,
        teams: typeof r.teams === 'string' ? (JSON.parse(r.teams) as { id: string; name: string }[]) : r.teams,
      }));
    },

    async replaceUsers(portalId, list) {
      // As replaceOwners: upserted, then the others removed.
      const users = firstOfEach(list, (u) => u.id);
      if (users.length)
        await db.query(
          `insert into crm_users (portal_id, id, user_id, time_zone)
           select $1, * from unnest($2::text[], $3::bigint[], $4::text[])
           on conflict (portal_id, id) do update set user_id = excluded.user_id, time_zone = excluded.time_zone`,
          [
            portalId,
            arr(users.map((u) => u.id)),
            arr(users.map((u) => (u.userId === null ? null : String(u.userId)))),
            arr(users.map((u) => u.timeZone)),
          ],
        );
      await db.query('delete from crm_users where portal_id = $1 and not (id = any($2::text[]))', [portalId, arr(users.map((u) => u.id))]);
      // Users' time zones decide answers (task buckets, schedules): a change of the copy.
      await bump(portalId, new Date());
    },

    async users(portalId) {
      const rows = await db.query<{ id: string; user_id: number | bigint | null; time_zone: string | null }>(
        'select id, user_id, time_zone from crm_users where portal_id = $1 order by id',
        [portalId],
      );
      return rows.map((r) => ({ id: r.id, userId: r.user_id === null ? null : Number(r.user_id), timeZone: r.time_zone }));
    },

    async replacePipelines(portalId, objectType, pipelines) {
      await db.query('delete from crm_pipelines where portal_id = $1 and object_type = $2', [portalId, objectType]);
      await bump(portalId, new Date());
      if (pipelines.length === 0) return;
      await db.query(
        `insert into crm_pipelines (portal_id, object_type, id, pipeline)
         select $1, $2, t.id, t.pipeline::jsonb from unnest($3::text[], $4::text[]) as t(id, pipeline) on conflict do nothing`,
        [portalId, objectType, arr(pipelines.map((p) => p.id)), arr(pipelines.map((p) => JSON.stringify(p.pipeline)))],
      );
    },

    async pipelines<T>(portalId: number, objectType: string) {
      const rows = await db.query<{ pipeline: T }>(
        'select pipeline from crm_pipelines where portal_id = $1 and object_type = $2 order by id',
        [portalId, objectType],
      );
      return rows.map((r) => r.pipeline);
    },

    async replacePropertyDefinitions(portalId, objectType, definitions) {
      await db.query('delete from crm_property_definitions where portal_id = $1 and object_type = $2', [portalId, objectType]);
      await bump(portalId, new Date());
      if (definitions.length === 0) return;
      await db.query(
        `insert into crm_property_definitions (portal_id, object_type, name, definition)
         select $1, $2, t.name, t.definition::jsonb from unnest($3::text[], $4::text[]) as t(name, definition) on conflict do nothing`,
        [portalId, objectType, arr(definitions.map((d) => d.name)), arr(definitions.map((d) => JSON.stringify(d.definition)))],
      );
    },

    async propertyDefinitions<T>(portalId: number, objectType: string) {
      const rows = await db.query<{ definition: T }>(
        'select definition from crm_property_definitions where portal_id = $1 and object_type = $2 order by name',
        [portalId, objectType],
      );
      return rows.map((r) => r.definition);
    },

    async putPortal(portalId, facts, syncedAt) {
      await db.query(
        `insert into crm_portals (portal_id, time_zone, synced_at) values ($1, $2, $3)
         on conflict (portal_id) do update set time_zone = excluded.time_zone, synced_at = excluded.synced_at`,
        [portalId, facts.timeZone, syncedAt],
      );
      await bump(portalId, syncedAt);
    },

    async portal(portalId) {
      const row = await db.maybeOne<{ time_zone: string | null; synced_at: Date }>(
        'select time_zone, synced_at from crm_portals where portal_id = $1',
        [portalId],
      );
      return row ? { timeZone: row.time_zone, syncedAt: row.synced_at } : undefined;
    },

    async syncStates(portalId) {
      const rows = await db.query<StateRow>('select * from sync_state where portal_id = $1 order by object_type', [portalId]);
      return rows.map(toState);
    },

    async syncState(portalId, objectType) {
      const row = await db.maybeOne<StateRow>('select * from sync_state where portal_id = $1 and object_type = $2', [portalId, objectType]);
      return row ? toState(row) : undefined;
    },

    async putSyncState(portalId, objectType, patch, now) {
      const entries = (Object.keys(STATE_COLUMNS) as (keyof SyncStatePatch)[]).filter((k) => patch[k] !== undefined);
      const columns = entries.map((k) => STATE_COLUMNS[k]);
      const values = entries.map((k) => patch[k] as SqlParam);
      const insertCols = ['portal_id', 'object_type', 'updated_at', ...columns];
      const insertVals = insertCols.map((_, i) => `$${i + 1}`);
      if (!columns.includes('state')) {
        insertCols.push('state');
        insertVals.push(`'pending'`);
      }
      const row = await db.one<StateRow>(
        `insert into sync_state (${insertCols.join(', ')}) values (${insertVals.join(', ')})
         on conflict (portal_id, object_type) do update set updated_at = excluded.updated_at
           ${columns
             .map((c) =>
               c === 'last_change_seen_at'
                 ? // Changes arrive out of order: the newest seen stays.
                   `, ${c} = greatest(sync_state.${c}, excluded.${c})`
                 : `, ${c} = excluded.${c}`,
             )
             .join('')}
         returning *`,
        [portalId, objectType, now, ...values],
      );
      // A type's state decides which answers are complete: a change of state is a change of the copy.
      if (patch.state !== undefined) await bump(portalId, now);
      return toState(row);
    },

    async purgeTombstones(portalId, before) {
      const gone = await db.query<{ object_type: string; id: number | bigint }>(
        'delete from crm_records where portal_id = $1 and archived and archived_at < $2 returning object_type, id',
        [portalId, before],
      );
      const byType = new Map<string, string[]>();
      for (const r of gone) byType.set(r.object_type, [...(byType.get(r.object_type) ?? []), String(r.id)]);
      for (const [type, ids] of byType) {
        await deleteAssociationsOf(portalId, type, ids);
        await db.query('delete from crm_property_history where portal_id = $1 and object_type = $2 and record_id = any($3::bigint[])', [
          portalId,
          type,
          ids,
        ]);
      }
      if (gone.length) await bump(portalId, before);
      return gone.length;
    },

    async addPropertyHistory(portalId, objectType, changes) {
      const rows = changes.filter((c) => numericId(c.recordId) !== null && Number.isFinite(c.changedAt.getTime()));
      if (rows.length === 0) return;
      const written = await db.query(
        `insert into crm_property_history (portal_id, object_type, record_id, property, changed_at, value, source)
         select $1, $2, t.record_id, t.property, t.changed_at, t.value, t.source
           from unnest($3::bigint[], $4::text[], $5::timestamptz[], $6::text[], $7::text[]) as t(record_id, property, changed_at, value, source)
         on conflict do nothing
         returning record_id`,
        [
          portalId,
          objectType,
          arr(rows.map((c) => c.recordId)),
          arr(rows.map((c) => c.property)),
          arr(rows.map((c) => c.changedAt.toISOString())),
          arr(rows.map((c) => (c.value === '' ? null : c.value))),
          arr(rows.map((c) => c.source)),
        ],
      );
      if (written.length) await bump(portalId, new Date());
    },

    async lastPropertyChanges(portalId, objectType, property, ids) {
      if (ids.length === 0) return new Map();
      const rows = await db.query<{ record_id: number | bigint; at: Date }>(
        `select record_id, max(changed_at) as at from crm_property_history
          where portal_id = $1 and object_type = $2 and property = $3 and record_id = any($4::bigint[])
          group by record_id`,
        [portalId, objectType, property, numericIds(ids)],
      );
      return new Map(rows.map((r) => [String(r.record_id), r.at]));
    },

    async propertyHistory(portalId, objectType, property, ids) {
      if (ids.length === 0) return [];
      const rows = await db.query<{ record_id: number | bigint; changed_at: Date; value: string | null; source: string }>(
        `select record_id, changed_at, value, source from crm_property_history
          where portal_id = $1 and object_type = $2 and property = $3 and record_id = any($4::bigint[])
          order by record_id, changed_at`,
        [portalId, objectType, property, numericIds(ids)],
      );
      return rows.map((r) => ({ recordId: String(r.record_id), property, value: r.value, changedAt: r.changed_at, source: r.source }));
    },

    async propertyHistories(portalId, objectType, properties, ids) {
      if (ids.length === 0 || properties.length === 0) return [];
      const rows = await db.query<{ record_id: number | bigint; property: string; changed_at: Date; value: string | null; source: string }>(
        `select record_id, property, changed_at, value, source from crm_property_history
          where portal_id = $1 and object_type = $2 and property = any($3::text[]) and record_id = any($4::bigint[])
          order by record_id, property, changed_at`,
        [portalId, objectType, [...properties], numericIds(ids)],
      );
      return rows.map((r) => ({
        recordId: String(r.record_id),
        property: r.property,
        value: r.value,
        changedAt: r.changed_at,
        source: r.source,
      }));
    },

    async trackHistory(portalId, objectType, properties, at) {
      if (properties.length === 0) return;
      await db.query(
        `insert into crm_history_properties (portal_id, object_type, property, tracked_since)
         select $1, $2, p, $4 from unnest($3::text[]) as p on conflict do nothing`,
        [portalId, objectType, [...properties], at],
      );
    },

    async historyProperties(portalId, objectType) {
      const rows = await db.query<{ property: string }>(
        'select property from crm_history_properties where portal_id = $1 and object_type = $2',
        [portalId, objectType],
      );
      return [...new Set([...(TRACKED_HISTORY[objectType] ?? []), ...rows.map((r) => r.property)])].sort();
    },

    async historyRead(portalId, objectType, properties, ids) {
      if (ids.length === 0 || properties.length === 0) return new Map();
      const rows = await db.query<{ record_id: number | bigint; properties: string[] }>(
        `select record_id, array_agg(distinct property) as properties from crm_property_history
          where portal_id = $1 and object_type = $2 and property = any($3::text[]) and record_id = any($4::bigint[])
            and source like 'hubspot%'
          group by record_id`,
        [portalId, objectType, [...properties], numericIds(ids)],
      );
      return new Map(rows.map((r) => [String(r.record_id), new Set(r.properties)]));
    },

    async analyze() {
      await db.exec('analyze crm_records, crm_associations, crm_property_history');
    },

    async batch(fn) {
      const run = async (q: Queryable) => {
        const bumps = new Map<number, Date>();
        const value = await fn(buildCopyRepo(q, bumps));
        // Last, so the version row is held (by the transaction) only while it commits.
        for (const [portalId, at] of bumps) await bumpNow(q, portalId, at);
        return value;
      };
      // Nested: the outer batch moves the versions at its end.
      if (deferred) return fn(repo);
      return canBegin(db) ? db.transaction(run) : run(db);
    },

    async copyVersion(portalId) {
      const row = await db.maybeOne<{ version: number | bigint }>('select version from crm_copy_versions where portal_id = $1', [portalId]);
      return row ? Number(row.version) : 0;
    },

    async purgePortal(portalId) {
      for (const table of [
        'crm_records',
        'crm_associations',
        'crm_association_directions',
        'crm_owners',
        'crm_users',
        'crm_pipelines',
        'crm_property_definitions',
        'crm_portals',
        'sync_state',
        'crm_property_history',
        'crm_history_properties',
        'crm_copy_versions',
      ]) {
        await db.query(`delete from ${table} where portal_id = $1`, [portalId]);
      }
    },
  };

  /** Moves the portal's copy version (cached answers computed from the copy are stale); in a batch, at its end. */
  async function bump(portalId: number, at: Date): Promise<void> {
    if (deferred) deferred.set(portalId, at);
    else await bumpNow(db, portalId, at);
  }

  async function deleteAssociationsOf(portalId: number, objectType: string, ids: string[]): Promise<void> {
    await db.query(
      `delete from crm_associations where portal_id = $1
         and ((from_type = $2 and from_id = any($3::bigint[])) or (to_type = $2 and to_id = any($3::bigint[])))`,
      [portalId, objectType, numericIds(ids)],
    );
  }

  return repo;
}

async function bumpNow(db: Queryable, portalId: number, at: Date): Promise<void> {
  await db.query(
    `insert into crm_copy_versions (portal_id, version, changed_at) values ($1, 1, $2)
     on conflict (portal_id) do update set version = crm_copy_versions.version + 1, changed_at = excluded.changed_at`,
    [portalId, at],
  );
}

/** Only integer ids can be in the copy; anything else would make the cast fail. */
export function numericIds(ids: string[]): string[] {
  return ids.filter((id) => /^\d{1,18}$/.test(id));
}
