import { z } from 'zod';
import type { ObjectRef } from '../../contract/api';
import type { Ctx } from './context';
import type { Call, Contact, Deal, EpochMs, Lead, Meeting, Task } from './input';
import type { Link } from './links';
import type { GuidedActionSettings } from './settings';

export const RULE_IDS = [
  'NEWLY_ASSIGNED_CONTACT',
  'NEWLY_ASSIGNED_LEAD',
  'REENGAGED_CONTACT',
  'SEQUENCE_ACTIVITY',
  'EMAIL_REPLY',
  'MEETING_FOLLOW_UP',
  'LOG_CALL_OUTCOME',
  'CONTACT_AWAITING_REPLY',
  'REPLY_TO_EMAIL',
  'LEAD_AWAITING_REPLY',
  'PREPARE_FOR_MEETING',
  'PRIORITY_TASKS_TODAY',
  'TARGET_ACCOUNT_ACTIVITY',
  'RECENTLY_ENGAGED_LEAD',
  'UPDATE_NEXT_STEPS',
  'ADD_CONTACT_TO_DEAL',
  'INITIAL_OUTREACH_NEEDED',
  'BUYER_FOLLOW_UP',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

export type Facts = Record<string, unknown>;

/**
 * What a criterion found: whether it holds, and the evidence either way. A criterion that holds
 * gives typed facts (`F`), which `reason`, `occurrence` and `links` read; the facts of one that
 * fails only explain the miss. Both have the same three fields, so reading them stays monomorphic.
 */
export type Holds<F extends object> = { holds: true; facts: F | undefined; assumptions: readonly string[] | undefined };
export type Fails = { holds: false; facts: Facts | undefined; assumptions: undefined };
export type Check<F extends object = Facts> = Holds<F> | Fails;

export type Criterion<R, F extends object = object> = { id: string; label: string; test: (ctx: Ctx, r: R) => Check<F> };

/** The record type of each object type a rule can run over (`forEach`). */
export type RecordOf = { contacts: Contact; leads: Lead; deals: Deal; tasks: Task; calls: Call; meetings: Meeting };
export type RuleObjectType = keyof RecordOf;

type HoldingFacts<X> = X extends Holds<infer F> ? F : never;
type CriterionFacts<C> = C extends { test: (...args: never[]) => infer X } ? HoldingFacts<X> : never;
/** The facts of a rule's criteria once all hold: the intersection of each criterion's facts. */
export type FactsOf<C extends readonly unknown[]> = (
  C[number] extends infer E ? (E extends unknown ? (facts: CriterionFacts<E>) => void : never) : never
) extends (facts: infer I) => void
  ? I
  : never;

export type ActionState = { startedAt: EpochMs; facts: Facts };
export type ExpiryHit = { at: EpochMs; facts?: Facts };

/**
 * An expiry condition. `criterion`: the action ends when that creation criterion stops holding
 * (the entry is then cleared, so the action may come back). `age`: the action is older than the
 * setting. `event`: something happened after the action started. `age` and `event` expiries are
 * remembered: the action stays gone until its criteria stop holding and hold again.
 */
export type Expiry<R> =
  | { id: string; label: string; kind: 'criterion'; criterion: string }
  | { id: string; label: string; kind: 'age'; maxAge: (s: GuidedActionSettings) => number }
  | {
      id: string;
      label: string;
      kind: 'event';
      fired: (ctx: Ctx, r: R, state: ActionState) => ExpiryHit | null;
    };

/**
 * When and which occurrence: `at` is the event that created the action when the data shows
 * it (else the engine uses the first time it produced the action); `key` identifies the
 * occurrence, so a new event (a new reply, a reassignment) makes a new action; `deadline` is
 * when a time-window criterion will stop holding; `dueAt` overrides the urgency time.
 */
export type Occurrence = { at: EpochMs | null; key: string; deadline?: EpochMs | null; dueAt?: EpochMs | null };

export type CategoryRule = 'deal' | 'prospecting' | 'dealIfOpenDeal';

type Common<T extends RuleObjectType> = {
  id: RuleId;
  number: number;
  title: string;
  /** The records the rule runs over; their type is the type of its criteria's records. */
  forEach: T;
  category: CategoryRule;
  /** Association snapshot taken at creation (rules marked `*` in the seed); default false. */
  snapshot?: boolean;
  /** 0 = most urgent; see README "Ordering". */
  urgencyTier: number;
};

/** What a one-record rule says about its records: `F` is the facts of its criteria once all hold. */
type SingleBody<R, F> = {
  expiries: Expiry<R>[];
  /** The records to test; default: every record of `forEach` in the input. */
  candidates?: (ctx: Ctx) => Iterable<R>;
  record: (ctx: Ctx, r: R) => ObjectRef;
  occurrence: (ctx: Ctx, r: R, facts: F) => Occurrence;
  associated: (ctx: Ctx, r: R) => ObjectRef[];
  reason: (ctx: Ctx, facts: F, record: ObjectRef) => string;
  links: (ctx: Ctx, r: R, associated: ObjectRef[], facts: F) => Link[];
};

/** What a grouped rule says about its members and their group, typed as `SingleBody`. */
type GroupBody<R, F> = {
  expiries: Expiry<R>[];
  candidates?: (ctx: Ctx) => Iterable<R>;
  member: (ctx: Ctx, r: R) => ObjectRef;
  memberAssociated: (ctx: Ctx, r: R) => ObjectRef[];
  group: {
    record: (ctx: Ctx) => ObjectRef;
    title: (n: number) => string;
    occurrence: (ctx: Ctx, members: { r: R; facts: F }[]) => Occurrence;
    reason: (ctx: Ctx, members: { r: R; facts: F }[]) => string;
    links: (ctx: Ctx, members: R[]) => Link[];
  };
};

/**
 * A rule as written: `forEach` fixes the record type, and the facts its criteria return (inferred
 * from their tests) type what `occurrence`, `reason` and `links` read, so a fact renamed in a
 * criterion no longer compiles where it is read.
 */
export type SingleRule<T extends RuleObjectType, C extends readonly Criterion<RecordOf[T]>[]> = Common<T> & { criteria: C } & SingleBody<
    RecordOf[T],
    FactsOf<C>
  >;
export type GroupRule<T extends RuleObjectType, C extends readonly Criterion<RecordOf[T]>[]> = Common<T> & { criteria: C } & GroupBody<
    RecordOf[T],
    FactsOf<C>
  >;

/** What `defineRule` / `defineGroupRule` complete: the grouping, and the defaults. */
type Completed<R, G extends 'none' | 'group'> = { grouping: G; snapshot: boolean; candidates: (ctx: Ctx) => Iterable<R> };
/** A definition with its types erased and its defaults filled in, as the evaluators below run it. */
type AnySingleRule<R> = Common<RuleObjectType> & { criteria: readonly Criterion<R>[] } & SingleBody<R, Facts> & Completed<R, 'none'>;
type AnyGroupRule<R> = Common<RuleObjectType> & { criteria: readonly Criterion<R>[] } & GroupBody<R, Facts> & Completed<R, 'group'>;

function complete<D extends { forEach: RuleObjectType; snapshot?: boolean; candidates?: (ctx: Ctx) => Iterable<unknown> }, G>(
  rule: D,
  grouping: G,
) {
  return {
    ...rule,
    grouping,
    snapshot: rule.snapshot ?? false,
    candidates: rule.candidates ?? ((ctx: Ctx) => ctx.input[rule.forEach]),
  };
}

/** The rule metadata every definition must satisfy (validated when the rule is defined). */
export const ruleMetaSchema = z
  .object({
    id: z.enum(RULE_IDS),
    number: z.number().int().min(1).max(18),
    title: z.string().min(1),
    forEach: z.enum(['contacts', 'companies', 'deals', 'leads', 'tasks', 'calls', 'emails', 'meetings', 'notes']),
    grouping: z.enum(['none', 'group']),
    category: z.enum(['deal', 'prospecting', 'dealIfOpenDeal']),
    snapshot: z.boolean(),
    urgencyTier: z.number().int().min(0).max(9),
    criteria: z
      .array(
        z.object({
          id: z.string().min(1),
          label: z.string().min(1),
          test: z.custom<(...a: never[]) => unknown>((f) => typeof f === 'function'),
        }),
      )
      .min(1),
    expiries: z
      .array(
        z.discriminatedUnion('kind', [
          z.object({ id: z.string().min(1), label: z.string().min(1), kind: z.literal('criterion'), criterion: z.string().min(1) }),
          z.object({
            id: z.string().min(1),
            label: z.string().min(1),
            kind: z.literal('age'),
            maxAge: z.custom<(s: GuidedActionSettings) => number>((f) => typeof f === 'function'),
          }),
          z.object({
            id: z.string().min(1),
            label: z.string().min(1),
            kind: z.literal('event'),
            fired: z.custom<(...a: never[]) => unknown>((f) => typeof f === 'function'),
          }),
        ]),
      )
      .min(1),
  })
  .superRefine((r, ctx) => {
    const ids = new Set(r.criteria.map((c) => c.id));
    if (ids.size !== r.criteria.length) ctx.addIssue({ code: 'custom', message: `${r.id}: duplicate criterion id` });
    for (const e of r.expiries)
      if (e.kind === 'criterion' && !ids.has(e.criterion))
        ctx.addIssue({ code: 'custom', message: `${r.id}: expiry ${e.id} names unknown criterion ${e.criterion}` });
  });

export type RuleMeta = Common<RuleObjectType> & {
  snapshot: boolean;
  grouping: 'none' | 'group';
  criteria: { id: string; label: string }[];
  expiries: { id: string; label: string; kind: 'criterion' | 'age' | 'event' }[];
};

/** A candidate action: a record (or group) whose creation criteria all hold now. */
export type Candidate = {
  key: string;
  record: ObjectRef;
  title: string;
  members: ObjectRef[];
  facts: Facts;
  assumptions: string[];
  occurrence: Occurrence;
  /** Live associations (used as the snapshot for rules with `snapshot`). */
  associatedLive: ObjectRef[];
  /** Grouped rules: live associations per member id. */
  memberAssociatedLive?: Record<string, ObjectRef[]>;
  reason: string;
  links: (associated: ObjectRef[]) => Link[];
  /** First `age` or `event` expiry that fired for an action started at `startedAt`. */
  expiry: (startedAt: EpochMs) => { id: string; label: string; at: EpochMs; facts?: Facts } | null;
  /** Earliest time an `age` expiry will fire for an action started at `startedAt`. */
  ageDeadline: (startedAt: EpochMs) => EpochMs | null;
};

/** A rule ready to run: validated metadata plus a type-erased evaluator. */
export type Rule = RuleMeta & { evaluate: (ctx: Ctx) => Candidate[] };

type ExpiryHitOf = { id: string; label: string; at: EpochMs; facts?: Facts };

function firstExpiry<R>(ctx: Ctx, expiries: Expiry<R>[], r: R | null, facts: Facts, startedAt: EpochMs): ExpiryHitOf | null {
  for (const e of expiries) {
    if (e.kind === 'age') {
      const at = startedAt + e.maxAge(ctx.settings);
      if (ctx.now >= at) return { id: e.id, label: e.label, at, facts: { ageMs: ctx.now - startedAt } };
    } else if (e.kind === 'event' && r !== null) {
      const hit = e.fired(ctx, r, { startedAt, facts });
      if (hit) return { id: e.id, label: e.label, at: hit.at, facts: hit.facts };
    }
  }
  return null;
}

function firstAgeDeadline<R>(ctx: Ctx, expiries: Expiry<R>[], startedAt: EpochMs): EpochMs | null {
  let min: number | null = null;
  for (const e of expiries)
    if (e.kind === 'age') {
      const at = startedAt + e.maxAge(ctx.settings);
      if (min === null || at < min) min = at;
    }
  return min;
}

/**
 * Runs the criteria on `r` in order, up to the first that fails; when all hold, merges their
 * facts and assumptions. Most records fail early: the results are collected (in `results`, one
 * array per rule evaluation) before anything is merged.
 */
function runCriteria<R>(ctx: Ctx, criteria: readonly Criterion<R>[], r: R, results: Check<object>[]) {
  for (let i = 0; i < criteria.length; i++) {
    const res = criteria[i]!.test(ctx, r);
    if (!res.holds) return null;
    results[i] = res;
  }
  const facts: Facts = {};
  const assumptions: string[] = [];
  for (let i = 0; i < criteria.length; i++) {
    const res = results[i]!;
    if (res.facts) Object.assign(facts, res.facts);
    if (res.assumptions) for (const a of res.assumptions) if (!assumptions.includes(a)) assumptions.push(a);
  }
  return { facts, assumptions };
}

const meta = (def: AnySingleRule<never> | AnyGroupRule<never>): RuleMeta => ({
  id: def.id,
  number: def.number,
  title: def.title,
  forEach: def.forEach,
  grouping: def.grouping,
  category: def.category,
  snapshot: def.snapshot,
  urgencyTier: def.urgencyTier,
  criteria: def.criteria.map(({ id, label }) => ({ id, label })),
  expiries: def.expiries.map(({ id, label, kind }) => ({ id, label, kind })),
});

/**
 * The candidate of a one-record rule. A class rather than an object of closures: an evaluation
 * makes thousands, and its methods then cost nothing per candidate.
 */
class RecordCandidate<R> implements Candidate {
  readonly key: string;
  readonly title: string;
  readonly members: ObjectRef[] = [];
  readonly occurrence: Occurrence;
  readonly associatedLive: ObjectRef[];
  readonly reason: string;

  constructor(
    private readonly def: AnySingleRule<R>,
    private readonly ctx: Ctx,
    private readonly r: R,
    readonly record: ObjectRef,
    readonly facts: Facts,
    readonly assumptions: string[],
  ) {
    this.key = `${record.objectType}:${record.objectId}`;
    this.title = def.title;
    this.occurrence = def.occurrence(ctx, r, facts);
    this.associatedLive = def.associated(ctx, r);
    this.reason = def.reason(ctx, facts, record);
  }

  links(associated: ObjectRef[]) {
    return this.def.links(this.ctx, this.r, associated, this.facts);
  }
  expiry(startedAt: EpochMs) {
    return firstExpiry(this.ctx, this.def.expiries, this.r, this.facts, startedAt);
  }
  ageDeadline(startedAt: EpochMs) {
    return firstAgeDeadline(this.ctx, this.def.expiries, startedAt);
  }
}

/** Validates a one-record-per-action rule and compiles its evaluator. */
export function defineRule<T extends RuleObjectType, const C extends readonly Criterion<RecordOf[T]>[]>(rule: SingleRule<T, C>): Rule {
  const def = complete(rule, 'none' as const) as unknown as AnySingleRule<RecordOf[T]>;
  ruleMetaSchema.parse(def);
  return {
    ...meta(def as unknown as AnySingleRule<never>),
    evaluate(ctx) {
      const out: Candidate[] = [];
      const results = new Array<Check<object>>(def.criteria.length);
      for (const r of def.candidates(ctx)) {
        const hit = runCriteria(ctx, def.criteria, r, results);
        if (hit) out.push(new RecordCandidate(def, ctx, r, def.record(ctx, r), hit.facts, hit.assumptions));
      }
      return out;
    },
  };
}

/** Validates a grouped rule (one action listing every qualifying record) and compiles it. */
export function defineGroupRule<T extends RuleObjectType, const C extends readonly Criterion<RecordOf[T]>[]>(rule: GroupRule<T, C>): Rule {
  const def = complete(rule, 'group' as const) as unknown as AnyGroupRule<RecordOf[T]>;
  ruleMetaSchema.parse(def);
  type R = RecordOf[T];
  return {
    ...meta(def as unknown as AnyGroupRule<never>),
    evaluate(ctx) {
      const members: { r: R; facts: Facts; ref: ObjectRef }[] = [];
      const assumptions: string[] = [];
      const results = new Array<Check<object>>(def.criteria.length);
      for (const r of def.candidates(ctx)) {
        const hit = runCriteria(ctx, def.criteria, r, results);
        if (!hit) continue;
        members.push({ r, facts: hit.facts, ref: def.member(ctx, r) });
        for (const a of hit.assumptions) if (!assumptions.includes(a)) assumptions.push(a);
      }
      if (members.length === 0) return [];
      const record = def.group.record(ctx);
      const memberAssociatedLive: Record<string, ObjectRef[]> = {};
      for (const m of members) memberAssociatedLive[m.ref.objectId] = def.memberAssociated(ctx, m.r);
      const facts: Facts = {
        count: members.length,
        members: members.map((m) => ({ objectType: m.ref.objectType, objectId: m.ref.objectId, ...m.facts })),
      };
      return [
        {
          key: `${record.objectType}:${record.objectId}`,
          record,
          title: def.group.title(members.length),
          members: members.map((m) => m.ref),
          facts,
          assumptions,
          occurrence: def.group.occurrence(ctx, members),
          associatedLive: [],
          memberAssociatedLive,
          reason: def.group.reason(ctx, members),
          links: () =>
            def.group.links(
              ctx,
              members.map((m) => m.r),
            ),
          expiry: (startedAt) => firstExpiry<R>(ctx, def.expiries, null, facts, startedAt),
          ageDeadline: (startedAt) => firstAgeDeadline(ctx, def.expiries, startedAt),
        },
      ];
    },
  };
}
