import { describe, expect, it } from 'vitest';
import { dateIn, dayStart, daysOf, isCalendarDate, scheduleRange, videoLinkOf } from './schedule';

const H = 3_600_000;
const NOW = Date.parse('2026-03-10T12:00:00Z');
const at = (iso: string) => Date.parse(iso);

describe('scheduleRange', () => {
  it.each([
    // US spring forward: 2026-03-08 has 23 hours in New York.
    ['a day that loses an hour to DST in New York is 23 hours long', 'America/New_York', '2026-03-08', 23],
    // EU fall back: 2026-10-25 has 25 hours in London.
    ['a day that gains an hour in London is 25 hours long', 'Europe/London', '2026-10-25', 25],
    ['an ordinary day is 24 hours long', 'Asia/Tokyo', '2026-03-08', 24],
    // Lord Howe moves by half an hour.
    ['a half-hour DST change gives a 23.5-hour day', 'Australia/Lord_Howe', '2026-10-04', 23.5],
  ])('%s', (_name, zone, date, hours) => {
    const r = scheduleRange({ view: 'day', date, timeZone: zone, hideWeekends: false, now: NOW });
    expect(r.days).toHaveLength(1);
    expect((r.days[0]!.end - r.days[0]!.start) / H).toBe(hours);
    expect(r.start).toBe(r.days[0]!.start);
    expect(r.end).toBe(r.days[0]!.end);
  });

  it('starts each day at local midnight: New York midnight is 05:00 UTC in winter and 04:00 in summer', () => {
    expect(new Date(dayStart('2026-03-07', 'America/New_York')).toISOString()).toBe('2026-03-07T05:00:00.000Z');
    expect(new Date(dayStart('2026-03-09', 'America/New_York')).toISOString()).toBe('2026-03-09T04:00:00.000Z');
  });

  it('starts a day at its first instant when DST skips midnight (Santiago, 2026-09-06 begins at 01:00)', () => {
    const start = dayStart('2026-09-06', 'America/Santiago');
    expect(new Date(start).toISOString()).toBe('2026-09-06T04:00:00.000Z');
    expect(dateIn(start, 'America/Santiago')).toBe('2026-09-06');
    expect(dateIn(start - 1, 'America/Santiago')).toBe('2026-09-05');
  });

  it('covers an ISO week Monday to Sunday, 167 hours when it crosses the spring change', () => {
    const r = scheduleRange({ view: 'week', date: '2026-03-04', timeZone: 'America/New_York', hideWeekends: false, now: NOW });
    expect(r.days.map((d) => d.date)).toEqual([
      '2026-03-02',
      '2026-03-03',
      '2026-03-04',
      '2026-03-05',
      '2026-03-06',
      '2026-03-07',
      '2026-03-08',
    ]);
    expect((r.end - r.start) / H).toBe(167);
    expect(r.previous).toBe('2026-02-23');
    expect(r.next).toBe('2026-03-09');
    // Consecutive days touch: no gap and no overlap around the change.
    for (let i = 1; i < r.days.length; i++) expect(r.days[i]!.start).toBe(r.days[i - 1]!.end);
  });

  it('hides Saturday and Sunday on week and month views, but keeps the full span', () => {
    const week = scheduleRange({ view: 'week', date: '2026-03-04', timeZone: 'UTC', hideWeekends: true, now: NOW });
    expect(week.days.map((d) => d.weekday)).toEqual([1, 2, 3, 4, 5]);
    expect((week.end - week.start) / H).toBe(168);
    const month = scheduleRange({ view: 'month', date: '2026-02-14', timeZone: 'UTC', hideWeekends: true, now: NOW });
    expect(month.days).toHaveLength(20);
    expect(month.days.every((d) => d.weekday <= 5)).toBe(true);
    // A day view ignores it: a Saturday is still shown when asked for.
    const saturday = scheduleRange({ view: 'day', date: '2026-03-07', timeZone: 'UTC', hideWeekends: true, now: NOW });
    expect(saturday.days.map((d) => d.date)).toEqual(['2026-03-07']);
  });

  it.each([
    ['February of a common year', '2026-02-10', 28, '2026-01-01', '2026-03-01'],
    ['February of a leap year', '2028-02-29', 29, '2028-01-01', '2028-03-01'],
    ['December rolls into the next year', '2026-12-31', 31, '2026-11-01', '2027-01-01'],
  ])('a month view covers %s', (_name, date, days, previous, next) => {
    const r = scheduleRange({ view: 'month', date, timeZone: 'Europe/Paris', hideWeekends: false, now: NOW });
    expect(r.days).toHaveLength(days);
    expect(r.previous).toBe(previous);
    expect(r.next).toBe(next);
  });

  it('knows today in the zone: 03:00 UTC on the 10th is still the 9th in Los Angeles', () => {
    const r = scheduleRange({
      view: 'day',
      date: '2026-03-09',
      timeZone: 'America/Los_Angeles',
      hideWeekends: false,
      now: at('2026-03-10T03:00:00Z'),
    });
    expect(r.today).toBe('2026-03-09');
  });

  it('refuses a date that is not on the calendar', () => {
    expect(isCalendarDate('2026-02-30')).toBe(false);
    expect(isCalendarDate('2026-2-3')).toBe(false);
    expect(isCalendarDate('2026-02-28')).toBe(true);
    expect(() => scheduleRange({ view: 'day', date: '2026-13-01', timeZone: 'UTC', hideWeekends: false, now: NOW })).toThrow(RangeError);
  });
});

describe('daysOf', () => {
  const week = (zone: string) => scheduleRange({ view: 'week', date: '2026-03-04', timeZone: zone, hideWeekends: false, now: NOW }).days;

  it.each([
    // 23:30 on Tuesday in New York is already Wednesday in UTC.
    ['a task at 04:30 UTC belongs to the previous evening in New York', 'America/New_York', '2026-03-04T04:30:00Z', ['2026-03-03']],
    ['the same task is on Wednesday in Paris', 'Europe/Paris', '2026-03-04T04:30:00Z', ['2026-03-04']],
    ['a task exactly at local midnight starts the new day', 'America/New_York', '2026-03-04T05:00:00Z', ['2026-03-04']],
    // 03:30 EDT on Sunday, just after the clocks jumped from 02:00 to 03:00.
    ['a task just after the spring change falls on Sunday', 'America/New_York', '2026-03-08T07:30:00Z', ['2026-03-08']],
    // 04:30 UTC on Sunday is still 23:30 on Saturday (EST, before the change).
    ['a task late on Saturday before the change stays on Saturday', 'America/New_York', '2026-03-08T04:30:00Z', ['2026-03-07']],
  ])('%s', (_name, zone, iso, dates) => {
    expect(daysOf({ start: at(iso), end: at(iso), allDay: false }, week(zone))).toEqual(dates);
  });

  it('puts an all-day task on its UTC date in every zone', () => {
    const entry = { start: at('2026-03-04T00:00:00Z'), end: at('2026-03-04T00:00:00Z'), allDay: true };
    expect(daysOf(entry, week('America/Los_Angeles'))).toEqual(['2026-03-04']);
    expect(daysOf(entry, week('Pacific/Auckland'))).toEqual(['2026-03-04']);
  });

  it('puts a meeting across midnight on both days, and one ending at midnight on one', () => {
    const days = week('UTC');
    expect(daysOf({ start: at('2026-03-04T23:00:00Z'), end: at('2026-03-05T01:00:00Z'), allDay: false }, days)).toEqual([
      '2026-03-04',
      '2026-03-05',
    ]);
    expect(daysOf({ start: at('2026-03-04T23:00:00Z'), end: at('2026-03-05T00:00:00Z'), allDay: false }, days)).toEqual(['2026-03-04']);
  });

  it('finds nothing for an entry outside the shown days (hidden weekend)', () => {
    const weekdays = scheduleRange({ view: 'week', date: '2026-03-04', timeZone: 'UTC', hideWeekends: true, now: NOW }).days;
    expect(daysOf({ start: at('2026-03-07T10:00:00Z'), end: at('2026-03-07T11:00:00Z'), allDay: false }, weekdays)).toEqual([]);
  });
});

describe('videoLinkOf', () => {
  it.each([
    ['the meeting URL', 'https://zoom.us/j/1', null, 'https://zoom.us/j/1'],
    ['a location that is a web address', null, ' https://meet.google.com/abc-defg-hij ', 'https://meet.google.com/abc-defg-hij'],
    ['the meeting URL before the location', 'https://teams.microsoft.com/l/x', 'https://zoom.us/j/2', 'https://teams.microsoft.com/l/x'],
    ['nothing for a room name', null, 'Room 4', null],
    ['nothing for a script URL', 'javascript:alert(1)', null, null],
  ])('gives %s', (_name, url, location, expected) => {
    expect(videoLinkOf(url, location)).toBe(expected);
  });
});
