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
  associations: ObjectRef[];
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
  /** Contacts, companies and deals the meeting is with. */
  associations: ObjectRef[];
};

/** Another user's meeting seen by a manager viewing as them: when they are busy, nothing else. */
export type ScheduleBusy = { kind: 'busy'; start: string; end: string };

export type ScheduleItem = ScheduleTask | ScheduleMeeting | ScheduleBusy;

export type ScheduleDayResponse = {
  date: string;
  /** ISO weekday, 1 Monday … 7 Sunday. */
  weekday: number;
  start: string;
  end: string;
  isToday: boolean;
  /** Meetings and tasks of the day by start; all-day tasks first. */
  items: ScheduleItem[];
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
    days: ScheduleDayResponse[];
    counts: { meetings: number; tasks: number };
  };
