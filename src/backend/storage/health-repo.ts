import type { Queryable } from './database';

// Health scores: profiles (versioned), runs, snapshots, per-record state, run totals, alerts.

export type HealthCategoryValue = 'AT_RISK' | 'NEUTRAL' | 'GOOD';

export type StoredProfile = {
  id: string;
  version: number;
  name: string;
  objectType: string;
  isDefault: boolean;
  /** The profile JSON as saved (parse it with the engine's schema). */
  profile: unknown;
  updatedAt: Date;
};

export type RunKind = 'scheduled' | 'on-demand';
export type RunStatus = 'queued' | 'running' | 'done' | 'failed';

export type StoredRun = {
  id: string;
  kind: RunKind;
  status: RunStatus;
  asOf: Date;
  requestedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  total: number | null;
  scored: number;
  attempts: number;
  stats: unknown;
  warnings: string[];
  error: string | null;
};

/** A snapshot as hysteresis needs it (engine HealthSnapshot with `at` in epoch ms). */
export type SnapshotJson = {
  runId: string;
  at: number;
  profileVersion: number;
  score: number;
  category: HealthCategoryValue;
  confirmedCategory: HealthCategoryValue;
  criteria: { id: string; label: string; points: number }[];
};

export type RecordState = {
  objectType: string;
  objectId: string;
  label: string;
  ownerId: string | null;
  runId: string;
  at: Date;
  profileVersion: number;
  score: number;
  category: HealthCategoryValue;
  confirmedCategory: HealthCategoryValue;
  input: unknown;
  recent: SnapshotJson[];
  change: unknown;
};

/** What one scored record writes: its snapshot, its new state and maybe an alert. */
export type ScoredWrite = {
  objectType: string;
  objectId: string;
  label: string;
  ownerId: string | null;
  runId: string;
  at: Date;
  profileVersion: number;
  score: number;
  category: HealthCategoryValue;
  confirmedCategory: HealthCategoryValue;
  backfilled: boolean;
  criteria: SnapshotJson['criteria'];
  /** null: keep the stored state (backfilled days older than it). */
  state: { input: unknown; recent: SnapshotJson[]; change: unknown } | null;
  alert: {
    id: string;
    from: HealthCategoryValue;
    to: HealthCategoryValue;
    raisedAt: Date;
    expiresAt: Date;
    deltas: unknown;
  } | null;
};

export type AlertRow = {
  id: string;
  profileId: string;
  objectType: string;
  objectId: string;
  label: string;
  ownerId: string | null;
  from: HealthCategoryValue;
  to: HealthCategoryValue;
  raisedAt: Date;
  expiresAt: Date;
  deltas: unknown;
  backfilled: boolean;
};

export type RunTotal = { runId: string; at: Date; profileVersion: number; scoreSum: number; count: number; backfilled: boolean };

export type CustomerRow = { objectType: string; objectId: string; label: string; score: number; category: HealthCategoryValue; at: Date };

type ProfileRow = {
  id: string;
  version: number;
  name: string;
  object_type: string;
  is_default: boolean;
  profile: unknown;
  updated_at: Date;
};
type RunRow = {
  id: string;
  kind: RunKind;
  status: RunStatus;
  as_of: Date;
  requested_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  total: number | null;
  scored: number;
  attempts: number;
  stats: unknown;
  warnings: string[];
  error: string | null;
};
type StateRow = {
  object_type: string;
  object_id: string;
  label: string;
  owner_id: string | null;
  run_id: string;
  at: Date;
  profile_version: number;
  score: number;
  category: HealthCategoryValue;
  confirmed_category: HealthCategoryValue;
  input: unknown;
  recent: SnapshotJson[];
  change: unknown;
};

const toProfile = (r: ProfileRow): StoredProfile => ({
  id: r.id,
  version: r.version,
  name: r.name,
  objectType: r.object_type,
  isDefault: r.is_default,
  profile: r.profile,
  updatedAt: r.updated_at,
});
const toRun = (r: RunRow): StoredRun => ({
  id: r.id,
  kind: r.kind,
  status: r.status,
  asOf: r.as_of,
  requestedAt: r.requested_at,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  total: r.total,
  scored: r.scored,
  attempts: r.attempts,
  stats: r.stats,
  warnings: r.warnings,
  error: r.error,
});
const toState = (r: StateRow): RecordState => ({
  objectType: r.object_type,
  objectId: r.object_id,
  label: r.label,
  ownerId: r.owner_id,
  runId: r.run_id,
  at: r.at,
  profileVersion: r.profile_version,
  score: r.score,
  category: r.category,
  confirmedCategory: r.confirmed_category,
  input: r.input,
  recent: r.recent,
  change: r.change,
});

const PROFILE_COLUMNS = 'id, version, name, object_type, is_default, profile, updated_at';
const RUN_COLUMNS = 'id, kind, status, as_of, requested_at, started_at, finished_at, total, scored, attempts, stats, warnings, error';

export interface HealthRepo {
  listProfiles(portalId: number): Promise<StoredProfile[]>;
  getProfile(portalId: number, id: string): Promise<StoredProfile | undefined>;
  getProfileVersion(portalId: number, id: string, version: number): Promise<unknown>;
  /** Inserts version 1; false when the id is taken (a concurrent zero-setup insert, say). */
  insertProfile(
    portalId: number,
    p: { id: string; name: string; objectType: string; isDefault: boolean; profile: { version: number } },
    now: Date,
  ): Promise<boolean>;
  /** Saves a new version if the current one is `expectedVersion`. */
  updateProfile(
    portalId: number,
    id: string,
    expectedVersion: number,
    p: { name: string; objectType: string; profile: { version: number } },
    now: Date,
  ): Promise<'ok' | 'conflict' | 'missing'>;
  deleteProfile(portalId: number, id: string, now: Date): Promise<boolean>;

  createRun(portalId: number, run: { id: string; kind: RunKind; asOf: Date; requestedAt: Date }): Promise<void>;
  getRun(portalId: number, id: string): Promise<StoredRun | undefined>;
  /** The oldest run neither done nor failed: queued, or running (its worker may have crashed). */
  unfinishedRun(portalId: number): Promise<StoredRun | undefined>;
  lastFinishedRun(portalId: number): Promise<StoredRun | undefined>;
  updateRun(
    portalId: number,
    id: string,
    patch: Partial<Pick<StoredRun, 'status' | 'startedAt' | 'finishedAt' | 'total' | 'scored' | 'stats' | 'warnings' | 'error'>> & {
      attempt?: boolean;
    },
  ): Promise<void>;

  /** States of every record of a profile, for hysteresis: no inputs. */
  loadStates(portalId: number, profileId: string): Promise<Map<string, Pick<RecordState, 'runId' | 'recent' | 'change' | 'at'>>>;
  getState(portalId: number, profileId: string, objectType: string, objectId: string): Promise<RecordState | undefined>;
  /** Inputs of every record of a profile (dry runs). */
  loadInputs(portalId: number, profileId: string): Promise<{ objectId: string; input: unknown }[]>;
  hasSnapshots(portalId: number, profileId: string): Promise<boolean>;
  /** Writes snapshots (once per run), states and alerts, idempotently, in one statement each. */
  writeScores(portalId: number, profileId: string, items: readonly ScoredWrite[]): Promise<void>;
  /** Recomputes a run's per-CSM totals from its snapshots (idempotent). */
  writeRunTotals(portalId: number, profileId: string, runId: string): Promise<void>;

  /** Forgets the states of records that are no longer the profile's customers (archived, merged away, out of its segment). */
  removeStates(portalId: number, profileId: string, objectType: string, objectIds: readonly string[]): Promise<number>;
  /**
   * After a full run: forgets the states of the type's records the run did not score and nothing
   * rescored since it began (written before `asOf` by another run): no longer customers.
   */
  removeUnscored(portalId: number, profileId: string, objectType: string, runId: string, asOf: Date): Promise<number>;
  /** When scores last changed (a run's or a rescore's day totals): keys kept answers. */
  scoresChangedAt(portalId: number, profileId: string): Promise<string | null>;

  scores(portalId: number, profileId: string, ownerId: string | null): Promise<number[]>;
  runTotals(portalId: number, profileId: string, ownerId: string | null, since: Date): Promise<RunTotal[]>;
  customers(
    portalId: number,
    profileId: string,
    ownerId: string | null,
    category: HealthCategoryValue | null,
    after: { score: number; objectId: string } | null,
    limit: number,
  ): Promise<CustomerRow[]>;
  activeAlerts(
    portalId: number,
    ownerId: string | null,
    now: Date,
    after: { raisedAt: Date; id: string } | null,
    limit: number,
  ): Promise<AlertRow[]>;
  lastAlert(portalId: number, profileId: string, objectType: string, objectId: string): Promise<AlertRow | undefined>;
  snapshotCount(portalId: number, profileId: string, runId?: string): Promise<number>;
}

type AlertDbRow = {
  id: string;
  profile_id: string;
  object_type: string;
  object_id: string;
  label: string;
  owner_id: string | null;
  from_category: HealthCategoryValue;
  to_category: HealthCategoryValue;
  raised_at: Date;
  expires_at: Date;
  deltas: unknown;
  backfilled: boolean;
};
const ALERT_COLUMNS =
  'id, profile_id, object_type, object_id, label, owner_id, from_category, to_category, raised_at, expires_at, deltas, backfilled';
const toAlert = (r: AlertDbRow): AlertRow => ({
  id: r.id,
  profileId: r.profile_id,
  objectType: r.object_type,
  objectId: r.object_id,
  label: r.label,
  ownerId: r.owner_id,
  from: r.from_category,
  to: r.to_category,
  raisedAt: r.raised_at,
  expiresAt: r.expires_at,
  deltas: r.deltas,
  backfilled: r.backfilled,
});

/** Builds the health repository on a database or an open transaction. */
export function createHealthRepo(db: Queryable): HealthRepo {
  return {
    async listProfiles(portalId) {
      const rows = await db.query<ProfileRow>(
        `select ${PROFILE_COLUMNS} from health_profiles where portal_id = $1 and deleted_at is null order by is_default desc, id`,
        [portalId],
      );
      return rows.map(toProfile);
    },

    async getProfile(portalId, id) {
      const row = await db.maybeOne<ProfileRow>(
        `select ${PROFILE_COLUMNS} from health_profiles where portal_id = $1 and id = $2 and deleted_at is null`,
        [portalId, id],
      );
      return row && toProfile(row);
    },

    async getProfileVersion(portalId, id, version) {
      const row = await db.maybeOne<{ profile: unknown }>(
        'select profile from health_profile_versions where portal_id = $1 and id = $2 and version = $3',
        [portalId, id, version],
      );
      return row?.profile;
    },

    async insertProfile(portalId, p, now) {
      const rows = await db.query(
        `with ins as (
           insert into health_profiles (portal_id, id, version, name, object_type, is_default, profile, updated_at)
           values ($1, $2, $3, $4, $5, $6, $7::jsonb, $8)
           on conflict (portal_id, id) do nothing
           returning portal_id, id, version, profile, updated_at)
         insert into health_profile_versions (portal_id, id, version, profile, created_at)
         select portal_id, id, version, profile, updated_at from ins
         on conflict do nothing
         returning id`,
        [portalId, p.id, p.profile.version, p.name, p.objectType, p.isDefault, JSON.stringify(p.profile), now],
      );
      return rows.length === 1;
    },

    async updateProfile(portalId, id, expectedVersion, p, now) {
      const rows = await db.query<{ id: string }>(
        `with upd as (
           update health_profiles set version = $4, name = $5, object_type = $6, profile = $7::jsonb, updated_at = $8
            where portal_id = $1 and id = $2 and version = $3 and deleted_at is null
           returning portal_id, id, version, profile, updated_at)
         insert into health_profile_versions (portal_id, id, version, profile, created_at)
         select portal_id, id, version, profile, updated_at from upd
         returning id`,
        [portalId, id, expectedVersion, p.profile.version, p.name, p.objectType, JSON.stringify(p.profile), now],
      );
      if (rows.length === 1) return 'ok';
      const exists = await db.maybeOne('select 1 from health_profiles where portal_id = $1 and id = $2 and deleted_at is null', [
        portalId,
        id,
      ]);
      return exists ? 'conflict' : 'missing';
    },

    async deleteProfile(portalId, id, now) {
      const rows = await db.query(
        'update health_profiles set deleted_at = $3 where portal_id = $1 and id = $2 and deleted_at is null returning id',
        [portalId, id, now],
      );
      return rows.length === 1;
    },

    async createRun(portalId, run) {
      await db.query(
        `insert into health_runs (portal_id, id, kind, status, as_of, requested_at) values ($1, $2, $3, 'queued', $4, $5)
         on conflict do nothing`,
        [portalId, run.id, run.kind, run.asOf, run.requestedAt],
      );
    },

    async getRun(portalId, id) {
      const row = await db.maybeOne<RunRow>(`select ${RUN_COLUMNS} from health_runs where portal_id = $1 and id = $2`, [portalId, id]);
      return row && toRun(row);
    },

    async unfinishedRun(portalId) {
      const rows = await db.query<RunRow>(
        `select ${RUN_COLUMNS} from health_runs where portal_id = $1 and status in ('queued', 'running')
          order by requested_at, id limit 1`,
        [portalId],
      );
      return rows[0] && toRun(rows[0]);
    },

    async lastFinishedRun(portalId) {
      const rows = await db.query<RunRow>(
        `select ${RUN_COLUMNS} from health_runs where portal_id = $1 and status in ('done', 'failed')
          order by requested_at desc, id desc limit 1`,
        [portalId],
      );
      return rows[0] && toRun(rows[0]);
    },

    async updateRun(portalId, id, patch) {
      await db.query(
        `update health_runs set
           status = coalesce($3, status),
           started_at = coalesce($4, started_at),
           finished_at = coalesce($5, finished_at),
           total = coalesce($6, total),
           scored = coalesce($7, scored),
           stats = coalesce($8::jsonb, stats),
           warnings = coalesce($9::jsonb, warnings),
           error = coalesce($10, error),
           attempts = attempts + $11
         where portal_id = $1 and id = $2`,
        [
          portalId,
          id,
          patch.status ?? null,
          patch.startedAt ?? null,
          patch.finishedAt ?? null,
          patch.total ?? null,
          patch.scored ?? null,
          patch.stats === undefined ? null : JSON.stringify(patch.stats),
          patch.warnings === undefined ? null : JSON.stringify(patch.warnings),
          patch.error ?? null,
          patch.attempt ? 1 : 0,
        ],
      );
    },

    async loadStates(portalId, profileId) {
      const rows = await db.query<{
        object_type: string;
        object_id: string;
        run_id: string;
        recent: SnapshotJson[];
        change: unknown;
        at: Date;
      }>('select object_type, object_id, run_id, recent, change, at from health_record_state where portal_id = $1 and profile_id = $2', [
        portalId,
        profileId,
      ]);
      return new Map(
        rows.map((r) => [`${r.object_type}:${r.object_id}`, { runId: r.run_id, recent: r.recent, change: r.change, at: r.at }]),
      );
    },

    async getState(portalId, profileId, objectType, objectId) {
      const row = await db.maybeOne<StateRow>(
        `select object_type, object_id, label, owner_id, run_id, at, profile_version, score, category, confirmed_category, input, recent, change
           from health_record_state where portal_id = $1 and profile_id = $2 and object_type = $3 and object_id = $4`,
        [portalId, profileId, objectType, objectId],
      );
      return row && toState(row);
    },

    async loadInputs(portalId, profileId) {
      const rows = await db.query<{ object_id: string; input: unknown }>(
        'select object_id, input from health_record_state where portal_id = $1 and profile_id = $2 order by object_id',
        [portalId, profileId],
      );
      return rows.map((r) => ({ objectId: r.object_id, input: r.input }));
    },

    async hasSnapshots(portalId, profileId) {
      const row = await db.maybeOne('select 1 from health_snapshots where portal_id = $1 and profile_id = $2 limit 1', [
        portalId,
        profileId,
      ]);
      return row !== undefined;
    },

    async writeScores(portalId, profileId, items) {
      if (items.length === 0) return;
      const snapshots = items.map((i) => ({
        object_type: i.objectType,
        object_id: i.objectId,
        run_id: i.runId,
        at: i.at.toISOString(),
        profile_version: i.profileVersion,
        score: i.score,
        category: i.category,
        confirmed_category: i.confirmedCategory,
        owner_id: i.ownerId,
        backfilled: i.backfilled,
        criteria: i.criteria,
      }));
      // ON CONFLICT DO NOTHING: a resumed run never writes a record's snapshot twice.
      await db.query(
        `insert into health_snapshots (portal_id, profile_id, object_type, object_id, run_id, at, profile_version, score, category,
                                       confirmed_category, owner_id, backfilled, criteria)
         select $1, $2, x.object_type, x.object_id, x.run_id, x.at, x.profile_version, x.score, x.category, x.confirmed_category,
                x.owner_id, x.backfilled, x.criteria
           from jsonb_to_recordset($3::jsonb) as x(object_type text, object_id text, run_id text, at timestamptz, profile_version int,
                score int, category text, confirmed_category text, owner_id text, backfilled boolean, criteria jsonb)
         on conflict do nothing`,
        [portalId, profileId, JSON.stringify(snapshots)],
      );
      const states = new Map<string, Record<string, unknown>>();
      for (const i of items) {
        if (!i.state) continue;
        // One row per record per statement: the latest item wins.
        states.set(`${i.objectType}:${i.objectId}`, {
          object_type: i.objectType,
          object_id: i.objectId,
          label: i.label,
          owner_id: i.ownerId,
          run_id: i.runId,
          at: i.at.toISOString(),
          profile_version: i.profileVersion,
          score: i.score,
          category: i.category,
          confirmed_category: i.confirmedCategory,
          input: i.state.input,
          recent: i.state.recent,
          change: i.state.change ?? null,
        });
      }
      if (states.size > 0) {
        await db.query(
          `insert into health_record_state as s (portal_id, profile_id, object_type, object_id, label, owner_id, run_id, at, profile_version,
                                                 score, category, confirmed_category, input, recent, change)
           select $1, $2, x.object_type, x.object_id, x.label, x.owner_id, x.run_id, x.at, x.profile_version, x.score, x.category,
                  x.confirmed_category, x.input, x.recent, x.change
             from jsonb_to_recordset($3::jsonb) as x(object_type text, object_id text, label text, owner_id text, run_id text,
                  at timestamptz, profile_version int, score int, category text, confirmed_category text, input jsonb, recent jsonb, change jsonb)
           on conflict (portal_id, profile_id, object_type, object_id) do update set
             label = excluded.label, owner_id = excluded.owner_id, run_id = excluded.run_id, at = excluded.at,
             profile_version = excluded.profile_version, score = excluded.score, category = excluded.category,
             confirmed_category = excluded.confirmed_category, input = excluded.input, recent = excluded.recent, change = excluded.change
           where s.at <= excluded.at`,
          [portalId, profileId, JSON.stringify([...states.values()])],
        );
      }
      const alerts = items.flatMap((i) =>
        i.alert
          ? [
              {
                id: i.alert.id,
                object_type: i.objectType,
                object_id: i.objectId,
                label: i.label,
                owner_id: i.ownerId,
                run_id: i.runId,
                from_category: i.alert.from,
                to_category: i.alert.to,
                raised_at: i.alert.raisedAt.toISOString(),
                expires_at: i.alert.expiresAt.toISOString(),
                deltas: i.alert.deltas,
                backfilled: i.backfilled,
              },
            ]
          : [],
      );
      if (alerts.length > 0) {
        await db.query(
          `insert into health_alerts (portal_id, id, profile_id, object_type, object_id, label, owner_id, run_id, from_category, to_category,
                                      raised_at, expires_at, deltas, backfilled)
           select $1, x.id, $2, x.object_type, x.object_id, x.label, x.owner_id, x.run_id, x.from_category, x.to_category, x.raised_at,
                  x.expires_at, x.deltas, x.backfilled
             from jsonb_to_recordset($3::jsonb) as x(id text, object_type text, object_id text, label text, owner_id text, run_id text,
                  from_category text, to_category text, raised_at timestamptz, expires_at timestamptz, deltas jsonb, backfilled boolean)
           on conflict do nothing`,
          [portalId, profileId, JSON.stringify(alerts)],
        );
      }
    },

    async writeRunTotals(portalId, profileId, runId) {
      await db.query(
        `insert into health_run_totals as t (portal_id, profile_id, run_id, owner_id, at, profile_version, score_sum, count, backfilled)
         select portal_id, profile_id, run_id, coalesce(owner_id, ''), max(at), max(profile_version), sum(score), count(*), bool_or(backfilled)
           from health_snapshots where portal_id = $1 and profile_id = $2 and run_id = $3
          group by portal_id, profile_id, run_id, coalesce(owner_id, '')
         on conflict (portal_id, profile_id, run_id, owner_id) do update set
           at = excluded.at, profile_version = excluded.profile_version, score_sum = excluded.score_sum, count = excluded.count`,
        [portalId, profileId, runId],
      );
    },

    async removeStates(portalId, profileId, objectType, objectIds) {
      if (objectIds.length === 0) return 0;
      const rows = await db.query(
        `delete from health_record_state where portal_id = $1 and profile_id = $2 and object_type = $3 and object_id = any($4::text[])
         returning object_id`,
        [portalId, profileId, objectType, [...objectIds]],
      );
      return rows.length;
    },

    async removeUnscored(portalId, profileId, objectType, runId, asOf) {
      const rows = await db.query(
        `delete from health_record_state where portal_id = $1 and profile_id = $2 and object_type = $3 and run_id <> $4 and at < $5
         returning object_id`,
        [portalId, profileId, objectType, runId, asOf.toISOString()],
      );
      return rows.length;
    },

    async scoresChangedAt(portalId, profileId) {
      const row = await db.maybeOne<{ at: Date | null }>(
        'select max(at) as at from health_run_totals where portal_id = $1 and profile_id = $2',
        [portalId, profileId],
      );
      return row?.at ? new Date(row.at).toISOString() : null;
    },

    async scores(portalId, profileId, ownerId) {
      const rows = await db.query<{ score: number }>(
        `select score from health_record_state where portal_id = $1 and profile_id = $2 and ($3::text is null or owner_id = $3)`,
        [portalId, profileId, ownerId],
      );
      return rows.map((r) => r.score);
    },

    async runTotals(portalId, profileId, ownerId, since) {
      const rows = await db.query<{
        run_id: string;
        at: Date;
        profile_version: number;
        score_sum: number;
        count: number;
        backfilled: boolean;
      }>(
        `select run_id, max(at) as at, max(profile_version) as profile_version, sum(score_sum)::bigint as score_sum,
                sum(count)::int as count, bool_or(backfilled) as backfilled
           from health_run_totals
          where portal_id = $1 and profile_id = $2 and ($3::text is null or owner_id = $3) and at >= $4
          group by run_id order by max(at)`,
        [portalId, profileId, ownerId, since],
      );
      return rows.map((r) => ({
        runId: r.run_id,
        at: r.at,
        profileVersion: r.profile_version,
        scoreSum: Number(r.score_sum),
        count: r.count,
        backfilled: r.backfilled,
      }));
    },

    async customers(portalId, profileId, ownerId, category, after, limit) {
      const rows = await db.query<{
        object_type: string;
        object_id: string;
        label: string;
        score: number;
        category: HealthCategoryValue;
        at: Date;
      }>(
        `select object_type, object_id, label, score, category, at from health_record_state
          where portal_id = $1 and profile_id = $2 and ($3::text is null or owner_id = $3) and ($4::text is null or category = $4)
            and ($5::int is null or (score, object_id) > ($5::int, $6::text))
          order by score, object_id limit $7`,
        [portalId, profileId, ownerId, category, after?.score ?? null, after?.objectId ?? '', limit],
      );
      return rows.map((r) => ({
        objectType: r.object_type,
        objectId: r.object_id,
        label: r.label,
        score: r.score,
        category: r.category,
        at: r.at,
      }));
    },

    async activeAlerts(portalId, ownerId, now, after, limit) {
      const rows = await db.query<AlertDbRow>(
        `select ${ALERT_COLUMNS} from health_alerts
          where portal_id = $1 and ($2::text is null or owner_id = $2) and expires_at > $3
            and ($4::timestamptz is null or (raised_at, id) < ($4::timestamptz, $5::text))
          order by raised_at desc, id desc limit $6`,
        [portalId, ownerId, now, after?.raisedAt ?? null, after?.id ?? '', limit],
      );
      return rows.map(toAlert);
    },

    async lastAlert(portalId, profileId, objectType, objectId) {
      const rows = await db.query<AlertDbRow>(
        `select ${ALERT_COLUMNS} from health_alerts where portal_id = $1 and profile_id = $2 and object_type = $3 and object_id = $4
          order by raised_at desc limit 1`,
        [portalId, profileId, objectType, objectId],
      );
      return rows[0] && toAlert(rows[0]);
    },

    async snapshotCount(portalId, profileId, runId) {
      const row = await db.one<{ n: number }>(
        `select count(*)::int as n from health_snapshots where portal_id = $1 and profile_id = $2 and ($3::text is null or run_id = $3)`,
        [portalId, profileId, runId ?? null],
      );
      return row.n;
    },
  };
}
