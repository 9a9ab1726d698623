// Invalidations of in-process caches between instances. A write calls `invalidate(portalId,
// scope, key)`: this instance's caches of that scope drop what the write changed at once, and
// with Redis the same message goes out on one pub/sub channel so every other instance drops it
// too. Without Redis there are no other instances to tell: the bus is local only (the caches
// behave as they did before the bus existed).
//
// Ordering: `invalidate` resolves after Redis accepted the PUBLISH, which Redis answers after
// writing the message to every subscriber's connection; the write's HTTP answer goes out after
// that, so a client's next request, wherever it lands, finds the message ahead of it on the other
// instance's subscriber connection. Handlers are synchronous for that reason: whatever they must
// do asynchronously (a reload), they start at once and make the cache's next read wait for it.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { z } from 'zod';

/** What a write can make stale, one scope per cache. */
export const CACHE_SCOPES = [
  /** The gateway's cached HubSpot reads (key: the object type written; none = everything of the portal). */
  'crm',
  /**
   * Guided-action evaluations (key: the rep's user id; none = every rep of the portal): for a
   * write that changes what a rep's evaluation would say (no endpoint writes the rules' settings yet).
   */
  'guided-actions',
  /** Guided-action answers (dismiss / snooze / done) of one rep (key: the user id): reloaded, not re-evaluated. */
  'guided-actions-feedback',
  /** The portal's install: its token as last read (install, uninstall, purge). */
  'install',
  /**
   * What the portal copy reads (a property or an object named in settings, a property a health
   * profile reads): every instance runs the portal's sync job now, or again once the one it is
   * running ends; the instance holding the portal's lock does the work (a reload of the type).
   */
  'copy-settings',
] as const;
export type CacheScope = (typeof CACHE_SCOPES)[number];

export type CacheDrop = (portalId: number, key: string | undefined) => void;

export interface CacheBus {
  /**
   * Drops what a write changed in every instance's caches of `scope` for this portal: here at
   * once, elsewhere through Redis. Never rejects (a failed publish is logged; the caches' own
   * expiry still bounds how stale the others are).
   */
  invalidate(portalId: number, scope: CacheScope, key?: string): Promise<void>;
  /** Registers this instance's cache of `scope`; returns the unregistration. */
  on(scope: CacheScope, drop: CacheDrop): () => void;
  /** Messages this instance received from others, by scope (tests, metrics). */
  received(): Record<CacheScope, number>;
  close(): Promise<void>;
}

const messageSchema = z.object({
  from: z.string(),
  portalId: z.number().int().positive(),
  scope: z.enum(CACHE_SCOPES),
  key: z.string().optional(),
});
type Message = z.infer<typeof messageSchema>;

export type CacheBusOptions = {
  /** The instance's Redis client; the bus subscribes on a duplicate of it. Without it, local only. */
  redis?: Redis;
  /** REDIS_PREFIX: instances share invalidations only within one namespace. */
  namespace?: string;
  logger?: Pick<Logger, 'warn'>;
  /** Counts (metrics): a message heard from another instance, or one that could not be published. */
  onMessage?: (scope: CacheScope, outcome: 'received' | 'unpublished') => void;
};

/** The channel every instance of one namespace publishes on and listens to. */
export function cacheBusChannel(namespace = 'tiller'): string {
  return `${namespace}:cache-invalidate`;
}

/** A bus for this process's caches only (tests, a single instance without Redis). */
export function localCacheBus(): CacheBus {
  return createLocalBus().bus;
}

function createLocalBus() {
  const handlers = new Map<CacheScope, Set<CacheDrop>>();
  const counts = Object.fromEntries(CACHE_SCOPES.map((s) => [s, 0])) as Record<CacheScope, number>;
  const run = (portalId: number, scope: CacheScope, key: string | undefined) => {
    for (const drop of handlers.get(scope) ?? []) drop(portalId, key);
  };
  const bus: CacheBus = {
    invalidate(portalId, scope, key) {
      run(portalId, scope, key);
      return Promise.resolve();
    },
    on(scope, drop) {
      let set = handlers.get(scope);
      if (!set) handlers.set(scope, (set = new Set()));
      set.add(drop);
      return () => void set.delete(drop);
    },
    received: () => ({ ...counts }),
    close: () => Promise.resolve(),
  };
  return { bus, run, counts };
}

/** The bus of a server: local, plus Redis pub/sub when a client is given. */
export async function createCacheBus(opts: CacheBusOptions): Promise<CacheBus> {
  const local = createLocalBus();
  if (!opts.redis) return local.bus;
  const channel = cacheBusChannel(opts.namespace);
  const from = randomUUID();
  const publisher = opts.redis;
  // A connection in subscriber mode takes no other command: its own.
  const subscriber = publisher.duplicate();
  subscriber.on('error', (err) => opts.logger?.warn({ err }, 'cache bus subscriber error (ioredis reconnects)'));
  subscriber.on('message', (ch: string, raw: string) => {
    if (ch !== channel) return;
    let msg: Message;
    try {
      msg = messageSchema.parse(JSON.parse(raw));
    } catch (err) {
      opts.logger?.warn({ err }, 'cache bus: a message that is not an invalidation was ignored');
      return;
    }
    if (msg.from === from) return; // ran here already
    local.counts[msg.scope]++;
    opts.onMessage?.(msg.scope, 'received');
    local.run(msg.portalId, msg.scope, msg.key);
  });
  await subscriber.subscribe(channel);
  return {
    async invalidate(portalId, scope, key) {
      local.run(portalId, scope, key);
      const msg: Message = { from, portalId, scope, ...(key !== undefined ? { key } : {}) };
      try {
        await publisher.publish(channel, JSON.stringify(msg));
      } catch (err) {
        opts.onMessage?.(scope, 'unpublished');
        opts.logger?.warn(
          { err, portalId, scope },
          'cache bus: invalidation not published; other instances catch up when their caches expire',
        );
      }
    },
    on: local.bus.on,
    received: local.bus.received,
    close() {
      subscriber.disconnect();
      return Promise.resolve();
    },
  };
}
