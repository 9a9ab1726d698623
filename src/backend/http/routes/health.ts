import { Router, type Response } from 'express';
import { z } from 'zod';
import { AppError } from '../../app-error';
import type { HealthProfileResponse, HealthProfilesResponse } from '../../contract/api';
import type { AppServices } from '../../services/app-services';
import { identityOf, type Roles } from '../identity';
import { parseBody, parseQuery } from '../validate';

export type HealthRouteDeps = Pick<AppServices, 'crm' | 'health' | 'healthProfiles' | 'healthScheduler'> & { roles: Roles };

const category = z.enum(['AT_RISK', 'NEUTRAL', 'GOOD']);
const scope = z.enum(['mine', 'portal']).default('mine');
export const idParam = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a profile id');
// Cursors are ours (base64url of a short JSON array): anything longer is not one.
const after = z.string().max(512, 'not a cursor from this API').optional();
export const summaryQuery = z.object({ profileId: idParam.optional(), scope });
export const recordQuery = z.object({ profileId: idParam.optional() });
export const alertsQuery = z.object({ after, limit: z.coerce.number().int().min(1).max(100).default(25), scope });
export const customersQuery = z.object({
  profileId: idParam.optional(),
  category: category.optional(),
  after,
  limit: z.coerce.number().int().min(1).max(200).default(50),
  scope,
});
export const objectParams = z.object({
  objectType: z.string().regex(/^(companies|contacts|2-\d+|p\d*_[a-z0-9_]+)$/i, 'must be companies, contacts or a custom object type id'),
  objectId: z.string().regex(/^\d{1,20}$/, 'must be a numeric id'),
});
export const runIdParam = z.string().regex(/^[\w-]{1,80}$/);
export const profileBody = z.object({ profile: z.record(z.string(), z.unknown()) });
export const updateBody = z.object({ profile: z.record(z.string(), z.unknown()), expectedVersion: z.number().int().min(1) });

export function healthRoutes(deps: HealthRouteDeps): Router {
  const router = Router();
  const { health: queries, healthProfiles: profiles, healthScheduler: scheduler } = deps;

  async function requireManager(res: Response, what: string): Promise<void> {
    const { portalId, userId } = identityOf(res);
    if (!(await deps.roles.isManager(portalId, userId))) throw new AppError('FORBIDDEN', `Only managers can ${what}.`);
  }
  async function viewer(res: Response, s: 'mine' | 'portal') {
    const { portalId, viewAsUserId } = identityOf(res);
    if (s === 'portal') await requireManager(res, 'see the whole portal');
    return { portalId, viewAsUserId, scope: s };
  }
  const crmOf = (res: Response) => deps.crm.portal(identityOf(res).portalId);
  const profileId = (raw: unknown) => parseBody(z.object({ id: idParam }), { id: raw }).id;

  router.get('/v1/health/summary', async (req, res) => {
    const q = parseQuery(summaryQuery, req.query);
    res.json(await queries.summary(crmOf(res), await viewer(res, q.scope), q.profileId));
  });

  router.get('/v1/health/records/:objectType/:objectId', async (req, res) => {
    const p = parseQuery(objectParams, req.params);
    const q = parseQuery(recordQuery, req.query);
    res.json(await queries.record(crmOf(res), identityOf(res).portalId, p.objectType, p.objectId, q.profileId));
  });

  router.get('/v1/health/alerts', async (req, res) => {
    const q = parseQuery(alertsQuery, req.query);
    res.json(await queries.alerts(crmOf(res), await viewer(res, q.scope), q.after, q.limit));
  });

  router.get('/v1/health/customers', async (req, res) => {
    const q = parseQuery(customersQuery, req.query);
    res.json(await queries.customers(crmOf(res), await viewer(res, q.scope), q));
  });

  router.get('/v1/health/profiles', async (_req, res) => {
    const body: HealthProfilesResponse = { profiles: await profiles.list(identityOf(res).portalId, crmOf(res)) };
    res.json(body);
  });

  router.get('/v1/health/profiles/:id', async (req, res) => {
    const body: HealthProfileResponse = { profile: await profiles.get(identityOf(res).portalId, crmOf(res), profileId(req.params.id)) };
    res.json(body);
  });

  router.post('/v1/health/profiles', async (req, res) => {
    await requireManager(res, 'create health profiles');
    const b = parseBody(profileBody, req.body);
    const body: HealthProfileResponse = { profile: await profiles.create(identityOf(res).portalId, crmOf(res), b.profile) };
    res.status(201).json(body);
  });

  router.put('/v1/health/profiles/:id', async (req, res) => {
    await requireManager(res, 'edit health profiles');
    const b = parseBody(updateBody, req.body);
    const profile = await profiles.update(identityOf(res).portalId, crmOf(res), profileId(req.params.id), b.profile, b.expectedVersion);
    const body: HealthProfileResponse = { profile };
    res.json(body);
  });

  router.delete('/v1/health/profiles/:id', async (req, res) => {
    await requireManager(res, 'delete health profiles');
    await profiles.remove(identityOf(res).portalId, crmOf(res), profileId(req.params.id));
    res.status(204).end();
  });

  router.post('/v1/health/profiles/:id/preview', async (req, res) => {
    await requireManager(res, 'preview health profiles');
    const b = parseBody(profileBody, req.body);
    res.json(await queries.preview(crmOf(res), identityOf(res).portalId, profileId(req.params.id), b.profile));
  });

  router.post('/v1/health/runs', async (_req, res) => {
    await requireManager(res, 'start a scoring run');
    const { portalId } = identityOf(res);
    await profiles.ensure(portalId, crmOf(res));
    const run = await scheduler.requestRun(portalId);
    res.status(202).json({ runId: run.runId, status: run.status, href: `/api/v1/health/runs/${run.runId}` });
  });

  router.get('/v1/health/runs/:id', async (req, res) => {
    const id = parseBody(z.object({ id: runIdParam }), { id: req.params.id }).id;
    res.json(await queries.run(identityOf(res).portalId, id));
  });

  return router;
}
