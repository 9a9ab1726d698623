import { describe, expect, it } from 'vitest';
import { buildDefaultProfile, type PortalCapabilities } from './default-profile';
import { profileSchema } from './profile';
import { scoreRecord } from './score';
import { daysAgo, daysAhead, makeRecord, meeting, NOW } from './test-factories';

const none: PortalCapabilities = { hasEngagements: false, hasTickets: false, hasDeals: false, hasCsmSentiment: false };
const all: PortalCapabilities = {
  hasEngagements: true,
  hasTickets: true,
  hasDeals: true,
  hasCsmSentiment: true,
  renewalDateProperty: 'renewal_date',
  npsProperty: 'nps_score',
};

describe('the default profile always adds up to 100', () => {
  it.each<[string, PortalCapabilities, string[]]>([
    ['a portal with everything', all, ['engagement', 'support', 'deals', 'renewal', 'csm-sentiment', 'nps']],
    ['a portal with nothing but records', none, ['engagement']],
    ['engagements only', { ...none, hasEngagements: true }, ['engagement']],
    ['engagements and tickets', { ...none, hasEngagements: true, hasTickets: true }, ['engagement', 'support']],
    ['tickets and deals without engagements', { ...none, hasTickets: true, hasDeals: true }, ['engagement', 'support', 'deals']],
    [
      'a renewal date and sentiment',
      { ...none, hasEngagements: true, renewalDateProperty: 'contract_end', hasCsmSentiment: true },
      ['engagement', 'renewal', 'csm-sentiment'],
    ],
    ['an NPS property only', { ...none, npsProperty: 'nps' }, ['engagement', 'nps']],
    ['contacts with deals', { ...none, objectType: 'contacts', hasEngagements: true, hasDeals: true }, ['engagement', 'deals']],
  ])('%s', (_name, capabilities, groupIds) => {
    const profile = buildDefaultProfile(capabilities);
    expect(profile.groups.map((g) => g.id)).toEqual(groupIds);
    expect(profile.groups.reduce((sum, g) => sum + g.maxPoints, 0)).toBe(100);
    expect(profile.groups.every((g) => Number.isInteger(g.maxPoints) && g.maxPoints > 0)).toBe(true);
    expect(profileSchema.safeParse(profile).success).toBe(true);
  });

  it('every combination of capabilities gives a valid profile', () => {
    for (let mask = 0; mask < 64; mask += 1) {
      const bit = (i: number) => (mask & (1 << i)) !== 0;
      const profile = buildDefaultProfile({
        hasEngagements: bit(0),
        hasTickets: bit(1),
        hasDeals: bit(2),
        hasCsmSentiment: bit(3),
        renewalDateProperty: bit(4) ? 'renewal_date' : null,
        npsProperty: bit(5) ? 'nps' : null,
      });
      expect(profile.groups.reduce((sum, g) => sum + g.maxPoints, 0)).toBe(100);
    }
  });

  it('without engagement history it falls back to notes_last_contacted', () => {
    const profile = buildDefaultProfile(none);
    expect(profile.groups[0]?.criteria[0]).toMatchObject({ kind: 'daysSince', property: 'notes_last_contacted' });
  });
});

describe('the default profile gives useful scores', () => {
  const profile = buildDefaultProfile(all);

  it('a well-engaged customer with no problems is Good', () => {
    const record = makeRecord({
      properties: { renewal_date: daysAhead(200), hs_csm_sentiment: 'GOOD', nps_score: 9 },
      engagements: [
        meeting(5),
        { type: 'EMAIL', direction: 'INCOMING', timestamp: daysAgo(2) },
        ...[1, 3, 5, 8, 13].map((d) => ({ type: 'CALL' as const, timestamp: daysAgo(d) })),
      ],
      tickets: [],
      deals: [{ open: true }, { open: false, wonAt: daysAgo(100) }],
    });
    const result = scoreRecord(profile, record, NOW);
    expect(result.category).toBe('GOOD');
    expect(result.score).toBe(100);
  });

  it('a silent customer with open tickets and a negative CSM is At risk, and says why', () => {
    const record = makeRecord({
      properties: { renewal_date: daysAhead(20), hs_csm_sentiment: 'AT_RISK', nps_score: 4 },
      engagements: [meeting(120)],
      tickets: [1, 2, 3].map((d) => ({ createdAt: daysAgo(40 + d), closed: false })),
      deals: [{ open: false, lostAt: daysAgo(10) }],
    });
    const result = scoreRecord(profile, record, NOW);
    expect(result.category).toBe('AT_RISK');
    expect(result.criteria.map((c) => c.reason)).toEqual(
      expect.arrayContaining([
        'no meeting in 90 days',
        '3 open tickets',
        'oldest open ticket 43 days old',
        'CSM sentiment: at risk',
        'NPS 4',
      ]),
    );
  });

  it('a customer with no sentiment, NPS or renewal date is scored on the rest', () => {
    const record = makeRecord({ engagements: [meeting(5)], tickets: [], deals: [] });
    const result = scoreRecord(profile, record, NOW);
    expect(result.coverage).toBe(0.7);
    expect(result.criteria.filter((c) => c.noData).map((c) => c.id)).toEqual(['days-to-renewal', 'csm-sentiment', 'nps']);
  });
});
