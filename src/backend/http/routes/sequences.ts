import { Router } from 'express';
import { z } from 'zod';
import type { AppServices } from '../../services/app-services';
import { identityOf } from '../identity';
import { sendJson } from '../metering';
import { parseQuery } from '../validate';

export const sequencesQuery = z.object({
  /** 0-based page of cards. */
  page: z.coerce.number().int().min(0).max(10_000).default(0),
  limit: z.coerce.number().int().min(1).max(20).default(3),
  /** "All tasks in sequence": only this card (a sequence id, or "loading" / "unknown"), with up to 200 tasks. */
  sequence: z
    .string()
    .regex(/^(\d{1,18}|loading|unknown)$/, 'a sequence id, "loading" or "unknown"')
    .optional(),
});

export type SequencesRouteDeps = { sequences: AppServices['sequences']; now: () => number };

/** SW-2: the Sales tab's sequence cards (view-as: the viewed user's tasks). */
export function sequencesRoutes(deps: SequencesRouteDeps): Router {
  const router = Router();
  router.get('/v1/sales/sequences', async (req, res) => {
    const { portalId, viewAsUserId } = identityOf(res);
    const q = parseQuery(sequencesQuery, req.query);
    sendJson(res, await deps.sequences(portalId, { userId: viewAsUserId, ...q, now: deps.now() }));
  });
  return router;
}
