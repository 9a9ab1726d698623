// The sandbox HTTP server: HubSpot's CRM APIs on a local port, one or more portals, with
// HubSpot's auth, rate limits (reference hubspot-platform.md §4) and realism knobs.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { randomBytes, randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { existsSync } from 'node:fs';
import { loadFixtureFile, trustGeneratedFixture, type Fixture } from './fixture';
import { buildPortal, ValidationError, type Portal } from './store';
import { builtinPropertyType } from './catalog';
import { routes, type Ctx, type Reply } from './routes';
import { demoFixture } from './fixtures/demo';
import { WebhookEmitter, type WebhooksOptions, type WebhookStats } from './webhooks';
import { applyUiChanges, changesRequest, type ChangesRequest } from './webhooks-changes';

/**
 * Names this server in its control answers. It doubles as the marker the production build test
 * looks for: the string appears in any bundle that contains the sandbox's server code.
 */
export const SANDBOX_MARKER = 'tiller-hubspot-sandbox/stand-in-server';

export type SandboxOptions = {
  port?: number;
  host?: string;
  fixtures?: Fixture[];
  fixturePath?: string;
  seed?: number;
  size?: 'small' | 'medium' | 'large';
  /** The generated portal's id and access token (default: the generator's), for a stand-in holding a given portal. */
  portalId?: number;
  accessToken?: string;
  latencyMs?: number;
  latencyJitterMs?: number;
  faultRate?: number;
  searchDelayMs?: number;
  rateLimit?: { tenSecondly?: number; searchPerSecond?: number };
  now?: () => number;
  /** OAuth app credentials the token endpoints accept (default: any non-empty pair). */
  oauth?: { clientId: string; clientSecret: string };
  /** How long a 'timeout' fault holds the request before dropping the connection (default 5000 ms). */
  timeoutHoldMs?: number;
  /** Webhooks like HubSpot's: target URL, client secret, subscriptions (the app's component) and knobs. */
  webhooks?: WebhooksOptions;
  /** Lifetime of the access tokens the OAuth endpoints issue (default 1800 s, HubSpot's 30 minutes). */
  accessTokenTtlSeconds?: number;
  /** Called with each app lifecycle event (an uninstall), as HubSpot's Webhooks Journal would record it. */
  onAppLifecycleEvent?: (event: AppLifecycleEvent) => void;
};

/**
 * An app lifecycle event (reference hubspot-platform.md §3.4: Webhooks Journal subscription type
 * APP_LIFECYCLE_EVENT). Until the sandbox delivers webhooks, read them from
 * GET /__sandbox/app-lifecycle-events, control.lifecycleEvents() or the onAppLifecycleEvent option.
 */
export type AppLifecycleEvent = {
  subscriptionType: 'APP_LIFECYCLE_EVENT';
  eventType: 'APP_UNINSTALL';
  portalId: number;
  appId: number;
  occurredAt: number;
};

export type SandboxPortalInfo = {
  id: number;
  accessToken: string;
  timeZone: string;
  users: {
    id: string;
    email: string;
    firstName: string;
    lastName: string;
    timeZone: string | null;
    superAdmin: boolean;
    ownerId: string | null;
  }[];
};

export type SandboxStats = {
  totalCalls: number;
  byEndpoint: Record<string, number>;
  byPortal: Record<string, number>;
  searches: number;
  rateLimited: number;
  rateLimitedTenSecondly: number;
  rateLimitedSearch: number;
  faultsInjected: number;
  /** Most calls in any 10 s / 1 s window, all portals and kinds together. */
  peak10s: number;
  peak1s: number;
  /** What HubSpot limits per portal: the most non-search calls of one portal in any rolling 10 s,
   * and the most searches of one portal in any rolling 1 s (hubspot-platform.md §4.1, §4.2). */
  peak10sGeneral: number;
  peak1sSearch: number;
  /**
   * Every record a batch update changed, `portalId/objectType/id` → how many updates of it were
   * applied (an input HubSpot answered in `results`; a missing record or a refused call counts nothing).
   */
  batchUpdated: Record<string, number>;
  since: string;
};

/**
 * '500-after': HubSpot did the work but the answer is lost (a 502 from its edge after the write
 * landed), so a client that retries a create makes a second record.
 */
export type FaultKind = '500' | '429' | 'timeout' | 'search429' | '500-after';

export type SandboxControl = {
  setLatency(ms: number, jitter?: number): void;
  setFaultRate(r: number): void;
  failNext(n: number, kind: FaultKind): void;
  setSearchDelay(ms: number): void;
  /**
   * HubSpot's limits from now on, counted from empty windows (a test loads data with them lifted,
   * then measures with HubSpot's as if the load were long over, not in the 10 s after it).
   */
  setRateLimit(limits: { tenSecondly?: number; searchPerSecond?: number }): void;
  stats(): SandboxStats;
  resetStats(): void;
  webhooks: {
    configure(o: WebhooksOptions): void;
    stats(): WebhookStats;
    resetStats(): void;
    /** Resolves when every notification so far is acknowledged or given up on. */
    idle(): Promise<void>;
  };
  /** Changes made "by another user" in HubSpot's UI (webhooks with changeSource CRM_UI). */
  change(req: ChangesRequest): { results: { op: string; id?: string }[] };
  /** The next consent: refuse it (error=access_denied), or approve without the optional scopes. */
  nextConsent(c: { deny?: boolean; declineOptionalScopes?: boolean }): void;
  /** Expires every access token issued to the portal now (they answer 401 EXPIRED_AUTHENTICATION). */
  expireAccessTokens(portalId: number): void;
  /** Revokes every token issued to the portal: refreshing answers invalid_grant. */
  revokeTokens(portalId: number): void;
  /** Uninstalls the app from the portal: tokens revoked, the lifecycle event recorded. */
  uninstall(portalId: number): AppLifecycleEvent;
  lifecycleEvents(): AppLifecycleEvent[];
  /** Refresh-token grants answered so far (each a new access token). */
  refreshCount(portalId?: number): number;
};

export type Sandbox = { url: string; port: number; portals: SandboxPortalInfo[]; control: SandboxControl; close(): Promise<void> };

const TEN_SECONDS = 10_000;

/** Sliding-window counter: timestamps of accepted requests within the window. */
class Window {
  private times: number[] = [];
  private head = 0;
  constructor(readonly spanMs: number) {}
  count(now: number): number {
    while (this.head < this.times.length && this.times[this.head]! <= now - this.spanMs) this.head++;
    if (this.head > 4096) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
    return this.times.length - this.head;
  }
  add(now: number): void {
    this.times.push(now);
  }
  oldest(): number | undefined {
    return this.times[this.head];
  }
}

type PortalState = { portal: Portal; general: Window; search: Window; uninstalled: boolean };

async function portalsFrom(opts: SandboxOptions, now: number): Promise<Portal[]> {
  if (opts.fixtures?.length) return opts.fixtures.map((f, i) => buildPortal(f, now, `fixtures[${i}]`));
  if (opts.fixturePath) return [buildPortal(loadFixtureFile(opts.fixturePath, builtinPropertyType), now, opts.fixturePath, true)];
  const gen = await loadGenerator();
  // our own generator's output is validated by its tests with the strict loader: not re-validated here
  if (gen) {
    const fixture = gen({ seed: opts.seed ?? 1, size: opts.size ?? 'small', portalId: opts.portalId });
    if (opts.accessToken) fixture.portal = { ...fixture.portal, accessToken: opts.accessToken };
    return [buildPortal(trustGeneratedFixture(fixture), now, `generated(seed=${opts.seed ?? 1}, size=${opts.size ?? 'small'})`, true)];
  }
  return [buildPortal(demoFixture(opts.seed ?? 1, now), now, 'built-in demo fixture')];
}

type Generator = (o: { seed: number; size: 'small' | 'medium' | 'large'; portalId?: number }) => Fixture;
async function loadGenerator(): Promise<Generator | undefined> {
  const url = new URL('./generator/index.ts', import.meta.url);
  if (!existsSync(url)) return undefined;
  const mod = (await import(/* @vite-ignore */ pathToFileURL(url.pathname).href)) as { generatePortal?: Generator };
  return mod.generatePortal;
}

function send(res: ServerResponse, reply: Reply): void {
  if (res.headersSent || res.destroyed) return;
  const headers: Record<string, string> = { ...reply.headers };
  let payload: string | undefined;
  if (reply.body !== undefined && reply.status !== 204) {
    payload = JSON.stringify(reply.body);
    headers['content-type'] = 'application/json;charset=utf-8';
  }
  res.writeHead(reply.status, headers);
  res.end(payload);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function errorBody(category: string, message: string, extra: Record<string, unknown> = {}) {
  return { status: 'error', message, correlationId: randomUUID(), category, ...extra };
}

/** Starts a sandbox on `port` (0 = random) and resolves when it is listening. */
export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const clock = opts.now ?? Date.now;
  const portals = await portalsFrom(opts, clock());
  const ids = new Set<number>();
  for (const p of portals) {
    if (ids.has(p.id)) throw new Error(`Two fixtures use portal id ${p.id}`);
    ids.add(p.id);
  }
  const states = portals.map((p): PortalState => ({
    portal: p,
    general: new Window(TEN_SECONDS),
    search: new Window(1000),
    uninstalled: false,
  }));
  const tokens = new Map<string, { state: PortalState; expiresAt?: number; userId?: string; scopes?: Set<string> }>();
  for (const s of states) tokens.set(s.portal.accessToken, { state: s });
  const refreshTokens = new Map<string, { state: PortalState; scopes: string[]; userId?: string }>();
  const codes = new Map<string, { state: PortalState; redirectUri: string; expiresAt: number; userId?: string; scopes?: string[] }>();
  const consent = { deny: false, declineOptionalScopes: false };
  const lifecycle: AppLifecycleEvent[] = [];
  const refreshes = new Map<number, number>();
  const revokePortal = (portalId: number) => {
    for (const [k, v] of refreshTokens) if (v.state.portal.id === portalId) refreshTokens.delete(k);
    for (const [k, v] of tokens) if (v.state.portal.id === portalId && v.expiresAt !== undefined) tokens.delete(k);
  };

  const knobs = {
    latencyMs: opts.latencyMs ?? 0,
    jitterMs: opts.latencyJitterMs ?? 0,
    faultRate: opts.faultRate ?? 0,
    searchDelayMs: opts.searchDelayMs ?? 0,
    tenSecondly: opts.rateLimit?.tenSecondly ?? 110,
    searchPerSecond: opts.rateLimit?.searchPerSecond ?? 5,
    timeoutHoldMs: opts.timeoutHoldMs ?? 5000,
  };
  const queued: FaultKind[] = [];

  let stats: SandboxStats;
  let win10 = new Window(TEN_SECONDS);
  let win1 = new Window(1000);
  let perPortal = new Map<number, { general: Window; search: Window }>();
  const resetStats = () => {
    stats = {
      totalCalls: 0,
      byEndpoint: {},
      byPortal: {},
      searches: 0,
      rateLimited: 0,
      rateLimitedTenSecondly: 0,
      rateLimitedSearch: 0,
      faultsInjected: 0,
      peak10s: 0,
      peak1s: 0,
      peak10sGeneral: 0,
      peak1sSearch: 0,
      batchUpdated: {},
      since: new Date(clock()).toISOString(),
    };
    win10 = new Window(TEN_SECONDS);
    win1 = new Window(1000);
    perPortal = new Map();
  };
  resetStats();
  const count = (endpoint: string, portal: Portal | undefined, search: boolean) => {
    const t = clock();
    stats.totalCalls++;
    stats.byEndpoint[endpoint] = (stats.byEndpoint[endpoint] ?? 0) + 1;
    if (portal) stats.byPortal[String(portal.id)] = (stats.byPortal[String(portal.id)] ?? 0) + 1;
    if (search) stats.searches++;
    win10.add(t);
    win1.add(t);
    stats.peak10s = Math.max(stats.peak10s, win10.count(t));
    stats.peak1s = Math.max(stats.peak1s, win1.count(t));
    if (portal) {
      let w = perPortal.get(portal.id);
      if (!w) perPortal.set(portal.id, (w = { general: new Window(TEN_SECONDS), search: new Window(1000) }));
      const win = search ? w.search : w.general;
      win.add(t);
      if (search) stats.peak1sSearch = Math.max(stats.peak1sSearch, win.count(t));
      else stats.peak10sGeneral = Math.max(stats.peak10sGeneral, win.count(t));
    }
  };

  const webhooks = new WebhookEmitter(opts.webhooks);
  for (const s of states) {
    s.portal.clock = clock;
    s.portal.searchDelay = () => knobs.searchDelayMs;
    s.portal.onChange = (c) => webhooks.record(s.portal.id, c);
  }
  const control: SandboxControl = {
    webhooks: {
      configure: (o) => webhooks.configure(o),
      stats: () => webhooks.stats(),
      resetStats: () => webhooks.resetStats(),
      idle: () => webhooks.idle(),
    },
    change(req) {
      const r = changesRequest.parse(req);
      const s = r.portalId === undefined ? states[0]! : states.find((x) => x.portal.id === r.portalId);
      if (!s) throw new ValidationError(`No portal ${r.portalId}`, 'OBJECT_NOT_FOUND', 404);
      return applyUiChanges(s.portal, r.changes, r.userId, { now: clock(), searchDelayMs: knobs.searchDelayMs });
    },
    setLatency(ms, jitter = 0) {
      knobs.latencyMs = ms;
      knobs.jitterMs = jitter;
    },
    setFaultRate(r) {
      knobs.faultRate = r;
    },
    failNext(n, kind) {
      for (let i = 0; i < n; i++) queued.push(kind);
    },
    setSearchDelay(ms) {
      knobs.searchDelayMs = ms;
    },
    setRateLimit(limits) {
      knobs.tenSecondly = limits.tenSecondly ?? 110;
      knobs.searchPerSecond = limits.searchPerSecond ?? 5;
      for (const st of states) {
        st.general = new Window(TEN_SECONDS);
        st.search = new Window(1000);
      }
    },
    stats: () => structuredClone(stats),
    resetStats,
    nextConsent(c) {
      consent.deny = c.deny ?? false;
      consent.declineOptionalScopes = c.declineOptionalScopes ?? false;
    },
    expireAccessTokens(portalId) {
      for (const t of tokens.values())
        if (t.state.portal.id === portalId && t.expiresAt !== undefined) t.expiresAt = Math.min(t.expiresAt, clock());
    },
    revokeTokens: revokePortal,
    uninstall(portalId) {
      const s = states.find((x) => x.portal.id === portalId);
      if (!s) throw new Error(`no sandbox portal ${portalId}`);
      s.uninstalled = true;
      revokePortal(portalId);
      const event: AppLifecycleEvent = {
        subscriptionType: 'APP_LIFECYCLE_EVENT',
        eventType: 'APP_UNINSTALL',
        portalId,
        appId: 1,
        occurredAt: clock(),
      };
      lifecycle.push(event);
      opts.onAppLifecycleEvent?.(event);
      return event;
    },
    lifecycleEvents: () => structuredClone(lifecycle),
    refreshCount: (portalId) =>
      portalId === undefined ? [...refreshes.values()].reduce((a, b) => a + b, 0) : (refreshes.get(portalId) ?? 0),
  };

  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  const rateHeaders = (s: PortalState, now: number): Record<string, string> => ({
    'X-HubSpot-RateLimit-Max': String(knobs.tenSecondly),
    'X-HubSpot-RateLimit-Remaining': String(Math.max(0, knobs.tenSecondly - s.general.count(now))),
    'X-HubSpot-RateLimit-Interval-Milliseconds': String(TEN_SECONDS),
  });
  // reference hubspot-platform.md §4.3: the 429 body, exactly
  const tenSecondly429 = (): Reply => ({
    status: 429,
    body: {
      status: 'error',
      message: 'You have reached your ten_secondly_rolling limit.',
      errorType: 'RATE_LIMIT',
      correlationId: randomUUID(),
      policyName: 'TEN_SECONDLY_ROLLING',
      requestId: randomUUID(),
    },
  });
  // reference hubspot-platform.md §4.2/§4.3: search's own secondly limit, no rate-limit headers
  const secondly429 = (): Reply => ({
    status: 429,
    body: {
      status: 'error',
      message: 'You have reached your secondly limit.',
      errorType: 'RATE_LIMIT',
      correlationId: randomUUID(),
      policyName: 'SECONDLY',
      requestId: randomUUID(),
    },
  });

  async function handleControl(req: IncomingMessage, url: URL, raw: string): Promise<Reply> {
    const path = url.pathname;
    if (req.method === 'GET' && path === '/__sandbox/stats') return { status: 200, body: { ...control.stats(), server: SANDBOX_MARKER } };
    if (req.method === 'POST' && path === '/__sandbox/reset') {
      resetStats();
      return { status: 200, body: { ok: true } };
    }
    if (req.method === 'GET' && path === '/__sandbox/portals') return { status: 200, body: info() };
    if (req.method === 'GET' && path === '/__sandbox/webhooks')
      return { status: 200, body: { ...webhooks.settings(), stats: webhooks.stats() } };
    let b: Record<string, unknown> = {};
    try {
      b = raw ? JSON.parse(raw) : {};
    } catch {
      return { status: 400, body: { message: 'invalid JSON' } };
    }
    if (req.method === 'POST' && path === '/__sandbox/faults') {
      if (typeof b.faultRate === 'number') control.setFaultRate(b.faultRate);
      if (typeof b.latencyMs === 'number') control.setLatency(b.latencyMs, typeof b.latencyJitterMs === 'number' ? b.latencyJitterMs : 0);
      if (typeof b.searchDelayMs === 'number') control.setSearchDelay(b.searchDelayMs);
      if (typeof b.tenSecondly === 'number' || typeof b.searchPerSecond === 'number')
        control.setRateLimit({
          tenSecondly: typeof b.tenSecondly === 'number' ? b.tenSecondly : knobs.tenSecondly,
          searchPerSecond: typeof b.searchPerSecond === 'number' ? b.searchPerSecond : knobs.searchPerSecond,
        });
      if (typeof b.failNext === 'number') control.failNext(b.failNext, (b.kind as FaultKind) ?? '500');
      return { status: 200, body: { ...knobs, queued: [...queued] } };
    }
    if (req.method === 'POST' && path === '/__sandbox/changes') {
      const parsed = changesRequest.safeParse(b);
      if (!parsed.success)
        return { status: 400, body: { message: parsed.error.issues.map((i) => `$.${i.path.join('.')}: ${i.message}`).join('; ') } };
      try {
        return { status: 200, body: control.change(parsed.data) };
      } catch (e) {
        if (e instanceof ValidationError) return { status: e.status, body: { message: e.message } };
        throw e;
      }
    }
    if (req.method === 'POST' && path === '/__sandbox/webhooks') {
      try {
        const { random: _r, now: _n, ...knobsOnly } = b; // functions come only through the API
        webhooks.configure(knobsOnly as WebhooksOptions);
      } catch (e) {
        return { status: 400, body: { message: (e as Error).message } };
      }
      return { status: 200, body: { ...webhooks.settings(), stats: webhooks.stats() } };
    }
    if (req.method === 'POST' && path === '/__sandbox/oauth/code') {
      // mints an authorization code as HubSpot's consent screen would (for install-flow tests)
      const s = states.find((x) => x.portal.id === Number(b.portalId)) ?? states[0]!;
      const code = randomBytes(16).toString('hex');
      codes.set(code, {
        state: s,
        redirectUri: String(b.redirectUri ?? ''),
        expiresAt: clock() + 10 * 60_000,
        userId: b.userId ? String(b.userId) : s.portal.users[0]?.id,
      });
      return { status: 200, body: { code } };
    }
    const portalArg = () => {
      const s = states.find((x) => x.portal.id === Number(b.portalId));
      if (!s) throw new Error(`no sandbox portal ${String(b.portalId)}`);
      return s.portal.id;
    };
    try {
      if (req.method === 'POST' && path === '/__sandbox/oauth/consent') {
        control.nextConsent({ deny: b.deny === true, declineOptionalScopes: b.declineOptionalScopes === true });
        return { status: 200, body: { ...consent } };
      }
      if (req.method === 'POST' && path === '/__sandbox/oauth/expire') {
        control.expireAccessTokens(portalArg());
        return { status: 200, body: { ok: true } };
      }
      if (req.method === 'POST' && path === '/__sandbox/oauth/revoke') {
        control.revokeTokens(portalArg());
        return { status: 200, body: { ok: true } };
      }
      if (req.method === 'POST' && path === '/__sandbox/uninstall') return { status: 200, body: control.uninstall(portalArg()) };
    } catch (e) {
      return { status: 404, body: { message: (e as Error).message } };
    }
    if (req.method === 'GET' && path === '/__sandbox/app-lifecycle-events')
      return { status: 200, body: { results: control.lifecycleEvents() } };
    if (req.method === 'GET' && path === '/__sandbox/oauth/refreshes')
      return { status: 200, body: { total: control.refreshCount(), byPortal: Object.fromEntries(refreshes) } };
    return { status: 404, body: { message: 'unknown sandbox control endpoint' } };
  }

  // --- OAuth (reference hubspot-platform.md §3.2–§3.4) ---
  const oauthError = (status: number, error: string, description: string): Reply => ({
    status,
    body: { status: 'BAD_REQUEST', message: description, correlationId: randomUUID(), error, error_description: description },
  });
  function issue(state: PortalState, scopes: string[], userId?: string) {
    const accessToken = `sbx-at-${randomBytes(24).toString('hex')}`;
    const refreshToken = `sbx-rt-${randomBytes(24).toString('hex')}`;
    const expiresIn = opts.accessTokenTtlSeconds ?? 1800; // access tokens expire after 30 minutes (§3.2)
    tokens.set(accessToken, { state, expiresAt: clock() + expiresIn * 1000, userId, scopes: new Set(scopes) });
    refreshTokens.set(refreshToken, { state, scopes, userId });
    return {
      token_type: 'bearer',
      access_token: accessToken,
      refresh_token: refreshToken,
      expires_in: expiresIn,
      hub_id: state.portal.id,
      scopes: scopes.join(' '),
    };
  }
  // HubSpot's consent screen, approved at once (reference §3.1): for the portal named by portal_id,
  // else the first; the required scopes must all be available, optional ones are granted unless declined.
  function authorize(url: URL): Reply {
    const q = url.searchParams;
    const redirectUri = q.get('redirect_uri');
    if (!redirectUri || !/^https?:\/\//.test(redirectUri))
      return { status: 400, body: { message: 'redirect_uri is required (an absolute http(s) URL)' } };
    const clientId = q.get('client_id');
    if (!clientId || (opts.oauth && clientId !== opts.oauth.clientId))
      return { status: 400, body: { message: 'client_id is missing or unknown' } };
    const back = new URL(redirectUri);
    const state = q.get('state');
    const reply = (params: Record<string, string>): Reply => {
      for (const [k, v] of Object.entries(params)) back.searchParams.set(k, v);
      if (state !== null) back.searchParams.set('state', state);
      return { status: 302, headers: { location: back.toString() } };
    };
    const required = (q.get('scope') ?? '').split(/[ +]/).filter(Boolean);
    const optional = (q.get('optional_scope') ?? '').split(/[ +]/).filter(Boolean);
    const wanted = q.get('portal_id');
    const s = wanted ? states.find((x) => x.portal.id === Number(wanted)) : states[0];
    if (!s) return { status: 400, body: { message: `no sandbox portal ${wanted}` } };
    if (consent.deny) {
      consent.deny = false;
      return reply({ error: 'access_denied', error_description: 'The user refused to install the app' });
    }
    if (!required.includes('oauth')) return reply({ error: 'invalid_scope', error_description: 'scope must include oauth' });
    const available = s.portal.scopes;
    const unavailable = required.filter((x) => available && !available.has(x));
    if (unavailable.length)
      return reply({ error: 'invalid_scope', error_description: `scopes not available to this account: ${unavailable.join(' ')}` });
    const granted = [...required, ...(consent.declineOptionalScopes ? [] : optional.filter((x) => !available || available.has(x)))];
    consent.declineOptionalScopes = false;
    const code = randomBytes(16).toString('hex');
    const installer = s.portal.users.find((u) => u.superAdmin) ?? s.portal.users[0];
    codes.set(code, { state: s, redirectUri, expiresAt: clock() + 10 * 60_000, userId: installer?.id, scopes: granted });
    return reply({ code });
  }

  function handleOauth(req: IncomingMessage, url: URL, raw: string): Reply {
    if (req.method === 'GET' && url.pathname.replace(/\/$/, '') === '/oauth/authorize') return authorize(url);
    if (req.method !== 'POST') return oauthError(405, 'invalid_request', 'Method not allowed');
    // all parameters go in the form body, never the query (§3.2)
    if ([...url.searchParams.keys()].length)
      return oauthError(400, 'invalid_request', 'OAuth parameters must be sent in the request body, not the query string');
    const ct = String(req.headers['content-type'] ?? '');
    if (!ct.startsWith('application/x-www-form-urlencoded'))
      return oauthError(400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
    const f = new URLSearchParams(raw);
    const clientId = f.get('client_id'),
      secret = f.get('client_secret');
    if (!clientId || !secret) return oauthError(400, 'invalid_client', 'missing client_id or client_secret');
    if (opts.oauth && (clientId !== opts.oauth.clientId || secret !== opts.oauth.clientSecret))
      return oauthError(401, 'invalid_client', 'client_id or client_secret is invalid');
    const path = url.pathname.replace(/\/$/, '');
    const allScopes = (s: PortalState) => [
      ...(s.portal.scopes ?? [
        'oauth',
        'crm.objects.contacts.read',
        'crm.objects.companies.read',
        'crm.objects.deals.read',
        'crm.objects.owners.read',
      ]),
    ];
    if (path === '/oauth/2026-03/token') {
      const grant = f.get('grant_type');
      if (grant === 'authorization_code') {
        const code = f.get('code') ?? '';
        const c = codes.get(code);
        codes.delete(code); // single use
        if (!c || c.expiresAt < clock()) return oauthError(400, 'invalid_grant', 'missing or invalid authorization code');
        if (c.redirectUri && f.get('redirect_uri') !== c.redirectUri)
          return oauthError(400, 'invalid_grant', 'redirect_uri does not match');
        c.state.uninstalled = false;
        return { status: 200, body: issue(c.state, c.scopes ?? allScopes(c.state), c.userId) };
      }
      if (grant === 'refresh_token') {
        const rt = refreshTokens.get(f.get('refresh_token') ?? '');
        if (!rt || rt.state.uninstalled) return oauthError(400, 'invalid_grant', 'missing or invalid refresh token');
        const out = issue(rt.state, rt.scopes, rt.userId);
        refreshTokens.delete(out.refresh_token);
        refreshes.set(rt.state.portal.id, (refreshes.get(rt.state.portal.id) ?? 0) + 1);
        return { status: 200, body: { ...out, refresh_token: f.get('refresh_token') } };
      }
      return oauthError(400, 'unsupported_grant_type', `unsupported grant_type ${grant ?? ''}`);
    }
    if (path === '/oauth/2026-03/token/introspect') {
      const token = f.get('token') ?? '';
      const at = tokens.get(token);
      const rt = refreshTokens.get(token);
      const now = clock();
      if (at && !at.state.uninstalled && (at.expiresAt === undefined || at.expiresAt > now)) {
        const user = at.state.portal.users.find((u) => u.id === at.userId) ?? at.state.portal.users[0];
        return {
          status: 200,
          body: {
            active: true,
            token,
            token_use: 'access_token',
            token_type: 'bearer',
            app_id: 1,
            client_id: clientId,
            hub_id: at.state.portal.id,
            hub_domain: at.state.portal.domain,
            user_id: Number(user?.id ?? 0),
            user: user?.email,
            scopes: at.scopes ? [...at.scopes] : allScopes(at.state),
            expires_in: Math.max(0, Math.round(((at.expiresAt ?? now + 1_800_000) - now) / 1000)),
            is_private_distribution: false,
          },
        };
      }
      if (rt && !rt.state.uninstalled) {
        const user = rt.state.portal.users.find((u) => u.id === rt.userId) ?? rt.state.portal.users[0];
        return {
          status: 200,
          body: {
            active: true,
            token,
            token_use: 'refresh_token',
            token_type: 'bearer',
            app_id: 1,
            client_id: clientId,
            hub_id: rt.state.portal.id,
            hub_domain: rt.state.portal.domain,
            user_id: Number(user?.id ?? 0),
            user: user?.email,
            scopes: rt.scopes,
            is_private_distribution: false,
          },
        };
      }
      return { status: 200, body: { active: false } };
    }
    if (path === '/oauth/2026-03/token/revoke') {
      refreshTokens.delete(f.get('token') ?? '');
      return { status: 200, body: {} };
    }
    return oauthError(404, 'invalid_request', 'unknown OAuth endpoint');
  }

  function authenticate(req: IncomingMessage): { state?: PortalState; scopes?: Set<string>; reply?: Reply } {
    const h = req.headers.authorization;
    const m = h ? /^Bearer\s+(.+)$/i.exec(h) : null;
    if (!m) {
      return {
        reply: {
          status: 401,
          body: errorBody(
            'INVALID_AUTHENTICATION',
            'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
          ),
        },
      };
    }
    const t = tokens.get(m[1]!.trim());
    if (!t || t.state.uninstalled) {
      return {
        reply: {
          status: 401,
          body: errorBody(
            'INVALID_AUTHENTICATION',
            'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
          ),
        },
      };
    }
    if (t.expiresAt !== undefined && t.expiresAt <= clock()) {
      const hours = Math.floor((clock() - t.expiresAt) / 3_600_000);
      return {
        reply: {
          status: 401,
          body: errorBody('EXPIRED_AUTHENTICATION', `The OAuth token used to make this call expired ${hours} hour(s) ago.`),
        },
      };
    }
    return { state: t.state, scopes: t.scopes };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const raw = await readBody(req);
    const path = url.pathname;
    if (path.startsWith('/__sandbox/')) return send(res, await handleControl(req, url, raw));
    if (path.startsWith('/oauth/')) {
      count(`${req.method ?? 'POST'} ${path}`, undefined, false);
      return send(res, handleOauth(req, url, raw));
    }
    const method = req.method ?? 'GET';
    let match: { route: (typeof routes)[number]; params: string[] } | undefined;
    for (const r of routes) {
      if (r.method !== method) continue;
      const m = r.pattern.exec(path);
      if (m) {
        match = { route: r, params: m.slice(1) };
        break;
      }
    }
    const isUninstall = method === 'DELETE' && path.replace(/\/$/, '') === '/appinstalls/2026-03/external-install';
    const endpoint = match?.route.name ?? (isUninstall ? 'DELETE /appinstalls/2026-03/external-install' : `${method} (unknown)`);
    const search = !!match?.route.search;

    const auth = authenticate(req);
    count(endpoint, auth.state?.portal, search);
    if (!auth.state) return send(res, auth.reply!);
    const s = auth.state;
    const now = clock();

    // rate limits per portal: search 5/s without headers, everything else rolling 110/10 s
    if (search) {
      if (s.search.count(now) >= knobs.searchPerSecond) {
        stats.rateLimited++;
        stats.rateLimitedSearch++;
        return send(res, secondly429());
      }
      s.search.add(now);
    } else {
      if (s.general.count(now) >= knobs.tenSecondly) {
        stats.rateLimited++;
        stats.rateLimitedTenSecondly++;
        return send(res, { ...tenSecondly429(), headers: rateHeaders(s, now) });
      }
      s.general.add(now);
    }
    const headers = search ? {} : rateHeaders(s, now);

    // injected faults: queued first, then the random fault rate
    let fault: FaultKind | undefined = queued.shift();
    if (fault === 'search429' && !search) {
      queued.unshift(fault);
      fault = undefined;
    }
    if (!fault && knobs.faultRate > 0 && Math.random() < knobs.faultRate) fault = pickFault(search);
    const answerLost = fault === '500-after';
    if (answerLost) stats.faultsInjected++;
    if (fault && !answerLost) {
      stats.faultsInjected++;
      if (fault === 'timeout') {
        await sleep(knobs.timeoutHoldMs);
        res.socket?.destroy();
        return;
      }
      if (fault === '429') {
        stats.rateLimited++;
        return send(res, { ...tenSecondly429(), headers });
      }
      if (fault === 'search429') {
        stats.rateLimited++;
        return send(res, secondly429());
      }
      const code = [500, 502, 503, 504][Math.floor(Math.random() * 4)]!;
      return send(res, { status: fault === '500' ? 500 : code, headers, body: errorBody('INTERNAL_ERROR', 'internal error') });
    }

    const latency = knobs.latencyMs + (knobs.jitterMs ? Math.random() * knobs.jitterMs : 0);
    if (latency > 0) await sleep(latency);

    if (isUninstall) {
      control.uninstall(s.portal.id); // tokens revoked, the lifecycle event recorded, as HubSpot does
      return send(res, { status: 204, headers });
    }
    if (!match) return send(res, { status: 404, headers, body: errorBody('OBJECT_NOT_FOUND', `No route for ${method} ${path}`) });

    let body: unknown;
    if (raw) {
      try {
        body = JSON.parse(raw);
      } catch (e) {
        return send(res, {
          status: 400,
          headers,
          body: errorBody('VALIDATION_ERROR', `Invalid input JSON on line 1: ${(e as Error).message}`),
        });
      }
    }
    const ctx: Ctx = {
      portal: s.portal,
      now: clock(),
      searchDelayMs: knobs.searchDelayMs,
      query: url.searchParams,
      body,
      params: match.params,
    };
    const scope = match.route.scope?.(ctx);
    // a token issued through OAuth carries the scopes granted at install (optional ones may be missing)
    if (scope && ((s.portal.scopes && !s.portal.scopes.has(scope)) || (auth.scopes && !auth.scopes.has(scope)))) {
      return send(res, {
        status: 403,
        headers,
        body: errorBody(
          'MISSING_SCOPES',
          "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
          {
            errors: [{ message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: [scope] } }],
            links: { scopes: 'https://developers.hubspot.com/scopes' },
          },
        ),
      });
    }
    try {
      const reply = match.route.handle(ctx);
      if (match.route.name === 'POST /crm/v3/objects/{objectType}/batch/update' && reply.status < 300) {
        for (const r of (reply.body as { results?: { id: string }[] }).results ?? []) {
          const key = `${s.portal.id}/${match.params[0]}/${r.id}`;
          stats.batchUpdated[key] = (stats.batchUpdated[key] ?? 0) + 1;
        }
      }
      if (answerLost) return send(res, { status: 502, headers, body: errorBody('INTERNAL_ERROR', 'bad gateway') });
      return send(res, { ...reply, headers: { ...headers, ...reply.headers } });
    } catch (e) {
      if (e instanceof ValidationError) return send(res, { status: e.status, headers, body: errorBody(e.category, e.message, e.extra) });
      throw e;
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      send(res, { status: 500, body: errorBody('INTERNAL_ERROR', `sandbox error: ${(e as Error).message}`) });
    });
  });
  server.on('connection', (sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  const host = opts.host ?? '127.0.0.1';
  const info = (): SandboxPortalInfo[] =>
    states.map((s) => ({
      id: s.portal.id,
      accessToken: s.portal.accessToken,
      timeZone: s.portal.timeZone,
      users: s.portal.users.map((u) => ({
        id: u.id,
        email: u.email,
        firstName: u.firstName,
        lastName: u.lastName,
        timeZone: u.timeZone,
        superAdmin: u.superAdmin,
        ownerId: u.ownerId,
      })),
    }));

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    portals: info(),
    control,
    close: () =>
      new Promise<void>((resolve) => {
        webhooks.close();
        for (const t of timers) clearTimeout(t);
        for (const sock of sockets) sock.destroy();
        server.close(() => resolve());
      }),
  };
}

function pickFault(search: boolean): FaultKind {
  const x = Math.random();
  if (x < 0.6) return '500';
  if (x < 0.85) return search ? 'search429' : '429';
  return 'timeout';
}

export { ValidationError };
