import { DateTime } from 'luxon';

// The Schedule tab's calendar arithmetic (CS-SCH-1): which days a day, week or month view covers
// in a time zone, where each day starts and ends (DST days are 23 or 25 hours long), and which
// items fall on which day. Pure: the caller passes the zone and `now`.

export const SCHEDULE_VIEWS = ['day', 'week', 'month'] as const;
export type ScheduleView = (typeof SCHEDULE_VIEWS)[number];

export type ScheduleDay = {
  /** The calendar date, YYYY-MM-DD, in the view's zone. */
  date: string;
  /** ISO weekday: 1 Monday … 7 Sunday. */
  weekday: number;
  /** The instant the day starts in the zone (epoch ms). */
  start: number;
  /** The instant the next day starts (exclusive end). */
  end: number;
};

export type ScheduleRange = {
  view: ScheduleView;
  /** The date the view was asked for, normalised (any day inside the range). */
  anchor: string;
  /** First instant covered (the first day's start, weekends included) and the exclusive end. */
  start: number;
  end: number;
  /** The days shown, in order (without Saturday and Sunday when weekends are hidden). */
  days: ScheduleDay[];
  /** Anchors of the previous and next range of the same view. */
  previous: string;
  next: string;
  /** Today's date in the zone, and whether today lies inside the range. */
  today: string;
};

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Whether `date` is a real calendar date written YYYY-MM-DD. */
export function isCalendarDate(date: string): boolean {
  return ISO_DATE.test(date) && DateTime.fromISO(date, { zone: 'UTC' }).isValid;
}

/** The calendar date (YYYY-MM-DD) of an instant in a zone. */
export function dateIn(ms: number, timeZone: string): string {
  return DateTime.fromMillis(ms, { zone: timeZone }).toISODate()!;
}

/** The instant a calendar date starts in a zone: local midnight, or the first instant of the day when midnight is skipped by DST. */
export function dayStart(date: string, timeZone: string): number {
  return DateTime.fromISO(date, { zone: timeZone }).startOf('day').toMillis();
}

function day(date: DateTime, timeZone: string): ScheduleDay {
  const iso = date.toISODate()!;
  const next = date.plus({ days: 1 }).toISODate()!;
  return { date: iso, weekday: date.weekday, start: dayStart(iso, timeZone), end: dayStart(next, timeZone) };
}

/**
 * The days a view covers around `date` in `timeZone`: the day itself, its ISO week (Monday to
 * Sunday) or its calendar month. Day boundaries are local midnights, so a week that crosses a DST
 * change is 167 or 169 hours long. `hideWeekends` (week and month only) leaves out Saturdays and
 * Sundays from `days`; `start`/`end` still span the whole range.
 */
export function scheduleRange(input: {
  view: ScheduleView;
  date: string;
  timeZone: string;
  hideWeekends: boolean;
  now: number;
}): ScheduleRange {
  const { view, timeZone } = input;
  const anchor = DateTime.fromISO(input.date, { zone: 'UTC' });
  if (!anchor.isValid) throw new RangeError(`Not a calendar date: ${input.date}`);
  const unit = view === 'day' ? 'day' : view === 'week' ? 'week' : 'month';
  // Calendar dates are computed in UTC (no DST there); only their starts are located in the zone.
  const first = anchor.startOf(unit);
  const last = anchor.endOf(unit).startOf('day');
  const all: ScheduleDay[] = [];
  for (let d = first; d <= last; d = d.plus({ days: 1 })) all.push(day(d, timeZone));
  const days = input.hideWeekends && view !== 'day' ? all.filter((d) => d.weekday <= 5) : all;
  const step = view === 'day' ? { days: 1 } : view === 'week' ? { weeks: 1 } : { months: 1 };
  return {
    view,
    anchor: anchor.toISODate()!,
    start: all[0]!.start,
    end: all[all.length - 1]!.end,
    days,
    previous: first.minus(step).toISODate()!,
    next: first.plus(step).toISODate()!,
    today: dateIn(input.now, timeZone),
  };
}

export type ScheduleEntry = {
  /** Start instant (epoch ms). For an all-day task: midnight UTC of its date (HubSpot's convention). */
  start: number;
  /** Exclusive end instant; equal to start for a task. */
  end: number;
  allDay: boolean;
};

/**
 * The dates (YYYY-MM-DD) of `days` an entry is on: an all-day entry on its UTC calendar date
 * (what the user picked, whatever their zone); a timed entry on each day its [start, end)
 * overlaps, a point in time (a task) on the day containing it.
 */
export function daysOf(entry: ScheduleEntry, days: readonly ScheduleDay[]): string[] {
  if (entry.allDay) {
    const date = DateTime.fromMillis(entry.start, { zone: 'UTC' }).toISODate();
    return days.some((d) => d.date === date) ? [date!] : [];
  }
  const end = Math.max(entry.end, entry.start + 1);
  return days.filter((d) => entry.start < d.end && end > d.start).map((d) => d.date);
}

/** A meeting's video link: the meeting URL, else a location that is a web address; only http(s). */
export function videoLinkOf(externalUrl: string | null | undefined, location: string | null | undefined): string | null {
  for (const candidate of [externalUrl, location]) {
    const text = candidate?.trim();
    if (!text) continue;
    try {
      const url = new URL(text);
      if (url.protocol === 'https:' || url.protocol === 'http:') return url.toString();
    } catch {
      // not a URL: a room name, an address
    }
  }
  return null;
}
