import type { ObjectRef } from '../contract/api';
import type { TodayScheduleResponse } from '../contract/summary';
import { readBoolean, readDatetime } from '../crm/values';
import { todayIn, todaySchedule } from '../engines/today-schedule';
import { createCopyRepo, type Queryable } from '../storage';
import { freshnessOf } from '../sync/status';
import { recordLabel } from './record-labels';
import { copyTimeZone } from './time-zone';

// CS-SUM-4: the Summary's "today" — meetings and tasks of the user shown, from the portal copy, in
// the user's zone (no HubSpot call). The Schedule tab (CS-SCH-*) has its own, wider reads.

const ABOUT_TYPES = ['contacts', 'companies', 'deals'];
// A meeting that started this long before today may still be running into it.
const LONGEST_MEETING_MS = 24 * 3_600_000;

/** Today's meetings and tasks owned by `userId`, in time order, with the records they are about. */
export async function getTodaySchedule(
  db: Queryable,
  portalId: number,
  input: { userId: number; now: number },
): Promise<TodayScheduleResponse> {
  const repo = createCopyRepo(db);
  // Round 1: freshness, the user's zone and owner id.
  const [freshness, tz, owners] = await Promise.all([
    freshnessOf(repo, portalId, input.now),
    copyTimeZone(repo, portalId, input.userId),
    repo.owners(portalId),
  ]);
  const warnings = [...tz.warnings];
  const today = todayIn(tz.timeZone, input.now);
  const owner = owners.find((o) => o.userId === input.userId && !o.archived);
  if (!owner) {
    // Before the owners are copied, nobody is an owner yet: say so rather than "not an owner".
    const loading = freshness.syncing && !(await repo.syncState(portalId, 'meetings'))?.loadStartedAt;
    warnings.push(
      loading
        ? 'Tiller is still copying this portal from HubSpot; your schedule appears as soon as it is loaded.'
        : 'You are not a HubSpot owner in this portal, so no meetings or tasks are assigned to you.',
    );
    return { ...freshness, date: today.date, timeZone: tz.timeZone, items: [], partial: true, warnings };
  }

  // Round 2: the owner's meetings and tasks around today (all-day tasks sit at midnight UTC of
  // their date, up to 14 hours either side of the user's day).
  const margin = 14 * 3_600_000;
  const [meetings, tasks] = await Promise.all([
    repo.listRecords(portalId, 'meetings', {
      ownerId: owner.id,
      dueFrom: new Date(today.start - LONGEST_MEETING_MS),
      dueBefore: new Date(today.end),
    }),
    repo.listRecords(portalId, 'tasks', {
      ownerId: owner.id,
      dueFrom: new Date(today.start - margin),
      dueBefore: new Date(today.end + margin),
    }),
  ]);
  const schedule = todaySchedule({
    meetings: meetings.map((m) => ({
      id: m.id,
      title: m.properties.hs_meeting_title || '(no title)',
      startAt: m.dueAt?.getTime() ?? null,
      endAt: readDatetime(m.properties.hs_meeting_end_time),
      outcome: m.status,
    })),
    tasks: tasks.map((t) => ({
      id: t.id,
      title: t.properties.hs_task_subject || '(no subject)',
      dueAt: t.dueAt?.getTime() ?? null,
      allDay: readBoolean(t.properties.hs_task_is_all_day) ?? false,
      status: t.status,
    })),
    timeZone: tz.timeZone,
    now: input.now,
  });

  // Round 3: what each item is about, labelled (one query per kind).
  const about = new Map<string, ObjectRef[]>();
  await Promise.all(
    (['meetings', 'tasks'] as const).map(async (type) => {
      const kind = type === 'meetings' ? 'meeting' : 'task';
      const ids = schedule.items.filter((i) => i.kind === kind).map((i) => i.id);
      if (ids.length === 0) return;
      for (const a of await repo.associatedRecords(portalId, type, ids, ABOUT_TYPES)) {
        const label = recordLabel(a.toType, { id: a.toId, properties: a.properties, createdAt: '', updatedAt: '' });
        const key = `${kind}:${a.id}`;
        about.set(key, [...(about.get(key) ?? []), { objectType: a.toType, objectId: a.toId, label }]);
      }
    }),
  );

  const body: TodayScheduleResponse = {
    ...freshness,
    date: schedule.date,
    timeZone: tz.timeZone,
    items: schedule.items.map((i) => ({
      kind: i.kind,
      id: i.id,
      title: i.title,
      startsAt: new Date(i.startsAt).toISOString(),
      endsAt: i.endsAt === null ? null : new Date(i.endsAt).toISOString(),
      allDay: i.allDay,
      status: i.status,
      done: i.done,
      associations: about.get(`${i.kind}:${i.id}`) ?? [],
    })),
  };
  return warnings.length ? { ...body, partial: true, warnings } : body;
}
