import type { Database, StorageLogger } from '../storage';
import { createWebhookQueueRepo, type QueuedDelivery } from '../storage/webhook-queue-repo';
import {
  inOccurrenceOrder,
  notificationKey,
  parseNotification,
  readNotification,
  type CopyChange,
  type Notification,
} from '../sync/webhook-events';

// HubSpot's webhook deliveries, from the durable queue to the copy. Each claimed delivery (one
// portal) is read once: malformed notifications are logged and counted, a portal that is not
// installed is dropped and counted, an uninstall goes to its handler, notifications already
// applied are skipped; the rest become CopyChanges in occurredAt order, handed to `apply`. The
// delivery and the applied notifications' identities are committed together after `apply`
// resolves; if it throws, the delivery comes back later (nothing is lost, nothing applied twice
// once committed — `apply` itself must tolerate a replay after a crash in between).

export type WebhookWorkerDeps = {
  db: Database;
  /** Applies changes to the portal copy (sync/changes.ts applyChanges). */
  apply: (portalId: number, changes: CopyChange[]) => Promise<void>;
  isInstalled: (portalId: number) => Promise<boolean>;
  /** The app was uninstalled from the portal (install lifecycle). */
  onUninstalled: (portalId: number) => Promise<void>;
  logger: StorageLogger;
  now?: () => number;
  /** How often the queue is read when nothing nudges the worker (default 500 ms). */
  pollMs?: number;
  /** Deliveries per claim (default 20). */
  batch?: number;
  /** How long applied notifications are remembered (default 3 days; HubSpot retries for 24 h). */
  retentionMs?: number;
};

export type WebhookCounters = {
  /** Notifications read from the queue. */
  notifications: number;
  applied: number;
  malformed: number;
  notInstalled: number;
  duplicates: number;
  uninstalls: number;
  ignored: number;
  /** Deliveries whose apply failed and were put back. */
  failures: number;
};

export interface WebhookWorker {
  start(): void;
  stop(): Promise<void>;
  /** Stores deliveries (the receiver's intake) and wakes the worker. */
  enqueue(items: { portalId: number; events: unknown[] }[]): Promise<void>;
  /** Counts and logs what the receiver could not queue (acknowledged all the same). */
  malformed(count: number, detail: string): void;
  /** Processes what is available now, until the queue has nothing claimable; returns deliveries done. */
  drain(): Promise<number>;
  counters(): WebhookCounters;
}

const LOCK_MS = 60_000;
const PURGE_EVERY_MS = 3_600_000;

/** Back-off for a delivery whose apply failed: 1 s doubling, at most 5 minutes. */
export const retryAfterMs = (attempts: number) => Math.min(300_000, 1000 * 2 ** Math.max(0, attempts - 1));

export function createWebhookWorker(deps: WebhookWorkerDeps): WebhookWorker {
  const repo = createWebhookQueueRepo(deps.db);
  const now = deps.now ?? Date.now;
  const c: WebhookCounters = {
    notifications: 0,
    applied: 0,
    malformed: 0,
    notInstalled: 0,
    duplicates: 0,
    uninstalls: 0,
    ignored: 0,
    failures: 0,
  };
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let again = false;
  let stopped = true;
  let lastPurge = 0;

  async function processOne(d: QueuedDelivery): Promise<void> {
    const events = Array.isArray(d.events) ? d.events : [];
    const keys: string[] = [];
    const changes: CopyChange[] = [];
    let uninstall = false;
    const fresh: { key: string; raw: Record<string, unknown>; n: Notification }[] = [];
    const seenHere = new Set<string>();
    for (const raw of events) {
      c.notifications++;
      const parsed = parseNotification(raw);
      if (!parsed.ok || parsed.value.portalId !== d.portalId) {
        c.malformed++;
        deps.logger.warn(
          { portalId: d.portalId, why: parsed.ok ? 'portalId differs from its delivery' : parsed.why, event: truncate(raw) },
          'webhook: malformed notification acknowledged',
        );
        continue;
      }
      const key = notificationKey(raw as Record<string, unknown>);
      if (seenHere.has(key)) {
        c.duplicates++;
        continue;
      }
      seenHere.add(key);
      fresh.push({ key, raw: raw as Record<string, unknown>, n: parsed.value });
    }
    const done = await repo.processed(
      d.portalId,
      fresh.map((f) => f.key),
    );
    const installed = await deps.isInstalled(d.portalId);
    for (const f of fresh) {
      if (done.has(f.key)) {
        c.duplicates++;
        continue;
      }
      const read = readNotification(f.n);
      if (read.kind === 'uninstall') {
        uninstall = true;
        keys.push(f.key);
        continue;
      }
      if (read.kind === 'malformed') {
        c.malformed++;
        deps.logger.warn({ portalId: d.portalId, why: read.why, event: truncate(f.raw) }, 'webhook: malformed notification acknowledged');
        continue;
      }
      if (read.kind === 'ignored') {
        c.ignored++;
        keys.push(f.key);
        continue;
      }
      if (!installed) {
        c.notInstalled++;
        continue;
      }
      keys.push(f.key);
      changes.push(...read.changes);
    }
    if (uninstall) {
      c.uninstalls++;
      await deps.onUninstalled(d.portalId);
    }
    if (changes.length) {
      await deps.apply(d.portalId, inOccurrenceOrder(changes));
      c.applied += changes.length;
    }
    await repo.complete(d, keys, new Date(now()));
  }

  async function drainOnce(): Promise<number> {
    let total = 0;
    for (;;) {
      const claimed = await repo.claim(deps.batch ?? 20, new Date(now()), LOCK_MS);
      if (!claimed.length) break;
      for (const d of claimed) {
        try {
          await processOne(d);
          total++;
        } catch (err) {
          c.failures++;
          const wait = retryAfterMs(d.attempts);
          deps.logger.error(
            { err, portalId: d.portalId, delivery: d.id, attempts: d.attempts, retryInMs: wait },
            'webhook: applying a delivery failed; it is kept and retried',
          );
          await repo.release(d, new Date(now() + wait), err instanceof Error ? err.message : String(err)).catch(() => {});
        }
      }
    }
    if (now() - lastPurge > PURGE_EVERY_MS) {
      lastPurge = now();
      const n = await repo.purgeProcessed(new Date(now() - (deps.retentionMs ?? 3 * 86_400_000)));
      if (n) deps.logger.info({ forgotten: n }, 'webhook: applied notifications past retention forgotten');
    }
    return total;
  }

  function drain(): Promise<number> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let n = 0;
      do {
        again = false;
        n += await drainOnce();
      } while (again);
      return n;
    })().finally(() => {
      running = undefined;
    });
    return running;
  }

  function tick() {
    if (stopped) return;
    drain()
      .catch((err: unknown) => deps.logger.error({ err }, 'webhook: queue read failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, deps.pollMs ?? 500);
      });
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      tick();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => {});
    },
    async enqueue(items) {
      await repo.enqueue(items, new Date(now()));
      if (!stopped) void drain().catch((err: unknown) => deps.logger.error({ err }, 'webhook: queue read failed'));
    },
    malformed(count, detail) {
      c.malformed += count;
      c.notifications += count;
      deps.logger.warn({ count, why: detail }, 'webhook: malformed delivery acknowledged');
    },
    drain,
    counters: () => ({ ...c }),
  };
}

function truncate(raw: unknown): string {
  const s = JSON.stringify(raw) ?? String(raw);
  return s.length > 500 ? `${s.slice(0, 500)}…` : s;
}
