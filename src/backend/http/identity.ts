import './express-types';
import type { RequestHandler, Response } from 'express';
import { z } from 'zod';
import { AppError } from '../app-error';

/** Who is calling, read from the query string only after the signature was verified. */
export type Identity = {
  portalId: number;
  /** The HubSpot user who opened Tiller. */
  userId: number;
  userEmail: string | null;
  /** The user whose workspace is shown: userId, or asUserId for a manager viewing as someone else. */
  viewAsUserId: number;
};

export interface Installations {
  isInstalled(portalId: number): Promise<boolean>;
}

export interface Roles {
  /** Managers (and every super admin of the portal) may view as another user. */
  isManager(portalId: number, userId: number): Promise<boolean>;
}

const id = z
  .string()
  .regex(/^\d{1,18}$/, 'must be a numeric id')
  .transform(Number);
const identityQuery = z.object({
  portalId: id,
  userId: id,
  userEmail: z.string().max(320).optional(),
  asUserId: id.optional(),
});

export function requireIdentity(deps: { installations: Installations; roles: Roles }): RequestHandler {
  return async (req, res, next) => {
    const parsed = identityQuery.safeParse(req.query);
    if (!parsed.success) {
      throw new AppError('UNAUTHENTICATED', 'The request does not say which HubSpot portal and user it comes from.');
    }
    const { portalId, userId, userEmail, asUserId } = parsed.data;
    if (!(await deps.installations.isInstalled(portalId))) {
      throw new AppError('NOT_INSTALLED', 'Tiller is not installed in this HubSpot portal.');
    }
    if (asUserId !== undefined && asUserId !== userId && !(await deps.roles.isManager(portalId, userId))) {
      throw new AppError('FORBIDDEN', 'Only managers can view a workspace as another user.');
    }
    const identity: Identity = { portalId, userId, userEmail: userEmail ?? null, viewAsUserId: asUserId ?? userId };
    res.locals.identity = identity;
    next();
  };
}

export function identityOf(res: Response): Identity {
  const identity = res.locals.identity as Identity | undefined;
  if (!identity) throw new AppError('UNAUTHENTICATED', 'The request has no verified identity.');
  return identity;
}
