import { beforeEach, expect, it } from 'vitest';
import { createCopyRepo, type CopyRecord } from './copy-repo';
import { createHealthCopyRepo, type HealthCopyRepo } from './health-copy-repo';
import { createHealthRepo } from './health-repo';
import { describeEachDatabase, truncateAll } from './testing';

const T = new Date('2026-11-20T12:00:00Z');
const day = (d: number) => new Date(T.getTime() + d * 86_400_000);

function rec(id: string, properties: Record<string, string | null>, over: Partial<CopyRecord> = {}): CopyRecord {
  return {
    id,
    properties,
    ownerId: null,
    createdAt: day(-200),
    modifiedAt: day(-1),
    dueAt: null,
    pipeline: null,
    stage: null,
    status: null,
    archived: false,
    archivedAt: null,
    mergedInto: null,
    versionMs: 1,
    ...over,
  };
}

/** The same shape of data in two portals (ids collide on purpose): no row of one may reach the other. */
async function seed(db: Parameters<typeof createCopyRepo>[0], portalId: number, marker: string): Promise<void> {
  const copy = createCopyRepo(db);
  await copy.upsertRecords(
    portalId,
    'companies',
    [
      rec('1', { name: `${marker} one`, hs_csm_sentiment: marker }),
      rec('2', { name: `${marker} two` }),
      rec('3', { name: 'gone' }, { archived: true }),
    ],
    T,
  );
  await copy.upsertRecords(
    portalId,
    'meetings',
    [
      rec('10', { hs_timestamp: day(-5).toISOString(), hs_meeting_outcome: marker }, { dueAt: day(-5) }),
      rec('11', { hs_timestamp: day(-100).toISOString() }, { dueAt: day(-100) }),
    ],
    T,
  );
  await copy.upsertRecords(portalId, 'deals', [rec('20', { dealstage: marker })], T);
  await copy.upsertAssociations(
    portalId,
    [
      { fromType: 'meetings', fromId: '10', toType: 'companies', toId: '1', typeIds: [188], labels: [] },
      { fromType: 'meetings', fromId: '11', toType: 'companies', toId: '1', typeIds: [188], labels: [] },
      // Stored from the customer's side: found all the same.
      { fromType: 'companies', fromId: '2', toType: 'deals', toId: '20', typeIds: [6], labels: [] },
    ],
    T,
  );
  await createHealthRepo(db).insertProfile(
    portalId,
    { id: 'default', name: 'Default', objectType: 'companies', isDefault: true, profile: { version: 1 } },
    T,
  );
}

describeEachDatabase('health copy repo', (getDb) => {
  let repo: HealthCopyRepo;
  beforeEach(async () => {
    await truncateAll(getDb());
    await seed(getDb(), 1, 'A');
    await seed(getDb(), 2, 'B');
    repo = createHealthCopyRepo(getDb());
  });

  it('reads customers a page at a time with only the properties asked for, live ones, per portal', async () => {
    const first = await repo.customerPage(1, 'companies', ['name', 'hs_csm_sentiment', 'absent'], null, 1);
    expect(first).toEqual([
      { id: '1', properties: { name: 'A one', hs_csm_sentiment: 'A', absent: null }, createdAt: day(-200), modifiedAt: day(-1) },
    ]);
    const next = await repo.customerPage(1, 'companies', ['name'], '1', 10);
    expect(next.map((c) => [c.id, c.properties.name])).toEqual([['2', 'A two']]);
    expect((await repo.customersByIds(2, 'companies', ['name'], ['1', '3', 'x'])).map((c) => c.properties.name)).toEqual(['B one']);
  });

  it('joins engagements inside the window and deals from either side, per portal', async () => {
    const meetings = await repo.linked(2, 'companies', ['1', '2'], ['meetings'], ['hs_meeting_outcome'], { from: day(-90), to: T });
    expect(meetings).toEqual([
      { customerId: '1', objectType: 'meetings', id: '10', properties: { hs_meeting_outcome: 'B' }, createdAt: day(-200) },
    ]);
    expect((await repo.linked(1, 'companies', ['1', '2'], ['meetings'], [])).map((m) => m.id)).toEqual(['10', '11']);
    const deals = await repo.linked(1, 'companies', ['1', '2'], ['deals'], ['dealstage']);
    expect(deals).toEqual([{ customerId: '2', objectType: 'deals', id: '20', properties: { dealstage: 'A' }, createdAt: day(-200) }]);
  });

  it('marks dirty the customers a change touches (directly or through an association), clears only what was read', async () => {
    expect(await repo.scoredTypes(1)).toEqual(['companies']);
    expect(await repo.markDirty(1, ['companies'], [{ objectType: 'meetings', ids: ['10'] }], T)).toBe(1);
    expect(
      await repo.markDirty(
        1,
        ['companies'],
        [
          { objectType: 'deals', ids: ['20'] },
          { objectType: 'companies', ids: ['2'] },
        ],
        day(0.001),
      ),
    ).toBe(1);
    expect(await repo.dirty(2, 10)).toEqual([]);
    const rows = await repo.dirty(1, 10);
    expect(rows.map((r) => r.objectId).sort()).toEqual(['1', '2']);
    expect(await repo.isDirty(1, 'companies', '1')).toBe(true);
    expect(await repo.isDirty(2, 'companies', '1')).toBe(false);
    expect(await repo.dirtyPortals()).toEqual([{ portalId: 1, first: T, last: day(0.001) }]);
    // Marked again after being read: kept for the next pass.
    await repo.markDirty(1, ['companies'], [{ objectType: 'companies', ids: ['1'] }], day(0.002));
    await repo.clearDirty(2, rows);
    expect(await repo.dirty(1, 10)).toHaveLength(2);
    await repo.clearDirty(1, rows);
    expect((await repo.dirty(1, 10)).map((r) => r.objectId)).toEqual(['1']);
  });

  it('records a backfill once per portal and profile; totals of a rescore come from the portal’s own states', async () => {
    await repo.putBackfillDone(1, 'default', 30, 'run-1', T);
    await repo.putBackfillDone(1, 'default', 30, 'run-2', T);
    expect(await repo.backfillDone(1, 'default')).toBe(true);
    expect(await repo.backfillDone(2, 'default')).toBe(false);
    const health = createHealthRepo(getDb());
    for (const [portalId, score] of [
      [1, 40],
      [2, 90],
    ] as const)
      await health.writeScores(portalId, 'default', [
        {
          objectType: 'companies',
          objectId: '1',
          label: 'x',
          ownerId: '7',
          runId: 'run-1',
          at: T,
          profileVersion: 1,
          score,
          category: 'NEUTRAL',
          confirmedCategory: 'NEUTRAL',
          backfilled: false,
          criteria: [],
          state: { input: {}, recent: [], change: null },
          alert: null,
        },
      ]);
    expect([...(await repo.statesFor(2, 'default', 'companies', ['1'])).keys()]).toEqual(['1']);
    await repo.writeStateTotals(1, 'default', 'rs-1', day(0.01));
    const totals = await health.runTotals(1, 'default', null, day(-1));
    expect(totals).toEqual([expect.objectContaining({ runId: 'rs-1', scoreSum: 40, count: 1, backfilled: false })]);
    expect(await health.runTotals(2, 'default', null, day(-1))).toEqual([]);
  });
});
