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
    expect(await repo.getSettings(1)).toEqual(new Map<string, unknown>([['guidedActions', { engagedDays: 30, callSources: ['CALLING'] }], ['flag', null]]));
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
      { portalId: 9_000_000_001, scopes: ['crm.objects.contacts.read', 'oauth'], hubDomain: 'acme.com', accessToken: 'a', refreshToken: 'r', tokenExpiresAt: at('20T10:00:00') },
      at('20T09:00:00'),
    );
    expect(saved).toEqual({
      portalId: 9_000_000_001,
      installedAt: at('20T09:00:00'),
      uninstalledAt: null,
      scopes: ['crm.objects.contacts.read', 'oauth'],
      hubDomain: 'acme.com',
      accessToken: 'a',
      refreshToken: 'r',
      tokenExpiresAt: at('20T10:00:00'),
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
    expect(await repo.get(7)).toMatchObject({ uninstalledAt: at('21T09:00:00'), accessToken: null, refreshToken: null, scopes: ['oauth'] });
    await repo.install({ portalId: 7, scopes: ['oauth'] }, at('22T09:00:00'));
    expect(await repo.get(7)).toMatchObject({ installedAt: at('22T09:00:00'), uninstalledAt: null });
  });
});
