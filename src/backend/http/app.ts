import './express-types';
import express, { type Express } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import { randomUUID } from 'node:crypto';
import type { CrmGateway } from '../crm/gateway';
import type { Database } from '../storage';
import { AppError } from '../app-error';
import { errorHandler, notFoundHandler } from './errors';
import { requireIdentity, type Installations, type Roles } from './identity';
import { meterRequests } from './metering';
import { requireHubSpotSignature } from './signature';
import { meRoutes } from './routes/me';
import { tasksRoutes } from './routes/tasks';
import { usersRoutes } from './routes/users';
import { healthRoutes, type HealthRouteDeps } from './routes/health';
import { guidedActionsRoutes } from './routes/guided-actions';
import { workspaceRoutes } from './routes/workspace';
import { customerSuccessSettings } from '../services/customer-success/settings';
import { workspaceService } from '../services/workspace/service';

export type AppDeps = {
  publicBaseUrl: string;
  clientSecret: string;
  crm: CrmGateway;
  /** Our own database (settings, views, score history, alerts, feedback, first-seen times). */
  db: Database;
  installations: Installations;
  roles: Roles;
  logger: Logger;
  now?: () => number;
  /** Per-request budget for HubSpot work, well inside hubspot.fetch's 15 s. */
  deadlineMs?: number;
  /** Sandbox mode: expose the HubSpot call counts as response headers. */
  exposeMetering?: boolean;
  /** Health scores: the scheduler (on-demand runs) and how long a stored score stays fresh. */
  healthScheduler?: HealthRouteDeps['healthScheduler'];
  healthFreshForMs?: number;
};

/** Builds the Express app from its dependencies; only main.ts listens. */
export function createApp(deps: AppDeps): Express {
  const now = deps.now ?? Date.now;
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' },
      serializers: { req: (req) => ({ id: req.id, method: req.method, url: String(req.url).split('?')[0] }) },
    }),
  );

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  const api = express.Router();
  // Keep the raw bytes: the signature covers the body exactly as sent.
  api.use(express.raw({ type: () => true, limit: '1mb' }));
  api.use((req, _res, next) => {
    if (Buffer.isBuffer(req.body)) req.rawBody = req.body;
    req.body = undefined;
    next();
  });
  api.use(requireHubSpotSignature({ secret: deps.clientSecret, publicBaseUrl: deps.publicBaseUrl, now }));
  api.use((req, _res, next) => {
    const raw = req.rawBody;
    if (raw && raw.length > 0) {
      try {
        req.body = JSON.parse(raw.toString('utf8'));
      } catch {
        throw new AppError('BAD_REQUEST', 'The request body is not valid JSON.');
      }
    }
    next();
  });
  api.use(requireIdentity({ installations: deps.installations, roles: deps.roles }));
  api.use(meterRequests({ deadlineMs: deps.deadlineMs ?? 10_000, exposeHeaders: deps.exposeMetering ?? false }));
  api.use(meRoutes({ crm: deps.crm, roles: deps.roles }));
  api.use(tasksRoutes({ crm: deps.crm, now }));
  api.use(usersRoutes({ crm: deps.crm, roles: deps.roles }));
  api.use(healthRoutes({ ...deps, now }));
  api.use(guidedActionsRoutes({ ...deps, now }));
  api.use(workspaceRoutes({ ...deps, workspace: workspaceService(deps.db, now), settings: customerSuccessSettings(deps.db, now) }));
  api.use(notFoundHandler);

  app.use('/api', api);
  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
