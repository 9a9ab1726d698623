import { Router } from 'express';
import { AppError } from '../../app-error';
import type { AppServices } from '../../services/app-services';
import { identityOf, type Roles } from '../identity';

/** GET /api/v1/sync/status: how complete and how fresh the portal's copy is, per object type (managers). */
export function syncRoutes(deps: { syncStatus: AppServices['syncStatus']; roles: Roles }): Router {
  const router = Router();
  router.get('/v1/sync/status', async (_req, res) => {
    const { portalId, userId } = identityOf(res);
    if (!(await deps.roles.isManager(portalId, userId))) throw new AppError('FORBIDDEN', 'Only managers can see how the portal is copied.');
    res.json(await deps.syncStatus(portalId));
  });
  return router;
}
