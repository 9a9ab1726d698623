import { Router, type Response } from 'express';
import { z } from 'zod';
import type { Dashboard, DashboardsResponse, DashboardTeamsResponse, TodayScheduleResponse } from '../../contract/summary';
import { REPORT_IDS } from '../../contract/summary';
import type { AppServices } from '../../services/app-services';
import { identityOf, type Roles } from '../identity';
import { sendJson } from '../metering';
import { parseBody, parseQuery } from '../validate';

// The Summary's own reads (CS-SUM-4 today's schedule, CS-SUM-6 reports) and the dashboards
// (CS-DASH-1, SW-5): docs/api.md "Summary and dashboards".

export type SummaryRouteDeps = Pick<AppServices, 'crm' | 'todaySchedule' | 'summaryReports' | 'dashboards'> & {
  roles: Roles;
  now: () => number;
};

const MAX_LINKS = 10;
const hubspotLink = z
  .object({
    label: z.string().trim().min(1, 'a link needs a label').max(100),
    url: z
      .string()
      .trim()
      .max(2000)
      .url('must be a URL')
      .refine((u) => /^https:\/\/([\w-]+\.)*hubspot\.com\//.test(u), 'must be a link into HubSpot (https://app.hubspot.com/…)'),
  })
  .strict();
const reportId = z.enum(REPORT_IDS, { message: `must be one of ${REPORT_IDS.join(', ')}` });
export const reportsInput = z
  .object({
    chosen: z.array(reportId).max(5, 'choose at most 5 reports'),
    hubspotLinks: z.array(hubspotLink).max(MAX_LINKS, `at most ${MAX_LINKS} links`),
  })
  .strict();
export const dashboardInput = z
  .object({
    name: z.string().trim().min(1, 'a dashboard needs a name').max(100),
    reportIds: z.array(reportId).max(REPORT_IDS.length),
    hubspotLinks: z.array(hubspotLink).max(MAX_LINKS, `at most ${MAX_LINKS} links`),
    access: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('everyone') }).strict(),
      z
        .object({
          kind: z.literal('teams'),
          teamIds: z
            .array(z.string().regex(/^[\w-]{1,64}$/, 'must be a team id'))
            .min(1, 'choose at least one team')
            .max(100),
        })
        .strict(),
    ]),
    confirmViewAccess: z.boolean(),
  })
  .strict();
export const dashboardParams = z.object({ id: z.string().regex(/^d-[0-9a-f]{16}$/, 'must be a dashboard id') });
export const deleteInput = z.object({ confirm: z.boolean() }).strict();

export function summaryRoutes(deps: SummaryRouteDeps): Router {
  const router = Router();
  const crmOf = (res: Response) => deps.crm.portal(identityOf(res).portalId);
  async function viewer(res: Response) {
    const { portalId, userId, viewAsUserId } = identityOf(res);
    return { portalId, userId, viewAsUserId, isManager: await deps.roles.isManager(portalId, userId) };
  }

  router.get('/v1/summary/schedule', async (_req, res) => {
    const { portalId, viewAsUserId } = identityOf(res);
    const body: TodayScheduleResponse = await deps.todaySchedule(portalId, { userId: viewAsUserId, now: deps.now() });
    sendJson(res, body);
  });

  router.get('/v1/summary/reports', async (_req, res) => {
    sendJson(res, await deps.summaryReports.read(crmOf(res), await viewer(res)));
  });

  router.put('/v1/summary/reports', async (req, res) => {
    const b = parseBody(reportsInput, req.body);
    sendJson(res, await deps.summaryReports.save(crmOf(res), await viewer(res), b));
  });

  router.get('/v1/dashboards', async (_req, res) => {
    const body: DashboardsResponse = await deps.dashboards.list(crmOf(res), await viewer(res));
    sendJson(res, body);
  });

  router.get('/v1/teams', async (_req, res) => {
    const body: DashboardTeamsResponse = await deps.dashboards.teams(crmOf(res));
    sendJson(res, body);
  });

  router.post('/v1/dashboards', async (req, res) => {
    const b = parseBody(dashboardInput, req.body);
    const body: { dashboard: Dashboard } = { dashboard: await deps.dashboards.create(crmOf(res), await viewer(res), b) };
    res.status(201);
    sendJson(res, body);
  });

  router.get('/v1/dashboards/:id', async (req, res) => {
    const p = parseQuery(dashboardParams, req.params);
    sendJson(res, await deps.dashboards.open(crmOf(res), await viewer(res), p.id));
  });

  router.delete('/v1/dashboards/:id', async (req, res) => {
    const p = parseQuery(dashboardParams, req.params);
    const b = parseBody(deleteInput, req.body ?? {});
    await deps.dashboards.remove(await viewer(res), p.id, b.confirm);
    res.status(204).end();
  });

  return router;
}
