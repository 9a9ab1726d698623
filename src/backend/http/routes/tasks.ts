import { Router } from 'express';
import { z } from 'zod';
import type { Database } from '../../storage';
import { assertRecordScope, getTaskBuckets } from '../../services/task-buckets';
import { identityOf } from '../identity';
import { sendJson } from '../metering';
import { parseQuery } from '../validate';

const bucketsQuery = z.object({
  limit: z.coerce.number().int().min(0).max(50).default(5),
  objectType: z.string().optional(),
  objectId: z.string().optional(),
  // Counts-only callers (the Sales tab's bucket picker) can skip the associated records' labels.
  associations: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
});

export function tasksRoutes(deps: { db: Database; now: () => number }): Router {
  const router = Router();
  router.get('/v1/tasks/buckets', async (req, res) => {
    const { portalId, viewAsUserId } = identityOf(res);
    const query = parseQuery(bucketsQuery, req.query);
    const record = assertRecordScope(query.objectType, query.objectId);
    sendJson(res, await getTaskBuckets(deps.db, portalId, { userId: viewAsUserId, limit: query.limit, now: deps.now(), record, withAssociations: query.associations }));
  });
  return router;
}
