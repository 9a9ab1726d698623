import { beforeEach, describe, expect, it } from 'vitest';
import { createCopyRepo, type CopyRecord, type CopyRepo } from './copy-repo';
import {
  PAIRS_SPLIT_AT,
  RECORDS_SPLIT_AT,
  readAssociationDirections,
  readAssociationPairs,
  readGuidedActionsBook,
  readRecordsByIds,
  type GuidedActionsBookQuery,
} from './copy-query';
import type { Queryable, SqlParam } from './database';
import { describeEachDatabase, truncateAll } from './testing';

const at = (iso: string) => new Date(`2026-11-${iso}Z`);

function rec(id: string, over: Partial<CopyRecord> = {}): CopyRecord {
  return {
    id,
    properties: { hs_task_subject: `Task ${id}` },
    ownerId: '7',
    createdAt: at('01T09:00:00'),
    modifiedAt: at('02T09:00:00'),
    dueAt: at('03T09:00:00'),
    pipeline: null,
    stage: null,
    status: 'NOT_STARTED',
    archived: false,
    archivedAt: null,
    mergedInto: null,
    versionMs: 1_000,
    ...over,
  };
}

/** Guided actions' book query of owner 7, every window from the 1st (the 5th for due tasks). */
const bookQuery = (over: Partial<GuidedActionsBookQuery> = {}): GuidedActionsBookQuery => ({
  ownerId: '7',
  repEmail: null,
  closedDealStages: [],
  completedTaskStatuses: ['COMPLETED'],
  priorityTaskLevels: ['HIGH'],
  assignedSince: at('01T00:00:00'),
  activitySince: at('01T00:00:00'),
  callsSince: at('01T00:00:00'),
  tasksDue: [at('01T00:00:00'), at('05T00:00:00')],
  buyerEmailsSent: [at('01T00:00:00'), at('05T00:00:00')],
  meetingsStart: [at('01T00:00:00'), at('05T00:00:00')],
  ...over,
});

describeEachDatabase('copy repo', (getDb) => {
  let repo: CopyRepo;
  beforeEach(async () => {
    await truncateAll(getDb());
    repo = createCopyRepo(getDb());
  });

  it('upserts records in one batch and keeps the newest version of each', async () => {
    expect(
      await repo.upsertRecords(1, 'tasks', [rec('1'), rec('2'), rec('2', { status: 'COMPLETED', versionMs: 2_000 })], at('02T10:00:00')),
    ).toBe(2);
    expect((await repo.getRecords(1, 'tasks', ['2'])).get('2')?.status).toBe('COMPLETED');
    // An older write (a late event, a replay) changes nothing.
    expect(await repo.upsertRecords(1, 'tasks', [rec('2', { status: 'NOT_STARTED', versionMs: 1_500 })], at('02T11:00:00'))).toBe(0);
    expect((await repo.getRecords(1, 'tasks', ['2'])).get('2')).toMatchObject({ status: 'COMPLETED', versionMs: 2_000, ownerId: '7' });
    expect(await repo.versions(1, 'tasks', ['1', '2', '3'])).toEqual(
      new Map([
        ['1', 1_000],
        ['2', 2_000],
      ]),
    );
  });

  it('lists by owner, due date and status, oldest due first, without tombstones', async () => {
    await repo.upsertRecords(
      1,
      'tasks',
      [
        rec('1', { dueAt: at('05T09:00:00') }),
        rec('2', { dueAt: at('04T09:00:00') }),
        rec('3', { status: 'COMPLETED' }),
        rec('4', { ownerId: '8' }),
        rec('5', { dueAt: at('20T09:00:00') }),
        rec('6', { dueAt: null }),
      ],
      at('02T10:00:00'),
    );
    await repo.archiveRecords(1, 'tasks', ['1'], at('02T12:00:00'), 3_000);
    const listed = await repo.listRecords(1, 'tasks', {
      ownerId: '7',
      statusNot: 'COMPLETED',
      dueBefore: at('10T00:00:00'),
      orderBy: 'due_at',
    });
    expect(listed.map((r) => r.id)).toEqual(['2']);
    expect((await repo.listRecords(1, 'tasks', { ids: ['1'], archived: true }))[0]).toMatchObject({
      archived: true,
      archivedAt: at('02T12:00:00'),
    });
    expect(await repo.countRecords(1, 'tasks')).toBe(5);
    expect(await repo.liveIds(1, 'tasks')).toEqual(['2', '3', '4', '5', '6']);
  });

  it('reads associations from either side, with type ids and labels, and replaces them per record', async () => {
    await repo.upsertAssociations(
      1,
      [
        { fromType: 'tasks', fromId: '1', toType: 'contacts', toId: '10', typeIds: [204], labels: [] },
        { fromType: 'contacts', fromId: '11', toType: 'tasks', toId: '1', typeIds: [203], labels: ['Champion'] },
      ],
      at('02T10:00:00'),
    );
    expect(await repo.associations(1, 'tasks', ['1', '2'], 'contacts')).toEqual(
      new Map([
        [
          '1',
          [
            { id: '10', typeIds: [204], labels: [] },
            { id: '11', typeIds: [203], labels: ['Champion'] },
          ],
        ],
        ['2', []],
      ]),
    );
    expect((await repo.associations(1, 'contacts', ['10'], 'tasks')).get('10')).toEqual([{ id: '1', typeIds: [204], labels: [] }]);
    await repo.replaceAssociations(
      1,
      'tasks',
      ['1'],
      'contacts',
      [{ fromType: 'tasks', fromId: '1', toType: 'contacts', toId: '12', typeIds: [204], labels: [] }],
      at('02T11:00:00'),
    );
    expect((await repo.associations(1, 'tasks', ['1'], 'contacts')).get('1')).toEqual([{ id: '12', typeIds: [204], labels: [] }]);
    await repo.removeAssociation(1, { type: 'contacts', id: '12' }, { type: 'tasks', id: '1' });
    expect((await repo.associations(1, 'tasks', ['1'], 'contacts')).get('1')).toEqual([]);
    await repo.upsertRecords(1, 'tasks', [rec('1'), rec('2')], at('02T10:00:00'));
    await repo.upsertAssociations(
      1,
      [{ fromType: 'tasks', fromId: '2', toType: 'contacts', toId: '10', typeIds: [204], labels: [] }],
      at('02T10:00:00'),
    );
    expect((await repo.listRecords(1, 'tasks', { associatedWith: { objectType: 'contacts', id: '10' } })).map((r) => r.id)).toEqual(['2']);
    await repo.upsertRecords(1, 'contacts', [rec('10', { properties: { firstname: 'Bo' } })], at('02T10:00:00'));
    expect(await repo.associatedRecords(1, 'tasks', ['2', '3'], ['contacts', 'deals'])).toEqual([
      { id: '2', toType: 'contacts', toId: '10', properties: { firstname: 'Bo' } },
    ]);
  });

  it('merges: the loser is tombstoned pointing at the winner, its pairs move to the winner', async () => {
    await repo.upsertRecords(1, 'contacts', [rec('10'), rec('11')], at('02T10:00:00'));
    await repo.upsertAssociations(
      1,
      [{ fromType: 'tasks', fromId: '1', toType: 'contacts', toId: '11', typeIds: [204], labels: [] }],
      at('02T10:00:00'),
    );
    await repo.mergeRecords(1, 'contacts', ['11'], '10', at('02T12:00:00'), 5_000);
    expect((await repo.getRecords(1, 'contacts', ['11'])).get('11')).toMatchObject({ archived: true, mergedInto: '10' });
    expect((await repo.associations(1, 'tasks', ['1'], 'contacts')).get('1')).toEqual([{ id: '10', typeIds: [204], labels: [] }]);
    await repo.deleteRecords(1, 'contacts', ['10']);
    expect((await repo.associations(1, 'tasks', ['1'], 'contacts')).get('1')).toEqual([]);
  });

  it('keeps sync state per object type, patching only what is given', async () => {
    await repo.putSyncState(1, 'tasks', { state: 'loading', cursor: '100', loadStartedAt: at('02T10:00:00') }, at('02T10:00:00'));
    const s = await repo.putSyncState(1, 'tasks', { records: 200, highWaterMs: 123 }, at('02T10:01:00'));
    expect(s).toMatchObject({
      objectType: 'tasks',
      state: 'loading',
      cursor: '100',
      records: 200,
      highWaterMs: 123,
      updatedAt: at('02T10:01:00'),
    });
    await repo.putSyncState(1, 'tasks', { lastChangeSeenAt: at('02T10:00:30') }, at('02T10:01:00'));
    await repo.putSyncState(1, 'tasks', { lastChangeSeenAt: at('02T10:00:10') }, at('02T10:01:00')); // older: kept the newest
    expect((await repo.syncState(1, 'tasks'))?.lastChangeSeenAt).toEqual(at('02T10:00:30'));
    await repo.putSyncState(1, 'contacts', { records: 1 }, at('02T10:01:00'));
    expect((await repo.syncStates(1)).map((x) => [x.objectType, x.state])).toEqual([
      ['contacts', 'pending'],
      ['tasks', 'loading'],
    ]);
  });

  it('records the changes of the properties a portal names for history, as of their own write', async () => {
    const contact = (nps: string, modified: string, versionMs: number) =>
      rec('10', { properties: { nps, tier: 'gold' }, modifiedAt: at(modified), versionMs });
    await repo.upsertRecords(1, 'contacts', [contact('9', '01T09:00:00', 1_000)], at('01T09:00:00'));
    await repo.upsertRecords(1, 'contacts', [contact('8', '02T09:00:00', 2_000)], at('02T09:00:00'));
    expect(await repo.propertyHistories(1, 'contacts', ['nps', 'tier'], ['10'])).toEqual([]); // not named: nothing kept
    await repo.trackHistory(1, 'contacts', ['nps', 'tier'], at('02T10:00:00'));
    await repo.trackHistory(1, 'contacts', ['nps'], at('02T11:00:00')); // idempotent
    expect(await repo.historyProperties(1, 'contacts')).toEqual(['nps', 'tier']);
    expect(await repo.historyProperties(1, 'deals')).toEqual(['hs_next_step']); // TRACKED_HISTORY, every portal
    await repo.upsertRecords(1, 'contacts', [contact('3', '03T09:00:00', 3_000)], at('03T09:00:00'));
    // A caller storing HubSpot's own history of nps records no 'copy' row for it.
    await repo.upsertRecords(1, 'contacts', [contact('1', '04T09:00:00', 4_000)], at('04T09:00:00'), { historyStored: ['nps'] });
    expect(
      (await repo.propertyHistories(1, 'contacts', ['nps', 'tier'], ['10'])).map((h) => [h.property, h.value, h.changedAt, h.source]),
    ).toEqual([['nps', '3', at('03T09:00:00'), 'copy']]);
    expect(await repo.historyRead(1, 'contacts', ['nps'], ['10'])).toEqual(new Map()); // no HubSpot history read yet
    await repo.addPropertyHistory(1, 'contacts', [
      { recordId: '10', property: 'nps', value: '9', changedAt: at('01T09:00:00'), source: 'hubspot' },
    ]);
    expect(await repo.historyRead(1, 'contacts', ['nps', 'tier'], ['10'])).toEqual(new Map([['10', new Set(['nps'])]]));
  });

  it("reads records by id for guided actions: CRM-shaped with toISOString times, each wanted list's own conditions", async () => {
    await repo.upsertRecords(
      1,
      'tasks',
      [
        rec('1', { createdAt: new Date('2026-11-01T09:00:00.123Z'), modifiedAt: new Date('2026-11-02T09:30:00.999Z') }),
        rec('2', { createdAt: null, modifiedAt: null, status: 'COMPLETED' }),
        rec('3', { dueAt: at('20T09:00:00') }),
        rec('4', { archived: true }),
      ],
      at('02T10:00:00'),
    );
    const read = async (wanted: Parameters<typeof readRecordsByIds>[2]) =>
      [...(await readRecordsByIds(getDb(), 1, wanted)).get('tasks')!].map((r) => r.id);
    // One record alone, no condition (a one-element list of empty conditions).
    expect(await readRecordsByIds(getDb(), 1, [{ objectType: 'tasks', ids: ['1'] }])).toEqual(
      new Map([
        [
          'tasks',
          [
            {
              id: '1',
              objectType: 'tasks',
              properties: { hs_task_subject: 'Task 1' },
              createdAt: '2026-11-01T09:00:00.123Z',
            },
          ],
        ],
      ]),
    );
    const [two] = (await readRecordsByIds(getDb(), 1, [{ objectType: 'tasks', ids: ['2'] }])).get('tasks')!;
    expect(two?.createdAt).toBe(new Date(0).toISOString());
    expect(await read([{ objectType: 'tasks', ids: ['1', '2', '3', '4', 'x'] }])).toEqual(['1', '2', '3']);
    // Conditions per list: a status among some (none among none), a time column since a moment.
    expect(await read([{ objectType: 'tasks', ids: ['1', '2', '3'], statusIn: ['COMPLETED'] }])).toEqual(['2']);
    expect(await read([{ objectType: 'tasks', ids: ['1', '2', '3'], statusIn: [] }])).toEqual([]);
    expect(await read([{ objectType: 'tasks', ids: ['3'], statusIn: ['NOT_STARTED', 'COMPLETED'] }])).toEqual(['3']);
    expect(await read([{ objectType: 'tasks', ids: ['1', '2', '3'], since: { column: 'due_at', at: at('10T00:00:00') } }])).toEqual(['3']);
    expect(await read([{ objectType: 'tasks', ids: ['1', '2'], since: { column: 'created_at', at: at('01T09:00:00') } }])).toEqual(['1']);
    expect(
      await read([
        { objectType: 'tasks', ids: ['1'], statusIn: [] },
        { objectType: 'tasks', ids: ['2'] },
        { objectType: 'tasks', ids: ['3'], since: { column: 'due_at', at: at('25T00:00:00') } },
      ]),
    ).toEqual(['2']);
  });

  it('reads many records (two statements at once) as it reads few: each once, ascending ids, conditions per list', async () => {
    const n = RECORDS_SPLIT_AT + 10;
    const tasks = Array.from({ length: n }, (_, i) =>
      rec(String(1 + i), { status: i % 3 ? 'NOT_STARTED' : 'COMPLETED', dueAt: at(`${String(1 + (i % 28)).padStart(2, '0')}T09:00:00`) }),
    );
    await repo.upsertRecords(1, 'tasks', tasks, at('02T10:00:00'));
    await repo.upsertRecords(1, 'contacts', [rec('7', { dueAt: null }), rec('12', { dueAt: null })], at('02T10:00:00'));
    const all = tasks.map((t) => t.id);
    const wanted = [
      { objectType: 'tasks', ids: all, statusIn: ['COMPLETED'] },
      { objectType: 'tasks', ids: all.slice(0, 500), since: { column: 'due_at' as const, at: at('20T00:00:00') } },
      { objectType: 'contacts', ids: ['12', '7', '99'] },
    ];
    const many = await readRecordsByIds(getDb(), 1, wanted);
    const few = new Map<string, string[]>();
    for (const w of wanted)
      for (let i = 0; i < w.ids.length; i += 300) {
        const part = await readRecordsByIds(getDb(), 1, [{ ...w, ids: w.ids.slice(i, i + 300) }]);
        for (const [t, list] of part) few.set(t, [...(few.get(t) ?? []), ...list.map((r) => r.id)]);
      }
    const expected = new Map([...few].map(([t, ids]) => [t, [...new Set(ids)].sort((a, b) => Number(a) - Number(b))]));
    expect(new Map([...many].map(([t, list]) => [t, list.map((r) => r.id)]))).toEqual(expected);
    expect(many.get('contacts')!.map((r) => r.id)).toEqual(['7', '12']);
    expect(many.get('tasks')!.length).toBeGreaterThan(n / 3);
  });

  it("guided actions' book reads the rep's contacts assigned inside the window (their due_at) or disqualified", async () => {
    const contact = (id: string, assigned: string | null, over: Partial<CopyRecord> = {}) =>
      rec(id, {
        dueAt: assigned ? at(assigned) : null,
        properties: { hubspot_owner_assigneddate: assigned && at(assigned).toISOString() },
        ...over,
      });
    await repo.upsertRecords(
      1,
      'contacts',
      [
        contact('1', '10T09:00:00'), // assigned inside the window
        contact('2', '01T09:00:00'), // before it
        contact('3', null, { properties: { hs_latest_disqualified_lead_date: '2026-10-01T00:00:00Z' } }), // disqualified
        contact('4', '10T09:00:00', { ownerId: '8' }), // another rep's
        contact('5', null), // never assigned
      ],
      at('02T10:00:00'),
    );
    const book = await readGuidedActionsBook(getDb(), 1, bookQuery({ assignedSince: at('05T00:00:00') }));
    expect(book.get('contacts')!.map((r) => r.id)).toEqual(['1', '3']);
  });

  it("guided actions' book reads the incoming emails addressed to the rep whoever owns them, each once", async () => {
    const incoming = (id: string, ownerId: string | null, to: string) =>
      rec(id, { ownerId, status: 'INCOMING_EMAIL', properties: { hs_email_direction: 'INCOMING_EMAIL', hs_email_to_email: to } });
    await repo.upsertRecords(
      1,
      'emails',
      [
        incoming('1', '7', 'ada@acme.example'), // the rep's, addressed to the rep
        incoming('2', '8', 'bo@acme.example; ADA@acme.example'), // another rep's, the rep in copy
        incoming('3', '8', 'bo@acme.example'), // another rep's, not to the rep
        incoming('4', null, 'ada@acme.example'), // nobody's
        incoming('5', '7', 'bo@acme.example'), // the rep's, to someone else
      ],
      at('02T10:00:00'),
    );
    // Every row any of the book's statements sent: none twice.
    const sent: string[] = [];
    const db = getDb();
    const counting: Queryable = {
      ...db,
      query: async <T extends object>(sql: string, params?: readonly SqlParam[]) => {
        const rows = await db.query<T>(sql, params);
        for (const r of rows as { id?: string }[]) if (r.id) sent.push(r.id);
        return rows;
      },
    };
    const book = await readGuidedActionsBook(counting, 1, bookQuery({ repEmail: 'Ada@acme.example' }));
    expect(book.get('emails')!.map((r) => r.id)).toEqual(['1', '2', '4', '5']);
    expect(sent.sort()).toEqual(['1', '2', '4', '5']);
  });

  it("guided actions' book follows an email's recipients as they change (migration 029's column, computed on every write)", async () => {
    const incoming = (to: string, versionMs: number) =>
      rec('1', {
        ownerId: '8',
        status: 'INCOMING_EMAIL',
        versionMs,
        properties: { hs_email_direction: 'INCOMING_EMAIL', hs_email_to_email: to },
      });
    const addressed = async () =>
      (await readGuidedActionsBook(getDb(), 1, bookQuery({ repEmail: 'ada@acme.example' }))).get('emails')!.map((r) => r.id);
    await repo.upsertRecords(1, 'emails', [incoming('bo@acme.example', 1_000)], at('02T10:00:00'));
    expect(await addressed()).toEqual([]);
    await repo.upsertRecords(1, 'emails', [incoming('bo@acme.example, Ada@Acme.example', 2_000)], at('02T11:00:00'));
    expect(await addressed()).toEqual(['1']);
    await repo.upsertRecords(1, 'emails', [incoming('bo@acme.example', 3_000)], at('02T12:00:00'));
    expect(await addressed()).toEqual([]);
  });

  it("guided actions' book leaves out the rep's outgoing emails nobody opened", async () => {
    const email = (id: string, opens: string | null) =>
      rec(id, { status: 'EMAIL', properties: { hs_email_direction: 'EMAIL', hs_email_open_count: opens }, dueAt: at('03T09:00:00') });
    await repo.upsertRecords(
      1,
      'emails',
      [email('1', '0'), email('2', '2'), email('3', null), email('4', ''), email('5', '0.5')],
      at('02T10:00:00'),
    );
    const book = await readGuidedActionsBook(getDb(), 1, bookQuery());
    expect(book.get('emails')!.map((r) => r.id)).toEqual(['2', '5']);
    expect(book.get('emails')![0]!.createdAt).toBe(at('01T09:00:00').toISOString());
  });

  it('probes the directions pairs are stored in (named as they are written): either way, a pair stored both ways listed once', async () => {
    const pair = (fromType: string, fromId: string, toType: string, toId: string) => ({
      fromType,
      fromId,
      toType,
      toId,
      typeIds: [1],
      labels: [],
    });
    await repo.upsertAssociations(1, [pair('tasks', '1', 'contacts', '10'), pair('tasks', '2', 'contacts', '10')], at('02T10:00:00'));
    expect(await readAssociationDirections(getDb(), 1)).toEqual(new Set(['tasks>contacts']));
    const ask = () =>
      readAssociationPairs(getDb(), 1, [
        { fromType: 'contacts', toType: 'tasks', ids: ['10', '11'] },
        { fromType: 'tasks', toType: 'contacts', ids: ['1', '3'] },
      ]);
    expect(await ask()).toEqual(
      new Map([
        [
          'contacts>tasks',
          new Map([
            ['10', ['1', '2']],
            ['11', []],
          ]),
        ],
        [
          'tasks>contacts',
          new Map([
            ['1', ['10']],
            ['3', []],
          ]),
        ],
      ]),
    );
    // Later pairs stored the other way (a write read from the contact's side): a new direction, found
    // from both sides, the pair stored both ways listed once.
    await repo.upsertAssociations(1, [pair('contacts', '11', 'tasks', '3'), pair('contacts', '10', 'tasks', '1')], at('02T11:00:00'));
    expect(await readAssociationDirections(getDb(), 1)).toEqual(new Set(['tasks>contacts', 'contacts>tasks']));
    expect(await ask()).toEqual(
      new Map([
        [
          'contacts>tasks',
          new Map([
            ['10', ['1', '2']],
            ['11', ['3']],
          ]),
        ],
        [
          'tasks>contacts',
          new Map([
            ['1', ['10']],
            ['3', ['11']],
          ]),
        ],
      ]),
    );
    // Ids ordered as numbers, not as text.
    await repo.upsertAssociations(1, [pair('tasks', '100', 'contacts', '10'), pair('tasks', '99', 'contacts', '10')], at('02T12:00:00'));
    expect((await ask()).get('contacts>tasks')!.get('10')).toEqual(['1', '2', '99', '100']);
  });

  it('answers many asked ids (asked in two halves at once) as it answers few, both ways, without archived records', async () => {
    const n = PAIRS_SPLIT_AT + 2;
    const pairs = Array.from({ length: n }, (_, i) => ({
      fromType: i % 2 ? 'tasks' : 'contacts',
      fromId: i % 2 ? String(1_000 + i) : String(10 + (i % 7)),
      toType: i % 2 ? 'contacts' : 'tasks',
      toId: i % 2 ? String(10 + (i % 7)) : String(1_000 + i),
      typeIds: [1],
      labels: [],
    }));
    await repo.upsertAssociations(1, pairs, at('02T10:00:00'));
    await repo.upsertRecords(1, 'tasks', [rec('1004', { archived: true })], at('02T10:00:00'));
    const tasks = Array.from({ length: n }, (_, i) => String(1_000 + i));
    const requests = [
      { fromType: 'tasks', toType: 'contacts', ids: tasks },
      { fromType: 'contacts', toType: 'tasks', ids: ['10', '11', '99'] },
    ];
    const many = await readAssociationPairs(getDb(), 1, requests);
    // The same asked in parts below the split, one statement each.
    const few = new Map<string, Map<string, string[]>>();
    for (const r of requests)
      for (let i = 0; i < r.ids.length; i += 500) {
        const part = await readAssociationPairs(getDb(), 1, [{ ...r, ids: r.ids.slice(i, i + 500) }]);
        const key = `${r.fromType}>${r.toType}`;
        few.set(key, new Map([...(few.get(key) ?? []), ...part.get(key)!]));
      }
    expect(many).toEqual(few);
    expect(many.get('tasks>contacts')!.get('1001')).toEqual(['11']);
    expect(many.get('tasks>contacts')!.get('1000')).toEqual(['10']);
    const ofTen = Array.from({ length: n }, (_, i) => i)
      .filter((i) => i % 7 === 0 && i !== 1004)
      .map((i) => String(1_000 + i))
      .sort((a, b) => Number(a) - Number(b));
    expect(many.get('contacts>tasks')!.get('10')).toEqual(ofTen);
    expect(many.get('contacts>tasks')!.get('99')).toEqual([]);
  });

  it('writes a batch in one transaction, moving the copy version once at its end; a failure leaves nothing of it', async () => {
    const before = await repo.copyVersion(1);
    await repo.batch(async (tx) => {
      await tx.upsertRecords(1, 'tasks', [rec('1'), rec('2')], at('02T10:00:00'));
      await tx.replaceAssociations(
        1,
        'tasks',
        ['1', '2'],
        'contacts',
        [{ fromType: 'tasks', fromId: '1', toType: 'contacts', toId: '10', typeIds: [204], labels: [] }],
        at('02T10:00:00'),
      );
      await tx.putSyncState(1, 'tasks', { state: 'loading', cursor: '2', records: 2 }, at('02T10:00:00'));
    });
    expect(await repo.copyVersion(1)).toBe(before + 1);
    expect(await repo.liveIds(1, 'tasks')).toEqual(['1', '2']);
    expect((await repo.associations(1, 'tasks', ['1'], 'contacts')).get('1')).toEqual([{ id: '10', typeIds: [204], labels: [] }]);
    expect(await repo.syncState(1, 'tasks')).toMatchObject({ state: 'loading', cursor: '2', records: 2 });

    await expect(
      repo.batch(async (tx) => {
        await tx.upsertRecords(1, 'tasks', [rec('3')], at('02T11:00:00'));
        await tx.putSyncState(1, 'tasks', { cursor: '3', records: 3 }, at('02T11:00:00'));
        throw new Error('the page failed');
      }),
    ).rejects.toThrow('the page failed');
    expect(await repo.liveIds(1, 'tasks')).toEqual(['1', '2']);
    expect(await repo.syncState(1, 'tasks')).toMatchObject({ cursor: '2', records: 2 });
    expect(await repo.copyVersion(1)).toBe(before + 1);
  });

  describe('tenancy', () => {
    // Every repository function runs for portals 1 and 2 with the same ids; nothing of one reaches the other.
    async function fill(portalId: number) {
      const p = String(portalId);
      await repo.upsertRecords(portalId, 'tasks', [rec('1', { properties: { p } }), rec('2', { properties: { p } })], at('02T10:00:00'));
      await repo.upsertRecords(
        portalId,
        'contacts',
        [rec('10', { properties: { p }, dueAt: null }), rec('11', { properties: { p }, dueAt: null })],
        at('02T10:00:00'),
      );
      await repo.upsertAssociations(
        portalId,
        [
          { fromType: 'tasks', fromId: '1', toType: 'contacts', toId: '10', typeIds: [portalId], labels: [p] },
          { fromType: 'tasks', fromId: '2', toType: 'contacts', toId: '11', typeIds: [portalId], labels: [p] },
        ],
        at('02T10:00:00'),
      );
      await repo.replaceOwners(portalId, [
        {
          id: '7',
          userId: portalId,
          email: `${p}@x`,
          firstName: p,
          lastName: p,
          archived: false,
          teams: [{ id: `t${p}`, name: `Team ${p}` }],
        },
      ]);
      await repo.replaceUsers(portalId, [{ id: 'u1', userId: portalId, timeZone: p }]);
      await repo.replacePipelines(portalId, 'deals', [{ id: 'default', pipeline: { p } }]);
      await repo.replacePropertyDefinitions(portalId, 'deals', [{ name: 'dealname', definition: { p } }]);
      await repo.putPortal(portalId, { timeZone: p }, at('02T10:00:00'));
      await repo.putSyncState(portalId, 'tasks', { state: 'ready', records: portalId }, at('02T10:00:00'));
      await repo.upsertRecords(
        portalId,
        'deals',
        [rec('20', { ownerId: '7', pipeline: 'default', stage: 'open', properties: { p, hs_next_step: `step ${p}` } })],
        at('02T10:00:00'),
      );
      await repo.addPropertyHistory(portalId, 'deals', [
        { recordId: '20', property: 'hs_next_step', value: `step ${p}`, changedAt: at(`0${portalId}T08:00:00`), source: 'hubspot' },
      ]);
      await repo.trackHistory(portalId, 'contacts', ['nps'], at('02T10:00:00'));
      await repo.addPropertyHistory(portalId, 'contacts', [
        { recordId: '10', property: 'nps', value: p, changedAt: at('01T08:00:00'), source: 'hubspot' },
      ]);
    }
    const book = (portalId: number) => readGuidedActionsBook(getDb(), portalId, bookQuery());

    it('no row of one portal reaches the other, whatever the function', async () => {
      await fill(1);
      await fill(2);
      // Writes to portal 1 only.
      await repo.archiveRecords(1, 'tasks', ['2'], at('02T12:00:00'), 9_000);
      await repo.mergeRecords(1, 'contacts', ['11'], '10', at('02T12:00:00'), 9_000);
      await repo.replaceAssociations(1, 'tasks', ['1'], 'contacts', [], at('02T12:00:00'));
      await repo.removeAssociation(1, { type: 'tasks', id: '2' }, { type: 'contacts', id: '10' });
      await repo.deleteRecords(1, 'tasks', ['1']);
      await repo.replaceOwners(1, []);
      await repo.replaceUsers(1, []);
      await repo.replacePipelines(1, 'deals', []);
      await repo.replacePropertyDefinitions(1, 'deals', []);
      await repo.putPortal(1, { timeZone: 'changed' }, at('02T12:00:00'));
      await repo.putSyncState(1, 'tasks', { state: 'error', error: 'x' }, at('02T12:00:00'));
      const v2 = await repo.copyVersion(2);
      const [deal1] = [...(await repo.getRecords(1, 'deals', ['20'])).values()];
      await repo.upsertRecords(
        1,
        'deals',
        [{ ...deal1!, properties: { p: '1', hs_next_step: 'changed' }, modifiedAt: at('04T09:00:00'), versionMs: 9_000 }],
        at('04T09:00:00'),
      );
      await repo.addPropertyHistory(1, 'deals', [
        { recordId: '20', property: 'hs_next_step', value: 'x', changedAt: at('05T09:00:00'), source: 'hubspot' },
      ]);
      await repo.trackHistory(1, 'contacts', ['tier'], at('04T09:00:00'));

      // Portal 2 is untouched, and its reads show only its own rows.
      const p2 = await repo.listRecords(2, 'tasks');
      expect(p2.map((r) => [r.id, r.properties.p, r.archived])).toEqual([
        ['1', '2', false],
        ['2', '2', false],
      ]);
      expect([...(await repo.getRecords(2, 'contacts', ['10', '11'])).values()].map((r) => [r.id, r.archived, r.properties.p])).toEqual([
        ['10', false, '2'],
        ['11', false, '2'],
      ]);
      expect(await repo.versions(2, 'tasks', ['1', '2'])).toEqual(
        new Map([
          ['1', 1_000],
          ['2', 1_000],
        ]),
      );
      expect(await repo.liveIds(2, 'contacts')).toEqual(['10', '11']);
      expect(await repo.countRecords(2, 'tasks')).toBe(2);
      expect(await repo.associations(2, 'tasks', ['1', '2'], 'contacts')).toEqual(
        new Map([
          ['1', [{ id: '10', typeIds: [2], labels: ['2'] }]],
          ['2', [{ id: '11', typeIds: [2], labels: ['2'] }]],
        ]),
      );
      expect((await repo.listRecords(2, 'tasks', { associatedWith: { objectType: 'contacts', id: '10' } })).map((r) => r.id)).toEqual([
        '1',
      ]);
      expect(await repo.associatedRecords(2, 'tasks', ['1', '2'], ['contacts'])).toEqual([
        { id: '1', toType: 'contacts', toId: '10', properties: { p: '2' } },
        { id: '2', toType: 'contacts', toId: '11', properties: { p: '2' } },
      ]);
      expect(await repo.associatedRecords(1, 'tasks', ['1', '2'], ['contacts'])).toEqual([]);
      expect(await repo.owners(2)).toEqual([
        { id: '7', userId: 2, email: '2@x', firstName: '2', lastName: '2', archived: false, teams: [{ id: 't2', name: 'Team 2' }] },
      ]);
      expect(await repo.users(2)).toEqual([{ id: 'u1', userId: 2, timeZone: '2' }]);
      expect(await repo.pipelines(2, 'deals')).toEqual([{ p: '2' }]);
      expect(await repo.propertyDefinitions(2, 'deals')).toEqual([{ p: '2' }]);
      expect((await repo.portal(2))?.timeZone).toBe('2');
      expect((await repo.syncStates(2)).map((s) => [s.objectType, s.state, s.records])).toEqual([['tasks', 'ready', 2]]);
      expect((await repo.syncState(2, 'tasks'))?.error).toBeNull();
      expect(await repo.copyVersion(2)).toBe(v2);
      expect(await repo.copyVersion(1)).toBeGreaterThan(v2);
      expect(await repo.lastPropertyChanges(2, 'deals', 'hs_next_step', ['20'])).toEqual(new Map([['20', at('02T08:00:00')]]));
      expect((await repo.propertyHistory(2, 'deals', 'hs_next_step', ['20'])).map((h) => h.value)).toEqual(['step 2']);
      expect(await repo.historyProperties(2, 'contacts')).toEqual(['nps']);
      expect(await repo.historyProperties(1, 'contacts')).toEqual(['nps', 'tier']);
      expect(await repo.historyRead(2, 'contacts', ['nps', 'tier'], ['10', '11'])).toEqual(new Map([['10', new Set(['nps'])]]));
      expect((await repo.propertyHistories(2, 'contacts', ['nps'], ['10'])).map((h) => h.value)).toEqual(['2']);
      const byIds = await readRecordsByIds(getDb(), 2, [
        { objectType: 'tasks', ids: ['1', '2'] },
        { objectType: 'deals', ids: ['20'] },
      ]);
      expect([...byIds].map(([t, list]) => [t, list.map((r) => [r.id, r.properties.p])])).toEqual([
        [
          'tasks',
          [
            ['1', '2'],
            ['2', '2'],
          ],
        ],
        ['deals', [['20', '2']]],
      ]);
      const pairs = await readAssociationPairs(getDb(), 2, [
        { fromType: 'contacts', toType: 'tasks', ids: ['10', '11'] },
        { fromType: 'tasks', toType: 'contacts', ids: ['1'] },
      ]);
      expect([...pairs].map(([k, m]) => [k, [...m]])).toEqual([
        [
          'contacts>tasks',
          [
            ['10', ['1']],
            ['11', ['2']],
          ],
        ],
        ['tasks>contacts', [['1', ['10']]]],
      ]);
      expect(
        [...(await book(2))]
          .map(([t, list]) => [t, list.map((r) => [r.id, r.properties.p])])
          .filter(([, l]) => (l as unknown[]).length > 0),
      ).toEqual([['deals', [['20', '2']]]]);

      // And portal 1's reads show only its own.
      expect((await repo.listRecords(1, 'tasks', { archived: true })).map((r) => [r.id, r.properties.p])).toEqual([['2', '1']]);
      expect(await repo.owners(1)).toEqual([]);
      expect((await repo.portal(1))?.timeZone).toBe('changed');
      expect((await repo.propertyHistory(1, 'deals', 'hs_next_step', ['20'])).map((h) => [h.value, h.source])).toEqual([
        ['step 1', 'hubspot'],
        ['changed', 'copy'],
        ['x', 'hubspot'],
      ]);
      expect(
        (await readAssociationPairs(getDb(), 1, [{ fromType: 'contacts', toType: 'tasks', ids: ['10', '11'] }])).get('contacts>tasks'),
      ).toEqual(
        new Map([
          ['10', []],
          ['11', []],
        ]),
      );

      expect(await repo.purgeTombstones(1, at('30T00:00:00'))).toBe(2); // task 2, contact 11
      expect(await repo.countRecords(2, 'tasks')).toBe(2);
      expect(await repo.liveIds(2, 'contacts')).toEqual(['10', '11']);
      expect(await readAssociationDirections(getDb(), 2)).toEqual(new Set(['tasks>contacts']));
      await repo.upsertAssociations(
        1,
        [{ fromType: 'deals', fromId: '20', toType: 'contacts', toId: '10', typeIds: [3], labels: [] }],
        at('02T12:00:00'),
      );
      expect(await readAssociationDirections(getDb(), 2)).toEqual(new Set(['tasks>contacts']));
      await repo.purgePortal(1);
      expect(await readAssociationDirections(getDb(), 1)).toEqual(new Set());
      expect(await readAssociationDirections(getDb(), 2)).toEqual(new Set(['tasks>contacts']));
      expect(await repo.syncStates(1)).toEqual([]);
      expect(await repo.copyVersion(1)).toBe(0);
      expect(await repo.propertyHistory(1, 'deals', 'hs_next_step', ['20'])).toEqual([]);
      expect(await repo.historyProperties(1, 'contacts')).toEqual([]);
      expect(await repo.propertyHistories(1, 'contacts', ['nps'], ['10'])).toEqual([]);
      expect(await repo.historyProperties(2, 'contacts')).toEqual(['nps']);
      expect([...(await book(1)).values()].flat()).toEqual([]);
      expect((await repo.propertyHistory(2, 'deals', 'hs_next_step', ['20'])).map((h) => h.value)).toEqual(['step 2']);
      expect(await repo.copyVersion(2)).toBe(v2);
      expect(await repo.countRecords(2, 'contacts')).toBe(2);
      expect(await repo.owners(2)).toHaveLength(1);
    });
  });
});
