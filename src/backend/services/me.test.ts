import { describe, expect, it } from 'vitest';
import type { PortalCrm } from '../crm/gateway';
import { getMe } from './me';

const input = { portalId: 1, userId: 9001, viewAsUserId: 9001, isManager: false };
const crm = (users: () => Promise<unknown>, account: () => Promise<unknown>) =>
  ({
    owners: async () => [{ id: '501', userId: 9001, archived: false }],
    users,
    account,
  }) as unknown as PortalCrm;

describe('getMe', () => {
  it("gives the user's own time zone, complete", async () => {
    const me = await getMe(
      crm(
        async () => [{ userId: 9001, timeZone: 'Europe/Paris' }],
        async () => ({ timeZone: 'America/New_York' }),
      ),
      input,
    );
    expect(me).toEqual({ ...input, ownerId: '501', timeZone: 'Europe/Paris' });
  });

  it("says partial when HubSpot failed to give the user's zone and the portal's is used", async () => {
    const me = await getMe(
      crm(
        async () => Promise.reject(new Error('HubSpot did not answer')),
        async () => ({ timeZone: 'America/New_York' }),
      ),
      input,
    );
    expect(me).toMatchObject({ ownerId: '501', timeZone: 'America/New_York', partial: true });
    expect(me.warnings?.join(' ')).toMatch(/portal's time zone is used/);
  });

  it('is complete, with a warning, when nobody set a zone (UTC is the answer, not a failure)', async () => {
    const me = await getMe(
      crm(
        async () => [{ userId: 9001, timeZone: null }],
        async () => ({ timeZone: null }),
      ),
      input,
    );
    expect(me.timeZone).toBe('UTC');
    expect(me.partial).toBeUndefined();
    expect(me.warnings?.length).toBe(1);
  });
});
