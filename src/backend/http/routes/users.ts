import { Router } from 'express';
import { AppError } from '../../app-error';
import type { UsersResponse } from '../../contract/api';
import type { CrmGateway } from '../../crm/gateway';
import { identityOf, type Roles } from '../identity';

/** GET /api/v1/users: the people a manager can view a workspace as (active owners with a user). */
export function usersRoutes(deps: { crm: CrmGateway; roles: Roles }): Router {
  const router = Router();
  router.get('/v1/users', async (_req, res) => {
    const { portalId, userId } = identityOf(res);
    if (!(await deps.roles.isManager(portalId, userId))) throw new AppError('FORBIDDEN', 'Only managers can list the users of the portal.');
    const owners = await deps.crm.portal(portalId).owners();
    const body: UsersResponse = {
      users: owners
        .filter((o) => o.userId !== null && !o.archived)
        .map((o) => ({
          userId: o.userId!,
          ownerId: o.id,
          name: [o.firstName, o.lastName].filter(Boolean).join(' ') || o.email || `User ${o.userId}`,
          email: o.email,
        }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    };
    res.json(body);
  });
  return router;
}
