// The rules about meetings and calls, whose category is "deal" when the record is associated
// with an open deal, else "prospecting" (rules 6, 7, 11), as data.
import { DAY, HOUR, MINUTE } from '../context';
import type { Call, Meeting, Task } from '../input';
import { recordUrl, taskListUrl } from '../links';
import { defineGroupRule, defineRule } from '../rule-definition';
import { A, assigned, no, ok, perEvaluation, reassignedExpiry } from './criteria';
import { firstRefLink, ms, when } from './presentation';

/** Rule 11: the rep's next meeting (the earliest not started more than the grace period ago). */
const nextMeeting = perEvaluation((ctx): Meeting | null => {
  const from = ctx.now - ctx.settings.prepareMeetingGraceMinutes * MINUTE;
  let best: Meeting | null = null;
  for (const m of ctx.input.meetings) {
    if (!ctx.isRep(m.ownerId) || m.startAt <= from) continue;
    if (!best || m.startAt < best.startAt || (m.startAt === best.startAt && m.id < best.id)) best = m;
  }
  return best;
});

export const meetingFollowUp = defineRule({
  id: 'MEETING_FOLLOW_UP',
  number: 6,
  title: 'Follow up on your meeting',
  forEach: 'meetings',
  category: 'dealIfOpenDeal',
  snapshot: true,
  urgencyTier: 2,
  criteria: [
    assigned<Meeting>(),
    {
      id: 'started',
      label: 'the meeting start is in the past',
      test: (ctx, m) => (m.startAt <= ctx.now ? ok({ meetingStartAt: ctx.iso(m.startAt) }) : no({ meetingStartAt: ctx.iso(m.startAt) })),
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
    reassignedExpiry('the meeting is reassigned'),
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

export const logCallOutcome = defineGroupRule({
  id: 'LOG_CALL_OUTCOME',
  number: 7,
  title: 'Log call outcomes',
  forEach: 'calls',
  category: 'dealIfOpenDeal',
  snapshot: true,
  urgencyTier: 2,
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
    reassignedExpiry('the call is reassigned'),
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

export const prepareForMeeting = defineRule({
  id: 'PREPARE_FOR_MEETING',
  number: 11,
  title: 'Prepare for your next meeting',
  forEach: 'meetings',
  category: 'dealIfOpenDeal',
  snapshot: true,
  urgencyTier: 0,
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
    reassignedExpiry('the meeting is reassigned'),
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
