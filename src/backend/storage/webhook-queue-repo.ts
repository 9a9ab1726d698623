import type { Database, Queryable } from './database';

// The durable webhook queue, in our own database (PGlite or PostgreSQL alike). Not pg-boss: it does
// start, send and fetch on PGlite through a `db.executeSql` adapter (checked with pg-boss 10.4), but
// its job completion cannot share a transaction with ours, and here a delivery's removal and the
// record of the notifications it applied commit together — that is what makes replays harmless.

export type QueuedDelivery = { portalId: number; id: number; events: unknown[]; attempts: number; receivedAt: Date };

export interface WebhookQueueRepo {
  /** Stores deliveries (one per portal) in one statement. */
  enqueue(items: { portalId: number; events: unknown[] }[], now: Date): Promise<void>;
  /** Takes up to `limit` available deliveries, oldest first, locked for `lockMs` (skipping ones another worker holds). */
  claim(limit: number, now: Date, lockMs: number): Promise<QueuedDelivery[]>;
  /** Records the applied notifications and removes the delivery, together. */
  complete(delivery: Pick<QueuedDelivery, 'portalId' | 'id'>, appliedKeys: string[], now: Date): Promise<void>;
  /** Gives a delivery back, to be tried again at `availableAt`. */
  release(delivery: Pick<QueuedDelivery, 'portalId' | 'id'>, availableAt: Date, error: string): Promise<void>;
  /** Which of `keys` were already applied for the portal. */
  processed(portalId: number, keys: string[]): Promise<Set<string>>;
  /** Forgets applied notifications older than `before`; returns how many. */
  purgeProcessed(before: Date): Promise<number>;
  /** Deliveries waiting (claimed or not). */
  depth(): Promise<number>;
}

type Row = { portal_id: number; id: number; events: unknown[]; attempts: number; received_at: Date };

export function createWebhookQueueRepo(db: Database): WebhookQueueRepo {
  return {
    async enqueue(items, now) {
      if (!items.length) return;
      await db.query(
        `insert into webhook_queue (portal_id, events, received_at, available_at)
         select p, e::jsonb, $3, $3 from unnest($1::bigint[], $2::text[]) as t(p, e)`,
        [items.map((i) => i.portalId), items.map((i) => JSON.stringify(i.events)), now],
      );
    },
    async claim(limit, now, lockMs) {
      const rows = await db.query<Row>(
        `update webhook_queue q set locked_until = $2, attempts = q.attempts + 1
          where (q.portal_id, q.id) in (
            select portal_id, id from webhook_queue
             where available_at <= $1 and (locked_until is null or locked_until <= $1)
             order by id limit $3 for update skip locked)
          returning q.portal_id, q.id, q.events, q.attempts, q.received_at`,
        [now, new Date(now.getTime() + lockMs), limit],
      );
      return rows
        .sort((a, b) => a.id - b.id)
        .map((r) => ({
          portalId: Number(r.portal_id),
          id: Number(r.id),
          events: r.events,
          attempts: r.attempts,
          receivedAt: r.received_at,
        }));
    },
    async complete(d, keys, now) {
      await db.transaction(async (tx: Queryable) => {
        if (keys.length) {
          await tx.query(
            `insert into webhook_processed (portal_id, event_key, processed_at)
             select $1, k, $3 from unnest($2::text[]) as k on conflict do nothing`,
            [d.portalId, keys, now],
          );
        }
        await tx.query('delete from webhook_queue where portal_id = $1 and id = $2', [d.portalId, d.id]);
      });
    },
    async release(d, availableAt, error) {
      await db.query('update webhook_queue set locked_until = null, available_at = $3, last_error = $4 where portal_id = $1 and id = $2', [
        d.portalId,
        d.id,
        availableAt,
        error.slice(0, 2000),
      ]);
    },
    async processed(portalId, keys) {
      if (!keys.length) return new Set();
      const rows = await db.query<{ event_key: string }>(
        'select event_key from webhook_processed where portal_id = $1 and event_key = any($2::text[])',
        [portalId, keys],
      );
      return new Set(rows.map((r) => r.event_key));
    },
    async purgeProcessed(before) {
      const rows = await db.query<{ n: number }>(
        'with gone as (delete from webhook_processed where processed_at < $1 returning 1) select count(*)::int as n from gone',
        [before],
      );
      return rows[0]?.n ?? 0;
    },
    async depth() {
      const r = await db.one<{ n: number }>('select count(*)::int as n from webhook_queue');
      return r.n;
    },
  };
}
