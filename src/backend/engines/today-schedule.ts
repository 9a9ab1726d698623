import { DateTime } from 'luxon';
import { dayWindow } from './task-buckets';

// Today's schedule (CS-SUM-4): the meetings and tasks of the user's today, in their zone, in time
// order. Pure: the caller passes the records, the zone and `now`.

export type ScheduleMeetingInput = { id: string; title: string; startAt: number | null; endAt: number | null; outcome: string | null };
export type ScheduleTaskInput = { id: string; title: string; dueAt: number | null; allDay: boolean; status: string | null };

export type ScheduledItem = {
  kind: 'meeting' | 'task';
  id: string;
  title: string;
  startsAt: number;
  endsAt: number | null;
  allDay: boolean;
  status: string | null;
  done: boolean;
};

/** The user's today in `timeZone`: its date and the instants it starts and ends (23 or 25 hours on DST days). */
export function todayIn(timeZone: string, now: number): { date: string; start: number; end: number } {
  const w = dayWindow(timeZone, now);
  return { date: w.today, start: w.todayStart, end: w.tomorrowStart };
}

/**
 * Meetings that overlap today and tasks due today, ordered by when they start: all-day tasks at the
 * start of the day, then by time, meetings before tasks at the same instant, then by id.
 */
export function todaySchedule(input: {
  meetings: readonly ScheduleMeetingInput[];
  tasks: readonly ScheduleTaskInput[];
  timeZone: string;
  now: number;
}): { date: string; items: ScheduledItem[] } {
  const today = todayIn(input.timeZone, input.now);
  const items: ScheduledItem[] = [];
  for (const m of input.meetings) {
    if (m.startAt === null) continue;
    const end = m.endAt !== null && m.endAt > m.startAt ? m.endAt : null;
    // A meeting is on today's schedule when any part of it lies in today (one started yesterday evening and still running counts).
    const onToday = m.startAt < today.end && (end === null ? m.startAt >= today.start : end > today.start);
    if (!onToday) continue;
    items.push({
      kind: 'meeting',
      id: m.id,
      title: m.title,
      startsAt: m.startAt,
      endsAt: end,
      allDay: false,
      status: m.outcome,
      done: false,
    });
  }
  for (const t of input.tasks) {
    if (t.dueAt === null) continue;
    let startsAt: number;
    if (t.allDay) {
      // All-day tasks carry midnight UTC of their date: compare calendar dates (hubspot-crm-data.md §1.2).
      if (new Date(t.dueAt).toISOString().slice(0, 10) !== today.date) continue;
      startsAt = DateTime.fromISO(today.date, { zone: input.timeZone }).toMillis();
    } else {
      if (t.dueAt < today.start || t.dueAt >= today.end) continue;
      startsAt = t.dueAt;
    }
    items.push({
      kind: 'task',
      id: t.id,
      title: t.title,
      startsAt,
      endsAt: null,
      allDay: t.allDay,
      status: t.status,
      done: t.status === 'COMPLETED',
    });
  }
  const rank = (i: ScheduledItem) => (i.allDay ? 0 : i.kind === 'meeting' ? 1 : 2);
  items.sort((a, b) => a.startsAt - b.startsAt || rank(a) - rank(b) || a.id.localeCompare(b.id));
  return { date: today.date, items };
}
