// Guided actions for one rep: settings + remembered state (our database), the data plan (the
// portal copy), the pure engine, then the new state saved in one statement, written while the
// answer is sent (the rep's next evaluation in this instance reads after it). The evaluated list is
// cached per (portal, rep) under the copy version it read: a change to the portal's copy (a
// webhook, a poll, a write-through) makes the next request evaluate again; otherwise it is reused
// for a few seconds. Feedback updates the cached entry in place.
import type { Freshness, GuidedAction, GuidedActionFeedback, GuidedActionsResponse } from '../../contract/api';
import { AppError } from '../../app-error';
import type { Logger } from 'pino';
import type { CacheBus } from '../../cache-bus';
import {
  RULE_IDS,
  RULES,
  evaluateGuidedActions,
  filterByCategory,
  guidedActionId,
  guidedActionSettingsSchema,
  toGuidedAction,
  type CategoryFilter,
  type EngineAction,
  type GuidedActionSettings,
  type RememberedEntry,
  type RuleId,
} from '../../engines/guided-actions';
import { createCopyRepo, type Queryable } from '../../storage';
import { actionKey, createGuidedActionsRepo, type ActionRef } from '../../storage/guided-actions-repo';
import { createSettingsRepo } from '../../storage/settings-repo';
import { loadGuidedActionsInput, RULE_SOURCES } from './data-plan';

export const SETTINGS_KEY = 'guidedActions';
/** Objects a record card can ask about (CARD-2). */
export const RECORD_TYPES = ['contacts', 'companies', 'deals', 'leads'] as const;
export type RecordFilter = { objectType: (typeof RECORD_TYPES)[number]; objectId: string };

type Evaluated = {
  actions: EngineAction[];
  /** Answers by actionKey(rule, recordKey). */
  feedback: Map<string, GuidedActionFeedback>;
  warnings: string[];
  partial: boolean;
  /** CPU time of the engine call (user + system), for the bench. */
  engineCpuMs: number;
  computedAt: number;
  freshness: Freshness;
  /** The portal's copy version read before the data: a newer one makes this evaluation stale. */
  copyVersion: number;
  /** Serialized answers by filters (warm requests send bytes); emptied when an answer changes. */
  bodies: Map<string, Buffer>;
  /** Starts saving the remembered state (idempotent): once an answer from it is sent, else after SAVE_AFTER_MS. */
  release: () => void;
};

/**
 * An evaluation's remembered state is saved once an answer from it has been handed to the network
 * (or after this long when none is: a background refresh, a caller that does not say).
 */
export const SAVE_AFTER_MS = 1_000;
const NOTHING_TO_SAVE = () => {};

/**
 * The API body plus two additive fields: `total` (actions matching the filters, before `limit`)
 * and `counts` per category (after the record filter), so a client showing the first `limit`
 * actions can still show the category counts. `meta` is for headers, not the body.
 */
export type GuidedActionsResult = GuidedActionsResponse &
  Freshness & {
    total: number;
    counts: { all: number; deal: number; prospecting: number };
    meta: { cache: 'hit' | 'miss'; engineCpuMs: number };
  };
/** hubspot.fetch answers at most 1 MB; an action weighs about 1 KB (0.94 KB on average for the large portal's big rep). */
export const DEFAULT_LIMIT = 250;
export const MAX_LIMIT = 800;

export type GuidedActionsServiceDeps = {
  db: Queryable;
  now: () => number;
  /** How long an evaluation is reused for the same (portal, rep) while the copy does not change. Default 15 s. */
  cacheTtlMs?: number;
  /**
   * After `cacheTtlMs`, a complete evaluation of an unchanged copy is still served (and refreshed
   * in the background: only time moved) for this long. Default 60 s.
   */
  staleMs?: number;
  /** At most this many (portal, rep) entries are cached. */
  cacheMaxEntries?: number;
  /** Other instances' caches: feedback given here is reloaded there (scope 'guided-actions-feedback'). */
  bus?: CacheBus;
  /** Where a remembered state that could not be saved is reported (the answer was already sent). */
  logger?: Pick<Logger, 'error'>;
};

const RULE_SET = new Set<string>(RULE_IDS);

export type ListOptions = { category: CategoryFilter; record?: RecordFilter; limit?: number };

export interface GuidedActionsService {
  /** The rep's actions, most urgent first, filtered by category and (optionally) by a record they are about. */
  list(portalId: number, userId: number, opts: ListOptions): Promise<GuidedActionsResult>;
  /** The same answer serialized (JSON bytes, without `meta`), memoised per filters until an answer changes. */
  listBody(
    portalId: number,
    userId: number,
    opts: ListOptions,
  ): Promise<{ body: Buffer; meta: GuidedActionsResult['meta']; /** Call once the body is sent. */ sent: () => void }>;
  /** Stores the rep's answer on one action; 404 when the id is not one of the rep's actions. */
  feedback(portalId: number, userId: number, actionId: string, answer: GuidedActionFeedback): Promise<void>;
  /** Forgets the cached evaluation of one rep (or of every rep of the portal). Copy changes need no call: they are seen. */
  invalidate(portalId: number, userId?: number): void;
  /** How many reps' evaluations are held (at most `cacheMaxEntries`, none older than `staleMs` for long). */
  cachedEvaluations(): number;
  /** Resolves when every remembered state being saved is written (or failed and was logged): shutdown and tests. */
  settled(): Promise<void>;
}

export function createGuidedActionsService(deps: GuidedActionsServiceDeps): GuidedActionsService {
  const ttl = deps.cacheTtlMs ?? 15_000;
  const maxEntries = deps.cacheMaxEntries ?? 2_000;
  const staleMs = deps.staleMs ?? 60_000;
  type CacheEntry = { at: number; version: number; value: Promise<Evaluated>; settled: boolean; refreshing?: Promise<Evaluated> };
  const cache = new Map<string, CacheEntry>();
  const repo = createGuidedActionsRepo(deps.db);
  const copy = createCopyRepo(deps.db);
  const settingsRepo = createSettingsRepo(deps.db);
  const key = (portalId: number, userId: number) => `${portalId}:${userId}`;
  // The remembered state of an evaluation is saved after its answer is sent (~2,500 rows for a busy
  // rep: tens of milliseconds the rep need not wait for). The save merges (earliest first-seen
  // time, first expiry), so a late or repeated one is harmless; the same rep's next evaluation here
  // reads the state after it, so it never misses what the previous one remembered.
  // A save waits for its answer to be sent (`release`); the rep's next evaluation releases it at once.
  const saving = new Map<string, { written: Promise<void>; release: () => void }>();
  deps.bus?.on('guided-actions', (portalId, userId) => invalidate(portalId, userId === undefined ? undefined : Number(userId)));
  deps.bus?.on('guided-actions-feedback', (portalId, userId) => {
    if (userId === undefined) invalidate(portalId);
    else reloadFeedback(portalId, Number(userId));
  });

  async function settingsOf(portalId: number): Promise<{ settings: GuidedActionSettings; warnings: string[] }> {
    const stored = await settingsRepo.getSetting(portalId, SETTINGS_KEY);
    const parsed = guidedActionSettingsSchema.safeParse(stored ?? {});
    if (parsed.success) return { settings: parsed.data, warnings: [] };
    return {
      settings: guidedActionSettingsSchema.parse({}),
      warnings: ["This portal's guided-action settings are not valid; the defaults are used."],
    };
  }

  async function evaluate(portalId: number, userId: number, copyVersion: number): Promise<Evaluated> {
    const now = deps.now();
    const rep = String(userId);
    const k = key(portalId, userId);
    // The remembered state (thousands of rows for a busy rep) is read while the data plan runs,
    // after the rep's previous evaluation's state is saved.
    const previous = saving.get(k);
    previous?.release();
    const rememberedRead = (previous?.written ?? Promise.resolve()).then(() => repo.loadRemembered(portalId, rep));
    rememberedRead.catch(() => {}); // awaited below; not unhandled meanwhile
    const { settings, warnings: settingWarnings } = await settingsOf(portalId);
    const plan = await loadGuidedActionsInput(deps.db, portalId, { userId, now, settings });
    const remembered = await rememberedRead;
    const feedback = new Map([...remembered.feedback].map(([k, v]) => [k, v.answer]));
    if (plan.kind === 'not-an-owner')
      return {
        actions: [],
        feedback,
        warnings: [...settingWarnings, ...plan.warnings],
        partial: plan.incomplete.size > 0,
        engineCpuMs: 0,
        computedAt: now,
        freshness: plan.freshness,
        copyVersion,
        bodies: new Map(),
        release: NOTHING_TO_SAVE,
      };

    // Rules whose data is not (yet) in the copy are not evaluated (and so clear nothing).
    const rules = RULES.filter((r) => RULE_SOURCES[r.id].every((t) => !plan.incomplete.has(t)));
    const skipped = RULES.length - rules.length;
    const warnings = [...settingWarnings, ...plan.warnings];
    if (skipped)
      warnings.push(`${skipped} of the ${RULES.length} guided-action rules could not be checked, so some actions may be missing.`);
    const partial = plan.incomplete.size > 0 || plan.warnings.length > 0;

    const state: RememberedEntry[] = remembered.entries
      .filter((e) => RULE_SET.has(e.ruleId))
      .map((e) => ({
        rule: e.ruleId as RuleId,
        recordKey: e.recordKey,
        firstSeenAt: e.firstSeenAt.getTime(),
        expiredAt: e.expiredAt?.getTime() ?? null,
        occurrence: e.occurrence,
        snapshot: (e.snapshot ?? null) as RememberedEntry['snapshot'],
        clearedAt: e.clearedAt?.getTime() ?? null,
      }));

    const cpu0 = process.cpuUsage();
    const result = evaluateGuidedActions(plan.input, now, state, settings, rules);
    const cpu = process.cpuUsage(cpu0);
    const engineCpuMs = (cpu.user + cpu.system) / 1000;

    // Written once the answer is on its way: even the write's preparation (thousands of rows as
    // JSON, ~20 ms for a busy rep) waits until the response has been handed to the network (the
    // route calls `sent`): a 250 KB answer takes more than one turn of the event loop to leave,
    // and the preparation run in between held its end back ~20 ms.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const fallback = setTimeout(() => release(), SAVE_AFTER_MS);
    fallback.unref();
    const save = released.then(() => {
      clearTimeout(fallback);
      const reasons = new Map(result.expired.map((e) => [actionKey(e.rule, e.recordKey), e.reason]));
      return repo.saveEvaluation(
        portalId,
        rep,
        {
          seen: result.seen.map((s) => ({
            ruleId: s.rule,
            recordKey: s.recordKey,
            firstSeenAt: new Date(s.firstSeenAt),
            expiredAt: s.expiredAt === null ? null : new Date(s.expiredAt),
            expiredReason: reasons.get(actionKey(s.rule, s.recordKey)) ?? null,
            occurrence: s.occurrence,
            snapshot: s.snapshot,
          })),
          // Never clear remembered state from partial data.
          cleared: partial ? [] : result.cleared.map((c) => ({ ruleId: c.rule, recordKey: c.recordKey, clearedAt: new Date(c.clearedAt) })),
        },
        new Date(now),
      );
    });
    // Not awaited: a failed save loses first-seen times only (the next evaluation sees the
    // actions as new again), never the answer.
    const written: Promise<void> = save
      .catch((err: unknown) => deps.logger?.error({ err, portalId, userId }, 'guided actions: remembered state not saved'))
      .finally(() => {
        if (saving.get(k)?.written === written) saving.delete(k);
      });
    saving.set(k, { written, release });
    return {
      actions: result.actions,
      feedback,
      warnings,
      partial,
      engineCpuMs,
      computedAt: now,
      freshness: plan.freshness,
      copyVersion,
      bodies: new Map(),
      release,
    };
  }

  // An evaluation older than `staleMs` is never served again (the next request evaluates anew), so
  // holding it only costs memory: a rep who stopped asking would keep theirs until 2,000 others had
  // pushed it out. Swept at most once per TTL.
  let sweptAt = deps.now();
  function sweep(at: number): void {
    if (at - sweptAt < ttl) return;
    sweptAt = at;
    for (const [k, entry] of cache) if (at - entry.at >= staleMs) cache.delete(k);
  }

  // An entry is fresh while the copy keeps its version and for `ttl`. Past `ttl` (only time moved:
  // some rules count hours), up to `staleMs`, a complete evaluation is served at once while one
  // refresh runs. A new copy version is always evaluated before answering, so a change in the copy
  // shows in the next answer. Reading the version is one primary-key lookup per request.
  async function cached(portalId: number, userId: number): Promise<{ value: Promise<Evaluated>; hit: boolean }> {
    sweep(deps.now());
    const k = key(portalId, userId);
    const version = await copy.copyVersion(portalId);
    const entry = cache.get(k);
    const age = entry ? deps.now() - entry.at : Infinity;
    if (entry && entry.version === version) {
      if (age < ttl) return { value: entry.value, hit: true };
      if (entry.settled && age < staleMs) {
        refreshInBackground(k, entry, portalId, userId, version);
        return { value: entry.value, hit: true };
      }
    }
    const value = evaluate(portalId, userId, version);
    const fresh: CacheEntry = { at: deps.now(), version, value, settled: false };
    cache.delete(k);
    cache.set(k, fresh);
    value.then(
      (ev) => {
        fresh.settled = !ev.partial;
      },
      () => {
        if (cache.get(k) === fresh) cache.delete(k);
      },
    );
    if (cache.size > maxEntries) cache.delete(cache.keys().next().value!);
    return { value, hit: false };
  }

  // The refresh of a stale complete answer of an unchanged copy; it replaces the entry when it is
  // complete and the entry is still the one refreshed.
  function refreshInBackground(k: string, entry: CacheEntry, portalId: number, userId: number, version: number): void {
    if (entry.refreshing || cache.get(k) !== entry) return;
    const next = evaluate(portalId, userId, version);
    entry.refreshing = next;
    next.then(
      (ev) => {
        // (entry.refreshing: `next`, or `next` then the answers another instance stored meanwhile)
        if (!ev.partial && cache.get(k) === entry)
          cache.set(k, { at: deps.now(), version, value: entry.refreshing ?? next, settled: true });
        else entry.refreshing = undefined;
      },
      () => {
        entry.refreshing = undefined;
      },
    );
  }

  return {
    async list(portalId, userId, opts) {
      const { value, hit } = await cached(portalId, userId);
      return build(await value, opts, hit);
    },

    async listBody(portalId, userId, opts) {
      const { value, hit } = await cached(portalId, userId);
      const ev = await value;
      const meta = { cache: hit ? ('hit' as const) : ('miss' as const), engineCpuMs: ev.engineCpuMs };
      const k = `${opts.category}|${opts.record?.objectType ?? ''}:${opts.record?.objectId ?? ''}|${opts.limit ?? DEFAULT_LIMIT}`;
      let body = ev.bodies.get(k);
      if (!body) {
        const { meta: _meta, ...rest } = build(ev, opts, hit);
        body = Buffer.from(JSON.stringify(rest));
        if (ev.bodies.size >= 64) ev.bodies.clear();
        ev.bodies.set(k, body);
      }
      return { body, meta, sent: ev.release };
    },

    async feedback(portalId, userId, actionId, answer) {
      const rep = String(userId);
      let entry = cache.get(key(portalId, userId));
      let ref: ActionRef | undefined;
      let ev = entry ? await entry.value.catch(() => undefined) : undefined;
      const shown = ev?.actions.find((a) => a.id === actionId);
      if (shown) ref = { ruleId: shown.rule, recordKey: shown.recordKey };
      if (!ref) {
        // Every action ever shown is remembered: find the one whose stable id matches.
        const remembered = await repo.loadRemembered(portalId, rep);
        const refs: ActionRef[] = [...remembered.entries, ...remembered.feedback.values()];
        ref = refs.find((r) => guidedActionId(r.ruleId, r.recordKey, rep) === actionId);
      }
      if (!ref && !entry) {
        // Shown a moment ago by another instance, whose remembered state is written after its
        // answer: the rep's current actions say whether it is one of theirs.
        ev = await (await cached(portalId, userId)).value.catch(() => undefined);
        entry = cache.get(key(portalId, userId));
        const current = ev?.actions.find((a) => a.id === actionId);
        if (current) ref = { ruleId: current.rule, recordKey: current.recordKey };
      }
      if (!ref) throw new AppError('NOT_FOUND', 'This guided action does not exist (any more) for this user.');
      await repo.setFeedback(portalId, rep, ref, answer, new Date(deps.now()));
      // The cached list stays valid; only its answers change (also in a refresh under way, which
      // may have read the answers before this one was stored).
      const k = actionKey(ref.ruleId, ref.recordKey);
      if (ev) {
        ev.feedback.set(k, answer);
        ev.bodies.clear();
      }
      void entry?.refreshing?.then(
        (next) => {
          next.feedback.set(k, answer);
          next.bodies.clear();
        },
        () => {},
      );
      await deps.bus?.invalidate(portalId, 'guided-actions-feedback', rep);
    },

    invalidate,

    cachedEvaluations: () => cache.size,

    async settled() {
      while (saving.size)
        await Promise.all(
          [...saving.values()].map((s) => {
            s.release();
            return s.written;
          }),
        );
    },
  };

  function invalidate(portalId: number, userId?: number): void {
    if (userId !== undefined) cache.delete(key(portalId, userId));
    else for (const k of [...cache.keys()]) if (k.startsWith(`${portalId}:`)) cache.delete(k);
  }

  // Another instance stored an answer of this rep: the cached list stays valid, its answers are
  // read again. The entry's next read waits for them (no stale answer in between); when they
  // cannot be read, the entry is dropped and the next read evaluates afresh.
  function reloadFeedback(portalId: number, userId: number): void {
    const k = key(portalId, userId);
    const entry = cache.get(k);
    if (!entry) return;
    const reload = (ev: Evaluated): Promise<Evaluated> =>
      repo.loadRemembered(portalId, String(userId)).then(
        (remembered) => {
          ev.feedback.clear();
          for (const [fk, v] of remembered.feedback) ev.feedback.set(fk, v.answer);
          ev.bodies.clear();
          return ev;
        },
        () => {
          if (cache.get(k) === entry) cache.delete(k);
          return ev;
        },
      );
    entry.value = entry.value.then(reload);
    if (entry.refreshing) entry.refreshing = entry.refreshing.then(reload);
  }
}

function build(ev: Evaluated, opts: ListOptions, hit: boolean): GuidedActionsResult {
  const about = opts.record ? ev.actions.filter((a) => isAbout(a, opts.record!)) : ev.actions;
  let deal = 0;
  for (const a of about) if (a.category === 'deal') deal++;
  const matching = filterByCategory(about, opts.category);
  const out: GuidedAction[] = matching
    .slice(0, opts.limit ?? DEFAULT_LIMIT)
    .map((a) => toGuidedAction(a, ev.feedback.get(actionKey(a.rule, a.recordKey)) ?? null));
  const response: GuidedActionsResult = {
    actions: out,
    total: matching.length,
    counts: { all: about.length, deal, prospecting: about.length - deal },
    meta: { cache: hit ? 'hit' : 'miss', engineCpuMs: ev.engineCpuMs },
    ...ev.freshness,
  };
  if (ev.warnings.length) response.warnings = ev.warnings;
  if (ev.partial) response.partial = true;
  return response;
}

function isAbout(a: EngineAction, r: RecordFilter): boolean {
  const same = (x: { objectType: string; objectId: string }) => x.objectType === r.objectType && x.objectId === r.objectId;
  return same(a.record) || a.members.some(same) || a.associated.some(same);
}
