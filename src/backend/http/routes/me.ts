import { Router } from 'express';
import type { AppServices } from '../../services/app-services';
import { identityOf, type Roles } from '../identity';

export function meRoutes(deps: { me: AppServices['me']; roles: Roles }): Router {
  const router = Router();
  router.get('/v1/me', async (_req, res) => {
    const { portalId, userId, viewAsUserId } = identityOf(res);
    const isManager = await deps.roles.isManager(portalId, userId);
    res.json(await deps.me(portalId, { portalId, userId, viewAsUserId, isManager }));
  });
  return router;
}
