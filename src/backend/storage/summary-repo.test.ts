import { beforeEach, expect, it } from 'vitest';
import { createCopyRepo, type CopyRecord } from './copy-repo';
import { createSummaryRepo, type StoredDashboard, type SummaryRepo } from './summary-repo';
import { describeEachDatabase, truncateAll } from './testing';

const at = (iso: string) => new Date(iso);

function engagement(id: string, owner: string | null, due: string, over: Partial<CopyRecord> = {}): CopyRecord {
  return {
    id,
    properties: { hubspot_owner_id: owner },
    ownerId: owner,
    createdAt: at(due),
    modifiedAt: at(due),
    dueAt: at(due),
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

const dashboard = (id: string, over: Partial<StoredDashboard> = {}): StoredDashboard => ({
  id,
  name: `Dashboard ${id}`,
  reportIds: ['renewals-by-month'],
  hubspotLinks: [{ label: 'HubSpot', url: 'https://app.hubspot.com/reports-dashboard/1/view/2' }],
  access: { kind: 'teams', teamIds: ['t-1', 't-2'] },
  createdBy: 11,
  createdAt: at('2026-12-01T10:00:00Z'),
  accessConfirmedAt: at('2026-12-01T10:00:00Z'),
  ...over,
});

describeEachDatabase('summary repo', (getDb) => {
  let repo: SummaryRepo;
  beforeEach(async () => {
    await truncateAll(getDb());
    repo = createSummaryRepo(getDb());
  });

  it('keeps one report choice per user and portal, replaced on save', async () => {
    expect(await repo.reportChoice(1, 11)).toBeUndefined();
    await repo.putReportChoice(1, 11, { reportIds: ['a', 'b'], hubspotLinks: [] }, at('2026-12-01T00:00:00Z'));
    await repo.putReportChoice(
      1,
      11,
      { reportIds: ['c'], hubspotLinks: [{ label: 'x', url: 'https://app.hubspot.com/x' }] },
      at('2026-12-02T00:00:00Z'),
    );
    await repo.putReportChoice(2, 11, { reportIds: ['z'], hubspotLinks: [] }, at('2026-12-02T00:00:00Z'));
    expect(await repo.reportChoice(1, 11)).toEqual({
      reportIds: ['c'],
      hubspotLinks: [{ label: 'x', url: 'https://app.hubspot.com/x' }],
      updatedAt: at('2026-12-02T00:00:00Z'),
    });
    expect((await repo.reportChoice(2, 11))?.reportIds).toEqual(['z']);
  });

  it('stores dashboards per portal, oldest first, and deletes them once', async () => {
    await repo.insertDashboard(1, dashboard('d-2', { createdAt: at('2026-12-02T10:00:00Z'), access: { kind: 'everyone' } }));
    await repo.insertDashboard(1, dashboard('d-1'));
    await repo.insertDashboard(2, dashboard('d-9'));
    expect((await repo.dashboards(1)).map((d) => d.id)).toEqual(['d-1', 'd-2']);
    expect(await repo.dashboard(1, 'd-1')).toEqual(dashboard('d-1'));
    expect((await repo.dashboard(1, 'd-2'))?.access).toEqual({ kind: 'everyone' });
    expect(await repo.dashboard(1, 'd-9')).toBeUndefined();
    expect(await repo.deleteDashboard(1, 'd-1')).toBe(true);
    expect(await repo.deleteDashboard(1, 'd-1')).toBe(false);
    expect((await repo.dashboards(2)).map((d) => d.id)).toEqual(['d-9']);
  });

  it('counts live engagements per owner in a time window, and reads the completion dates of an owner’s completed tasks', async () => {
    const copy = createCopyRepo(getDb());
    const synced = at('2026-12-04T00:00:00Z');
    await copy.upsertRecords(
      1,
      'calls',
      [engagement('1', '501', '2026-12-01T10:00:00Z'), engagement('2', null, '2026-12-01T10:00:00Z')],
      synced,
    );
    await copy.upsertRecords(
      1,
      'meetings',
      [
        engagement('3', '501', '2026-11-30T10:00:00Z'),
        engagement('4', '502', '2026-10-01T10:00:00Z'),
        engagement('5', '502', '2026-12-02T10:00:00Z', { archived: true }),
      ],
      synced,
    );
    await copy.upsertRecords(2, 'calls', [engagement('6', '501', '2026-12-01T10:00:00Z')], synced);
    const counts = await repo.engagementsPerOwner(
      1,
      ['calls', 'meetings', 'notes'],
      at('2026-11-04T00:00:00Z'),
      at('2026-12-04T00:00:00Z'),
    );
    expect(counts.sort((a, b) => String(a.ownerId).localeCompare(String(b.ownerId)))).toEqual([
      { ownerId: '501', count: 2 },
      { ownerId: null, count: 1 },
    ]);

    await copy.upsertRecords(
      1,
      'tasks',
      [
        engagement('7', '501', '2026-12-01T10:00:00Z', {
          status: 'COMPLETED',
          properties: { hs_task_completion_date: '2026-12-01T11:00:00Z' },
        }),
        engagement('8', '501', '2026-12-01T10:00:00Z', { status: 'NOT_STARTED' }),
        engagement('9', '501', '2026-09-01T10:00:00Z', {
          status: 'COMPLETED',
          properties: { hs_task_completion_date: '2026-09-01T11:00:00Z' },
        }),
        engagement('10', '502', '2026-12-01T10:00:00Z', {
          status: 'COMPLETED',
          properties: { hs_task_completion_date: '2026-12-01T12:00:00Z' },
        }),
      ],
      synced,
    );
    expect(await repo.completedTaskDates(1, '501', at('2026-10-01T00:00:00Z'))).toEqual(['2026-12-01T11:00:00Z']);
    expect(await repo.completedTaskDates(1, 'not-an-id', at('2026-10-01T00:00:00Z'))).toEqual([]);
  });
});
