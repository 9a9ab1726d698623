import type { Queryable } from './database';

export const FEEDBACK_ANSWERS = ['YES_CONTINUE', 'NOT_REALLY'] as const;
export type FeedbackAnswer = (typeof FEEDBACK_ANSWERS)[number];

/** Identifies one action of one rep: a rule about a record (`recordKey` = `${objectType}:${objectId}`). */
export type ActionRef = { ruleId: string; recordKey: string };

export type ActionState = ActionRef & {
  firstSeenAt: Date;
  lastSeenAt: Date;
  /** Set once an expiry condition fired; the action stays hidden until its criteria stop holding. */
  expiredAt: Date | null;
  expiredReason: string | null;
  /** What was associated when the action was created (rules 6, 7, 11); null otherwise. */
  snapshot: unknown;
};

export type Feedback = ActionRef & { answer: FeedbackAnswer; answeredAt: Date };

export type SeenItem = ActionRef & { snapshot?: unknown };

/** One remembered entry in the guided-actions engine's terms (engines/guided-actions, RememberedEntry). */
export type RememberedRow = ActionRef & {
  firstSeenAt: Date;
  expiredAt: Date | null;
  occurrence: string | null;
  snapshot: unknown;
  /** Tombstone: the criteria were seen not holding at this time. */
  clearedAt: Date | null;
};

/** What one evaluation changes (the engine's `seen` and `cleared`), written in one statement. */
export type EvaluationWrite = {
  /** Upserts: new actions, new occurrences, changed snapshots, and expiries (with their reason). */
  seen: readonly (ActionRef & {
    firstSeenAt: Date;
    expiredAt: Date | null;
    expiredReason?: string | null;
    occurrence: string | null;
    snapshot: unknown;
  })[];
  /** Entries whose criteria no longer hold: tombstoned (expiry, occurrence and snapshot dropped). */
  cleared: readonly (ActionRef & { clearedAt: Date })[];
};
export type ExpiredItem = ActionRef & { reason: string };

/** The key `loadState` and `getFeedback` maps use. */
export function actionKey(ruleId: string, recordKey: string): string {
  return `${ruleId}|${recordKey}`;
}

/** Builds a record key from a CRM object type and id. */
export function recordKey(objectType: string, objectId: string | number): string {
  return `${objectType}:${objectId}`;
}

export interface GuidedActionsRepo {
  /** Everything remembered for one rep, keyed by `actionKey(ruleId, recordKey)`. */
  loadState(portalId: number, userId: string): Promise<Map<string, ActionState>>;
  /**
   * Records that these actions were produced at `now` (one statement). New rows start at `now`
   * with the given snapshot; existing rows keep their snapshot and expiry, and first_seen_at only
   * ever moves back. Returns the resulting state of the given items.
   */
  recordSeen(portalId: number, userId: string, items: readonly SeenItem[], now: Date): Promise<Map<string, ActionState>>;
  /** Marks actions expired at `now` (an earlier expiry is kept); remembers them even if never seen. */
  markExpired(portalId: number, userId: string, items: readonly ExpiredItem[], now: Date): Promise<void>;
  /** Forgets expired actions whose criteria stopped holding, so they may come back. Returns how many. */
  clearExpired(portalId: number, userId: string, refs: readonly ActionRef[]): Promise<number>;
  /** Forgets actions (live or expired) whose criteria stopped holding. Feedback is kept. Returns how many. */
  forget(portalId: number, userId: string, refs: readonly ActionRef[]): Promise<number>;
  /** Stores the rep's answer; idempotent, and the answer with the latest `answeredAt` wins. */
  setFeedback(portalId: number, userId: string, ref: ActionRef, answer: FeedbackAnswer, answeredAt: Date): Promise<Feedback>;
  /** The rep's answers, keyed by `actionKey(ruleId, recordKey)`. */
  getFeedback(portalId: number, userId: string): Promise<Map<string, Feedback>>;
  /** The remembered state and the feedback of one rep, in one query. */
  loadRemembered(portalId: number, userId: string): Promise<{ entries: RememberedRow[]; feedback: Map<string, Feedback> }>;
  /**
   * Saves one evaluation in one statement. A `seen` row about the same occurrence as the stored
   * one (and not cleared) keeps the earlier first_seen_at and expiry: first-seen times never move
   * forward, and an expired action stays expired. A new occurrence (or one after a tombstone)
   * replaces the row. `cleared` tombstones live rows.
   */
  saveEvaluation(portalId: number, userId: string, write: EvaluationWrite, now: Date): Promise<void>;
}

type StateRow = {
  rule_id: string;
  record_key: string;
  first_seen_at: Date;
  last_seen_at: Date;
  expired_at: Date | null;
  expired_reason: string | null;
  association_snapshot: unknown;
};

type FeedbackRow = { rule_id: string; record_key: string; answer: FeedbackAnswer; answered_at: Date };

type RememberedJoinRow = {
  rule_id: string;
  record_key: string;
  first_seen_at: Date | null;
  expired_at: Date | null;
  occurrence: string | null;
  association_snapshot: unknown;
  cleared_at: Date | null;
  answer: FeedbackAnswer | null;
  answered_at: Date | null;
};

/** How long a tombstone (an action whose criteria stopped holding) is kept: 3 × the longest window. */
export const TOMBSTONE_RETENTION_DAYS = 90;

const STATE_COLUMNS = 'rule_id, record_key, first_seen_at, last_seen_at, expired_at, expired_reason, association_snapshot';

function toState(r: StateRow): ActionState {
  return {
    ruleId: r.rule_id,
    recordKey: r.record_key,
    firstSeenAt: r.first_seen_at,
    lastSeenAt: r.last_seen_at,
    expiredAt: r.expired_at,
    expiredReason: r.expired_reason,
    snapshot: r.association_snapshot,
  };
}

function toFeedback(r: FeedbackRow): Feedback {
  return { ruleId: r.rule_id, recordKey: r.record_key, answer: r.answer, answeredAt: r.answered_at };
}

function byKey<T extends ActionRef>(values: T[]): Map<string, T> {
  return new Map(values.map((v) => [actionKey(v.ruleId, v.recordKey), v]));
}

// One JSON parameter instead of parallel arrays: both drivers bind it the same way, and
// ON CONFLICT may touch each row once, so duplicates are dropped here (the first one wins).
function refsJson<T extends ActionRef>(items: readonly T[], pick: (item: T) => Record<string, unknown>): string {
  const unique = new Map<string, Record<string, unknown>>();
  for (const item of items) {
    const key = actionKey(item.ruleId, item.recordKey);
    if (!unique.has(key)) unique.set(key, { rule_id: item.ruleId, record_key: item.recordKey, ...pick(item) });
  }
  return JSON.stringify([...unique.values()]);
}

/** Builds the guided-actions repository on a database or an open transaction. */
export function createGuidedActionsRepo(db: Queryable): GuidedActionsRepo {
  return {
    async loadState(portalId, userId) {
      const rows = await db.query<StateRow>(`select ${STATE_COLUMNS} from guided_action_state where portal_id = $1 and user_id = $2`, [
        portalId,
        userId,
      ]);
      return byKey(rows.map(toState));
    },

    async recordSeen(portalId, userId, items, now) {
      if (items.length === 0) return new Map();
      const rows = await db.query<StateRow>(
        `insert into guided_action_state as s
           (portal_id, user_id, rule_id, record_key, first_seen_at, last_seen_at, association_snapshot)
         select $1, $2, x.rule_id, x.record_key, $4, $4, x.snapshot
           from jsonb_to_recordset($3::jsonb) as x(rule_id text, record_key text, snapshot jsonb)
         on conflict (portal_id, user_id, rule_id, record_key) do update set
           first_seen_at = least(s.first_seen_at, excluded.first_seen_at),
           last_seen_at = greatest(s.last_seen_at, excluded.last_seen_at),
           association_snapshot = coalesce(s.association_snapshot, excluded.association_snapshot)
         returning ${STATE_COLUMNS}`,
        [portalId, userId, refsJson(items, (i) => ({ snapshot: i.snapshot ?? null })), now],
      );
      return byKey(rows.map(toState));
    },

    async markExpired(portalId, userId, items, now) {
      if (items.length === 0) return;
      await db.query(
        `insert into guided_action_state as s
           (portal_id, user_id, rule_id, record_key, first_seen_at, last_seen_at, expired_at, expired_reason)
         select $1, $2, x.rule_id, x.record_key, $4, $4, $4, x.reason
           from jsonb_to_recordset($3::jsonb) as x(rule_id text, record_key text, reason text)
         on conflict (portal_id, user_id, rule_id, record_key) do update set
           expired_at = excluded.expired_at,
           expired_reason = excluded.expired_reason
         where s.expired_at is null`,
        [portalId, userId, refsJson(items, (i) => ({ reason: i.reason })), now],
      );
    },

    async clearExpired(portalId, userId, refs) {
      if (refs.length === 0) return 0;
      const rows = await db.query(
        `delete from guided_action_state s
          using jsonb_to_recordset($3::jsonb) as x(rule_id text, record_key text)
          where s.portal_id = $1 and s.user_id = $2 and s.rule_id = x.rule_id and s.record_key = x.record_key
            and s.expired_at is not null
         returning s.rule_id`,
        [portalId, userId, refsJson(refs, () => ({}))],
      );
      return rows.length;
    },

    async forget(portalId, userId, refs) {
      if (refs.length === 0) return 0;
      const rows = await db.query(
        `delete from guided_action_state s
          using jsonb_to_recordset($3::jsonb) as x(rule_id text, record_key text)
          where s.portal_id = $1 and s.user_id = $2 and s.rule_id = x.rule_id and s.record_key = x.record_key
         returning s.rule_id`,
        [portalId, userId, refsJson(refs, () => ({}))],
      );
      return rows.length;
    },

    async setFeedback(portalId, userId, ref, answer, answeredAt) {
      if (!FEEDBACK_ANSWERS.includes(answer)) throw new Error(`Unknown feedback answer "${String(answer)}"`);
      // `>=`: a repeated request with the same time is a no-op, a later one replaces the answer,
      // and a late-arriving older request loses.
      await db.query(
        `insert into guided_action_feedback as f (portal_id, user_id, rule_id, record_key, answer, answered_at)
         values ($1, $2, $3, $4, $5, $6)
         on conflict (portal_id, user_id, rule_id, record_key) do update set
           answer = excluded.answer,
           answered_at = excluded.answered_at
         where excluded.answered_at >= f.answered_at`,
        [portalId, userId, ref.ruleId, ref.recordKey, answer, answeredAt],
      );
      const row = await db.one<FeedbackRow>(
        `select rule_id, record_key, answer, answered_at from guided_action_feedback
          where portal_id = $1 and user_id = $2 and rule_id = $3 and record_key = $4`,
        [portalId, userId, ref.ruleId, ref.recordKey],
      );
      return toFeedback(row);
    },

    async loadRemembered(portalId, userId) {
      const rows = await db.query<RememberedJoinRow>(
        `select coalesce(s.rule_id, f.rule_id) as rule_id, coalesce(s.record_key, f.record_key) as record_key,
                s.first_seen_at, s.expired_at, s.occurrence, s.association_snapshot, s.cleared_at, f.answer, f.answered_at
           from (select * from guided_action_state where portal_id = $1 and user_id = $2) s
           full outer join (select * from guided_action_feedback where portal_id = $1 and user_id = $2) f
             on f.rule_id = s.rule_id and f.record_key = s.record_key`,
        [portalId, userId],
      );
      const entries: RememberedRow[] = [];
      const feedback = new Map<string, Feedback>();
      for (const r of rows) {
        if (r.first_seen_at)
          entries.push({
            ruleId: r.rule_id,
            recordKey: r.record_key,
            firstSeenAt: r.first_seen_at,
            expiredAt: r.expired_at,
            occurrence: r.occurrence,
            snapshot: r.association_snapshot,
            clearedAt: r.cleared_at,
          });
        if (r.answer && r.answered_at)
          feedback.set(actionKey(r.rule_id, r.record_key), {
            ruleId: r.rule_id,
            recordKey: r.record_key,
            answer: r.answer,
            answeredAt: r.answered_at,
          });
      }
      return { entries, feedback };
    },

    async saveEvaluation(portalId, userId, write, now) {
      if (write.seen.length === 0 && write.cleared.length === 0) return;
      const iso = (d: Date | null) => (d ? d.toISOString() : null);
      const seen = refsJson(write.seen, (i) => ({
        first_seen_at: iso(i.firstSeenAt),
        expired_at: iso(i.expiredAt),
        expired_reason: i.expiredAt ? (i.expiredReason ?? null) : null,
        occurrence: i.occurrence,
        snapshot: i.snapshot ?? null,
      }));
      const cleared = refsJson(write.cleared, (i) => ({ cleared_at: iso(i.clearedAt) }));
      // `same`: the stored row is about the same occurrence and was not tombstoned since.
      await db.query(
        `with seen as (
           insert into guided_action_state as s
             (portal_id, user_id, rule_id, record_key, first_seen_at, last_seen_at, expired_at, expired_reason,
              association_snapshot, occurrence, cleared_at)
           select $1, $2, x.rule_id, x.record_key, x.first_seen_at, $5, x.expired_at, x.expired_reason, x.snapshot, x.occurrence, null
             from jsonb_to_recordset($3::jsonb) as x(rule_id text, record_key text, first_seen_at timestamptz,
                  expired_at timestamptz, expired_reason text, occurrence text, snapshot jsonb)
           on conflict (portal_id, user_id, rule_id, record_key) do update set
             first_seen_at = case when s.cleared_at is null and (s.occurrence is null or s.occurrence = excluded.occurrence)
                                  then least(s.first_seen_at, excluded.first_seen_at) else excluded.first_seen_at end,
             expired_at = case when s.cleared_at is null and (s.occurrence is null or s.occurrence = excluded.occurrence)
                               then coalesce(s.expired_at, excluded.expired_at) else excluded.expired_at end,
             expired_reason = case when s.cleared_at is null and (s.occurrence is null or s.occurrence = excluded.occurrence)
                                   then (case when s.expired_at is not null then s.expired_reason else excluded.expired_reason end)
                                   else excluded.expired_reason end,
             association_snapshot = case when s.cleared_at is null and (s.occurrence is null or s.occurrence = excluded.occurrence)
                                         then coalesce(excluded.association_snapshot, s.association_snapshot)
                                         else excluded.association_snapshot end,
             last_seen_at = greatest(s.last_seen_at, excluded.last_seen_at),
             occurrence = excluded.occurrence,
             cleared_at = null
           returning 1
         ), cleared as (
           update guided_action_state s set
             cleared_at = x.cleared_at, expired_at = null, expired_reason = null, occurrence = null, association_snapshot = null
             from jsonb_to_recordset($4::jsonb) as x(rule_id text, record_key text, cleared_at timestamptz)
            where s.portal_id = $1 and s.user_id = $2 and s.rule_id = x.rule_id and s.record_key = x.record_key
              and s.cleared_at is null
           returning 1
         )
         select (select count(*) from seen) as seen, (select count(*) from cleared) as cleared`,
        [portalId, userId, seen, cleared, now],
      );
      // Tombstones only matter while an action could come back within the rules' windows (30 days
      // at most): the rep's old ones go (a separate statement: one statement may not both revive
      // and delete a row).
      await db.query('delete from guided_action_state where portal_id = $1 and user_id = $2 and cleared_at < $3', [
        portalId,
        userId,
        new Date(now.getTime() - TOMBSTONE_RETENTION_DAYS * 86_400_000),
      ]);
    },

    async getFeedback(portalId, userId) {
      const rows = await db.query<FeedbackRow>(
        `select rule_id, record_key, answer, answered_at from guided_action_feedback
          where portal_id = $1 and user_id = $2`,
        [portalId, userId],
      );
      return byKey(rows.map(toFeedback));
    },
  };
}
