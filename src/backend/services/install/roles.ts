// Roles: managers are the portal's super admins (HubSpot's settings users API), the user who
// installed Tiller, and users a manager granted it to in Tiller; everyone else is a member.
import type { Logger } from 'pino';
import { AppError } from '../../app-error';
import type { CrmGateway } from '../../crm/gateway';
import { createInstallationsRepo, type Database } from '../../storage';

export type Role = 'manager' | 'member';

export function createRoles(deps: { db: Database; crm: CrmGateway; logger: Logger; now?: () => number }) {
  const repo = createInstallationsRepo(deps.db);
  const now = deps.now ?? Date.now;

  /** HubSpot's view of the portal's users, or null when HubSpot cannot be asked (needs reconnect, down). */
  async function access(portalId: number) {
    try {
      return await deps.crm.portal(portalId).userAccess();
    } catch (err) {
      deps.logger.warn(
        { portalId, err: err instanceof Error ? err.message : String(err) },
        'could not read the portal users; using stored managers only',
      );
      return null;
    }
  }

  async function storedManager(portalId: number, userId: number): Promise<boolean> {
    const [install, granted] = await Promise.all([repo.get(portalId), repo.grantedManagers(portalId)]);
    return install?.installedByUserId === userId || granted.some((g) => g.userId === userId);
  }

  const roles = {
    async isManager(portalId: number, userId: number): Promise<boolean> {
      if (await storedManager(portalId, userId)) return true;
      return (await access(portalId))?.superAdminIds.includes(userId) ?? false;
    },

    async roleOf(portalId: number, userId: number): Promise<Role> {
      return (await roles.isManager(portalId, userId)) ? 'manager' : 'member';
    },

    /** Throws FORBIDDEN with an "ask your admin" sentence when HubSpot says the user has no access to the portal. */
    async requireAccess(portalId: number, userId: number): Promise<void> {
      const a = await access(portalId);
      if (a && !a.userIds.includes(userId)) {
        throw new AppError(
          'FORBIDDEN',
          'Your HubSpot user does not have access to this portal for Tiller. Ask your HubSpot admin to give you access.',
          { reason: 'NO_ACCESS' },
        );
      }
    },

    async requireManager(portalId: number, userId: number, what: string): Promise<void> {
      if (!(await roles.isManager(portalId, userId)))
        throw new AppError('FORBIDDEN', `Only managers can ${what}. Ask a HubSpot super admin or a Tiller manager.`);
    },

    /** Managers: super admins, the installer and granted users, each with why. */
    async listManagers(portalId: number) {
      const [install, granted, a] = await Promise.all([repo.get(portalId), repo.grantedManagers(portalId), access(portalId)]);
      const out = new Map<number, { userId: number; reasons: ('super-admin' | 'installer' | 'granted')[] }>();
      const add = (userId: number, reason: 'super-admin' | 'installer' | 'granted') => {
        const m = out.get(userId) ?? { userId, reasons: [] };
        m.reasons.push(reason);
        out.set(userId, m);
      };
      for (const id of a?.superAdminIds ?? []) add(id, 'super-admin');
      if (install?.installedByUserId != null) add(install.installedByUserId, 'installer');
      for (const g of granted) add(g.userId, 'granted');
      return [...out.values()].sort((x, y) => x.userId - y.userId);
    },

    async grant(portalId: number, byUserId: number, userId: number): Promise<void> {
      await roles.requireManager(portalId, byUserId, 'make someone a manager');
      const a = await access(portalId);
      if (a && !a.userIds.includes(userId)) throw new AppError('BAD_REQUEST', `User ${userId} is not a user of this HubSpot portal.`);
      await repo.grantManager(portalId, userId, byUserId, new Date(now()));
    },

    async revoke(portalId: number, byUserId: number, userId: number): Promise<void> {
      await roles.requireManager(portalId, byUserId, 'remove a manager');
      if (!(await repo.revokeManager(portalId, userId))) {
        throw new AppError('NOT_FOUND', `User ${userId} was not made a manager in Tiller (super admins are managers through HubSpot).`);
      }
    },
  };
  return roles;
}

export type RolesService = ReturnType<typeof createRoles>;
