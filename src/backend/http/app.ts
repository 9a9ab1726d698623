import './express-types';
import express, { type Express } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import { randomUUID } from 'node:crypto';
import type { CrmGateway } from '../crm/gateway';
import { createAppServices, type Database, type HealthScheduler } from '../services/app-services';
import { AppError } from '../app-error';
import { limitUrl, readRawBody, refuseContentEncoding } from './body';
import { errorHandler, notFoundHandler } from './errors';
import { createServer } from './server';
import { requireIdentity, type Installations, type Roles } from './identity';
import { meterRequests } from './metering';
import { requireHubSpotSignature } from './signature';
import { meRoutes } from './routes/me';
import { tasksRoutes } from './routes/tasks';
import { syncRoutes } from './routes/sync';
import { usersRoutes } from './routes/users';
import { healthRoutes } from './routes/health';
import { guidedActionsRoutes } from './routes/guided-actions';
import { webhooksRoutes, type WebhookIntake } from './webhooks';
import { oauthRoutes } from './routes/oauth';
import { installRoutes } from './routes/install';
import { requireUsableInstall } from './install-gate';
import type { InstallService } from '../services/install/install-service';
import type { RolesService } from '../services/install/roles';
import { actionsRoutes } from './routes/actions';
import type { BulkRunner } from '../jobs/bulk-runner';
import { workspaceRoutes } from './routes/workspace';
import type { CacheBus } from '../cache-bus';
import { API_VERSION, docsRoutes } from './openapi';
import { summaryRoutes } from './routes/summary';
import { scheduleRoutes } from './routes/schedule';
import { feedRoutes } from './routes/feed';
import { sequencesRoutes } from './routes/sequences';
import type { SequenceResolver } from '../services/sequences';

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
  healthScheduler?: HealthScheduler;
  healthFreshForMs?: number;
  /** HubSpot webhooks: where signed deliveries go (POST /webhooks/hubspot is served when set). */
  webhooks?: WebhookIntake;
  /** Installs (issue #12): the OAuth pages, /api/v1/install* and the needs-reconnect gate. */
  install?: { service: InstallService; roles: RolesService; oauthPages: boolean };
  /** Bulk task jobs: the instance's runner (main.ts starts it); without one, jobs run as they are created. */
  bulkRunner?: BulkRunner;
  /** Cache invalidations shared with the other instances (server.ts; Redis pub/sub when configured). */
  bus?: CacheBus;
  /** SW-2: the background resolver of sequence enrollments (tests wait on it); else the app's own. */
  sequenceResolver?: SequenceResolver;
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

  // Before routing: a URL longer than we route is a JSON 414 (our server raises Node's own limit above it).
  app.use(limitUrl);
  // The OpenAPI 3.1 document generated from the routes' zod schemas, and a page of it.
  app.use(docsRoutes({ version: API_VERSION }));

  if (deps.webhooks)
    app.use(webhooksRoutes({ clientSecret: deps.clientSecret, publicBaseUrl: deps.publicBaseUrl, now, intake: deps.webhooks }));
  if (deps.install?.oauthPages) app.use(oauthRoutes({ install: deps.install.service, publicBaseUrl: deps.publicBaseUrl }));

  const api = express.Router();
  // The raw bytes, capped by route, undecoded: the signature covers the body exactly as sent, and
  // nothing is decompressed or parsed before it verifies.
  api.use(readRawBody);
  api.use(requireHubSpotSignature({ secret: deps.clientSecret, publicBaseUrl: deps.publicBaseUrl, now }));
  api.use(refuseContentEncoding);
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
  if (deps.install) api.use(requireUsableInstall({ install: deps.install.service, publicBaseUrl: deps.publicBaseUrl }));
  api.use(meterRequests({ deadlineMs: deps.deadlineMs ?? 10_000, exposeHeaders: deps.exposeMetering ?? false }));
  const services = createAppServices({ ...deps, now });
  if (deps.install)
    api.use(
      installRoutes({ install: deps.install.service, roles: deps.install.roles, crm: services.crm, publicBaseUrl: deps.publicBaseUrl }),
    );
  api.use(meRoutes({ me: services.me, roles: deps.roles }));
  api.use(tasksRoutes({ taskBuckets: services.taskBuckets, now }));
  api.use(syncRoutes({ syncStatus: services.syncStatus, roles: deps.roles }));
  api.use(usersRoutes({ users: services.users, roles: deps.roles }));
  api.use(healthRoutes({ ...services, roles: deps.roles }));
  api.use(guidedActionsRoutes({ guidedActions: services.guidedActions, exposeMetering: deps.exposeMetering }));
  api.use(actionsRoutes({ actions: services.actions, roles: deps.roles }));
  api.use(
    workspaceRoutes({
      crm: services.crm,
      roles: deps.roles,
      workspace: services.workspace,
      settings: services.customerSuccessSettings,
      writes: services.workspaceWrites,
      objectSettings: services.objectSettings,
    }),
  );
  api.use(summaryRoutes({ ...services, roles: deps.roles, now }));
  api.use(scheduleRoutes({ schedule: services.schedule, now }));
  api.use(feedRoutes({ feed: services.feed, now }));
  api.use(sequencesRoutes({ sequences: services.sequences, now }));
  api.use(notFoundHandler);

  app.use('/api', api);
  app.use(notFoundHandler);
  app.use(errorHandler);
  // app.listen (main.ts, the bench) serves through our server: Node's header limit raised above
  // MAX_URL_BYTES and a JSON answer to what Node cannot parse, instead of its bare 431.
  app.listen = ((...args: unknown[]) => {
    const server = createServer(app);
    const done = args.at(-1);
    if (typeof done === 'function') server.once('error', done as (err: Error) => void);
    return server.listen(...(args as Parameters<typeof server.listen>));
  }) as Express['listen'];
  return app;
}
