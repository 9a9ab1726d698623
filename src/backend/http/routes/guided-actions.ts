import { Router } from 'express';
import { z } from 'zod';
import { sendJson } from '../metering';
import { FEEDBACK_ANSWERS } from '../../services/app-services';
import { DEFAULT_LIMIT, MAX_LIMIT, RECORD_TYPES, type GuidedActionsService } from '../../services/guided-actions';
import { identityOf } from '../identity';
import { parseBody, parseQuery } from '../validate';

export const listQuery = z
  .object({
    category: z.enum(['all', 'deal', 'prospecting']).default('all'),
    limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT),
    objectType: z.enum(RECORD_TYPES).optional(),
    objectId: z
      .string()
      .regex(/^\d{1,20}$/, 'must be a record id (digits)')
      .optional(),
  })
  .strict()
  .refine((q) => (q.objectType === undefined) === (q.objectId === undefined), {
    message: 'objectType and objectId go together',
    path: ['objectId'],
  });

export const feedbackBody = z.object({ answer: z.enum(FEEDBACK_ANSWERS) }).strict();
export const actionIdParam = z.string().regex(/^ga_[0-9a-z]{1,16}$/, 'must be a guided action id');

export type GuidedActionsRouteDeps = {
  guidedActions: GuidedActionsService;
  exposeMetering?: boolean;
};

/** GET /v1/guided-actions and POST /v1/guided-actions/{id}/feedback (shared/spec/api.md). */
export function guidedActionsRoutes(deps: GuidedActionsRouteDeps): Router {
  const service = deps.guidedActions;
  const router = Router();

  router.get('/v1/guided-actions', async (req, res) => {
    const { portalId, viewAsUserId } = identityOf(res);
    const q = parseQuery(listQuery, req.query);
    const record = q.objectType && q.objectId ? { objectType: q.objectType, objectId: q.objectId } : undefined;
    const { meta, body, sent } = await service.listBody(portalId, viewAsUserId, { category: q.category, record, limit: q.limit });
    // The remembered state is saved once the answer has left or the client went away ('close' comes after 'finish').
    res.once('close', sent);
    if (deps.exposeMetering) {
      res.setHeader('X-Tiller-Cache', meta.cache);
      res.setHeader('X-Tiller-Engine-Cpu-Ms', meta.engineCpuMs.toFixed(2));
    }
    // Warm answers are the same bytes: sent as serialized once per filters.
    sendJson(res, body);
  });

  router.post('/v1/guided-actions/:id/feedback', async (req, res) => {
    const { portalId, viewAsUserId } = identityOf(res);
    const id = actionIdParam.safeParse(req.params.id);
    const { answer } = parseBody(feedbackBody, req.body ?? {});
    if (!id.success) {
      res.status(404).json({ error: { code: 'NOT_FOUND', message: 'This guided action does not exist for this user.' } });
      return;
    }
    await service.feedback(portalId, viewAsUserId, id.data, answer);
    res.status(204).end();
  });

  return router;
}
