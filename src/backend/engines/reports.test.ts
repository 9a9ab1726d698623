import { describe, expect, it } from 'vitest';
import { activityPerCsm, customersByHealth, healthTrend, meetingsPerWeek, renewalsByMonth, tasksCompletedPerWeek } from './reports';

const at = (iso: string) => Date.parse(iso);
const NOW = at('2026-12-04T12:00:00Z'); // Friday

describe('report gallery', () => {
  it('counts customers per category in the order At risk, Neutral, Good, and says why when none is scored', () => {
    const r = customersByHealth({ AT_RISK: { count: 2 }, NEUTRAL: { count: 0 }, GOOD: { count: 5 } });
    expect(r.rows).toEqual([
      { category: 'At risk', customers: 2 },
      { category: 'Neutral', customers: 0 },
      { category: 'Good', customers: 5 },
    ]);
    expect(r.empty).toBeUndefined();
    expect(customersByHealth(null, 'The health scores could not be loaded.').empty).toBe('The health scores could not be loaded.');
  });

  it('keeps the last 30 days of the health history, and needs two days for a trend', () => {
    const history = [
      { date: '2026-11-04', average: 50 },
      { date: '2026-11-05', average: 51 },
      { date: '2026-12-04', average: 60 },
    ];
    expect(healthTrend(history, 'UTC', NOW).rows).toEqual([
      { date: '2026-11-05', average: 51 },
      { date: '2026-12-04', average: 60 },
    ]);
    expect(healthTrend(history.slice(2), 'UTC', NOW).empty).toMatch(/two different days/);
  });

  it.each([
    ['a datetime in the user’s zone (Jan 1 00:30 Paris is still Dec 31 UTC)', at('2026-12-31T23:30:00Z'), 'Europe/Paris', '2027-01'],
    ['a datetime in the user’s zone (the same instant in New York)', at('2026-12-31T23:30:00Z'), 'America/New_York', '2026-12'],
    ['a calendar date by its own month, whatever the zone', '2027-01-01', 'America/Los_Angeles', '2027-01'],
  ])('counts a renewal given as %s', (_name, renewal, zone, month) => {
    const r = renewalsByMonth([renewal], zone, NOW);
    expect(r.rows).toHaveLength(12);
    expect(r.rows.find((x) => x.renewals === 1)?.month).toBe(month);
  });

  it('leaves out renewals before this month or beyond 12 months', () => {
    const r = renewalsByMonth(['2026-11-30', '2027-12-01', '2027-11-30'], 'UTC', NOW);
    expect(r.rows.at(-1)).toEqual({ month: '2027-11', renewals: 1 });
    expect(r.rows.reduce((n, x) => n + Number(x.renewals), 0)).toBe(1);
    expect(renewalsByMonth([], 'UTC', NOW).empty).toMatch(/next 12 months/);
  });

  it('counts completed tasks and meetings per Monday-start week over 8 weeks, ignoring the future', () => {
    const done = tasksCompletedPerWeek(
      [
        at('2026-11-30T08:00:00Z'),
        at('2026-12-04T11:00:00Z'),
        at('2026-11-29T23:30:00Z'),
        at('2026-12-05T10:00:00Z'),
        at('2026-09-01T10:00:00Z'),
      ],
      'Europe/Paris',
      NOW,
    );
    expect(done.rows.map((r) => r.week)).toEqual([
      '2026-10-12',
      '2026-10-19',
      '2026-10-26',
      '2026-11-02',
      '2026-11-09',
      '2026-11-16',
      '2026-11-23',
      '2026-11-30',
    ]);
    // Sunday 23:30 UTC is Monday 00:30 in Paris: this week.
    expect(done.rows.at(-1)).toEqual({ week: '2026-11-30', tasks: 3 });
    expect(meetingsPerWeek([], 'UTC', NOW).empty).toMatch(/no meeting/);
  });

  it('ranks owners by activity, adding up their engagement types, and leaves out owners without any', () => {
    const r = activityPerCsm([
      { owner: 'Bo Rep', count: 3 },
      { owner: 'Ada Rep', count: 2 },
      { owner: 'Ada Rep', count: 4 },
      { owner: 'Cy Boss', count: 0 },
    ]);
    expect(r.rows).toEqual([
      { csm: 'Ada Rep', activities: 6 },
      { csm: 'Bo Rep', activities: 3 },
    ]);
    expect(activityPerCsm([]).empty).toMatch(/No call/);
  });
});
