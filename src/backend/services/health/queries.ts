import { DateTime } from 'luxon';
import { z } from 'zod';
import { AppError } from '../../app-error';
import type {
  HealthAlert,
  HealthAlertsResponse,
  HealthCategory,
  HealthCustomersResponse,
  HealthDelta,
  HealthRecordResponse,
  HealthSummaryResponse,
} from '../../contract/api';
import type { PortalCrm } from '../../crm/gateway';
import {
  HEALTH_CATEGORIES,
  previewProfile,
  scoreRecord,
  summarize,
  type HealthInputRecord,
  type Profile,
  type ProfilePreview,
  type ScoreResult,
} from '../../engines/health';
import { createCopyRepo, createHealthCopyRepo, createHealthRepo, type Database, type StoredRun } from '../../storage';
import { freshnessOf, type Freshness } from '../../sync/status';
import { portalOwners } from '../owners';
import { viewerTimeZone } from '../time-zone';
import { loadOne, missingNeeds, needsOf } from './data';
import { DEFAULT_PROFILE_ID, profileOf, type ProfileService } from './profiles';

export type HealthScope = 'mine' | 'portal';

export type HealthQueryDeps = {
  db: Database;
  now: () => number;
  /** A stored score younger than this is served as is; older ones are recomputed live. */
  freshForMs: number;
  /** Starts a run for a portal that has none yet (zero setup); fire and forget. */
  requestFirstRun: (portalId: number) => void;
  /** The app's profile service. */
  profiles: ProfileService;
};

type Viewer = { portalId: number; viewAsUserId: number; scope: HealthScope };

const HISTORY_DAYS = 90;

function encodeCursor(parts: unknown[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

// A cursor is decoded from the client's `after`: each part is checked against what we encode
// (a score is a smallint, a date within PostgreSQL's and JavaScript's ranges, ids without NUL)
// before it reaches the database, so a forged one is a 400, not a database error.
const recordId = z.string().regex(/^[\w-]{1,100}$/);
const MIN_CURSOR_DATE = Date.parse('1970-01-01T00:00:00Z');
const MAX_CURSOR_DATE = Date.parse('9999-12-31T23:59:59.999Z');
const cursorDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/)
  .transform((s) => new Date(s))
  .refine((d) => d.getTime() >= MIN_CURSOR_DATE && d.getTime() <= MAX_CURSOR_DATE);
const alertsCursor = z.tuple([cursorDate, z.string().regex(/^[\w:.-]{1,200}$/)]);
const customersCursor = z.tuple([z.number().int().min(0).max(100), recordId]);

function decodeCursor<S extends z.ZodType>(schema: S, cursor: string | undefined): z.output<S> | null {
  if (!cursor) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const checked = schema.safeParse(parsed);
  if (checked.success) return checked.data;
  throw new AppError('BAD_REQUEST', 'The paging cursor is not valid.', [{ field: 'after', issue: 'not a cursor from this API' }]);
}

/** Everything the health endpoints read: stored scores first, HubSpot only when they are missing or stale. */
export function healthQueries(deps: HealthQueryDeps) {
  const repo = createHealthRepo(deps.db);
  const copy = createCopyRepo(deps.db);
  const copyHealth = createHealthCopyRepo(deps.db);
  const profiles = deps.profiles;

  /** The copy's freshness, and a warning while it loads (scores wait for it: never silently incomplete). */
  async function freshness(portalId: number, warnings: string[]): Promise<Freshness> {
    const f = await freshnessOf(copy, portalId, deps.now());
    if (f.syncing)
      warnings.push(
        `Tiller is still copying this portal from HubSpot (${f.syncing.percent}%); health scores are computed from the copy once it is loaded.`,
      );
    return f;
  }

  /** The portal's owners: from the copy, or from HubSpot before the copy holds them. */
  async function owners(crm: PortalCrm) {
    return portalOwners(copy, crm);
  }

  const summaryCache = new Map<string, { at: number; body: HealthSummaryResponse }>();

  async function ownerFilter(crm: PortalCrm, v: Viewer, warnings: string[]): Promise<string | null | undefined> {
    if (v.scope === 'portal') return null;
    const all = await owners(crm);
    const owner = all.find((o) => o.userId === v.viewAsUserId && !o.archived);
    if (!owner) {
      warnings.push('This user is not a HubSpot owner, so no customers are assigned to them.');
      return undefined;
    }
    return owner.id;
  }

  /** Run state warnings: the first run still going, or the last run's own warnings. */
  async function runWarnings(portalId: number, warnings: string[]): Promise<StoredRun | undefined> {
    const last = await repo.lastFinishedRun(portalId);
    if (!last || last.status === 'failed') {
      const pending = await repo.unfinishedRun(portalId);
      if (!pending) deps.requestFirstRun(portalId);
      if (!last) warnings.push('Health scores are being computed for the first time; this shows what is ready so far.');
      else warnings.push('The last scoring run failed; scores may be out of date.');
    } else warnings.push(...last.warnings);
    return last;
  }

  function historyOf(totals: { at: Date; scoreSum: number; count: number; backfilled: boolean }[], timeZone: string) {
    const byDay = new Map<string, { at: number; sum: number; count: number; backfilled: boolean }>();
    for (const t of totals) {
      if (t.count === 0) continue;
      const date = DateTime.fromJSDate(t.at, { zone: timeZone }).toISODate() ?? '';
      const seen = byDay.get(date);
      if (!seen || t.at.getTime() >= seen.at)
        byDay.set(date, { at: t.at.getTime(), sum: t.scoreSum, count: t.count, backfilled: t.backfilled });
    }
    return [...byDay.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([date, d]) => ({
        date,
        average: Math.round((d.sum / d.count) * 10) / 10,
        ...(d.backfilled ? { backfilled: true as const } : {}),
      }));
  }

  function toRecordResponse(
    profile: Profile,
    objectType: string,
    result: ScoreResult,
    computedAt: number,
    change: unknown,
    recent: readonly { at: number; score: number }[] = [],
  ): HealthRecordResponse {
    // The trend compares with the newest stored score strictly older than this one.
    const before = recent.filter((r) => r.at < computedAt).sort((a, b) => b.at - a.at)[0];
    return {
      previous: before ? { score: before.score, computedAt: new Date(before.at).toISOString() } : null,
      objectType,
      objectId: result.recordId,
      profileId: profile.id,
      profileVersion: profile.version,
      score: result.score,
      category: result.category,
      computedAt: new Date(computedAt).toISOString(),
      // The shown numbers: an excluded group's weight is shared out, so the groups add up to the score.
      groups: result.groups.map((g) => ({
        id: g.id,
        label: g.label,
        maxPoints: g.shownMaxPoints,
        score: g.shownScore,
        ...(g.excluded ? { excluded: true as const } : {}),
      })),
      criteria: result.criteria.map((c) => ({
        id: c.id,
        group: c.group,
        label: c.label,
        points: c.points,
        noData: c.noData,
        facts: { ...c.facts, reason: c.reason, excluded: c.excluded },
      })),
      change: (change as HealthRecordResponse['change']) ?? null,
    };
  }

  async function profileFor(portalId: number, crm: PortalCrm, objectType: string, profileId: string | undefined): Promise<Profile> {
    if (profileId) {
      const p = await profiles.pick(portalId, crm, profileId);
      if (p.objectType !== objectType)
        throw new AppError('NOT_FOUND', `Health profile "${p.name}" scores ${p.objectType}, not ${objectType}.`);
      return p;
    }
    const all = await profiles.ensure(portalId, crm);
    const match = all.find((p) => p.isDefault && p.objectType === objectType) ?? all.find((p) => p.objectType === objectType);
    if (!match) throw new AppError('NOT_FOUND', `No health profile scores ${objectType}.`);
    return profileOf(match);
  }

  return {
    async summary(crm: PortalCrm, v: Viewer, profileId: string | undefined): Promise<HealthSummaryResponse> {
      const warnings: string[] = [];
      const profile = await profiles.pick(v.portalId, crm, profileId);
      const [ownerId, tz] = await Promise.all([ownerFilter(crm, v, warnings), viewerTimeZone(copy, crm, v.viewAsUserId)]);
      warnings.push(...tz.warnings);
      const fresh = await freshness(v.portalId, warnings);
      const last = await runWarnings(v.portalId, warnings);
      const pending = await repo.unfinishedRun(v.portalId);
      const changedAt = await repo.scoresChangedAt(v.portalId, profile.id);
      // Scores change only when a run or a rescore writes: the latest runs and the last day totals
      // written (any instance) key the cached answer.
      const key = JSON.stringify([
        v.portalId,
        profile.id,
        profile.version,
        ownerId ?? null,
        v.scope,
        tz.timeZone,
        last?.id,
        last?.status,
        pending?.id,
        pending?.scored,
        changedAt,
        warnings,
      ]);
      const hit = summaryCache.get(key);
      if (hit && deps.now() - hit.at < 60_000) return { ...hit.body, ...fresh };
      const since = new Date(deps.now() - HISTORY_DAYS * 86_400_000);
      const [scores, totals] =
        ownerId === undefined
          ? [[], []]
          : await Promise.all([repo.scores(v.portalId, profile.id, ownerId), repo.runTotals(v.portalId, profile.id, ownerId, since)]);
      const s = summarize(scores, profile.thresholds);
      const body: HealthSummaryResponse = {
        profileId: profile.id,
        profileVersion: profile.version,
        customers: s.customers,
        average: s.average,
        categories: s.categories,
        thresholds: s.thresholds,
        distribution: s.distribution,
        history: historyOf(totals, tz.timeZone),
      };
      const partial = warnings.filter((w) => !w.startsWith('This user is not a HubSpot owner'));
      const out = partial.length || warnings.length ? { ...body, ...(partial.length ? { partial: true as const } : {}), warnings } : body;
      if (summaryCache.size >= 1000) summaryCache.delete(summaryCache.keys().next().value!);
      summaryCache.set(key, { at: deps.now(), body: out });
      return { ...out, ...fresh };
    },

    async record(
      crm: PortalCrm,
      portalId: number,
      objectType: string,
      objectId: string,
      profileId: string | undefined,
    ): Promise<HealthRecordResponse> {
      const profile = await profileFor(portalId, crm, objectType, profileId);
      const warnings: string[] = [];
      const fresh = await freshness(portalId, warnings);
      const state = await repo.getState(portalId, profile.id, objectType, objectId);
      const now = deps.now();
      const answer = (body: HealthRecordResponse, more: string[] = []): HealthRecordResponse => {
        const all = [...warnings, ...more];
        return { ...body, ...fresh, ...(all.length ? { partial: true as const, warnings: all } : {}) };
      };
      if (
        state &&
        state.profileVersion === profile.version &&
        now - state.at.getTime() < deps.freshForMs &&
        !(await copyHealth.isDirty(portalId, objectType, objectId))
      ) {
        const result = scoreRecord(profile, state.input as HealthInputRecord, state.at.getTime());
        return answer(toRecordResponse(profile, objectType, result, state.at.getTime(), state.change, state.recent));
      }
      // Scored from the copy now (a changed record, an older score, or none yet).
      const csm = await profiles.csmProperty(portalId);
      const live = await loadOne(deps.db, portalId, needsOf(profile, csm), objectId, { asOf: now, csmProperty: csm });
      if (!live.record) {
        if (state) {
          const result = scoreRecord(profile, state.input as HealthInputRecord, state.at.getTime());
          return answer(toRecordResponse(profile, objectType, result, state.at.getTime(), state.change, state.recent), [
            `This record is not in Tiller's copy of the portal yet; this is its score of ${state.at.toISOString().slice(0, 10)}.`,
          ]);
        }
        throw new AppError(
          'NOT_FOUND',
          fresh.syncing
            ? `There is no ${objectType} record ${objectId} in Tiller's copy yet (the portal is ${fresh.syncing.percent}% loaded).`
            : `There is no ${objectType} record ${objectId}.`,
        );
      }
      const result = scoreRecord(profile, live.record, now);
      return answer(toRecordResponse(profile, objectType, result, now, state?.change ?? null, state?.recent), live.warnings);
    },

    async alerts(crm: PortalCrm, v: Viewer, after: string | undefined, limit: number): Promise<HealthAlertsResponse> {
      const warnings: string[] = [];
      await profiles.ensure(v.portalId, crm);
      const fresh = await freshness(v.portalId, warnings);
      const ownerId = await ownerFilter(crm, v, warnings);
      const cursor = decodeCursor(alertsCursor, after);
      const from = cursor ? { raisedAt: cursor[0], id: cursor[1] } : null;
      const rows = ownerId === undefined ? [] : await repo.activeAlerts(v.portalId, ownerId, new Date(deps.now()), from, limit + 1);
      const page = rows.slice(0, limit);
      const alerts: (HealthAlert & { profileId: string; backfilled?: true })[] = page.map((a) => ({
        id: a.id,
        profileId: a.profileId,
        record: { objectType: a.objectType, objectId: a.objectId, label: a.label },
        from: a.from,
        to: a.to,
        raisedAt: a.raisedAt.toISOString(),
        expiresAt: a.expiresAt.toISOString(),
        deltas: a.deltas as HealthDelta[],
        ...(a.backfilled ? { backfilled: true as const } : {}),
      }));
      const last = page.at(-1);
      const body: HealthAlertsResponse = { alerts, ...fresh };
      if (rows.length > limit && last) body.paging = { next: { after: encodeCursor([last.raisedAt.toISOString(), last.id]) } };
      return warnings.length ? { ...body, ...(fresh.syncing ? { partial: true as const } : {}), warnings } : body;
    },

    async customers(
      crm: PortalCrm,
      v: Viewer,
      q: { profileId?: string; category?: HealthCategory; after?: string; limit: number },
    ): Promise<HealthCustomersResponse> {
      const warnings: string[] = [];
      const profile = await profiles.pick(v.portalId, crm, q.profileId);
      const ownerId = await ownerFilter(crm, v, warnings);
      const fresh = await freshness(v.portalId, warnings);
      await runWarnings(v.portalId, warnings);
      const cursor = decodeCursor(customersCursor, q.after);
      const from = cursor ? { score: cursor[0], objectId: cursor[1] } : null;
      const rows =
        ownerId === undefined ? [] : await repo.customers(v.portalId, profile.id, ownerId, q.category ?? null, from, q.limit + 1);
      const page = rows.slice(0, q.limit);
      const body: HealthCustomersResponse = {
        ...fresh,
        customers: page.map((r) => ({
          objectType: r.objectType,
          objectId: r.objectId,
          label: r.label,
          score: r.score,
          category: r.category,
          computedAt: r.at.toISOString(),
        })),
      };
      const last = page.at(-1);
      if (rows.length > q.limit && last) body.paging = { next: { after: encodeCursor([last.score, last.objectId]) } };
      const partial = warnings.filter((w) => !w.startsWith('This user is not a HubSpot owner'));
      return warnings.length ? { ...body, ...(partial.length ? { partial: true } : {}), warnings } : body;
    },

    /** Dry run of a profile edit on the inputs the last run stored: nothing is saved. */
    async preview(
      crm: PortalCrm,
      portalId: number,
      id: string,
      input: unknown,
    ): Promise<ProfilePreview & { partial?: true; warnings?: string[]; changedTotal: number }> {
      const all = await profiles.ensure(portalId, crm);
      const baseId = id === 'new' ? (all.find((p) => p.isDefault)?.id ?? DEFAULT_PROFILE_ID) : id;
      const stored = all.find((p) => p.id === baseId);
      if (!stored) throw new AppError('NOT_FOUND', `There is no health profile "${id}".`);
      const old = profileOf(stored);
      const next = profiles.validate(input, id === 'new' ? 'new' : id, old.version + 1);
      await profiles.assertObjectType(crm, next.objectType);
      const csm = await profiles.csmProperty(portalId);
      const warnings = missingNeeds(needsOf(old, csm), needsOf(next, csm));
      const rows = await repo.loadInputs(portalId, old.id);
      if (rows.length === 0) warnings.push('No scoring run has finished yet: the preview has no customers to score.');
      const last = await repo.lastFinishedRun(portalId);
      const at = last?.asOf.getTime() ?? deps.now();
      const preview = previewProfile(
        old,
        next,
        rows.map((r) => r.input as HealthInputRecord),
        at,
      );
      const changedTotal = preview.changed.length;
      const body = { ...preview, changed: preview.changed.slice(0, 500), changedTotal };
      return warnings.length ? { ...body, partial: true, warnings } : body;
    },

    async run(portalId: number, id: string) {
      const run = await repo.getRun(portalId, id);
      if (!run) throw new AppError('NOT_FOUND', `There is no health run "${id}".`);
      return {
        id: run.id,
        kind: run.kind,
        status: run.status,
        asOf: run.asOf.toISOString(),
        requestedAt: run.requestedAt.toISOString(),
        startedAt: run.startedAt?.toISOString() ?? null,
        finishedAt: run.finishedAt?.toISOString() ?? null,
        total: run.total,
        scored: run.scored,
        attempts: run.attempts,
        stats: run.stats,
        warnings: run.warnings,
        error: run.error,
      };
    },
  };
}

export const CATEGORY_VALUES = HEALTH_CATEGORIES;
