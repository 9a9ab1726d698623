import http from 'node:http';
import https from 'node:https';
import { Client } from '@hubspot/api-client';
import { LRUCache } from 'lru-cache';
import { CrmError, toCrmError } from './errors';
import { PortalLimiters, type LimitKind } from './limiter';
import { currentCallContext } from './meter';
import type { CallKind } from './types';

/** Where the gateway gets a portal's access token (the installs store, or a static token). */
export interface TokenProvider {
  /** The portal's current access token, or null when the portal has not installed the app. */
  accessToken(portalId: number): Promise<string | null>;
  /** HubSpot answered 401 to this token: refresh it before the next call (the call is retried once). */
  rejected?(portalId: number, token: string): Promise<void>;
}

export type CallerOptions = {
  basePath: string;
  tokens: TokenProvider;
  limiters: PortalLimiters;
  callTimeoutMs?: number;
  maxTries?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  onCall?: (event: { portalId: number; kind: CallKind; ms: number; error?: CrmError; attempt: number }) => void;
};

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Runs SDK calls for one portal: one SDK client per (portal, token), rate limits, retries with
 * backoff, a per-call timeout inside the request deadline, and metering.
 */
export class CrmCaller {
  // One SDK client per (portal, token); the least recently used are dropped past 500 portals.
  private readonly clients = new LRUCache<string, Client>({ max: 500 });
  private readonly agent: http.Agent;

  constructor(private readonly opts: CallerOptions) {
    const isHttps = opts.basePath.startsWith('https:');
    this.agent = isHttps ? new https.Agent({ keepAlive: true, maxSockets: 64 }) : new http.Agent({ keepAlive: true, maxSockets: 64 });
  }

  /**
   * `retryUnsure: false` is for writes that are not idempotent (a create): after a 5xx, a timeout or
   * a dropped connection HubSpot may have done the work, so the call is not repeated (a second
   * record would be made); a 429 or a refused connection is still retried, since nothing was done.
   */
  async run<T>(portalId: number, kind: CallKind, fn: (client: Client) => Promise<T>, how: { retryUnsure?: boolean } = {}): Promise<T> {
    const now = this.opts.now ?? Date.now;
    const sleep = this.opts.sleep ?? defaultSleep;
    const random = this.opts.random ?? Math.random;
    const ctx = currentCallContext();
    const maxTries = this.opts.maxTries ?? 3;
    const limitKind: LimitKind = kind === 'search' ? 'search' : 'general';
    let { client, token } = await this.client(portalId);
    let failures = 0;
    let refreshedAfter401 = false;
    let rateLimited = 0;
    // Depth is measured from when our code asked for the call, so time spent queued behind our own
    // rate limiter does not make parallel calls look sequential.
    const requestedAt = performance.now();
    for (let attempt = 1; ; attempt++) {
      const remaining = ctx ? ctx.deadline - now() : Infinity;
      if (remaining <= 0) throw new CrmError('deadline', OUT_OF_TIME);
      const started = now();
      const priority = ctx?.priority ?? 'interactive';
      // A call that could not start before the deadline is refused now rather than queued.
      if (remaining <= this.opts.limiters.queueWaitMs(portalId, limitKind, priority)) throw new CrmError('deadline', OUT_OF_TIME);
      try {
        const job = this.opts.limiters.schedule(portalId, limitKind, priority, () => {
          const callStart = now();
          if (ctx && callStart >= ctx.deadline) return Promise.reject(new CrmError('deadline', OUT_OF_TIME));
          const timeout = Math.min(this.opts.callTimeoutMs ?? 8_000, ctx ? ctx.deadline - callStart : Infinity);
          return withTimeout(fn(client), timeout).finally(() => ctx?.meter.record(kind, requestedAt, performance.now()));
        });
        // Still queued at the deadline: the caller hears so then, not when the job's turn comes.
        const result = Number.isFinite(remaining) ? await withDeadline(job, remaining) : await job;
        this.opts.onCall?.({ portalId, kind, ms: now() - started, attempt });
        return result;
      } catch (raw) {
        const error = toCrmError(raw);
        this.opts.onCall?.({ portalId, kind, ms: now() - started, error, attempt });
        if (error.kind === 'rate-limited') {
          rateLimited++;
          if (rateLimited > 4) throw error;
          const search = error.policyName !== 'TEN_SECONDLY_ROLLING';
          if (!search) await this.opts.limiters.backOff(portalId, 'general');
          // TEN_SECONDLY_ROLLING: wait out (part of) the window; search's secondly limit: about a second.
          const wait = search ? 1_000 + random() * 250 : 2_000 * rateLimited + random() * 1_000;
          await sleep(Math.min(wait, Math.max(0, (ctx?.deadline ?? Infinity) - now())));
          continue;
        }
        // Tokens are refreshed on expires_in (§3.2); a 401 despite that (expired early, revoked
        // access token) gets one refresh and one more try, never a loop.
        if (error.kind === 'unauthorized' && !refreshedAfter401 && this.opts.tokens.rejected) {
          refreshedAfter401 = true;
          await this.opts.tokens.rejected(portalId, token);
          ({ client, token } = await this.client(portalId));
          continue;
        }
        if (error.kind === 'server' || error.kind === 'timeout' || error.kind === 'network') {
          if (how.retryUnsure === false && !notSent(raw)) {
            throw new CrmError(error.kind, `${error.message} (HubSpot may have applied it, so it was not repeated)`, error.status);
          }
          failures++;
          if (failures >= maxTries) throw error;
          await sleep(Math.min(200 * 2 ** (failures - 1) + random() * 100, Math.max(0, (ctx?.deadline ?? Infinity) - now())));
          continue;
        }
        throw error;
      }
    }
  }

  /** Forget a portal's client (e.g. after its token changed). */
  forget(portalId: number): void {
    for (const key of [...this.clients.keys()]) if (key.startsWith(`${portalId}:`)) this.clients.delete(key);
  }

  private async client(portalId: number): Promise<{ client: Client; token: string }> {
    const token = await this.opts.tokens.accessToken(portalId);
    if (!token) throw new CrmError('unauthorized', `Portal ${portalId} has not installed Tiller.`);
    const key = `${portalId}:${token}`;
    let client = this.clients.get(key);
    if (!client) {
      this.forget(portalId);
      client = new Client({ accessToken: token, basePath: this.opts.basePath, numberOfApiCallRetries: 0, httpAgent: this.agent });
      this.clients.set(key, client);
    }
    return { client, token };
  }
}

const OUT_OF_TIME = 'The request ran out of time waiting for HubSpot.';

/** A connection HubSpot refused never reached it: safe to repeat whatever it carried. */
function notSent(err: unknown): boolean {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | null;
  return e?.code === 'ECONNREFUSED' || e?.cause?.code === 'ECONNREFUSED';
}

function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CrmError('deadline', OUT_OF_TIME)), Math.max(1, ms));
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  if (!Number.isFinite(ms)) return promise;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CrmError('timeout', `HubSpot did not answer within ${Math.round(ms)} ms`)), Math.max(1, ms));
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
