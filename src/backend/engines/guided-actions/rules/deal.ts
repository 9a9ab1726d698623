// The deal rules of the rule book (category "deal"), as data.
import type { ObjectRef } from '../../../contract/api';
import { DAY, HOUR, type Ctx } from '../context';
import type { Contact, Deal, Email } from '../input';
import { recordUrl } from '../links';
import { defineRule, type Occurrence } from '../rule-definition';
import {
  A,
  activitiesOf,
  type Activity,
  type ActivityTime,
  ageExpiry,
  assigned,
  contactReplied,
  DEAL_CLOSED,
  DEAL_REASSIGNED,
  dealOlderThan,
  dealOpen,
  no,
  noneAssociated,
  ok,
  TASK_COMPLETED,
  YOUR_OPEN_DEAL,
} from './criteria';
import { contactLinks, contactRecord, dealLinks, dealRecord, firstRefLink, ms, replyOccurrence, when } from './presentation';

/** Rule 15: when each activity ended (a call after its duration, a meeting at its end). */
const ENDED_AT: readonly ActivityTime[] = [
  { type: 'calls', at: (_ctx, c) => c.startedAt + (c.durationMs ?? 0) },
  { type: 'meetings', at: (_ctx, m) => m.endAt },
  { type: 'emails', at: (_ctx, e) => e.sentAt },
  { type: 'notes', at: (_ctx, n) => n.at },
  TASK_COMPLETED,
];

const ENGAGEMENTS = ['calls', 'emails', 'meetings', 'notes', 'tasks'] as const;

/** Rules 16, 17: the action is 7 days old at most; it starts when the deal turns 7 days old. */
const DEAL_ACTION_AGE = ageExpiry('the action is more than 7 days old', 'dealActionMaxAgeDays');
const agedDeal = (ctx: Ctx, d: Deal): Occurrence => ({
  at: d.createdAt + ctx.settings.dealMinAgeDays * DAY,
  key: `created:${d.createdAt}`,
});

export const replyToEmail = defineRule({
  id: 'REPLY_TO_EMAIL',
  number: 9,
  title: 'Reply to email',
  forEach: 'contacts',
  category: 'deal',
  urgencyTier: 1,
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
    contactReplied('the contact replied to you and you have not replied since'),
  ],
  expiries: [
    { id: 'dealClosed', label: 'the associated deal closes', kind: 'criterion', criterion: 'yourOpenDeal' },
    { id: 'youReplied', label: 'you send a reply', kind: 'criterion', criterion: 'replied' },
    ageExpiry('the action is more than 7 days old', 'replyToEmailMaxAgeDays'),
  ],
  record: contactRecord,
  occurrence: (_ctx, _r, f) => replyOccurrence(f),
  associated: (ctx, c) => {
    const out: ObjectRef[] = [];
    for (const id of ctx.assoc('contacts', c.id, 'deals')) {
      const d = ctx.ids.deals.get(id);
      if (d && ctx.isRep(d.ownerId) && ctx.isDealOpen(d)) out.push(ctx.ref('deals', id));
    }
    return [...out, ...ctx.refs('contacts', c.id, ['companies'])];
  },
  reason: (ctx, f, rec) => `${rec.label} replied on ${when(ctx, f.repliedAt)} and you have not replied since.`,
  links: (ctx, c, associated) => [...contactLinks(ctx, c, 'Reply to'), ...firstRefLink(ctx, associated, ['deals'], 'Open deal')],
});

export const updateNextSteps = defineRule({
  id: 'UPDATE_NEXT_STEPS',
  number: 15,
  title: 'Update next steps',
  forEach: 'deals',
  category: 'deal',
  urgencyTier: 2,
  criteria: [
    ...YOUR_OPEN_DEAL,
    {
      id: 'activitySinceNextStep',
      label: 'an associated activity ended more than 24 hours ago, after the last change of next steps',
      test: (ctx, d) => {
        const after = d.nextStepChangedAt ?? -Infinity;
        const before = ctx.now - ctx.settings.nextStepActivityDelayHours * HOUR;
        let first: Activity | null = null;
        for (const a of activitiesOf(ctx, 'deals', d.id, ENDED_AT))
          if (a.at > after && a.at <= before && (!first || a.at < first.at)) first = a;
        const nextStepChangedAt = d.nextStepChangedAt === null ? null : ctx.iso(d.nextStepChangedAt);
        if (!first) return no({ nextStepChangedAt });
        return ok(
          { activity: `${first.type}:${first.id}`, activityEndedAt: ctx.iso(first.at), nextStepChangedAt, nextStep: d.nextStep },
          d.nextStepChangedAt === null ? [A.nextStepHistory] : [],
        );
      },
    },
  ],
  expiries: [
    DEAL_REASSIGNED,
    DEAL_CLOSED,
    { id: 'nextStepChanged', label: "the deal's next step changes", kind: 'criterion', criterion: 'activitySinceNextStep' },
  ],
  record: dealRecord,
  occurrence: (ctx, d, f) => ({
    at: ms(f.activityEndedAt) + ctx.settings.nextStepActivityDelayHours * HOUR,
    key: `nextstep:${d.nextStepChangedAt ?? 'never'}`,
  }),
  associated: (ctx, d) => ctx.refs('deals', d.id, ['contacts', 'companies']),
  reason: (ctx, f, rec) =>
    `An activity on ${rec.label} ended on ${when(ctx, f.activityEndedAt)} and the next step has not been updated since.`,
  links: (ctx, d) => dealLinks(ctx, d, 'Update next step'),
});

export const addContactToDeal = defineRule({
  id: 'ADD_CONTACT_TO_DEAL',
  number: 16,
  title: 'Add a contact to the deal',
  forEach: 'deals',
  category: 'deal',
  urgencyTier: 4,
  criteria: [
    ...YOUR_OPEN_DEAL,
    dealOlderThan,
    noneAssociated('noContact', 'the deal has no associated contact', ['contacts'], 'associatedContacts'),
  ],
  expiries: [
    DEAL_REASSIGNED,
    DEAL_CLOSED,
    { id: 'contactAssociated', label: 'a contact is associated', kind: 'criterion', criterion: 'noContact' },
    DEAL_ACTION_AGE,
  ],
  record: dealRecord,
  occurrence: (ctx, d) => agedDeal(ctx, d),
  associated: (ctx, d) => ctx.refs('deals', d.id, ['companies']),
  reason: (ctx, f, rec) => `${rec.label} was created on ${when(ctx, f.dealCreatedAt)} and has no contact yet.`,
  links: (ctx, d) => dealLinks(ctx, d, 'Add a contact'),
});

export const initialOutreachNeeded = defineRule({
  id: 'INITIAL_OUTREACH_NEEDED',
  number: 17,
  title: 'Initial outreach needed',
  forEach: 'deals',
  category: 'deal',
  urgencyTier: 4,
  criteria: [
    assigned<Deal>(),
    {
      id: 'firstStage',
      label: 'the deal is in the first stage of its pipeline',
      test: (ctx, d) => (ctx.isDealFirstStage(d) ? ok({ dealStage: d.stageId }) : no({ dealStage: d.stageId })),
    },
    dealOpen,
    dealOlderThan,
    noneAssociated('noEngagement', 'no associated engagement (call, email, meeting, note or task)', ENGAGEMENTS, 'associatedEngagements'),
  ],
  expiries: [
    DEAL_REASSIGNED,
    DEAL_CLOSED,
    { id: 'engagementAssociated', label: 'an engagement gets associated', kind: 'criterion', criterion: 'noEngagement' },
    DEAL_ACTION_AGE,
  ],
  record: dealRecord,
  occurrence: (ctx, d) => agedDeal(ctx, d),
  associated: (ctx, d) => ctx.refs('deals', d.id, ['contacts', 'companies']),
  reason: (ctx, f, rec) => `${rec.label} was created on ${when(ctx, f.dealCreatedAt)} and has no activity yet.`,
  links: (ctx, d, associated) => [...dealLinks(ctx, d, 'Reach out'), ...firstRefLink(ctx, associated, ['contacts'], 'Open')],
});

export const buyerFollowUp = defineRule({
  id: 'BUYER_FOLLOW_UP',
  number: 18,
  title: 'Buyer follow-up',
  forEach: 'deals',
  category: 'deal',
  urgencyTier: 2,
  criteria: [
    ...YOUR_OPEN_DEAL,
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
              (x) =>
                x.direction === 'INCOMING_EMAIL' &&
                x.sentAt > e.sentAt &&
                x.sentAt <= e.sentAt + window &&
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
    ageExpiry('the action is more than 7 days old', 'buyerFollowUpMaxAgeDays'),
    DEAL_REASSIGNED,
    DEAL_CLOSED,
  ],
  record: dealRecord,
  occurrence: (ctx, _d, f) => ({
    at: ms(f.emailSentAt) + ctx.settings.buyerNoReplyDays * DAY,
    key: `email:${f.openedEmailId}`,
  }),
  associated: (ctx, d) => ctx.refs('deals', d.id, ['contacts', 'companies']),
  reason: (ctx, f, rec) =>
    `${ctx.label('contacts', f.buyerContactId)} opened your email of ${when(ctx, f.emailSentAt)} about ${rec.label} and has not replied.`,
  links: (ctx, d, _associated, f) => {
    const buyer = f.buyerContactId;
    return [
      { label: `Follow up with ${ctx.label('contacts', buyer)}`, href: recordUrl(ctx.input.portal, 'contacts', buyer) },
      ...dealLinks(ctx, d),
    ];
  },
});
