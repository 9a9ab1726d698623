import { DateTime, IANAZone } from 'luxon';
import type { ObjectRef, TaskBucketName } from '../contract/api';

export type TaskInput = {
  id: string;
  subject: string;
  /** hs_timestamp in epoch ms; null when the task has no due date. */
  dueAt: number | null;
  /** hs_task_is_all_day: the timestamp is midnight UTC of the due date, compared by calendar date. */
  allDay: boolean;
  status: string;
  priority: string;
  type: string;
  ownerId: string | null;
  associations: ObjectRef[];
};

export type BucketedTask = TaskInput & { dueAt: number };
export type TaskBuckets = Record<TaskBucketName, { count: number; tasks: BucketedTask[] }>;

export const BUCKETS: readonly TaskBucketName[] = ['overdue', 'today', 'tomorrow'];

// Asking Intl whether a zone exists, and computing a zone's day starts, cost tens of microseconds
// each; both answers are memoised (the day window until the day changes), so results stay pure.
const validZones = new Map<string, boolean>();
const windows = new Map<string, DayWindow>();

const midnights = new Map<string, number>();

/** The instant a calendar date starts in a zone (memoised). */
function localMidnight(date: string, timeZone: string): number {
  const key = `${timeZone}|${date}`;
  let start = midnights.get(key);
  if (start === undefined) {
    if (midnights.size > 10_000) midnights.clear();
    midnights.set(key, (start = DateTime.fromISO(date, { zone: timeZone }).toMillis()));
  }
  return start;
}

/** True for an IANA zone name luxon can use. */
export function isValidTimeZone(zone: string | null | undefined): zone is string {
  if (!zone) return false;
  let valid = validZones.get(zone);
  if (valid === undefined) {
    valid = IANAZone.isValidZone(zone);
    if (validZones.size > 1_000) validZones.clear();
    validZones.set(zone, valid);
  }
  return valid;
}

/** The user's today and tomorrow, as instants and calendar dates; computed once per request. */
export type DayWindow = { todayStart: number; tomorrowStart: number; dayAfterStart: number; today: string; tomorrow: string };

export function dayWindow(timeZone: string, now: number): DayWindow {
  const cached = windows.get(timeZone);
  if (cached && cached.todayStart <= now && now < cached.tomorrowStart) return cached;
  const computed = computeDayWindow(timeZone, now);
  if (windows.size > 1_000) windows.clear();
  windows.set(timeZone, computed);
  return computed;
}

function computeDayWindow(timeZone: string, now: number): DayWindow {
  const today = DateTime.fromMillis(now, { zone: timeZone }).startOf('day');
  const tomorrow = today.plus({ days: 1 });
  return {
    todayStart: today.toMillis(),
    tomorrowStart: tomorrow.toMillis(),
    dayAfterStart: tomorrow.plus({ days: 1 }).toMillis(),
    today: today.toISODate()!,
    tomorrow: tomorrow.toISODate()!,
  };
}

function classifyIn(task: TaskInput, w: DayWindow): TaskBucketName | null {
  if (task.dueAt === null || task.status === 'COMPLETED') return null;
  if (task.allDay) {
    // All-day tasks carry midnight UTC of their date: compare calendar dates (hubspot-crm-data.md §1.2).
    const date = new Date(task.dueAt).toISOString().slice(0, 10);
    return date < w.today ? 'overdue' : date === w.today ? 'today' : date === w.tomorrow ? 'tomorrow' : null;
  }
  // Day starts computed by luxon in the user's zone, so 23- and 25-hour DST days are right.
  if (task.dueAt < w.todayStart) return 'overdue';
  if (task.dueAt < w.tomorrowStart) return 'today';
  if (task.dueAt < w.dayAfterStart) return 'tomorrow';
  return null;
}

/** Which bucket an open task falls in for a user in `timeZone` at `now`, or null for none. */
export function classifyTask(task: TaskInput, timeZone: string, now: number): TaskBucketName | null {
  return classifyIn(task, dayWindow(timeZone, now));
}

/**
 * The latest instant that can still be "due tomorrow" anywhere on Earth (UTC+14) — a time-zone-free
 * upper bound for the search, so it need not wait for the user's zone.
 */
export function searchUpperBound(now: number): number {
  return DateTime.fromMillis(now, { zone: 'utc' }).startOf('day').plus({ days: 3 }).toMillis();
}

/**
 * Splits open tasks into overdue / today / tomorrow, oldest due first, at most `limit` listed each.
 * `total` is the number of tasks matching the search when `tasks` is only its first and last pages:
 * the tasks not fetched lie between them in due order, which the caller guarantees is overdue.
 */
export function bucketTasks(input: { tasks: TaskInput[]; timeZone: string; now: number; limit: number; total?: number }): TaskBuckets {
  const { timeZone, now, limit } = input;
  const window = dayWindow(timeZone, now);
  const seen = new Set<string>();
  const grouped: Record<TaskBucketName, BucketedTask[]> = { overdue: [], today: [], tomorrow: [] };
  for (const task of input.tasks) {
    if (seen.has(task.id)) continue;
    seen.add(task.id);
    const bucket = classifyIn(task, window);
    if (bucket) grouped[bucket].push(task as BucketedTask);
  }
  // An all-day task sorts at the start of its day in the user's zone.
  const sortKey = (t: BucketedTask) => (t.allDay ? localMidnight(new Date(t.dueAt).toISOString().slice(0, 10), timeZone) : t.dueAt);
  const unfetched = Math.max(0, (input.total ?? seen.size) - seen.size);
  const result = {} as TaskBuckets;
  for (const name of BUCKETS) {
    const list = grouped[name].sort((a, b) => sortKey(a) - sortKey(b) || a.id.localeCompare(b.id));
    result[name] = { count: list.length + (name === 'overdue' ? unfetched : 0), tasks: list.slice(0, limit) };
  }
  return result;
}
