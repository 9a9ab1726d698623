import { Router, type Response } from 'express';
import { z } from 'zod';
import { AppError } from '../../app-error';
import type { CustomerSettingsChoicesResponse, CustomerSuccessSettingsResponse, WorkspaceViewResponse } from '../../contract/workspace';
import type { CrmGateway } from '../../crm/gateway';
import { FILTER_OPERATORS } from '../../engines/health/operators';
import type { CustomerSuccessSettingsService } from '../../services/customer-success/settings';
import { WORKSPACES, type Viewer, type WorkspaceService } from '../../services/workspace/service';
import type { WorkspaceWrites } from '../../services/workspace/writes';
import type { ObjectSettingsService } from '../../services/customer-success/object-settings';
import { identityOf, type Roles } from '../identity';
import { parseBody, parseQuery } from '../validate';

// CS-SET-1 settings and the object workspaces (CS-CUS-1..3): docs/api.md "Customer Success".

export type WorkspaceRouteDeps = {
  crm: CrmGateway;
  roles: Roles;
  workspace: WorkspaceService;
  settings: CustomerSuccessSettingsService;
  writes: WorkspaceWrites;
  objectSettings: ObjectSettingsService;
};

/** Revenue shows one of its configured objects at a time (the first when absent). */
const objectParam = z
  .string()
  .regex(/^(deals|\d+-\d+)$/, 'must be deals or an object type id')
  .optional();
export const objectQuery = z.object({ object: objectParam });
const pipelineParam = z.string().min(1).max(100).optional();
const operand = z.union([z.string().max(500), z.number(), z.boolean()]);
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day (YYYY-MM-DD)');
const range = z.object({ from: day.optional(), to: day.optional() }).strict();
const filtersSchema = z
  .object({
    owner: z
      .string()
      .regex(/^(me|none|\d{1,18})$/, 'must be me, none or an owner id')
      .optional(),
    createDate: range.optional(),
    lastActivity: range.optional(),
    properties: z
      .array(
        z
          .object({
            propertyName: z.string().min(1).max(200),
            operator: z.enum(FILTER_OPERATORS),
            value: operand.optional(),
            values: z.array(operand).max(200).optional(),
            highValue: operand.optional(),
          })
          .strict(),
      )
      .max(20)
      .optional(),
  })
  .strict();
const sortSchema = z.object({ property: z.string().min(1).max(200), direction: z.enum(['ASC', 'DESC']) }).strict();
export const viewInput = z
  .object({
    name: z.string().trim().min(1, 'a view needs a name').max(100),
    sharing: z.enum(['private', 'everyone']),
    query: z.object({ filters: filtersSchema, sort: sortSchema.optional() }).strict(),
  })
  .strict();
const json = <S extends z.ZodType>(schema: S) =>
  z
    .string()
    .transform((raw, ctx) => {
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be JSON' });
        return z.NEVER;
      }
    })
    .pipe(schema);
export const recordsQuery = z.object({
  view: z
    .string()
    .regex(/^[\w-]{1,64}$/, 'must be a view id')
    .optional(),
  filters: json(filtersSchema).optional(),
  sort: z.string().max(200).optional(),
  direction: z.enum(['ASC', 'DESC']).default('ASC'),
  after: z.string().max(2000).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  pipeline: pipelineParam,
  object: objectParam,
});
export const boardQuery = z.object({
  view: z
    .string()
    .regex(/^[\w-]{1,64}$/, 'must be a view id')
    .optional(),
  filters: json(filtersSchema).optional(),
  sort: z.string().max(200).optional(),
  direction: z.enum(['ASC', 'DESC']).default('ASC'),
  pipeline: pipelineParam,
  perColumn: z.coerce.number().int().min(1).max(100).default(20),
  object: objectParam,
});
export const arrQuery = z.object({ months: z.coerce.number().int().min(1).max(24).default(12), object: objectParam });
const editValue = z.union([z.string().max(70_000), z.number(), z.boolean(), z.null()]);
export const stageInput = z
  .object({
    stageId: z.string().min(1).max(100),
    properties: z.record(z.string().min(1).max(200), editValue).optional(),
  })
  .strict();
export const params = z.object({ workspace: z.enum(WORKSPACES, { message: 'must be customers, services or revenue' }) });

export const viewParams = params.extend({ id: z.string().regex(/^[\w-]{1,64}$/, 'must be a view id') });
export const recordParams = params.extend({ id: z.string().regex(/^\d{1,18}$/, 'must be a numeric record id') });
export const defaultsInput = z
  .object({
    defaults: z.array(
      z
        .object({
          viewId: z.string().regex(/^[\w-]{1,64}$/),
          description: z.string().trim().min(1, 'a default view needs a description').max(300),
        })
        .strict(),
    ),
  })
  .strict();
export const deleteInput = z.object({ confirm: z.boolean() }).strict();
export const customersInput = z
  .object({
    customers: z
      .object({
        objectType: z.string().min(1).max(64),
        csmProperty: z.string().min(1).max(200),
        renewalDateProperty: z.string().min(1).max(200).nullable(),
      })
      .strict(),
  })
  .strict();
export const editInput = z
  .object({
    property: z.string().min(1).max(200),
    value: editValue,
  })
  .strict();
const name = z.string().min(1).max(200);
const pipelineObjectInput = z
  .object({
    objectType: z.string().min(1).max(64),
    csmProperty: name,
    renewalDateProperty: name.nullable(),
    visiblePipelines: z.array(z.string().min(1).max(100)).max(100).nullable(),
    defaultPipeline: z.string().min(1).max(100).nullable(),
    defaultLayout: z.enum(['table', 'board']),
    stageRequirements: z.record(z.string().min(1).max(100), z.array(name).max(20)).default({}),
  })
  .strict();
export const servicesInput = z.object({ services: pipelineObjectInput }).strict();
export const revenueInput = z
  .object({
    revenue: z
      .object({
        objects: z
          .array(pipelineObjectInput.extend({ amountProperty: name.nullable() }).strict())
          .min(1)
          .max(2),
      })
      .strict(),
  })
  .strict();
export const choicesQuery = z.object({ objectType: z.string().min(1).max(64) });

export function workspaceRoutes(deps: WorkspaceRouteDeps): Router {
  const router = Router();
  const { workspace: service, settings } = deps;
  const crmOf = (res: Response) => deps.crm.portal(identityOf(res).portalId);

  async function viewer(res: Response): Promise<Viewer> {
    const { portalId, userId, viewAsUserId } = identityOf(res);
    return { portalId, userId, viewAsUserId, isManager: await deps.roles.isManager(portalId, userId) };
  }

  /** The caller, who must be a manager: the Customer Success, Services and Revenue settings are theirs to change. */
  async function settingsManager(res: Response): Promise<Viewer> {
    const v = await viewer(res);
    if (!v.isManager) throw new AppError('FORBIDDEN', 'Only managers can change the Customer Success settings.');
    return v;
  }

  router.get('/v1/settings/customer-success', async (_req, res) => {
    const body: CustomerSuccessSettingsResponse = await settings.read(crmOf(res), identityOf(res).portalId);
    res.json(body);
  });

  router.get('/v1/settings/customer-success/choices', async (req, res) => {
    const q = parseQuery(choicesQuery, req.query);
    const body: CustomerSettingsChoicesResponse = await settings.choicesFor(crmOf(res), identityOf(res).portalId, q.objectType);
    res.json(body);
  });

  router.put('/v1/settings/customer-success', async (req, res) => {
    const v = await settingsManager(res);
    const b = parseBody(customersInput, req.body);
    res.json(await settings.save(crmOf(res), v.portalId, v.userId, b.customers));
  });

  // CS-SET-2 / CS-SET-3: the Services and Revenue settings (managers change them).
  router.get('/v1/settings/customer-success/services', async (_req, res) => {
    res.json(await deps.objectSettings.readServices(crmOf(res), identityOf(res).portalId));
  });

  router.put('/v1/settings/customer-success/services', async (req, res) => {
    const v = await settingsManager(res);
    const b = parseBody(servicesInput, req.body);
    res.json(await deps.objectSettings.saveServices(crmOf(res), v.portalId, v.userId, b.services));
  });

  router.get('/v1/settings/customer-success/revenue', async (_req, res) => {
    res.json(await deps.objectSettings.readRevenue(crmOf(res), identityOf(res).portalId));
  });

  router.put('/v1/settings/customer-success/revenue', async (req, res) => {
    const v = await settingsManager(res);
    const b = parseBody(revenueInput, req.body);
    res.json(await deps.objectSettings.saveRevenue(crmOf(res), v.portalId, v.userId, b.revenue));
  });

  router.get('/v1/settings/customer-success/object-choices', async (req, res) => {
    const q = parseQuery(choicesQuery, req.query);
    res.json(await deps.objectSettings.choicesFor(crmOf(res), identityOf(res).portalId, q.objectType));
  });

  router.get('/v1/workspace/:workspace', async (req, res) => {
    const p = parseQuery(params, req.params);
    const q = parseQuery(recordsQuery, req.query);
    res.json(
      await service.records(await viewer(res), p.workspace, {
        ...(q.view ? { view: q.view } : {}),
        ...(q.filters ? { filters: q.filters } : {}),
        ...(q.sort ? { sort: { property: q.sort, direction: q.direction } } : {}),
        ...(q.after ? { after: q.after } : {}),
        ...(q.pipeline ? { pipeline: q.pipeline } : {}),
        ...(q.object ? { object: q.object } : {}),
        limit: q.limit,
      }),
    );
  });

  router.get('/v1/workspace/:workspace/meta', async (req, res) => {
    const p = parseQuery(params, req.params);
    res.json(await service.meta(await viewer(res), p.workspace, parseQuery(objectQuery, req.query).object));
  });

  router.get('/v1/workspace/:workspace/views', async (req, res) => {
    const p = parseQuery(params, req.params);
    res.json(await service.listViews(await viewer(res), p.workspace, parseQuery(objectQuery, req.query).object));
  });

  router.post('/v1/workspace/:workspace/views', async (req, res) => {
    const p = parseQuery(params, req.params);
    const b = parseBody(viewInput, req.body);
    const body: WorkspaceViewResponse = {
      view: await service.createView(await viewer(res), p.workspace, b, parseQuery(objectQuery, req.query).object),
    };
    res.status(201).json(body);
  });

  router.put('/v1/workspace/:workspace/views/:id', async (req, res) => {
    const p = parseQuery(viewParams, req.params);
    const b = parseBody(viewInput, req.body);
    const body: WorkspaceViewResponse = {
      view: await service.updateView(await viewer(res), p.workspace, p.id, b, parseQuery(objectQuery, req.query).object),
    };
    res.json(body);
  });

  router.delete('/v1/workspace/:workspace/views/:id', async (req, res) => {
    const p = parseQuery(viewParams, req.params);
    const b = parseBody(deleteInput, req.body ?? {});
    await service.deleteView(await viewer(res), p.workspace, p.id, b.confirm, parseQuery(objectQuery, req.query).object);
    res.status(204).end();
  });

  router.put('/v1/workspace/:workspace/defaults', async (req, res) => {
    const p = parseQuery(params, req.params);
    const b = parseBody(defaultsInput, req.body);
    res.json(await service.setDefaults(await viewer(res), p.workspace, b, parseQuery(objectQuery, req.query).object));
  });

  router.get('/v1/workspace/:workspace/records/:id', async (req, res) => {
    const p = parseQuery(recordParams, req.params);
    res.json(await service.preview(await viewer(res), p.workspace, p.id, parseQuery(objectQuery, req.query).object));
  });

  router.patch('/v1/workspace/:workspace/records/:id', async (req, res) => {
    const p = parseQuery(recordParams, req.params);
    const b = parseBody(editInput, req.body);
    res.json(
      await deps.writes.editProperty(crmOf(res), await viewer(res), p.workspace, p.id, b, parseQuery(objectQuery, req.query).object),
    );
  });

  router.post('/v1/workspace/:workspace/records/:id/stage', async (req, res) => {
    const p = parseQuery(recordParams, req.params);
    const b = parseBody(stageInput, req.body);
    res.json(await deps.writes.changeStage(crmOf(res), await viewer(res), p.workspace, p.id, b, parseQuery(objectQuery, req.query).object));
  });

  router.get('/v1/workspace/revenue/arr-at-risk', async (req, res) => {
    const q = parseQuery(arrQuery, req.query);
    res.json(await service.arrAtRisk(await viewer(res), { months: q.months, ...(q.object ? { object: q.object } : {}) }));
  });

  router.get('/v1/workspace/:workspace/pipelines', async (req, res) => {
    const p = parseQuery(params, req.params);
    res.json(await service.pipelines(await viewer(res), p.workspace, parseQuery(objectQuery, req.query).object));
  });

  router.get('/v1/workspace/:workspace/board', async (req, res) => {
    const p = parseQuery(params, req.params);
    const q = parseQuery(boardQuery, req.query);
    res.json(
      await service.board(await viewer(res), p.workspace, {
        ...(q.view ? { view: q.view } : {}),
        ...(q.filters ? { filters: q.filters } : {}),
        ...(q.sort ? { sort: { property: q.sort, direction: q.direction } } : {}),
        ...(q.pipeline ? { pipeline: q.pipeline } : {}),
        ...(q.object ? { object: q.object } : {}),
        perColumn: q.perColumn,
      }),
    );
  });

  return router;
}
