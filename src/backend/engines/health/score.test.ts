import { describe, expect, it } from 'vitest';
import type { HealthCategory } from '../../contract/api';
import { DEFAULT_THRESHOLDS } from './profile';
import { categoryFor, scoreRecord, scoreRecords } from './score';
import { criterion, makeProfile, makeRecord, NOW } from './test-factories';

/** A criterion worth `points` when property `name` is set, no data otherwise. */
const fixed = (id: string, name: string, points: number, missingData: 'zero' | 'exclude' = 'exclude') =>
  criterion({
    id,
    label: id,
    kind: 'property',
    filter: { propertyName: name, operator: 'GT', value: -1 },
    matchPoints: points,
    missingData,
  });

describe('categories split 0–100 at the thresholds', () => {
  it.each<[number, HealthCategory]>([
    [0, 'AT_RISK'],
    [39, 'AT_RISK'],
    [40, 'NEUTRAL'],
    [69, 'NEUTRAL'],
    [70, 'GOOD'],
    [100, 'GOOD'],
  ])('a score of %i is %s', (score, category) => {
    expect(categoryFor(score, DEFAULT_THRESHOLDS)).toBe(category);
    const profile = makeProfile({ groups: [{ id: 'g', label: 'G', maxPoints: 100, criteria: [fixed('c', 'a', score)] }] });
    const result = scoreRecord(profile, makeRecord({ properties: { a: 1 } }), NOW);
    expect(result).toMatchObject({ score, category });
  });

  it('uses the profile thresholds', () => {
    const profile = makeProfile({
      thresholds: { atRiskBelow: 50, goodFrom: 80 },
      groups: [{ id: 'g', label: 'G', maxPoints: 100, criteria: [fixed('c', 'a', 79)] }],
    });
    expect(scoreRecord(profile, makeRecord({ properties: { a: 1 } }), NOW).category).toBe('NEUTRAL');
  });
});

describe('a group scores its criteria points clamped to 0..maxPoints', () => {
  it.each<[string, number[], number]>([
    ['points within range are summed', [10, 5], 15],
    ['points above the maximum are capped', [15, 10], 20],
    ['penalties below zero floor at 0', [5, -30], 0],
    ['a penalty takes points back', [20, -5], 15],
  ])('%s', (_name, points, expected) => {
    const profile = makeProfile({
      groups: [
        { id: 'g', label: 'G', maxPoints: 20, criteria: points.map((p, i) => fixed(`c${i}`, 'a', p)) },
        { id: 'rest', label: 'Rest', maxPoints: 80, criteria: [fixed('r', 'a', 0)] },
      ],
    });
    const result = scoreRecord(profile, makeRecord({ properties: { a: 1 } }), NOW);
    expect(result.groups[0]).toMatchObject({ id: 'g', score: expected, rawPoints: points.reduce((a, b) => a + b, 0), rescaled: false });
    expect(result.score).toBe(expected);
  });
});

describe('missing data is scored as configured', () => {
  // Engagement group: 40 points, a criterion worth up to 25 (earns 20) and one worth up to 15.
  const profileWith = (mode: 'zero' | 'exclude') =>
    makeProfile({
      groups: [
        {
          id: 'engagement',
          label: 'Engagement',
          maxPoints: 40,
          criteria: [
            criterion({
              id: 'meetings',
              label: 'Meetings',
              kind: 'nps',
              property: 'm',
              bands: [
                { max: 5, points: 20 },
                { min: 5, points: 25 },
              ],
            }),
            criterion({ id: 'emails', label: 'Emails', kind: 'nps', property: 'e', bands: [{ points: 15 }], missingData: mode }),
          ],
        },
        { id: 'other', label: 'Other', maxPoints: 60, criteria: [fixed('o', 'o', 60)] },
      ],
    });
  const record = makeRecord({ properties: { m: 1, o: 1 } });

  it('zero: the criterion is listed as no data and earns 0', () => {
    const result = scoreRecord(profileWith('zero'), record, NOW);
    expect(result.criteria.find((c) => c.id === 'emails')).toMatchObject({ points: 0, noData: true, excluded: false });
    expect(result.groups[0]).toMatchObject({ score: 20, rescaled: false });
    expect(result.score).toBe(80);
  });

  it('exclude: the group is re-scaled over what its other criteria could earn (20 / 25 × 40 = 32)', () => {
    const result = scoreRecord(profileWith('exclude'), record, NOW);
    expect(result.criteria.find((c) => c.id === 'emails')).toMatchObject({ points: 0, noData: true, excluded: true });
    expect(result.groups[0]).toMatchObject({ score: 32, rescaled: true, excluded: false });
    expect(result.score).toBe(92);
    expect(result.coverage).toBe(1);
  });

  it('exclude: a re-scaled group still never exceeds its maximum', () => {
    const result = scoreRecord(profileWith('exclude'), makeRecord({ properties: { m: 9, o: 1 } }), NOW);
    expect(result.groups[0]?.score).toBe(40);
  });

  it('exclude: when only penalties remain the group scores 0', () => {
    const profile = makeProfile({
      groups: [
        { id: 'g', label: 'G', maxPoints: 50, criteria: [fixed('plus', 'missing', 50), fixed('minus', 'a', -10)] },
        { id: 'h', label: 'H', maxPoints: 50, criteria: [fixed('h', 'a', 50)] },
      ],
    });
    const result = scoreRecord(profile, makeRecord({ properties: { a: 1 } }), NOW);
    expect(result.groups[0]).toMatchObject({ score: 0, rescaled: true });
    expect(result.score).toBe(50);
  });

  it('exclude: a group without any data is left out and the total re-scaled to 100', () => {
    const profile = makeProfile({
      groups: [
        { id: 'nps', label: 'NPS', maxPoints: 30, criteria: [fixed('nps', 'nps', 30)] },
        { id: 'rest', label: 'Rest', maxPoints: 70, criteria: [fixed('r', 'a', 35)] },
      ],
    });
    const result = scoreRecord(profile, makeRecord({ properties: { a: 1 } }), NOW);
    expect(result.groups[0]).toMatchObject({ score: 0, excluded: true });
    expect(result.score).toBe(50);
    expect(result.coverage).toBe(0.7);
  });

  it('a record without any data scores 0 with coverage 0', () => {
    const profile = makeProfile({ groups: [{ id: 'g', label: 'G', maxPoints: 100, criteria: [fixed('c', 'a', 50)] }] });
    const result = scoreRecord(profile, makeRecord(), NOW);
    expect(result).toMatchObject({ score: 0, coverage: 0, category: 'AT_RISK' });
  });
});

describe('a score result', () => {
  it('lists every criterion with its group, points, reason and facts', () => {
    const profile = makeProfile({
      version: 3,
      groups: [
        { id: 'a', label: 'A', maxPoints: 60, criteria: [fixed('x', 'a', 30), fixed('y', 'b', 10, 'zero')] },
        { id: 'b', label: 'B', maxPoints: 40, criteria: [fixed('z', 'a', 40)] },
      ],
    });
    const result = scoreRecord(profile, makeRecord({ properties: { a: 1 } }), NOW);
    expect(result).toMatchObject({ recordId: '1', profileId: 'p1', profileVersion: 3, score: 70 });
    expect(result.criteria.map((c) => [c.id, c.group, c.points, c.noData])).toEqual([
      ['x', 'a', 30, false],
      ['y', 'a', 0, true],
      ['z', 'b', 40, false],
    ]);
    expect(result.criteria[0]?.facts).toMatchObject({ property: 'a', value: 1, matched: true });
  });

  it('rounds to an integer score, groups to one decimal', () => {
    const profile = makeProfile({
      groups: [{ id: 'g', label: 'G', maxPoints: 100, criteria: [fixed('a', 'a', 10), fixed('b', 'b', 20), fixed('c', 'missing', 1)] }],
    });
    const result = scoreRecord(profile, makeRecord({ properties: { a: 1, b: -5 } }), NOW);
    // b has data but earns nothing; c is excluded: cap = min(100, 10 + 20) = 30; 10 / 30 × 100 = 33.33…
    expect(result.groups[0]?.score).toBe(33.3);
    expect(result.score).toBe(33);
  });
});

describe('segments', () => {
  it('only records in the profile segment are scored', () => {
    const profile = makeProfile({
      segment: { filterGroups: [{ filters: [{ propertyName: 'lifecyclestage', operator: 'EQ', value: 'customer' }] }] },
    });
    const records = [
      makeRecord({ id: 'a', properties: { lifecyclestage: 'customer' } }),
      makeRecord({ id: 'b', properties: { lifecyclestage: 'lead' } }),
      makeRecord({ id: 'c', properties: {} }),
    ];
    expect(scoreRecords(profile, records, NOW).map((r) => r.recordId)).toEqual(['a']);
  });
});

describe("a health record's numbers add up", () => {
  const sum = (xs: number[]) => Math.round(xs.reduce((a, b) => a + b, 0) * 10) / 10;
  // Six groups as in the default profile; the CSM-sentiment property does not exist in the portal.
  const profile = makeProfile({
    groups: [
      { id: 'engagement', label: 'Engagement', maxPoints: 30, criteria: [fixed('e1', 'e1', 20), fixed('e2', 'e2', 10)] },
      { id: 'support', label: 'Support', maxPoints: 20, criteria: [fixed('s', 's', 20)] },
      { id: 'deals', label: 'Deals', maxPoints: 15, criteria: [fixed('d', 'd', 15)] },
      { id: 'renewal', label: 'Renewal', maxPoints: 15, criteria: [fixed('r', 'r', 15)] },
      { id: 'csm', label: 'CSM sentiment', maxPoints: 15, criteria: [fixed('csm', 'csm_sentiment', 15)] },
      { id: 'nps', label: 'NPS', maxPoints: 5, criteria: [fixed('nps', 'nps', 5)] },
    ],
  });

  it('when a group has no data its weight is shared out: the groups show re-scaled maxPoints and scores that add up to the score', () => {
    const result = scoreRecord(profile, makeRecord({ properties: { e1: 1, e2: 1, s: 1, d: 1, r: 1, nps: -5 } }), NOW);
    // 80 of the 85 points that had data: 80 × 100 / 85 = 94.1 → 94.
    expect(result.score).toBe(94);
    expect(result.groups.find((g) => g.id === 'csm')).toMatchObject({ excluded: true, shownMaxPoints: 0, shownScore: 0 });
    expect(result.groups.find((g) => g.id === 'engagement')).toMatchObject({
      maxPoints: 30,
      score: 30,
      shownMaxPoints: 35.3,
      shownScore: 35.3,
    });
    expect(sum(result.groups.map((g) => g.shownMaxPoints))).toBe(100);
    expect(sum(result.groups.map((g) => g.shownScore))).toBe(result.score);
    for (const g of result.groups) expect(g.shownScore).toBeLessThanOrEqual(g.shownMaxPoints);
  });

  it('with nothing excluded the shown numbers are the group maxima and scores when they already add up', () => {
    const result = scoreRecord(profile, makeRecord({ properties: { e1: 1, e2: -5, s: 1, d: 1, r: -5, csm_sentiment: 1, nps: 1 } }), NOW);
    expect(result.score).toBe(75);
    expect(result.groups.map((g) => [g.shownMaxPoints, g.shownScore])).toEqual(result.groups.map((g) => [g.maxPoints, g.score]));
  });

  it.each(Array.from({ length: 200 }, (_, i) => i))('they add up on random record %i', (i) => {
    let seed = i + 1;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const properties: Record<string, number> = {};
    for (const name of ['e1', 'e2', 's', 'd', 'r', 'csm_sentiment', 'nps']) if (random() < 0.7) properties[name] = random() < 0.5 ? 1 : -5;
    const result = scoreRecord(profile, makeRecord({ properties }), NOW);
    const shown = result.groups.filter((g) => !g.excluded);
    expect(sum(result.groups.map((g) => g.shownScore))).toBe(result.score);
    expect(sum(result.groups.map((g) => g.shownMaxPoints))).toBe(shown.length ? 100 : 0);
    for (const g of result.groups) {
      expect(g.shownScore).toBeGreaterThanOrEqual(0);
      expect(g.shownScore).toBeLessThanOrEqual(g.shownMaxPoints);
      if (g.excluded) expect([g.shownMaxPoints, g.shownScore]).toEqual([0, 0]);
    }
  });
});
