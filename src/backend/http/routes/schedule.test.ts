// The Schedule tab's endpoint over the portal copy, on PGlite and PostgreSQL. The gateway refuses
// every call: the schedule must come from the copy alone (0 HubSpot calls).
import request from 'supertest';
import { beforeEach, expect, it } from 'vitest';
import type { Express } from 'express';
import type { ScheduleMeeting, ScheduleResponse, ScheduleTask } from '../../contract/schedule';
import type { CrmGateway } from '../../crm/gateway';
import { createCopyRepo, type CopyRecord, type Database } from '../../storage';
import { describeEachDatabase, truncateAll } from '../../storage/testing';
import { proxiedRequest, type ProxyCall } from '../../../../tests/helpers/hubspot-proxy';
import { TEST_PUBLIC_BASE_URL as PUBLIC, TEST_SECRET as SECRET, testApp } from '../../../../tests/helpers/test-app';

const NOW = Date.parse('2026-03-10T15:00:00Z'); // Tuesday 11:00 in New York (EDT since Sunday)
const PORTAL = 123;
const REP = 9001; // owner 501, New York
const REP2 = 9002; // owner 502
const MANAGER = 9009;

let hubspotCalls = 0;
const noHubSpot: CrmGateway = {
  portal: () =>
    new Proxy({} as ReturnType<CrmGateway['portal']>, {
      get: (_t, prop) =>
        prop === 'portalId'
          ? PORTAL
          : () => {
              hubspotCalls++;
              return Promise.reject(new Error(`HubSpot called: ${String(prop)}`));
            },
    }),
  invalidate: () => {},
  cacheStats: () => ({ entries: 0, bytes: 0 }),
  close: async () => {},
};

function record(id: string, p: Record<string, string | null>, due: string | null, extra: Partial<CopyRecord> = {}): CopyRecord {
  return {
    id,
    properties: p,
    ownerId: p.hubspot_owner_id ?? null,
    createdAt: new Date('2026-02-01T00:00:00Z'),
    modifiedAt: new Date('2026-02-01T00:00:00Z'),
    dueAt: due ? new Date(due) : null,
    pipeline: null,
    stage: null,
    status: null,
    archived: false,
    archivedAt: null,
    mergedInto: null,
    versionMs: 1,
    ...extra,
  };
}

const task = (id: string, subject: string, at: string, more: Record<string, string> = {}) =>
  record(id, { hubspot_owner_id: '501', hs_task_subject: subject, hs_timestamp: at, hs_task_status: 'NOT_STARTED', ...more }, at);
const meeting = (id: string, title: string, start: string, end: string, more: Record<string, string> = {}) =>
  record(
    id,
    {
      hubspot_owner_id: '501',
      hs_meeting_title: title,
      hs_meeting_start_time: start,
      hs_meeting_end_time: end,
      hs_timestamp: start,
      ...more,
    },
    start,
  );

async function seed(db: Database): Promise<void> {
  const copy = createCopyRepo(db);
  const at = new Date(NOW);
  await copy.replaceOwners(PORTAL, [
    { id: '501', userId: REP, email: 'ada@x', firstName: 'Ada', lastName: 'Rep', archived: false },
    { id: '502', userId: REP2, email: 'bo@x', firstName: 'Bo', lastName: 'Seller', archived: false },
  ]);
  await copy.replaceUsers(PORTAL, [
    { id: 'u1', userId: REP, timeZone: 'America/New_York' },
    { id: 'u2', userId: REP2, timeZone: 'Europe/Paris' },
  ]);
  await copy.putPortal(PORTAL, { timeZone: 'Europe/Paris' }, at);
  await copy.upsertRecords(
    PORTAL,
    'tasks',
    [
      // Tuesday 23:30 in New York = Wednesday 03:30 UTC = Wednesday 12:30 in Tokyo.
      task('1', 'Late call', '2026-03-11T03:30:00Z'),
      task('2', 'Morning email', '2026-03-10T13:00:00Z', { hs_task_status: 'COMPLETED' }),
      // All-day on Friday the 13th, whatever the zone.
      task('3', 'Renewal day', '2026-03-13T00:00:00Z', { hs_task_is_all_day: 'true' }),
      // Saturday: hidden with weekends.
      task('4', 'Weekend prep', '2026-03-14T15:00:00Z'),
      // Sunday 01:30 EST, before the clocks jumped (last week).
      task('5', 'Before the change', '2026-03-08T06:30:00Z'),
      record('6', { hubspot_owner_id: '502', hs_task_subject: 'Bo task', hs_timestamp: '2026-03-10T15:00:00Z' }, '2026-03-10T15:00:00Z'),
      task('7', 'Archived', '2026-03-10T15:00:00Z', {}),
    ],
    at,
  );
  await copy.archiveRecords(PORTAL, 'tasks', ['7'], at, 2);
  await copy.upsertRecords(
    PORTAL,
    'meetings',
    [
      meeting('11', 'Discovery with Acme', '2026-03-10T17:00:00Z', '2026-03-10T17:30:00Z', {
        hs_meeting_external_url: 'https://zoom.us/j/123',
        hs_meeting_body: '<p>Agenda:   pricing</p>',
        hs_meeting_outcome: 'SCHEDULED',
      }),
      // Crosses midnight in New York: Thursday 23:00 → Friday 01:00 EDT.
      meeting('12', 'Late sync', '2026-03-13T03:00:00Z', '2026-03-13T05:00:00Z', { hs_meeting_location: 'Room 4' }),
      meeting('13', 'Next month', '2026-04-02T14:00:00Z', '2026-04-02T15:00:00Z'),
    ],
    at,
  );
  await copy.upsertRecords(PORTAL, 'contacts', [record('21', { firstname: 'Ann', lastname: 'Acme' }, null)], at);
  await copy.upsertRecords(PORTAL, 'companies', [record('31', { name: 'Acme Inc' }, null)], at);
  await copy.upsertAssociations(
    PORTAL,
    [
      { fromType: 'meetings', fromId: '11', toType: 'contacts', toId: '21', typeIds: [200], labels: [] },
      { fromType: 'meetings', fromId: '11', toType: 'companies', toId: '31', typeIds: [188], labels: [] },
      { fromType: 'tasks', fromId: '1', toType: 'contacts', toId: '21', typeIds: [204], labels: [] },
    ],
    at,
  );
  for (const type of ['tasks', 'meetings'])
    await copy.putSyncState(
      PORTAL,
      type,
      { state: 'ready', records: 3, loadStartedAt: new Date(NOW - 60_000), lastPolledAt: new Date(NOW - 30_000) },
      at,
    );
}

describeEachDatabase('schedule API', (getDb) => {
  let app: Express;
  const call = (c: ProxyCall) => {
    const r = proxiedRequest(PUBLIC, SECRET, { portalId: PORTAL, userId: REP, timestamp: NOW, ...c });
    return request(app).get(r.pathAndQuery).set(r.headers);
  };
  const schedule = async (query: Record<string, string> = {}, as: Partial<ProxyCall> = {}) => {
    const res = await call({ path: '/api/v1/schedule', query, ...as });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.headers['x-tiller-hubspot-calls']).toBe('0');
    return res.body as ScheduleResponse;
  };
  const titles = (b: ScheduleResponse, date: string) =>
    b.days.find((d) => d.date === date)!.items.map((i) => (i.kind === 'busy' ? `busy ${i.start}` : i.title));

  beforeEach(async () => {
    await truncateAll(getDb());
    await seed(getDb());
    hubspotCalls = 0;
    app = testApp({ crm: noHubSpot, db: getDb(), installed: [PORTAL], managers: [MANAGER], now: () => NOW, exposeMetering: true });
  });

  it('shows a change of the copy in the next answer, also a change of a record the previous answer showed', async () => {
    expect(titles(await schedule({ view: 'week' }), '2026-03-10')).toEqual(['Morning email', 'Discovery with Acme', 'Late call']);
    const copy = createCopyRepo(getDb());
    await copy.upsertRecords(PORTAL, 'tasks', [task('8', 'Added by a webhook', '2026-03-10T20:00:00Z')], new Date(NOW));
    await copy.upsertRecords(
      PORTAL,
      'tasks',
      [task('1', 'Late call, renamed', '2026-03-11T03:30:00Z', {})].map((t) => ({ ...t, versionMs: 5 })),
      new Date(NOW),
    );
    expect(titles(await schedule({ view: 'week' }), '2026-03-10')).toEqual([
      'Morning email',
      'Discovery with Acme',
      'Added by a webhook',
      'Late call, renamed',
    ]);
  });

  it("shows this week's tasks and meetings in the rep's zone, with what each summary needs, without calling HubSpot", async () => {
    const week = await schedule({ view: 'week' });
    expect(week).toMatchObject({
      view: 'week',
      timeZone: 'America/New_York',
      userTimeZone: 'America/New_York',
      date: '2026-03-10',
      today: '2026-03-10',
      previous: '2026-03-02',
      next: '2026-03-16',
      busyOnly: false,
      start: '2026-03-09T04:00:00.000Z',
      end: '2026-03-16T04:00:00.000Z',
      dataAsOf: new Date(NOW - 30_000).toISOString(),
    });
    expect(week.days.map((d) => d.date)).toEqual([
      '2026-03-09',
      '2026-03-10',
      '2026-03-11',
      '2026-03-12',
      '2026-03-13',
      '2026-03-14',
      '2026-03-15',
    ]);
    expect(week.days.find((d) => d.isToday)?.date).toBe('2026-03-10');
    expect(titles(week, '2026-03-10')).toEqual(['Morning email', 'Discovery with Acme', 'Late call']);
    expect(titles(week, '2026-03-12')).toEqual(['Late sync']);
    expect(titles(week, '2026-03-13')).toEqual(['Renewal day', 'Late sync']);
    expect(titles(week, '2026-03-14')).toEqual(['Weekend prep']);
    expect(week.counts).toEqual({ meetings: 2, tasks: 4 });
    const discovery = week.days[1]!.items.find((i) => i.kind === 'meeting') as ScheduleMeeting;
    expect(discovery).toEqual({
      kind: 'meeting',
      id: '11',
      title: 'Discovery with Acme',
      start: '2026-03-10T17:00:00.000Z',
      end: '2026-03-10T17:30:00.000Z',
      outcome: 'SCHEDULED',
      location: null,
      videoUrl: 'https://zoom.us/j/123',
      description: 'Agenda: pricing',
      associations: [
        { objectType: 'companies', objectId: '31', label: 'Acme Inc' },
        { objectType: 'contacts', objectId: '21', label: 'Ann Acme' },
      ],
    });
    const late = week.days[1]!.items.find((i) => i.kind === 'task' && i.id === '1') as ScheduleTask;
    expect(late).toMatchObject({
      status: 'NOT_STARTED',
      allDay: false,
      associations: [{ objectType: 'contacts', objectId: '21', label: 'Ann Acme' }],
    });
    const sync = week.days[3]!.items[0] as ScheduleMeeting;
    expect(sync.videoUrl).toBeNull();
    expect(sync.location).toBe('Room 4');
    expect(hubspotCalls).toBe(0);
  });

  it('cuts the days in the chosen zone: the late call moves to Wednesday in Tokyo, the all-day task stays on Friday', async () => {
    const tokyo = await schedule({ view: 'week', timeZone: 'Asia/Tokyo' });
    expect(tokyo.timeZone).toBe('Asia/Tokyo');
    expect(tokyo.userTimeZone).toBe('America/New_York');
    expect(titles(tokyo, '2026-03-10')).toEqual(['Morning email']);
    expect(titles(tokyo, '2026-03-11')).toEqual(['Discovery with Acme', 'Late call']);
    expect(titles(tokyo, '2026-03-13')).toEqual(['Renewal day', 'Late sync']);
  });

  it('goes back across the DST change: last week is 167 hours and Sunday 01:30 EST is on Sunday', async () => {
    const last = await schedule({ view: 'week', date: '2026-03-02' });
    expect((Date.parse(last.end) - Date.parse(last.start)) / 3_600_000).toBe(167);
    expect(titles(last, '2026-03-08')).toEqual(['Before the change']);
    const sunday = last.days.find((d) => d.date === '2026-03-08')!;
    expect((Date.parse(sunday.end) - Date.parse(sunday.start)) / 3_600_000).toBe(23);
  });

  it('shows one day, and a month without weekends', async () => {
    const day = await schedule({ view: 'day', date: '2026-03-13' });
    expect(day.days).toHaveLength(1);
    expect(titles(day, '2026-03-13')).toEqual(['Renewal day', 'Late sync']);
    expect(day.previous).toBe('2026-03-12');
    expect(day.next).toBe('2026-03-14');
    const month = await schedule({ view: 'month', hideWeekends: 'true' });
    expect(month.hideWeekends).toBe(true);
    expect(month.days).toHaveLength(22);
    expect(month.days.some((d) => d.date === '2026-03-14')).toBe(false);
    // Counts are of what is shown: Saturday's task is hidden with the weekend.
    expect(month.counts).toEqual({ meetings: 2, tasks: 3 });
    const april = await schedule({ view: 'month', date: '2026-04-20' });
    expect(titles(april, '2026-04-02')).toEqual(['Next month']);
  });

  it("gives a manager viewing as the rep the rep's meetings as busy blocks only: no title, id, link or attendees", async () => {
    const res = await call({ path: '/api/v1/schedule', query: { view: 'week', asUserId: String(REP) }, userId: MANAGER });
    expect(res.status).toBe(200);
    const body = res.body as ScheduleResponse;
    expect(body.busyOnly).toBe(true);
    expect(body.timeZone).toBe('America/New_York');
    const meetings = body.days.flatMap((d) => d.items).filter((i) => i.kind !== 'task');
    expect(meetings).toEqual([
      { kind: 'busy', start: '2026-03-10T17:00:00.000Z', end: '2026-03-10T17:30:00.000Z' },
      { kind: 'busy', start: '2026-03-13T03:00:00.000Z', end: '2026-03-13T05:00:00.000Z' },
      { kind: 'busy', start: '2026-03-13T03:00:00.000Z', end: '2026-03-13T05:00:00.000Z' },
    ]);
    const text = JSON.stringify(body);
    // The rep's tasks stay visible (with their records); the meeting's company is only on the meeting.
    for (const secret of ['Discovery', 'zoom.us', 'Agenda', 'Acme Inc', 'Room 4', '"id":"11"', '"id":"12"'])
      expect(text).not.toContain(secret);
  });

  it("bounds a day of 300 more items: a week 12 a day, a month 8 briefs a day, the day in pages of 50, the Summary's today its first page", async () => {
    // 150 tasks and 150 meetings on Tuesday (already 3 items), from 12:00 UTC, one a minute.
    const at = (i: number) => new Date(Date.parse('2026-03-10T12:00:00Z') + i * 60_000).toISOString();
    const copy = createCopyRepo(getDb());
    const seenAt = new Date(NOW);
    await copy.upsertRecords(
      PORTAL,
      'tasks',
      Array.from({ length: 150 }, (_, i) => task(String(1000 + i), `Bulk task ${i}`, at(2 * i))),
      seenAt,
    );
    await copy.upsertRecords(
      PORTAL,
      'meetings',
      Array.from({ length: 150 }, (_, i) => meeting(String(5000 + i), `Bulk meeting ${i}`, at(2 * i + 1), at(2 * i + 2))),
      seenAt,
    );
    const tuesday = (b: ScheduleResponse) => b.days.find((d) => d.date === '2026-03-10')!;

    const week = await schedule({ view: 'week' });
    expect(week.pageSize).toBe(12);
    expect(tuesday(week).items).toHaveLength(12);
    // Tuesday: 152 tasks, 151 meetings; the first 12 are the first six bulk pairs.
    expect(tuesday(week).more).toEqual({ tasks: 152 - 6, meetings: 151 - 6 });
    expect(week.counts).toEqual({ meetings: 152, tasks: 154 });

    const month = await schedule({ view: 'month' });
    expect(tuesday(month).items).toHaveLength(8);
    expect(tuesday(month).items[0]).toEqual({
      brief: true,
      kind: 'task',
      id: '1000',
      title: 'Bulk task 0',
      start: '2026-03-10T12:00:00.000Z',
      end: null,
      allDay: false,
    });
    expect(tuesday(month).more.tasks + tuesday(month).more.meetings).toBe(303 - 8);
    expect(JSON.stringify(month)).not.toContain('associations');

    const all: string[] = [];
    for (let offset = 0; ; offset += 50) {
      const page = await schedule({ view: 'day', offset: String(offset) });
      expect(page.offset).toBe(offset);
      expect(tuesday(page).items.length).toBeLessThanOrEqual(50);
      all.push(...titles(page, '2026-03-10'));
      const { tasks, meetings } = tuesday(page).more;
      expect(tasks + meetings).toBe(Math.max(0, 303 - offset - 50));
      if (tasks + meetings === 0) break;
    }
    expect(all).toHaveLength(303);
    expect(new Set(all).size).toBe(303);
    expect(all.slice(0, 4)).toEqual(['Bulk task 0', 'Bulk meeting 0', 'Bulk task 1', 'Bulk meeting 1']);

    const today = await call({ path: '/api/v1/summary/schedule' });
    expect(today.status).toBe(200);
    expect(today.body.items).toHaveLength(50);
    expect(today.body.more.tasks + today.body.more.meetings).toBe(253);
  });

  it('refuses a bad offset with a field-level 400', async () => {
    const res = await call({ path: '/api/v1/schedule', query: { view: 'day', offset: '-1' } });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('offset');
  });

  it("refuses another user's schedule to a rep who is not a manager", async () => {
    const res = await call({ path: '/api/v1/schedule', query: { asUserId: String(REP2) } });
    expect(res.status).toBe(403);
  });

  it('says why the schedule is empty for a user who is not an owner', async () => {
    const body = await schedule({}, { userId: 7777 });
    expect(body.partial).toBe(true);
    expect(body.warnings?.join(' ')).toMatch(/not a HubSpot owner/);
    expect(body.days.every((d) => d.items.length === 0)).toBe(true);
  });

  it.each([
    ['view', { view: 'year' }],
    ['date', { date: '2026-02-30' }],
    ['timeZone', { timeZone: 'Mars/Olympus' }],
    ['hideWeekends', { hideWeekends: 'yes' }],
  ])('refuses a bad %s with a field-level 400', async (field, query) => {
    const res = await call({ path: '/api/v1/schedule', query });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('BAD_REQUEST');
    expect(res.body.error.details).toEqual([expect.objectContaining({ field })]);
  });
});
