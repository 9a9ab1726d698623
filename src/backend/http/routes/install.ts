// The install as the portal sees it (GET /api/v1/install), managers (grant / revoke) and the
// manager's "remove Tiller and delete our data now" (POST /api/v1/install/purge).
import { Router } from 'express';
import { z } from 'zod';
import { AppError } from '../../app-error';
import type { InstallStatusResponse, ManagersResponse } from '../../contract/install';
import type { CrmGateway } from '../../crm/gateway';
import { OPTIONAL_SCOPES } from '../../crm/scopes';
import type { InstallService } from '../../services/install/install-service';
import type { RolesService } from '../../services/install/roles';
import { identityOf } from '../identity';

export const userIdBody = z.object({ userId: z.coerce.number().int().positive() });
export const purgeBody = z.object({ confirm: z.coerce.string() });
export const managerUserIdParam = z.coerce.number().int().positive();

export function installRoutes(deps: { install: InstallService; roles: RolesService; crm: CrmGateway; publicBaseUrl: string }): Router {
  const router = Router();
  const reconnectUrl = `${deps.publicBaseUrl}/oauth/install`;

  router.get('/v1/install', async (_req, res) => {
    const { portalId, userId } = identityOf(res);
    const [status, install] = await Promise.all([deps.install.status(portalId), deps.install.get(portalId)]);
    if (status === 'active') await deps.roles.requireAccess(portalId, userId);
    const granted = install?.scopes ?? [];
    const body: InstallStatusResponse = {
      portalId,
      status: status === 'not-installed' ? 'active' : status,
      role: await deps.roles.roleOf(portalId, userId),
      grantedScopes: granted,
      // The static-token mode has no scope list: nothing is reported missing there.
      missingScopes: install
        ? Object.entries(OPTIONAL_SCOPES)
            .filter(([scope]) => !granted.includes(scope))
            .map(([scope, sentence]) => ({ scope, sentence }))
        : [],
      ...(status === 'needs-reconnect' ? { reconnectUrl } : {}),
    };
    res.json(body);
  });

  router.get('/v1/install/managers', async (_req, res) => {
    const { portalId, userId } = identityOf(res);
    await deps.roles.requireManager(portalId, userId, 'see the managers');
    const body: ManagersResponse = { managers: await deps.roles.listManagers(portalId) };
    res.json(body);
  });

  router.post('/v1/install/managers', async (req, res) => {
    const { portalId, userId } = identityOf(res);
    const parsed = userIdBody.safeParse(req.body ?? {});
    if (!parsed.success) throw new AppError('BAD_REQUEST', 'Send {"userId": <HubSpot user id>}.');
    await deps.roles.grant(portalId, userId, parsed.data.userId);
    res.status(204).end();
  });

  router.delete('/v1/install/managers/:userId', async (req, res) => {
    const { portalId, userId } = identityOf(res);
    const target = managerUserIdParam.safeParse(req.params.userId);
    if (!target.success) throw new AppError('BAD_REQUEST', 'The user id must be a number.');
    await deps.roles.revoke(portalId, userId, target.data);
    res.status(204).end();
  });

  router.post('/v1/install/purge', async (req, res) => {
    const { portalId, userId } = identityOf(res);
    await deps.roles.requireManager(portalId, userId, 'remove Tiller and delete its data');
    const parsed = purgeBody.safeParse(req.body ?? {});
    if (!parsed.success || parsed.data.confirm !== String(portalId)) {
      throw new AppError(
        'BAD_REQUEST',
        `This removes Tiller from the portal and deletes everything Tiller stored for it, at once. To confirm, send {"confirm": "${portalId}"} (the portal id).`,
      );
    }
    req.log?.warn({ portalId, userId }, 'manager asked to uninstall and purge now');
    const { tables } = await deps.install.uninstallAndPurge(portalId, (id) => deps.crm.portal(id).uninstallApp());
    res.json({ purged: true, tables });
  });

  return router;
}
