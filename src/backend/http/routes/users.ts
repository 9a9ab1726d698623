import { Router } from 'express';
import { AppError } from '../../app-error';
import type { AppServices } from '../../services/app-services';
import { identityOf, type Roles } from '../identity';

/** GET /api/v1/users: the people a manager can view a workspace as (active owners with a user). */
export function usersRoutes(deps: { users: AppServices['users']; roles: Roles }): Router {
  const router = Router();
  router.get('/v1/users', async (_req, res) => {
    const { portalId, userId } = identityOf(res);
    if (!(await deps.roles.isManager(portalId, userId))) throw new AppError('FORBIDDEN', 'Only managers can list the users of the portal.');
    res.json(await deps.users(portalId));
  });
  return router;
}
