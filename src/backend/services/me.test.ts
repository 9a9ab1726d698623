// GET /api/v1/me and /api/v1/users: from the portal copy; from HubSpot only before the first load
// has copied the owners (and the portal's account, for the time zone).
import { beforeEach, expect, it } from 'vitest';
import type { PortalCrm } from '../crm/gateway';
import { createCopyRepo, type CopyRepo } from '../storage';
import { describeEachDatabase } from '../storage/testing';
import { getMe, listUsers } from './me';

const PORTAL = 1;
const COPIED = 2; // a portal whose copy holds its owners, users and account
const NOW = Date.parse('2026-12-06T09:00:00Z');
const input = { portalId: PORTAL, userId: 9001, viewAsUserId: 9001, isManager: false };

/** A HubSpot that answers owners, users and account as given, counting its calls. */
function crm(users: () => Promise<unknown>, account: () => Promise<unknown>, owners?: () => Promise<unknown>, portalId = PORTAL) {
  const calls: string[] = [];
  const count =
    <T>(name: string, f: () => Promise<T>) =>
    () => {
      calls.push(name);
      return f();
    };
  const portal = {
    portalId,
    owners: count('owners', owners ?? (async () => [{ id: '501', userId: 9001, archived: false }])),
    users: count('users', users),
    account: count('account', account),
  } as unknown as PortalCrm;
  return { portal, calls };
}
const down = () => Promise.reject(new Error('HubSpot did not answer'));

describeEachDatabase('me and users', (getDb) => {
  let copy: CopyRepo;
  beforeEach(() => {
    copy = createCopyRepo(getDb());
  });

  it("before the first load: the user's own time zone from HubSpot, complete, dataAsOf now", async () => {
    const hs = crm(
      async () => [{ userId: 9001, timeZone: 'Europe/Paris' }],
      async () => ({ timeZone: 'America/New_York' }),
    );
    const me = await getMe(copy, hs.portal, input, NOW);
    // (The copy is loading: syncing says so; the owners are HubSpot's, read now.)
    expect(me).toEqual({
      ...input,
      ownerId: '501',
      timeZone: 'Europe/Paris',
      dataAsOf: new Date(NOW).toISOString(),
      syncing: { percent: 0 },
    });
  });

  it("says partial when HubSpot failed to give the user's zone and the portal's is used", async () => {
    const me = await getMe(copy, crm(down, async () => ({ timeZone: 'America/New_York' })).portal, input, NOW);
    expect(me).toMatchObject({ ownerId: '501', timeZone: 'America/New_York', partial: true });
    expect(me.warnings?.join(' ')).toMatch(/portal's time zone is used/);
  });

  it('is complete, with a warning, when nobody set a zone (UTC is the answer, not a failure)', async () => {
    const me = await getMe(
      copy,
      crm(
        async () => [{ userId: 9001, timeZone: null }],
        async () => ({ timeZone: null }),
      ).portal,
      input,
      NOW,
    );
    expect(me.timeZone).toBe('UTC');
    expect(me.partial).toBeUndefined();
    expect(me.warnings?.length).toBe(1);
  });

  it('once the copy holds the owners, users and account: no HubSpot call, even with HubSpot down', async () => {
    const at = new Date(NOW - 60_000);
    await copy.replaceOwners(COPIED, [
      { id: '501', userId: 9001, email: 'ada@acme.example', firstName: 'Ada', lastName: 'Rep', archived: false },
      { id: '502', userId: 9002, email: 'bo@acme.example', firstName: 'Bo', lastName: 'Able', archived: false },
      { id: '503', userId: 9003, email: 'cy@acme.example', firstName: 'Cy', lastName: 'Gone', archived: true },
      { id: '504', userId: null, email: 'queue@acme.example', firstName: null, lastName: null, archived: false },
    ]);
    await copy.replaceUsers(COPIED, [{ id: '1', userId: 9001, timeZone: 'Asia/Tokyo' }]);
    await copy.putPortal(COPIED, { timeZone: 'America/New_York' }, at);
    await copy.putSyncState(COPIED, 'contacts', { state: 'ready', loadedAt: at, lastPolledAt: at }, at);
    const hs = crm(down, down, down, COPIED);
    const asked = { ...input, portalId: COPIED };

    const me = await getMe(copy, hs.portal, asked, NOW);
    expect(me).toMatchObject({ ...asked, ownerId: '501', timeZone: 'Asia/Tokyo' });
    expect(me.partial).toBeUndefined();
    expect(typeof me.dataAsOf).toBe('string');
    // A user without a zone of their own gets the portal's, from the copy too.
    const bo = await getMe(copy, hs.portal, { ...asked, viewAsUserId: 9002 }, NOW);
    expect(bo).toMatchObject({ ownerId: '502', timeZone: 'America/New_York' });

    const users = await listUsers(copy, hs.portal, NOW);
    expect(users.users).toEqual([
      { userId: 9001, ownerId: '501', name: 'Ada Rep', email: 'ada@acme.example' },
      { userId: 9002, ownerId: '502', name: 'Bo Able', email: 'bo@acme.example' },
    ]);
    expect(users.dataAsOf).toBe(me.dataAsOf);
    expect(hs.calls).toEqual([]);
  });

  it('before the first load, the users list comes from HubSpot (and its failure is thrown, to be mapped)', async () => {
    const ok = await listUsers(
      copy,
      crm(down, down, async () => [{ id: '7', userId: 1, email: null, firstName: 'Zed', lastName: null, archived: false }]).portal,
      NOW,
    );
    expect(ok).toEqual({
      users: [{ userId: 1, ownerId: '7', name: 'Zed', email: null }],
      dataAsOf: new Date(NOW).toISOString(),
      syncing: { percent: 0 },
    });
    await expect(listUsers(copy, crm(down, down, down).portal, NOW)).rejects.toThrow('HubSpot did not answer');
  });
});
