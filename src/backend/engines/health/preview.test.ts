import { describe, expect, it } from 'vitest';
import { buildDefaultProfile } from './default-profile';
import { previewProfile } from './preview';
import { profileSchema, type Profile } from './profile';
import { makeRecord, meeting, NOW } from './test-factories';

const base = buildDefaultProfile({ hasEngagements: true, hasTickets: true, hasDeals: false, hasCsmSentiment: false });

const records = [
  makeRecord({ id: 'busy', label: 'Busy Co', engagements: [meeting(5), call(2), call(9)], tickets: [] }),
  makeRecord({ id: 'quiet', label: 'Quiet Co', engagements: [meeting(50)], tickets: [] }),
  makeRecord({ id: 'silent', label: 'Silent Co', engagements: [], tickets: [{ createdAt: NOW, closed: false }] }),
];

function call(days: number) {
  return { type: 'CALL' as const, timestamp: NOW - days * 86_400_000 };
}

const edited = (changes: Partial<Profile>): Profile => profileSchema.parse({ ...base, version: base.version + 1, ...changes });

describe('previewProfile shows what an edit would do before it is saved', () => {
  it('the same profile changes nothing', () => {
    const preview = previewProfile(base, base, records, NOW);
    expect(preview.changed).toEqual([]);
    expect(preview.after).toEqual(preview.before);
  });

  it('stricter thresholds move customers down and list them', () => {
    const preview = previewProfile(base, edited({ thresholds: { atRiskBelow: 60, goodFrom: 90 } }), records, NOW);
    expect(preview.before.categories).toMatchObject({ AT_RISK: { count: 1 }, NEUTRAL: { count: 1 }, GOOD: { count: 1 } });
    expect(preview.after.categories).toMatchObject({ AT_RISK: { count: 2 }, NEUTRAL: { count: 1 }, GOOD: { count: 0 } });
    expect(preview.changed.map((c) => [c.recordId, c.from, c.to])).toEqual([
      ['busy', 'GOOD', 'NEUTRAL'],
      ['quiet', 'NEUTRAL', 'AT_RISK'],
    ]);
    expect(preview.changed[0]).toMatchObject({ label: 'Busy Co', scoreBefore: preview.changed[0]?.scoreAfter });
  });

  it('re-weighted groups change scores: criteria keep their points, the group max caps them', () => {
    const [engagement, support] = base.groups;
    const preview = previewProfile(
      base,
      edited({
        groups: [
          { ...engagement!, maxPoints: 20 },
          { ...support!, maxPoints: 80 },
        ],
      }),
      records,
      NOW,
    );
    // busy: engagement 29 + 16 = 45 capped to 20, support 36 → 56.
    expect(preview.changed).toEqual([{ recordId: 'busy', label: 'Busy Co', from: 'GOOD', to: 'NEUTRAL', scoreBefore: 81, scoreAfter: 56 }]);
  });

  it('a narrower segment lists the customers that leave it', () => {
    const segment = { filterGroups: [{ filters: [{ propertyName: 'tier', operator: 'EQ' as const, value: 'gold' }] }] };
    const tiered = records.map((r) => (r.id === 'busy' ? { ...r, properties: { tier: 'gold' } } : r));
    const preview = previewProfile(base, edited({ segment }), tiered, NOW);
    expect(preview.after.customers).toBe(1);
    expect(preview.changed.map((c) => [c.recordId, c.to, c.scoreAfter])).toEqual([
      ['quiet', null, null],
      ['silent', null, null],
    ]);
  });
});
