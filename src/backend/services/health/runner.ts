import { randomBytes } from 'node:crypto';
import type { CrmGateway } from '../../crm/gateway';
import { RequestMeter, runWithCallContext } from '../../crm/meter';
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
import { asOf, loadInputs, mergeNeeds, needsOf, storedInput, type DataNeeds, type LoadedRecord } from './data';
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
  /** On a profile's first run, also score each of this many past days (sandbox demo history). */
  backfillDays?: number;
  batchSize?: number;
  /** Attempts before a run that keeps failing is marked failed (default 3). */
  maxAttempts?: number;
  /** Test hook: called after each written batch (throw to simulate a crash). */
  afterBatch?: (written: number) => void | Promise<void>;
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

/**
 * Runs (or resumes) a portal's scoring: every active profile, every record. The caller holds the
 * portal's run lock. Snapshots, states and alerts are written per batch in one transaction, each
 * keyed by run, so a crash loses at most the batch in flight and a resume writes nothing twice.
 */
export async function runPortal(deps: RunnerDeps, portalId: number, run: StoredRun): Promise<StoredRun> {
  const repo = createHealthRepo(deps.db);
  const started = deps.now();
  const log = deps.logger;
  const crm = deps.crm.portal(portalId);
  const profiles = profileService(deps.db, deps.now);
  await repo.updateRun(portalId, run.id, { status: 'running', startedAt: new Date(started), attempt: true });
  log.info({ portalId, runId: run.id, attempt: run.attempts + 1, asOf: run.asOf.toISOString() }, 'health run started');
  const meter = new RequestMeter();
  const asOfMs = run.asOf.getTime();
  const warnings: string[] = [];
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
      let backfill = false;
      for (const p of group) {
        const s = await repo.loadStates(portalId, p.id);
        const m = new Map<string, MemoryState>();
        for (const [key, v] of s) m.set(key.slice(objectType.length + 1), { runId: v.runId, recent: v.recent, change: v.change });
        states.set(p.id, m);
        if (m.size === 0 && (deps.backfillDays ?? 0) > 0) backfill = true;
      }
      const needs = group.map((p) => needsOf(p, csm)).reduce((a: DataNeeds, b) => mergeNeeds(a, b));
      // One segment filter only when a single profile scores this object; else filter locally.
      const segmentOf = group.length === 1 ? group[0]! : null;
      const loadStarted = deps.now();
      let lastLog = 0;
      const loaded = await runWithCallContext({ meter, deadline: Infinity, priority: 'background' }, () =>
        loadInputs(crm, needs, {
          asOf: asOfMs,
          lookbackDays: backfill ? deps.backfillDays : 0,
          csmProperty: csm,
          segmentOf,
          onProgress: (what, count) => {
            const t = deps.now();
            if (t - lastLog >= 5_000) {
              lastLog = t;
              log.info(
                { portalId, runId: run.id, loading: what, count, searches: meter.byKind().search ?? 0, calls: meter.calls },
                'health run loading',
              );
            }
          },
        }),
      );
      stats.loadMs += deps.now() - loadStarted;
      warnings.push(...loaded.warnings);
      stats.records += loaded.stats.records;
      stats.engagements += loaded.stats.engagements;
      stats.tickets += loaded.stats.tickets;
      stats.deals += loaded.stats.deals;

      for (const profile of group) {
        const memory = states.get(profile.id)!;
        const records = loaded.records.filter((r) => inSegment(profile, r));
        total += records.length;
        await repo.updateRun(portalId, run.id, { total });
        if (backfill && memory.size === 0) {
          stats.backfilledDays = await backfillProfile(deps, portalId, profile, objectType, records, memory, asOfMs, run.id);
        }
        const batchSize = deps.batchSize ?? 500;
        let batch: ScoredWrite[] = [];
        const flush = async () => {
          if (batch.length === 0) return;
          const items = batch;
          batch = [];
          await deps.db.transaction((tx) => createHealthRepo(tx).writeScores(portalId, profile.id, items));
          written += items.length;
          await repo.updateRun(portalId, run.id, { scored: written });
          log.info({ portalId, runId: run.id, profileId: profile.id, scored: written, total }, 'health run progress');
          await deps.afterBatch?.(written);
        };
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
          batch.push(step.write);
          if (batch.length >= batchSize) await flush();
        }
        await flush();
        await repo.writeRunTotals(portalId, profile.id, run.id);
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

/**
 * The demo portal's history: scores each of the past `backfillDays` days from the data's
 * timestamps (run ids `bf-YYYY-MM-DD`, snapshots and alerts marked backfilled), oldest first.
 */
async function backfillProfile(
  deps: RunnerDeps,
  portalId: number,
  profile: Profile,
  objectType: string,
  records: LoadedRecord[],
  memory: Map<string, MemoryState>,
  asOfMs: number,
  runId: string,
): Promise<number> {
  const days = deps.backfillDays ?? 0;
  const repo = createHealthRepo(deps.db);
  for (let d = days; d >= 1; d -= 1) {
    const at = asOfMs - d * DAY_MS;
    const dayRun = `bf-${new Date(at).toISOString().slice(0, 10)}`;
    const items: ScoredWrite[] = [];
    for (const record of records) {
      const input = asOf(record, at);
      if (!input) continue;
      const step = scoreStep(
        profile,
        storedInput(input as LoadedRecord),
        record.ownerId,
        objectType,
        at,
        dayRun,
        memory.get(record.id),
        true,
        false,
      );
      if (!step) continue;
      memory.set(record.id, step.next);
      items.push(step.write);
    }
    for (let i = 0; i < items.length; i += 1000) {
      const chunk = items.slice(i, i + 1000);
      await deps.db.transaction((tx) => createHealthRepo(tx).writeScores(portalId, profile.id, chunk));
    }
    await repo.writeRunTotals(portalId, profile.id, dayRun);
  }
  deps.logger.info({ portalId, runId, profileId: profile.id, days, records: records.length }, 'health history backfilled');
  return days;
}
