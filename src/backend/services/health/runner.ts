import { randomBytes } from 'node:crypto';
import type { CrmGateway } from '../../crm/gateway';
import { RequestMeter, runWithCallContext } from '../../crm/meter';
import { createCopyRepo, createHealthCopyRepo, createSettingsRepo, type DirtyRow } from '../../storage';
import { HEALTH_PROPERTIES_SETTING, readHealthProperties } from '../../sync/customer-properties';
import { syncObjectsOf } from '../../sync/context';
import { ensurePropertyHistory } from '../../sync/property-history';
import { freshnessOf } from '../../sync/status';
import {
  DAY_MS,
  decideTransition,
  inSegment,
  scoreRecord,
  type HealthInputRecord,
  type HealthSnapshot,
  type Profile,
} from '../../engines/health';
import { createHealthRepo, type Database, type RunKind, type ScoredWrite, type SnapshotJson, type StoredRun } from '../../storage';
import {
  asOf,
  historyPropertiesOf,
  inputReader,
  mergeNeeds,
  needsOf,
  PAGE_SIZE,
  storedInput,
  type DataNeeds,
  type LoadedRecord,
} from './data';
import { profileOf, profileService } from './profiles';

export type RunLogger = {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
};

export type RunnerDeps = {
  db: Database;
  crm: CrmGateway;
  logger: RunLogger;
  now: () => number;
  /**
   * Once the copy's first load is done, a profile's first run also scores each of this many past
   * days from the copy's dated data, marked backfilled (default 30; 0 turns it off).
   */
  backfillDays?: number;
  /** Customers read from the copy per page (default 1,000). */
  pageSize?: number;
  batchSize?: number;
  /** Attempts before a run that keeps failing is marked failed (default 3). */
  maxAttempts?: number;
  /** Test hook: called after each written batch (throw to simulate a crash). */
  afterBatch?: (written: number) => void | Promise<void>;
  /** Starts the portal copy's load now (a type reloaded for the profiles' properties); else the next sync tick does. */
  startCopyLoad?: (portalId: number) => void;
};

/** HubSpot's limits (hubspot-platform.md §4): searches 5/s; everything else 110 per 10 s. */
export const HUBSPOT_SEARCH_PER_S = 5;
export const HUBSPOT_GENERAL_PER_S = 11;

/** The wall time HubSpot's rate limits allow at best for these calls (both buckets run in parallel). */
export function rateLimitFloorMs(searches: number, general: number): number {
  return Math.max((searches / HUBSPOT_SEARCH_PER_S) * 1000, (general / HUBSPOT_GENERAL_PER_S) * 1000);
}

export type RunStats = {
  calls: Partial<Record<string, number>>;
  searches: number;
  general: number;
  floorMs: number;
  loadMs: number;
  wallMs: number;
  records: number;
  engagements: number;
  tickets: number;
  deals: number;
  backfilledDays: number;
  /** Backfill: customers whose property history was read from HubSpot (not yet in the copy). */
  historyRecords: number;
  /** Backfill: time spent making the copy hold the property history (HubSpot's batch reads). */
  historyMs: number;
};

export function newRunId(now: number): string {
  return `run-${new Date(now).toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${randomBytes(3).toString('hex')}`;
}

type MemoryState = { runId: string; recent: SnapshotJson[]; change: unknown };

const toSnapshot = (s: SnapshotJson): HealthSnapshot => s as HealthSnapshot;

/**
 * Scores one record at `at` for `runId`, deciding its confirmed category with hysteresis, and
 * returns what to write plus its next in-memory state. Already scored in this run: null.
 */
export function scoreStep(
  profile: Profile,
  input: HealthInputRecord,
  ownerId: string | null,
  objectType: string,
  at: number,
  runId: string,
  state: MemoryState | undefined,
  backfilled: boolean,
  storedState: boolean,
): { write: ScoredWrite; next: MemoryState } | null {
  if (state?.runId === runId) return null;
  const result = scoreRecord(profile, input, at);
  const criteria = result.criteria.map((c) => ({ id: c.id, label: c.label, points: c.points, reason: c.reason }));
  const decision = decideTransition({
    history: (state?.recent ?? []).map(toSnapshot),
    current: { runId, at, profileVersion: profile.version, score: result.score, criteria },
    thresholds: profile.thresholds,
    hysteresis: profile.hysteresis,
  });
  const snap: SnapshotJson = {
    runId,
    at,
    profileVersion: profile.version,
    score: result.score,
    category: decision.category,
    confirmedCategory: decision.confirmedCategory,
    criteria: criteria.map(({ id, label, points }) => ({ id, label, points })),
  };
  // Keep what the next decision needs: the last runs, and the latest one in the confirmed category.
  const keep = Math.max(2, profile.hysteresis.consecutiveRuns);
  const all = [...(state?.recent ?? []), snap].sort((a, b) => a.at - b.at);
  const recent = all.slice(-keep);
  const reference = [...all].reverse().find((s) => s.profileVersion === profile.version && s.category === decision.confirmedCategory);
  if (reference && !recent.includes(reference)) recent.unshift(reference);
  const change = decision.change
    ? {
        from: decision.change.from,
        to: decision.change.to,
        at: new Date(decision.change.raisedAt).toISOString(),
        deltas: decision.change.deltas,
      }
    : (state?.change ?? null);
  const write: ScoredWrite = {
    objectType,
    objectId: input.id,
    label: input.label,
    ownerId,
    runId,
    at: new Date(at),
    profileVersion: profile.version,
    score: result.score,
    category: decision.category,
    confirmedCategory: decision.confirmedCategory,
    backfilled,
    criteria: snap.criteria,
    state: storedState ? { input, recent, change } : null,
    alert: decision.change
      ? {
          id: `${profile.id}:${objectType}:${input.id}:${runId}`,
          from: decision.change.from,
          to: decision.change.to,
          raisedAt: new Date(decision.change.raisedAt),
          expiresAt: new Date(decision.change.expiresAt),
          deltas: decision.change.deltas,
        }
      : null,
  };
  return { write, next: { runId, recent, change } };
}

/** Creates a queued run (on demand or by the schedule); the scheduler picks it up. */
export async function queueRun(db: Database, portalId: number, kind: RunKind, now: number): Promise<StoredRun> {
  const repo = createHealthRepo(db);
  const pending = await repo.unfinishedRun(portalId);
  if (pending) return pending;
  const id = newRunId(now);
  await repo.createRun(portalId, { id, kind, asOf: new Date(now), requestedAt: new Date(now) });
  return (await repo.getRun(portalId, id))!;
}

export const DEFAULT_BACKFILL_DAYS = 30;

/** Where a portal's copy stands for health: ready, or still loading (percent). */
export type CopyReadiness = { ready: true } | { ready: false; percent: number };

/**
 * Whether a portal's runs can read its copy: the customer object holds every property the
 * profiles read, and every type is loaded. The profiles are ensured first (zero setup), so their
 * properties join the copy's list (HEALTH_PROPERTIES_SETTING) before the first load reaches the
 * customer object; a type already loaded (or loading) without them is loaded again, started at
 * once (`startCopyLoad`).
 */
export async function copyReadiness(deps: RunnerDeps, portalId: number): Promise<CopyReadiness> {
  const copy = createCopyRepo(deps.db);
  if ((await ensureCopyProperties(deps, portalId)).length > 0) deps.startCopyLoad?.(portalId);
  const fresh = await freshnessOf(copy, portalId, deps.now());
  return fresh.syncing ? { ready: false, percent: fresh.syncing.percent } : { ready: true };
}

/** How long an install's first load waits for the profiles to name their properties (HubSpot answering slowly). */
export const NAMING_WAIT_MS = 20_000;

/**
 * At install: the profiles name the properties they read (the default profile is built from a few
 * HubSpot calls), then the portal copy's first load starts, so it reads them. The load starts
 * anyway after `waitMs` (a slow or failing HubSpot must not hold it back) or when naming fails;
 * naming that ends after the load started, and finds a type loading without them, marks it for
 * loading again and says so (`startCopyLoad`). Resolves once naming is over.
 */
export async function nameThenLoad(
  deps: RunnerDeps,
  portalId: number,
  startLoad: () => void,
  waitMs: number = NAMING_WAIT_MS,
): Promise<void> {
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    startLoad();
  };
  const late = setTimeout(() => {
    deps.logger.warn({ portalId, waitMs }, 'health: naming the profiles’ properties is slow; the first load starts without waiting');
    start();
  }, waitMs);
  late.unref();
  try {
    const reloaded = await ensureCopyProperties(deps, portalId);
    if (started && reloaded.length > 0) deps.startCopyLoad?.(portalId);
  } catch (err) {
    deps.logger.warn({ portalId, err }, 'health: the profiles could not name their properties before the first load');
  } finally {
    clearTimeout(late);
    start();
  }
}

/** Adds the properties the profiles read to the copy's list; reloads a type that lacks them. */
export async function ensureCopyProperties(deps: RunnerDeps, portalId: number): Promise<string[]> {
  const copy = createCopyRepo(deps.db);
  const profiles = profileService(deps.db, deps.now);
  const stored = await runWithCallContext({ meter: new RequestMeter(), deadline: Infinity, priority: 'background' }, () =>
    profiles.ensure(portalId, deps.crm.portal(portalId)),
  );
  const csm = await profiles.csmProperty(portalId);
  const wanted = new Map<string, Set<string>>();
  for (const p of stored.map(profileOf)) {
    const set = wanted.get(p.objectType) ?? new Set<string>();
    for (const prop of needsOf(p, csm).properties) set.add(prop);
    wanted.set(p.objectType, set);
  }
  const objects = new Map(
    (await syncObjectsOf({ db: deps.db, crm: deps.crm, logger: deps.logger, now: deps.now }, portalId)).map((o) => [o.objectType, o]),
  );
  const settings = createSettingsRepo(deps.db);
  const saved = readHealthProperties(await settings.getSetting<unknown>(portalId, HEALTH_PROPERTIES_SETTING));
  const reloaded: string[] = [];
  for (const [type, props] of wanted) {
    const obj = objects.get(type);
    if (!obj) continue; // not an object the copy holds: its criteria show no data
    const missing = [...props].filter((p) => !obj.properties.includes(p) && !(saved[type] ?? []).includes(p));
    if (missing.length === 0) continue;
    saved[type] = [...new Set([...(saved[type] ?? []), ...missing])].sort();
    await settings.putSetting(portalId, HEALTH_PROPERTIES_SETTING, saved, new Date(deps.now()));
    const state = await copy.syncState(portalId, type);
    if (state && (state.state !== 'pending' || state.loadStartedAt)) {
      // Loaded (or loading) without them: load the type again (its polls read them from now on).
      await copy.putSyncState(portalId, type, { state: 'pending', cursor: null, loadStartedAt: null, records: 0 }, new Date(deps.now()));
      reloaded.push(type);
    }
    deps.logger.info(
      { portalId, objectType: type, properties: missing, reload: reloaded.includes(type) },
      'health: the copy holds these properties too',
    );
  }
  return reloaded;
}

/**
 * Runs (or resumes) a portal's scoring from its copy: every active profile, every record, a page
 * of customers at a time. The caller holds the portal's run lock and has checked the copy is
 * ready. Snapshots, states and alerts are written per batch in one transaction, each keyed by run,
 * so a crash loses at most the batch in flight and a resume writes nothing twice. A profile whose
 * history was never backfilled first gets its past `backfillDays` days, page by page, oldest first.
 */
export async function runPortal(deps: RunnerDeps, portalId: number, run: StoredRun): Promise<StoredRun> {
  const repo = createHealthRepo(deps.db);
  const copyHealth = createHealthCopyRepo(deps.db);
  const copy = createCopyRepo(deps.db);
  const started = deps.now();
  const log = deps.logger;
  const crm = deps.crm.portal(portalId);
  const profiles = profileService(deps.db, deps.now);
  await repo.updateRun(portalId, run.id, { status: 'running', startedAt: new Date(started), attempt: true });
  log.info({ portalId, runId: run.id, attempt: run.attempts + 1, asOf: run.asOf.toISOString() }, 'health run started');
  const meter = new RequestMeter();
  const asOfMs = run.asOf.getTime();
  const warnings: string[] = [];
  const backfillDays = deps.backfillDays ?? DEFAULT_BACKFILL_DAYS;
  const stats: RunStats = {
    calls: {},
    searches: 0,
    general: 0,
    floorMs: 0,
    loadMs: 0,
    wallMs: 0,
    records: 0,
    engagements: 0,
    tickets: 0,
    deals: 0,
    backfilledDays: 0,
    historyRecords: 0,
    historyMs: 0,
  };
  try {
    const stored = await runWithCallContext({ meter, deadline: Infinity, priority: 'background' }, () => profiles.ensure(portalId, crm));
    const active = stored.map(profileOf);
    const csm = await profiles.csmProperty(portalId);
    const byObject = new Map<string, Profile[]>();
    for (const p of active) byObject.set(p.objectType, [...(byObject.get(p.objectType) ?? []), p]);

    let written = 0;
    let total = 0;
    for (const [objectType, group] of byObject) {
      const states = new Map<string, Map<string, MemoryState>>();
      const backfilling = new Set<string>();
      for (const p of group) {
        const s = await repo.loadStates(portalId, p.id);
        const m = new Map<string, MemoryState>();
        for (const [key, v] of s) m.set(key.slice(objectType.length + 1), { runId: v.runId, recent: v.recent, change: v.change });
        states.set(p.id, m);
        if (backfillDays > 0 && !(await copyHealth.backfillDone(portalId, p.id))) backfilling.add(p.id);
      }
      const needs = group.map((p) => needsOf(p, csm)).reduce((a: DataNeeds, b) => mergeNeeds(a, b));
      const reader = await inputReader(deps.db, portalId, needs, {
        asOf: asOfMs,
        lookbackDays: backfilling.size ? backfillDays : 0,
        csmProperty: csm,
      });
      warnings.push(...reader.warnings);
      // Backfill: the properties the backfilling profiles read as of each past day.
      const historyProps = [...new Set(group.filter((p) => backfilling.has(p.id)).flatMap(historyPropertiesOf))]
        .filter((p) => reader.defines(p))
        .sort();
      const windowStart = asOfMs - backfillDays * DAY_MS;
      const batchSize = deps.batchSize ?? 500;
      const batches = new Map<string, ScoredWrite[]>(group.map((p) => [p.id, []]));
      const flush = async (profile: Profile) => {
        const items = batches.get(profile.id)!;
        if (items.length === 0) return;
        batches.set(profile.id, []);
        await deps.db.transaction((tx) => createHealthRepo(tx).writeScores(portalId, profile.id, items));
        written += items.length;
        await repo.updateRun(portalId, run.id, { scored: written });
        log.info({ portalId, runId: run.id, profileId: profile.id, scored: written, total }, 'health run progress');
        await deps.afterBatch?.(written);
      };
      let loadStarted = deps.now();
      for await (const page of reader.pages(deps.pageSize ?? PAGE_SIZE)) {
        stats.loadMs += deps.now() - loadStarted;
        if (historyProps.length > 0) {
          // The customers this page backfills whose properties may have changed inside the window
          // (modified after its start): their history, read from HubSpot once into the copy.
          const changing = page.filter(
            (r) =>
              (r.modifiedAt == null || r.modifiedAt > windowStart) &&
              group.some((p) => backfilling.has(p.id) && !states.get(p.id)!.has(r.id) && inSegment(p, r)),
          );
          const historyStarted = deps.now();
          const read = await runWithCallContext({ meter, deadline: Infinity, priority: 'background' }, () =>
            ensurePropertyHistory(
              crm,
              copy,
              objectType,
              changing.map((r) => r.id),
              historyProps,
              new Date(deps.now()),
            ),
          );
          await reader.withHistory(changing, historyProps);
          stats.historyRecords += read.read;
          stats.historyMs += deps.now() - historyStarted;
        }
        for (const profile of group) {
          const memory = states.get(profile.id)!;
          const records = page.filter((r) => inSegment(profile, r));
          total += records.length;
          if (backfilling.has(profile.id)) {
            await backfillPage(deps, portalId, profile, objectType, records, memory, asOfMs, backfillDays);
          }
          for (const record of records) {
            const step = scoreStep(
              profile,
              storedInput(record),
              record.ownerId,
              objectType,
              asOfMs,
              run.id,
              memory.get(record.id),
              false,
              true,
            );
            if (!step) {
              written += 1; // scored before a crash: already stored
              continue;
            }
            memory.set(record.id, step.next);
            batches.get(profile.id)!.push(step.write);
            if (batches.get(profile.id)!.length >= batchSize) await flush(profile);
          }
        }
        await repo.updateRun(portalId, run.id, { total });
        loadStarted = deps.now();
      }
      stats.loadMs += deps.now() - loadStarted;
      stats.records += reader.stats.records;
      stats.engagements += reader.stats.engagements;
      stats.tickets += reader.stats.tickets;
      stats.deals += reader.stats.deals;
      for (const profile of group) {
        await flush(profile);
        // Customers archived, merged away or out of the segment since they were last scored leave
        // the summaries and lists (rescoring forgets them as they change; this catches the rest).
        const gone = await repo.removeUnscored(portalId, profile.id, objectType, run.id, run.asOf);
        if (gone > 0) log.info({ portalId, runId: run.id, profileId: profile.id, gone }, 'health: records no longer customers forgotten');
        await repo.writeRunTotals(portalId, profile.id, run.id);
        if (backfilling.has(profile.id)) {
          for (let d = backfillDays; d >= 1; d -= 1) await repo.writeRunTotals(portalId, profile.id, backfillRunId(asOfMs - d * DAY_MS));
          await copyHealth.putBackfillDone(portalId, profile.id, backfillDays, run.id, new Date(deps.now()));
          stats.backfilledDays = backfillDays;
          log.info({ portalId, runId: run.id, profileId: profile.id, days: backfillDays }, 'health history backfilled from the copy');
        }
      }
    }
    const byKind = meter.byKind();
    stats.calls = byKind;
    stats.searches = byKind.search ?? 0;
    stats.general = meter.calls - stats.searches;
    stats.floorMs = Math.round(rateLimitFloorMs(stats.searches, stats.general));
    stats.wallMs = deps.now() - started;
    await repo.updateRun(portalId, run.id, { status: 'done', finishedAt: new Date(deps.now()), scored: written, total, stats, warnings });
    log.info({ portalId, runId: run.id, scored: written, ...stats }, 'health run done');
  } catch (err) {
    stats.wallMs = deps.now() - started;
    log.error({ portalId, runId: run.id, err }, 'health run failed');
    // A few attempts resume the same run (same as_of, nothing written twice); then it fails.
    const retry = run.attempts + 1 < (deps.maxAttempts ?? 3);
    await repo
      .updateRun(portalId, run.id, {
        status: retry ? 'queued' : 'failed',
        ...(retry ? {} : { finishedAt: new Date(deps.now()) }),
        error: err instanceof Error ? err.message : String(err),
        stats,
        warnings,
      })
      .catch(() => {});
    throw err;
  }
  return (await repo.getRun(portalId, run.id))!;
}

/** The run id of a backfilled day: one per calendar day (UTC), so a resumed backfill writes nothing twice. */
export const backfillRunId = (at: number) => `bf-${new Date(at).toISOString().slice(0, 10)}`;

/**
 * History for one page of customers: each of the past `days` days at the run's time of day, from
 * the copy's dated data (engagement timestamps, ticket and deal dates, and each property the
 * profile reads as it was that day when the record carries its history), oldest first through the
 * same hysteresis; snapshots and alerts marked backfilled. A day the record did not exist yet, or
 * lay outside the segment, is not scored. The records' stored states are not replaced (state
 * null); the run's own score comes after.
 */
async function backfillPage(
  deps: RunnerDeps,
  portalId: number,
  profile: Profile,
  objectType: string,
  records: LoadedRecord[],
  memory: Map<string, MemoryState>,
  asOfMs: number,
  days: number,
): Promise<void> {
  const items: ScoredWrite[] = [];
  for (const record of records) {
    // A record already scored (a resumed run) or with a stored history is not backfilled again.
    if (memory.has(record.id)) continue;
    for (let d = days; d >= 1; d -= 1) {
      const at = asOfMs - d * DAY_MS;
      const input = asOf(record, at);
      if (!input || !inSegment(profile, input)) continue;
      const step = scoreStep(
        profile,
        storedInput(input as LoadedRecord),
        record.ownerId,
        objectType,
        at,
        backfillRunId(at),
        memory.get(record.id),
        true,
        false,
      );
      if (!step) continue;
      memory.set(record.id, step.next);
      items.push(step.write);
    }
  }
  for (let i = 0; i < items.length; i += 2000) {
    const chunk = items.slice(i, i + 2000);
    await deps.db.transaction((tx) => createHealthRepo(tx).writeScores(portalId, profile.id, chunk));
  }
}

export type RescoreResult = { rescored: number; runId: string | null };

/**
 * Rescores the dirty customers of a portal (their copy data changed) at `now`: reads them from
 * the copy, scores them under every profile of their object type with hysteresis, writes
 * snapshots, states, alerts and the run's totals (every current state, so the day's average
 * follows), then clears the rows it handled — only those not marked again meanwhile.
 */
export async function rescoreDirty(deps: RunnerDeps, portalId: number, rows: DirtyRow[]): Promise<RescoreResult> {
  if (rows.length === 0) return { rescored: 0, runId: null };
  const now = deps.now();
  const runId = `rs-${new Date(now).toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${randomBytes(3).toString('hex')}`;
  const copyHealth = createHealthCopyRepo(deps.db);
  const profiles = profileService(deps.db, deps.now);
  const stored = await createHealthRepo(deps.db).listProfiles(portalId);
  const csm = await profiles.csmProperty(portalId);
  const byType = new Map<string, string[]>();
  for (const r of rows) byType.set(r.objectType, [...(byType.get(r.objectType) ?? []), r.objectId]);
  let rescored = 0;
  for (const [objectType, ids] of byType) {
    const group = stored.map(profileOf).filter((p) => p.objectType === objectType);
    if (group.length === 0) continue;
    const needs = group.map((p) => needsOf(p, csm)).reduce((a: DataNeeds, b) => mergeNeeds(a, b));
    const reader = await inputReader(deps.db, portalId, needs, { asOf: now, csmProperty: csm });
    const records = await reader.byIds(ids);
    for (const profile of group) {
      const memory = await copyHealth.statesFor(portalId, profile.id, objectType, ids);
      const items: ScoredWrite[] = [];
      const customers = new Set<string>();
      for (const record of records) {
        if (!inSegment(profile, record)) continue;
        customers.add(record.id);
        const state = memory.get(record.id) as MemoryState | undefined;
        const step = scoreStep(profile, storedInput(record), record.ownerId, objectType, now, runId, state, false, true);
        if (step) items.push(step.write);
      }
      // Archived, merged away or out of the segment: no longer a customer of this profile.
      const gone = ids.filter((id) => !customers.has(id) && memory.has(id));
      if (items.length || gone.length) {
        await deps.db.transaction(async (tx) => {
          await createHealthRepo(tx).writeScores(portalId, profile.id, items);
          await createHealthRepo(tx).removeStates(portalId, profile.id, objectType, gone);
          await createHealthCopyRepo(tx).writeStateTotals(portalId, profile.id, runId, new Date(now));
        });
        rescored += items.length + gone.length;
      }
    }
  }
  await copyHealth.clearDirty(portalId, rows);
  deps.logger.info({ portalId, runId, dirty: rows.length, rescored }, 'health: changed customers rescored');
  return { rescored, runId };
}

/**
 * The copy's change listener (sync's onChanged): marks dirty the customers, of every object type
 * a profile scores, that the changed records are or are associated with. One statement.
 */
export async function markChanged(
  db: Database,
  portalId: number,
  touched: { objectType: string; ids: string[] }[],
  now: number,
): Promise<number> {
  const repo = createHealthCopyRepo(db);
  const types = await repo.scoredTypes(portalId);
  return repo.markDirty(portalId, types, touched, new Date(now));
}
