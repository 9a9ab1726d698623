// Criteria, expiries and look-ups that several rules share: one definition each, so rules name
// them instead of copying them. Each criterion returns the facts it saw (typed: they become the
// facts that a rule's reason, occurrence and links read); assumptions (reference §5/§7
// approximations) travel with them into `facts`.
import { DAY, emailDomain, type Ctx } from '../context';
import type { Call, Contact, Deal, Email, EpochMs, Lead, Meeting, Note, ObjectType, Task } from '../input';
import type { Check, Expiry, Facts, Fails, Holds } from '../rule-definition';
import type { GuidedActionSettings } from '../settings';

// Checks all have one shape (the same three fields), so reading them stays monomorphic.
export const ok = <F extends object = Record<never, never>>(facts?: F, assumptions?: readonly string[]): Holds<F> => ({
  holds: true,
  facts,
  assumptions,
});
export const no = (facts?: Facts): Fails => ({ holds: false, facts, assumptions: undefined });

/** The assumptions (reference §5/§7 approximations) an action lists in `facts.assumptions`. */
export const A = {
  assignedAtUnknown: 'Assignment time unknown (no hubspot_owner_assigneddate): the action counts its age from when Tiller first showed it.',
  customLifecycle: 'Customised lifecycle: its last visible stage (highest displayOrder) counts as the final stage.',
  repliedThread: 'A reply is an INCOMING_EMAIL associated with the record, later than your last logged outgoing email to it.',
  primaryRecipient: 'Primary recipient: your address is the first address of hs_email_to_email on the incoming email (reference §5).',
  leadEmails: "A lead's emails are those associated with the lead or with its primary contact (no email→lead association id).",
  leadDomain: "A lead's email address is its primary contact's.",
  engaged:
    'Engaged (inferred): an incoming email, a sales-email open/click (hs_sales_email_last_opened/_clicked), a meeting booked (its hs_createdate), a form submission (recent_conversion_date), or an inbound or connected call.',
  disqualifiedAt: "Disqualification time: the lead's hs_pipeline_stage_last_updated, else the contact's hs_latest_disqualified_lead_date.",
  reengagement: 'The re-engagement is the first engagement signal after the disqualification.',
  hubspotCalling: 'Made with HubSpot calling: hs_call_source is one of the configured sources (default VOIP [OBS]).',
  followUpTasks:
    "Follow-up tasks: tasks associated with the meeting's contacts or deals, owned by the meeting owner, created after the meeting ended (no meeting↔task association exists).",
  nextStepHistory: 'No hs_next_step history: every activity counts as after the last next-step change.',
  opened:
    'Opened: hs_email_open_count > 0 on your outgoing email [OBS]; privacy proxies inflate opens. Not replied: hs_email_reply_count is 0 and no incoming email from the contact within the window.',
  targetOwner: 'Target account activity is shown when you own the contact or the target company (inferred).',
  leadOwned:
    'The lead must be assigned to you (inferred: the rule ends when "the lead is reassigned", which only makes sense for a lead assigned to you).',
} as const;

// ---------------------------------------------------------------- shared criteria

export const assigned = <R extends { ownerId: string | null }>(label = 'assigned to you', assumptions?: readonly string[]) => ({
  id: 'assigned',
  label,
  test: (ctx: Ctx, r: R) => (ctx.isRep(r.ownerId) ? ok({ ownerId: r.ownerId }, assumptions) : no({ ownerId: r.ownerId })),
});

/** "Assigned to you", with when the assignment happened (the action's age starts there). */
export const assignedSince = <R extends { ownerId: string | null; ownerAssignedAt: number | null }>(label = 'assigned to you') => ({
  id: 'assigned',
  label,
  test: (ctx: Ctx, r: R) =>
    ctx.isRep(r.ownerId)
      ? ok(
          { ownerId: r.ownerId, assignedAt: r.ownerAssignedAt === null ? null : ctx.iso(r.ownerAssignedAt) },
          r.ownerAssignedAt === null ? [A.assignedAtUnknown] : [],
        )
      : no({ ownerId: r.ownerId }),
});

export const dealOpen = {
  id: 'open',
  label: 'the deal is in an open stage',
  test: (ctx: Ctx, d: Deal) => {
    const stage = ctx.dealStage(d);
    const facts = { dealStage: d.stageId, dealStageLabel: stage?.label ?? null };
    return ctx.isDealOpen(d) ? ok(facts) : no(facts);
  },
};

export const dealOlderThan = {
  id: 'olderThan',
  label: 'the deal was created more than 7 days ago',
  test: (ctx: Ctx, d: Deal) =>
    ctx.now - d.createdAt > ctx.settings.dealMinAgeDays * DAY
      ? ok({ dealCreatedAt: ctx.iso(d.createdAt) })
      : no({ dealCreatedAt: ctx.iso(d.createdAt) }),
};

/** An owner change after the action started, to someone other than the rep. */
export const reassignedAfter = (ctx: Ctx, r: { ownerId: string | null; ownerAssignedAt: EpochMs | null }, startedAt: EpochMs) =>
  r.ownerAssignedAt !== null && r.ownerAssignedAt > startedAt && !ctx.isRep(r.ownerId)
    ? { at: r.ownerAssignedAt, facts: { reassignedTo: r.ownerId, reassignedAt: ctx.iso(r.ownerAssignedAt) } }
    : null;

/** The contact's most recently created lead. */
export const latestLead = (ctx: Ctx, contactId: string): Lead | null => {
  let latest: Lead | null = null;
  for (const id of ctx.assoc('contacts', contactId, 'leads')) {
    const l = ctx.ids.leads.get(id);
    if (l && (latest === null || l.createdAt > latest.createdAt)) latest = l;
  }
  return latest;
};

export const hasOpenLead = (ctx: Ctx, contactId: string) => {
  for (const id of ctx.assoc('contacts', contactId, 'leads')) {
    const l = ctx.ids.leads.get(id);
    if (l && ctx.isLeadOpen(l)) return l;
  }
  return null;
};

export const noOpenLead = {
  id: 'noOpenLead',
  label: 'the contact has no open lead',
  test: (ctx: Ctx, c: Contact) => {
    const open = hasOpenLead(ctx, c.id);
    return open ? no({ openLeadId: open.id }) : ok({ openLead: null });
  },
};

/** The contact replied to an email you sent, and you have not emailed since. */
export const repliedToYourEmail = (ctx: Ctx, emails: readonly Email[], address: string | null) => {
  const { lastOutgoing, reply } = ctx.replyState(emails, address);
  if (!lastOutgoing || !reply) return no({ yourLastEmailAt: lastOutgoing ? ctx.iso(lastOutgoing.sentAt) : null, repliedAt: null });
  return ok(
    {
      yourLastEmailAt: ctx.iso(lastOutgoing.sentAt),
      repliedAt: ctx.iso(reply.sentAt),
      replyEmailId: reply.id,
      youRepliedSince: false,
    },
    [A.repliedThread],
  );
};

/** The record replied to an email whose primary recipient is you, and you have not emailed since. */
export const repliedToYouAsPrimary = (ctx: Ctx, emails: readonly Email[], address: string | null) => {
  const { lastOutgoing, reply } = ctx.replyState(emails, address, ctx.isPrimaryRecipient);
  if (!reply) return no({ repliedAt: null, yourLastEmailAt: lastOutgoing ? ctx.iso(lastOutgoing.sentAt) : null });
  return ok(
    {
      repliedAt: ctx.iso(reply.sentAt),
      replyEmailId: reply.id,
      primaryRecipient: reply.toEmails[0] ?? null,
      yourLastEmailAt: lastOutgoing ? ctx.iso(lastOutgoing.sentAt) : null,
      youRepliedSince: false,
    },
    [A.primaryRecipient, A.repliedThread],
  );
};

export const otherDomain = (ctx: Ctx, address: string | null, extra: readonly string[] = []) => {
  const theirs = emailDomain(address);
  const yours = emailDomain(ctx.rep.email);
  const facts = { theirDomain: theirs, yourDomain: yours };
  return theirs !== null && theirs !== yours ? ok(facts, extra) : no(facts);
};

export const latestSignalWithin = (ctx: Ctx, signals: readonly { signal: string; at: EpochMs; source: string }[], windowMs: number) => {
  const last = signals[signals.length - 1];
  if (!last || last.at < ctx.now - windowMs) return no({ engagedAt: last ? ctx.iso(last.at) : null });
  return ok({ engagedAt: ctx.iso(last.at), engagedBy: last.signal, engagedSource: last.source }, [A.engaged]);
};

/** The same check with one more assumption when it holds (a lead's emails are its contact's too). */
export const assuming = <F extends object>(res: Check<F>, assumption: string): Check<F> =>
  res.holds ? { ...res, assumptions: [...(res.assumptions ?? []), assumption] } : res;

/** A lead's email address: its primary contact's. */
export const leadAddress = (ctx: Ctx, l: Lead): string | null => {
  const cid = ctx.leadContactId(l);
  return cid ? (ctx.ids.contacts.get(cid)?.email ?? null) : null;
};

/** Rules 5 and 9: the contact replied to an email you sent, and you have not emailed since. */
export const contactReplied = (label: string) => ({
  id: 'replied',
  label,
  test: (ctx: Ctx, c: Contact) => repliedToYourEmail(ctx, ctx.emailsOf('contacts', c.id), c.email),
});

/** Rules 16, 17: no record of `types` is associated with the deal (their count is the fact `fact`). */
export const noneAssociated = <K extends string>(id: string, label: string, types: readonly ObjectType[], fact: K) => ({
  id,
  label,
  test: (ctx: Ctx, d: Deal) => {
    let n = 0;
    for (const t of types) n += ctx.assoc('deals', d.id, t).length;
    const facts = { [fact]: n } as Record<K, number>;
    return n === 0 ? ok(facts) : no(facts);
  },
});

/** The criteria "assigned to you" and "the deal is in an open stage", which rules 15, 16, 18 start with. */
export const YOUR_OPEN_DEAL = [assigned<Deal>(), dealOpen] as const;

// ---------------------------------------------------------------- shared expiries

type DaySetting = { [K in keyof GuidedActionSettings]: GuidedActionSettings[K] extends number ? K : never }[keyof GuidedActionSettings];

/** "The action is N days old": N is the setting `days`. */
export const ageExpiry = (label: string, days: DaySetting) =>
  ({ id: 'age', label, kind: 'age', maxAge: (s: GuidedActionSettings) => s[days] * DAY }) as const;

/** "The record is reassigned": its `assigned` criterion stops holding. */
export const reassignedExpiry = (label: string) => ({ id: 'reassigned', label, kind: 'criterion', criterion: 'assigned' }) as const;

/** Rules 15–18: the deal is reassigned, or closes. */
export const DEAL_REASSIGNED = reassignedExpiry('the deal is reassigned');
export const DEAL_CLOSED = { id: 'closed', label: 'the deal closes', kind: 'criterion', criterion: 'open' } as const satisfies Expiry<Deal>;

// ---------------------------------------------------------------- shared look-ups

/** A value computed once per evaluation (a WeakMap on the context: nothing outlives it). */
export const perEvaluation = <T>(compute: (ctx: Ctx) => T) => {
  const memo = new WeakMap<Ctx, T>();
  return (ctx: Ctx): T => {
    const known = memo.get(ctx);
    if (known !== undefined || memo.has(ctx)) return known as T;
    const value = compute(ctx);
    memo.set(ctx, value);
    return value;
  };
};

type ActivityRecords = { calls: Call; emails: Email; meetings: Meeting; notes: Note; tasks: Task };
export type ActivityType = keyof ActivityRecords;
/** When one kind of activity counts as having happened for a rule (null: not yet). */
export type ActivityTime = { [K in ActivityType]: { type: K; at: (ctx: Ctx, x: ActivityRecords[K]) => EpochMs | null } }[ActivityType];
export type Activity = { type: ActivityType; id: string; at: EpochMs; ownerId: string | null };

/** The activities associated with a record, kind by kind in the order of `times`, each at its time. */
export const activitiesOf = (ctx: Ctx, from: 'deals' | 'leads', id: string, times: readonly ActivityTime[]): Activity[] => {
  const out: Activity[] = [];
  for (const time of times)
    for (const aid of ctx.assoc(from, id, time.type)) {
      const x = ctx.ids[time.type].get(aid);
      const at = x ? (time.at as (ctx: Ctx, x: ActivityRecords[ActivityType]) => EpochMs | null)(ctx, x) : null;
      if (x && at !== null) out.push({ type: time.type, id: aid, at, ownerId: x.ownerId });
    }
  return out;
};

/** A completed task counts at its completion; an open one not yet. */
export const TASK_COMPLETED: ActivityTime = { type: 'tasks', at: (ctx, t) => (ctx.isTaskOpen(t) ? null : t.completedAt) };
