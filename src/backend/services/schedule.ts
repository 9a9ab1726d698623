import type { ObjectRef } from '../contract/api';
import {
  SCHEDULE_LIMITS,
  type ScheduleBrief,
  type ScheduleDayResponse,
  type ScheduleItem,
  type ScheduleResponse,
  type ScheduleViewName,
} from '../contract/schedule';
import type { ScheduleItem as TodayItem, TodayScheduleResponse } from '../contract/summary';
import { readBoolean } from '../crm/values';
import { dateIn, daysOf, scheduleRange, videoLinkOf, type ScheduleEntry } from '../engines/schedule';
import { isValidTimeZone } from '../engines/task-buckets';
import { createCopyRepo, type CopyRecord, type CopyRepo, type Queryable } from '../storage';
import { freshnessOf } from '../sync/status';
import { createCopyCache, type CopyCache } from './copy-cache';
import { labelProperties, recordLabel } from './record-labels';
import { copyTimeZone } from './time-zone';

export type ScheduleInput = {
  /** Who is looking (the HubSpot user who opened Tiller). */
  viewerUserId: number;
  /** Whose schedule is shown: the viewer, or the user a manager views as. */
  userId: number;
  view: ScheduleViewName;
  /** Any date inside the range (YYYY-MM-DD); default today in the zone. */
  date?: string;
  /** IANA zone the days are cut in; default the user's zone. */
  timeZone?: string;
  hideWeekends: boolean;
  /** The day view's first item shown (its page of SCHEDULE_LIMITS.dayPage); ignored for a week or a month. */
  offset?: number;
  now: number;
};

// Meetings are found by start; one that started up to this long before the range may still overlap it.
const LONGEST_MEETING_MS = 24 * 3_600_000;
const DESCRIPTION_MAX = 500;
const ASSOCIATED_TYPES = ['contacts', 'companies', 'deals'];
const LABEL_PROPERTIES = [...new Set(ASSOCIATED_TYPES.flatMap(labelProperties))];
// What an item shows of its task or meeting: the copy's records are read with these only.
const TASK_PROPERTIES = ['hs_task_subject', 'hs_task_is_all_day', 'hs_task_status', 'hs_task_priority', 'hs_task_type'];
const MEETING_PROPERTIES = [
  'hs_meeting_title',
  'hs_meeting_end_time',
  'hs_meeting_outcome',
  'hs_meeting_location',
  'hs_meeting_external_url',
  'hs_meeting_body',
];

type Placed = { item: ScheduleItem; entry: ScheduleEntry };

/**
 * Per copy version: a user's placed items of a range (the range is the key, so no clock), and
 * whole answers (the same object for the same question and freshness, so it is serialized once:
 * a big rep's week still carries hundreds of items).
 */
export type ScheduleCache = { placed: CopyCache<Placed[]>; answers: CopyCache<ScheduleResponse> };
export const createScheduleCache = (now: () => number, max = 500): ScheduleCache => ({
  placed: createCopyCache({ max, ttlMs: 10 * 60_000, now }),
  answers: createCopyCache({ max: Math.ceil(max / 5), ttlMs: 10 * 60_000, now }),
});

/**
 * The user's tasks and meetings on a day, week or month in a time zone, from the portal copy (no
 * HubSpot call). A manager viewing as someone else sees that user's meetings as busy blocks only.
 */
export async function getSchedule(db: Queryable, portalId: number, input: ScheduleInput, cache?: ScheduleCache): Promise<ScheduleResponse> {
  const repo = createCopyRepo(db);
  const [freshness, own, owners, version] = await Promise.all([
    freshnessOf(repo, portalId, input.now),
    copyTimeZone(repo, portalId, input.userId),
    repo.owners(portalId),
    cache ? repo.copyVersion(portalId) : 0,
  ]);
  const timeZone = input.timeZone ?? own.timeZone;
  if (!isValidTimeZone(timeZone)) throw new RangeError(`Unknown time zone: ${timeZone}`);
  const range = scheduleRange({
    view: input.view,
    date: input.date ?? dateIn(input.now, timeZone),
    timeZone,
    hideWeekends: input.hideWeekends,
    now: input.now,
  });
  const busyOnly = input.userId !== input.viewerUserId;
  const offset = input.view === 'day' ? (input.offset ?? 0) : 0;
  const warnings = [...own.warnings];

  const owner = owners.find((o) => o.userId === input.userId && !o.archived);
  const placedKey = owner ? `${portalId}:${owner.id}:${range.start}:${range.end}:${busyOnly}` : null;
  if (!cache || !placedKey) return answer();
  const answerKey = JSON.stringify([
    placedKey,
    input.view,
    offset,
    range.anchor,
    range.today,
    timeZone,
    own,
    input.hideWeekends,
    freshness,
  ]);
  return cache.answers.get(answerKey, version, answer);

  async function answer(): Promise<ScheduleResponse> {
    let placed: Placed[] = [];
    if (!owner) {
      warnings.push(
        freshness.syncing
          ? 'Tiller is still copying this portal from HubSpot; the schedule fills in as soon as it is loaded.'
          : 'This user is not a HubSpot owner in this portal, so no tasks or meetings are assigned to them.',
      );
    } else {
      const read = () => scheduleItems(repo, portalId, owner.id, range.start, range.end, busyOnly);
      placed = cache ? await cache.placed.get(placedKey!, version, read) : await read();
    }

    const days: DayHead[] = range.days.map((d) => ({
      date: d.date,
      weekday: d.weekday,
      start: new Date(d.start).toISOString(),
      end: new Date(d.end).toISOString(),
      isToday: d.date === range.today,
    }));
    const all = new Map<string, ScheduleItem[]>(days.map((d) => [d.date, []]));
    const shown = new Set<ScheduleItem>();
    for (const p of placed) {
      for (const date of daysOf(p.entry, range.days)) {
        all.get(date)!.push(p.item);
        shown.add(p.item);
      }
    }
    const items = [...shown];
    const head: AnswerHead = {
      view: input.view,
      timeZone,
      userTimeZone: own.timeZone,
      date: range.anchor,
      previous: range.previous,
      next: range.next,
      today: range.today,
      start: new Date(range.start).toISOString(),
      end: new Date(range.end).toISOString(),
      hideWeekends: input.hideWeekends && input.view !== 'day',
      busyOnly,
      offset,
      counts: {
        meetings: items.filter((i) => i.kind !== 'task').length,
        tasks: items.filter((i) => i.kind === 'task').length,
      },
      ...freshness,
      ...(warnings.length ? { partial: true, warnings } : {}),
    };
    return fitAnswer(
      head,
      days.map((d) => ({ ...d, items: all.get(d.date)!.sort(byStart) })),
    );
  }
}

type DayHead = Omit<ScheduleDayResponse, 'items' | 'more'>;
type AnswerHead = Omit<ScheduleResponse, 'days' | 'pageSize'>;

/**
 * The most an answer's JSON may weigh: hubspot.fetch refuses a response over 1 MB
 * (reference/hubspot-platform.md, "Limits"); the rest is room for the proxy's envelope.
 */
export const SCHEDULE_MAX_BYTES = 800_000;

/**
 * The answer with each day's page of its sorted items (pageOfDay): the view's page size, halved
 * until the JSON fits SCHEDULE_MAX_BYTES (only items of extreme length — long titles, many
 * escaped characters — need that; `pageSize` says what was kept). Pure.
 */
export function fitAnswer(head: AnswerHead, days: readonly (DayHead & { items: readonly ScheduleItem[] })[]): ScheduleResponse {
  for (let size = pageSizeOf(head.view); ; size = Math.floor(size / 2)) {
    const answer: ScheduleResponse = {
      ...head,
      pageSize: size,
      days: days.map((d) => ({ ...d, ...pageOfDay(d.items, head.view, head.offset, size) })),
    };
    if (size <= 1 || Buffer.byteLength(JSON.stringify(answer)) <= SCHEDULE_MAX_BYTES) return answer;
  }
}

const isTask = (i: ScheduleItem | ScheduleBrief) => i.kind === 'task';

/**
 * What a day's answer carries of its items (sorted), so that the answer stays far below the 1 MB
 * hubspot.fetch allows whatever the book: a week its first SCHEDULE_LIMITS.weekPerDay, a month
 * its first monthPerDay as briefs, a day the page of dayPage from `offset`; `more` counts the
 * items after them (`size`: fewer, when the answer would be too heavy). Pure.
 */
export const pageSizeOf = (view: ScheduleViewName): number =>
  view === 'day' ? SCHEDULE_LIMITS.dayPage : view === 'week' ? SCHEDULE_LIMITS.weekPerDay : SCHEDULE_LIMITS.monthPerDay;

export function pageOfDay(
  sorted: readonly ScheduleItem[],
  view: ScheduleViewName,
  offset = 0,
  size = pageSizeOf(view),
): Pick<ScheduleDayResponse, 'items' | 'more'> {
  const from = view === 'day' ? Math.max(0, offset) : 0;
  const page = sorted.slice(from, from + size);
  const rest = sorted.slice(from + size);
  const tasks = rest.filter(isTask).length;
  return {
    items: view === 'month' ? page.map(briefOf) : page.map(boundedItem),
    more: { tasks, meetings: rest.length - tasks },
  };
}

/** A month's item: its line only. */
export function briefOf(item: ScheduleItem): ScheduleBrief {
  if (item.kind === 'busy') return { brief: true, kind: 'busy', id: null, title: 'Busy', start: item.start, end: item.end, allDay: false };
  return {
    brief: true,
    kind: item.kind,
    id: item.id,
    title: clip(item.title),
    start: item.start,
    end: item.kind === 'meeting' ? item.end : null,
    allDay: item.kind === 'task' && item.allDay,
  };
}

/** An item with its free text clipped and at most SCHEDULE_LIMITS.associations records. */
export function boundedItem(item: ScheduleItem): ScheduleItem {
  if (item.kind === 'busy') return item;
  const associations = item.associations.slice(0, SCHEDULE_LIMITS.associations).map((a) => ({ ...a, label: clip(a.label) }));
  const more = item.associations.length - associations.length;
  const common = { title: clip(item.title), associations, ...(more > 0 ? { moreAssociations: more } : {}) };
  if (item.kind === 'task') return { ...item, ...common, status: clip(item.status), priority: clip(item.priority), type: clip(item.type) };
  return {
    ...item,
    ...common,
    outcome: item.outcome === null ? null : clip(item.outcome),
    location: item.location === null ? null : clip(item.location),
    // A clipped link would be a broken one.
    videoUrl: item.videoUrl && item.videoUrl.length <= SCHEDULE_LIMITS.url ? item.videoUrl : null,
  };
}

function clip(text: string): string {
  return text.length > SCHEDULE_LIMITS.text ? `${text.slice(0, SCHEDULE_LIMITS.text - 1)}…` : text;
}

// All-day tasks first, then by start, then meetings before tasks at the same time, then by id.
function byStart(a: ScheduleItem, b: ScheduleItem): number {
  const allDay = (i: ScheduleItem) => (i.kind === 'task' && i.allDay ? 0 : 1);
  return (
    allDay(a) - allDay(b) ||
    a.start.localeCompare(b.start) ||
    (a.kind === 'task' ? 1 : 0) - (b.kind === 'task' ? 1 : 0) ||
    ('id' in a && 'id' in b ? Number(a.id) - Number(b.id) : 0)
  );
}

async function scheduleItems(
  repo: CopyRepo,
  portalId: number,
  ownerId: string,
  start: number,
  end: number,
  busyOnly: boolean,
): Promise<Placed[]> {
  // All-day tasks sit at midnight UTC of their date, which can be up to 14 h outside the local range.
  const slack = 14 * 3_600_000;
  const [tasks, meetings] = await Promise.all([
    repo.listRecords(portalId, 'tasks', {
      ownerId,
      dueFrom: new Date(start - slack),
      dueBefore: new Date(end + slack),
      orderBy: 'due_at',
      properties: TASK_PROPERTIES,
    }),
    repo.listRecords(portalId, 'meetings', {
      ownerId,
      dueFrom: new Date(start - LONGEST_MEETING_MS),
      dueBefore: new Date(end),
      orderBy: 'due_at',
      properties: busyOnly ? ['hs_meeting_end_time'] : MEETING_PROPERTIES,
    }),
  ]);
  const refs = await associated(repo, portalId, [
    { type: 'tasks', ids: tasks.map((t) => t.id) },
    ...(busyOnly ? [] : [{ type: 'meetings', ids: meetings.map((m) => m.id) }]),
  ]);
  const out: Placed[] = [];
  for (const t of tasks) {
    const at = t.dueAt!.getTime();
    const allDay = readBoolean(t.properties.hs_task_is_all_day) ?? false;
    out.push({
      entry: { start: at, end: at, allDay },
      item: {
        kind: 'task',
        id: t.id,
        title: t.properties.hs_task_subject || '(no subject)',
        start: t.dueAt!.toISOString(),
        allDay,
        status: t.properties.hs_task_status || 'NOT_STARTED',
        priority: t.properties.hs_task_priority || 'NONE',
        type: t.properties.hs_task_type || 'TODO',
        associations: refs.get(`tasks:${t.id}`) ?? [],
      },
    });
  }
  for (const m of meetings) {
    const { startMs, endMs } = meetingTimes(m);
    if (endMs <= start && startMs < start) continue;
    const startIso = new Date(startMs).toISOString();
    const endIso = new Date(endMs).toISOString();
    const p = m.properties;
    const item: ScheduleItem = busyOnly
      ? { kind: 'busy', start: startIso, end: endIso }
      : {
          kind: 'meeting',
          id: m.id,
          title: p.hs_meeting_title || '(no title)',
          start: startIso,
          end: endIso,
          outcome: p.hs_meeting_outcome || null,
          location: p.hs_meeting_location || null,
          videoUrl: videoLinkOf(p.hs_meeting_external_url, p.hs_meeting_location),
          description: shorten(p.hs_meeting_body),
          associations: refs.get(`meetings:${m.id}`) ?? [],
        };
    out.push({ entry: { start: startMs, end: endMs, allDay: false }, item });
  }
  return out;
}

function meetingTimes(m: CopyRecord): { startMs: number; endMs: number } {
  const startMs = m.dueAt!.getTime();
  const endRaw = m.properties.hs_meeting_end_time;
  const parsed = endRaw ? (/^\d+$/.test(endRaw) ? Number(endRaw) : Date.parse(endRaw)) : NaN;
  // Without a readable end after the start, HubSpot shows a meeting as 30 minutes.
  return { startMs, endMs: Number.isFinite(parsed) && parsed > startMs ? parsed : startMs + 30 * 60_000 };
}

function shorten(text: string | null | undefined): string | null {
  const t = text
    ?.replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (!t) return null;
  return t.length > DESCRIPTION_MAX ? `${t.slice(0, DESCRIPTION_MAX - 1)}…` : t;
}

/** The contacts, companies and deals of each task and meeting, labelled, keyed `type:id`. */
async function associated(repo: CopyRepo, portalId: number, groups: { type: string; ids: string[] }[]): Promise<Map<string, ObjectRef[]>> {
  const out = new Map<string, ObjectRef[]>();
  const found = await Promise.all(groups.map((g) => repo.associatedRecords(portalId, g.type, g.ids, ASSOCIATED_TYPES, LABEL_PROPERTIES)));
  groups.forEach((g, i) => {
    for (const a of found[i]!) {
      const key = `${g.type}:${a.id}`;
      const label = recordLabel(a.toType, { id: a.toId, properties: a.properties, createdAt: '', updatedAt: '' });
      const list = out.get(key) ?? [];
      list.push({ objectType: a.toType, objectId: a.toId, label });
      out.set(key, list);
    }
  });
  return out;
}

/**
 * CS-SUM-4: the Summary's "today" — the user's day of the schedule (view 'day' in their zone,
 * everything shown as to the user themself, also when a manager views as them), in time order.
 */
export async function getTodaySchedule(
  db: Queryable,
  portalId: number,
  input: { userId: number; now: number },
  cache?: ScheduleCache,
): Promise<TodayScheduleResponse> {
  const day = await getSchedule(
    db,
    portalId,
    { viewerUserId: input.userId, userId: input.userId, view: 'day', hideWeekends: false, now: input.now },
    cache,
  );
  const { dataAsOf, syncing, warnings } = day;
  const more = day.days[0]!.more;
  const body: TodayScheduleResponse = {
    dataAsOf,
    ...(syncing ? { syncing } : {}),
    date: day.date,
    timeZone: day.timeZone,
    items: day.days[0]!.items.flatMap((i): TodayItem[] => {
      if (i.kind === 'busy' || 'brief' in i) return [];
      return i.kind === 'task'
        ? [
            {
              kind: 'task',
              id: i.id,
              title: i.title,
              // An all-day task starts with the user's day (its due date is midnight UTC).
              startsAt: i.allDay ? day.days[0]!.start : i.start,
              endsAt: null,
              allDay: i.allDay,
              status: i.status,
              done: i.status === 'COMPLETED',
              associations: i.associations,
            },
          ]
        : [
            {
              kind: 'meeting',
              id: i.id,
              title: i.title,
              startsAt: i.start,
              endsAt: i.end,
              allDay: false,
              status: i.outcome,
              done: false,
              associations: i.associations,
            },
          ];
    }),
    ...(more.tasks + more.meetings > 0 ? { more } : {}),
  };
  return warnings?.length ? { ...body, partial: true, warnings } : body;
}

/** What the route checks a query against: real calendar dates and IANA zones. */
export { isCalendarDate } from '../engines/schedule';
export { isValidTimeZone } from '../engines/task-buckets';
