import { describe, expect, it } from 'vitest';
import type { HealthCategory, HealthDelta } from '../../contract/api';
import { describeChange, diffScores, formatDelta, type CriterionPoints } from './explain';

const c = (id: string, points: number, reason = id): CriterionPoints => ({ id, label: id.toUpperCase(), reason, points });

describe('diffScores lists what moved, largest impact first', () => {
  it.each<[string, CriterionPoints[], CriterionPoints[], HealthDelta[]]>([
    ['identical scores have no deltas', [c('a', 5)], [c('a', 5)], []],
    [
      'a drop and a rise are sorted by size',
      [c('a', 20), c('b', 0), c('c', 3)],
      [c('a', 5, 'no meeting in 60 days'), c('b', 10), c('c', 3)],
      [
        { criterionId: 'a', label: 'no meeting in 60 days', delta: -15 },
        { criterionId: 'b', label: 'b', delta: 10 },
      ],
    ],
    [
      'equal sizes are ordered by criterion id',
      [c('b', 0), c('a', 0)],
      [c('b', 4), c('a', -4)],
      [
        { criterionId: 'a', label: 'a', delta: -4 },
        { criterionId: 'b', label: 'b', delta: 4 },
      ],
    ],
    ['a new criterion counts from 0', [], [c('new', 7)], [{ criterionId: 'new', label: 'new', delta: 7 }]],
    ['a removed criterion counts to 0', [c('old', 7)], [], [{ criterionId: 'old', label: 'OLD (removed)', delta: -7 }]],
    ['deltas keep one decimal', [c('a', 1.04)], [c('a', 3.3)], [{ criterionId: 'a', label: 'a', delta: 2.3 }]],
  ])('%s', (_name, previous, current, expected) => {
    expect(diffScores({ criteria: previous }, { criteria: current })).toEqual(expected);
  });

  it('falls back to the criterion label without a reason', () => {
    expect(
      diffScores({ criteria: [{ id: 'x', label: 'Meetings', points: 1 }] }, { criteria: [{ id: 'x', label: 'Meetings', points: 2 }] })[0]
        ?.label,
    ).toBe('Meetings');
  });
});

describe('describeChange writes the sentence users see', () => {
  const deltas: HealthDelta[] = [
    { criterionId: 'm', label: 'no meeting in 60 days', delta: -15 },
    { criterionId: 't', label: '3 open tickets', delta: -10 },
    { criterionId: 'n', label: 'NPS 9', delta: 5 },
    { criterionId: 'd', label: '1 deal lost in the last 90 days', delta: -2.5 },
  ];
  it.each<[string, HealthCategory, HealthCategory, HealthDelta[], number, string]>([
    [
      'a drop names the deltas that pulled it down',
      'GOOD',
      'AT_RISK',
      deltas,
      2,
      'Good \u2192 At risk: no meeting in 60 days \u221215, 3 open tickets \u221210',
    ],
    ['a rise names the deltas that pushed it up', 'AT_RISK', 'NEUTRAL', deltas, 3, 'At risk \u2192 Neutral: NPS 9 +5'],
    ['decimals are kept', 'GOOD', 'NEUTRAL', deltas.slice(3), 3, 'Good \u2192 Neutral: 1 deal lost in the last 90 days \u22122.5'],
    ['without deltas only the categories are named', 'GOOD', 'NEUTRAL', [], 3, 'Good \u2192 Neutral'],
    ['without a category change the largest deltas are named', 'GOOD', 'GOOD', deltas, 1, 'Good: no meeting in 60 days \u221215'],
  ])('%s', (_name, from, to, given, limit, sentence) => {
    expect(describeChange(from, to, given, limit)).toBe(sentence);
  });

  it.each([
    [-15, '\u221215'],
    [5, '+5'],
    [0.25, '+0.3'],
  ])('formats %d as %s', (delta, text) => {
    expect(formatDelta(delta)).toBe(text);
  });
});
