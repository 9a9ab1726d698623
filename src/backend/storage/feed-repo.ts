import type { Queryable } from './database';

// The Feed's dismissals (migration 016). portal_id leads every key.

export interface FeedRepo {
  dismissed(portalId: number, userId: number): Promise<Set<string>>;
  dismiss(portalId: number, userId: number, itemId: string, at: Date): Promise<void>;
  /** Whether a dismissal was there to undo. */
  restore(portalId: number, userId: number, itemId: string): Promise<boolean>;
}

export function createFeedRepo(db: Queryable): FeedRepo {
  return {
    async dismissed(portalId, userId) {
      const rows = await db.query<{ item_id: string }>('select item_id from feed_dismissals where portal_id = $1 and user_id = $2', [
        portalId,
        userId,
      ]);
      return new Set(rows.map((r) => r.item_id));
    },

    async dismiss(portalId, userId, itemId, at) {
      await db.query(
        `insert into feed_dismissals (portal_id, user_id, item_id, dismissed_at) values ($1, $2, $3, $4)
         on conflict (portal_id, user_id, item_id) do nothing`,
        [portalId, userId, itemId, at.toISOString()],
      );
    },

    async restore(portalId, userId, itemId) {
      const rows = await db.query<{ item_id: string }>(
        'delete from feed_dismissals where portal_id = $1 and user_id = $2 and item_id = $3 returning item_id',
        [portalId, userId, itemId],
      );
      return rows.length > 0;
    },
  };
}
