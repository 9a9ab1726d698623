import { describe, expect, it } from 'vitest';
import { todaySchedule, type ScheduleMeetingInput, type ScheduleTaskInput } from './today-schedule';

const at = (iso: string) => Date.parse(iso);
const meeting = (id: string, start: string | null, end: string | null = null): ScheduleMeetingInput => ({
  id,
  title: `Meeting ${id}`,
  startAt: start ? at(start) : null,
  endAt: end ? at(end) : null,
  outcome: null,
});
const task = (id: string, due: string | null, over: Partial<ScheduleTaskInput> = {}): ScheduleTaskInput => ({
  id,
  title: `Task ${id}`,
  dueAt: due ? at(due) : null,
  allDay: false,
  status: 'NOT_STARTED',
  ...over,
});
const ids = (r: ReturnType<typeof todaySchedule>) => r.items.map((i) => `${i.kind}:${i.id}`);

describe('today’s schedule', () => {
  it('keeps meetings and tasks of today in the user’s zone, in time order', () => {
    // 2026-12-04 23:30 UTC is already Dec 5 in Paris (UTC+1) but still Dec 4 in New York.
    const now = at('2026-12-04T23:30:00Z');
    const meetings = [meeting('m1', '2026-12-05T09:00:00Z', '2026-12-05T10:00:00Z'), meeting('m2', '2026-12-04T15:00:00Z')];
    const tasks = [task('t1', '2026-12-05T08:00:00Z'), task('t2', '2026-12-04T18:00:00Z'), task('t3', null)];
    const paris = todaySchedule({ meetings, tasks, timeZone: 'Europe/Paris', now });
    expect(paris.date).toBe('2026-12-05');
    expect(ids(paris)).toEqual(['task:t1', 'meeting:m1']);
    const ny = todaySchedule({ meetings, tasks, timeZone: 'America/New_York', now });
    expect(ny.date).toBe('2026-12-04');
    expect(ids(ny)).toEqual(['meeting:m2', 'task:t2']);
  });

  it('puts all-day tasks of today first, compared by calendar date, and marks completed tasks done', () => {
    const now = at('2026-12-05T10:00:00Z');
    const r = todaySchedule({
      meetings: [meeting('m1', '2026-12-05T08:00:00Z')],
      tasks: [
        task('t1', '2026-12-05T00:00:00Z', { allDay: true }),
        task('t2', '2026-12-04T00:00:00Z', { allDay: true }),
        task('t3', '2026-12-05T07:00:00Z', { status: 'COMPLETED' }),
      ],
      timeZone: 'America/Los_Angeles',
      now: at('2026-12-05T18:00:00Z'),
    });
    expect(ids(r)).toEqual(['task:t1', 'meeting:m1']);
    expect(r.items[0]).toMatchObject({ allDay: true, startsAt: at('2026-12-05T08:00:00Z') });
    const done = todaySchedule({
      meetings: [],
      tasks: [task('t3', '2026-12-05T07:00:00Z', { status: 'COMPLETED' })],
      timeZone: 'UTC',
      now,
    });
    expect(done.items[0]).toMatchObject({ id: 't3', done: true });
  });

  it('counts a meeting still running from yesterday, and orders a meeting before a task at the same time', () => {
    const now = at('2026-12-05T12:00:00Z');
    const r = todaySchedule({
      meetings: [
        meeting('late', '2026-12-04T23:30:00Z', '2026-12-05T00:30:00Z'),
        meeting('m2', '2026-12-05T09:00:00Z'),
        meeting('old', '2026-12-04T22:00:00Z', '2026-12-04T23:00:00Z'),
      ],
      tasks: [task('t1', '2026-12-05T09:00:00Z')],
      timeZone: 'UTC',
      now,
    });
    expect(ids(r)).toEqual(['meeting:late', 'meeting:m2', 'task:t1']);
  });

  it('uses the 23-hour day of a spring-forward change (Europe/Paris, 2026-03-29)', () => {
    const now = at('2026-03-29T12:00:00Z');
    const r = todaySchedule({
      meetings: [],
      // 22:30 UTC on the 29th is 00:30 on the 30th in Paris (UTC+2 after the change): not today.
      tasks: [task('in', '2026-03-29T21:30:00Z'), task('out', '2026-03-29T22:30:00Z'), task('early', '2026-03-28T23:30:00Z')],
      timeZone: 'Europe/Paris',
      now,
    });
    expect(ids(r)).toEqual(['task:early', 'task:in']);
  });
});
