import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { bucketTasks, classifyTask, searchUpperBound, type TaskInput } from './task-buckets';

const at = (iso: string) => DateTime.fromISO(iso, { setZone: true }).toMillis();

function task(overrides: Partial<TaskInput> & { due?: string }): TaskInput {
  const { due, ...rest } = overrides;
  return {
    id: rest.id ?? Math.random().toString(36).slice(2),
    subject: 'Call',
    dueAt: due ? at(due) : null,
    allDay: false,
    status: 'NOT_STARTED',
    priority: 'NONE',
    type: 'TODO',
    ownerId: '1',
    associations: [],
    ...rest,
  };
}

describe('classifyTask', () => {
  const now = at('2026-11-22T10:00:00Z');
  it.each([
    ['a task due yesterday evening in Paris is overdue', '2026-11-21T22:30:00Z', 'Europe/Paris', 'overdue'],
    ['a task due at 23:30 Paris time today is due today', '2026-11-22T22:30:00Z', 'Europe/Paris', 'today'],
    ['a task due just after midnight Paris tomorrow is due tomorrow', '2026-11-22T23:00:00Z', 'Europe/Paris', 'tomorrow'],
    ['a task due in two days is in no bucket', '2026-11-24T12:00:00Z', 'Europe/Paris', null],
    ['a task due earlier today is due today, not overdue', '2026-11-22T07:00:00Z', 'Europe/Paris', 'today'],
  ])('%s', (_name, due, tz, expected) => {
    expect(classifyTask(task({ due }), tz, now)).toBe(expected);
  });

  it('never buckets a completed task or one without a due date', () => {
    expect(classifyTask(task({ due: '2026-11-20T10:00:00Z', status: 'COMPLETED' }), 'UTC', now)).toBeNull();
    expect(classifyTask(task({}), 'UTC', now)).toBeNull();
  });

  it('counts every status other than COMPLETED as open (api.md)', () => {
    for (const status of ['NOT_STARTED', 'IN_PROGRESS', 'WAITING', 'DEFERRED']) {
      expect(classifyTask(task({ due: '2026-11-20T10:00:00Z', status }), 'UTC', now)).toBe('overdue');
    }
  });
});

describe('time zones at the same instant', () => {
  // 2026-11-22 20:00 UTC is 09:00 on the 23rd in Auckland (UTC+13) and 12:00 on the 22nd in Los Angeles.
  const now = at('2026-11-22T20:00:00Z');
  const t = task({ id: 't', due: '2026-11-23T05:00:00Z' }); // Auckland 18:00 on the 23rd; LA 21:00 on the 22nd
  it('a rep in Pacific/Auckland sees it due today', () => {
    expect(classifyTask(t, 'Pacific/Auckland', now)).toBe('today');
  });
  it('a rep in America/Los_Angeles sees it due today too, but a task due at 10:00 UTC on the 23rd differs', () => {
    const u = task({ due: '2026-11-23T10:00:00Z' }); // Auckland 23:00 on the 23rd (today); LA 02:00 on the 23rd (tomorrow)
    expect(classifyTask(u, 'Pacific/Auckland', now)).toBe('today');
    expect(classifyTask(u, 'America/Los_Angeles', now)).toBe('tomorrow');
  });
  it('a task due at 09:00 UTC on the 22nd is overdue in Auckland and today in Los Angeles', () => {
    const v = task({ due: '2026-11-22T09:00:00Z' }); // Auckland 22:00 on the 22nd (yesterday there); LA 01:00 on the 22nd
    expect(classifyTask(v, 'Pacific/Auckland', now)).toBe('overdue');
    expect(classifyTask(v, 'America/Los_Angeles', now)).toBe('today');
  });
});

describe('daylight saving changes', () => {
  it('on the day Paris falls back (25 hours), a task at 23:30 local is still today', () => {
    const now = at('2026-10-25T08:00:00Z'); // DST ends in the EU on 2026-10-25
    expect(classifyTask(task({ due: '2026-10-25T22:30:00Z' }), 'Europe/Paris', now)).toBe('today'); // 23:30 CET
    expect(classifyTask(task({ due: '2026-10-25T23:30:00Z' }), 'Europe/Paris', now)).toBe('tomorrow');
  });
  it('on the day Los Angeles springs forward (23 hours), 23:30 local is today and 00:30 next day is tomorrow', () => {
    const now = at('2026-03-08T18:00:00Z'); // DST starts in the US on 2026-03-08
    expect(classifyTask(task({ due: '2026-03-09T06:30:00Z' }), 'America/Los_Angeles', now)).toBe('today'); // 23:30 PDT
    expect(classifyTask(task({ due: '2026-03-09T07:30:00Z' }), 'America/Los_Angeles', now)).toBe('tomorrow');
  });
});

describe('all-day tasks', () => {
  it('are compared by calendar date, whatever the rep time zone', () => {
    const allDayToday = task({ due: '2026-11-22T00:00:00Z', allDay: true });
    // In Los Angeles it is still the 22nd at 20:00 UTC, in Auckland it is already the 23rd.
    const now = at('2026-11-22T20:00:00Z');
    expect(classifyTask(allDayToday, 'America/Los_Angeles', now)).toBe('today');
    expect(classifyTask(allDayToday, 'Pacific/Auckland', now)).toBe('overdue');
    // Read as an instant, midnight UTC would be the 21st in Los Angeles: the date wins.
    expect(classifyTask({ ...allDayToday, allDay: false }, 'America/Los_Angeles', now)).toBe('overdue');
  });
});

describe('bucketTasks', () => {
  const now = at('2026-11-22T10:00:00Z');
  const tasks = [
    task({ id: 'o2', due: '2026-11-20T10:00:00Z' }),
    task({ id: 'o1', due: '2026-11-10T10:00:00Z' }),
    task({ id: 'o3', due: '2026-11-21T10:00:00Z' }),
    task({ id: 'd1', due: '2026-11-22T15:00:00Z' }),
    task({ id: 'm1', due: '2026-11-23T09:00:00Z' }),
    task({ id: 'later', due: '2026-11-26T09:00:00Z' }),
  ];

  it('counts every task and lists at most `limit`, oldest due first', () => {
    const b = bucketTasks({ tasks, timeZone: 'UTC', now, limit: 2 });
    expect(b.overdue.count).toBe(3);
    expect(b.overdue.tasks.map((t) => t.id)).toEqual(['o1', 'o2']);
    expect(b.today).toMatchObject({ count: 1, tasks: [{ id: 'd1' }] });
    expect(b.tomorrow).toMatchObject({ count: 1, tasks: [{ id: 'm1' }] });
  });

  it('adds the tasks it did not fetch (between the first and last pages) to the overdue count', () => {
    const b = bucketTasks({ tasks, timeZone: 'UTC', now, limit: 5, total: tasks.length + 40 });
    expect(b.overdue.count).toBe(43);
  });

  it('ignores a task listed twice (the same task in both pages)', () => {
    const b = bucketTasks({ tasks: [...tasks, tasks[0]!], timeZone: 'UTC', now, limit: 5 });
    expect(b.overdue.count).toBe(3);
  });

  it('returns empty buckets for no tasks', () => {
    expect(bucketTasks({ tasks: [], timeZone: 'UTC', now, limit: 5 })).toEqual({
      overdue: { count: 0, tasks: [] },
      today: { count: 0, tasks: [] },
      tomorrow: { count: 0, tasks: [] },
    });
  });
});

describe('searchUpperBound', () => {
  it('covers the end of tomorrow in the easternmost zone (UTC+14)', () => {
    const now = at('2026-11-22T23:59:00Z');
    const endOfTomorrowKiritimati = DateTime.fromMillis(now, { zone: 'Pacific/Kiritimati' }).startOf('day').plus({ days: 2 }).toMillis();
    expect(searchUpperBound(now)).toBeGreaterThanOrEqual(endOfTomorrowKiritimati);
  });
});
