// The Schedule tab's HTTP contract (CS-SCH-1..2, SW-3). The UI imports only these types.
import type { Freshness, ObjectRef, PartialResult } from './api';

export type ScheduleViewName = 'day' | 'week' | 'month';

/** An open or completed task on its due date. */
export type ScheduleTask = {
  kind: 'task';
  id: string;
  title: string;
  /** Due instant (ISO). For an all-day task, midnight UTC of its date. */
  start: string;
  allDay: boolean;
  status: string;
  priority: string;
  type: string;
  /** At most 10 (SCHEDULE_LIMITS.associations); `moreAssociations` counts the rest. */
  associations: ObjectRef[];
  moreAssociations?: number;
};

/** One of the user's meetings, with what its summary shows. */
export type ScheduleMeeting = {
  kind: 'meeting';
  id: string;
  title: string;
  start: string;
  end: string;
  outcome: string | null;
  location: string | null;
  /** The meeting's web link (hs_meeting_external_url, or a location that is one): "start meeting". */
  videoUrl: string | null;
  /** The meeting's description, shortened to 500 characters. */
  description: string | null;
  /** Contacts, companies and deals the meeting is with: at most 10; `moreAssociations` counts the rest. */
  associations: ObjectRef[];
  moreAssociations?: number;
};

/** Another user's meeting seen by a manager viewing as them: when they are busy, nothing else. */
export type ScheduleBusy = { kind: 'busy'; start: string; end: string };

export type ScheduleItem = ScheduleTask | ScheduleMeeting | ScheduleBusy;

/**
 * What the month view sends of an item (`brief: true`): enough for its line; its summary comes
 * from the day view. A busy block has no id; a task's `end` is null.
 */
export type ScheduleBrief = {
  brief: true;
  kind: 'task' | 'meeting' | 'busy';
  id: string | null;
  title: string;
  start: string;
  end: string | null;
  allDay: boolean;
};

/**
 * How much one answer carries, so that it stays far below hubspot.fetch's 1 MB response limit
 * whatever the book: items per day (week, month) or per page (day), associations per item, and the
 * lengths of free-text fields.
 */
export const SCHEDULE_LIMITS = {
  dayPage: 50,
  weekPerDay: 12,
  monthPerDay: 8,
  associations: 10,
  text: 200,
  url: 2048,
} as const;

export type ScheduleDayResponse = {
  date: string;
  /** ISO weekday, 1 Monday … 7 Sunday. */
  weekday: number;
  start: string;
  end: string;
  isToday: boolean;
  /**
   * Meetings and tasks of the day by start; all-day tasks first. At most SCHEDULE_LIMITS.weekPerDay
   * (week) or monthPerDay (month, as briefs) from the day's first; a day view: the page of
   * SCHEDULE_LIMITS.dayPage from `offset`.
   */
  items: (ScheduleItem | ScheduleBrief)[];
  /** The day's items after the ones in `items` (meetings counts busy blocks). */
  more: { tasks: number; meetings: number };
};

/** GET /api/v1/schedule */
export type ScheduleResponse = PartialResult &
  Freshness & {
    view: ScheduleViewName;
    timeZone: string;
    /** The user's own zone (the picker's default). */
    userTimeZone: string;
    date: string;
    previous: string;
    next: string;
    today: string;
    start: string;
    end: string;
    hideWeekends: boolean;
    /** True when a manager views another user's schedule: meetings are busy blocks only. */
    busyOnly: boolean;
    /** The day view's first item shown (its page); 0 for a week or a month. */
    offset: number;
    /** Items a day carries at most: SCHEDULE_LIMITS.dayPage, weekPerDay or monthPerDay. */
    pageSize: number;
    days: ScheduleDayResponse[];
    counts: { meetings: number; tasks: number };
  };
