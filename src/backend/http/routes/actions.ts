import { Router } from 'express';
import { z } from 'zod';
import type { CrmGateway } from '../../crm/gateway';
import { createBulkRunner, type BulkRunner, type BulkRunnerLogger } from '../../jobs/bulk-runner';
import { bulkJobResponse, cancelBulkJob, createBulkJob, visibleJob } from '../../services/actions/bulk';
import { filtersQuery, filtersSchema, listActionsTasks, parseFilters, sortSchema } from '../../services/actions/tasks';
import { createView, deleteView, listViews, updateView } from '../../services/actions/views';
import { createTask } from '../../services/actions/write';
import type { Database } from '../../storage';
import { identityOf, type Roles } from '../identity';
import { sendJson } from '../metering';
import { parseBody, parseQuery } from '../validate';

export type ActionsRouteDeps = {
  db: Database;
  crm: CrmGateway;
  roles: Roles;
  logger: BulkRunnerLogger;
  now: () => number;
  /** The app's bulk runner; without one, jobs run in this process as they are created. */
  bulkRunner?: BulkRunner;
};

const viewParam = z.string().regex(/^(due-today|overdue|due-tomorrow|completed|tv_[0-9a-f-]{36})$/, 'a built-in view or a custom view id');
const tasksQuery = filtersQuery.extend({
  view: viewParam.default('due-today'),
  sort: sortSchema.optional(),
  after: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});

const viewBody = z.object({
  name: z.string().trim().min(1).max(100),
  shared: z.boolean().optional(),
  filters: filtersSchema.optional(),
  sort: sortSchema.optional(),
}).strict();

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time HH:mm');
const createBody = z.object({
  subject: z.string().trim().min(1).max(500),
  dueDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD'),
  dueTime: hhmm.optional(),
  priority: z.enum(['NONE', 'LOW', 'MEDIUM', 'HIGH']).optional(),
  type: z.enum(['TODO', 'CALL', 'EMAIL', 'LINKED_IN_CONNECT', 'LINKED_IN_MESSAGE', 'MEETING']).optional(),
  ownerId: z.string().regex(/^\d{1,18}$/, 'an owner id').optional(),
  notes: z.string().max(65_000).optional(),
  associatedRecord: z.object({ objectType: z.enum(['contacts', 'companies', 'deals']), objectId: z.string().regex(/^\d{1,18}$/, 'a record id') }).optional(),
}).strict();

const bulkBody = z.object({
  action: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('complete') }),
    z.object({ kind: z.literal('reopen') }),
    z.object({ kind: z.literal('assign'), ownerId: z.string().regex(/^\d{1,18}$/, 'an owner id') }),
    z.object({ kind: z.literal('set-property'), property: z.string().regex(/^[a-z0-9_]{1,100}$/, 'a property name'), value: z.string().max(65_000).nullable() }),
    z.object({ kind: z.literal('delete') }),
  ]),
  selection: z.union([
    z.object({ ids: z.array(z.string().regex(/^\d{1,18}$/, 'a task id')).min(1).max(10_000) }).strict(),
    z.object({ filter: z.record(z.string(), z.unknown()), viewId: z.string().regex(/^tv_[0-9a-f-]{36}$/).optional() }).strict(),
  ]),
  confirm: z.boolean().optional(),
}).strict();

const deleteBody = z.object({ confirm: z.literal(true, { message: 'must be true to delete the view' }) });

export function actionsRoutes(deps: ActionsRouteDeps): Router {
  const router = Router();
  const runner = deps.bulkRunner ?? createBulkRunner({ db: deps.db, crm: deps.crm, logger: deps.logger, now: deps.now });
  const isManager = (portalId: number, userId: number) => deps.roles.isManager(portalId, userId);

  router.get('/v1/actions/tasks', async (req, res) => {
    const { portalId, userId, viewAsUserId } = identityOf(res);
    const { view, sort, after, limit, ...filters } = parseQuery(tasksQuery, req.query);
    sendJson(res, await listActionsTasks(deps.db, { portalId, userId: viewAsUserId, callerUserId: userId }, { view, filters: parseFilters(filters), sort, after, limit, now: deps.now() }));
  });

  router.get('/v1/actions/views', async (_req, res) => {
    const { portalId, userId } = identityOf(res);
    sendJson(res, { views: await listViews(deps.db, { portalId, userId, isManager: await isManager(portalId, userId) }) });
  });

  router.post('/v1/actions/views', async (req, res) => {
    const { portalId, userId } = identityOf(res);
    const body = parseBody(viewBody, req.body);
    const view = await createView(deps.db, { portalId, userId, isManager: await isManager(portalId, userId) }, body, deps.now());
    res.status(201);
    sendJson(res, view);
  });

  router.patch('/v1/actions/views/:viewId', async (req, res) => {
    const { portalId, userId } = identityOf(res);
    const body = parseBody(viewBody.partial(), req.body);
    sendJson(res, await updateView(deps.db, { portalId, userId, isManager: await isManager(portalId, userId) }, String(req.params.viewId), body, deps.now()));
  });

  router.delete('/v1/actions/views/:viewId', async (req, res) => {
    const { portalId, userId } = identityOf(res);
    parseBody(deleteBody, req.body ?? {});
    await deleteView(deps.db, { portalId, userId, isManager: await isManager(portalId, userId) }, String(req.params.viewId));
    res.status(204).end();
  });

  router.post('/v1/actions/tasks', async (req, res) => {
    const { portalId, userId, viewAsUserId } = identityOf(res);
    const body = parseBody(createBody, req.body);
    const created = await createTask(deps.db, deps.crm.portal(portalId), { portalId, userId: viewAsUserId, callerUserId: userId }, body, deps.now());
    res.status(201);
    sendJson(res, created);
  });

  router.post('/v1/actions/jobs', async (req, res) => {
    const { portalId, userId, viewAsUserId } = identityOf(res);
    const body = parseBody(bulkBody, req.body);
    const job = await createBulkJob(deps.db, { portalId, userId: viewAsUserId, callerUserId: userId }, body, deps.now());
    void runner.kick(portalId, job.id);
    res.status(202);
    sendJson(res, await bulkJobResponse(deps.db, job));
  });

  router.get('/v1/actions/jobs/:jobId', async (req, res) => {
    const { portalId, userId } = identityOf(res);
    const job = await visibleJob(deps.db, { portalId, userId, isManager: await isManager(portalId, userId) }, String(req.params.jobId));
    sendJson(res, await bulkJobResponse(deps.db, job));
  });

  router.post('/v1/actions/jobs/:jobId/cancel', async (req, res) => {
    const { portalId, userId } = identityOf(res);
    const job = await cancelBulkJob(deps.db, { portalId, userId, isManager: await isManager(portalId, userId) }, String(req.params.jobId), deps.now());
    // A job no runner holds right now (waiting to retry, or between ticks) is cancelled by this kick.
    void runner.kick(portalId, job.id);
    res.status(202);
    sendJson(res, await bulkJobResponse(deps.db, job));
  });

  return router;
}
