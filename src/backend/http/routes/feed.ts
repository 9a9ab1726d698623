import { Router } from 'express';
import { z } from 'zod';
import { AppError } from '../../app-error';
import { FEED_TYPES } from '../../contract/feed';
import type { AppServices } from '../../services/app-services';
import { FEED_ITEM_ID } from '../../services/feed';
import { identityOf } from '../identity';
import { sendJson } from '../metering';
import { parseBody, parseQuery } from '../validate';

export const feedQuery = z.object({
  types: z
    .string()
    .max(200)
    .transform((v) => v.split(',').filter(Boolean))
    .pipe(z.array(z.enum(FEED_TYPES, { message: `each one of ${FEED_TYPES.join(', ')}` })))
    .optional(),
  sequence: z.enum(['enrolled', 'not-enrolled', 'any']).optional(),
  q: z.string().trim().max(200).optional(),
  after: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});

export const itemId = z.string().max(100).regex(FEED_ITEM_ID, 'a feed item id');
export const dismissBody = z.object({ itemId }).strict();

export type FeedRouteDeps = { feed: AppServices['feed']; now: () => number };

/** The Feed tab (CS-FEED-1..3): the feed, and dismissing an item for the user. */
export function feedRoutes(deps: FeedRouteDeps): Router {
  const router = Router();
  router.get('/v1/feed', async (req, res) => {
    const { portalId, viewAsUserId } = identityOf(res);
    const { sequence, ...query } = parseQuery(feedQuery, req.query);
    sendJson(
      res,
      await deps.feed.list(portalId, {
        userId: viewAsUserId,
        query: { ...query, sequence: sequence === 'any' ? undefined : sequence },
        now: deps.now(),
      }),
    );
  });

  // Dismissals belong to the user who made them: a manager viewing as someone else cannot change theirs.
  const ownFeed = (identity: ReturnType<typeof identityOf>) => {
    if (identity.viewAsUserId !== identity.userId)
      throw new AppError('FORBIDDEN', "You can dismiss items only in your own feed, not in another user's.");
    return identity;
  };

  router.post('/v1/feed/dismissals', async (req, res) => {
    const { portalId, userId } = ownFeed(identityOf(res));
    const body = parseBody(dismissBody, req.body);
    await deps.feed.dismiss(portalId, userId, body.itemId, deps.now());
    res.status(204).end();
  });

  router.delete('/v1/feed/dismissals/:itemId', async (req, res) => {
    const { portalId, userId } = ownFeed(identityOf(res));
    const parsed = itemId.safeParse(req.params.itemId);
    if (!parsed.success) throw new AppError('BAD_REQUEST', 'This is not a feed item id.', [{ field: 'itemId', issue: 'a feed item id' }]);
    await deps.feed.restore(portalId, userId, parsed.data);
    res.status(204).end();
  });
  return router;
}
