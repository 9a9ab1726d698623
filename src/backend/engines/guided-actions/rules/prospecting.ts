// The prospecting rules of the rule book (category "prospecting"), as data.
import { DateTime } from 'luxon';
import { DAY } from '../context';
import type { Contact, Lead, Task } from '../input';
import { recordUrl, sequencesUrl, taskListUrl, taskUrl } from '../links';
import { defineGroupRule, defineRule } from '../rule-definition';
import {
  A,
  activitiesOf,
  type Activity,
  type ActivityTime,
  ageExpiry,
  assigned,
  assignedSince,
  assuming,
  contactReplied,
  latestLead,
  latestSignalWithin,
  leadAddress,
  no,
  noOpenLead,
  ok,
  otherDomain,
  perEvaluation,
  reassignedAfter,
  reassignedExpiry,
  repliedToYouAsPrimary,
  TASK_COMPLETED,
} from './criteria';
import { contactLinks, contactRecord, firstRefLink, ms, replyOccurrence, when } from './presentation';

/** Rule 12: today in the rep's time zone. */
const today = perEvaluation((ctx) => {
  const d = DateTime.fromMillis(ctx.now, { zone: ctx.tz }).startOf('day');
  return { start: d.toMillis(), end: d.plus({ days: 1 }).toMillis(), date: d.toISODate() ?? '' };
});

export const newlyAssignedContact = defineRule({
  id: 'NEWLY_ASSIGNED_CONTACT',
  number: 1,
  title: 'Newly assigned contacts',
  forEach: 'contacts',
  category: 'prospecting',
  urgencyTier: 4,
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
    reassignedExpiry('the contact is reassigned'),
    { id: 'finalLifecycle', label: 'the contact reaches the final lifecycle stage', kind: 'criterion', criterion: 'notFinalLifecycle' },
    { id: 'dealAssociated', label: 'a deal is associated', kind: 'criterion', criterion: 'noDeal' },
    { id: 'youEmailed', label: 'you email the contact', kind: 'criterion', criterion: 'noFollowUpEmail' },
    { id: 'theyEmailed', label: 'the contact emails you', kind: 'criterion', criterion: 'notEmailedYou' },
    ageExpiry('the action is 30 days old', 'newlyAssignedMaxAgeDays'),
  ],
  record: contactRecord,
  occurrence: (_ctx, c) => ({ at: c.ownerAssignedAt, key: `assigned:${c.ownerAssignedAt ?? 'unknown'}` }),
  associated: (ctx, c) => ctx.refs('contacts', c.id, ['companies']),
  reason: (ctx, f, rec) =>
    f.assignedAt
      ? `${rec.label} was assigned to you on ${when(ctx, f.assignedAt)} and has had no email from you yet.`
      : `${rec.label} is assigned to you and has had no email from you yet.`,
  links: (ctx, c) => [{ label: 'Enrol in a sequence', href: sequencesUrl(ctx.input.portal) }, ...contactLinks(ctx, c)],
});

/** Rule 2: when each activity was logged on the lead (a meeting when it was booked). */
const LOGGED_AT: readonly ActivityTime[] = [
  { type: 'calls', at: (_ctx, c) => c.startedAt },
  { type: 'emails', at: (_ctx, e) => e.sentAt },
  { type: 'meetings', at: (_ctx, m) => m.createdAt },
  { type: 'notes', at: (_ctx, n) => n.at },
  TASK_COMPLETED,
];

export const newlyAssignedLead = defineRule({
  id: 'NEWLY_ASSIGNED_LEAD',
  number: 2,
  title: 'Newly assigned leads',
  forEach: 'leads',
  category: 'prospecting',
  urgencyTier: 4,
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
    reassignedExpiry('the lead is reassigned to another user'),
    { id: 'stageMoved', label: 'the lead leaves the first stage', kind: 'criterion', criterion: 'firstStage' },
    ageExpiry('the action is 30 days old', 'newlyAssignedMaxAgeDays'),
    {
      id: 'activityLogged',
      label: 'you log an activity (call, email, meeting, note, task completed) on the lead',
      kind: 'event',
      fired: (ctx, l, { startedAt }) => {
        let first: Activity | null = null;
        for (const a of activitiesOf(ctx, 'leads', l.id, LOGGED_AT))
          if (a.at >= startedAt && a.at <= ctx.now && ctx.isRep(a.ownerId) && (!first || a.at < first.at)) first = a;
        return first ? { at: first.at, facts: { activity: `${first.type}:${first.id}`, activityAt: ctx.iso(first.at) } } : null;
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

export const reengagedContact = defineRule({
  id: 'REENGAGED_CONTACT',
  number: 3,
  title: 'Re-engaged contacts',
  forEach: 'contacts',
  category: 'prospecting',
  urgencyTier: 3,
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
    reassignedExpiry('the contact is reassigned'),
    { id: 'leadOpened', label: 'an open lead exists for the contact', kind: 'criterion', criterion: 'noOpenLead' },
    { id: 'newLead', label: 'a new lead is created for the contact', kind: 'criterion', criterion: 'latestLeadDisqualified' },
    { id: 'window', label: 'more than 30 days since the re-engagement', kind: 'criterion', criterion: 'reengaged' },
  ],
  record: contactRecord,
  occurrence: (ctx, _c, f) => ({
    at: ms(f.reengagedAt),
    key: `reengaged:${f.disqualifiedLeadId}:${f.reengagedAt}`,
    deadline: ms(f.reengagedAt) + ctx.settings.reengagementWindowDays * DAY,
  }),
  associated: (ctx, c) => ctx.refs('contacts', c.id, ['companies']),
  reason: (ctx, f, rec) =>
    `${rec.label} engaged again on ${when(ctx, f.reengagedAt)} after their lead was disqualified on ${when(ctx, f.disqualifiedAt)}.`,
  links: (ctx, c) => [...contactLinks(ctx, c), { label: 'Enrol in a sequence', href: sequencesUrl(ctx.input.portal) }],
});

export const sequenceActivity = defineRule({
  id: 'SEQUENCE_ACTIVITY',
  number: 4,
  title: 'Sequence activity',
  forEach: 'tasks',
  category: 'prospecting',
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
    reassignedExpiry('the task is reassigned'),
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

export const emailReply = defineRule({
  id: 'EMAIL_REPLY',
  number: 5,
  title: 'Email replies',
  forEach: 'contacts',
  category: 'prospecting',
  urgencyTier: 1,
  criteria: [assigned<Contact>(), contactReplied('the contact replied to an email you sent')],
  expiries: [
    { id: 'youEmailed', label: 'you send the contact an email after the action was created', kind: 'criterion', criterion: 'replied' },
    reassignedExpiry('the contact is reassigned'),
    ageExpiry('the action is 14 days old', 'emailReplyMaxAgeDays'),
  ],
  record: contactRecord,
  occurrence: (_ctx, _r, f) => replyOccurrence(f),
  associated: (ctx, c) => ctx.refs('contacts', c.id, ['companies']),
  reason: (ctx, f, rec) => `${rec.label} replied on ${when(ctx, f.repliedAt)} and you have not replied since.`,
  links: (ctx, c) => contactLinks(ctx, c, 'Reply to'),
});

export const contactAwaitingReply = defineRule({
  id: 'CONTACT_AWAITING_REPLY',
  number: 8,
  title: 'Contacts awaiting your reply',
  forEach: 'contacts',
  category: 'prospecting',
  urgencyTier: 1,
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
    ageExpiry('the action is more than 14 days old', 'awaitingReplyMaxAgeDays'),
    { id: 'youEmailed', label: 'you send the contact an email', kind: 'criterion', criterion: 'repliedToYou' },
    { id: 'leadOpened', label: 'an open lead exists for the contact', kind: 'criterion', criterion: 'noOpenLead' },
  ],
  record: contactRecord,
  occurrence: (_ctx, _r, f) => replyOccurrence(f),
  associated: (ctx, c) => ctx.refs('contacts', c.id, ['companies']),
  reason: (ctx, f, rec) => `${rec.label} wrote to you on ${when(ctx, f.repliedAt)} and you have not replied since.`,
  links: (ctx, c) => contactLinks(ctx, c, 'Reply to'),
});

export const leadAwaitingReply = defineRule({
  id: 'LEAD_AWAITING_REPLY',
  number: 10,
  title: 'Leads awaiting your reply',
  forEach: 'leads',
  category: 'prospecting',
  urgencyTier: 1,
  criteria: [
    assigned<Lead>('the lead is owned by you (inferred)', [A.leadOwned]),
    {
      id: 'repliedToYou',
      label: 'the lead replied to an email whose primary recipient is you',
      test: (ctx, l) => assuming(repliedToYouAsPrimary(ctx, ctx.leadEmails(l), leadAddress(ctx, l)), A.leadEmails),
    },
    {
      id: 'otherDomain',
      label: "the lead's email domain is not yours",
      test: (ctx, l) => otherDomain(ctx, leadAddress(ctx, l), [A.leadDomain]),
    },
  ],
  expiries: [
    reassignedExpiry('the lead is reassigned'),
    ageExpiry('the action is more than 14 days old', 'awaitingReplyMaxAgeDays'),
    { id: 'youEmailed', label: 'you send the lead an email', kind: 'criterion', criterion: 'repliedToYou' },
  ],
  record: (ctx, l) => ctx.ref('leads', l.id),
  occurrence: (_ctx, _r, f) => replyOccurrence(f),
  associated: (ctx, l) => ctx.refs('leads', l.id, ['contacts', 'companies']),
  reason: (ctx, f, rec) => `Lead ${rec.label} wrote to you on ${when(ctx, f.repliedAt)} and you have not replied since.`,
  links: (ctx, l) => [{ label: 'Reply to lead', href: recordUrl(ctx.input.portal, 'leads', l.id) }],
});

export const priorityTasksToday = defineGroupRule({
  id: 'PRIORITY_TASKS_TODAY',
  number: 12,
  title: "Today's priority tasks",
  forEach: 'tasks',
  category: 'prospecting',
  urgencyTier: 0,
  criteria: [
    assigned<Task>('the task is yours'),
    {
      id: 'highPriority',
      label: 'the task has priority HIGH',
      test: (ctx, t) =>
        t.priority !== null && ctx.settings.priorityTaskLevels.includes(t.priority)
          ? ok({ priority: t.priority })
          : no({ priority: t.priority }),
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
        const holds = t.isAllDay ? new Date(t.dueAt).toISOString().slice(0, 10) === day.date : t.dueAt >= day.start && t.dueAt < day.end;
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

export const targetAccountActivity = defineRule({
  id: 'TARGET_ACCOUNT_ACTIVITY',
  number: 13,
  title: 'Target account activity',
  forEach: 'contacts',
  category: 'prospecting',
  urgencyTier: 3,
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
    key: `engaged:${f.engagedAt}`,
    deadline: ms(f.engagedAt) + ctx.settings.targetAccountEngagedDays * DAY,
  }),
  associated: (ctx, c) => ctx.refs('contacts', c.id, ['companies']),
  reason: (ctx, f, rec) => {
    const company = ctx.label('companies', f.targetCompanyIds[0]!);
    return `${rec.label} at target account ${company} engaged on ${when(ctx, f.engagedAt)}.`;
  },
  links: (ctx, c, associated) => [...contactLinks(ctx, c), ...firstRefLink(ctx, associated, ['companies'], 'Open')],
});

export const recentlyEngagedLead = defineRule({
  id: 'RECENTLY_ENGAGED_LEAD',
  number: 14,
  title: 'Recently engaged leads',
  forEach: 'leads',
  category: 'prospecting',
  urgencyTier: 3,
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
      test: (ctx, l) => assuming(latestSignalWithin(ctx, ctx.leadSignals(l), ctx.settings.recentlyEngagedLeadDays * DAY), A.leadEmails),
    },
  ],
  expiries: [
    { id: 'window', label: 'more than 7 days since the engagement', kind: 'criterion', criterion: 'engaged' },
    reassignedExpiry('the lead is reassigned'),
    { id: 'closed', label: 'the lead is qualified or disqualified', kind: 'criterion', criterion: 'open' },
  ],
  record: (ctx, l) => ctx.ref('leads', l.id),
  occurrence: (ctx, _l, f) => ({
    at: ms(f.engagedAt),
    key: `engaged:${f.engagedAt}`,
    deadline: ms(f.engagedAt) + ctx.settings.recentlyEngagedLeadDays * DAY,
  }),
  associated: (ctx, l) => ctx.refs('leads', l.id, ['contacts', 'companies']),
  reason: (ctx, f, rec) => `Lead ${rec.label} engaged on ${when(ctx, f.engagedAt)}.`,
  links: (ctx, l) => [{ label: 'Open lead', href: recordUrl(ctx.input.portal, 'leads', l.id) }],
});
