import { Router } from 'express';
import { z } from 'zod';
import type { AppServices } from '../../services/app-services';
import { assertRecordScope } from '../../services/task-buckets';
import { identityOf } from '../identity';
import { sendJson } from '../metering';
import { parseQuery } from '../validate';

export const bucketsQuery = z.object({
  limit: z.coerce.number().int().min(0).max(50).default(5),
  objectType: z.string().max(100).optional(),
  objectId: z.string().max(64).optional(),
  // Counts-only callers (the Sales tab's bucket picker) can skip the associated records' labels.
  associations: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
});

export function tasksRoutes(deps: { taskBuckets: AppServices['taskBuckets']; now: () => number }): Router {
  const router = Router();
  router.get('/v1/tasks/buckets', async (req, res) => {
    const { portalId, viewAsUserId } = identityOf(res);
    const query = parseQuery(bucketsQuery, req.query);
    const record = assertRecordScope(query.objectType, query.objectId);
    sendJson(
      res,
      await deps.taskBuckets(portalId, {
        userId: viewAsUserId,
        limit: query.limit,
        now: deps.now(),
        record,
        withAssociations: query.associations,
      }),
    );
  });
  return router;
}
