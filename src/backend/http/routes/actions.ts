import { Router } from 'express';
import { z } from 'zod';
import { filtersQuery, filtersSchema, parseFilters, sortSchema, type ActionsService } from '../../services/actions';
import { identityOf, type Roles } from '../identity';
import { sendJson } from '../metering';
import { parseBody, parseQuery } from '../validate';

export type ActionsRouteDeps = { actions: ActionsService; roles: Roles };

const viewParam = z.string().regex(/^(due-today|overdue|due-tomorrow|completed|tv_[0-9a-f-]{36})$/, 'a built-in view or a custom view id');
export const tasksQuery = filtersQuery.extend({
  view: viewParam.default('due-today'),
  sort: sortSchema.optional(),
  after: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});

export const viewBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    shared: z.boolean().optional(),
    filters: filtersSchema.optional(),
    sort: sortSchema.optional(),
  })
  .strict();

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time HH:mm');
export const createBody = z
  .object({
    subject: z.string().trim().min(1).max(500),
    dueDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD'),
    dueTime: hhmm.optional(),
    priority: z.enum(['NONE', 'LOW', 'MEDIUM', 'HIGH']).optional(),
    type: z.enum(['TODO', 'CALL', 'EMAIL', 'LINKED_IN_CONNECT', 'LINKED_IN_MESSAGE', 'MEETING']).optional(),
    ownerId: z
      .string()
      .regex(/^\d{1,18}$/, 'an owner id')
      .optional(),
    notes: z.string().max(65_000).optional(),
    associatedRecord: z
      .object({ objectType: z.enum(['contacts', 'companies', 'deals']), objectId: z.string().regex(/^\d{1,18}$/, 'a record id') })
      .optional(),
  })
  .strict();

export const bulkBody = z
  .object({
    action: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('complete') }),
      z.object({ kind: z.literal('reopen') }),
      z.object({ kind: z.literal('assign'), ownerId: z.string().regex(/^\d{1,18}$/, 'an owner id') }),
      z.object({
        kind: z.literal('set-property'),
        property: z.string().regex(/^[a-z0-9_]{1,100}$/, 'a property name'),
        value: z.string().max(65_000).nullable(),
      }),
      z.object({ kind: z.literal('delete') }),
    ]),
    selection: z.union([
      z
        .object({
          ids: z
            .array(z.string().regex(/^\d{1,18}$/, 'a task id'))
            .min(1)
            .max(10_000),
        })
        .strict(),
      z
        .object({
          filter: z.record(z.string(), z.unknown()),
          viewId: z
            .string()
            .regex(/^tv_[0-9a-f-]{36}$/)
            .optional(),
        })
        .strict(),
    ]),
    confirm: z.boolean().optional(),
  })
  .strict();

export const taskParams = z.object({ taskId: z.string().regex(/^\d{1,18}$/, 'a task id') });

export const deleteBody = z.object({ confirm: z.literal(true, { message: 'must be true to delete the view' }) });

export function actionsRoutes(deps: ActionsRouteDeps): Router {
  const router = Router();
  const { actions } = deps;
  const actor = async (res: Parameters<typeof identityOf>[0]) => {
    const { portalId, userId } = identityOf(res);
    return { portalId, userId, isManager: await deps.roles.isManager(portalId, userId) };
  };
  const viewer = (res: Parameters<typeof identityOf>[0]) => {
    const { portalId, userId, viewAsUserId } = identityOf(res);
    return { portalId, userId: viewAsUserId, callerUserId: userId };
  };

  router.get('/v1/actions/tasks', async (req, res) => {
    const { view, sort, after, limit, ...filters } = parseQuery(tasksQuery, req.query);
    sendJson(res, await actions.listTasks(viewer(res), { view, filters: parseFilters(filters), sort, after, limit }));
  });

  router.get('/v1/actions/views', async (_req, res) => {
    sendJson(res, { views: await actions.listViews(await actor(res)) });
  });

  router.post('/v1/actions/views', async (req, res) => {
    const body = parseBody(viewBody, req.body);
    const view = await actions.createView(await actor(res), body);
    res.status(201);
    sendJson(res, view);
  });

  router.patch('/v1/actions/views/:viewId', async (req, res) => {
    const body = parseBody(viewBody.partial(), req.body);
    sendJson(res, await actions.updateView(await actor(res), String(req.params.viewId), body));
  });

  router.delete('/v1/actions/views/:viewId', async (req, res) => {
    parseBody(deleteBody, req.body ?? {});
    await actions.deleteView(await actor(res), String(req.params.viewId));
    res.status(204).end();
  });

  router.post('/v1/actions/tasks', async (req, res) => {
    const body = parseBody(createBody, req.body);
    const created = await actions.createTask(viewer(res), body);
    res.status(201);
    sendJson(res, created);
  });

  router.post('/v1/actions/tasks/:taskId/complete', async (req, res) => {
    const { taskId } = parseQuery(taskParams, req.params);
    sendJson(res, await actions.completeTask(viewer(res), taskId));
  });

  router.post('/v1/actions/jobs', async (req, res) => {
    const body = parseBody(bulkBody, req.body);
    const job = await actions.createJob(viewer(res), body);
    res.status(202);
    sendJson(res, job);
  });

  router.get('/v1/actions/jobs/:jobId', async (req, res) => {
    sendJson(res, await actions.job(await actor(res), String(req.params.jobId)));
  });

  router.post('/v1/actions/jobs/:jobId/cancel', async (req, res) => {
    const job = await actions.cancelJob(await actor(res), String(req.params.jobId));
    res.status(202);
    sendJson(res, job);
  });

  return router;
}
