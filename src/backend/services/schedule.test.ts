// The Schedule's answers stay under hubspot.fetch's 1 MB response limit whatever the book
// (reference/hubspot-platform.md, "Limits": "Request and response payloads are each limited to 1 MB").
import { describe, expect, it } from 'vitest';
import type { ScheduleItem, ScheduleMeeting, ScheduleResponse, ScheduleTask, ScheduleViewName } from '../contract/schedule';
import { SCHEDULE_LIMITS } from '../contract/schedule';
import { scheduleResponse } from '../contract/schemas';
import { fitAnswer, pageOfDay, SCHEDULE_MAX_BYTES } from './schedule';

const MB = 1_000_000;
const bytes = (answer: unknown) => Buffer.byteLength(JSON.stringify(answer));

// Ordinary items of one day: 150 meetings and 150 tasks, already in the day's order.
function ordinaryDay(date: string, n = 300): ScheduleItem[] {
  return Array.from({ length: n }, (_, i): ScheduleItem => {
    const start = new Date(Date.parse(`${date}T08:00:00Z`) + i * 60_000).toISOString();
    const associations = [{ objectType: 'contacts', objectId: String(i), label: `Contact ${i}` }];
    return i % 2
      ? {
          kind: 'task',
          id: String(i),
          title: `Task ${i}`,
          start,
          allDay: false,
          status: 'NOT_STARTED',
          priority: 'HIGH',
          type: 'CALL',
          associations,
        }
      : {
          kind: 'meeting',
          id: String(i),
          title: `Meeting ${i}`,
          start,
          end: start,
          outcome: 'SCHEDULED',
          location: null,
          videoUrl: 'https://zoom.us/j/1',
          description: 'Agenda',
          associations,
        };
  });
}

// The heaviest items the copy can give: every free-text field long and made of characters JSON
// escapes to six bytes, a 500-character description (what the service keeps), 200 associations.
const heavy = (n: number) => '\u0001'.repeat(n);
const HEAVY_ASSOCIATIONS = Array.from({ length: 200 }, (_, a) => ({
  objectType: 'companies',
  objectId: `${1e12 + a}`,
  label: heavy(1_000),
}));
function heavyDay(date: string, n = 300): ScheduleItem[] {
  return Array.from({ length: n }, (_, i): ScheduleItem => {
    const start = new Date(Date.parse(`${date}T00:00:00Z`) + i * 60_000).toISOString();
    const associations = HEAVY_ASSOCIATIONS;
    const task: ScheduleTask = {
      kind: 'task',
      id: String(1e12 + i),
      title: heavy(10_000),
      start,
      allDay: false,
      status: heavy(1_000),
      priority: heavy(1_000),
      type: heavy(1_000),
      associations,
    };
    const meeting: ScheduleMeeting = {
      kind: 'meeting',
      id: String(2e12 + i),
      title: heavy(10_000),
      start,
      end: start,
      outcome: heavy(1_000),
      location: heavy(10_000),
      videoUrl: `https://x.test/${'"'.repeat(3_000)}`,
      description: heavy(500),
      associations,
    };
    return i % 2 ? task : meeting;
  });
}

function answerOf(view: ScheduleViewName, dayCount: number, day: (date: string) => ScheduleItem[], offset = 0): ScheduleResponse {
  const dates = Array.from({ length: dayCount }, (_, i) => new Date(Date.UTC(2026, 2, 1 + i)).toISOString().slice(0, 10));
  return fitAnswer(
    {
      view,
      timeZone: 'America/New_York',
      userTimeZone: 'America/New_York',
      date: dates[0]!,
      previous: dates[0]!,
      next: dates[0]!,
      today: dates[0]!,
      start: `${dates[0]}T05:00:00.000Z`,
      end: `${dates.at(-1)}T05:00:00.000Z`,
      hideWeekends: false,
      busyOnly: false,
      offset,
      counts: { meetings: 150 * dayCount, tasks: 150 * dayCount },
      dataAsOf: '2026-03-01T00:00:00.000Z',
      partial: true,
      warnings: [heavy(1_000)],
    },
    dates.map((date, i) => ({
      date,
      weekday: (i % 7) + 1,
      start: `${date}T05:00:00.000Z`,
      end: `${date}T05:00:00.000Z`,
      isToday: i === 0,
      items: day(date),
    })),
  );
}

describe('a day of 300 items', () => {
  const day = ordinaryDay('2026-03-10');

  it('a week carries its first 12 in full and counts the rest', () => {
    const page = pageOfDay(day, 'week');
    expect(page.items).toEqual(day.slice(0, SCHEDULE_LIMITS.weekPerDay));
    expect(page.more).toEqual({ tasks: 144, meetings: 144 });
  });

  it('a month carries its first 8 as briefs: kind, id, title, start, end, all day, nothing else', () => {
    const page = pageOfDay(day, 'month');
    expect(page.items).toHaveLength(SCHEDULE_LIMITS.monthPerDay);
    expect(page.items[0]).toEqual({
      brief: true,
      kind: 'meeting',
      id: '0',
      title: 'Meeting 0',
      start: '2026-03-10T08:00:00.000Z',
      end: '2026-03-10T08:00:00.000Z',
      allDay: false,
    });
    expect(page.items[1]).toMatchObject({ brief: true, kind: 'task', id: '1', end: null });
    expect(page.more).toEqual({ tasks: 146, meetings: 146 });
  });

  it('a day pages through all of them in order, 50 at a time', () => {
    const seen: ScheduleItem[] = [];
    for (let offset = 0; offset < 300; offset += SCHEDULE_LIMITS.dayPage) {
      const page = pageOfDay(day, 'day', offset);
      seen.push(...(page.items as ScheduleItem[]));
      const rest = 300 - offset - SCHEDULE_LIMITS.dayPage;
      expect(page.more).toEqual({ tasks: rest / 2, meetings: rest / 2 });
    }
    expect(seen).toEqual(day);
    expect(pageOfDay(day, 'day', 300)).toEqual({ items: [], more: { tasks: 0, meetings: 0 } });
  });

  it('a busy block is a brief without id or title', () => {
    const busy: ScheduleItem = { kind: 'busy', start: '2026-03-10T08:00:00.000Z', end: '2026-03-10T09:00:00.000Z' };
    expect(pageOfDay([busy], 'month').items).toEqual([
      { brief: true, kind: 'busy', id: null, title: 'Busy', start: busy.start, end: busy.end, allDay: false },
    ]);
  });
});

describe('the heaviest answers stay under 1 MB', () => {
  it.each([
    ['month', 31],
    ['week', 7],
    ['day', 1],
  ] as const)('a %s of 300 items a day, every field at its longest', (view, days) => {
    const answer = answerOf(view, days, heavyDay);
    expect(scheduleResponse.safeParse(answer).success).toBe(true);
    expect(bytes(answer)).toBeLessThanOrEqual(SCHEDULE_MAX_BYTES);
    expect(bytes(answer)).toBeLessThan(MB);
    // Each day still shows something and counts the rest.
    for (const d of answer.days) {
      expect(d.items.length).toBeGreaterThan(0);
      expect(d.items.length + d.more.tasks + d.more.meetings).toBe(300);
    }
  });

  it('clips free text, keeps 10 associations and counts the rest, drops a link too long to clip', () => {
    const [meeting] = pageOfDay(heavyDay('2026-03-10', 1), 'day').items as ScheduleMeeting[];
    expect(meeting!.title).toHaveLength(SCHEDULE_LIMITS.text);
    expect(meeting!.location).toHaveLength(SCHEDULE_LIMITS.text);
    expect(meeting!.associations).toHaveLength(SCHEDULE_LIMITS.associations);
    expect(meeting!.moreAssociations).toBe(190);
    expect(meeting!.videoUrl).toBeNull();
  });

  it('ordinary items keep the full page sizes, and a month of 300 a day is small', () => {
    const month = answerOf('month', 31, (d) => ordinaryDay(d));
    expect(month.pageSize).toBe(SCHEDULE_LIMITS.monthPerDay);
    expect(bytes(month)).toBeLessThan(100_000);
    const week = answerOf('week', 7, (d) => ordinaryDay(d));
    expect(week.pageSize).toBe(SCHEDULE_LIMITS.weekPerDay);
    expect(bytes(week)).toBeLessThan(100_000);
    expect(answerOf('day', 1, (d) => ordinaryDay(d), 50).pageSize).toBe(SCHEDULE_LIMITS.dayPage);
  });
});
