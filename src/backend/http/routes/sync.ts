import { Router } from 'express';
import { AppError } from '../../app-error';
import type { SyncStatusResponse } from '../../contract/api';
import { createCopyRepo, type Database } from '../../storage';
import { syncStatus } from '../../sync/status';
import { identityOf, type Roles } from '../identity';

/** GET /api/v1/sync/status: how complete and how fresh the portal's copy is, per object type (managers). */
export function syncRoutes(deps: { db: Database; roles: Roles; now: () => number }): Router {
  const router = Router();
  router.get('/v1/sync/status', async (_req, res) => {
    const { portalId, userId } = identityOf(res);
    if (!(await deps.roles.isManager(portalId, userId))) throw new AppError('FORBIDDEN', 'Only managers can see how the portal is copied.');
    const body: SyncStatusResponse = await syncStatus(createCopyRepo(deps.db), portalId, deps.now());
    res.json(body);
  });
  return router;
}
