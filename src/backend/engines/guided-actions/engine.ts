import type { GuidedAction, GuidedActionCategory, GuidedActionFeedback, ObjectRef } from '../../contract/api';
import { buildContext, type Ctx } from './context';
import type { EpochMs, GuidedActionsInput } from './input';
import type { Candidate, Rule, RuleId } from './rule-definition';
import { RULES } from './rules';
import { defaultGuidedActionSettings, type GuidedActionSettings } from './settings';

/** Association snapshot (rules 6, 7, 11): refs at creation; per member for grouped rule 7. */
export type AssociationSnapshot = { associated: ObjectRef[]; members?: Record<string, ObjectRef[]> };

/** What the caller stores per (portal, rep, rule, recordKey). */
export type RememberedEntry = {
  rule: RuleId;
  recordKey: string;
  /** When the action came into being (event time when the data shows it, else first produced). */
  firstSeenAt: EpochMs;
  /** Set once an age/event expiry fired: the action stays gone until its criteria stop holding. */
  expiredAt: EpochMs | null;
  /** Which occurrence this entry is about (a new reply, a new assignment… start a new one). */
  occurrence: string | null;
  snapshot: AssociationSnapshot | null;
  /**
   * Set when the creation criteria were seen not holding (a tombstone): the next occurrence
   * starts no earlier than this, so an old event cannot make a returning action look old.
   */
  clearedAt: EpochMs | null;
};
export type RememberedState = readonly RememberedEntry[];

export type Urgency = { tier: number; dueAt: string | null };
export type EngineAction = Omit<GuidedAction, 'feedback' | 'rule'> & {
  rule: RuleId;
  recordKey: string;
  urgency: Urgency;
};

export type ExpiredEntry = { rule: RuleId; recordKey: string; expiredAt: EpochMs; condition: string; reason: string };
export type ClearedEntry = { rule: RuleId; recordKey: string; clearedAt: EpochMs; wasExpired: boolean };

export type EvaluationResult = {
  /** Most urgent first. */
  actions: EngineAction[];
  /** Entries to upsert: new actions, new occurrences, or a changed snapshot. */
  seen: RememberedEntry[];
  /** Actions whose age/event expiry fired now (already reflected in `seen` for new ones). */
  expired: ExpiredEntry[];
  /** Remembered entries whose creation criteria no longer hold: mark them cleared (or delete). */
  cleared: ClearedEntry[];
};

const rememberKey = (rule: string, recordKey: string) => `${rule}\u0000${recordKey}`;

const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';
/** `n.toString(36)` for a safe non-negative integer, without the runtime's slow radix conversion. */
function base36(n: number): string {
  let out = '';
  do {
    const q = Math.floor(n / 36);
    out = BASE36[n - q * 36] + out;
    n = q;
  } while (n > 0);
  return out;
}

/** cyrb53: a small, stable, dependency-free 53-bit string hash. */
function hash53(str: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < str.length; i++) {
    const ch = str.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return base36(4294967296 * (2097151 & h2) + (h1 >>> 0));
}

/** The stable id of the action of `rule` about `recordKey` for HubSpot user `userId`. */
export function guidedActionId(rule: string, recordKey: string, userId: string): string {
  return `ga_${hash53(`${rule}|${recordKey}|${userId}`)}`;
}

const dedupeRefs = (refs: ObjectRef[]): ObjectRef[] => {
  const seen = new Set<string>();
  return refs.filter((r) => {
    const k = `${r.objectType}:${r.objectId}`;
    return seen.has(k) ? false : (seen.add(k), true);
  });
};

function categoryOf(ctx: Ctx, rule: Rule, associated: ObjectRef[]): GuidedActionCategory {
  if (rule.category !== 'dealIfOpenDeal') return rule.category;
  for (const r of associated) {
    if (r.objectType !== 'deals') continue;
    const d = ctx.ids.deals.get(r.objectId);
    if (d && ctx.isDealOpen(d)) return 'deal';
  }
  return 'prospecting';
}

/** The snapshot to use, and whether it differs from the remembered one. */
function snapshotFor(rule: Rule, c: Candidate, previous: AssociationSnapshot | null) {
  if (!rule.snapshot) return { snapshot: null, changed: false };
  if (!c.memberAssociatedLive)
    return previous ? { snapshot: previous, changed: false } : { snapshot: { associated: c.associatedLive }, changed: true };
  // Grouped: keep each member's snapshot from when it joined; drop members that left.
  const members: Record<string, ObjectRef[]> = {};
  let changed = !previous?.members;
  for (const [id, live] of Object.entries(c.memberAssociatedLive)) {
    const kept = previous?.members?.[id];
    if (!kept) changed = true;
    members[id] = kept ?? live;
  }
  if (previous?.members && Object.keys(previous.members).length !== Object.keys(members).length) changed = true;
  return { snapshot: { associated: dedupeRefs(Object.values(members).flat()), members }, changed };
}

type Outcome = { actions: EngineAction[]; seen: RememberedEntry[]; expired: ExpiredEntry[]; holding: Set<RememberedEntry> };

/**
 * One candidate of a rule against its remembered entry (`prev`): what to show, remember, expire.
 * Its own function, not the loop's body: V8 optimizes it once for every evaluation, where a long
 * loop inside the one call of `evaluateGuidedActions` was compiled again (and on stack) each time.
 */
function candidate(ctx: Ctx, rule: Rule, c: Candidate, prev: RememberedEntry | null, out: Outcome): void {
  const { actions, seen, expired, holding } = out;
  const { now } = ctx;
  if (prev) holding.add(prev);
  const same = prev !== null && prev.clearedAt === null && (prev.occurrence === null || prev.occurrence === c.occurrence.key);
  if (same && prev.expiredAt !== null) return; // expired, criteria still hold: stays gone

  // Age of an action: the creating event when the data shows it, else now. After the
  // criteria stopped holding, only an event later than that moment counts.
  const eventAt = c.occurrence.at;
  const floor = prev?.clearedAt ?? null;
  const startedAt = same ? prev.firstSeenAt : eventAt !== null && (floor === null || eventAt > floor) ? Math.min(eventAt, now) : now;
  const { snapshot, changed } = snapshotFor(rule, c, same ? prev.snapshot : null);
  const entry: RememberedEntry = {
    rule: rule.id,
    recordKey: c.key,
    firstSeenAt: startedAt,
    expiredAt: null,
    occurrence: c.occurrence.key,
    snapshot,
    clearedAt: null,
  };

  const hit = c.expiry(startedAt);
  if (hit) {
    const expiredAt = Math.min(hit.at, now);
    seen.push({ ...entry, expiredAt });
    expired.push({ rule: rule.id, recordKey: c.key, expiredAt, condition: hit.id, reason: hit.label });
    return;
  }
  if (!same || changed) seen.push(entry);

  const associated = snapshot ? snapshot.associated : c.associatedLive;
  const ageDeadline = c.ageDeadline(startedAt);
  const deadline = c.occurrence.deadline ?? null;
  const expiresAt = ageDeadline === null ? deadline : deadline === null ? ageDeadline : Math.min(ageDeadline, deadline);
  const dueAt = c.occurrence.dueAt ?? expiresAt;
  // Each instant formatted once (the due time is often the expiry).
  const startedIso = ctx.iso(startedAt);
  const expiresIso = expiresAt === null ? null : ctx.iso(expiresAt);
  const dueIso = dueAt === null ? null : dueAt === expiresAt ? expiresIso : ctx.iso(dueAt);
  // The candidate's facts were merged for it alone: they become the action's, completed.
  const facts = c.facts;
  facts.startedAt = startedIso;
  facts.assumptions = c.assumptions;
  actions.push({
    id: guidedActionId(rule.id, c.key, ctx.rep.userId),
    rule: rule.id,
    recordKey: c.key,
    category: categoryOf(ctx, rule, associated),
    title: c.title,
    reason: c.reason,
    record: c.record,
    members: c.members,
    associated,
    facts,
    firstSeenAt: startedIso,
    expiresAt: expiresIso,
    links: c.links(associated),
    urgency: { tier: rule.urgencyTier, dueAt: dueIso },
  });
}

/**
 * Evaluates every guided-action rule for one rep. Pure: `now` and the remembered state are
 * inputs; the result says what to show and what to persist (apply `seen`, `expired`, `cleared`).
 */
export function evaluateGuidedActions(
  input: GuidedActionsInput,
  now: EpochMs,
  remembered: RememberedState = [],
  settings: GuidedActionSettings = defaultGuidedActionSettings,
  rules: readonly Rule[] = RULES,
): EvaluationResult {
  const ctx = buildContext(input, now, settings);
  // Remembered entries by rule, then record key (no key string built per candidate); the last
  // entry of a (rule, record) wins. `firsts`: each (rule, record)'s first entry, in input order.
  const memory = new Map<string, Map<string, RememberedEntry>>();
  const firsts: RememberedEntry[] = [];
  for (const r of remembered) {
    let byKey = memory.get(r.rule);
    if (!byKey) memory.set(r.rule, (byKey = new Map()));
    if (!byKey.has(r.recordKey)) firsts.push(r);
    byKey.set(r.recordKey, r);
  }
  const recall = (rule: string, recordKey: string) => memory.get(rule)?.get(recordKey) ?? null;

  const actions: EngineAction[] = [];
  const seen: RememberedEntry[] = [];
  const expired: ExpiredEntry[] = [];
  /** Remembered entries whose criteria hold now (the others are cleared). */
  const holding = new Set<RememberedEntry>();

  const out: Outcome = { actions, seen, expired, holding };
  for (const rule of rules) for (const c of rule.evaluate(ctx)) candidate(ctx, rule, c, recall(rule.id, c.key), out);

  const cleared: ClearedEntry[] = [];
  const ruleIds = new Set<string>(rules.map((r) => r.id));
  for (const first of firsts) {
    const r = recall(first.rule, first.recordKey)!;
    if (!holding.has(r) && ruleIds.has(r.rule) && r.clearedAt === null)
      cleared.push({ rule: r.rule, recordKey: r.recordKey, clearedAt: now, wasExpired: r.expiredAt !== null });
  }

  actions.sort(compareUrgency);
  return { actions, seen, expired, cleared };
}

/**
 * "Most urgent first": by tier (0 happening today — meeting prep, today's priority tasks;
 * 1 someone waits for your reply; 2 deal momentum — call outcomes, meeting follow-ups, buyer
 * follow-up, next steps; 3 warm signals; 4 hygiene — newly assigned, deal set-up), then the
 * earliest due/expiry time (none last), then the oldest action, then id.
 */
export function compareUrgency(a: EngineAction, b: EngineAction): number {
  if (a.urgency.tier !== b.urgency.tier) return a.urgency.tier - b.urgency.tier;
  const ad = a.urgency.dueAt;
  const bd = b.urgency.dueAt;
  if (ad !== bd) {
    if (ad === null) return 1;
    if (bd === null) return -1;
    return ad < bd ? -1 : 1;
  }
  if (a.firstSeenAt !== b.firstSeenAt) return a.firstSeenAt < b.firstSeenAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The remembered state after an evaluation: `seen` upserted, `expired` marked, `cleared` tombstoned. */
export function applyEvaluation(remembered: RememberedState, result: Omit<EvaluationResult, 'actions'>): RememberedEntry[] {
  const m = new Map<string, RememberedEntry>();
  for (const r of remembered) m.set(rememberKey(r.rule, r.recordKey), r);
  for (const s of result.seen) m.set(rememberKey(s.rule, s.recordKey), s);
  for (const e of result.expired) {
    const k = rememberKey(e.rule, e.recordKey);
    const r = m.get(k);
    if (r) m.set(k, { ...r, expiredAt: e.expiredAt });
  }
  for (const c of result.cleared) {
    const k = rememberKey(c.rule, c.recordKey);
    const r = m.get(k);
    if (r) m.set(k, { ...r, expiredAt: null, occurrence: null, snapshot: null, clearedAt: c.clearedAt });
  }
  return [...m.values()];
}

export type CategoryFilter = 'all' | GuidedActionCategory;

/** Keeps the actions of one category (`all` keeps everything). */
export function filterByCategory<T extends { category: GuidedActionCategory }>(actions: readonly T[], category: CategoryFilter): T[] {
  return category === 'all' ? [...actions] : actions.filter((a) => a.category === category);
}

/** The API shape of an engine action, with the rep's stored feedback. */
export function toGuidedAction(action: EngineAction, feedback: GuidedActionFeedback | null): GuidedAction {
  const { recordKey: _recordKey, urgency: _urgency, ...rest } = action;
  return { ...rest, feedback };
}
