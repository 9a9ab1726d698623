import { DateTime } from 'luxon';
import type { ObjectRef } from '../../contract/api';
import { DAY, HOUR, MINUTE, emailDomain, type Ctx } from './context';
import type { Call, Contact, Deal, Email, EpochMs, Lead, Meeting, ObjectType, Task } from './input';
import { recordUrl, sequencesUrl, taskListUrl, taskUrl, type Link } from './links';
import { defineGroupRule, defineRule, type Check, type Facts, type Rule } from './rule-definition';
import { parseIso } from './time';

// The rule book (`shared/spec/guided-actions.md`) as data. Each criterion returns the facts
// it saw; assumptions (reference §5/§7 approximations) travel with them into `facts`.

// Checks all have one shape (the same three fields), so reading them stays monomorphic.
const ok = (facts?: Facts, assumptions?: string[]): Check => ({ holds: true, facts, assumptions });
const no = (facts?: Facts): Check => ({ holds: false, facts, assumptions: undefined });
/** An instant the facts carry as an ISO string. */
const ms = (isoValue: unknown): EpochMs => parseIso(String(isoValue));

const A = {
  assignedAtUnknown:
    'Assignment time unknown (no hubspot_owner_assigneddate): the action counts its age from when Tiller first showed it.',
  customLifecycle: 'Customised lifecycle: its last visible stage (highest displayOrder) counts as the final stage.',
  repliedThread: 'A reply is an INCOMING_EMAIL associated with the record, later than your last logged outgoing email to it.',
  primaryRecipient:
    'Primary recipient: your address is the first address of hs_email_to_email on the incoming email (reference §5).',
  leadEmails: "A lead's emails are those associated with the lead or with its primary contact (no email→lead association id).",
  leadDomain: "A lead's email address is its primary contact's.",
  engaged:
    'Engaged (inferred): an incoming email, a sales-email open/click (hs_sales_email_last_opened/_clicked), a meeting booked (its hs_createdate), a form submission (recent_conversion_date), or an inbound or connected call.',
  disqualifiedAt: 'Disqualification time: the lead\'s hs_pipeline_stage_last_updated, else the contact\'s hs_latest_disqualified_lead_date.',
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

const assigned = <R extends { ownerId: string | null }>(label = 'assigned to you', assumptions?: string[]) => ({
  id: 'assigned',
  label,
  test: (ctx: Ctx, r: R) => (ctx.isRep(r.ownerId) ? ok({ ownerId: r.ownerId }, assumptions) : no({ ownerId: r.ownerId })),
});

/** "Assigned to you", with when the assignment happened (the action's age starts there). */
const assignedSince = <R extends { ownerId: string | null; ownerAssignedAt: number | null }>(label = 'assigned to you') => ({
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

const dealOpen = {
  id: 'open',
  label: 'the deal is in an open stage',
  test: (ctx: Ctx, d: Deal) => {
    const stage = ctx.dealStage(d);
    const facts = { dealStage: d.stageId, dealStageLabel: stage?.label ?? null };
    return ctx.isDealOpen(d) ? ok(facts) : no(facts);
  },
};

const dealOlderThan = {
  id: 'olderThan',
  label: 'the deal was created more than 7 days ago',
  test: (ctx: Ctx, d: Deal) =>
    ctx.now - d.createdAt > ctx.settings.dealMinAgeDays * DAY
      ? ok({ dealCreatedAt: ctx.iso(d.createdAt) })
      : no({ dealCreatedAt: ctx.iso(d.createdAt) }),
};

/** An owner change after the action started, to someone other than the rep. */
const reassignedAfter = (ctx: Ctx, r: { ownerId: string | null; ownerAssignedAt: EpochMs | null }, startedAt: EpochMs) =>
  r.ownerAssignedAt !== null && r.ownerAssignedAt > startedAt && !ctx.isRep(r.ownerId)
    ? { at: r.ownerAssignedAt, facts: { reassignedTo: r.ownerId, reassignedAt: ctx.iso(r.ownerAssignedAt) } }
    : null;

/** The contact's most recently created lead. */
const latestLead = (ctx: Ctx, contactId: string): Lead | null => {
  let latest: Lead | null = null;
  for (const id of ctx.assoc('contacts', contactId, 'leads')) {
    const l = ctx.ids.leads.get(id);
    if (l && (latest === null || l.createdAt > latest.createdAt)) latest = l;
  }
  return latest;
};

const hasOpenLead = (ctx: Ctx, contactId: string) => {
  for (const id of ctx.assoc('contacts', contactId, 'leads')) {
    const l = ctx.ids.leads.get(id);
    if (l && ctx.isLeadOpen(l)) return l;
  }
  return null;
};

const noOpenLead = {
  id: 'noOpenLead',
  label: 'the contact has no open lead',
  test: (ctx: Ctx, c: Contact) => {
    const open = hasOpenLead(ctx, c.id);
    return open ? no({ openLeadId: open.id }) : ok({ openLead: null });
  },
};

/** The contact replied to an email you sent, and you have not emailed since. */
const repliedToYourEmail = (ctx: Ctx, emails: readonly Email[], address: string | null): Check => {
  const { lastOutgoing, reply } = ctx.replyState(emails, address);
  if (!lastOutgoing || !reply)
    return no({ yourLastEmailAt: lastOutgoing ? ctx.iso(lastOutgoing.sentAt) : null, repliedAt: null });
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
const repliedToYouAsPrimary = (ctx: Ctx, emails: readonly Email[], address: string | null): Check => {
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

const otherDomain = (ctx: Ctx, address: string | null, extra: string[] = []): Check => {
  const theirs = emailDomain(address);
  const yours = emailDomain(ctx.rep.email);
  const facts = { theirDomain: theirs, yourDomain: yours };
  return theirs !== null && theirs !== yours ? ok(facts, extra) : no(facts);
};

const latestSignalWithin = (ctx: Ctx, signals: readonly { signal: string; at: EpochMs; source: string }[], windowMs: number) => {
  const last = signals[signals.length - 1];
  if (!last || last.at < ctx.now - windowMs) return no({ engagedAt: last ? ctx.iso(last.at) : null });
  return ok({ engagedAt: ctx.iso(last.at), engagedBy: last.signal, engagedSource: last.source }, [A.engaged]);
};

// ---------------------------------------------------------------- helpers for records

const contactRecord = (ctx: Ctx, c: Contact) => ctx.ref('contacts', c.id);
const contactLinks = (ctx: Ctx, c: Contact, label = 'Open contact'): Link[] => [
  { label, href: recordUrl(ctx.input.portal, 'contacts', c.id) },
];
const when = (ctx: Ctx, isoValue: unknown) => ctx.local(ms(isoValue));
const repliesKey = (facts: Facts) => `reply:${String(facts.replyEmailId)}`;
const firstRefLink = (ctx: Ctx, refs: ObjectRef[], types: ObjectType[], label: string): Link[] => {
  for (const t of types) {
    const r = refs.find((x) => x.objectType === t);
    if (r) return [{ label: `${label} ${r.label}`, href: recordUrl(ctx.input.portal, t, r.objectId) }];
  }
  return [];
};

/** Time an activity ended (for rule 15), or null if it has not ended. */
const activityEnds = (ctx: Ctx, d: Deal): { type: ObjectType; id: string; endedAt: EpochMs }[] => {
  const out: { type: ObjectType; id: string; endedAt: EpochMs }[] = [];
  for (const id of ctx.assoc('deals', d.id, 'calls')) {
    const c = ctx.ids.calls.get(id);
    if (c) out.push({ type: 'calls', id, endedAt: c.startedAt + (c.durationMs ?? 0) });
  }
  for (const id of ctx.assoc('deals', d.id, 'meetings')) {
    const m = ctx.ids.meetings.get(id);
    if (m) out.push({ type: 'meetings', id, endedAt: m.endAt });
  }
  for (const id of ctx.assoc('deals', d.id, 'emails')) {
    const e = ctx.ids.emails.get(id);
    if (e) out.push({ type: 'emails', id, endedAt: e.sentAt });
  }
  for (const id of ctx.assoc('deals', d.id, 'notes')) {
    const n = ctx.ids.notes.get(id);
    if (n) out.push({ type: 'notes', id, endedAt: n.at });
  }
  for (const id of ctx.assoc('deals', d.id, 'tasks')) {
    const t = ctx.ids.tasks.get(id);
    if (t && !ctx.isTaskOpen(t) && t.completedAt !== null) out.push({ type: 'tasks', id, endedAt: t.completedAt });
  }
  return out;
};

// Per-evaluation caches for rules that look across records.
const nextMeetingMemo = new WeakMap<Ctx, Meeting | null>();
const nextMeeting = (ctx: Ctx): Meeting | null => {
  if (nextMeetingMemo.has(ctx)) return nextMeetingMemo.get(ctx) ?? null;
  const from = ctx.now - ctx.settings.prepareMeetingGraceMinutes * MINUTE;
  let best: Meeting | null = null;
  for (const m of ctx.input.meetings) {
    if (!ctx.isRep(m.ownerId) || m.startAt <= from) continue;
    if (!best || m.startAt < best.startAt || (m.startAt === best.startAt && m.id < best.id)) best = m;
  }
  nextMeetingMemo.set(ctx, best);
  return best;
};

const todayMemo = new WeakMap<Ctx, { start: EpochMs; end: EpochMs; date: string }>();
const today = (ctx: Ctx) => {
  let t = todayMemo.get(ctx);
  if (!t) {
    const d = DateTime.fromMillis(ctx.now, { zone: ctx.tz }).startOf('day');
    t = { start: d.toMillis(), end: d.plus({ days: 1 }).toMillis(), date: d.toISODate() ?? '' };
    todayMemo.set(ctx, t);
  }
  return t;
};

// ---------------------------------------------------------------- the 18 rules

const newlyAssignedContact = defineRule<Contact>({
  id: 'NEWLY_ASSIGNED_CONTACT',
  number: 1,
  title: 'Newly assigned contacts',
  forEach: 'contacts',
  grouping: 'none',
  category: 'prospecting',
  snapshot: false,
  urgencyTier: 4,
  candidates: (ctx) => ctx.input.contacts,
  criteria: [
    assignedSince<Contact>(),
    {
      id: 'notFinalLifecycle',
      label: 'lifecycle stage is neither customer nor evangelist (or the last stage of a customised lifecycle)',
      test: (ctx, c) =>
        c.lifecycleStage !== null && ctx.finalLifecycleStages.includes(c.lifecycleStage)
          ? no({ lifecycleStage: c.lifecycleStage })
          : ok({ lifecycleStage: c.lifecycleStage }, ctx.lifecycleCustomised ? [A.customLifecycle] : []),
    },
    {
      id: 'noDeal',
      label: 'not associated with any deal',
      test: (ctx, c) => {
        const deals = ctx.assoc('contacts', c.id, 'deals');
        return deals.length === 0 ? ok({ associatedDeals: 0 }) : no({ associatedDeals: deals.length });
      },
    },
    {
      id: 'noFollowUpEmail',
      label: 'you have sent no follow-up email to the contact',
      test: (ctx, c) => {
        const since = c.ownerAssignedAt ?? -Infinity;
        const sent = ctx.emailsOf('contacts', c.id).find((e) => ctx.isOutgoingFromRep(e) && e.sentAt >= since);
        return sent ? no({ yourEmailAt: ctx.iso(sent.sentAt) }) : ok({ yourEmailAt: null });
      },
    },
    {
      id: 'notEmailedYou',
      label: 'the contact has not emailed you',
      test: (ctx, c) => {
        const since = c.ownerAssignedAt ?? -Infinity;
        const got = ctx.emailsOf('contacts', c.id).find((e) => e.direction === 'INCOMING_EMAIL' && e.sentAt >= since);
        return got ? no({ theirEmailAt: ctx.iso(got.sentAt) }) : ok({ theirEmailAt: null });
      },
    },
  ],
  expiries: [
    { id: 'reassigned', label: 'the contact is reassigned', kind: 'criterion', criterion: 'assigned' },
    { id: 'finalLifecycle', label: 'the contact reaches the final lifecycle stage', kind: 'criterion', criterion: 'notFinalLifecycle' },
    { id: 'dealAssociated', label: 'a deal is associated', kind: 'criterion', criterion: 'noDeal' },
    { id: 'youEmailed', label: 'you email the contact', kind: 'criterion', criterion: 'noFollowUpEmail' },
    { id: 'theyEmailed', label: 'the contact emails you', kind: 'criterion', criterion: 'notEmailedYou' },
    { id: 'age', label: 'the action is 30 days old', kind: 'age', maxAge: (s) => s.newlyAssignedMaxAgeDays * DAY },
  ],
  record: contactRecord,
  occurrence: (_ctx, c) => ({ at: c.ownerAssignedAt, key: `assigned:${c.ownerAssignedAt ?? 'unknown'}` }),
  associated: (ctx, c) => ctx.refs('contacts', c.id, ['companies']),
  reason: (ctx, f, rec) =>
    f.assignedAt
      ? `${rec.label} was assigned to you on ${when(ctx, f.assignedAt)} and has had no email from you yet.`
      : `${rec.label} is assigned to you and has had no email from you yet.`,
  links: (ctx, c) => [
    { label: 'Enrol in a sequence', href: sequencesUrl(ctx.input.portal) },
    ...contactLinks(ctx, c),
  ],
});

const newlyAssignedLead = defineRule<Lead>({
  id: 'NEWLY_ASSIGNED_LEAD',
  number: 2,
  title: 'Newly assigned leads',
  forEach: 'leads',
  grouping: 'none',
  category: 'prospecting',
  snapshot: false,
  urgencyTier: 4,
  candidates: (ctx) => ctx.input.leads,
  criteria: [
    assignedSince<Lead>('the lead is owned by you'),
    {
      id: 'firstStage',
      label: 'the lead is in the first stage of its pipeline',
      test: (ctx, l) =>
        ctx.isLeadFirstStage(l)
          ? ok({ leadStage: l.stageId, leadStageLabel: ctx.leadStage(l)?.label ?? null })
          : no({ leadStage: l.stageId }),
    },
  ],
  expiries: [
    { id: 'reassigned', label: 'the lead is reassigned to another user', kind: 'criterion', criterion: 'assigned' },
    { id: 'stageMoved', label: 'the lead leaves the first stage', kind: 'criterion', criterion: 'firstStage' },
    { id: 'age', label: 'the action is 30 days old', kind: 'age', maxAge: (s) => s.newlyAssignedMaxAgeDays * DAY },
    {
      id: 'activityLogged',
      label: 'you log an activity (call, email, meeting, note, task completed) on the lead',
      kind: 'event',
      fired: (ctx, l, { startedAt }) => {
        const found: { first: { type: string; id: string; at: EpochMs } | null } = { first: null };
        const consider = (type: string, id: string, at: EpochMs | null, owner: string | null) => {
          if (at !== null && at >= startedAt && at <= ctx.now && ctx.isRep(owner) && (!found.first || at < found.first.at))
            found.first = { type, id, at };
        };
        for (const id of ctx.assoc('leads', l.id, 'calls')) {
          const x = ctx.ids.calls.get(id);
          if (x) consider('calls', id, x.startedAt, x.ownerId);
        }
        for (const id of ctx.assoc('leads', l.id, 'emails')) {
          const x = ctx.ids.emails.get(id);
          if (x) consider('emails', id, x.sentAt, x.ownerId);
        }
        for (const id of ctx.assoc('leads', l.id, 'meetings')) {
          const x = ctx.ids.meetings.get(id);
          if (x) consider('meetings', id, x.createdAt, x.ownerId);
        }
        for (const id of ctx.assoc('leads', l.id, 'notes')) {
          const x = ctx.ids.notes.get(id);
          if (x) consider('notes', id, x.at, x.ownerId);
        }
        for (const id of ctx.assoc('leads', l.id, 'tasks')) {
          const x = ctx.ids.tasks.get(id);
          if (x && !ctx.isTaskOpen(x)) consider('tasks', id, x.completedAt, x.ownerId);
        }
        const hit = found.first;
        return hit ? { at: hit.at, facts: { activity: `${hit.type}:${hit.id}`, activityAt: ctx.iso(hit.at) } } : null;
      },
    },
  ],
  record: (ctx, l) => ctx.ref('leads', l.id),
  occurrence: (_ctx, l) => ({ at: l.ownerAssignedAt, key: `assigned:${l.ownerAssignedAt ?? 'unknown'}` }),
  associated: (ctx, l) => ctx.refs('leads', l.id, ['contacts', 'companies']),
  reason: (ctx, f, rec) =>
    f.assignedAt
      ? `Lead ${rec.label} was assigned to you on ${when(ctx, f.assignedAt)} and is still in its first stage.`
      : `Lead ${rec.label} is assigned to you and is still in its first stage.`,
  links: (ctx, l) => [{ label: 'Open lead', href: recordUrl(ctx.input.portal, 'leads', l.id) }],
});

const reengagedContact = defineRule<Contact>({
  id: 'REENGAGED_CONTACT',
  number: 3,
  title: 'Re-engaged contacts',
  forEach: 'contacts',
  grouping: 'none',
  category: 'prospecting',
  snapshot: false,
  urgencyTier: 3,
  candidates: (ctx) => ctx.input.contacts,
  criteria: [
    assigned<Contact>(),
    noOpenLead,
    {
      id: 'latestLeadDisqualified',
      label: 'the most recent associated lead was disqualified',
      test: (ctx, c) => {
        const latest = latestLead(ctx, c.id);
        if (!latest || !ctx.isLeadDisqualified(latest)) return no({ latestLeadId: latest?.id ?? null });
        const at = latest.stageChangedAt ?? c.latestDisqualifiedLeadAt;
        if (at === null) return no({ latestLeadId: latest.id, disqualifiedAt: null });
        return ok({ disqualifiedLeadId: latest.id, disqualifiedAt: ctx.iso(at) }, [A.disqualifiedAt]);
      },
    },
    {
      id: 'reengaged',
      label: 'the contact engaged again within the last 30 days after that disqualification',
      test: (ctx, c) => {
        // Runs after latestLeadDisqualified, so the disqualification is known.
        const latest = latestLead(ctx, c.id);
        const dq = latest?.stageChangedAt ?? c.latestDisqualifiedLeadAt;
        if (dq === null) return no();
        const first = ctx.contactSignals(c.id).find((s) => s.at > dq);
        if (!first || first.at < ctx.now - ctx.settings.reengagementWindowDays * DAY)
          return no({ reengagedAt: first ? ctx.iso(first.at) : null });
        return ok({ reengagedAt: ctx.iso(first.at), reengagedBy: first.signal, reengagedSource: first.source }, [
          A.engaged,
          A.reengagement,
        ]);
      },
    },
  ],
  expiries: [
    { id: 'reassigned', label: 'the contact is reassigned', kind: 'criterion', criterion: 'assigned' },
    { id: 'leadOpened', label: 'an open lead exists for the contact', kind: 'criterion', criterion: 'noOpenLead' },
    { id: 'newLead', label: 'a new lead is created for the contact', kind: 'criterion', criterion: 'latestLeadDisqualified' },
    { id: 'window', label: 'more than 30 days since the re-engagement', kind: 'criterion', criterion: 'reengaged' },
  ],
  record: contactRecord,
  occurrence: (ctx, _c, f) => ({
    at: ms(f.reengagedAt),
    key: `reengaged:${String(f.disqualifiedLeadId)}:${String(f.reengagedAt)}`,
    deadline: ms(f.reengagedAt) + ctx.settings.reengagementWindowDays * DAY,
  }),
  associated: (ctx, c) => ctx.refs('contacts', c.id, ['companies']),
  reason: (ctx, f, rec) =>
    `${rec.label} engaged again on ${when(ctx, f.reengagedAt)} after their lead was disqualified on ${when(ctx, f.disqualifiedAt)}.`,
  links: (ctx, c) => [
    ...contactLinks(ctx, c),
    { label: 'Enrol in a sequence', href: sequencesUrl(ctx.input.portal) },
  ],
});

const sequenceActivity = defineRule<Task>({
  id: 'SEQUENCE_ACTIVITY',
  number: 4,
  title: 'Sequence activity',
  forEach: 'tasks',
  grouping: 'none',
  category: 'prospecting',
  snapshot: false,
  urgencyTier: 3,
  candidates: (ctx) => ctx.input.tasks.filter((t) => t.sequenceStepOrder !== null || t.sequenceEnrollmentId !== null),
  criteria: [
    assigned<Task>('the task is assigned to you'),
    {
      id: 'open',
      label: 'the task is open (not completed)',
      test: (ctx, t) =>
        ctx.isTaskOpen(t)
          ? ok({
              taskStatus: t.status,
              sequenceStep: t.sequenceStepOrder,
              dueAt: t.dueAt === null ? null : ctx.iso(t.dueAt),
            })
          : no({ taskStatus: t.status }),
    },
  ],
  expiries: [
    { id: 'reassigned', label: 'the task is reassigned', kind: 'criterion', criterion: 'assigned' },
    { id: 'completed', label: 'the task is completed', kind: 'criterion', criterion: 'open' },
  ],
  record: (ctx, t) => ctx.ref('tasks', t.id),
  occurrence: (_ctx, t) => ({ at: t.createdAt, key: `task:${t.id}`, dueAt: t.dueAt }),
  associated: (ctx, t) => ctx.refs('tasks', t.id, ['contacts', 'companies', 'deals']),
  reason: (ctx, f, rec) =>
    `Sequence step ${f.sequenceStep ?? '?'} "${rec.label}" is waiting for you${f.dueAt ? ` (due ${when(ctx, f.dueAt)})` : ''}.`,
  links: (ctx, t, associated) => [
    { label: 'Start the sequence task', href: taskUrl(ctx.input.portal, t.id) },
    ...firstRefLink(ctx, associated, ['contacts'], 'Open'),
  ],
});

const emailReply = defineRule<Contact>({
  id: 'EMAIL_REPLY',
  number: 5,
  title: 'Email replies',
  forEach: 'contacts',
  grouping: 'none',
  category: 'prospecting',
  snapshot: false,
  urgencyTier: 1,
  candidates: (ctx) => ctx.input.contacts,
  criteria: [
    assigned<Contact>(),
    {
      id: 'replied',
      label: 'the contact replied to an email you sent',
      test: (ctx, c) => repliedToYourEmail(ctx, ctx.emailsOf('contacts', c.id), c.email),
    },
  ],
  expiries: [
    { id: 'youEmailed', label: 'you send the contact an email after the action was created', kind: 'criterion', criterion: 'replied' },
    { id: 'reassigned', label: 'the contact is reassigned', kind: 'criterion', criterion: 'assigned' },
    { id: 'age', label: 'the action is 14 days old', kind: 'age', maxAge: (s) => s.emailReplyMaxAgeDays * DAY },
  ],
  record: contactRecord,
  occurrence: (_ctx, _c, f) => ({ at: ms(f.repliedAt), key: repliesKey(f) }),
  associated: (ctx, c) => ctx.refs('contacts', c.id, ['companies']),
  reason: (ctx, f, rec) => `${rec.label} replied on ${when(ctx, f.repliedAt)} and you have not replied since.`,
  links: (ctx, c) => contactLinks(ctx, c, 'Reply to'),
});

const meetingFollowUp = defineRule<Meeting>({
  id: 'MEETING_FOLLOW_UP',
  number: 6,
  title: 'Follow up on your meeting',
  forEach: 'meetings',
  grouping: 'none',
  category: 'dealIfOpenDeal',
  snapshot: true,
  urgencyTier: 2,
  candidates: (ctx) => ctx.input.meetings,
  criteria: [
    assigned<Meeting>(),
    {
      id: 'started',
      label: 'the meeting start is in the past',
      test: (ctx, m) =>
        m.startAt <= ctx.now ? ok({ meetingStartAt: ctx.iso(m.startAt) }) : no({ meetingStartAt: ctx.iso(m.startAt) }),
    },
    {
      id: 'endedRecently',
      label: 'the meeting ended less than 7 days ago',
      test: (ctx, m) =>
        m.endAt > ctx.now - ctx.settings.meetingFollowUpWindowDays * DAY
          ? ok({ meetingEndAt: ctx.iso(m.endAt) })
          : no({ meetingEndAt: ctx.iso(m.endAt) }),
    },
  ],
  expiries: [
    { id: 'reassigned', label: 'the meeting is reassigned', kind: 'criterion', criterion: 'assigned' },
    { id: 'rescheduled', label: 'the meeting moves to the future', kind: 'criterion', criterion: 'started' },
    { id: 'window', label: 'the meeting ended 7 days ago', kind: 'criterion', criterion: 'endedRecently' },
    {
      id: 'followUpDone',
      label: "the meeting's follow-up tasks are all completed",
      kind: 'event',
      fired: (ctx, m) => {
        const tasks = new Map<string, Task>();
        for (const t of ['contacts', 'deals'] as const)
          for (const rid of ctx.assoc('meetings', m.id, t))
            for (const tid of ctx.assoc(t, rid, 'tasks')) {
              const task = ctx.ids.tasks.get(tid);
              if (task && task.ownerId === m.ownerId && task.createdAt >= m.endAt) tasks.set(tid, task);
            }
        if (tasks.size === 0) return null;
        let last = 0;
        for (const t of tasks.values()) {
          if (ctx.isTaskOpen(t)) return null;
          last = Math.max(last, t.completedAt ?? ctx.now);
        }
        return { at: last, facts: { followUpTaskIds: [...tasks.keys()], assumption: A.followUpTasks } };
      },
    },
  ],
  record: (ctx, m) => ctx.ref('meetings', m.id),
  occurrence: (ctx, m) => ({
    at: m.startAt,
    key: `meeting:${m.startAt}`,
    deadline: m.endAt + ctx.settings.meetingFollowUpWindowDays * DAY,
  }),
  associated: (ctx, m) => ctx.refs('meetings', m.id, ['contacts', 'companies', 'deals']),
  reason: (ctx, f, rec) =>
    ms(f.meetingEndAt) <= ctx.now
      ? `Your meeting "${rec.label}" ended on ${when(ctx, f.meetingEndAt)}; follow up with the attendees.`
      : `Your meeting "${rec.label}" started on ${when(ctx, f.meetingStartAt)}; plan the follow-up.`,
  links: (ctx, _m, associated) => [
    ...firstRefLink(ctx, associated, ['contacts', 'deals', 'companies'], 'Follow up with'),
    { label: 'Create follow-up tasks', href: taskListUrl(ctx.input.portal) },
  ],
});

const logCallOutcome = defineGroupRule<Call>({
  id: 'LOG_CALL_OUTCOME',
  number: 7,
  title: 'Log call outcomes',
  forEach: 'calls',
  grouping: 'group',
  category: 'dealIfOpenDeal',
  snapshot: true,
  urgencyTier: 2,
  candidates: (ctx) => ctx.input.calls,
  criteria: [
    assigned<Call>(),
    {
      id: 'hourPassed',
      label: 'at least 1 hour since the call started',
      test: (ctx, c) =>
        ctx.now - c.startedAt >= ctx.settings.callOutcomeDelayMinutes * MINUTE
          ? ok({ callStartedAt: ctx.iso(c.startedAt) })
          : no({ callStartedAt: ctx.iso(c.startedAt) }),
    },
    {
      id: 'statusQualifies',
      label: 'made with HubSpot calling and COMPLETED, or made otherwise and COMPLETED or blank',
      test: (ctx, c) => {
        const hubspot = c.source !== null && ctx.settings.hubspotCallingSources.includes(c.source);
        const status = c.status === '' ? null : c.status;
        const facts = { callSource: c.source, callStatus: status, hubspotCalling: hubspot };
        const holds = status === 'COMPLETED' || (!hubspot && status === null);
        return holds ? ok(facts, [A.hubspotCalling]) : no(facts);
      },
    },
    {
      id: 'outcomeBlank',
      label: 'the call outcome is blank',
      test: (_ctx, c) => (c.disposition ? no({ callOutcome: c.disposition }) : ok({ callOutcome: null })),
    },
    {
      id: 'recent',
      label: 'the call started less than 7 days ago',
      test: (ctx, c) =>
        ctx.now - c.startedAt < ctx.settings.callOutcomeWindowDays * DAY ? ok() : no({ callStartedAt: ctx.iso(c.startedAt) }),
    },
  ],
  expiries: [
    { id: 'reassigned', label: 'the call is reassigned', kind: 'criterion', criterion: 'assigned' },
    { id: 'statusChanged', label: 'the call status no longer qualifies', kind: 'criterion', criterion: 'statusQualifies' },
    { id: 'outcomeLogged', label: 'an outcome is logged', kind: 'criterion', criterion: 'outcomeBlank' },
    { id: 'window', label: 'the call started 7 days ago', kind: 'criterion', criterion: 'recent' },
  ],
  member: (ctx, c) => ctx.ref('calls', c.id),
  memberAssociated: (ctx, c) => ctx.refs('calls', c.id, ['contacts', 'companies', 'deals']),
  group: {
    record: (ctx) => ({ objectType: 'owners', objectId: ctx.rep.ownerId, label: 'Your recent calls' }),
    title: (n) => (n === 1 ? 'Log the outcome of 1 recent call' : `Log outcomes of ${n} recent calls`),
    occurrence: (ctx, members) => {
      let first = Infinity;
      let last = -Infinity;
      for (const { r } of members) {
        first = Math.min(first, r.startedAt);
        last = Math.max(last, r.startedAt);
      }
      return {
        at: first + ctx.settings.callOutcomeDelayMinutes * MINUTE,
        key: 'calls',
        deadline: last + ctx.settings.callOutcomeWindowDays * DAY,
      };
    },
    reason: (ctx, members) => {
      const oldest = Math.min(...members.map((m) => m.r.startedAt));
      return members.length === 1
        ? `Your call on ${ctx.local(oldest)} has no outcome logged.`
        : `${members.length} of your calls since ${ctx.local(oldest)} have no outcome logged.`;
    },
    links: (ctx, calls) =>
      [...calls]
        .sort((a, b) => b.startedAt - a.startedAt)
        .map((c) => ({ label: `Log outcome: ${ctx.label('calls', c.id)}`, href: recordUrl(ctx.input.portal, 'calls', c.id) })),
  },
});

const contactAwaitingReply = defineRule<Contact>({
  id: 'CONTACT_AWAITING_REPLY',
  number: 8,
  title: 'Contacts awaiting your reply',
  forEach: 'contacts',
  grouping: 'none',
  category: 'prospecting',
  snapshot: false,
  urgencyTier: 1,
  candidates: (ctx) => ctx.input.contacts,
  criteria: [
    noOpenLead,
    {
      id: 'repliedToYou',
      label: 'the contact replied to an email whose primary recipient is you',
      test: (ctx, c) => repliedToYouAsPrimary(ctx, ctx.emailsOf('contacts', c.id), c.email),
    },
    {
      id: 'otherDomain',
      label: "the contact's email domain is not yours",
      test: (ctx, c) => otherDomain(ctx, c.email),
    },
  ],
  expiries: [
    {
      id: 'reassigned',
      label: 'the contact is reassigned',
      kind: 'event',
      fired: (ctx, c, { startedAt }) => reassignedAfter(ctx, c, startedAt),
    },
    { id: 'age', label: 'the action is more than 14 days old', kind: 'age', maxAge: (s) => s.awaitingReplyMaxAgeDays * DAY },
    { id: 'youEmailed', label: 'you send the contact an email', kind: 'criterion', criterion: 'repliedToYou' },
    { id: 'leadOpened', label: 'an open lead exists for the contact', kind: 'criterion', criterion: 'noOpenLead' },
  ],
  record: contactRecord,
  occurrence: (_ctx, _c, f) => ({ at: ms(f.repliedAt), key: repliesKey(f) }),
  associated: (ctx, c) => ctx.refs('contacts', c.id, ['companies']),
  reason: (ctx, f, rec) => `${rec.label} wrote to you on ${when(ctx, f.repliedAt)} and you have not replied since.`,
  links: (ctx, c) => contactLinks(ctx, c, 'Reply to'),
});

const replyToEmail = defineRule<Contact>({
  id: 'REPLY_TO_EMAIL',
  number: 9,
  title: 'Reply to email',
  forEach: 'contacts',
  grouping: 'none',
  category: 'deal',
  snapshot: false,
  urgencyTier: 1,
  candidates: (ctx) => ctx.input.contacts,
  criteria: [
    {
      id: 'yourOpenDeal',
      label: 'the contact is associated with one of your open deals',
      test: (ctx, c) => {
        const dealIds: string[] = [];
        for (const id of ctx.assoc('contacts', c.id, 'deals')) {
          const d = ctx.ids.deals.get(id);
          if (d && ctx.isRep(d.ownerId) && ctx.isDealOpen(d)) dealIds.push(id);
        }
        return dealIds.length > 0 ? ok({ dealIds }) : no({ dealIds });
      },
    },
    {
      id: 'replied',
      label: 'the contact replied to you and you have not replied since',
      test: (ctx, c) => repliedToYourEmail(ctx, ctx.emailsOf('contacts', c.id), c.email),
    },
  ],
  expiries: [
    { id: 'dealClosed', label: 'the associated deal closes', kind: 'criterion', criterion: 'yourOpenDeal' },
    { id: 'youReplied', label: 'you send a reply', kind: 'criterion', criterion: 'replied' },
    { id: 'age', label: 'the action is more than 7 days old', kind: 'age', maxAge: (s) => s.replyToEmailMaxAgeDays * DAY },
  ],
  record: contactRecord,
  occurrence: (_ctx, _c, f) => ({ at: ms(f.repliedAt), key: repliesKey(f) }),
  associated: (ctx, c) => {
    const out: ObjectRef[] = [];
    for (const id of ctx.assoc('contacts', c.id, 'deals')) {
      const d = ctx.ids.deals.get(id);
      if (d && ctx.isRep(d.ownerId) && ctx.isDealOpen(d)) out.push(ctx.ref('deals', id));
    }
    return [...out, ...ctx.refs('contacts', c.id, ['companies'])];
  },
  reason: (ctx, f, rec) => `${rec.label} replied on ${when(ctx, f.repliedAt)} and you have not replied since.`,
  links: (ctx, c, associated) => [
    ...contactLinks(ctx, c, 'Reply to'),
    ...firstRefLink(ctx, associated, ['deals'], 'Open deal'),
  ],
});

const leadAwaitingReply = defineRule<Lead>({
  id: 'LEAD_AWAITING_REPLY',
  number: 10,
  title: 'Leads awaiting your reply',
  forEach: 'leads',
  grouping: 'none',
  category: 'prospecting',
  snapshot: false,
  urgencyTier: 1,
  candidates: (ctx) => ctx.input.leads,
  criteria: [
    assigned<Lead>('the lead is owned by you (inferred)', [A.leadOwned]),
    {
      id: 'repliedToYou',
      label: 'the lead replied to an email whose primary recipient is you',
      test: (ctx, l) => {
        const cid = ctx.leadContactId(l);
        const address = cid ? (ctx.ids.contacts.get(cid)?.email ?? null) : null;
        const res = repliedToYouAsPrimary(ctx, ctx.leadEmails(l), address);
        return res.holds ? { ...res, assumptions: [...(res.assumptions ?? []), A.leadEmails] } : res;
      },
    },
    {
      id: 'otherDomain',
      label: "the lead's email domain is not yours",
      test: (ctx, l) => {
        const cid = ctx.leadContactId(l);
        return otherDomain(ctx, cid ? (ctx.ids.contacts.get(cid)?.email ?? null) : null, [A.leadDomain]);
      },
    },
  ],
  expiries: [
    { id: 'reassigned', label: 'the lead is reassigned', kind: 'criterion', criterion: 'assigned' },
    { id: 'age', label: 'the action is more than 14 days old', kind: 'age', maxAge: (s) => s.awaitingReplyMaxAgeDays * DAY },
    { id: 'youEmailed', label: 'you send the lead an email', kind: 'criterion', criterion: 'repliedToYou' },
  ],
  record: (ctx, l) => ctx.ref('leads', l.id),
  occurrence: (_ctx, _l, f) => ({ at: ms(f.repliedAt), key: repliesKey(f) }),
  associated: (ctx, l) => ctx.refs('leads', l.id, ['contacts', 'companies']),
  reason: (ctx, f, rec) => `Lead ${rec.label} wrote to you on ${when(ctx, f.repliedAt)} and you have not replied since.`,
  links: (ctx, l) => [{ label: 'Reply to lead', href: recordUrl(ctx.input.portal, 'leads', l.id) }],
});

const prepareForMeeting = defineRule<Meeting>({
  id: 'PREPARE_FOR_MEETING',
  number: 11,
  title: 'Prepare for your next meeting',
  forEach: 'meetings',
  grouping: 'none',
  category: 'dealIfOpenDeal',
  snapshot: true,
  urgencyTier: 0,
  candidates: (ctx) => ctx.input.meetings,
  criteria: [
    assigned<Meeting>(),
    {
      id: 'startsSoon',
      label: 'the meeting starts within the next 24 hours (and started less than 10 minutes ago at most)',
      test: (ctx, m) => {
        const facts = { meetingStartAt: ctx.iso(m.startAt) };
        const holds =
          m.startAt > ctx.now - ctx.settings.prepareMeetingGraceMinutes * MINUTE &&
          m.startAt <= ctx.now + ctx.settings.prepareMeetingWindowHours * HOUR;
        return holds ? ok(facts) : no(facts);
      },
    },
    {
      id: 'isNext',
      label: 'it is your next upcoming meeting',
      test: (ctx, m) => {
        const next = nextMeeting(ctx);
        return next?.id === m.id ? ok() : no({ nextMeetingId: next?.id ?? null });
      },
    },
  ],
  expiries: [
    { id: 'started', label: '10 minutes have passed since the meeting started', kind: 'criterion', criterion: 'startsSoon' },
    { id: 'reassigned', label: 'the meeting is reassigned', kind: 'criterion', criterion: 'assigned' },
    { id: 'notNext', label: 'another meeting comes first', kind: 'criterion', criterion: 'isNext' },
  ],
  record: (ctx, m) => ctx.ref('meetings', m.id),
  occurrence: (ctx, m) => ({
    at: Math.max(m.startAt - ctx.settings.prepareMeetingWindowHours * HOUR, m.createdAt),
    key: `meeting:${m.startAt}`,
    deadline: m.startAt + ctx.settings.prepareMeetingGraceMinutes * MINUTE,
    dueAt: m.startAt,
  }),
  associated: (ctx, m) => ctx.refs('meetings', m.id, ['contacts', 'companies', 'deals']),
  reason: (ctx, f, rec) => `Your next meeting "${rec.label}" starts on ${when(ctx, f.meetingStartAt)}.`,
  links: (ctx, _m, associated) => firstRefLink(ctx, associated, ['contacts', 'deals', 'companies'], 'Prepare with'),
});

const priorityTasksToday = defineGroupRule<Task>({
  id: 'PRIORITY_TASKS_TODAY',
  number: 12,
  title: "Today's priority tasks",
  forEach: 'tasks',
  grouping: 'group',
  category: 'prospecting',
  snapshot: false,
  urgencyTier: 0,
  candidates: (ctx) => ctx.input.tasks,
  criteria: [
    assigned<Task>('the task is yours'),
    {
      id: 'highPriority',
      label: 'the task has priority HIGH',
      test: (ctx, t) =>
        t.priority !== null && ctx.settings.priorityTaskLevels.includes(t.priority) ? ok({ priority: t.priority }) : no({ priority: t.priority }),
    },
    {
      id: 'open',
      label: 'the task is open',
      test: (ctx, t) => (ctx.isTaskOpen(t) ? ok({ taskStatus: t.status }) : no({ taskStatus: t.status })),
    },
    {
      id: 'dueToday',
      label: 'the task is due today in your time zone',
      test: (ctx, t) => {
        const day = today(ctx);
        if (t.dueAt === null) return no({ dueAt: null });
        // All-day tasks carry a midnight-UTC timestamp: compare calendar dates.
        const holds = t.isAllDay
          ? new Date(t.dueAt).toISOString().slice(0, 10) === day.date
          : t.dueAt >= day.start && t.dueAt < day.end;
        const facts = { dueAt: ctx.iso(t.dueAt), today: day.date, timeZone: ctx.tz };
        return holds ? ok(facts) : no(facts);
      },
    },
  ],
  expiries: [
    { id: 'noneLeft', label: 'you no longer have open high-priority tasks due today', kind: 'criterion', criterion: 'open' },
    { id: 'notToday', label: 'the day ends', kind: 'criterion', criterion: 'dueToday' },
  ],
  member: (ctx, t) => ctx.ref('tasks', t.id),
  memberAssociated: (ctx, t) => ctx.refs('tasks', t.id, ['contacts', 'companies', 'deals']),
  group: {
    record: (ctx) => ({ objectType: 'owners', objectId: ctx.rep.ownerId, label: 'Your priority tasks' }),
    title: () => "Today's priority tasks",
    occurrence: (ctx, members) => {
      const day = today(ctx);
      return {
        at: day.start,
        key: `day:${day.date}`,
        deadline: day.end,
        dueAt: Math.min(...members.map((m) => m.r.dueAt ?? day.end)),
      };
    },
    reason: (ctx, members) =>
      members.length === 1
        ? `You have 1 high-priority task due today (${today(ctx).date}).`
        : `You have ${members.length} high-priority tasks due today (${today(ctx).date}).`,
    links: (ctx, tasks) => [
      { label: 'Start tasks', href: taskListUrl(ctx.input.portal) },
      ...tasks.map((t) => ({ label: ctx.label('tasks', t.id), href: taskUrl(ctx.input.portal, t.id) })),
    ],
  },
});

const targetAccountActivity = defineRule<Contact>({
  id: 'TARGET_ACCOUNT_ACTIVITY',
  number: 13,
  title: 'Target account activity',
  forEach: 'contacts',
  grouping: 'none',
  category: 'prospecting',
  snapshot: false,
  urgencyTier: 3,
  candidates: (ctx) => ctx.input.contacts,
  criteria: [
    {
      id: 'targetAccount',
      label: 'the contact is associated with a target account company',
      test: (ctx, c) => {
        const ids: string[] = [];
        for (const id of ctx.assoc('contacts', c.id, 'companies')) if (ctx.ids.companies.get(id)?.isTargetAccount) ids.push(id);
        return ids.length > 0 ? ok({ targetCompanyIds: ids }) : no({ targetCompanyIds: ids });
      },
    },
    {
      id: 'engaged',
      label: 'the contact engaged (in the last 7 days)',
      test: (ctx, c) => latestSignalWithin(ctx, ctx.contactSignals(c.id), ctx.settings.targetAccountEngagedDays * DAY),
    },
    {
      id: 'yours',
      label: 'the company or the contact is owned by you (inferred)',
      test: (ctx, c) => {
        if (ctx.isRep(c.ownerId)) return ok({ ownedVia: 'contact' }, [A.targetOwner]);
        for (const id of ctx.assoc('contacts', c.id, 'companies')) {
          const co = ctx.ids.companies.get(id);
          if (co?.isTargetAccount && ctx.isRep(co.ownerId)) return ok({ ownedVia: `companies:${id}` }, [A.targetOwner]);
        }
        return no({ contactOwnerId: c.ownerId });
      },
    },
  ],
  expiries: [{ id: 'window', label: 'more than 7 days since the contact engaged', kind: 'criterion', criterion: 'engaged' }],
  record: contactRecord,
  occurrence: (ctx, _c, f) => ({
    at: ms(f.engagedAt),
    key: `engaged:${String(f.engagedAt)}`,
    deadline: ms(f.engagedAt) + ctx.settings.targetAccountEngagedDays * DAY,
  }),
  associated: (ctx, c) => ctx.refs('contacts', c.id, ['companies']),
  reason: (ctx, f, rec) => {
    const company = ctx.label('companies', String((f.targetCompanyIds as string[])[0]));
    return `${rec.label} at target account ${company} engaged on ${when(ctx, f.engagedAt)}.`;
  },
  links: (ctx, c, associated) => [...contactLinks(ctx, c), ...firstRefLink(ctx, associated, ['companies'], 'Open')],
});

const recentlyEngagedLead = defineRule<Lead>({
  id: 'RECENTLY_ENGAGED_LEAD',
  number: 14,
  title: 'Recently engaged leads',
  forEach: 'leads',
  grouping: 'none',
  category: 'prospecting',
  snapshot: false,
  urgencyTier: 3,
  candidates: (ctx) => ctx.input.leads,
  criteria: [
    assigned<Lead>(),
    {
      id: 'open',
      label: 'the lead is in an open stage',
      test: (ctx, l) => (ctx.isLeadOpen(l) ? ok({ leadStage: l.stageId }) : no({ leadStage: l.stageId })),
    },
    {
      id: 'engaged',
      label: 'the lead engaged in the last 7 days',
      test: (ctx, l) => {
        const res = latestSignalWithin(ctx, ctx.leadSignals(l), ctx.settings.recentlyEngagedLeadDays * DAY);
        return res.holds ? { ...res, assumptions: [...(res.assumptions ?? []), A.leadEmails] } : res;
      },
    },
  ],
  expiries: [
    { id: 'window', label: 'more than 7 days since the engagement', kind: 'criterion', criterion: 'engaged' },
    { id: 'reassigned', label: 'the lead is reassigned', kind: 'criterion', criterion: 'assigned' },
    { id: 'closed', label: 'the lead is qualified or disqualified', kind: 'criterion', criterion: 'open' },
  ],
  record: (ctx, l) => ctx.ref('leads', l.id),
  occurrence: (ctx, _l, f) => ({
    at: ms(f.engagedAt),
    key: `engaged:${String(f.engagedAt)}`,
    deadline: ms(f.engagedAt) + ctx.settings.recentlyEngagedLeadDays * DAY,
  }),
  associated: (ctx, l) => ctx.refs('leads', l.id, ['contacts', 'companies']),
  reason: (ctx, f, rec) => `Lead ${rec.label} engaged on ${when(ctx, f.engagedAt)}.`,
  links: (ctx, l) => [{ label: 'Open lead', href: recordUrl(ctx.input.portal, 'leads', l.id) }],
});

const dealLinks = (ctx: Ctx, d: Deal, label = 'Open deal'): Link[] => [
  { label, href: recordUrl(ctx.input.portal, 'deals', d.id) },
];

const updateNextSteps = defineRule<Deal>({
  id: 'UPDATE_NEXT_STEPS',
  number: 15,
  title: 'Update next steps',
  forEach: 'deals',
  grouping: 'none',
  category: 'deal',
  snapshot: false,
  urgencyTier: 2,
  candidates: (ctx) => ctx.input.deals,
  criteria: [
    assigned<Deal>(),
    dealOpen,
    {
      id: 'activitySinceNextStep',
      label: 'an associated activity ended more than 24 hours ago, after the last change of next steps',
      test: (ctx, d) => {
        const after = d.nextStepChangedAt ?? -Infinity;
        const before = ctx.now - ctx.settings.nextStepActivityDelayHours * HOUR;
        let first: { type: ObjectType; id: string; endedAt: EpochMs } | null = null;
        for (const a of activityEnds(ctx, d))
          if (a.endedAt > after && a.endedAt <= before && (!first || a.endedAt < first.endedAt)) first = a;
        const nextStepChangedAt = d.nextStepChangedAt === null ? null : ctx.iso(d.nextStepChangedAt);
        if (!first) return no({ nextStepChangedAt });
        return ok(
          { activity: `${first.type}:${first.id}`, activityEndedAt: ctx.iso(first.endedAt), nextStepChangedAt, nextStep: d.nextStep },
          d.nextStepChangedAt === null ? [A.nextStepHistory] : [],
        );
      },
    },
  ],
  expiries: [
    { id: 'reassigned', label: 'the deal is reassigned', kind: 'criterion', criterion: 'assigned' },
    { id: 'closed', label: 'the deal closes', kind: 'criterion', criterion: 'open' },
    { id: 'nextStepChanged', label: "the deal's next step changes", kind: 'criterion', criterion: 'activitySinceNextStep' },
  ],
  record: (ctx, d) => ctx.ref('deals', d.id),
  occurrence: (ctx, d, f) => ({
    at: ms(f.activityEndedAt) + ctx.settings.nextStepActivityDelayHours * HOUR,
    key: `nextstep:${d.nextStepChangedAt ?? 'never'}`,
  }),
  associated: (ctx, d) => ctx.refs('deals', d.id, ['contacts', 'companies']),
  reason: (ctx, f, rec) =>
    `An activity on ${rec.label} ended on ${when(ctx, f.activityEndedAt)} and the next step has not been updated since.`,
  links: (ctx, d) => dealLinks(ctx, d, 'Update next step'),
});

const addContactToDeal = defineRule<Deal>({
  id: 'ADD_CONTACT_TO_DEAL',
  number: 16,
  title: 'Add a contact to the deal',
  forEach: 'deals',
  grouping: 'none',
  category: 'deal',
  snapshot: false,
  urgencyTier: 4,
  candidates: (ctx) => ctx.input.deals,
  criteria: [
    assigned<Deal>(),
    dealOpen,
    dealOlderThan,
    {
      id: 'noContact',
      label: 'the deal has no associated contact',
      test: (ctx, d) => {
        const n = ctx.assoc('deals', d.id, 'contacts').length;
        return n === 0 ? ok({ associatedContacts: 0 }) : no({ associatedContacts: n });
      },
    },
  ],
  expiries: [
    { id: 'reassigned', label: 'the deal is reassigned', kind: 'criterion', criterion: 'assigned' },
    { id: 'closed', label: 'the deal closes', kind: 'criterion', criterion: 'open' },
    { id: 'contactAssociated', label: 'a contact is associated', kind: 'criterion', criterion: 'noContact' },
    { id: 'age', label: 'the action is more than 7 days old', kind: 'age', maxAge: (s) => s.dealActionMaxAgeDays * DAY },
  ],
  record: (ctx, d) => ctx.ref('deals', d.id),
  occurrence: (ctx, d) => ({ at: d.createdAt + ctx.settings.dealMinAgeDays * DAY, key: `created:${d.createdAt}` }),
  associated: (ctx, d) => ctx.refs('deals', d.id, ['companies']),
  reason: (ctx, f, rec) => `${rec.label} was created on ${when(ctx, f.dealCreatedAt)} and has no contact yet.`,
  links: (ctx, d) => dealLinks(ctx, d, 'Add a contact'),
});

const initialOutreachNeeded = defineRule<Deal>({
  id: 'INITIAL_OUTREACH_NEEDED',
  number: 17,
  title: 'Initial outreach needed',
  forEach: 'deals',
  grouping: 'none',
  category: 'deal',
  snapshot: false,
  urgencyTier: 4,
  candidates: (ctx) => ctx.input.deals,
  criteria: [
    assigned<Deal>(),
    {
      id: 'firstStage',
      label: 'the deal is in the first stage of its pipeline',
      test: (ctx, d) => (ctx.isDealFirstStage(d) ? ok({ dealStage: d.stageId }) : no({ dealStage: d.stageId })),
    },
    dealOpen,
    dealOlderThan,
    {
      id: 'noEngagement',
      label: 'no associated engagement (call, email, meeting, note or task)',
      test: (ctx, d) => {
        let n = 0;
        for (const t of ['calls', 'emails', 'meetings', 'notes', 'tasks'] as const) n += ctx.assoc('deals', d.id, t).length;
        return n === 0 ? ok({ associatedEngagements: 0 }) : no({ associatedEngagements: n });
      },
    },
  ],
  expiries: [
    { id: 'reassigned', label: 'the deal is reassigned', kind: 'criterion', criterion: 'assigned' },
    { id: 'closed', label: 'the deal closes', kind: 'criterion', criterion: 'open' },
    { id: 'engagementAssociated', label: 'an engagement gets associated', kind: 'criterion', criterion: 'noEngagement' },
    { id: 'age', label: 'the action is more than 7 days old', kind: 'age', maxAge: (s) => s.dealActionMaxAgeDays * DAY },
  ],
  record: (ctx, d) => ctx.ref('deals', d.id),
  occurrence: (ctx, d) => ({ at: d.createdAt + ctx.settings.dealMinAgeDays * DAY, key: `created:${d.createdAt}` }),
  associated: (ctx, d) => ctx.refs('deals', d.id, ['contacts', 'companies']),
  reason: (ctx, f, rec) => `${rec.label} was created on ${when(ctx, f.dealCreatedAt)} and has no activity yet.`,
  links: (ctx, d, associated) => [
    ...dealLinks(ctx, d, 'Reach out'),
    ...firstRefLink(ctx, associated, ['contacts'], 'Open'),
  ],
});

const buyerFollowUp = defineRule<Deal>({
  id: 'BUYER_FOLLOW_UP',
  number: 18,
  title: 'Buyer follow-up',
  forEach: 'deals',
  grouping: 'none',
  category: 'deal',
  snapshot: false,
  urgencyTier: 2,
  candidates: (ctx) => ctx.input.deals,
  criteria: [
    assigned<Deal>(),
    dealOpen,
    {
      id: 'openedNoReply',
      label: 'an associated contact opened an email from you but has not replied 7 days later',
      test: (ctx, d) => {
        const window = ctx.settings.buyerNoReplyDays * DAY;
        let best: { email: Email; contact: Contact } | null = null;
        for (const cid of ctx.assoc('deals', d.id, 'contacts')) {
          const contact = ctx.ids.contacts.get(cid);
          if (!contact) continue;
          const emails = ctx.emailsOf('contacts', cid);
          for (const e of emails) {
            if (!ctx.isOutgoingFromRep(e) || !(e.openCount && e.openCount > 0) || (e.replyCount ?? 0) > 0) continue;
            if (e.sentAt > ctx.now - window) continue;
            const replied = emails.some(
              (x) => x.direction === 'INCOMING_EMAIL' && x.sentAt > e.sentAt && x.sentAt <= e.sentAt + window &&
                (x.fromEmail === null || contact.email === null || x.fromEmail.toLowerCase() === contact.email.toLowerCase()),
            );
            if (!replied && (!best || e.sentAt > best.email.sentAt)) best = { email: e, contact };
          }
        }
        if (!best) return no();
        return ok(
          {
            buyerContactId: best.contact.id,
            openedEmailId: best.email.id,
            emailSentAt: ctx.iso(best.email.sentAt),
            openCount: best.email.openCount,
          },
          [A.opened],
        );
      },
    },
  ],
  expiries: [
    {
      id: 'contactReplied',
      label: 'an associated contact replies',
      kind: 'event',
      fired: (ctx, d, { startedAt }) => {
        for (const cid of ctx.assoc('deals', d.id, 'contacts'))
          for (const e of ctx.emailsOf('contacts', cid))
            if (e.direction === 'INCOMING_EMAIL' && e.sentAt > startedAt && e.sentAt <= ctx.now)
              return { at: e.sentAt, facts: { repliedBy: cid, repliedAt: ctx.iso(e.sentAt) } };
        return null;
      },
    },
    { id: 'age', label: 'the action is more than 7 days old', kind: 'age', maxAge: (s) => s.buyerFollowUpMaxAgeDays * DAY },
    { id: 'reassigned', label: 'the deal is reassigned', kind: 'criterion', criterion: 'assigned' },
    { id: 'closed', label: 'the deal closes', kind: 'criterion', criterion: 'open' },
  ],
  record: (ctx, d) => ctx.ref('deals', d.id),
  occurrence: (ctx, _d, f) => ({
    at: ms(f.emailSentAt) + ctx.settings.buyerNoReplyDays * DAY,
    key: `email:${String(f.openedEmailId)}`,
  }),
  associated: (ctx, d) => ctx.refs('deals', d.id, ['contacts', 'companies']),
  reason: (ctx, f, rec) =>
    `${ctx.label('contacts', String(f.buyerContactId))} opened your email of ${when(ctx, f.emailSentAt)} about ${rec.label} and has not replied.`,
  links: (ctx, d, _associated, f) => {
    const buyer = String(f.buyerContactId);
    return [
      { label: `Follow up with ${ctx.label('contacts', buyer)}`, href: recordUrl(ctx.input.portal, 'contacts', buyer) },
      ...dealLinks(ctx, d),
    ];
  },
});

/** All 18 rules, in the rule book's order. */
export const RULES: readonly Rule[] = [
  newlyAssignedContact,
  newlyAssignedLead,
  reengagedContact,
  sequenceActivity,
  emailReply,
  meetingFollowUp,
  logCallOutcome,
  contactAwaitingReply,
  replyToEmail,
  leadAwaitingReply,
  prepareForMeeting,
  priorityTasksToday,
  targetAccountActivity,
  recentlyEngagedLead,
  updateNextSteps,
  addContactToDeal,
  initialOutreachNeeded,
  buyerFollowUp,
];
