import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from './profile';
import { averageOverTime, summarize, type SnapshotPoint } from './summary';

describe('summarize', () => {
  it('an empty list has no average, zero counts and empty bins', () => {
    const summary = summarize([], DEFAULT_THRESHOLDS);
    expect(summary).toMatchObject({
      customers: 0,
      average: null,
      categories: { AT_RISK: { count: 0, percent: 0 }, NEUTRAL: { count: 0, percent: 0 }, GOOD: { count: 0, percent: 0 } },
      thresholds: { atRiskBelow: 40, goodFrom: 70 },
    });
    expect(summary.distribution).toHaveLength(10);
    expect(summary.distribution.every((b) => b.count === 0)).toBe(true);
  });

  it('counts categories at the threshold boundaries', () => {
    const summary = summarize([39, 40, 69, 70], DEFAULT_THRESHOLDS);
    expect(summary.categories).toEqual({
      AT_RISK: { count: 1, percent: 25 },
      NEUTRAL: { count: 2, percent: 50 },
      GOOD: { count: 1, percent: 25 },
    });
    expect(summary.average).toBe(54.5);
  });

  it('matches the API example: 18 / 40 / 62 of 120 are 15.0 / 33.3 / 51.7', () => {
    const scores = [...Array(18).fill(20), ...Array(40).fill(50), ...Array(62).fill(80)];
    const summary = summarize(scores, DEFAULT_THRESHOLDS);
    expect([summary.categories.AT_RISK.percent, summary.categories.NEUTRAL.percent, summary.categories.GOOD.percent]).toEqual([
      15, 33.3, 51.7,
    ]);
  });

  it.each<[string, number[], number[]]>([
    ['thirds add up to 100.0', [10, 50, 90], [33.4, 33.3, 33.3]],
    ['sevenths add up to 100.0', [10, 10, 10, 50, 50, 90, 90], [42.8, 28.6, 28.6]],
  ])('percentages keep one decimal and %s', (_name, scores, percents) => {
    const { categories } = summarize(scores, DEFAULT_THRESHOLDS);
    const actual = [categories.AT_RISK.percent, categories.NEUTRAL.percent, categories.GOOD.percent];
    expect(actual).toEqual(percents);
    expect(Math.round(actual.reduce((a, b) => a + b, 0) * 10)).toBe(1000);
  });

  it('bins scores by ten points, with 100 in the last bin', () => {
    const { distribution } = summarize([0, 9, 10, 55, 89.9, 90, 100], DEFAULT_THRESHOLDS);
    expect(distribution.map((b) => b.count)).toEqual([2, 1, 0, 0, 0, 1, 0, 0, 1, 2]);
    expect(distribution[0]).toEqual({ from: 0, to: 10, count: 2 });
    expect(distribution[9]).toEqual({ from: 90, to: 100, count: 2 });
  });

  it('rounds the average to one decimal', () => {
    expect(summarize([1, 2, 2], DEFAULT_THRESHOLDS).average).toBe(1.7);
  });
});

describe('averageOverTime', () => {
  const at = (iso: string) => Date.parse(iso);
  const s = (recordId: string, iso: string, score: number, profileVersion = 1): SnapshotPoint => ({
    recordId,
    at: at(iso),
    score,
    profileVersion,
  });

  it('averages each record once a day, with its latest snapshot of the day', () => {
    const points = averageOverTime(
      [
        s('a', '2026-03-01T02:00:00Z', 10),
        s('a', '2026-03-01T20:00:00Z', 50),
        s('b', '2026-03-01T08:00:00Z', 70),
        s('a', '2026-03-02T08:00:00Z', 40),
      ],
      'UTC',
    );
    expect(points).toEqual([
      { date: '2026-03-01', average: 60, customers: 2, profileVersion: 1, versionChanged: false },
      { date: '2026-03-02', average: 40, customers: 1, profileVersion: 1, versionChanged: false },
    ]);
  });

  it('cuts days in the given time zone', () => {
    const snapshots = [s('a', '2026-03-01T23:30:00Z', 10), s('a', '2026-03-02T00:30:00Z', 30)];
    expect(averageOverTime(snapshots, 'UTC').map((p) => p.date)).toEqual(['2026-03-01', '2026-03-02']);
    expect(averageOverTime(snapshots, 'Europe/Paris').map((p) => [p.date, p.average])).toEqual([['2026-03-02', 30]]);
    expect(averageOverTime(snapshots, 'America/New_York').map((p) => [p.date, p.average])).toEqual([['2026-03-01', 30]]);
  });

  it('marks the days when the profile version changed', () => {
    const points = averageOverTime(
      [
        s('a', '2026-03-01T08:00:00Z', 50, 1),
        s('a', '2026-03-02T08:00:00Z', 50, 1),
        s('a', '2026-03-03T02:00:00Z', 50, 1),
        s('b', '2026-03-03T20:00:00Z', 20, 2),
        s('a', '2026-03-04T08:00:00Z', 60, 2),
        s('a', '2026-03-05T08:00:00Z', 60, 2),
      ],
      'UTC',
    );
    expect(points.map((p) => [p.date, p.profileVersion, p.versionChanged])).toEqual([
      ['2026-03-01', 1, false],
      ['2026-03-02', 1, false],
      ['2026-03-03', 2, true],
      ['2026-03-04', 2, false],
      ['2026-03-05', 2, false],
    ]);
  });

  it('no snapshots, no points', () => {
    expect(averageOverTime([], 'UTC')).toEqual([]);
  });

  it('rejects an unknown time zone', () => {
    expect(() => averageOverTime([], 'Mars/Olympus')).toThrow(RangeError);
  });
});
