// The sandbox sends webhooks like HubSpot (reference hubspot-sync.md §2): every change to a portal
// becomes the notifications its subscriptions ask for, POSTed as a JSON array of at most 100 to the
// target URL, signed (v3 and v1), retried on failure up to 10 times over about 24 hours. Knobs drop,
// duplicate, delay and reorder deliveries, as HubSpot may ("does not guarantee … order", "may send
// you the same notification multiple times").
import { createHash, createHmac } from 'node:crypto';
import {
  activeSubscriptions,
  eventsFor,
  loadWebhooksComponent,
  type ActiveSubscription,
  type WebhookEvent,
  type WebhookSubscriptions,
} from './webhooks-events';
import type { StoreChange } from './store';

export type WebhooksOptions = {
  /** Where HubSpot POSTs (the component's settings.targetUrl); nothing is sent until it is set. */
  targetUrl?: string;
  /** The app's client secret, for the signatures. */
  clientSecret?: string;
  appId?: number;
  /** The subscriptions: an app's `webhooks` component file, or its `subscriptions` object. */
  componentPath?: string;
  subscriptions?: WebhookSubscriptions;
  /** In-flight requests per portal (HubSpot's default 10, reference §1.1). */
  maxConcurrentRequests?: number;
  /** How long notifications gather before a request (default 50 ms); a full batch of 100 goes at once. */
  batchWindowMs?: number;
  /** Multiplies the retry delays (1 = HubSpot's ~24 h; 0.0001 ≈ 9 s for the ten retries). */
  timeScale?: number;
  /** A request not answered within this is a failure (HubSpot: 5 s, reference §2). */
  timeoutMs?: number;
  /** Share of notifications never delivered (lost). */
  dropRate?: number;
  /** Share of notifications delivered twice (the copy in a later request). */
  duplicateRate?: number;
  /** Share of notifications held back by up to `reorderWindowMs`, so later ones overtake them. */
  reorderRate?: number;
  reorderWindowMs?: number;
  /** Added to every notification before it is sent: fixed + uniform random jitter. */
  delayMs?: number;
  delayJitterMs?: number;
  /** Random source (tests seed it). */
  random?: () => number;
  /** The clock for signature timestamps (default the wall clock, which the receiver checks against). */
  now?: () => number;
};

export type WebhookStats = {
  /** Notifications the changes produced. */
  events: number;
  /** Notifications acknowledged with 2xx (a duplicate counts again). */
  delivered: number;
  dropped: number;
  duplicated: number;
  reordered: number;
  /** POSTs made, first attempts and retries. */
  requests: number;
  /** POSTs that were retries (attemptNumber > 0). */
  retried: number;
  /** POSTs that failed (connection, timeout, 4xx, 5xx). */
  failedRequests: number;
  /** Notifications given up on after the last retry. */
  lost: number;
  /** Notifications not yet acknowledged or given up on. */
  pending: number;
  largestBatch: number;
};

/** HubSpot's retries: "up to 10", "spread out over the next 24 hours, with varying delays" (reference §2). */
export const MAX_RETRIES = 10;
// Our reading: doubling from 84 s, so the tenth retry comes ~24 h after the first try; ±20 % jitter.
const FIRST_RETRY_MS = 84_000;
/** The delay before retry `n` (1…10), before jitter and time scale. */
export const retryDelayMs = (n: number) => FIRST_RETRY_MS * 2 ** (n - 1);

export const USER_AGENT = 'HubSpot Connect 2.0 (http://dev.hubspot.com/) - WebhooksExecutorDaemon';

/** HubSpot's v3 signature: Base64 HMAC-SHA256 of method + URI + body + timestamp (hubspot-platform.md §2.3). */
export function signatureV3(clientSecret: string, method: string, uri: string, body: string, timestamp: string): string {
  return createHmac('sha256', clientSecret)
    .update(method + uri + body + timestamp, 'utf8')
    .digest('base64');
}
/** The legacy v1 signature HubSpot also sends: hex SHA-256 of secret + body. */
export function signatureV1(clientSecret: string, body: string): string {
  return createHash('sha256')
    .update(clientSecret + body, 'utf8')
    .digest('hex');
}

type Outgoing = { due: number; ev: WebhookEvent };

export class WebhookEmitter {
  private opts: Required<Omit<WebhooksOptions, 'targetUrl' | 'clientSecret' | 'componentPath' | 'subscriptions'>> &
    Pick<WebhooksOptions, 'targetUrl' | 'clientSecret'>;
  private subs: ActiveSubscription[] = [];
  private outbox = new Map<number, Outgoing[]>(); // per portal, not yet sent
  private inFlight = new Map<number, number>();
  private waiting = new Map<number, { batch: WebhookEvent[]; attempt: number }[]>(); // batches waiting for a free request slot
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private retryTimers = new Set<NodeJS.Timeout>();
  private nextEventId: number;
  private lastCreation: { key: string; eventId: number } | undefined;
  private idleWaiters: (() => void)[] = [];
  private closed = false;
  private st: WebhookStats = WebhookEmitter.zero();

  constructor(options: WebhooksOptions = {}) {
    this.opts = {
      appId: 1,
      maxConcurrentRequests: 10,
      batchWindowMs: 50,
      timeScale: 1,
      timeoutMs: 5000,
      dropRate: 0,
      duplicateRate: 0,
      reorderRate: 0,
      reorderWindowMs: 500,
      delayMs: 0,
      delayJitterMs: 0,
      random: Math.random,
      now: Date.now,
      targetUrl: undefined,
      clientSecret: undefined,
    };
    this.nextEventId = 100_000 + Math.floor(Math.random() * 1_000_000);
    this.configure(options);
  }

  private static zero(): WebhookStats {
    return {
      events: 0,
      delivered: 0,
      dropped: 0,
      duplicated: 0,
      reordered: 0,
      requests: 0,
      retried: 0,
      failedRequests: 0,
      lost: 0,
      pending: 0,
      largestBatch: 0,
    };
  }

  /** Changes settings, knobs or subscriptions; what is already queued keeps going. */
  configure(o: WebhooksOptions): void {
    for (const rate of ['dropRate', 'duplicateRate', 'reorderRate'] as const) {
      const v = o[rate];
      if (v !== undefined && !(typeof v === 'number' && v >= 0 && v <= 1))
        throw new Error(`webhooks.${rate} must be between 0 and 1 (got ${String(v)})`);
    }
    for (const k of [
      'maxConcurrentRequests',
      'batchWindowMs',
      'timeScale',
      'timeoutMs',
      'reorderWindowMs',
      'delayMs',
      'delayJitterMs',
      'appId',
    ] as const) {
      const v = o[k];
      if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v >= 0))
        throw new Error(`webhooks.${k} must be a number ≥ 0 (got ${String(v)})`);
    }
    for (const k of ['targetUrl', 'clientSecret', 'componentPath'] as const) {
      const v = o[k];
      if (v !== undefined && typeof v !== 'string') throw new Error(`webhooks.${k} must be a string`);
    }
    if (o.componentPath) {
      const c = loadWebhooksComponent(o.componentPath);
      this.subs = activeSubscriptions(c.subscriptions);
      if (c.maxConcurrentRequests && o.maxConcurrentRequests === undefined) this.opts.maxConcurrentRequests = c.maxConcurrentRequests;
    }
    if (o.subscriptions) this.subs = activeSubscriptions(o.subscriptions);
    const { componentPath: _c, subscriptions: _s, ...rest } = o;
    for (const [k, v] of Object.entries(rest)) if (v !== undefined) (this.opts as Record<string, unknown>)[k] = v;
  }

  settings() {
    const { random: _r, now: _n, clientSecret, ...rest } = this.opts;
    return {
      ...rest,
      clientSecretSet: !!clientSecret,
      subscriptions: this.subs.map((s) => ({ id: s.id, subscriptionType: s.subscriptionType, type: s.type, propertyName: s.propertyName })),
    };
  }

  stats(): WebhookStats {
    return { ...this.st, pending: this.pendingCount() };
  }
  resetStats(): void {
    this.st = WebhookEmitter.zero();
  }

  /** Resolves when every notification has been acknowledged or given up on. */
  idle(): Promise<void> {
    if (this.pendingCount() === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** A change in `portalId`: queues the notifications its subscriptions ask for. */
  record(portalId: number, change: StoreChange): void {
    if (this.closed || !this.opts.targetUrl || !this.subs.length) return;
    // a creation's property changes share its eventId (one triggering event, several notifications)
    const key =
      change.kind === 'creation' || change.kind === 'propertyChange' ? `${portalId}:${change.type}:${change.id}:${change.at}` : '';
    const eventId = key && key === this.lastCreation?.key ? this.lastCreation.eventId : this.nextEventId++;
    if (change.kind === 'creation') this.lastCreation = { key, eventId };
    const events = eventsFor(change, this.subs, { portalId, appId: this.opts.appId, eventId });
    if (!events.length) return;
    const now = Date.now();
    const rnd = this.opts.random;
    let box = this.outbox.get(portalId);
    if (!box) this.outbox.set(portalId, (box = []));
    for (const ev of events) {
      this.st.events++;
      if (rnd() < this.opts.dropRate) {
        this.st.dropped++;
        continue;
      }
      let due = now + this.opts.batchWindowMs + this.opts.delayMs + rnd() * this.opts.delayJitterMs;
      if (rnd() < this.opts.reorderRate) {
        this.st.reordered++;
        due += rnd() * this.opts.reorderWindowMs;
      }
      box.push({ due, ev });
      if (rnd() < this.opts.duplicateRate) {
        this.st.duplicated++;
        box.push({ due: due + this.opts.batchWindowMs + rnd() * this.opts.reorderWindowMs, ev: { ...ev } });
      }
    }
    // a full batch goes at once (pump), the rest when its window closes
    let first = Infinity,
      soon = 0;
    for (const o of box) {
      first = Math.min(first, o.due);
      if (o.due <= now + this.opts.batchWindowMs) soon++;
    }
    this.schedule(soon >= 100 ? now : first);
  }

  private pendingCount(): number {
    let n = 0;
    for (const b of this.outbox.values()) n += b.length;
    for (const w of this.waiting.values()) for (const b of w) n += b.batch.length;
    return n + this.inFlightEvents + this.retryingEvents;
  }
  private inFlightEvents = 0;
  private retryingEvents = 0;

  private schedule(at: number): void {
    if (this.closed || at >= this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.timerAt = Infinity;
        this.pump();
      },
      Math.max(0, at - Date.now()),
    );
  }

  /** Sends what is due, in batches of at most 100 per portal, and sets the timer for the rest. */
  private pump(): void {
    const now = Date.now();
    let next = Infinity;
    for (const [portalId, box] of this.outbox) {
      box.sort((a, b) => a.due - b.due);
      let cut = 0;
      while (cut < box.length && box[cut]!.due <= now) cut++;
      // a full batch of notifications due within the window does not wait for it to close
      let soon = cut;
      while (soon < box.length && box[soon]!.due <= now + this.opts.batchWindowMs) soon++;
      if (soon - cut >= 100) cut += Math.floor((soon - cut) / 100) * 100;
      const due = box.splice(0, cut).map((o) => o.ev);
      for (let i = 0; i < due.length; i += 100) this.enqueue(portalId, due.slice(i, i + 100));
      if (box.length) next = Math.min(next, box[0]!.due);
      else this.outbox.delete(portalId);
    }
    if (next < Infinity) this.schedule(next);
    this.checkIdle();
  }

  private enqueue(portalId: number, batch: WebhookEvent[], attempt = 0): void {
    let w = this.waiting.get(portalId);
    if (!w) this.waiting.set(portalId, (w = []));
    w.push({ batch, attempt });
    this.drain(portalId);
  }

  private drain(portalId: number): void {
    const w = this.waiting.get(portalId);
    while (w?.length && (this.inFlight.get(portalId) ?? 0) < this.opts.maxConcurrentRequests) {
      const { batch, attempt } = w.shift()!;
      void this.send(portalId, batch, attempt);
    }
    if (w && !w.length) this.waiting.delete(portalId);
  }

  private async send(portalId: number, batch: WebhookEvent[], attempt: number): Promise<void> {
    this.inFlight.set(portalId, (this.inFlight.get(portalId) ?? 0) + 1);
    this.inFlightEvents += batch.length;
    this.st.requests++;
    if (attempt > 0) this.st.retried++;
    this.st.largestBatch = Math.max(this.st.largestBatch, batch.length);
    const ok = await this.post(batch.map((e) => ({ ...e, attemptNumber: attempt })));
    this.inFlight.set(portalId, this.inFlight.get(portalId)! - 1);
    this.inFlightEvents -= batch.length;
    if (ok) this.st.delivered += batch.length;
    else {
      this.st.failedRequests++;
      if (attempt < MAX_RETRIES && !this.closed) {
        const delay = retryDelayMs(attempt + 1) * (0.8 + 0.4 * this.opts.random()) * this.opts.timeScale;
        this.retryingEvents += batch.length; // still pending while it waits for its retry
        const t = setTimeout(() => {
          this.retryTimers.delete(t);
          this.retryingEvents -= batch.length;
          if (this.closed) return;
          this.enqueue(portalId, batch, attempt + 1);
        }, delay);
        this.retryTimers.add(t);
      } else this.st.lost += batch.length;
    }
    this.drain(portalId);
    this.checkIdle();
  }

  /** One POST; true on 2xx. A connection failure, a timeout, 4xx or 5xx is a failure (reference §2). */
  private async post(events: WebhookEvent[]): Promise<boolean> {
    const url = this.opts.targetUrl!;
    const body = JSON.stringify(events);
    const timestamp = String(this.opts.now());
    const secret = this.opts.clientSecret ?? '';
    try {
      const res = await fetch(url, {
        method: 'POST',
        body,
        signal: AbortSignal.timeout(this.opts.timeoutMs),
        headers: {
          'content-type': 'application/json',
          'user-agent': USER_AGENT,
          'x-hubspot-signature': signatureV1(secret, body),
          'x-hubspot-signature-version': 'v1',
          'x-hubspot-signature-v3': signatureV3(secret, 'POST', url, body, timestamp),
          'x-hubspot-request-timestamp': timestamp,
          'x-hubspot-timeout-millis': String(this.opts.timeoutMs),
        },
      });
      await res.arrayBuffer().catch(() => undefined);
      return res.status >= 200 && res.status < 300;
    } catch {
      return false;
    }
  }

  private checkIdle(): void {
    if (this.pendingCount() > 0) return;
    const w = this.idleWaiters;
    this.idleWaiters = [];
    for (const r of w) r();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const t of this.retryTimers) clearTimeout(t);
    this.retryTimers.clear();
    this.outbox.clear();
    this.waiting.clear();
    this.inFlightEvents = 0;
    this.retryingEvents = 0;
    this.checkIdle();
  }
}
