import { describe, expect, it } from 'vitest';
import { compileCriterion } from './criteria';
import type { HealthInputRecord } from './record';
import { criterion, daysAgo, daysAhead, makeRecord, meeting, NOW } from './test-factories';

type Row = [string, Record<string, unknown>, Partial<HealthInputRecord>, { points: number; noData: boolean; reason?: string }];

const evaluate = (c: Record<string, unknown>, r: Partial<HealthInputRecord>) => compileCriterion(criterion(c)).evaluate(makeRecord(r), NOW);

const target = {
  kind: 'property',
  label: 'Target account',
  filter: { propertyName: 'hs_is_target_account', operator: 'EQ', value: 'true' },
  matchPoints: 10,
  noMatchPoints: -5,
};
const meetingRecency = {
  kind: 'engagementRecency',
  label: 'Last meeting',
  types: ['MEETING'],
  windowDays: 60,
  ignoreOutcomes: ['CANCELED'],
  bands: [
    { max: 15, points: 20 },
    { min: 15, points: 10 },
  ],
  noneInWindowPoints: -15,
};
const emailsIn = {
  kind: 'engagementCount',
  types: ['EMAIL'],
  direction: 'INCOMING',
  windowDays: 30,
  bands: [
    { max: 1, points: 0 },
    { min: 1, max: 3, points: 5 },
    { min: 3, points: 10 },
  ],
};
const openTickets = {
  kind: 'openTickets',
  bands: [
    { max: 1, points: 20 },
    { min: 1, max: 3, points: 10 },
    { min: 3, points: -10 },
  ],
};
const ticketAge = {
  kind: 'ticketAge',
  bands: [
    { max: 30, points: 0 },
    { min: 30, points: -10 },
  ],
  noOpenTicketPoints: 5,
};
const deals = (measure: string) => ({
  kind: 'deals',
  measure,
  windowDays: 90,
  bands: [
    { max: 1, points: 0 },
    { min: 1, points: measure === 'lost' ? -8 : 8 },
  ],
});
const renewal = {
  kind: 'renewal',
  property: 'renewal_date',
  bands: [
    { max: 0, points: -10 },
    { min: 0, max: 31, points: 2 },
    { min: 31, points: 10 },
  ],
};
const lastContacted = {
  kind: 'daysSince',
  label: 'Last contacted',
  property: 'notes_last_contacted',
  bands: [
    { max: 30, points: 10 },
    { min: 30, points: 0 },
  ],
};
const sentiment = { kind: 'sentiment', label: 'CSM sentiment', points: { GOOD: 10, NEUTRAL: 5, AT_RISK: -10 } };
const nps = {
  kind: 'nps',
  label: 'NPS',
  property: 'nps',
  bands: [
    { max: 7, points: 0 },
    { min: 7, max: 9, points: 5 },
    { min: 9, points: 10 },
  ],
};

describe('every criterion kind returns points, the facts and a reason', () => {
  it.each<Row>([
    [
      'a matching property condition earns its match points',
      target,
      { properties: { hs_is_target_account: true } },
      { points: 10, noData: false, reason: 'target account' },
    ],
    [
      'a property condition that does not match earns its no-match points',
      target,
      { properties: { hs_is_target_account: 'false' } },
      { points: -5, noData: false, reason: 'not target account' },
    ],
    ['a property condition on an unset property has no data', target, { properties: {} }, { points: 0, noData: true }],
    [
      'NOT_HAS_PROPERTY on an unset property matches instead of lacking data',
      { ...target, filter: { propertyName: 'x', operator: 'NOT_HAS_PROPERTY' } },
      {},
      { points: 10, noData: false },
    ],
    [
      'a recent meeting earns the first recency band',
      meetingRecency,
      { engagements: [meeting(3), meeting(20)] },
      { points: 20, noData: false, reason: 'last meeting 3 days ago' },
    ],
    [
      'an older meeting earns the second band',
      meetingRecency,
      { engagements: [meeting(40)] },
      { points: 10, noData: false, reason: 'last meeting 40 days ago' },
    ],
    [
      'no meeting in the window earns the none points',
      meetingRecency,
      { engagements: [meeting(61)] },
      { points: -15, noData: false, reason: 'no meeting in 60 days' },
    ],
    ['a canceled meeting does not count', meetingRecency, { engagements: [meeting(2, 'canceled')] }, { points: -15, noData: false }],
    [
      'a meeting scheduled in the future does not count yet',
      meetingRecency,
      { engagements: [meeting(-5)] },
      { points: -15, noData: false },
    ],
    [
      'engagements not loaded is no data',
      meetingRecency,
      { engagements: undefined },
      { points: 0, noData: true, reason: 'no engagement data' },
    ],
    [
      'incoming emails in the window are counted by band',
      emailsIn,
      {
        engagements: [
          { type: 'EMAIL', direction: 'INCOMING', timestamp: daysAgo(1) },
          { type: 'EMAIL', direction: 'INCOMING', timestamp: daysAgo(2) },
          { type: 'EMAIL', direction: 'OUTGOING', timestamp: daysAgo(2) },
          { type: 'EMAIL', direction: 'INCOMING', timestamp: daysAgo(31) },
        ],
      },
      { points: 5, noData: false, reason: '2 emails from the customer in the last 30 days' },
    ],
    [
      'zero engagements is a count, not missing data',
      emailsIn,
      { engagements: [] },
      { points: 0, noData: false, reason: 'no emails from the customer in the last 30 days' },
    ],
    [
      'no open tickets earns the first band',
      openTickets,
      { tickets: [{ createdAt: daysAgo(5), closed: true }] },
      { points: 20, noData: false, reason: 'no open tickets' },
    ],
    [
      'three open tickets earn the penalty band',
      openTickets,
      { tickets: [1, 2, 3].map((d) => ({ createdAt: daysAgo(d), closed: false })) },
      { points: -10, noData: false, reason: '3 open tickets' },
    ],
    ['tickets not loaded is no data', openTickets, { tickets: undefined }, { points: 0, noData: true }],
    [
      'an old open ticket is penalised by age',
      ticketAge,
      {
        tickets: [
          { createdAt: daysAgo(45), closed: false },
          { createdAt: daysAgo(2), closed: false },
        ],
      },
      { points: -10, noData: false, reason: 'oldest open ticket 45 days old' },
    ],
    [
      'no open ticket earns the no-open-ticket points',
      ticketAge,
      { tickets: [{ createdAt: daysAgo(45), closed: true }] },
      { points: 5, noData: false },
    ],
    [
      'open deals are counted',
      deals('open'),
      { deals: [{ open: true }, { open: false, wonAt: daysAgo(10) }] },
      { points: 8, noData: false, reason: '1 open deal' },
    ],
    [
      'a deal won in the window counts',
      deals('won'),
      { deals: [{ open: false, wonAt: daysAgo(10) }] },
      { points: 8, noData: false, reason: '1 deal won in the last 90 days' },
    ],
    [
      'a deal won before the window does not',
      deals('won'),
      { deals: [{ open: false, wonAt: daysAgo(100) }] },
      { points: 0, noData: false, reason: 'no deal won in the last 90 days' },
    ],
    [
      'a deal lost in the window is penalised',
      deals('lost'),
      { deals: [{ open: false, lostAt: daysAgo(3) }] },
      { points: -8, noData: false, reason: '1 deal lost in the last 90 days' },
    ],
    ['deals not loaded is no data', deals('open'), { deals: undefined }, { points: 0, noData: true }],
    [
      'a distant renewal earns the top band',
      renewal,
      { properties: { renewal_date: daysAhead(120) } },
      { points: 10, noData: false, reason: 'renewal in 120 days' },
    ],
    [
      'a near renewal earns the near band',
      renewal,
      { properties: { renewal_date: daysAhead(10) } },
      { points: 2, noData: false, reason: 'renewal in 10 days' },
    ],
    [
      'a date-only renewal dated tomorrow is 1 day away',
      renewal,
      { properties: { renewal_date: Date.parse('2026-03-16') } },
      { points: 2, noData: false, reason: 'renewal in 1 day' },
    ],
    [
      'a date-only renewal dated today is day 0',
      renewal,
      { properties: { renewal_date: Date.parse('2026-03-15') } },
      { points: 2, noData: false, reason: 'renewal today' },
    ],
    [
      'a lapsed renewal earns the negative band',
      renewal,
      { properties: { renewal_date: daysAgo(5) } },
      { points: -10, noData: false, reason: 'renewal 5 days ago' },
    ],
    ['no renewal date is no data', renewal, { properties: {} }, { points: 0, noData: true, reason: 'no renewal date' }],
    [
      'days since a date property are banded',
      lastContacted,
      { properties: { notes_last_contacted: daysAgo(12) } },
      { points: 10, noData: false, reason: 'last contacted 12 days ago' },
    ],
    ['an unset date property is no data', lastContacted, { properties: { notes_last_contacted: null } }, { points: 0, noData: true }],
    [
      'CSM sentiment maps values to points',
      sentiment,
      { properties: { hs_csm_sentiment: 'GOOD' } },
      { points: 10, noData: false, reason: 'CSM sentiment: good' },
    ],
    [
      'CSM sentiment matches values whatever their case and separators',
      sentiment,
      { properties: { hs_csm_sentiment: 'At-risk' } },
      { points: -10, noData: false },
    ],
    [
      'a CSM sentiment value without points is no data',
      sentiment,
      { properties: { hs_csm_sentiment: 'MEH' } },
      { points: 0, noData: true },
    ],
    ['no CSM sentiment is no data', sentiment, { properties: {} }, { points: 0, noData: true }],
    ['a promoter NPS earns the top band', nps, { properties: { nps: 9 } }, { points: 10, noData: false, reason: 'NPS 9' }],
    ['a passive NPS earns the middle band', nps, { properties: { nps: 8 } }, { points: 5, noData: false }],
    ['a detractor NPS earns nothing', nps, { properties: { nps: 6 } }, { points: 0, noData: false }],
    ['an NPS stored as a numeric string still counts', nps, { properties: { nps: '10' } }, { points: 10, noData: false }],
    ['no NPS is no data', nps, { properties: { nps: null } }, { points: 0, noData: true }],
  ])('%s', (_name, c, record, expected) => {
    const result = evaluate(c, record);
    expect(result.points).toBe(expected.points);
    expect(result.noData).toBe(expected.noData);
    if (expected.reason) expect(result.reason).toBe(expected.reason);
    expect(result.facts).toBeTypeOf('object');
  });
});

describe('criteria explain themselves with facts', () => {
  it('an engagement recency criterion gives the date and days of the last engagement', () => {
    const result = evaluate(meetingRecency, { engagements: [meeting(3)] });
    expect(result.facts).toMatchObject({
      types: ['MEETING'],
      windowDays: 60,
      daysSince: 3,
      lastAt: daysAgo(3),
      band: { max: 15, points: 20 },
    });
  });

  it('a value that falls in no band earns 0 points and says so', () => {
    const result = evaluate({ ...nps, bands: [{ min: 9, points: 10 }] }, { properties: { nps: 3 } });
    expect(result).toMatchObject({ points: 0, noData: false, facts: { band: null, value: 3 } });
  });
});

describe('the most a criterion can add', () => {
  it.each<[string, Record<string, unknown>, number]>([
    ['the best band', openTickets, 20],
    ['the none points when they beat every band', { ...meetingRecency, bands: [{ points: 1 }], noneInWindowPoints: 4 }, 4],
    ['the best of match and no-match points', target, 10],
    ['never less than 0 when every outcome is a penalty', { ...ticketAge, noOpenTicketPoints: -1 }, 0],
    ['the best sentiment value', sentiment, 10],
  ])('is %s', (_name, c, max) => {
    expect(compileCriterion(criterion(c)).maxPoints).toBe(max);
  });
});
