import { describe, expect, it } from 'vitest';
import { builtInViewCondition, dateRangeWindow, localDueInstant } from './task-views';

const iso = (d: Date | undefined) => d?.toISOString();

describe('localDueInstant', () => {
  it.each([
    ['a time in New York in winter is UTC-5', '2026-11-23', '09:30', 'America/New_York', '2026-11-23T14:30:00.000Z'],
    [
      'a time in Auckland in November is UTC+13 (the day before in UTC)',
      '2026-11-23',
      '09:30',
      'Pacific/Auckland',
      '2026-11-22T20:30:00.000Z',
    ],
    ['no time means the start of the day in the zone', '2026-11-23', undefined, 'Europe/Paris', '2026-11-22T23:00:00.000Z'],
    ['a time skipped by spring-forward moves on by the gap', '2026-03-29', '02:30', 'Europe/Paris', '2026-03-29T01:30:00.000Z'],
    [
      'the repeated hour of fall-back is read in standard time (its second occurrence)',
      '2026-10-25',
      '02:30',
      'Europe/Paris',
      '2026-10-25T01:30:00.000Z',
    ],
  ])('%s', (_name, date, time, zone, expected) => {
    expect(new Date(localDueInstant(date, time, zone)!).toISOString()).toBe(expected);
  });

  it('is null for a date that does not exist', () => {
    expect(localDueInstant('2026-02-30', undefined, 'UTC')).toBeNull();
  });
});

describe('builtInViewCondition', () => {
  it("bounds today by the zone's midnights, on a 23-hour DST day too", () => {
    // 2026-03-29 in Paris has 23 hours (clocks go forward at 02:00).
    const now = Date.parse('2026-03-29T10:00:00Z');
    const today = builtInViewCondition('due-today', 'Europe/Paris', now);
    expect([iso(today.due?.from), iso(today.due?.to)]).toEqual(['2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z']);
    expect([today.due?.fromDate, today.due?.toDate]).toEqual(['2026-03-29', '2026-03-30']);
    expect(today.openOnly).toBe(true);
  });

  it.each([
    ['overdue ends where today starts', 'overdue', { to: '2026-11-22T05:00:00.000Z', toDate: '2026-11-22' }],
    [
      'tomorrow is the next calendar day',
      'due-tomorrow',
      { from: '2026-11-23T05:00:00.000Z', to: '2026-11-24T05:00:00.000Z', fromDate: '2026-11-23', toDate: '2026-11-24' },
    ],
  ] as const)('%s', (_name, view, expected) => {
    const c = builtInViewCondition(view, 'America/New_York', Date.parse('2026-11-22T12:00:00Z'));
    const got = { from: iso(c.due?.from), to: iso(c.due?.to), fromDate: c.due?.fromDate, toDate: c.due?.toDate };
    expect(Object.fromEntries(Object.entries(got).filter(([, v]) => v !== undefined))).toEqual(expected);
  });

  it('completed selects completed tasks, whenever due', () => {
    expect(builtInViewCondition('completed', 'UTC', 0)).toEqual({ completedOnly: true });
  });
});

describe('dateRangeWindow', () => {
  it('turns inclusive calendar days of the zone into instants and an exclusive end date', () => {
    const w = dateRangeWindow('2026-11-23', '2026-11-24', 'Asia/Tokyo');
    expect([iso(w.from), iso(w.to), w.fromDate, w.toDate]).toEqual([
      '2026-11-22T15:00:00.000Z',
      '2026-11-24T15:00:00.000Z',
      '2026-11-23',
      '2026-11-25',
    ]);
  });
});
