import './express-types';
import type { RequestHandler } from 'express';
import { AppError } from '../app-error';
import type { InstallService } from '../services/install/install-service';

/**
 * After the identity: a portal whose refresh HubSpot refused gets NEEDS_RECONNECT (with the
 * reconnect link) everywhere but /v1/install*, so no screen calls HubSpot for it.
 */
export function requireUsableInstall(deps: { install: InstallService; publicBaseUrl: string }): RequestHandler {
  return async (req, res, next) => {
    const portalId = (res.locals.identity as { portalId?: number } | undefined)?.portalId;
    if (portalId !== undefined && !req.path.startsWith('/v1/install') && (await deps.install.status(portalId)) === 'needs-reconnect') {
      throw new AppError(
        'NEEDS_RECONNECT',
        'HubSpot no longer accepts Tiller for this portal, so Tiller has stopped reading it. A HubSpot super admin can reconnect Tiller to bring it back.',
        { reconnectUrl: `${deps.publicBaseUrl}/oauth/install` },
      );
    }
    next();
  };
}
