import { Router } from 'express';
import type { CrmGateway } from '../../crm/gateway';
import { getMe } from '../../services/me';
import { identityOf, type Roles } from '../identity';

export function meRoutes(deps: { crm: CrmGateway; roles: Roles }): Router {
  const router = Router();
  router.get('/v1/me', async (_req, res) => {
    const { portalId, userId, viewAsUserId } = identityOf(res);
    const isManager = await deps.roles.isManager(portalId, userId);
    res.json(await getMe(deps.crm.portal(portalId), { portalId, userId, viewAsUserId, isManager }));
  });
  return router;
}
