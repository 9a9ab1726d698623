// "Assigned in the last 30 days" for the Services and Revenue objects with a CSM property other than
// hubspot_owner_id (migration 019): the copy records when the configured property changes.
import { expect, it } from 'vitest';
import { createCopyRepo, createSettingsRepo, type CopyRecord } from '../../storage';
import { describeEachDatabase } from '../../storage/testing';
import { DEFAULT_REVENUE_SETTING, DEFAULT_SERVICES_SETTING, REVENUE_SETTING, SERVICES_SETTING } from '../../sync/workspace-objects';
import { workspaceService } from './service';

const NOW = Date.parse('2026-12-04T12:00:00Z');
const DAY = 86_400_000;
const PORTAL = 77;

const row = (id: string, p: Record<string, string | null>, modifiedDaysAgo: number, version: number): CopyRecord => ({
  id,
  properties: { hs_name: `Service ${id}`, ...p },
  ownerId: p.hubspot_owner_id ?? null,
  createdAt: new Date(NOW - 200 * DAY),
  modifiedAt: new Date(NOW - modifiedDaysAgo * DAY),
  dueAt: null,
  pipeline: null,
  stage: null,
  status: null,
  archived: false,
  archivedAt: null,
  mergedInto: null,
  versionMs: version,
});

describeEachDatabase('assignment time of a custom CSM property (Services, Revenue)', (getDb) => {
  it('counts a service or deal as assigned when its configured CSM property changed in the last 30 days', async () => {
    const db = getDb();
    const copy = createCopyRepo(db);
    const settings = createSettingsRepo(db);
    await settings.putSetting(PORTAL, SERVICES_SETTING, { ...DEFAULT_SERVICES_SETTING, csmProperty: 'cs_owner' }, new Date(NOW));
    await settings.putSetting(
      PORTAL,
      REVENUE_SETTING,
      { objects: [{ ...DEFAULT_REVENUE_SETTING.objects[0]!, csmProperty: 'renewal_owner' }] },
      new Date(NOW),
    );
    await copy.replaceOwners(PORTAL, [{ id: '501', userId: 9001, email: null, firstName: 'Ada', lastName: null, archived: false }]);
    const def = (name: string) => ({
      name,
      definition: { name, label: name, type: 'enumeration', fieldType: 'select', referencedObjectType: 'OWNER' },
    });
    await copy.replacePropertyDefinitions(PORTAL, '0-162', [def('cs_owner')]);
    await copy.replacePropertyDefinitions(PORTAL, 'deals', [def('renewal_owner')]);
    const at = new Date(NOW);
    // First load: values with no known assignment time.
    await copy.upsertRecords(PORTAL, '0-162', [row('1', { cs_owner: null }, 90, 1), row('2', { cs_owner: '501' }, 90, 1)], at);
    await copy.upsertRecords(PORTAL, 'deals', [row('5', { renewal_owner: null, dealname: 'D' }, 90, 1)], at);
    // Later changes: service 1 and deal 5 assigned to Ada 3 days ago; service 2 only renamed.
    await copy.upsertRecords(
      PORTAL,
      '0-162',
      [row('1', { cs_owner: '501' }, 3, 2), row('2', { cs_owner: '501', hs_name: 'Renamed' }, 2, 2)],
      at,
    );
    await copy.upsertRecords(PORTAL, 'deals', [row('5', { renewal_owner: '501', dealname: 'D' }, 3, 2)], at);

    const service = workspaceService(db, () => NOW);
    const viewer = { portalId: PORTAL, userId: 9001, viewAsUserId: 9001, isManager: false };
    const count = async (w: 'services' | 'revenue') =>
      Object.fromEntries((await service.listViews(viewer, w)).views.map((v) => [v.id, v.count]));
    expect(await count('services')).toEqual({ 'owned-by-me': 2, 'assigned-last-30-days': 1 });
    expect(await count('revenue')).toEqual({ 'owned-by-me': 1, 'assigned-last-30-days': 1 });
    const page = await service.records(viewer, 'services', { view: 'assigned-last-30-days', limit: 10 });
    expect(page.rows.map((r) => r.id)).toEqual(['1']);
  });
});

describeEachDatabase("a workspace's book, read once per copy version", (getDb) => {
  it('answers again from memory until the copy changes, then shows the change at once', async () => {
    const db = getDb();
    const copy = createCopyRepo(db);
    const P = PORTAL + 1;
    await copy.replaceOwners(P, [{ id: '501', userId: 9001, email: null, firstName: 'Ada', lastName: null, archived: false }]);
    await copy.upsertRecords(
      P,
      '0-162',
      [row('1', { hubspot_owner_id: '501' }, 5, 1), row('2', { hubspot_owner_id: null }, 5, 1)],
      new Date(NOW),
    );
    let bookReads = 0;
    const counting = new Proxy(db, {
      get(target, prop, receiver) {
        if (prop !== 'query') return Reflect.get(target, prop, receiver) as unknown;
        return (sql: string, params?: Parameters<typeof db.query>[1]) => {
          if (/from crm_records/i.test(sql)) bookReads++;
          return db.query(sql, params);
        };
      },
    });
    const service = workspaceService(counting, () => NOW);
    const viewer = { portalId: P, userId: 9001, viewAsUserId: 9001, isManager: false };
    const all = async () => (await service.records(viewer, 'services', { limit: 10 })).rows.map((r) => r.name);
    expect(await all()).toEqual(['Service 1', 'Service 2']);
    const first = bookReads;
    expect(first).toBeGreaterThan(0);
    expect(await all()).toEqual(['Service 1', 'Service 2']);
    expect(bookReads).toBe(first);
    // a write to the copy (a webhook, a poll, an inline edit) moves its version: read again
    await copy.upsertRecords(P, '0-162', [row('2', { hubspot_owner_id: null, hs_name: 'Renamed' }, 1, 2)], new Date(NOW));
    expect(await all()).toEqual(['Renamed', 'Service 1']);
    expect(bookReads).toBeGreaterThan(first);
  });
});
