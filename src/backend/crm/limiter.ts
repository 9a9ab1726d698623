import Bottleneck from 'bottleneck';
import type { Redis } from 'ioredis';

export type LimitKind = 'general' | 'search';
/**
 * Who waits for a call: a user (interactive), the copy applying HubSpot's change notifications
 * (changes: ahead of loads and polls, so a webhook's re-read never queues behind a poll's page of
 * re-reads), or the copy's loads, polls and other jobs (background).
 */
export type Priority = 'interactive' | 'changes' | 'background';

/**
 * Our own ceilings, below HubSpot's per-portal limits (hubspot-platform.md §4). General calls: a
 * token bucket of 7 refilled by one every 103 ms: 9.7 calls a second sustained, and any rolling
 * 10 s window holds at most burst + 10,000 / interval (+ 1 for a refill at the window's edge) =
 * 7 + 97 + 1 = 105 starts (HubSpot: 110; the rest is margin for calls that reach HubSpot later
 * than they started). Searches: at most 5 start in any 1,050 ms (HubSpot: 5 per second; 50 ms of
 * margin for latency jitter): 4.8 per second sustained, and 5 at once when the window is empty.
 * The refill is exact (a late tick adds every token it owes), so the sustained rate is the nominal
 * one; see `startRefill`.
 */
export const DEFAULT_LIMITS = {
  general: { burst: 7, refillEveryMs: 103 },
  search: { perWindow: 5, windowMs: 1_050 },
} as const;

export type LimiterOptions = {
  redis?: Redis;
  /** Prefix of the shared Redis keys; instances that share limits must use the same one. */
  namespace?: string;
  limits?: { general?: { burst: number; refillEveryMs: number }; search?: { perWindow: number; windowMs: number } };
};

const PRIORITY: Record<Priority, number> = { interactive: 2, changes: 5, background: 7 };

/** Per-portal rate limiting shared by every backend instance when Redis is configured (Bottleneck clustering). */
export class PortalLimiters {
  private readonly limiters = new Map<string, Bottleneck>();
  /** The refill timers of in-memory general buckets (see `startRefill`). */
  private readonly refills = new Map<string, NodeJS.Timeout>();
  private readonly lastUsed = new Map<string, number>();
  private readonly connection: Bottleneck.IORedisConnection | undefined;
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly opts: LimiterOptions = {}) {
    this.connection = opts.redis ? new Bottleneck.IORedisConnection({ client: opts.redis }) : undefined;
    // Each limiter has a heartbeat timer: drop the ones of portals idle for a minute (HubSpot's
    // 10 s window is long empty by then, so a fresh bucket is faithful).
    this.sweeper = setInterval(() => void this.sweep(60_000), 30_000);
    this.sweeper.unref();
  }

  schedule<T>(portalId: number, kind: LimitKind, priority: Priority, fn: () => Promise<T>): Promise<T> {
    const limiter = this.limiter(portalId, kind);
    const key = `${portalId}:${kind}`;
    this.lastUsed.set(key, Date.now());
    if (kind === 'general') return limiter.schedule({ priority: PRIORITY[priority] }, fn);
    // Searches: a sliding window made of Bottleneck's concurrency limit (shared through Redis like
    // the rest): each search holds one of `perWindow` slots until `windowMs` after it started,
    // while its caller gets the answer as soon as HubSpot gives it.
    const { windowMs } = this.opts.limits?.search ?? DEFAULT_LIMITS.search;
    return new Promise<T>((resolve, reject) => {
      limiter
        .schedule({ priority: PRIORITY[priority] }, async () => {
          const started = Date.now();
          await fn().then(resolve, reject);
          const hold = started + windowMs - Date.now();
          if (hold > 0) await new Promise((r) => setTimeout(r, hold));
        })
        .catch(reject);
    });
  }

  /**
   * How long a call of this priority would wait before it starts, judged from this instance's
   * queue (jobs of its priority and more urgent ones) and the limiter's spacing. Optimistic: other
   * instances' queues are not counted. Lets a caller refuse a call that cannot start in time
   * instead of queueing it (a queued call that outlives its request still takes a slot).
   */
  queueWaitMs(portalId: number, kind: LimitKind, priority: Priority): number {
    const limiter = this.limiters.get(`${portalId}:${kind}`);
    if (!limiter) return 0;
    // jobs just handed to Bottleneck (RECEIVED) have no queue position yet: count them as ahead
    const counts = limiter.counts();
    let ahead = counts.RECEIVED;
    for (const p of Object.values(PRIORITY)) if (p <= PRIORITY[priority]) ahead += limiter.queued(p);
    if (kind === 'search') {
      // free slots start at once; beyond them, each `perWindow` more jobs wait up to one window
      const { perWindow, windowMs } = this.opts.limits?.search ?? DEFAULT_LIMITS.search;
      const free = perWindow - counts.RUNNING - counts.EXECUTING;
      return ahead < free ? 0 : Math.ceil((ahead - free + 1) / perWindow) * windowMs;
    }
    const general = this.opts.limits?.general ?? DEFAULT_LIMITS.general;
    return Math.max(0, ahead - general.burst) * general.refillEveryMs;
  }

  /** Disconnects limiters unused for `idleMs` with nothing queued or running. */
  async sweep(idleMs: number): Promise<number> {
    const now = Date.now();
    let dropped = 0;
    for (const [key, limiter] of this.limiters) {
      const counts = limiter.counts();
      const busy = counts.RECEIVED + counts.QUEUED + counts.RUNNING + counts.EXECUTING > 0;
      if (busy || now - (this.lastUsed.get(key) ?? 0) < idleMs) continue;
      this.limiters.delete(key);
      this.lastUsed.delete(key);
      clearInterval(this.refills.get(key));
      this.refills.delete(key);
      await limiter.disconnect(false);
      dropped++;
    }
    return dropped;
  }

  get size(): number {
    return this.limiters.size;
  }

  /** After a 429 for this portal: stop starting calls of that kind for a while, on every instance. */
  async backOff(portalId: number, kind: LimitKind): Promise<void> {
    if (kind !== 'general') return;
    // Empty the bucket (updateSettings would stop Bottleneck's refill heartbeat: 2.19.5 bug).
    const limiter = this.limiter(portalId, kind);
    const left = (await limiter.currentReservoir()) ?? 0;
    if (left > 0) await limiter.incrementReservoir(-left);
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    for (const timer of this.refills.values()) clearInterval(timer);
    this.refills.clear();
    await Promise.all([...this.limiters.values()].map((l) => l.disconnect(false)));
    this.limiters.clear();
  }

  private limiter(portalId: number, kind: LimitKind): Bottleneck {
    const key = `${portalId}:${kind}`;
    let limiter = this.limiters.get(key);
    if (!limiter) {
      const general = this.opts.limits?.general ?? DEFAULT_LIMITS.general;
      const search = this.opts.limits?.search ?? DEFAULT_LIMITS.search;
      // In memory, `startRefill` refills the bucket (Bottleneck's own in-memory refill is lossy).
      // Through Redis, Bottleneck's refill (process_tick.lua) adds every interval elapsed and keeps
      // the remainder: exact. It refills (and wakes queued jobs) on its heartbeat, every 5 s with
      // Redis by default: beat as often as we refill.
      const redisRefill: Bottleneck.ConstructorOptions = {
        reservoirIncreaseAmount: 1,
        reservoirIncreaseInterval: general.refillEveryMs,
        reservoirIncreaseMaximum: general.burst,
        heartbeatInterval: general.refillEveryMs,
      };
      const settings: Bottleneck.ConstructorOptions =
        kind === 'general' ? { reservoir: general.burst, ...(this.connection ? redisRefill : {}) } : { maxConcurrent: search.perWindow };
      limiter = new Bottleneck({
        ...settings,
        ...(this.connection
          ? {
              id: `${this.opts.namespace ?? 'tiller'}:limit:${key}`,
              datastore: 'ioredis',
              connection: this.connection,
              clearDatastore: false,
              timeout: 60_000,
            }
          : {}),
      });
      limiter.on('error', () => {
        /* surfaced through the scheduled job's rejection */
      });
      this.limiters.set(key, limiter);
      if (kind === 'general' && !this.connection) this.refills.set(key, startRefill(limiter, general));
    }
    return limiter;
  }
}

/**
 * Refills an in-memory bucket with one token per `refillEveryMs`, exactly: each tick adds every
 * interval elapsed since the last token it counted (capped at the burst) and keeps the remainder.
 * Bottleneck's in-memory refill instead adds one token on a heartbeat that finds a whole interval
 * elapsed since the previous one, so a tick a millisecond early waits a whole interval more: the
 * bucket sustained about 8.2 calls a second for a nominal 9.1 on a busy machine. A token is never
 * added before it is due, so the bucket's rolling-window bound holds.
 */
function startRefill(limiter: Bottleneck, general: { burst: number; refillEveryMs: number }): NodeJS.Timeout {
  let counted = Date.now();
  // (ticks of at least 10 ms: a lifted limit refilling every millisecond gets 10 tokens a tick)
  const timer = setInterval(
    () => {
      const owed = Math.floor((Date.now() - counted) / general.refillEveryMs);
      if (owed <= 0) return;
      counted += owed * general.refillEveryMs;
      void limiter
        .currentReservoir()
        .then((left) => {
          const add = Math.min(owed, general.burst - (left ?? 0));
          return add > 0 ? limiter.incrementReservoir(add) : undefined;
        })
        .catch(() => undefined);
    },
    Math.max(10, general.refillEveryMs),
  );
  timer.unref();
  return timer;
}
