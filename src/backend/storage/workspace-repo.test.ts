import { beforeEach, describe, expect, it } from 'vitest';
import { createCopyRepo, type CopyRecord } from './copy-repo';
import { listSlimRecords } from './record-query';
import { createSettingsRepo } from './settings-repo';
import { describeEachDatabase, truncateAll } from './testing';
import { createWorkspaceRepo, type WorkspaceRepo } from './workspace-repo';

const at = (iso: string) => new Date(`2026-11-${iso}Z`);

function company(id: string, csm: string | null, over: Partial<CopyRecord> = {}): CopyRecord {
  return {
    id,
    properties: { name: `Company ${id}`, hubspot_owner_id: csm, cs_manager: csm },
    ownerId: csm,
    createdAt: at('01T09:00:00'),
    modifiedAt: at('02T09:00:00'),
    dueAt: null,
    pipeline: null,
    stage: null,
    status: null,
    archived: false,
    archivedAt: null,
    mergedInto: null,
    versionMs: 1_000,
    ...over,
  };
}

describeEachDatabase('workspace repo', (getDb) => {
  let repo: WorkspaceRepo;
  beforeEach(async () => {
    await truncateAll(getDb());
    repo = createWorkspaceRepo(getDb());
  });

  describe('settings with history', () => {
    it('stores the value and records who changed it, when, and from what', async () => {
      await repo.putSettingWithHistory(1, 'cs.customers', { objectType: 'companies' }, 11, at('01T10:00:00'));
      await repo.putSettingWithHistory(1, 'cs.customers', { objectType: 'contacts' }, 12, at('02T10:00:00'));
      expect(await createSettingsRepo(getDb()).getSetting(1, 'cs.customers')).toEqual({ objectType: 'contacts' });
      expect(await repo.settingsHistory(1, 'cs.customers', 10)).toEqual([
        {
          key: 'cs.customers',
          changedAt: at('02T10:00:00'),
          userId: 12,
          before: { objectType: 'companies' },
          after: { objectType: 'contacts' },
        },
        { key: 'cs.customers', changedAt: at('01T10:00:00'), userId: 11, before: null, after: { objectType: 'companies' } },
      ]);
    });

    it('keeps each portal to itself', async () => {
      await repo.putSettingWithHistory(1, 'cs.customers', { a: 1 }, 11, at('01T10:00:00'));
      expect(await repo.settingsHistory(2, 'cs.customers', 10)).toEqual([]);
      expect(await createSettingsRepo(getDb()).getSetting(2, 'cs.customers')).toBeUndefined();
    });
  });

  describe('views', () => {
    const view = (id: string, ownerUserId: number, sharing: 'private' | 'everyone') => ({
      id,
      workspace: 'customers',
      ownerUserId,
      name: `View ${id}`,
      sharing,
      query: { filters: {} },
    });

    it('shows a user their own views and the shared ones, never another user’s private view', async () => {
      await repo.insertView(1, view('a', 11, 'private'), at('01T10:00:00'));
      await repo.insertView(1, view('b', 12, 'private'), at('01T10:00:00'));
      await repo.insertView(1, view('c', 12, 'everyone'), at('01T10:00:00'));
      await repo.insertView(2, view('d', 11, 'everyone'), at('01T10:00:00'));
      expect((await repo.visibleViews(1, 'customers', 11)).map((v) => v.id)).toEqual(['a', 'c']);
      expect((await repo.visibleViews(1, 'services', 11)).map((v) => v.id)).toEqual([]);
    });

    it('updates and deletes one view of one portal', async () => {
      await repo.insertView(1, view('a', 11, 'private'), at('01T10:00:00'));
      expect(await repo.updateView(2, 'customers', 'a', { name: 'x', sharing: 'everyone', query: {} }, at('02T10:00:00'))).toBeUndefined();
      const updated = await repo.updateView(
        1,
        'customers',
        'a',
        { name: 'Renamed', sharing: 'everyone', query: { filters: { owner: 'me' } } },
        at('02T10:00:00'),
      );
      expect(updated).toMatchObject({
        name: 'Renamed',
        sharing: 'everyone',
        query: { filters: { owner: 'me' } },
        updatedAt: at('02T10:00:00'),
      });
      expect(await repo.deleteView(2, 'customers', 'a')).toBe(false);
      expect(await repo.deleteView(1, 'customers', 'a')).toBe(true);
      expect(await repo.getView(1, 'customers', 'a')).toBeUndefined();
    });
  });

  describe('lean record reads', () => {
    beforeEach(async () => {
      await createCopyRepo(getDb()).upsertRecords(
        1,
        'companies',
        [
          company('1', '7'),
          company('2', '8'),
          company('3', null),
          company('4', '7', { archived: true }),
          company('5', '8', { properties: { name: 'Five', hubspot_owner_id: '8', cs_manager: '7', domain: 'five.example' } }),
        ],
        at('02T10:00:00'),
      );
      await createCopyRepo(getDb()).upsertRecords(2, 'companies', [company('1', '7')], at('02T10:00:00'));
    });

    it('reads only the asked-for properties of live records, one portal', async () => {
      const rows = await listSlimRecords(getDb(), 1, 'companies', { properties: ['name', 'domain'] });
      expect(rows.map((r) => r.id)).toEqual(['1', '2', '3', '5']);
      expect(rows[3]).toEqual({ id: '5', createdAt: at('01T09:00:00'), properties: { name: 'Five', domain: 'five.example' } });
      expect(rows[0]!.properties).toEqual({ name: 'Company 1' });
    });

    it('keeps the given owners, on the owner column or on another user property, with or without the unassigned', async () => {
      const ids = async (owner: { property: string; values: string[]; includeEmpty: boolean }) =>
        (await listSlimRecords(getDb(), 1, 'companies', { properties: [], owner })).map((r) => r.id);
      expect(await ids({ property: 'hubspot_owner_id', values: ['7'], includeEmpty: false })).toEqual(['1']);
      expect(await ids({ property: 'hubspot_owner_id', values: ['8'], includeEmpty: true })).toEqual(['2', '3', '5']);
      expect(await ids({ property: 'cs_manager', values: ['7'], includeEmpty: false })).toEqual(['1', '5']);
      expect(await ids({ property: 'cs_manager', values: [], includeEmpty: true })).toEqual(['3']);
      expect(await ids({ property: 'hubspot_owner_id', values: ['not-an-owner'], includeEmpty: false })).toEqual([]);
      expect(await ids({ property: 'cs_manager', values: ['not-an-owner'], includeEmpty: false })).toEqual([]);
    });
  });

  describe('CSM assignment times captured from the copy', () => {
    it('records when the CSM property changes, with the change’s modification time; a first sighting has no time', async () => {
      const copy = createCopyRepo(getDb());
      await copy.upsertRecords(1, 'companies', [company('1', '7'), company('2', '7')], at('02T10:00:00'));
      let found = await repo.csmAssignments(1, 'companies');
      expect(found.size).toBe(0);
      // Company 1 moves to owner 8 (modified on the 5th); company 2 changes its name only.
      await copy.upsertRecords(
        1,
        'companies',
        [
          company('1', '8', { modifiedAt: at('05T09:00:00'), versionMs: 2_000 }),
          company('2', '7', { modifiedAt: at('05T09:00:00'), versionMs: 2_000, properties: { name: 'Renamed', hubspot_owner_id: '7' } }),
        ],
        at('05T10:00:00'),
      );
      found = await repo.csmAssignments(1, 'companies');
      expect(found.get('1')).toEqual({ property: 'hubspot_owner_id', value: '8', assignedAt: at('05T09:00:00') });
      expect(found.has('2')).toBe(false);
      // An older replay that the copy ignores changes nothing either.
      await copy.upsertRecords(1, 'companies', [company('1', '9', { modifiedAt: at('03T09:00:00'), versionMs: 1_500 })], at('05T11:00:00'));
      expect((await repo.csmAssignments(1, 'companies')).get('1')?.value).toBe('8');
    });

    it('follows the configured customer object and CSM property, per portal', async () => {
      await createSettingsRepo(getDb()).putSetting(
        1,
        'cs.customers',
        { objectType: 'contacts', csmProperty: 'cs_manager', renewalDateProperty: null },
        at('01T00:00:00'),
      );
      const copy = createCopyRepo(getDb());
      await copy.upsertRecords(1, 'companies', [company('1', '7')], at('02T10:00:00'));
      await copy.upsertRecords(1, 'contacts', [company('5', '7')], at('02T10:00:00'));
      await copy.upsertRecords(2, 'companies', [company('1', '7')], at('02T10:00:00'));
      await copy.upsertRecords(1, 'contacts', [company('5', '9', { modifiedAt: at('06T08:00:00'), versionMs: 2_000 })], at('06T10:00:00'));
      expect([...(await repo.csmAssignments(1, 'companies')).keys()]).toEqual([]);
      expect((await repo.csmAssignments(1, 'contacts')).get('5')).toEqual({
        property: 'cs_manager',
        value: '9',
        assignedAt: at('06T08:00:00'),
      });
      expect([...(await repo.csmAssignments(2, 'companies')).keys()]).toEqual([]);
      await copy.upsertRecords(2, 'companies', [company('1', '8', { versionMs: 3_000 })], at('07T10:00:00'));
      expect([...(await repo.csmAssignments(2, 'companies')).keys()]).toEqual(['1']);
    });
  });
});
