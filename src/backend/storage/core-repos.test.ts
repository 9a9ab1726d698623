import { beforeEach, expect, it } from 'vitest';
import { createInstallationsRepo } from './installations-repo';
import { createSettingsRepo } from './settings-repo';
import { describeEachDatabase, truncateAll } from './testing';

const at = (iso: string) => new Date(`2026-11-${iso}Z`);

describeEachDatabase('settings repo', (getDb) => {
  beforeEach(() => truncateAll(getDb()));

  it('returns undefined for a key never set', async () => {
    expect(await createSettingsRepo(getDb()).getSetting(1, 'guidedActions.engagedDays')).toBeUndefined();
  });

  it('stores JSON values per portal and replaces them on put', async () => {
    const repo = createSettingsRepo(getDb());
    await repo.putSetting(1, 'guidedActions', { engagedDays: 30, callSources: ['CALLING'] }, at('20T09:00:00'));
    await repo.putSetting(1, 'flag', false, at('20T09:00:00'));
    await repo.putSetting(2, 'flag', true, at('20T09:00:00'));
    await repo.putSetting(1, 'flag', null, at('21T09:00:00'));
    expect(await repo.getSetting(1, 'guidedActions')).toEqual({ engagedDays: 30, callSources: ['CALLING'] });
    expect(await repo.getSetting(1, 'flag')).toBeNull();
    expect(await repo.getSetting(2, 'flag')).toBe(true);
    expect(await repo.getSettings(1)).toEqual(
      new Map<string, unknown>([
        ['guidedActions', { engagedDays: 30, callSources: ['CALLING'] }],
        ['flag', null],
      ]),
    );
    expect(await getDb().query(`select updated_at from portal_settings where portal_id = 1 and key = 'flag'`)).toEqual([
      { updated_at: at('21T09:00:00') },
    ]);
  });

  it('refuses undefined, which JSON cannot hold', async () => {
    await expect(createSettingsRepo(getDb()).putSetting(1, 'x', undefined, at('20T09:00:00'))).rejects.toThrow(/cannot be undefined/);
  });
});

describeEachDatabase('installations repo', (getDb) => {
  beforeEach(() => truncateAll(getDb()));

  it('records an install and reads it back', async () => {
    const repo = createInstallationsRepo(getDb());
    const saved = await repo.install(
      {
        portalId: 9_000_000_001,
        scopes: ['crm.objects.contacts.read', 'oauth'],
        hubDomain: 'acme.com',
        accessToken: 'a',
        refreshToken: 'r',
        tokenExpiresAt: at('20T10:00:00'),
      },
      at('20T09:00:00'),
    );
    expect(saved).toEqual({
      portalId: 9_000_000_001,
      status: 'active',
      installedAt: at('20T09:00:00'),
      uninstalledAt: null,
      installedByUserId: null,
      scopes: ['crm.objects.contacts.read', 'oauth'],
      hubDomain: 'acme.com',
      accessToken: 'a',
      refreshToken: 'r',
      tokenExpiresAt: at('20T10:00:00'),
      tokenRefreshAt: at('20T10:00:00'),
      purgeAfter: null,
      purgedAt: null,
    });
    expect(await repo.get(9_000_000_001)).toEqual(saved);
    expect(await repo.get(42)).toBeUndefined();
  });

  it('refreshes tokens, uninstalls (dropping tokens) and reinstalls with a new install time', async () => {
    const repo = createInstallationsRepo(getDb());
    await repo.install({ portalId: 7, scopes: [] }, at('20T09:00:00'));
    await repo.install({ portalId: 7, scopes: ['oauth'] }, at('20T12:00:00'));
    expect((await repo.get(7))?.installedAt).toEqual(at('20T09:00:00'));
    await repo.updateTokens(7, { accessToken: 'a2', refreshToken: 'r2', tokenExpiresAt: at('20T13:00:00') });
    expect(await repo.get(7)).toMatchObject({ accessToken: 'a2', refreshToken: 'r2', tokenExpiresAt: at('20T13:00:00') });
    await repo.uninstall(7, at('21T09:00:00'));
    expect(await repo.get(7)).toMatchObject({
      status: 'uninstalled',
      uninstalledAt: at('21T09:00:00'),
      accessToken: null,
      refreshToken: null,
      scopes: ['oauth'],
    });
    await repo.install({ portalId: 7, scopes: ['oauth'] }, at('22T09:00:00'));
    expect(await repo.get(7)).toMatchObject({ status: 'active', installedAt: at('22T09:00:00'), uninstalledAt: null });
  });

  it('marks an install needs-reconnect (tokens dropped, still served) and a new install makes it active again', async () => {
    const repo = createInstallationsRepo(getDb());
    await repo.install(
      { portalId: 8, scopes: ['oauth'], accessToken: 'a', refreshToken: 'r', tokenExpiresAt: at('20T10:00:00') },
      at('20T09:00:00'),
    );
    await repo.markNeedsReconnect(8, at('25T09:00:00'));
    expect(await repo.get(8)).toMatchObject({
      status: 'needs-reconnect',
      accessToken: null,
      refreshToken: null,
      purgeAfter: at('25T09:00:00'),
    });
    expect(await repo.duePurges(at('25T09:00:00'))).toEqual([8]);
    expect((await repo.listServed()).map((i) => i.portalId)).toEqual([8]);
    await repo.updateTokens(8, { accessToken: 'late', refreshToken: 'late', tokenExpiresAt: at('20T11:00:00') });
    expect((await repo.get(8))?.accessToken).toBeNull(); // a late refresh does not revive it
    await repo.install(
      { portalId: 8, scopes: ['oauth'], accessToken: 'a2', refreshToken: 'r2', tokenExpiresAt: at('21T10:00:00') },
      at('21T09:00:00'),
    );
    expect(await repo.get(8)).toMatchObject({ status: 'active', installedAt: at('20T09:00:00'), accessToken: 'a2', purgeAfter: null });
    expect(await repo.duePurges(at('25T09:00:00'))).toEqual([]);
  });

  it('consumes a state value once, even when two callbacks race for it', async () => {
    const repo = createInstallationsRepo(getDb());
    await repo.saveState('n1', 'h1', at('20T09:10:00'));
    const [a, b] = await Promise.all([repo.takeState('n1'), repo.takeState('n1')]);
    expect([a, b].filter(Boolean)).toEqual([{ browserHash: 'h1', expiresAt: at('20T09:10:00') }]);
    expect(await repo.takeState('n1')).toBeUndefined();
  });

  it('purges every table keyed by portal_id for the portal only, after the grace period', async () => {
    const db = getDb();
    const repo = createInstallationsRepo(db);
    const settings = createSettingsRepo(db);
    for (const p of [1, 2]) {
      await repo.install(
        { portalId: p, scopes: ['oauth'], accessToken: 'a', refreshToken: 'r', tokenExpiresAt: at('20T10:00:00') },
        at('20T09:00:00'),
      );
      await settings.putSetting(p, 'k', p, at('20T09:00:00'));
      await repo.grantManager(p, 77, 1, at('20T09:00:00'));
    }
    await repo.uninstall(1, at('21T09:00:00'), at('25T09:00:00'));
    expect(await repo.duePurges(at('24T09:00:00'))).toEqual([]);
    expect(await repo.duePurges(at('25T09:00:00'))).toEqual([1]);
    const { tables } = await repo.purge(1, at('25T09:00:00'));
    expect(tables).toEqual(expect.arrayContaining(['portal_settings', 'portal_managers']));
    expect(await settings.getSettings(1)).toEqual(new Map());
    expect(await repo.grantedManagers(1)).toEqual([]);
    expect(await settings.getSetting(2, 'k')).toBe(2);
    expect(await repo.grantedManagers(2)).toHaveLength(1);
    expect(await repo.get(1)).toMatchObject({ status: 'uninstalled', purgedAt: at('25T09:00:00'), scopes: [] });
    expect(await repo.duePurges(at('26T09:00:00'))).toEqual([]);
  });

  it('forgets a contact on privacy deletion: its rows and the actions that name it, in that portal only', async () => {
    const db = getDb();
    const t = at('20T09:00:00');
    for (const [portal, key] of [
      [1, 'contacts:42'],
      [1, 'contacts:43'],
      [2, 'contacts:42'],
    ] as const) {
      await db.query(
        `insert into guided_action_feedback (portal_id, user_id, rule_id, record_key, answer, answered_at) values ($1, 'u', 'r', $2, 'YES_CONTINUE', $3)`,
        [portal, key, t],
      );
    }
    const snapshot = (id: string) => JSON.stringify({ associated: [{ objectType: 'contacts', objectId: id, label: 'Bo' }] });
    for (const [deal, id] of [
      ['deals:1', '42'],
      ['deals:2', '43'],
    ] as const) {
      await db.query(
        `insert into guided_action_state (portal_id, user_id, rule_id, record_key, first_seen_at, last_seen_at, association_snapshot) values (1, 'u', 'r', $1, $2, $2, $3::jsonb)`,
        [deal, t, snapshot(id)],
      );
    }
    const deleted = await createInstallationsRepo(db).forgetContact(1, '42');
    expect(deleted).toEqual({ guided_action_feedback: 1, guided_action_state: 1 });
    expect(
      await db.query<{ portal_id: number; record_key: string }>('select portal_id, record_key from guided_action_feedback order by 1, 2'),
    ).toEqual([
      { portal_id: 1, record_key: 'contacts:43' },
      { portal_id: 2, record_key: 'contacts:42' },
    ]);
    expect((await db.query<{ record_key: string }>('select record_key from guided_action_state')).map((r) => r.record_key)).toEqual([
      'deals:2',
    ]);
  });

  it('grants and revokes managers per portal', async () => {
    const repo = createInstallationsRepo(getDb());
    await repo.grantManager(5, 10, 1, at('20T09:00:00'));
    await repo.grantManager(5, 10, 2, at('20T10:00:00')); // already granted: unchanged
    expect(await repo.grantedManagers(5)).toEqual([{ userId: 10, grantedBy: 1, grantedAt: at('20T09:00:00') }]);
    expect(await repo.grantedManagers(6)).toEqual([]);
    expect(await repo.revokeManager(5, 10)).toBe(true);
    expect(await repo.revokeManager(5, 10)).toBe(false);
  });
});
