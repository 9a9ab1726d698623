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

/** True for an IANA zone name luxon can use. */
export function isValidTimeZone(zone: string | null | undefined): zone is string {
  return !!zone && IANAZone.isValidZone(zone);
}

/** The calendar date (yyyy-mm-dd) a task is due on, as the user sees it. */
export function dueDate(task: { dueAt: number; allDay: boolean }, timeZone: string): string {
  const zone = task.allDay ? 'utc' : timeZone;
  return DateTime.fromMillis(task.dueAt, { zone }).toISODate()!;
}

/** Which bucket an open task falls in for a user in `timeZone` at `now`, or null for none. */
export function classifyTask(task: TaskInput, timeZone: string, now: number): TaskBucketName | null {
  if (task.dueAt === null || task.status === 'COMPLETED') return null;
  const today = DateTime.fromMillis(now, { zone: timeZone }).startOf('day');
  const date = dueDate({ dueAt: task.dueAt, allDay: task.allDay }, timeZone);
  if (date < today.toISODate()!) return 'overdue';
  if (date === today.toISODate()) return 'today';
  if (date === today.plus({ days: 1 }).toISODate()) return 'tomorrow';
  return null;
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
  const seen = new Set<string>();
  const grouped: Record<TaskBucketName, BucketedTask[]> = { overdue: [], today: [], tomorrow: [] };
  for (const task of input.tasks) {
    if (seen.has(task.id)) continue;
    seen.add(task.id);
    const bucket = classifyTask(task, timeZone, now);
    if (bucket) grouped[bucket].push(task as BucketedTask);
  }
  const sortKey = (t: BucketedTask) => (t.allDay ? DateTime.fromISO(dueDate(t, timeZone), { zone: timeZone }).toMillis() : t.dueAt);
  const unfetched = Math.max(0, (input.total ?? seen.size) - seen.size);
  const result = {} as TaskBuckets;
  for (const name of BUCKETS) {
    const list = grouped[name].sort((a, b) => sortKey(a) - sortKey(b) || a.id.localeCompare(b.id));
    result[name] = { count: list.length + (name === 'overdue' ? unfetched : 0), tasks: list.slice(0, limit) };
  }
  return result;
}
