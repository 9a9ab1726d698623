import { Router } from 'express';
import { z } from 'zod';
import type { AppServices } from '../../services/app-services';
import { isCalendarDate, isValidTimeZone } from '../../services/schedule';
import { identityOf } from '../identity';
import { sendJson } from '../metering';
import { parseQuery } from '../validate';

export const scheduleQuery = z.object({
  view: z.enum(['day', 'week', 'month']).default('week'),
  date: z.string().max(10).refine(isCalendarDate, 'a calendar date YYYY-MM-DD').optional(),
  timeZone: z.string().max(64).refine(isValidTimeZone, 'an IANA time zone such as Europe/Paris').optional(),
  hideWeekends: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** The day view's first item (pages of SCHEDULE_LIMITS.dayPage); ignored for a week or a month. */
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});

/** GET /api/v1/schedule: the Schedule tab (CS-SCH-1..2) and the Sales tab's today (SW-3). */
export function scheduleRoutes(deps: { schedule: AppServices['schedule']; now: () => number }): Router {
  const router = Router();
  router.get('/v1/schedule', async (req, res) => {
    const { portalId, userId, viewAsUserId } = identityOf(res);
    const query = parseQuery(scheduleQuery, req.query);
    sendJson(res, await deps.schedule(portalId, { viewerUserId: userId, userId: viewAsUserId, ...query, now: deps.now() }));
  });
  return router;
}
