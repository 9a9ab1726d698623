import { DateTime } from 'luxon';
import { dayWindow } from './task-buckets';

// The Actions tab's calendar arithmetic, in the user's zone: the built-in views' due windows and
// a due date typed by a person turned into an instant. Same day starts as the task buckets.

export const BUILT_IN_VIEWS = ['due-today', 'overdue', 'due-tomorrow', 'completed'] as const;
export type BuiltInView = (typeof BUILT_IN_VIEWS)[number];

/** Instants bound timed tasks; calendar dates bound all-day tasks (midnight UTC of their date). */
export type ViewWindow = { from?: Date; to?: Date; fromDate?: string; toDate?: string };

export type ViewCondition = { openOnly?: boolean; completedOnly?: boolean; due?: ViewWindow };

/** What a built-in view selects for a user in `timeZone` at `now`. */
export function builtInViewCondition(view: BuiltInView, timeZone: string, now: number): ViewCondition {
  const w = dayWindow(timeZone, now);
  const dayAfter = DateTime.fromISO(w.tomorrow, { zone: 'utc' }).plus({ days: 1 }).toISODate()!;
  switch (view) {
    case 'overdue':
      return { openOnly: true, due: { to: new Date(w.todayStart), toDate: w.today } };
    case 'due-today':
      return {
        openOnly: true,
        due: { from: new Date(w.todayStart), to: new Date(w.tomorrowStart), fromDate: w.today, toDate: w.tomorrow },
      };
    case 'due-tomorrow':
      return {
        openOnly: true,
        due: { from: new Date(w.tomorrowStart), to: new Date(w.dayAfterStart), fromDate: w.tomorrow, toDate: dayAfter },
      };
    case 'completed':
      return { completedOnly: true };
  }
}

/** A due range typed as calendar dates (inclusive) in the user's zone. */
export function dateRangeWindow(fromDate: string | undefined, toDate: string | undefined, timeZone: string): ViewWindow {
  const out: ViewWindow = {};
  if (fromDate) {
    out.from = DateTime.fromISO(fromDate, { zone: timeZone }).startOf('day').toJSDate();
    out.fromDate = fromDate;
  }
  if (toDate) {
    const next = DateTime.fromISO(toDate, { zone: 'utc' }).plus({ days: 1 }).toISODate()!;
    out.to = DateTime.fromISO(next, { zone: timeZone }).startOf('day').toJSDate();
    out.toDate = next;
  }
  return out;
}

/**
 * The instant a task is due, from a date and an optional time ("HH:mm") as the user reads them in
 * their zone. Without a time the task is due at the start of that day. A time skipped by a DST
 * change moves forward by the gap, and a time repeated by one is read in standard time (its second
 * occurrence), as luxon does. Null when unreadable.
 */
export function localDueInstant(date: string, time: string | undefined, timeZone: string): number | null {
  const dt = DateTime.fromISO(time ? `${date}T${time}` : date, { zone: timeZone });
  return dt.isValid ? dt.toMillis() : null;
}
