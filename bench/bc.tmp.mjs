var __getOwnPropNames = Object.getOwnPropertyNames;
var __esm = (fn, res, err2) => function __init() {
  if (err2) throw err2[0];
  try {
    return fn && (res = (0, fn[__getOwnPropNames(fn)[0]])(fn = 0)), res;
  } catch (e) {
    throw err2 = [e], e;
  }
};

// src/backend/http/express-types.ts
import "pino-http";
var init_express_types = __esm({
  "src/backend/http/express-types.ts"() {
    "use strict";
  }
});

// src/backend/app-error.ts
var STATUS_BY_CODE, AppError;
var init_app_error = __esm({
  "src/backend/app-error.ts"() {
    "use strict";
    STATUS_BY_CODE = {
      BAD_REQUEST: 400,
      UNAUTHENTICATED: 401,
      FORBIDDEN: 403,
      NOT_INSTALLED: 403,
      NOT_FOUND: 404,
      CONFLICT: 409,
      RATE_LIMITED: 429,
      HUBSPOT_FAILED: 502,
      UNAVAILABLE: 503,
      INTERNAL: 500
    };
    AppError = class extends Error {
      constructor(code, message, details) {
        super(message);
        this.code = code;
        this.details = details;
        this.name = "AppError";
      }
      code;
      details;
      get status() {
        return STATUS_BY_CODE[this.code];
      }
      toBody() {
        return { error: this.details === void 0 ? { code: this.code, message: this.message } : { code: this.code, message: this.message, details: this.details } };
      }
    };
  }
});

// src/backend/http/errors.ts
function isBodyParserError(err2) {
  return typeof err2 === "object" && err2 !== null && "type" in err2 && typeof err2.type === "string" && String(err2.type).startsWith("entity.");
}
var notFoundHandler, errorHandler;
var init_errors = __esm({
  "src/backend/http/errors.ts"() {
    "use strict";
    init_express_types();
    init_app_error();
    init_app_error();
    notFoundHandler = (req, _res, next) => {
      next(new AppError("NOT_FOUND", `There is no endpoint ${req.method} ${req.path}.`));
    };
    errorHandler = (err2, req, res, _next) => {
      let appError;
      if (err2 instanceof AppError) {
        appError = err2;
      } else if (isBodyParserError(err2)) {
        appError = err2.type === "entity.too.large" ? new AppError("BAD_REQUEST", "The request body is larger than 1 MB.") : new AppError("BAD_REQUEST", "The request body is not valid JSON.");
      } else {
        req.log?.error({ err: err2 }, "unhandled error");
        appError = new AppError("INTERNAL", "Something went wrong on our side. Please try again.");
      }
      if (appError.status >= 500) req.log?.warn({ code: appError.code, msg: appError.message }, "request failed");
      res.status(appError.status).json(appError.toBody());
    };
  }
});

// src/backend/http/signature.ts
import { createHmac, timingSafeEqual } from "node:crypto";
function normalizeSignedUri(uri) {
  return uri.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (m) => DECODED[m.toUpperCase()] ?? m);
}
function signV3(secret, method, uri, rawBody, timestamp) {
  return createHmac("sha256", secret).update(`${method.toUpperCase()}${normalizeSignedUri(uri)}${rawBody}${timestamp}`, "utf8").digest("base64");
}
function verifyV3(input) {
  const { signature, timestamp } = input;
  if (!signature || !timestamp) return { ok: false, reason: "missing" };
  if (!/^\d{1,16}$/.test(timestamp)) return { ok: false, reason: "bad-timestamp" };
  const age = input.now - Number(timestamp);
  if (age > MAX_SKEW_MS) return { ok: false, reason: "stale" };
  if (age < -MAX_SKEW_MS) return { ok: false, reason: "future" };
  const expected = Buffer.from(signV3(input.secret, input.method, input.uri, input.rawBody, timestamp), "utf8");
  const given = Buffer.from(signature, "utf8");
  const same = given.length === expected.length ? timingSafeEqual(given, expected) : !timingSafeEqual(expected, expected);
  return same ? { ok: true } : { ok: false, reason: "mismatch" };
}
function requireHubSpotSignature(opts2) {
  return (req, _res, next) => {
    const rawBody = req.rawBody?.toString("utf8") ?? "";
    const check = verifyV3({
      secret: opts2.secret,
      method: req.method,
      uri: opts2.publicBaseUrl + req.originalUrl,
      rawBody,
      signature: req.get("x-hubspot-signature-v3"),
      timestamp: req.get("x-hubspot-request-timestamp"),
      now: opts2.now()
    });
    if (!check.ok) {
      req.log?.info({ reason: check.reason }, "signature rejected");
      next(new AppError("UNAUTHENTICATED", REASONS[check.reason]));
      return;
    }
    next();
  };
}
var MAX_SKEW_MS, DECODED, REASONS;
var init_signature = __esm({
  "src/backend/http/signature.ts"() {
    "use strict";
    init_express_types();
    init_errors();
    MAX_SKEW_MS = 5 * 60 * 1e3;
    DECODED = {
      "%3A": ":",
      "%2F": "/",
      "%3F": "?",
      "%40": "@",
      "%21": "!",
      "%24": "$",
      "%27": "'",
      "%28": "(",
      "%29": ")",
      "%2A": "*",
      "%2C": ",",
      "%3B": ";"
    };
    REASONS = {
      missing: "This request is not signed by HubSpot.",
      "bad-timestamp": "The request timestamp is not valid.",
      stale: "The request signature has expired (older than 5 minutes).",
      future: "The request timestamp is in the future.",
      mismatch: "The request signature does not match."
    };
  }
});

// bench/backend-child.ts
import express2 from "express";
import { Redis } from "ioredis";

// src/backend/crm/gateway.ts
import { LRUCache as LRUCache2 } from "lru-cache";

// src/backend/crm/meter.ts
import { AsyncLocalStorage } from "node:async_hooks";
var RequestMeter = class {
  spans = [];
  record(kind, start, end) {
    this.spans.push({ kind, start, end });
  }
  get calls() {
    return this.spans.length;
  }
  byKind() {
    const out = {};
    for (const s of this.spans) out[s.kind] = (out[s.kind] ?? 0) + 1;
    return out;
  }
  /** Longest chain of calls where each started after the previous one ended: sequential round trips. */
  depth() {
    const spans = [...this.spans].sort((a, b) => a.start - b.start);
    const chain = [];
    let best = 0;
    spans.forEach((s, i) => {
      let d = 1;
      for (let j = 0; j < i; j++) {
        if (spans[j].end <= s.start) d = Math.max(d, chain[j] + 1);
      }
      chain[i] = d;
      best = Math.max(best, d);
    });
    return best;
  }
};
var storage = new AsyncLocalStorage();
function runWithCallContext(ctx, fn) {
  return storage.run(ctx, fn);
}
function currentCallContext() {
  return storage.getStore();
}

// src/backend/crm/batcher.ts
var SlotBatcher = class {
  constructor(opts2) {
    this.opts = opts2;
  }
  opts;
  queue = [];
  running = 0;
  /** Dispatches that wait for their slot and have not taken their ids yet. */
  waitingForSlot = 0;
  load(key) {
    return new Promise((resolve, reject) => {
      this.queue.push({ key, resolve, reject, ctx: currentCallContext() });
      this.pump();
    });
  }
  loadMany(keys) {
    return Promise.all(keys.map((k) => this.load(k)));
  }
  pump() {
    while (this.queue.length > this.waitingForSlot * this.opts.max && this.running < this.opts.parallel) {
      this.running++;
      this.waitingForSlot++;
      let taken = null;
      const take = () => {
        if (!taken) {
          this.waitingForSlot--;
          taken = this.takeBatch();
        }
        return [...new Set(taken.map((w) => w.key))];
      };
      runWithCallContext(this.sharedContext(), () => this.opts.start(take)).then(
        (results) => {
          if (!taken) this.waitingForSlot--;
          for (const w of taken ?? []) w.resolve(results.get(w.key));
        },
        (err2) => {
          take();
          for (const w of taken ?? []) w.reject(err2);
        }
      ).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }
  takeBatch() {
    const out = [];
    const keys = /* @__PURE__ */ new Set();
    const rest = [];
    for (const w of this.queue) {
      if (keys.has(w.key) || keys.size < this.opts.max) {
        keys.add(w.key);
        out.push(w);
      } else rest.push(w);
    }
    this.queue = rest;
    return out;
  }
  /** The call serves several requests: the latest deadline and the most urgent priority among them. */
  sharedContext() {
    const contexts = this.queue.map((w) => w.ctx).filter((c) => c !== void 0);
    if (contexts.length === 0) return { meter: new RequestMeter(), deadline: Infinity, priority: "background" };
    return {
      meter: contexts[0].meter,
      deadline: Math.max(...contexts.map((c) => c.deadline)),
      priority: contexts.some((c) => c.priority === "interactive") ? "interactive" : "background"
    };
  }
};

// src/backend/crm/client.ts
import http from "node:http";
import https from "node:https";
import { Client } from "@hubspot/api-client";
import { LRUCache } from "lru-cache";

// src/backend/crm/errors.ts
var CrmError = class extends Error {
  constructor(kind, message, status = null, policyName = null) {
    super(message);
    this.kind = kind;
    this.status = status;
    this.policyName = policyName;
    this.name = "CrmError";
  }
  kind;
  status;
  policyName;
  get retryable() {
    return this.kind === "server" || this.kind === "timeout" || this.kind === "network" || this.kind === "rate-limited";
  }
};
function isApiException(err2) {
  return typeof err2 === "object" && err2 !== null && typeof err2.code === "number";
}
function bodyField(body, field) {
  let parsed = body;
  if (typeof body === "string") {
    try {
      parsed = JSON.parse(body);
    } catch {
      return null;
    }
  }
  if (typeof parsed === "object" && parsed !== null && typeof parsed[field] === "string") {
    return parsed[field] ?? null;
  }
  return null;
}
function toCrmError(err2) {
  if (err2 instanceof CrmError) return err2;
  if (isApiException(err2)) {
    const status = err2.code;
    const policyName = bodyField(err2.body, "policyName");
    const message = bodyField(err2.body, "message") ?? `HubSpot answered ${status}`;
    if (status === 404) return new CrmError("not-found", message, status);
    if (status === 401) return new CrmError("unauthorized", message, status);
    if (status === 403) return new CrmError("forbidden", message, status);
    if (status === 429) return new CrmError("rate-limited", message, status, policyName);
    if (status >= 500) return new CrmError("server", message, status);
    if (status >= 400) return new CrmError("bad-request", message, status, bodyField(err2.body, "category"));
  }
  const code = err2?.code;
  if (err2?.type === "request-timeout" || code === "ETIMEDOUT") {
    return new CrmError("timeout", "HubSpot did not answer in time");
  }
  return new CrmError("network", `Could not reach HubSpot: ${err2?.message ?? String(err2)}`);
}

// src/backend/crm/client.ts
var defaultSleep = (ms3) => new Promise((r) => setTimeout(r, ms3));
var CrmCaller = class {
  constructor(opts2) {
    this.opts = opts2;
    const isHttps = opts2.basePath.startsWith("https:");
    this.agent = isHttps ? new https.Agent({ keepAlive: true, maxSockets: 64 }) : new http.Agent({ keepAlive: true, maxSockets: 64 });
  }
  opts;
  // One SDK client per (portal, token); the least recently used are dropped past 500 portals.
  clients = new LRUCache({ max: 500 });
  agent;
  async run(portalId, kind, fn) {
    const now = this.opts.now ?? Date.now;
    const sleep = this.opts.sleep ?? defaultSleep;
    const random = this.opts.random ?? Math.random;
    const ctx = currentCallContext();
    const maxTries = this.opts.maxTries ?? 3;
    const limitKind = kind === "search" ? "search" : "general";
    const client = await this.client(portalId);
    let failures = 0;
    let rateLimited = 0;
    const requestedAt = performance.now();
    for (let attempt = 1; ; attempt++) {
      const remaining = ctx ? ctx.deadline - now() : Infinity;
      if (remaining <= 0) throw new CrmError("deadline", "The request ran out of time waiting for HubSpot.");
      const started = now();
      try {
        const result = await this.opts.limiters.schedule(portalId, limitKind, ctx?.priority ?? "interactive", () => {
          const callStart = now();
          if (ctx && callStart >= ctx.deadline) return Promise.reject(new CrmError("deadline", "The request ran out of time waiting for HubSpot."));
          const timeout = Math.min(this.opts.callTimeoutMs ?? 8e3, ctx ? ctx.deadline - callStart : Infinity);
          return withTimeout(fn(client), timeout).finally(() => ctx?.meter.record(kind, requestedAt, performance.now()));
        });
        this.opts.onCall?.({ portalId, kind, ms: now() - started, attempt });
        return result;
      } catch (raw) {
        const error = toCrmError(raw);
        this.opts.onCall?.({ portalId, kind, ms: now() - started, error, attempt });
        if (error.kind === "rate-limited") {
          rateLimited++;
          if (rateLimited > 4) throw error;
          const search = error.policyName !== "TEN_SECONDLY_ROLLING";
          if (!search) await this.opts.limiters.backOff(portalId, "general");
          const wait = search ? 1e3 + random() * 250 : 2e3 * rateLimited + random() * 1e3;
          await sleep(Math.min(wait, Math.max(0, (ctx?.deadline ?? Infinity) - now())));
          continue;
        }
        if (error.kind === "server" || error.kind === "timeout" || error.kind === "network") {
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
  forget(portalId) {
    for (const key of [...this.clients.keys()]) if (key.startsWith(`${portalId}:`)) this.clients.delete(key);
  }
  async client(portalId) {
    const token = await this.opts.tokens.accessToken(portalId);
    if (!token) throw new CrmError("unauthorized", `Portal ${portalId} has not installed Tiller.`);
    const key = `${portalId}:${token}`;
    let client = this.clients.get(key);
    if (!client) {
      this.forget(portalId);
      client = new Client({ accessToken: token, basePath: this.opts.basePath, numberOfApiCallRetries: 0, httpAgent: this.agent });
      this.clients.set(key, client);
    }
    return client;
  }
};
function withTimeout(promise, ms3) {
  if (!Number.isFinite(ms3)) return promise;
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new CrmError("timeout", `HubSpot did not answer within ${Math.round(ms3)} ms`)), Math.max(1, ms3));
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// src/backend/crm/limiter.ts
import Bottleneck from "bottleneck";
var DEFAULT_LIMITS = {
  general: { burst: 10, refillEveryMs: 110 },
  search: { minTimeMs: 210 }
};
var PRIORITY = { interactive: 2, background: 7 };
var PortalLimiters = class {
  constructor(opts2 = {}) {
    this.opts = opts2;
    this.connection = opts2.redis ? new Bottleneck.IORedisConnection({ client: opts2.redis }) : void 0;
    this.sweeper = setInterval(() => void this.sweep(6e4), 3e4);
    this.sweeper.unref();
  }
  opts;
  limiters = /* @__PURE__ */ new Map();
  lastUsed = /* @__PURE__ */ new Map();
  connection;
  sweeper;
  schedule(portalId, kind, priority, fn) {
    const limiter = this.limiter(portalId, kind);
    this.lastUsed.set(`${portalId}:${kind}`, Date.now());
    return limiter.schedule({ priority: PRIORITY[priority] }, fn);
  }
  /** Disconnects limiters unused for `idleMs` with nothing queued or running. */
  async sweep(idleMs) {
    const now = Date.now();
    let dropped = 0;
    for (const [key, limiter] of this.limiters) {
      const counts = limiter.counts();
      const busy = counts.RECEIVED + counts.QUEUED + counts.RUNNING + counts.EXECUTING > 0;
      if (busy || now - (this.lastUsed.get(key) ?? 0) < idleMs) continue;
      this.limiters.delete(key);
      this.lastUsed.delete(key);
      await limiter.disconnect(false);
      dropped++;
    }
    return dropped;
  }
  get size() {
    return this.limiters.size;
  }
  /** After a 429 for this portal: stop starting calls of that kind for a while, on every instance. */
  async backOff(portalId, kind) {
    if (kind !== "general") return;
    const limiter = this.limiter(portalId, kind);
    const left = await limiter.currentReservoir() ?? 0;
    if (left > 0) await limiter.incrementReservoir(-left);
  }
  async close() {
    clearInterval(this.sweeper);
    await Promise.all([...this.limiters.values()].map((l) => l.disconnect(false)));
    this.limiters.clear();
  }
  limiter(portalId, kind) {
    const key = `${portalId}:${kind}`;
    let limiter = this.limiters.get(key);
    if (!limiter) {
      const general = this.opts.limits?.general ?? DEFAULT_LIMITS.general;
      const search = this.opts.limits?.search ?? DEFAULT_LIMITS.search;
      const settings = kind === "general" ? {
        reservoir: general.burst,
        reservoirIncreaseAmount: 1,
        reservoirIncreaseInterval: general.refillEveryMs,
        reservoirIncreaseMaximum: general.burst,
        // Bottleneck refills (and, with Redis, wakes queued jobs) only on its heartbeat,
        // 250 ms locally and 5 s with Redis by default: beat as often as we refill.
        heartbeatInterval: general.refillEveryMs
      } : { minTime: search.minTimeMs };
      limiter = new Bottleneck({
        ...settings,
        ...this.connection ? { id: `${this.opts.namespace ?? "tiller"}:limit:${key}`, datastore: "ioredis", connection: this.connection, clearDatastore: false, timeout: 6e4 } : {}
      });
      limiter.on("error", () => {
      });
      this.limiters.set(key, limiter);
    }
    return limiter;
  }
};

// src/backend/crm/mappers.ts
import { z } from "zod";
var iso = (d) => d instanceof Date ? d.toISOString() : typeof d === "string" ? d : (/* @__PURE__ */ new Date(0)).toISOString();
function toCrmRecord(r) {
  const record = {
    id: String(r.id),
    properties: { ...r.properties },
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt)
  };
  if (r.archived) record.archived = true;
  if (r.propertiesWithHistory) {
    record.propertiesWithHistory = Object.fromEntries(
      Object.entries(r.propertiesWithHistory).map(([name, list2]) => [
        name,
        list2.map((v) => ({ value: v.value, timestamp: iso(v.timestamp) }))
      ])
    );
  }
  return record;
}
function toOwner(o) {
  return {
    id: String(o.id),
    userId: o.userId ?? null,
    email: o.email ?? null,
    firstName: o.firstName ?? null,
    lastName: o.lastName ?? null,
    archived: o.archived
  };
}
function toUser(r) {
  const internal = r.properties.hs_internal_user_id;
  return {
    id: r.id,
    userId: internal ? Number(internal) : null,
    timeZone: r.properties.hs_standard_time_zone || null
  };
}
var accountSchema = z.object({ portalId: z.coerce.number(), timeZone: z.string().min(1) });
function toAccountInfo(body) {
  return accountSchema.parse(body);
}
function toPipeline(p) {
  return {
    id: p.id,
    label: p.label,
    displayOrder: p.displayOrder,
    stages: p.stages.map((s) => ({ id: s.id, label: s.label, displayOrder: s.displayOrder, metadata: { ...s.metadata ?? {} } }))
  };
}
function toPropertyDefinition(p) {
  return {
    name: p.name,
    label: p.label,
    type: p.type,
    fieldType: p.fieldType,
    options: (p.options ?? []).map((o) => ({ label: o.label, value: o.value, displayOrder: o.displayOrder ?? 0, hidden: o.hidden }))
  };
}

// src/backend/crm/gateway.ts
var SEARCH_PAGE_MAX = 200;
var BATCH_READ_MAX = 100;
var ASSOCIATIONS_BATCH_MAX = 1e3;
function createCrmGateway(opts2) {
  const limiters = new PortalLimiters({ redis: opts2.redis, namespace: opts2.namespace, limits: opts2.limits });
  const caller = new CrmCaller({
    basePath: opts2.basePath,
    tokens: opts2.tokens,
    limiters,
    callTimeoutMs: opts2.callTimeoutMs,
    now: opts2.now,
    sleep: opts2.sleep,
    onCall: opts2.onCall
  });
  const metadataTtl = opts2.metadataTtlMs ?? 5 * 6e4;
  const recordsTtl = opts2.recordsTtlMs ?? 2e4;
  const cache = new LRUCache2({
    maxSize: opts2.cacheMaxBytes ?? 64 * 1024 * 1024,
    sizeCalculation: (value) => Math.max(1, approximateSize(value)),
    ttlAutopurge: false,
    allowStale: false,
    fetchMethod: async (_key, _stale, { context }) => await context.load()
  });
  const batchers = /* @__PURE__ */ new Map();
  function cached(key, ttl, load) {
    return cache.fetch(key, { context: { load, ttl }, ttl });
  }
  function batcher(key, max, start) {
    let b = batchers.get(key);
    if (!b) {
      b = new SlotBatcher({ max, parallel: 4, start });
      batchers.set(key, b);
    }
    return b;
  }
  function portal(portalId) {
    const k = (...parts) => [portalId, ...parts].join("|");
    const call = (kind, fn) => caller.run(portalId, kind, fn);
    async function pages(fetchPage) {
      const out = [];
      let after;
      do {
        const page = await fetchPage(after);
        out.push(...page.results);
        after = page.after;
      } while (after);
      return out;
    }
    const self = {
      portalId,
      owners: () => cached(
        k("owners"),
        metadataTtl,
        () => pages(async (after) => {
          const res = await call("metadata", (c) => c.crm.owners.ownersApi.getPage(void 0, after, 100, false));
          return { results: res.results.map(toOwner), after: res.paging?.next?.after };
        })
      ),
      users: () => cached(
        k("users"),
        metadataTtl,
        () => pages(async (after) => {
          const res = await call(
            "metadata",
            (c) => c.crm.objects.basicApi.getPage("users", 100, after, ["hs_standard_time_zone", "hs_internal_user_id"])
          );
          return { results: res.results.map((r) => toUser(toCrmRecord(r))), after: res.paging?.next?.after };
        })
      ),
      account: () => cached(k("account"), metadataTtl, async () => {
        const body = await call("metadata", async (c) => {
          const res = await c.apiRequest({ method: "GET", path: "/account-info/v3/details" });
          const json = await res.json();
          if (!res.ok) throw Object.assign(new Error("account-info failed"), { code: res.status, body: json });
          return json;
        });
        return toAccountInfo(body);
      }),
      pipelines: (objectType) => cached(k("pipelines", objectType), metadataTtl, async () => {
        const res = await call("metadata", (c) => c.crm.pipelines.pipelinesApi.getAll(objectType));
        return res.results.map(toPipeline);
      }),
      properties: (objectType) => cached(k("properties", objectType), metadataTtl, async () => {
        const res = await call("metadata", (c) => c.crm.properties.coreApi.getAll(objectType, false));
        return res.results.map(toPropertyDefinition);
      }),
      search: (objectType, request) => cached(k("search", objectType, JSON.stringify(request)), recordsTtl, async () => {
        const limit = Math.min(request.limit ?? 10, SEARCH_PAGE_MAX);
        const res = await call(
          "search",
          (c) => c.crm.objects.searchApi.doSearch(objectType, {
            filterGroups: request.filterGroups,
            // The SDK types sorts as string[]; HubSpot takes objects and the serializer passes them through.
            sorts: request.sorts ?? [],
            properties: request.properties,
            limit,
            after: request.after ?? void 0,
            ...request.query ? { query: request.query } : {}
          })
        );
        return { total: res.total, results: res.results.map(toCrmRecord), after: res.paging?.next?.after ?? null };
      }),
      async scan(objectType, request, onProgress) {
        const out = [];
        let lastId = null;
        for (; ; ) {
          const filterGroups = (request.filterGroups.length ? request.filterGroups : [{ filters: [] }]).map((g) => ({
            filters: lastId ? [...g.filters, { propertyName: "hs_object_id", operator: "GT", value: lastId }] : g.filters
          }));
          const res = await call(
            "search",
            (c) => c.crm.objects.searchApi.doSearch(objectType, {
              filterGroups,
              sorts: [{ propertyName: "hs_object_id", direction: "ASCENDING" }],
              properties: request.properties,
              limit: SEARCH_PAGE_MAX,
              after: void 0,
              ...request.query ? { query: request.query } : {}
            })
          );
          out.push(...res.results.map(toCrmRecord));
          onProgress?.(out.length);
          if (res.results.length < SEARCH_PAGE_MAX || !res.paging?.next) return out;
          lastId = res.results[res.results.length - 1].id;
        }
      },
      async batchRead(objectType, ids, properties, propertiesWithHistory = []) {
        const unique = [...new Set(ids)];
        const propsKey = `${[...properties].sort().join(",")}#${[...propertiesWithHistory].sort().join(",")}`;
        const out = /* @__PURE__ */ new Map();
        const missing = [];
        for (const id2 of unique) {
          const hit = cache.get(k("record", objectType, propsKey, id2));
          if (hit === void 0) missing.push(id2);
          else if (!("absent" in hit)) out.set(id2, hit);
        }
        if (missing.length === 0) return out;
        const b = batcher(k("batchRead", objectType, propsKey), BATCH_READ_MAX, async (take) => {
          const res = await call(
            "batch",
            (c) => c.crm.objects.batchApi.read(objectType, {
              inputs: take().map((id2) => ({ id: id2 })),
              properties,
              propertiesWithHistory
            })
          );
          return new Map(res.results.map((r) => [r.id, toCrmRecord(r)]));
        });
        const loaded = await b.loadMany(missing);
        loaded.forEach((r, i) => {
          const id2 = missing[i];
          cache.set(k("record", objectType, propsKey, id2), r ?? { absent: true }, { ttl: recordsTtl });
          if (r) out.set(id2, r);
        });
        return out;
      },
      async associations(fromType, toType, ids) {
        const unique = [...new Set(ids)];
        const out = /* @__PURE__ */ new Map();
        const missing = [];
        for (const id2 of unique) {
          const hit = cache.get(k("assoc", fromType, toType, id2));
          if (hit) out.set(id2, hit.ids);
          else missing.push(id2);
        }
        if (missing.length === 0) return out;
        const b = batcher(k("assoc", fromType, toType), ASSOCIATIONS_BATCH_MAX, async (take) => {
          const found = /* @__PURE__ */ new Map();
          let batchIds = [];
          let inputs2 = null;
          while (inputs2 === null || inputs2.length) {
            const res = await call("associations", (c) => {
              if (inputs2 === null) {
                batchIds = take();
                inputs2 = batchIds.map((id2) => ({ id: id2 }));
              }
              return c.crm.associations.v4.batchApi.getPage(fromType, toType, { inputs: inputs2 });
            });
            const next = [];
            for (const r of res.results) {
              const from = String(r._from.id);
              const list2 = found.get(from) ?? [];
              list2.push(...r.to.map((t) => String(t.toObjectId)));
              found.set(from, list2);
              if (r.paging?.next?.after) next.push({ id: from, after: r.paging.next.after });
            }
            inputs2 = next;
          }
          return new Map(batchIds.map((id2) => [id2, [...new Set(found.get(id2) ?? [])]]));
        });
        const loaded = await b.loadMany(missing);
        loaded.forEach((r, i) => {
          const id2 = missing[i];
          const ids2 = r ?? [];
          cache.set(k("assoc", fromType, toType, id2), { ids: ids2 }, { ttl: recordsTtl });
          out.set(id2, ids2);
        });
        return out;
      },
      async getRecord(objectType, id2, properties) {
        try {
          const res = await call("read", (c) => c.crm.objects.basicApi.getById(objectType, id2, properties));
          return toCrmRecord(res);
        } catch (err2) {
          if (err2 instanceof CrmError && err2.kind === "not-found") return null;
          throw err2;
        }
      }
    };
    return self;
  }
  return {
    portal,
    invalidate(portalId, objectType) {
      const prefix = objectType ? `${portalId}|` : `${portalId}|`;
      for (const key of cache.keys()) {
        if (!key.startsWith(prefix)) continue;
        if (!objectType || key.split("|").includes(objectType)) cache.delete(key);
      }
    },
    cacheStats: () => ({ entries: cache.size, bytes: cache.calculatedSize }),
    async close() {
      cache.clear();
      await limiters.close();
    }
  };
}
function approximateSize(value) {
  try {
    return JSON.stringify(value)?.length ?? 16;
  } catch {
    return 1024;
  }
}

// src/backend/storage/database.ts
import { mkdir } from "node:fs/promises";
import { PGlite, types as pgliteTypes } from "@electric-sql/pglite";
import pg from "pg";

// src/backend/storage/migrate.ts
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
var MigrationError = class extends Error {
  name = "MigrationError";
};
var FILE_NAME = /^(\d{3})_[a-z0-9_]+\.sql$/;
var MIGRATIONS_DIR = fileURLToPath(new URL("./migrations", import.meta.url));
async function loadMigrations(dir = MIGRATIONS_DIR) {
  const files = (await readdir(dir)).filter((f) => f.endsWith(".sql")).sort();
  const migrations = [];
  for (const file of files) {
    const match = FILE_NAME.exec(file);
    if (!match) throw new MigrationError(`Migration file "${file}" must be named NNN_lower_snake.sql`);
    const version = Number(match[1]);
    const clash = migrations.find((m) => m.version === version);
    if (clash) throw new MigrationError(`Migrations "${clash.name}" and "${file}" share number ${match[1]}`);
    const sql = await readFile(`${dir}/${file}`, "utf8");
    migrations.push({ version, name: file, sql, checksum: createHash("sha256").update(sql).digest("hex") });
  }
  return migrations;
}
async function migrate(db2, opts2 = {}) {
  const migrations = [...opts2.migrations ?? await loadMigrations()].sort((a, b) => a.version - b.version);
  const logger = opts2.logger;
  return db2.withLock("migrate", async (session) => {
    if (db2.schema) await session.exec(`create schema if not exists ${db2.schema}`);
    await session.exec(`
      create table if not exists schema_migrations (
        version    integer primary key,
        name       text not null,
        checksum   text not null,
        applied_at timestamptz not null default now()
      )`);
    const applied = new Map(
      (await session.query("select version, name, checksum from schema_migrations")).map((r) => [r.version, r])
    );
    for (const [version, row] of applied) {
      const known = migrations.find((m) => m.version === version);
      if (!known) logger?.warn({ migration: row.name }, "database has a migration this code does not know (newer release?)");
      else if (known.checksum !== row.checksum)
        logger?.warn({ migration: known.name }, "migration file changed after it was applied; the change is not re-applied");
    }
    const done = [];
    for (const m of migrations) {
      if (applied.has(m.version)) continue;
      try {
        await session.transaction(async (tx) => {
          await tx.exec(m.sql);
          await tx.query("insert into schema_migrations (version, name, checksum) values ($1, $2, $3)", [
            m.version,
            m.name,
            m.checksum
          ]);
        });
      } catch (err2) {
        const detail = err2 instanceof Error ? err2.message : String(err2);
        throw new MigrationError(
          `Migration ${m.name} failed and was rolled back; start-up stopped (${db2.kind}${db2.schema ? `, schema ${db2.schema}` : ""}): ${detail}`,
          { cause: err2 }
        );
      }
      logger?.info({ migration: m.name, kind: db2.kind }, "migration applied");
      done.push(m.name);
    }
    return done;
  });
}

// src/backend/storage/database.ts
var silentLogger = { info() {
}, warn() {
}, error() {
} };
var SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
var OID = { int8: 20, int8Array: 1016, textArray: 1009, date: 1082, dateArray: 1182 };
function parseInt8(value) {
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : BigInt(value);
}
async function createDatabase(opts2 = {}) {
  const logger = opts2.logger ?? silentLogger;
  if (opts2.schema !== void 0 && !SCHEMA_NAME.test(opts2.schema)) {
    throw new Error(`Invalid schema name "${opts2.schema}": use lower-case letters, digits and _`);
  }
  const db2 = opts2.databaseUrl ? openPostgres(opts2.databaseUrl, opts2.schema, opts2.maxConnections ?? 10, logger) : await openPglite(opts2.dataDir, opts2.schema);
  if (opts2.migrate ?? true) {
    try {
      await migrate(db2, { logger });
    } catch (err2) {
      await db2.close().catch(() => {
      });
      throw err2;
    }
  }
  return db2;
}
function queryable(run) {
  return {
    query: (sql, params) => run.query(sql, params),
    async one(sql, params) {
      const rows = await run.query(sql, params);
      if (rows.length !== 1) throw new Error(`Expected exactly one row, got ${rows.length}: ${firstLine(sql)}`);
      return rows[0];
    },
    async maybeOne(sql, params) {
      const rows = await run.query(sql, params);
      if (rows.length > 1) throw new Error(`Expected at most one row, got ${rows.length}: ${firstLine(sql)}`);
      return rows[0];
    },
    exec: (sql) => run.exec(sql)
  };
}
function firstLine(sql) {
  return sql.trim().split("\n")[0]?.slice(0, 120) ?? "";
}
async function openPglite(dataDir, schema2) {
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const pglite = await PGlite.create(dataDir, {
    // Smaller buffers than PGlite's defaults: ~140 MB less resident memory, ample for our tables.
    postgresqlconf: ["shared_buffers = 8MB", "wal_buffers = 1MB", "work_mem = 4MB", "maintenance_work_mem = 16MB"],
    parsers: {
      [pgliteTypes.INT8]: parseInt8,
      [OID.date]: (v) => v
    }
  });
  if (schema2) {
    await pglite.exec(`create schema if not exists ${schema2}; set search_path to ${schema2};`);
  }
  const runner = (q) => ({
    async query(sql, params) {
      const res = await q.query(sql, params ? [...params] : void 0);
      return res.rows;
    },
    async exec(sql) {
      await q.exec(sql);
    }
  });
  const base2 = queryable(runner(pglite));
  const session = {
    ...base2,
    transaction: (fn) => pglite.transaction((tx) => fn(queryable(runner(tx))))
  };
  const locks = /* @__PURE__ */ new Map();
  return {
    ...session,
    kind: "pglite",
    schema: schema2,
    async withLock(key, fn) {
      for (; ; ) {
        const held = locks.get(key);
        if (!held) break;
        await held.catch(() => {
        });
      }
      const run = fn(session);
      locks.set(key, run);
      try {
        return await run;
      } finally {
        locks.delete(key);
      }
    },
    async tryLock(key, fn) {
      if (locks.has(key)) return { acquired: false };
      const run = fn(session);
      locks.set(key, run);
      try {
        return { acquired: true, value: await run };
      } finally {
        locks.delete(key);
      }
    },
    close: () => pglite.close()
  };
}
function openPostgres(url, schema2, max, logger) {
  const typeOverrides = new pg.TypeOverrides();
  typeOverrides.setTypeParser(OID.int8, parseInt8);
  const getParser = pg.types.getTypeParser;
  const textArray = getParser(OID.textArray);
  typeOverrides.setTypeParser(OID.int8Array, (v) => textArray(v).map((x) => x === null ? null : parseInt8(x)));
  typeOverrides.setTypeParser(OID.date, (v) => v);
  typeOverrides.setTypeParser(OID.dateArray, textArray);
  const pool = new pg.Pool({
    connectionString: url,
    max,
    types: typeOverrides,
    // A startup parameter, so every pooled connection has it before its first query.
    ...schema2 ? { options: `-c search_path=${schema2}` } : {}
  });
  pool.on("error", (err2) => logger.error({ err: err2 }, "idle PostgreSQL connection failed"));
  const runner = (q) => ({
    async query(sql, params) {
      const res = await q.query(sql, params ? [...params] : void 0);
      return res.rows;
    },
    async exec(sql) {
      await q.query(sql);
    }
  });
  const clientSession = (client, poison) => ({
    ...queryable(runner(client)),
    async transaction(fn) {
      await client.query("begin");
      try {
        const value = await fn(queryable(runner(client)));
        await client.query("commit");
        return value;
      } catch (err2) {
        await client.query("rollback").catch(poison);
        throw err2;
      }
    }
  });
  async function withClient(fn) {
    const client = await pool.connect();
    let poisoned = false;
    try {
      return await fn(client, () => {
        poisoned = true;
      });
    } finally {
      client.release(poisoned);
    }
  }
  async function holding(client, poison, name, fn) {
    try {
      return await fn(clientSession(client, poison));
    } finally {
      await client.query("select pg_advisory_unlock(hashtext($1))", [name]).catch(poison);
    }
  }
  return {
    ...queryable(runner(pool)),
    kind: "postgres",
    schema: schema2,
    transaction: (fn) => withClient((client, poison) => clientSession(client, poison).transaction(fn)),
    withLock: (key, fn) => withClient(async (client, poison) => {
      const name = lockName(schema2, key);
      await client.query("select pg_advisory_lock(hashtext($1))", [name]);
      return holding(client, poison, name, fn);
    }),
    tryLock: (key, fn) => withClient(async (client, poison) => {
      const name = lockName(schema2, key);
      const { rows } = await client.query("select pg_try_advisory_lock(hashtext($1)) as ok", [name]);
      if (!rows[0]?.ok) return { acquired: false };
      return { acquired: true, value: await holding(client, poison, name, fn) };
    }),
    close: () => pool.end()
  };
}
function lockName(schema2, key) {
  return `tiller:${schema2 ?? ""}:${key}`;
}

// src/backend/storage/guided-actions-repo.ts
var FEEDBACK_ANSWERS = ["YES_CONTINUE", "NOT_REALLY"];
function actionKey(ruleId, recordKey2) {
  return `${ruleId}|${recordKey2}`;
}
var STATE_COLUMNS = "rule_id, record_key, first_seen_at, last_seen_at, expired_at, expired_reason, association_snapshot";
function toState(r) {
  return {
    ruleId: r.rule_id,
    recordKey: r.record_key,
    firstSeenAt: r.first_seen_at,
    lastSeenAt: r.last_seen_at,
    expiredAt: r.expired_at,
    expiredReason: r.expired_reason,
    snapshot: r.association_snapshot
  };
}
function toFeedback(r) {
  return { ruleId: r.rule_id, recordKey: r.record_key, answer: r.answer, answeredAt: r.answered_at };
}
function byKey(values) {
  return new Map(values.map((v) => [actionKey(v.ruleId, v.recordKey), v]));
}
function refsJson(items, pick) {
  const unique = /* @__PURE__ */ new Map();
  for (const item of items) {
    const key = actionKey(item.ruleId, item.recordKey);
    if (!unique.has(key)) unique.set(key, { rule_id: item.ruleId, record_key: item.recordKey, ...pick(item) });
  }
  return JSON.stringify([...unique.values()]);
}
function createGuidedActionsRepo(db2) {
  return {
    async loadState(portalId, userId) {
      const rows = await db2.query(
        `select ${STATE_COLUMNS} from guided_action_state where portal_id = $1 and user_id = $2`,
        [portalId, userId]
      );
      return byKey(rows.map(toState));
    },
    async recordSeen(portalId, userId, items, now) {
      if (items.length === 0) return /* @__PURE__ */ new Map();
      const rows = await db2.query(
        `insert into guided_action_state as s
           (portal_id, user_id, rule_id, record_key, first_seen_at, last_seen_at, association_snapshot)
         select $1, $2, x.rule_id, x.record_key, $4, $4, x.snapshot
           from jsonb_to_recordset($3::jsonb) as x(rule_id text, record_key text, snapshot jsonb)
         on conflict (portal_id, user_id, rule_id, record_key) do update set
           first_seen_at = least(s.first_seen_at, excluded.first_seen_at),
           last_seen_at = greatest(s.last_seen_at, excluded.last_seen_at),
           association_snapshot = coalesce(s.association_snapshot, excluded.association_snapshot)
         returning ${STATE_COLUMNS}`,
        [portalId, userId, refsJson(items, (i) => ({ snapshot: i.snapshot ?? null })), now]
      );
      return byKey(rows.map(toState));
    },
    async markExpired(portalId, userId, items, now) {
      if (items.length === 0) return;
      await db2.query(
        `insert into guided_action_state as s
           (portal_id, user_id, rule_id, record_key, first_seen_at, last_seen_at, expired_at, expired_reason)
         select $1, $2, x.rule_id, x.record_key, $4, $4, $4, x.reason
           from jsonb_to_recordset($3::jsonb) as x(rule_id text, record_key text, reason text)
         on conflict (portal_id, user_id, rule_id, record_key) do update set
           expired_at = excluded.expired_at,
           expired_reason = excluded.expired_reason
         where s.expired_at is null`,
        [portalId, userId, refsJson(items, (i) => ({ reason: i.reason })), now]
      );
    },
    async clearExpired(portalId, userId, refs) {
      if (refs.length === 0) return 0;
      const rows = await db2.query(
        `delete from guided_action_state s
          using jsonb_to_recordset($3::jsonb) as x(rule_id text, record_key text)
          where s.portal_id = $1 and s.user_id = $2 and s.rule_id = x.rule_id and s.record_key = x.record_key
            and s.expired_at is not null
         returning s.rule_id`,
        [portalId, userId, refsJson(refs, () => ({}))]
      );
      return rows.length;
    },
    async forget(portalId, userId, refs) {
      if (refs.length === 0) return 0;
      const rows = await db2.query(
        `delete from guided_action_state s
          using jsonb_to_recordset($3::jsonb) as x(rule_id text, record_key text)
          where s.portal_id = $1 and s.user_id = $2 and s.rule_id = x.rule_id and s.record_key = x.record_key
         returning s.rule_id`,
        [portalId, userId, refsJson(refs, () => ({}))]
      );
      return rows.length;
    },
    async setFeedback(portalId, userId, ref, answer, answeredAt) {
      if (!FEEDBACK_ANSWERS.includes(answer)) throw new Error(`Unknown feedback answer "${String(answer)}"`);
      await db2.query(
        `insert into guided_action_feedback as f (portal_id, user_id, rule_id, record_key, answer, answered_at)
         values ($1, $2, $3, $4, $5, $6)
         on conflict (portal_id, user_id, rule_id, record_key) do update set
           answer = excluded.answer,
           answered_at = excluded.answered_at
         where excluded.answered_at >= f.answered_at`,
        [portalId, userId, ref.ruleId, ref.recordKey, answer, answeredAt]
      );
      const row = await db2.one(
        `select rule_id, record_key, answer, answered_at from guided_action_feedback
          where portal_id = $1 and user_id = $2 and rule_id = $3 and record_key = $4`,
        [portalId, userId, ref.ruleId, ref.recordKey]
      );
      return toFeedback(row);
    },
    async loadRemembered(portalId, userId) {
      const rows = await db2.query(
        `select coalesce(s.rule_id, f.rule_id) as rule_id, coalesce(s.record_key, f.record_key) as record_key,
                s.first_seen_at, s.expired_at, s.occurrence, s.association_snapshot, s.cleared_at, f.answer, f.answered_at
           from (select * from guided_action_state where portal_id = $1 and user_id = $2) s
           full outer join (select * from guided_action_feedback where portal_id = $1 and user_id = $2) f
             on f.rule_id = s.rule_id and f.record_key = s.record_key`,
        [portalId, userId]
      );
      const entries = [];
      const feedback = /* @__PURE__ */ new Map();
      for (const r of rows) {
        if (r.first_seen_at)
          entries.push({
            ruleId: r.rule_id,
            recordKey: r.record_key,
            firstSeenAt: r.first_seen_at,
            expiredAt: r.expired_at,
            occurrence: r.occurrence,
            snapshot: r.association_snapshot,
            clearedAt: r.cleared_at
          });
        if (r.answer && r.answered_at)
          feedback.set(actionKey(r.rule_id, r.record_key), { ruleId: r.rule_id, recordKey: r.record_key, answer: r.answer, answeredAt: r.answered_at });
      }
      return { entries, feedback };
    },
    async saveEvaluation(portalId, userId, write, now) {
      if (write.seen.length === 0 && write.cleared.length === 0) return;
      const iso3 = (d) => d ? d.toISOString() : null;
      const seen = refsJson(write.seen, (i) => ({
        first_seen_at: iso3(i.firstSeenAt),
        expired_at: iso3(i.expiredAt),
        expired_reason: i.expiredAt ? i.expiredReason ?? null : null,
        occurrence: i.occurrence,
        snapshot: i.snapshot ?? null
      }));
      const cleared = refsJson(write.cleared, (i) => ({ cleared_at: iso3(i.clearedAt) }));
      await db2.query(
        `with seen as (
           insert into guided_action_state as s
             (portal_id, user_id, rule_id, record_key, first_seen_at, last_seen_at, expired_at, expired_reason,
              association_snapshot, occurrence, cleared_at)
           select $1, $2, x.rule_id, x.record_key, x.first_seen_at, $5, x.expired_at, x.expired_reason, x.snapshot, x.occurrence, null
             from jsonb_to_recordset($3::jsonb) as x(rule_id text, record_key text, first_seen_at timestamptz,
                  expired_at timestamptz, expired_reason text, occurrence text, snapshot jsonb)
           on conflict (portal_id, user_id, rule_id, record_key) do update set
             first_seen_at = case when s.cleared_at is null and (s.occurrence is null or s.occurrence = excluded.occurrence)
                                  then least(s.first_seen_at, excluded.first_seen_at) else excluded.first_seen_at end,
             expired_at = case when s.cleared_at is null and (s.occurrence is null or s.occurrence = excluded.occurrence)
                               then coalesce(s.expired_at, excluded.expired_at) else excluded.expired_at end,
             expired_reason = case when s.cleared_at is null and (s.occurrence is null or s.occurrence = excluded.occurrence)
                                   then (case when s.expired_at is not null then s.expired_reason else excluded.expired_reason end)
                                   else excluded.expired_reason end,
             association_snapshot = case when s.cleared_at is null and (s.occurrence is null or s.occurrence = excluded.occurrence)
                                         then coalesce(excluded.association_snapshot, s.association_snapshot)
                                         else excluded.association_snapshot end,
             last_seen_at = greatest(s.last_seen_at, excluded.last_seen_at),
             occurrence = excluded.occurrence,
             cleared_at = null
           returning 1
         ), cleared as (
           update guided_action_state s set
             cleared_at = x.cleared_at, expired_at = null, expired_reason = null, occurrence = null, association_snapshot = null
             from jsonb_to_recordset($4::jsonb) as x(rule_id text, record_key text, cleared_at timestamptz)
            where s.portal_id = $1 and s.user_id = $2 and s.rule_id = x.rule_id and s.record_key = x.record_key
              and s.cleared_at is null
           returning 1
         )
         select (select count(*) from seen) as seen, (select count(*) from cleared) as cleared`,
        [portalId, userId, seen, cleared, now]
      );
    },
    async getFeedback(portalId, userId) {
      const rows = await db2.query(
        `select rule_id, record_key, answer, answered_at from guided_action_feedback
          where portal_id = $1 and user_id = $2`,
        [portalId, userId]
      );
      return byKey(rows.map(toFeedback));
    }
  };
}

// src/backend/storage/settings-repo.ts
function createSettingsRepo(db2) {
  return {
    async getSetting(portalId, key) {
      const row = await db2.maybeOne("select value from portal_settings where portal_id = $1 and key = $2", [
        portalId,
        key
      ]);
      return row?.value;
    },
    async getSettings(portalId) {
      const rows = await db2.query("select key, value from portal_settings where portal_id = $1", [
        portalId
      ]);
      return new Map(rows.map((r) => [r.key, r.value]));
    },
    async putSetting(portalId, key, value, now) {
      if (value === void 0) throw new Error(`Setting "${key}" cannot be undefined; store null instead`);
      await db2.query(
        `insert into portal_settings (portal_id, key, value, updated_at) values ($1, $2, $3::jsonb, $4)
         on conflict (portal_id, key) do update set value = excluded.value, updated_at = excluded.updated_at`,
        [portalId, key, JSON.stringify(value), now]
      );
    }
  };
}

// src/backend/storage/health-repo.ts
var toProfile = (r) => ({
  id: r.id,
  version: r.version,
  name: r.name,
  objectType: r.object_type,
  isDefault: r.is_default,
  profile: r.profile,
  updatedAt: r.updated_at
});
var toRun = (r) => ({
  id: r.id,
  kind: r.kind,
  status: r.status,
  asOf: r.as_of,
  requestedAt: r.requested_at,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  total: r.total,
  scored: r.scored,
  attempts: r.attempts,
  stats: r.stats,
  warnings: r.warnings,
  error: r.error
});
var toState2 = (r) => ({
  objectType: r.object_type,
  objectId: r.object_id,
  label: r.label,
  ownerId: r.owner_id,
  runId: r.run_id,
  at: r.at,
  profileVersion: r.profile_version,
  score: r.score,
  category: r.category,
  confirmedCategory: r.confirmed_category,
  input: r.input,
  recent: r.recent,
  change: r.change
});
var PROFILE_COLUMNS = "id, version, name, object_type, is_default, profile, updated_at";
var RUN_COLUMNS = "id, kind, status, as_of, requested_at, started_at, finished_at, total, scored, attempts, stats, warnings, error";
var ALERT_COLUMNS = "id, profile_id, object_type, object_id, label, owner_id, from_category, to_category, raised_at, expires_at, deltas, backfilled";
var toAlert = (r) => ({
  id: r.id,
  profileId: r.profile_id,
  objectType: r.object_type,
  objectId: r.object_id,
  label: r.label,
  ownerId: r.owner_id,
  from: r.from_category,
  to: r.to_category,
  raisedAt: r.raised_at,
  expiresAt: r.expires_at,
  deltas: r.deltas,
  backfilled: r.backfilled
});
function createHealthRepo(db2) {
  return {
    async listProfiles(portalId) {
      const rows = await db2.query(
        `select ${PROFILE_COLUMNS} from health_profiles where portal_id = $1 and deleted_at is null order by is_default desc, id`,
        [portalId]
      );
      return rows.map(toProfile);
    },
    async getProfile(portalId, id2) {
      const row = await db2.maybeOne(
        `select ${PROFILE_COLUMNS} from health_profiles where portal_id = $1 and id = $2 and deleted_at is null`,
        [portalId, id2]
      );
      return row && toProfile(row);
    },
    async getProfileVersion(portalId, id2, version) {
      const row = await db2.maybeOne(
        "select profile from health_profile_versions where portal_id = $1 and id = $2 and version = $3",
        [portalId, id2, version]
      );
      return row?.profile;
    },
    async insertProfile(portalId, p, now) {
      const rows = await db2.query(
        `with ins as (
           insert into health_profiles (portal_id, id, version, name, object_type, is_default, profile, updated_at)
           values ($1, $2, $3, $4, $5, $6, $7::jsonb, $8)
           on conflict (portal_id, id) do nothing
           returning portal_id, id, version, profile, updated_at)
         insert into health_profile_versions (portal_id, id, version, profile, created_at)
         select portal_id, id, version, profile, updated_at from ins
         on conflict do nothing
         returning id`,
        [portalId, p.id, p.profile.version, p.name, p.objectType, p.isDefault, JSON.stringify(p.profile), now]
      );
      return rows.length === 1;
    },
    async updateProfile(portalId, id2, expectedVersion, p, now) {
      const rows = await db2.query(
        `with upd as (
           update health_profiles set version = $4, name = $5, object_type = $6, profile = $7::jsonb, updated_at = $8
            where portal_id = $1 and id = $2 and version = $3 and deleted_at is null
           returning portal_id, id, version, profile, updated_at)
         insert into health_profile_versions (portal_id, id, version, profile, created_at)
         select portal_id, id, version, profile, updated_at from upd
         returning id`,
        [portalId, id2, expectedVersion, p.profile.version, p.name, p.objectType, JSON.stringify(p.profile), now]
      );
      if (rows.length === 1) return "ok";
      const exists = await db2.maybeOne("select 1 from health_profiles where portal_id = $1 and id = $2 and deleted_at is null", [portalId, id2]);
      return exists ? "conflict" : "missing";
    },
    async deleteProfile(portalId, id2, now) {
      const rows = await db2.query(
        "update health_profiles set deleted_at = $3 where portal_id = $1 and id = $2 and deleted_at is null returning id",
        [portalId, id2, now]
      );
      return rows.length === 1;
    },
    async createRun(portalId, run) {
      await db2.query(
        `insert into health_runs (portal_id, id, kind, status, as_of, requested_at) values ($1, $2, $3, 'queued', $4, $5)
         on conflict do nothing`,
        [portalId, run.id, run.kind, run.asOf, run.requestedAt]
      );
    },
    async getRun(portalId, id2) {
      const row = await db2.maybeOne(`select ${RUN_COLUMNS} from health_runs where portal_id = $1 and id = $2`, [portalId, id2]);
      return row && toRun(row);
    },
    async unfinishedRun(portalId) {
      const rows = await db2.query(
        `select ${RUN_COLUMNS} from health_runs where portal_id = $1 and status in ('queued', 'running')
          order by requested_at, id limit 1`,
        [portalId]
      );
      return rows[0] && toRun(rows[0]);
    },
    async lastFinishedRun(portalId) {
      const rows = await db2.query(
        `select ${RUN_COLUMNS} from health_runs where portal_id = $1 and status in ('done', 'failed')
          order by requested_at desc, id desc limit 1`,
        [portalId]
      );
      return rows[0] && toRun(rows[0]);
    },
    async updateRun(portalId, id2, patch) {
      await db2.query(
        `update health_runs set
           status = coalesce($3, status),
           started_at = coalesce($4, started_at),
           finished_at = coalesce($5, finished_at),
           total = coalesce($6, total),
           scored = coalesce($7, scored),
           stats = coalesce($8::jsonb, stats),
           warnings = coalesce($9::jsonb, warnings),
           error = coalesce($10, error),
           attempts = attempts + $11
         where portal_id = $1 and id = $2`,
        [
          portalId,
          id2,
          patch.status ?? null,
          patch.startedAt ?? null,
          patch.finishedAt ?? null,
          patch.total ?? null,
          patch.scored ?? null,
          patch.stats === void 0 ? null : JSON.stringify(patch.stats),
          patch.warnings === void 0 ? null : JSON.stringify(patch.warnings),
          patch.error ?? null,
          patch.attempt ? 1 : 0
        ]
      );
    },
    async loadStates(portalId, profileId) {
      const rows = await db2.query(
        "select object_type, object_id, run_id, recent, change, at from health_record_state where portal_id = $1 and profile_id = $2",
        [portalId, profileId]
      );
      return new Map(rows.map((r) => [`${r.object_type}:${r.object_id}`, { runId: r.run_id, recent: r.recent, change: r.change, at: r.at }]));
    },
    async getState(portalId, profileId, objectType, objectId) {
      const row = await db2.maybeOne(
        `select object_type, object_id, label, owner_id, run_id, at, profile_version, score, category, confirmed_category, input, recent, change
           from health_record_state where portal_id = $1 and profile_id = $2 and object_type = $3 and object_id = $4`,
        [portalId, profileId, objectType, objectId]
      );
      return row && toState2(row);
    },
    async loadInputs(portalId, profileId) {
      const rows = await db2.query(
        "select object_id, input from health_record_state where portal_id = $1 and profile_id = $2 order by object_id",
        [portalId, profileId]
      );
      return rows.map((r) => ({ objectId: r.object_id, input: r.input }));
    },
    async hasSnapshots(portalId, profileId) {
      const row = await db2.maybeOne("select 1 from health_snapshots where portal_id = $1 and profile_id = $2 limit 1", [portalId, profileId]);
      return row !== void 0;
    },
    async writeScores(portalId, profileId, items) {
      if (items.length === 0) return;
      const snapshots = items.map((i) => ({
        object_type: i.objectType,
        object_id: i.objectId,
        run_id: i.runId,
        at: i.at.toISOString(),
        profile_version: i.profileVersion,
        score: i.score,
        category: i.category,
        confirmed_category: i.confirmedCategory,
        owner_id: i.ownerId,
        backfilled: i.backfilled,
        criteria: i.criteria
      }));
      await db2.query(
        `insert into health_snapshots (portal_id, profile_id, object_type, object_id, run_id, at, profile_version, score, category,
                                       confirmed_category, owner_id, backfilled, criteria)
         select $1, $2, x.object_type, x.object_id, x.run_id, x.at, x.profile_version, x.score, x.category, x.confirmed_category,
                x.owner_id, x.backfilled, x.criteria
           from jsonb_to_recordset($3::jsonb) as x(object_type text, object_id text, run_id text, at timestamptz, profile_version int,
                score int, category text, confirmed_category text, owner_id text, backfilled boolean, criteria jsonb)
         on conflict do nothing`,
        [portalId, profileId, JSON.stringify(snapshots)]
      );
      const states = /* @__PURE__ */ new Map();
      for (const i of items) {
        if (!i.state) continue;
        states.set(`${i.objectType}:${i.objectId}`, {
          object_type: i.objectType,
          object_id: i.objectId,
          label: i.label,
          owner_id: i.ownerId,
          run_id: i.runId,
          at: i.at.toISOString(),
          profile_version: i.profileVersion,
          score: i.score,
          category: i.category,
          confirmed_category: i.confirmedCategory,
          input: i.state.input,
          recent: i.state.recent,
          change: i.state.change ?? null
        });
      }
      if (states.size > 0) {
        await db2.query(
          `insert into health_record_state as s (portal_id, profile_id, object_type, object_id, label, owner_id, run_id, at, profile_version,
                                                 score, category, confirmed_category, input, recent, change)
           select $1, $2, x.object_type, x.object_id, x.label, x.owner_id, x.run_id, x.at, x.profile_version, x.score, x.category,
                  x.confirmed_category, x.input, x.recent, x.change
             from jsonb_to_recordset($3::jsonb) as x(object_type text, object_id text, label text, owner_id text, run_id text,
                  at timestamptz, profile_version int, score int, category text, confirmed_category text, input jsonb, recent jsonb, change jsonb)
           on conflict (portal_id, profile_id, object_type, object_id) do update set
             label = excluded.label, owner_id = excluded.owner_id, run_id = excluded.run_id, at = excluded.at,
             profile_version = excluded.profile_version, score = excluded.score, category = excluded.category,
             confirmed_category = excluded.confirmed_category, input = excluded.input, recent = excluded.recent, change = excluded.change
           where s.at <= excluded.at`,
          [portalId, profileId, JSON.stringify([...states.values()])]
        );
      }
      const alerts = items.flatMap(
        (i) => i.alert ? [{
          id: i.alert.id,
          object_type: i.objectType,
          object_id: i.objectId,
          label: i.label,
          owner_id: i.ownerId,
          run_id: i.runId,
          from_category: i.alert.from,
          to_category: i.alert.to,
          raised_at: i.alert.raisedAt.toISOString(),
          expires_at: i.alert.expiresAt.toISOString(),
          deltas: i.alert.deltas,
          backfilled: i.backfilled
        }] : []
      );
      if (alerts.length > 0) {
        await db2.query(
          `insert into health_alerts (portal_id, id, profile_id, object_type, object_id, label, owner_id, run_id, from_category, to_category,
                                      raised_at, expires_at, deltas, backfilled)
           select $1, x.id, $2, x.object_type, x.object_id, x.label, x.owner_id, x.run_id, x.from_category, x.to_category, x.raised_at,
                  x.expires_at, x.deltas, x.backfilled
             from jsonb_to_recordset($3::jsonb) as x(id text, object_type text, object_id text, label text, owner_id text, run_id text,
                  from_category text, to_category text, raised_at timestamptz, expires_at timestamptz, deltas jsonb, backfilled boolean)
           on conflict do nothing`,
          [portalId, profileId, JSON.stringify(alerts)]
        );
      }
    },
    async writeRunTotals(portalId, profileId, runId) {
      await db2.query(
        `insert into health_run_totals as t (portal_id, profile_id, run_id, owner_id, at, profile_version, score_sum, count, backfilled)
         select portal_id, profile_id, run_id, coalesce(owner_id, ''), max(at), max(profile_version), sum(score), count(*), bool_or(backfilled)
           from health_snapshots where portal_id = $1 and profile_id = $2 and run_id = $3
          group by portal_id, profile_id, run_id, coalesce(owner_id, '')
         on conflict (portal_id, profile_id, run_id, owner_id) do update set
           at = excluded.at, profile_version = excluded.profile_version, score_sum = excluded.score_sum, count = excluded.count`,
        [portalId, profileId, runId]
      );
    },
    async scores(portalId, profileId, ownerId) {
      const rows = await db2.query(
        `select score from health_record_state where portal_id = $1 and profile_id = $2 and ($3::text is null or owner_id = $3)`,
        [portalId, profileId, ownerId]
      );
      return rows.map((r) => r.score);
    },
    async runTotals(portalId, profileId, ownerId, since) {
      const rows = await db2.query(
        `select run_id, max(at) as at, max(profile_version) as profile_version, sum(score_sum)::bigint as score_sum,
                sum(count)::int as count, bool_or(backfilled) as backfilled
           from health_run_totals
          where portal_id = $1 and profile_id = $2 and ($3::text is null or owner_id = $3) and at >= $4
          group by run_id order by max(at)`,
        [portalId, profileId, ownerId, since]
      );
      return rows.map((r) => ({ runId: r.run_id, at: r.at, profileVersion: r.profile_version, scoreSum: Number(r.score_sum), count: r.count, backfilled: r.backfilled }));
    },
    async customers(portalId, profileId, ownerId, category2, after, limit) {
      const rows = await db2.query(
        `select object_type, object_id, label, score, category, at from health_record_state
          where portal_id = $1 and profile_id = $2 and ($3::text is null or owner_id = $3) and ($4::text is null or category = $4)
            and ($5::int is null or (score, object_id) > ($5::int, $6::text))
          order by score, object_id limit $7`,
        [portalId, profileId, ownerId, category2, after?.score ?? null, after?.objectId ?? "", limit]
      );
      return rows.map((r) => ({ objectType: r.object_type, objectId: r.object_id, label: r.label, score: r.score, category: r.category, at: r.at }));
    },
    async activeAlerts(portalId, ownerId, now, after, limit) {
      const rows = await db2.query(
        `select ${ALERT_COLUMNS} from health_alerts
          where portal_id = $1 and ($2::text is null or owner_id = $2) and expires_at > $3
            and ($4::timestamptz is null or (raised_at, id) < ($4::timestamptz, $5::text))
          order by raised_at desc, id desc limit $6`,
        [portalId, ownerId, now, after?.raisedAt ?? null, after?.id ?? "", limit]
      );
      return rows.map(toAlert);
    },
    async lastAlert(portalId, profileId, objectType, objectId) {
      const rows = await db2.query(
        `select ${ALERT_COLUMNS} from health_alerts where portal_id = $1 and profile_id = $2 and object_type = $3 and object_id = $4
          order by raised_at desc limit 1`,
        [portalId, profileId, objectType, objectId]
      );
      return rows[0] && toAlert(rows[0]);
    },
    async snapshotCount(portalId, profileId, runId) {
      const row = await db2.one(
        `select count(*)::int as n from health_snapshots where portal_id = $1 and profile_id = $2 and ($3::text is null or run_id = $3)`,
        [portalId, profileId, runId ?? null]
      );
      return row.n;
    }
  };
}

// bench/harness.ts
import http2 from "node:http";
import { pino } from "pino";

// src/backend/http/app.ts
init_express_types();
init_app_error();
init_errors();
import express from "express";
import { pinoHttp } from "pino-http";
import { randomUUID } from "node:crypto";

// src/backend/http/identity.ts
init_express_types();
init_app_error();
import { z as z2 } from "zod";
var id = z2.string().regex(/^\d{1,18}$/, "must be a numeric id").transform(Number);
var identityQuery = z2.object({
  portalId: id,
  userId: id,
  userEmail: z2.string().optional(),
  asUserId: id.optional()
});
function requireIdentity(deps) {
  return async (req, res, next) => {
    const parsed = identityQuery.safeParse(req.query);
    if (!parsed.success) {
      throw new AppError("UNAUTHENTICATED", "The request does not say which HubSpot portal and user it comes from.");
    }
    const { portalId, userId, userEmail, asUserId } = parsed.data;
    if (!await deps.installations.isInstalled(portalId)) {
      throw new AppError("NOT_INSTALLED", "Tiller is not installed in this HubSpot portal.");
    }
    if (asUserId !== void 0 && asUserId !== userId && !await deps.roles.isManager(portalId, userId)) {
      throw new AppError("FORBIDDEN", "Only managers can view a workspace as another user.");
    }
    const identity = { portalId, userId, userEmail: userEmail ?? null, viewAsUserId: asUserId ?? userId };
    res.locals.identity = identity;
    next();
  };
}
function identityOf(res) {
  const identity = res.locals.identity;
  if (!identity) throw new AppError("UNAUTHENTICATED", "The request has no verified identity.");
  return identity;
}

// src/backend/http/metering.ts
init_express_types();
function meterRequests(opts2) {
  return (req, res, next) => {
    const meter = new RequestMeter();
    res.locals.meter = meter;
    res.locals.exposeMetering = opts2.exposeHeaders;
    const json = res.json.bind(res);
    res.json = (body) => {
      setMeterHeaders(res);
      return json(body);
    };
    res.on("finish", () => {
      req.log?.info({ hubspot: { calls: meter.calls, depth: meter.depth(), byKind: meter.byKind() } }, "hubspot usage");
    });
    runWithCallContext({ meter, deadline: Date.now() + opts2.deadlineMs, priority: "interactive" }, next);
  };
}
function setMeterHeaders(res) {
  const meter = res.locals.meter;
  if (!res.locals.exposeMetering || !meter || res.headersSent) return;
  res.setHeader("X-Tiller-HubSpot-Calls", String(meter.calls));
  res.setHeader("X-Tiller-HubSpot-Depth", String(meter.depth()));
}
var serialized = /* @__PURE__ */ new WeakMap();
function sendJson(res, body) {
  let bytes;
  if (typeof body === "string" || Buffer.isBuffer(body)) bytes = body;
  else {
    bytes = serialized.get(body);
    if (bytes === void 0) serialized.set(body, bytes = JSON.stringify(body));
  }
  setMeterHeaders(res);
  res.type("application/json").send(bytes);
}

// src/backend/http/app.ts
init_signature();

// src/backend/http/routes/me.ts
import { Router } from "express";

// src/backend/services/crm-errors.ts
init_app_error();
function fromCrmError(err2) {
  if (!(err2 instanceof CrmError)) return err2;
  switch (err2.kind) {
    case "rate-limited":
      return new AppError("RATE_LIMITED", "HubSpot is busy for your portal right now. Please try again in a few seconds.");
    case "unauthorized":
      return new AppError("NOT_INSTALLED", "Tiller can no longer access this HubSpot portal. Please reinstall the app.");
    case "forbidden":
      return new AppError("FORBIDDEN", "Tiller is missing a HubSpot permission for this. Ask your admin to reinstall the app.");
    case "deadline":
    case "timeout":
      return new AppError("UNAVAILABLE", "HubSpot took too long to answer. Please try again.");
    default:
      return new AppError("HUBSPOT_FAILED", "HubSpot could not answer this request. Please try again.");
  }
}
function warningFor(what, err2) {
  const kind = err2 instanceof CrmError ? err2.kind : "error";
  const why = kind === "rate-limited" ? "HubSpot was busy" : kind === "deadline" || kind === "timeout" ? "HubSpot was too slow" : "HubSpot failed";
  return `${what} could not be loaded because ${why}.`;
}

// src/backend/engines/task-buckets.ts
import { DateTime, IANAZone } from "luxon";
var BUCKETS = ["overdue", "today", "tomorrow"];
var validZones = /* @__PURE__ */ new Map();
var windows = /* @__PURE__ */ new Map();
var midnights = /* @__PURE__ */ new Map();
function localMidnight(date, timeZone) {
  const key = `${timeZone}|${date}`;
  let start = midnights.get(key);
  if (start === void 0) {
    if (midnights.size > 1e4) midnights.clear();
    midnights.set(key, start = DateTime.fromISO(date, { zone: timeZone }).toMillis());
  }
  return start;
}
function isValidTimeZone(zone) {
  if (!zone) return false;
  let valid = validZones.get(zone);
  if (valid === void 0) {
    valid = IANAZone.isValidZone(zone);
    if (validZones.size > 1e3) validZones.clear();
    validZones.set(zone, valid);
  }
  return valid;
}
function dayWindow(timeZone, now) {
  const cached = windows.get(timeZone);
  if (cached && cached.todayStart <= now && now < cached.tomorrowStart) return cached;
  const computed = computeDayWindow(timeZone, now);
  if (windows.size > 1e3) windows.clear();
  windows.set(timeZone, computed);
  return computed;
}
function computeDayWindow(timeZone, now) {
  const today2 = DateTime.fromMillis(now, { zone: timeZone }).startOf("day");
  const tomorrow = today2.plus({ days: 1 });
  return {
    todayStart: today2.toMillis(),
    tomorrowStart: tomorrow.toMillis(),
    dayAfterStart: tomorrow.plus({ days: 1 }).toMillis(),
    today: today2.toISODate(),
    tomorrow: tomorrow.toISODate()
  };
}
function classifyIn(task, w) {
  if (task.dueAt === null || task.status === "COMPLETED") return null;
  if (task.allDay) {
    const date = new Date(task.dueAt).toISOString().slice(0, 10);
    return date < w.today ? "overdue" : date === w.today ? "today" : date === w.tomorrow ? "tomorrow" : null;
  }
  if (task.dueAt < w.todayStart) return "overdue";
  if (task.dueAt < w.tomorrowStart) return "today";
  if (task.dueAt < w.dayAfterStart) return "tomorrow";
  return null;
}
function classifyTask(task, timeZone, now) {
  return classifyIn(task, dayWindow(timeZone, now));
}
function searchUpperBound(now) {
  return DateTime.fromMillis(now, { zone: "utc" }).startOf("day").plus({ days: 3 }).toMillis();
}
function bucketTasks(input) {
  const { timeZone, now, limit } = input;
  const window = dayWindow(timeZone, now);
  const seen = /* @__PURE__ */ new Set();
  const grouped = { overdue: [], today: [], tomorrow: [] };
  for (const task of input.tasks) {
    if (seen.has(task.id)) continue;
    seen.add(task.id);
    const bucket = classifyIn(task, window);
    if (bucket) grouped[bucket].push(task);
  }
  const sortKey2 = (t) => t.allDay ? localMidnight(new Date(t.dueAt).toISOString().slice(0, 10), timeZone) : t.dueAt;
  const unfetched = Math.max(0, (input.total ?? seen.size) - seen.size);
  const result = {};
  for (const name of BUCKETS) {
    const list2 = grouped[name].sort((a, b) => sortKey2(a) - sortKey2(b) || a.id.localeCompare(b.id));
    result[name] = { count: list2.length + (name === "overdue" ? unfetched : 0), tasks: list2.slice(0, limit) };
  }
  return result;
}

// src/backend/services/time-zone.ts
async function resolveTimeZone(crm2, userId) {
  const warnings = [];
  const [users, account] = await Promise.allSettled([crm2.users(), crm2.account()]);
  if (users.status === "fulfilled") {
    const tz = users.value.find((u) => u.userId === userId)?.timeZone;
    if (isValidTimeZone(tz)) return { timeZone: tz, warnings };
  }
  if (account.status === "fulfilled" && isValidTimeZone(account.value.timeZone)) {
    if (users.status === "rejected") warnings.push(`${warningFor("Your time zone", users.reason)} The portal's time zone is used.`);
    return { timeZone: account.value.timeZone, warnings };
  }
  warnings.push(`${warningFor("Your time zone", users.status === "rejected" ? users.reason : account.status === "rejected" ? account.reason : null)} UTC is used.`);
  return { timeZone: "UTC", warnings };
}

// src/backend/services/me.ts
async function getMe(crm2, input) {
  const [owners, tz] = await Promise.all([crm2.owners(), resolveTimeZone(crm2, input.viewAsUserId)]).catch((err2) => Promise.reject(fromCrmError(err2)));
  const owner = owners.find((o) => o.userId === input.viewAsUserId && !o.archived);
  const me = { ...input, ownerId: owner?.id ?? null, timeZone: tz.timeZone };
  return tz.warnings.length ? Object.assign(me, { warnings: tz.warnings }) : me;
}

// src/backend/http/routes/me.ts
function meRoutes(deps) {
  const router = Router();
  router.get("/v1/me", async (_req, res) => {
    const { portalId, userId, viewAsUserId } = identityOf(res);
    const isManager = await deps.roles.isManager(portalId, userId);
    res.json(await getMe(deps.crm.portal(portalId), { portalId, userId, viewAsUserId, isManager }));
  });
  return router;
}

// src/backend/http/routes/tasks.ts
import { Router as Router2 } from "express";
import { z as z3 } from "zod";

// src/backend/services/task-buckets.ts
init_app_error();

// src/backend/services/record-labels.ts
var LABELS = {
  contacts: {
    properties: ["firstname", "lastname", "email"],
    label: (r) => [r.properties.firstname, r.properties.lastname].filter(Boolean).join(" ") || r.properties.email || `Contact ${r.id}`
  },
  companies: { properties: ["name", "domain"], label: (r) => r.properties.name || r.properties.domain || `Company ${r.id}` },
  deals: { properties: ["dealname"], label: (r) => r.properties.dealname || `Deal ${r.id}` },
  tickets: { properties: ["subject"], label: (r) => r.properties.subject || `Ticket ${r.id}` },
  leads: { properties: ["hs_lead_name"], label: (r) => r.properties.hs_lead_name || `Lead ${r.id}` }
};
function labelProperties(objectType) {
  return LABELS[objectType]?.properties ?? [];
}
function recordLabel(objectType, record) {
  return LABELS[objectType]?.label(record) ?? `${objectType} ${record.id}`;
}
async function associatedRefs(crm2, fromType, ids, toTypes) {
  const out = new Map(ids.map((id2) => [id2, []]));
  if (ids.length === 0) return out;
  await Promise.all(
    toTypes.map(async (toType) => {
      const assoc = await crm2.associations(fromType, toType, ids);
      const targetIds = [...new Set([...assoc.values()].flat())];
      const records = targetIds.length ? await crm2.batchRead(toType, targetIds, labelProperties(toType)) : /* @__PURE__ */ new Map();
      for (const [id2, toIds] of assoc) {
        for (const toId of toIds) {
          const record = records.get(toId);
          if (record) out.get(id2)?.push({ objectType: toType, objectId: toId, label: recordLabel(toType, record) });
        }
      }
    })
  );
  return out;
}

// src/backend/services/task-buckets.ts
var TASK_PROPERTIES = [
  "hs_task_subject",
  "hs_timestamp",
  "hs_task_status",
  "hs_task_priority",
  "hs_task_type",
  "hubspot_owner_id",
  "hs_task_is_all_day"
];
var RECORD_SCOPES = { contacts: "contact", companies: "company", deals: "deal", tickets: "ticket" };
var TASK_ASSOCIATION_TYPES = ["contacts", "companies", "deals"];
var PAGE = 200;
var answers = /* @__PURE__ */ new WeakMap();
var serials = /* @__PURE__ */ new WeakMap();
var nextSerial = 0;
function pageSerial(page) {
  let n = serials.get(page);
  if (n === void 0) serials.set(page, n = ++nextSerial);
  return n;
}
var mappedPages = /* @__PURE__ */ new WeakMap();
function tasksOf(page) {
  let tasks = mappedPages.get(page);
  if (!tasks) mappedPages.set(page, tasks = page.results.map(toTaskInput));
  return tasks;
}
function toTaskInput(r) {
  const p = r.properties;
  const due = p.hs_timestamp ? Date.parse(p.hs_timestamp) : NaN;
  return {
    id: r.id,
    subject: p.hs_task_subject || "(no subject)",
    dueAt: Number.isFinite(due) ? due : /^\d+$/.test(p.hs_timestamp ?? "") ? Number(p.hs_timestamp) : null,
    allDay: p.hs_task_is_all_day === "true",
    status: p.hs_task_status || "NOT_STARTED",
    priority: p.hs_task_priority || "NONE",
    type: p.hs_task_type || "TODO",
    ownerId: p.hubspot_owner_id || null,
    associations: []
  };
}
async function getTaskBuckets(crm2, input) {
  const { userId, limit, now, record } = input;
  const warnings = [];
  const tzPromise = resolveTimeZone(crm2, userId);
  let scope2;
  if (record) {
    scope2 = { propertyName: `associations.${RECORD_SCOPES[record.objectType]}`, operator: "EQ", value: record.objectId };
  } else {
    const owners = await crm2.owners().catch((err2) => Promise.reject(fromCrmError(err2)));
    const owner = owners.find((o) => o.userId === userId && !o.archived);
    if (!owner) {
      const { timeZone, warnings: tzWarnings } = await tzPromise;
      return {
        timeZone,
        buckets: emptyBuckets(),
        warnings: [...tzWarnings, "You are not a HubSpot owner in this portal, so no tasks can be assigned to you."]
      };
    }
    scope2 = { propertyName: "hubspot_owner_id", operator: "EQ", value: owner.id };
  }
  const base2 = {
    filterGroups: [{ filters: [
      scope2,
      { propertyName: "hs_task_status", operator: "NEQ", value: "COMPLETED" },
      { propertyName: "hs_timestamp", operator: "LT", value: String(searchUpperBound(now)) }
    ] }],
    properties: TASK_PROPERTIES,
    limit: PAGE
  };
  const [first, tz] = await Promise.all([
    crm2.search("tasks", { ...base2, sorts: [{ propertyName: "hs_timestamp", direction: "ASCENDING" }] }),
    tzPromise
  ]).catch((err2) => Promise.reject(fromCrmError(err2)));
  warnings.push(...tz.warnings);
  const tasks = [...tasksOf(first)];
  const pages = [first];
  if (first.total > tasks.length) {
    let after;
    try {
      for (; ; ) {
        const page = await crm2.search("tasks", { ...base2, sorts: [{ propertyName: "hs_timestamp", direction: "DESCENDING" }], after });
        const fetched = tasksOf(page);
        pages.push(page);
        tasks.push(...fetched);
        const oldest = fetched[fetched.length - 1];
        const reachedOverdue = !oldest || classifyTask(oldest, tz.timeZone, now) === "overdue";
        if (reachedOverdue || !page.after || Number(page.after) >= 1e4) break;
        after = page.after;
      }
    } catch (err2) {
      throw fromCrmError(err2);
    }
  }
  const memoable = tz.warnings.length === 0;
  const memoKey = `${pages.map(pageSerial).join(",")}|${tz.timeZone}|${dayWindow(tz.timeZone, now).todayStart}|${limit}|${input.withAssociations !== false}`;
  const memo = memoable ? answers.get(first)?.get(memoKey) : void 0;
  if (memo) return memo;
  const buckets = bucketTasks({ tasks, timeZone: tz.timeZone, now, limit, total: first.total });
  const listed = BUCKETS.flatMap((b) => buckets[b].tasks.map((t) => t.id));
  let refs = /* @__PURE__ */ new Map();
  if (input.withAssociations !== false) {
    try {
      refs = await associatedRefs(crm2, "tasks", listed, TASK_ASSOCIATION_TYPES);
    } catch (err2) {
      warnings.push(warningFor("The records your tasks are about", err2));
    }
  }
  const response = {
    timeZone: tz.timeZone,
    buckets: Object.fromEntries(
      BUCKETS.map((b) => [
        b,
        {
          count: buckets[b].count,
          tasks: buckets[b].tasks.map((t) => ({
            id: t.id,
            subject: t.subject,
            dueAt: new Date(t.dueAt).toISOString(),
            status: t.status,
            priority: t.priority,
            type: t.type,
            ownerId: t.ownerId,
            associations: refs.get(t.id) ?? []
          }))
        }
      ])
    )
  };
  if (warnings.length) Object.assign(response, { partial: true, warnings });
  else if (memoable) {
    const perPage = answers.get(first) ?? /* @__PURE__ */ new Map();
    perPage.set(memoKey, response);
    answers.set(first, perPage);
  }
  return response;
}
function emptyBuckets() {
  return { overdue: { count: 0, tasks: [] }, today: { count: 0, tasks: [] }, tomorrow: { count: 0, tasks: [] } };
}
function assertRecordScope(objectType, objectId) {
  if (objectType === void 0 && objectId === void 0) return void 0;
  if (!objectType || !objectId || !(objectType in RECORD_SCOPES) || !/^\d+$/.test(objectId)) {
    throw new AppError("BAD_REQUEST", "objectType and objectId go together: objectType is one of contacts, companies, deals, tickets and objectId is a record id.", [
      { field: "objectType", issue: `one of ${Object.keys(RECORD_SCOPES).join(", ")}` },
      { field: "objectId", issue: "digits only" }
    ]);
  }
  return { objectType, objectId };
}

// src/backend/http/validate.ts
init_app_error();
var IDENTITY_PARAMS = /* @__PURE__ */ new Set(["portalId", "userId", "userEmail", "appId", "asUserId"]);
function fail(error, what) {
  const details = error.issues.map((i) => ({ field: i.path.join(".") || what, issue: i.message }));
  throw new AppError("BAD_REQUEST", `Some ${what} values are not valid: ${details.map((d) => d.field).join(", ")}.`, details);
}
function parseQuery(schema2, query) {
  const own = Object.fromEntries(Object.entries(query).filter(([k]) => !IDENTITY_PARAMS.has(k)));
  const parsed = schema2.safeParse(own);
  if (!parsed.success) fail(parsed.error, "query");
  return parsed.data;
}
function parseBody(schema2, body) {
  const parsed = schema2.safeParse(body);
  if (!parsed.success) fail(parsed.error, "body");
  return parsed.data;
}

// src/backend/http/routes/tasks.ts
var bucketsQuery = z3.object({
  limit: z3.coerce.number().int().min(0).max(50).default(5),
  objectType: z3.string().optional(),
  objectId: z3.string().optional(),
  // Counts-only callers (the Sales tab's bucket picker) can skip the associated records' labels.
  associations: z3.enum(["true", "false"]).default("true").transform((v) => v === "true")
});
function tasksRoutes(deps) {
  const router = Router2();
  router.get("/v1/tasks/buckets", async (req, res) => {
    const { portalId, viewAsUserId } = identityOf(res);
    const query = parseQuery(bucketsQuery, req.query);
    const record = assertRecordScope(query.objectType, query.objectId);
    sendJson(res, await getTaskBuckets(deps.crm.portal(portalId), { userId: viewAsUserId, limit: query.limit, now: deps.now(), record, withAssociations: query.associations }));
  });
  return router;
}

// src/backend/http/routes/users.ts
init_app_error();
import { Router as Router3 } from "express";
function usersRoutes(deps) {
  const router = Router3();
  router.get("/v1/users", async (_req, res) => {
    const { portalId, userId } = identityOf(res);
    if (!await deps.roles.isManager(portalId, userId)) throw new AppError("FORBIDDEN", "Only managers can list the users of the portal.");
    const owners = await deps.crm.portal(portalId).owners().catch((err2) => Promise.reject(fromCrmError(err2)));
    const body = {
      users: owners.filter((o) => o.userId !== null && !o.archived).map((o) => ({
        userId: o.userId,
        ownerId: o.id,
        name: [o.firstName, o.lastName].filter(Boolean).join(" ") || o.email || `User ${o.userId}`,
        email: o.email
      })).sort((a, b) => a.name.localeCompare(b.name))
    };
    res.json(body);
  });
  return router;
}

// src/backend/http/routes/health.ts
init_app_error();
import { Router as Router4 } from "express";
import { z as z5 } from "zod";

// src/backend/services/health/runner.ts
import { randomBytes as randomBytes2 } from "node:crypto";

// src/backend/engines/health/record.ts
var ENGAGEMENT_TYPES = ["MEETING", "CALL", "EMAIL", "NOTE"];
var ENGAGEMENT_DIRECTIONS = ["INCOMING", "OUTGOING"];

// src/backend/engines/health/operators.ts
var FILTER_OPERATORS = [
  "EQ",
  "NEQ",
  "LT",
  "LTE",
  "GT",
  "GTE",
  "BETWEEN",
  "IN",
  "NOT_IN",
  "HAS_PROPERTY",
  "NOT_HAS_PROPERTY",
  "CONTAINS_TOKEN",
  "NOT_CONTAINS_TOKEN"
];
function isMissing(value) {
  return value === null || value === void 0 || value === "";
}
function asNumber(operand2) {
  if (typeof operand2 === "number") return Number.isFinite(operand2) ? operand2 : null;
  if (typeof operand2 === "boolean") return null;
  const trimmed = operand2.trim();
  if (trimmed === "") return null;
  const n = Number(trimmed);
  if (Number.isFinite(n)) return n;
  const parsed = Date.parse(trimmed);
  return Number.isNaN(parsed) ? null : parsed;
}
function compare(value, operand2) {
  if (typeof value === "number") {
    const n = asNumber(operand2);
    return n === null ? null : value - n;
  }
  const left = String(value).toLowerCase();
  const right = String(operand2).toLowerCase();
  if (typeof value === "string") {
    const ln = Number(value);
    const rn = asNumber(operand2);
    if (value.trim() !== "" && Number.isFinite(ln) && rn !== null) return ln - rn;
  }
  return left < right ? -1 : left > right ? 1 : 0;
}
function equals(value, operand2) {
  return compare(value, operand2) === 0;
}
var tokenSeparators = /[\s;,]+/;
function globToRegExp(glob) {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
  return new RegExp(`^${escaped}$`, "i");
}
function containsToken(value, operand2) {
  if (operand2 === void 0) return false;
  const text = String(value);
  const pattern = globToRegExp(String(operand2).trim());
  if (pattern.test(text)) return true;
  return text.split(tokenSeparators).some((token) => token !== "" && pattern.test(token));
}
var tests = {
  EQ: (v, f) => f.value !== void 0 && equals(v, f.value),
  NEQ: (v, f) => f.value !== void 0 && !equals(v, f.value),
  LT: (v, f) => f.value !== void 0 && (compare(v, f.value) ?? 0) < 0,
  LTE: (v, f) => f.value !== void 0 && (compare(v, f.value) ?? 1) <= 0,
  GT: (v, f) => f.value !== void 0 && (compare(v, f.value) ?? 0) > 0,
  GTE: (v, f) => f.value !== void 0 && (compare(v, f.value) ?? -1) >= 0,
  BETWEEN: (v, f) => f.value !== void 0 && f.highValue !== void 0 && (compare(v, f.value) ?? -1) >= 0 && (compare(v, f.highValue) ?? 1) <= 0,
  IN: (v, f) => (f.values ?? []).some((operand2) => equals(v, operand2)),
  NOT_IN: (v, f) => !(f.values ?? []).some((operand2) => equals(v, operand2)),
  CONTAINS_TOKEN: (v, f) => containsToken(v, f.value),
  NOT_CONTAINS_TOKEN: (v, f) => !containsToken(v, f.value)
};
function evaluateFilter(filter, value) {
  const missing = isMissing(value);
  if (filter.operator === "HAS_PROPERTY") return { matched: !missing, missing };
  if (filter.operator === "NOT_HAS_PROPERTY") return { matched: missing, missing };
  if (missing) return { matched: false, missing };
  return { matched: tests[filter.operator](value, filter), missing };
}
function matchesFilterGroups(segment, properties) {
  if (!segment || segment.filterGroups.length === 0) return true;
  return segment.filterGroups.some(
    (group) => group.filters.every((filter) => evaluateFilter(filter, properties[filter.propertyName]).matched)
  );
}

// src/backend/engines/health/profile.ts
import { z as z4 } from "zod";
var operand = z4.union([z4.string(), z4.number(), z4.boolean()]);
var NEEDS_NOTHING = /* @__PURE__ */ new Set(["HAS_PROPERTY", "NOT_HAS_PROPERTY"]);
var NEEDS_VALUES = /* @__PURE__ */ new Set(["IN", "NOT_IN"]);
var propertyFilterSchema = z4.object({
  propertyName: z4.string().min(1),
  operator: z4.enum(FILTER_OPERATORS),
  value: operand.optional(),
  values: z4.array(operand).optional(),
  highValue: operand.optional()
}).superRefine((f, ctx) => {
  if (NEEDS_NOTHING.has(f.operator)) return;
  if (NEEDS_VALUES.has(f.operator)) {
    if (!f.values || f.values.length === 0)
      ctx.addIssue({ code: "custom", path: ["values"], message: `${f.operator} needs a non-empty values list` });
    return;
  }
  if (f.value === void 0) ctx.addIssue({ code: "custom", path: ["value"], message: `${f.operator} needs a value` });
  if (f.operator === "BETWEEN" && f.highValue === void 0)
    ctx.addIssue({ code: "custom", path: ["highValue"], message: "BETWEEN needs a highValue" });
});
var segmentSchema = z4.object({
  filterGroups: z4.array(z4.object({ filters: z4.array(propertyFilterSchema).min(1).max(6) })).max(5)
}).refine((s) => s.filterGroups.reduce((n, g) => n + g.filters.length, 0) <= 18, {
  message: "A segment has at most 18 filters in total"
});
var bandSchema = z4.object({ min: z4.number().optional(), max: z4.number().optional(), points: z4.number() }).refine((b) => b.min === void 0 || b.max === void 0 || b.min < b.max, {
  message: "A band needs min < max"
});
var bands = z4.array(bandSchema).min(1);
var MISSING_DATA_MODES = ["zero", "exclude"];
var common = {
  id: z4.string().min(1),
  label: z4.string().min(1),
  /** zero: no data scores 0 points; exclude: the criterion is left out and its group re-scaled. */
  missingData: z4.enum(MISSING_DATA_MODES).default("exclude")
};
var windowDays = z4.number().int().positive().max(3650);
var criterionSchema = z4.discriminatedUnion("kind", [
  z4.object({
    ...common,
    kind: z4.literal("property"),
    filter: propertyFilterSchema,
    matchPoints: z4.number(),
    noMatchPoints: z4.number().default(0)
  }),
  z4.object({
    ...common,
    kind: z4.literal("engagementCount"),
    types: z4.array(z4.enum(ENGAGEMENT_TYPES)).min(1),
    direction: z4.enum(ENGAGEMENT_DIRECTIONS).optional(),
    ignoreOutcomes: z4.array(z4.string()).default([]),
    windowDays,
    /** Over the number of engagements in the window (0 included). */
    bands
  }),
  z4.object({
    ...common,
    kind: z4.literal("engagementRecency"),
    types: z4.array(z4.enum(ENGAGEMENT_TYPES)).min(1),
    direction: z4.enum(ENGAGEMENT_DIRECTIONS).optional(),
    ignoreOutcomes: z4.array(z4.string()).default([]),
    windowDays,
    /** Over the days since the latest engagement in the window. */
    bands,
    noneInWindowPoints: z4.number().default(0)
  }),
  z4.object({
    ...common,
    kind: z4.literal("openTickets"),
    /** Over the number of open tickets (0 included). */
    bands
  }),
  z4.object({
    ...common,
    kind: z4.literal("ticketAge"),
    /** Over the age in days of the oldest open ticket. */
    bands,
    noOpenTicketPoints: z4.number().default(0)
  }),
  z4.object({
    ...common,
    kind: z4.literal("deals"),
    measure: z4.enum(["open", "won", "lost"]),
    /** For won and lost: deals closed within the window. */
    windowDays: windowDays.default(90),
    /** Over the number of matching deals (0 included). */
    bands
  }),
  z4.object({
    ...common,
    kind: z4.literal("renewal"),
    /** The configured renewal-date property (epoch ms). */
    property: z4.string().min(1),
    /** Over the days until renewal; negative once the date has passed. */
    bands
  }),
  z4.object({
    ...common,
    kind: z4.literal("daysSince"),
    /** A date property such as notes_last_contacted (epoch ms). */
    property: z4.string().min(1),
    bands
  }),
  z4.object({
    ...common,
    kind: z4.literal("sentiment"),
    property: z4.string().min(1).default("hs_csm_sentiment"),
    /** Property value → points; keys match case-insensitively, "at-risk" = "AT_RISK". */
    points: z4.record(z4.string(), z4.number())
  }),
  z4.object({
    ...common,
    kind: z4.literal("nps"),
    property: z4.string().min(1),
    bands
  })
]);
var groupSchema = z4.object({
  id: z4.string().min(1),
  label: z4.string().min(1),
  maxPoints: z4.number().positive().max(100),
  criteria: z4.array(criterionSchema).min(1)
});
var DEFAULT_THRESHOLDS = { atRiskBelow: 40, goodFrom: 70 };
var DEFAULT_HYSTERESIS = { consecutiveRuns: 2, marginPoints: 5 };
var thresholdsSchema = z4.object({
  atRiskBelow: z4.number().min(0).max(100).default(DEFAULT_THRESHOLDS.atRiskBelow),
  goodFrom: z4.number().min(0).max(100).default(DEFAULT_THRESHOLDS.goodFrom)
}).refine((t) => t.atRiskBelow < t.goodFrom, {
  message: "atRiskBelow must be lower than goodFrom",
  path: ["goodFrom"]
});
var hysteresisSchema = z4.object({
  /** Runs in a row the new category must hold (1 = confirm at once). */
  consecutiveRuns: z4.number().int().min(1).max(50).default(DEFAULT_HYSTERESIS.consecutiveRuns),
  /** A score this far beyond the crossed threshold confirms at once. */
  marginPoints: z4.number().min(0).max(100).default(DEFAULT_HYSTERESIS.marginPoints)
});
var objectTypeSchema = z4.string().regex(/^(companies|contacts|2-\d+|p\d*_[a-z0-9_]+)$/i, {
  message: "Use companies, contacts or a custom object type id"
});
var POINTS_TOLERANCE = 1e-6;
var profileSchema = z4.object({
  id: z4.string().min(1),
  name: z4.string().min(1),
  objectType: objectTypeSchema.default("companies"),
  segment: segmentSchema.nullable().default(null),
  groups: z4.array(groupSchema).min(1),
  thresholds: thresholdsSchema.default({ ...DEFAULT_THRESHOLDS }),
  hysteresis: hysteresisSchema.default({ ...DEFAULT_HYSTERESIS }),
  version: z4.number().int().min(1).default(1)
}).superRefine((p, ctx) => {
  const total = p.groups.reduce((sum, g) => sum + g.maxPoints, 0);
  if (Math.abs(total - 100) > POINTS_TOLERANCE)
    ctx.addIssue({ code: "custom", path: ["groups"], message: `Group max points must add up to 100 (they add up to ${total})` });
  const groupIds = /* @__PURE__ */ new Set();
  const criterionIds = /* @__PURE__ */ new Set();
  p.groups.forEach((g, gi) => {
    if (groupIds.has(g.id))
      ctx.addIssue({ code: "custom", path: ["groups", gi, "id"], message: `Duplicate group id ${g.id}` });
    groupIds.add(g.id);
    g.criteria.forEach((c, ci) => {
      if (criterionIds.has(c.id))
        ctx.addIssue({ code: "custom", path: ["groups", gi, "criteria", ci, "id"], message: `Duplicate criterion id ${c.id}` });
      criterionIds.add(c.id);
    });
  });
});
function parseProfile(input) {
  return profileSchema.parse(input);
}

// src/backend/engines/health/criteria.ts
var DAY_MS = 864e5;
function pickBand(bands2, value) {
  return bands2.find((b) => (b.min === void 0 || value >= b.min) && (b.max === void 0 || value < b.max));
}
function bandFacts(bands2, value) {
  const band = pickBand(bands2, value) ?? null;
  return { points: band?.points ?? 0, band };
}
function bestOf(...points) {
  return Math.max(0, ...points);
}
var bandsMax = (bands2) => bestOf(...bands2.map((b) => b.points));
var daysSince = (at, now) => Math.floor((now - at) / DAY_MS);
function daysUntil(at, now) {
  const days2 = Math.ceil((at - now) / DAY_MS);
  return days2 === 0 ? 0 : days2;
}
var plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;
var lowerFirst = (s) => s.charAt(0).toLowerCase() + s.slice(1);
function noData(reason, facts = {}) {
  return { points: 0, noData: true, reason, facts };
}
function numberValue(value) {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "string" && value.trim() !== "") {
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}
var ENGAGEMENT_NOUNS = {
  MEETING: ["meeting", "meetings"],
  CALL: ["call", "calls"],
  EMAIL: ["email", "emails"],
  NOTE: ["note", "notes"]
};
var DIRECTION_SUFFIX = {
  INCOMING: " from the customer",
  OUTGOING: " to the customer"
};
function engagementNouns(types, direction) {
  const suffix = direction ? DIRECTION_SUFFIX[direction] : "";
  return {
    one: types.map((t) => ENGAGEMENT_NOUNS[t][0]).join(" or ") + suffix,
    many: types.map((t) => ENGAGEMENT_NOUNS[t][1]).join(" or ") + suffix
  };
}
function engagementMatcher(c) {
  const types = new Set(c.types);
  const ignored = new Set(c.ignoreOutcomes.map((o) => o.toUpperCase()));
  return (e, from, now) => types.has(e.type) && e.timestamp > from && e.timestamp <= now && (c.direction === void 0 || e.direction === c.direction) && (ignored.size === 0 || e.outcome === void 0 || !ignored.has(e.outcome.toUpperCase()));
}
var NO_ENGAGEMENTS = "no engagement data";
var normalizeKey = (value) => value.trim().toLowerCase().replace(/[^a-z0-9]+/g, "_");
var prettyValue = (value) => value.trim().toLowerCase().replace(/[_-]+/g, " ");
var compilers = {
  property: (c) => ({
    criterion: c,
    maxPoints: bestOf(c.matchPoints, c.noMatchPoints),
    evaluate: (record) => {
      const value = record.properties[c.filter.propertyName];
      const outcome = evaluateFilter(c.filter, value);
      const facts = { property: c.filter.propertyName, operator: c.filter.operator, value: value ?? null };
      if (outcome.missing && c.filter.operator !== "HAS_PROPERTY" && c.filter.operator !== "NOT_HAS_PROPERTY")
        return noData(`no ${lowerFirst(c.label)} (${c.filter.propertyName} not set)`, facts);
      return {
        points: outcome.matched ? c.matchPoints : c.noMatchPoints,
        noData: false,
        reason: outcome.matched ? lowerFirst(c.label) : `not ${lowerFirst(c.label)}`,
        facts: { ...facts, matched: outcome.matched }
      };
    }
  }),
  engagementCount: (c) => {
    const matches = engagementMatcher(c);
    const nouns = engagementNouns(c.types, c.direction);
    return {
      criterion: c,
      maxPoints: bandsMax(c.bands),
      evaluate: (record, now) => {
        if (!record.engagements) return noData(NO_ENGAGEMENTS);
        const from = now - c.windowDays * DAY_MS;
        let count = 0;
        for (const e of record.engagements) if (matches(e, from, now)) count += 1;
        const { points, band } = bandFacts(c.bands, count);
        return {
          points,
          noData: false,
          reason: `${count === 0 ? `no ${nouns.many}` : plural(count, nouns.one, nouns.many)} in the last ${c.windowDays} days`,
          facts: { types: c.types, direction: c.direction ?? null, windowDays: c.windowDays, count, band }
        };
      }
    };
  },
  engagementRecency: (c) => {
    const matches = engagementMatcher(c);
    const nouns = engagementNouns(c.types, c.direction);
    return {
      criterion: c,
      maxPoints: bestOf(bandsMax(c.bands), c.noneInWindowPoints),
      evaluate: (record, now) => {
        if (!record.engagements) return noData(NO_ENGAGEMENTS);
        const from = now - c.windowDays * DAY_MS;
        let latest = -Infinity;
        for (const e of record.engagements) if (e.timestamp > latest && matches(e, from, now)) latest = e.timestamp;
        if (latest === -Infinity)
          return {
            points: c.noneInWindowPoints,
            noData: false,
            reason: `no ${nouns.one} in ${c.windowDays} days`,
            facts: { types: c.types, direction: c.direction ?? null, windowDays: c.windowDays, lastAt: null, daysSince: null, band: null }
          };
        const days2 = daysSince(latest, now);
        const { points, band } = bandFacts(c.bands, days2);
        return {
          points,
          noData: false,
          reason: days2 === 0 ? `last ${nouns.one} today` : `last ${nouns.one} ${plural(days2, "day", "days")} ago`,
          facts: { types: c.types, direction: c.direction ?? null, windowDays: c.windowDays, lastAt: latest, daysSince: days2, band }
        };
      }
    };
  },
  openTickets: (c) => ({
    criterion: c,
    maxPoints: bandsMax(c.bands),
    evaluate: (record) => {
      if (!record.tickets) return noData("no ticket data");
      let open = 0;
      for (const t of record.tickets) if (!t.closed) open += 1;
      const { points, band } = bandFacts(c.bands, open);
      return {
        points,
        noData: false,
        reason: open === 0 ? "no open tickets" : plural(open, "open ticket", "open tickets"),
        facts: { openTickets: open, band }
      };
    }
  }),
  ticketAge: (c) => ({
    criterion: c,
    maxPoints: bestOf(bandsMax(c.bands), c.noOpenTicketPoints),
    evaluate: (record, now) => {
      if (!record.tickets) return noData("no ticket data");
      let oldest = Infinity;
      let open = 0;
      for (const t of record.tickets)
        if (!t.closed) {
          open += 1;
          if (t.createdAt < oldest) oldest = t.createdAt;
        }
      if (open === 0)
        return { points: c.noOpenTicketPoints, noData: false, reason: "no open tickets", facts: { openTickets: 0, oldestOpenDays: null, band: null } };
      const days2 = Math.max(0, daysSince(oldest, now));
      const { points, band } = bandFacts(c.bands, days2);
      return {
        points,
        noData: false,
        reason: `oldest open ticket ${plural(days2, "day", "days")} old`,
        facts: { openTickets: open, oldestOpenDays: days2, oldestOpenAt: oldest, band }
      };
    }
  }),
  deals: (c) => ({
    criterion: c,
    maxPoints: bandsMax(c.bands),
    evaluate: (record, now) => {
      if (!record.deals) return noData("no deal data");
      const from = now - c.windowDays * DAY_MS;
      const inWindow = (at) => at !== void 0 && at > from && at <= now;
      let count = 0;
      for (const d of record.deals) {
        if (c.measure === "open" ? d.open : c.measure === "won" ? inWindow(d.wonAt) : inWindow(d.lostAt)) count += 1;
      }
      const { points, band } = bandFacts(c.bands, count);
      const reason = c.measure === "open" ? count === 0 ? "no open deals" : plural(count, "open deal", "open deals") : `${count === 0 ? "no deal" : plural(count, "deal", "deals")} ${c.measure} in the last ${c.windowDays} days`;
      return {
        points,
        noData: false,
        reason,
        facts: { measure: c.measure, count, windowDays: c.measure === "open" ? null : c.windowDays, band }
      };
    }
  }),
  renewal: (c) => ({
    criterion: c,
    maxPoints: bandsMax(c.bands),
    evaluate: (record, now) => {
      const at = numberValue(record.properties[c.property]);
      if (at === null) return noData("no renewal date", { property: c.property });
      const days2 = daysUntil(at, now);
      const { points, band } = bandFacts(c.bands, days2);
      const reason = days2 === 0 ? "renewal today" : days2 > 0 ? `renewal in ${plural(days2, "day", "days")}` : `renewal ${plural(-days2, "day", "days")} ago`;
      return { points, noData: false, reason, facts: { property: c.property, renewalAt: at, daysUntil: days2, band } };
    }
  }),
  daysSince: (c) => ({
    criterion: c,
    maxPoints: bandsMax(c.bands),
    evaluate: (record, now) => {
      const at = numberValue(record.properties[c.property]);
      if (at === null) return noData(`no ${lowerFirst(c.label)} (${c.property} not set)`, { property: c.property });
      const days2 = Math.max(0, daysSince(at, now));
      const { points, band } = bandFacts(c.bands, days2);
      return {
        points,
        noData: false,
        reason: `${lowerFirst(c.label)} ${days2 === 0 ? "today" : `${plural(days2, "day", "days")} ago`}`,
        facts: { property: c.property, at, daysSince: days2, band }
      };
    }
  }),
  sentiment: (c) => {
    const table = new Map(Object.entries(c.points).map(([k, v]) => [normalizeKey(k), v]));
    return {
      criterion: c,
      maxPoints: bestOf(...table.values()),
      evaluate: (record) => {
        const value = record.properties[c.property];
        if (isMissing(value)) return noData(`no ${lowerFirst(c.label)} (${c.property} not set)`, { property: c.property });
        const points = table.get(normalizeKey(String(value)));
        if (points === void 0)
          return noData(`${lowerFirst(c.label)} "${String(value)}" has no points`, { property: c.property, value, unmapped: true });
        return {
          points,
          noData: false,
          reason: `${c.label}: ${prettyValue(String(value))}`,
          facts: { property: c.property, value }
        };
      }
    };
  },
  nps: (c) => ({
    criterion: c,
    maxPoints: bandsMax(c.bands),
    evaluate: (record) => {
      const value = numberValue(record.properties[c.property]);
      if (value === null) return noData(`no ${c.label} (${c.property} not set)`, { property: c.property });
      const { points, band } = bandFacts(c.bands, value);
      return { points, noData: false, reason: `${c.label} ${value}`, facts: { property: c.property, value, band } };
    }
  })
};
function compileCriterion(criterion) {
  const compile2 = compilers[criterion.kind];
  return compile2(criterion);
}

// src/backend/engines/health/score.ts
var clamp = (value, min, max) => Math.min(max, Math.max(min, value));
var oneDecimal = (value) => Math.round(value * 10) / 10;
function categoryFor(score, thresholds) {
  if (score < thresholds.atRiskBelow) return "AT_RISK";
  if (score >= thresholds.goodFrom) return "GOOD";
  return "NEUTRAL";
}
function groupScore(group, tally) {
  const { rawPoints, contributing, total, remainingMax } = tally;
  const max = group.maxPoints;
  let score = 0;
  if (contributing === total) score = clamp(rawPoints, 0, max);
  else if (contributing > 0) {
    const cap = Math.min(max, remainingMax);
    score = cap > 0 ? clamp(rawPoints, 0, cap) * max / cap : 0;
  }
  return {
    id: group.id,
    label: group.label,
    maxPoints: max,
    score: oneDecimal(score),
    rawPoints,
    rescaled: contributing > 0 && contributing < total,
    excluded: contributing === 0
  };
}
function compileProfile(profile) {
  const groups = profile.groups.map((group) => ({ group, criteria: group.criteria.map(compileCriterion) }));
  return {
    profile,
    inSegment: (record) => matchesFilterGroups(profile.segment, record.properties),
    score: (record, now) => {
      const criteria = [];
      const groupScores = [];
      let earned = 0;
      let available = 0;
      for (const { group, criteria: compiled2 } of groups) {
        const tally = { rawPoints: 0, contributing: 0, total: compiled2.length, remainingMax: 0 };
        for (const c of compiled2) {
          const evaluation = c.evaluate(record, now);
          const criterion = c.criterion;
          const excluded = evaluation.noData && criterion.missingData === "exclude";
          criteria.push({
            id: criterion.id,
            group: group.id,
            label: criterion.label,
            kind: criterion.kind,
            points: evaluation.points,
            noData: evaluation.noData,
            excluded,
            reason: evaluation.reason,
            facts: evaluation.facts
          });
          if (!excluded) {
            tally.rawPoints += evaluation.points;
            tally.contributing += 1;
            tally.remainingMax += c.maxPoints;
          }
        }
        const scored = groupScore(group, tally);
        groupScores.push(scored);
        if (!scored.excluded) {
          earned += scored.score;
          available += group.maxPoints;
        }
      }
      const score = available > 0 ? clamp(Math.round(earned * 100 / available), 0, 100) : 0;
      return {
        recordId: record.id,
        profileId: profile.id,
        profileVersion: profile.version,
        score,
        category: categoryFor(score, profile.thresholds),
        coverage: oneDecimal(available) / 100,
        groups: groupScores,
        criteria
      };
    }
  };
}
var compiledCache = /* @__PURE__ */ new WeakMap();
function compiled(profile) {
  let found = compiledCache.get(profile);
  if (!found) {
    found = compileProfile(profile);
    compiledCache.set(profile, found);
  }
  return found;
}
function scoreRecord(profile, record, now) {
  return compiled(profile).score(record, now);
}
function inSegment(profile, record) {
  return compiled(profile).inSegment(record);
}

// src/backend/engines/health/default-profile.ts
var pts = (max, fraction) => Math.round(max * fraction);
var engagement = {
  id: "engagement",
  label: "Engagement",
  weight: 35,
  criteria: (max) => [
    {
      id: "meeting-recency",
      label: "Last meeting",
      kind: "engagementRecency",
      types: ["MEETING"],
      ignoreOutcomes: ["CANCELED", "NO_SHOW", "RESCHEDULED"],
      windowDays: 90,
      bands: [
        { max: 31, points: pts(max, 0.45) },
        { min: 31, max: 61, points: pts(max, 0.25) },
        { min: 61, points: pts(max, 0.1) }
      ],
      noneInWindowPoints: 0,
      missingData: "exclude"
    },
    {
      id: "calls-emails-30d",
      label: "Calls and emails",
      kind: "engagementCount",
      types: ["CALL", "EMAIL"],
      ignoreOutcomes: [],
      windowDays: 30,
      bands: [
        { max: 1, points: 0 },
        { min: 1, max: 2, points: pts(max, 0.1) },
        { min: 2, max: 5, points: pts(max, 0.25) },
        { min: 5, points: pts(max, 0.35) }
      ],
      missingData: "exclude"
    },
    {
      id: "customer-replies-30d",
      label: "Emails from the customer",
      kind: "engagementCount",
      types: ["EMAIL"],
      direction: "INCOMING",
      ignoreOutcomes: [],
      windowDays: 30,
      bands: [
        { max: 1, points: 0 },
        { min: 1, points: pts(max, 0.2) }
      ],
      missingData: "exclude"
    }
  ]
};
var lastContacted = (property) => ({
  id: "engagement",
  label: "Engagement",
  weight: 35,
  criteria: (max) => [
    {
      id: "last-contacted",
      label: "Last contacted",
      kind: "daysSince",
      property,
      bands: [
        { max: 15, points: max },
        { min: 15, max: 31, points: pts(max, 0.7) },
        { min: 31, max: 61, points: pts(max, 0.4) },
        { min: 61, max: 91, points: pts(max, 0.15) }
      ],
      missingData: "zero"
    }
  ]
});
var support = {
  id: "support",
  label: "Support",
  weight: 20,
  criteria: (max) => [
    {
      id: "open-tickets",
      label: "Open tickets",
      kind: "openTickets",
      bands: [
        { max: 1, points: max },
        { min: 1, max: 3, points: pts(max, 0.6) },
        { min: 3, max: 5, points: pts(max, 0.3) },
        { min: 5, points: 0 }
      ],
      missingData: "exclude"
    },
    {
      id: "oldest-open-ticket",
      label: "Oldest open ticket",
      kind: "ticketAge",
      bands: [
        { max: 14, points: 0 },
        { min: 14, max: 30, points: -pts(max, 0.15) },
        { min: 30, points: -pts(max, 0.3) }
      ],
      noOpenTicketPoints: 0,
      missingData: "exclude"
    }
  ]
};
var deals = {
  id: "deals",
  label: "Deals",
  weight: 15,
  criteria: (max) => [
    {
      id: "open-deals",
      label: "Open deals",
      kind: "deals",
      measure: "open",
      windowDays: 90,
      bands: [
        { max: 1, points: 0 },
        { min: 1, points: pts(max, 0.4) }
      ],
      missingData: "exclude"
    },
    {
      id: "deals-won-365d",
      label: "Deals won",
      kind: "deals",
      measure: "won",
      windowDays: 365,
      bands: [
        { max: 1, points: 0 },
        { min: 1, points: pts(max, 0.6) }
      ],
      missingData: "exclude"
    },
    {
      id: "deals-lost-90d",
      label: "Deals lost",
      kind: "deals",
      measure: "lost",
      windowDays: 90,
      bands: [
        { max: 1, points: 0 },
        { min: 1, points: -pts(max, 0.4) }
      ],
      missingData: "exclude"
    }
  ]
};
var renewal = (property) => ({
  id: "renewal",
  label: "Renewal",
  weight: 10,
  criteria: (max) => [
    {
      id: "days-to-renewal",
      label: "Days to renewal",
      kind: "renewal",
      property,
      // A near or lapsed renewal is a risk window, a distant one is calm.
      bands: [
        { max: 0, points: 0 },
        { min: 0, max: 31, points: pts(max, 0.3) },
        { min: 31, max: 91, points: pts(max, 0.6) },
        { min: 91, points: max }
      ],
      missingData: "exclude"
    }
  ]
});
var sentiment = {
  id: "csm-sentiment",
  label: "CSM sentiment",
  weight: 10,
  criteria: (max) => [
    {
      id: "csm-sentiment",
      label: "CSM sentiment",
      kind: "sentiment",
      property: "hs_csm_sentiment",
      // The values seen in portals vary in case and wording; keys are normalised when compiled.
      points: {
        GOOD: max,
        POSITIVE: max,
        NEUTRAL: pts(max, 0.5),
        AT_RISK: 0,
        BAD: 0,
        NEGATIVE: 0
      },
      missingData: "exclude"
    }
  ]
};
var nps = (property) => ({
  id: "nps",
  label: "NPS",
  weight: 10,
  criteria: (max) => [
    {
      id: "nps",
      label: "NPS",
      kind: "nps",
      property,
      bands: [
        { max: 7, points: 0 },
        { min: 7, max: 9, points: pts(max, 0.5) },
        { min: 9, points: max }
      ],
      missingData: "exclude"
    }
  ]
});
function scaleTo100(weights) {
  const total = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => w * 100 / total);
  const floors = exact.map(Math.floor);
  let left = 100 - floors.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => ({ i, rest: e - Math.floor(e) })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    floors[i] = (floors[i] ?? 0) + 1;
    left -= 1;
  }
  return floors;
}
function buildDefaultProfile(capabilities) {
  const templates = [
    capabilities.hasEngagements ? engagement : lastContacted(capabilities.lastContactedProperty || "notes_last_contacted")
  ];
  if (capabilities.hasTickets) templates.push(support);
  if (capabilities.hasDeals) templates.push(deals);
  if (capabilities.renewalDateProperty) templates.push(renewal(capabilities.renewalDateProperty));
  if (capabilities.hasCsmSentiment) templates.push(sentiment);
  if (capabilities.npsProperty) templates.push(nps(capabilities.npsProperty));
  const maxima = scaleTo100(templates.map((t) => t.weight));
  const groups = templates.map((t, i) => {
    const max = maxima[i] ?? 0;
    return { id: t.id, label: t.label, maxPoints: max, criteria: t.criteria(max) };
  });
  return profileSchema.parse({
    id: "default",
    name: "Default health score",
    objectType: capabilities.objectType ?? "companies",
    segment: null,
    groups
  });
}

// src/backend/engines/health/explain.ts
var oneDecimal2 = (value) => Math.round(value * 10) / 10;
function diffScores(previous, current) {
  const before = new Map(previous.criteria.map((c) => [c.id, c]));
  const deltas = [];
  for (const c of current.criteria) {
    const old = before.get(c.id);
    before.delete(c.id);
    const delta = oneDecimal2(c.points - (old?.points ?? 0));
    if (delta !== 0) deltas.push({ criterionId: c.id, label: c.reason ?? c.label, delta });
  }
  for (const old of before.values()) {
    const delta = oneDecimal2(-old.points);
    if (delta !== 0) deltas.push({ criterionId: old.id, label: `${old.label} (removed)`, delta });
  }
  return deltas.sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta) || a.criterionId.localeCompare(b.criterionId));
}

// src/backend/engines/health/transitions.ts
var ALERT_LIFETIME_MS = 14 * 864e5;
function rangeOf(category2, t) {
  if (category2 === "AT_RISK") return { from: 0, to: t.atRiskBelow };
  if (category2 === "NEUTRAL") return { from: t.atRiskBelow, to: t.goodFrom };
  return { from: t.goodFrom, to: Infinity };
}
function distanceOutside(score, category2, thresholds) {
  const { from, to } = rangeOf(category2, thresholds);
  if (score < from) return from - score;
  if (score >= to) return score - to;
  return 0;
}
function decideTransition(input) {
  const { current, thresholds, hysteresis } = input;
  const category2 = categoryFor(current.score, thresholds);
  const history = input.history.filter((s) => s.runId !== current.runId).sort((a, b) => a.at - b.at);
  const sameVersion = [];
  for (let i = history.length - 1; i >= 0; i -= 1) {
    const s = history[i];
    if (!s || s.profileVersion !== current.profileVersion) break;
    sameVersion.unshift(s);
  }
  const last = history.at(-1);
  const previous = sameVersion.at(-1);
  const decide = (outcome2, confirmedCategory, runs2, distance2, change) => ({
    outcome: outcome2,
    category: category2,
    confirmedCategory,
    previousConfirmed: last?.confirmedCategory ?? null,
    runs: runs2,
    distance: distance2,
    change,
    snapshot: { ...current, category: category2, confirmedCategory }
  });
  if (!last) return decide("first-score", category2, 1, 0, null);
  if (!previous) return decide("version-baseline", category2, 1, 0, null);
  const confirmed = previous.confirmedCategory;
  let runs = 1;
  for (let i = sameVersion.length - 1; i >= 0 && sameVersion[i]?.category === category2; i -= 1) runs += 1;
  if (category2 === confirmed) return decide("unchanged", confirmed, runs, 0, null);
  const distance = distanceOutside(current.score, confirmed, thresholds);
  const outcome = distance >= hysteresis.marginPoints ? "confirmed-by-margin" : runs >= hysteresis.consecutiveRuns ? "confirmed-by-runs" : null;
  if (!outcome) return decide("pending", confirmed, runs, distance, null);
  const reference = [...sameVersion].reverse().find((s) => s.category === confirmed) ?? sameVersion[0] ?? previous;
  return decide(outcome, category2, runs, distance, {
    from: confirmed,
    to: category2,
    raisedAt: current.at,
    expiresAt: current.at + ALERT_LIFETIME_MS,
    deltas: diffScores(reference, current)
  });
}

// src/backend/engines/health/summary.ts
import { DateTime as DateTime2 } from "luxon";
var HEALTH_CATEGORIES = ["AT_RISK", "NEUTRAL", "GOOD"];
var oneDecimal3 = (value) => Math.round(value * 10) / 10;
function percentages(counts, total) {
  if (total === 0) return counts.map(() => 0);
  const tenths = counts.map((c) => c * 1e3 / total);
  const floors = tenths.map(Math.floor);
  let left = 1e3 - floors.reduce((a, b) => a + b, 0);
  const order = tenths.map((t, i) => ({ i, rest: t - Math.floor(t) })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    floors[i] = (floors[i] ?? 0) + 1;
    left -= 1;
  }
  return floors.map((f) => f / 10);
}
function summarize(scores, thresholds) {
  const counts = { AT_RISK: 0, NEUTRAL: 0, GOOD: 0 };
  const bins = Array.from({ length: 10 }, () => 0);
  let sum = 0;
  for (const score of scores) {
    sum += score;
    counts[categoryFor(score, thresholds)] += 1;
    const bin = Math.min(9, Math.max(0, Math.floor(score / 10)));
    bins[bin] = (bins[bin] ?? 0) + 1;
  }
  const percents = percentages(HEALTH_CATEGORIES.map((c) => counts[c]), scores.length);
  const categories = Object.fromEntries(
    HEALTH_CATEGORIES.map((c, i) => [c, { count: counts[c], percent: percents[i] ?? 0 }])
  );
  return {
    customers: scores.length,
    average: scores.length === 0 ? null : oneDecimal3(sum / scores.length),
    categories,
    thresholds: { atRiskBelow: thresholds.atRiskBelow, goodFrom: thresholds.goodFrom },
    distribution: bins.map((count, i) => ({ from: i * 10, to: i * 10 + 10, count }))
  };
}
var SLOT_MS = 15 * 6e4;

// src/backend/engines/health/preview.ts
function previewProfile(oldProfile, newProfile, records, now) {
  const oldScorer = compileProfile(oldProfile);
  const newScorer = compileProfile(newProfile);
  const before = [];
  const after = [];
  const changed = [];
  for (const record of records) {
    const old = oldScorer.inSegment(record) ? oldScorer.score(record, now) : null;
    const next = newScorer.inSegment(record) ? newScorer.score(record, now) : null;
    if (old) before.push(old.score);
    if (next) after.push(next.score);
    if ((old?.category ?? null) !== (next?.category ?? null))
      changed.push({
        recordId: record.id,
        label: record.label,
        from: old?.category ?? null,
        to: next?.category ?? null,
        scoreBefore: old?.score ?? null,
        scoreAfter: next?.score ?? null
      });
  }
  const move = (c) => Math.abs((c.scoreAfter ?? 0) - (c.scoreBefore ?? 0));
  changed.sort((a, b) => move(b) - move(a) || a.recordId.localeCompare(b.recordId));
  return {
    before: summarize(before, oldProfile.thresholds),
    after: summarize(after, newProfile.thresholds),
    changed
  };
}

// src/backend/services/health/data.ts
var ENGAGEMENT_OBJECT = {
  MEETING: "meetings",
  CALL: "calls",
  EMAIL: "emails",
  NOTE: "notes"
};
var ENGAGEMENT_PROPERTIES = {
  MEETING: ["hs_timestamp", "hs_meeting_outcome"],
  CALL: ["hs_timestamp", "hs_call_direction", "hs_call_status"],
  EMAIL: ["hs_timestamp", "hs_email_direction"],
  NOTE: ["hs_timestamp"]
};
var DEFAULT_CSM_PROPERTY = "hubspot_owner_id";
function needsOf(profile, csmProperty) {
  const properties = /* @__PURE__ */ new Set([...labelProperties(profile.objectType), csmProperty, "createdate"]);
  const engagementDays = {};
  let tickets = false;
  let dealDays = null;
  for (const g of profile.segment?.filterGroups ?? []) for (const f of g.filters) properties.add(f.propertyName);
  for (const group of profile.groups) {
    for (const c of group.criteria) {
      switch (c.kind) {
        case "property":
          properties.add(c.filter.propertyName);
          break;
        case "engagementCount":
        case "engagementRecency":
          for (const t of c.types) engagementDays[t] = Math.max(engagementDays[t] ?? 0, c.windowDays);
          break;
        case "openTickets":
        case "ticketAge":
          tickets = true;
          break;
        case "deals":
          dealDays = Math.max(dealDays ?? 0, c.measure === "open" ? 0 : c.windowDays);
          break;
        case "renewal":
        case "daysSince":
        case "sentiment":
        case "nps":
          properties.add(c.property);
          break;
      }
    }
  }
  return { objectType: profile.objectType, properties: [...properties].sort(), engagementDays, tickets, dealDays };
}
function missingNeeds(loaded, wanted) {
  const out = [];
  if (loaded.objectType !== wanted.objectType) return [`The last run scored ${loaded.objectType}, not ${wanted.objectType}.`];
  const props = new Set(loaded.properties);
  const missingProps = wanted.properties.filter((p) => !props.has(p));
  if (missingProps.length) out.push(`The last run did not read ${missingProps.join(", ")}; those criteria show no data in this preview.`);
  for (const [type, days2] of Object.entries(wanted.engagementDays)) {
    const have = loaded.engagementDays[type];
    if (have === void 0 || have < days2)
      out.push(`The last run loaded ${ENGAGEMENT_OBJECT[type]} over ${have ?? 0} days, not ${days2}; the preview counts what it has.`);
  }
  if (wanted.tickets && !loaded.tickets) out.push("The last run did not load tickets; ticket criteria show no data in this preview.");
  if (wanted.dealDays !== null && (loaded.dealDays === null || loaded.dealDays < wanted.dealDays))
    out.push("The last run did not load deals over that window; deal criteria count what it has.");
  return out;
}
function mergeNeeds(a, b) {
  const engagementDays = { ...a.engagementDays };
  for (const [t, d] of Object.entries(b.engagementDays)) engagementDays[t] = Math.max(engagementDays[t] ?? 0, d);
  return {
    objectType: a.objectType,
    properties: [.../* @__PURE__ */ new Set([...a.properties, ...b.properties])].sort(),
    engagementDays,
    tickets: a.tickets || b.tickets,
    dealDays: a.dealDays === null ? b.dealDays : b.dealDays === null ? a.dealDays : Math.max(a.dealDays, b.dealDays)
  };
}
function convertValue(raw, def) {
  if (raw === void 0) return void 0;
  if (raw === null || raw === "") return null;
  switch (def?.type) {
    case "number": {
      const n = Number(raw);
      return Number.isFinite(n) ? n : null;
    }
    case "bool":
    case "boolean":
      return raw === "true";
    case "date":
    case "datetime": {
      const n = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
      return Number.isFinite(n) ? n : null;
    }
    default:
      return raw;
  }
}
var ms = (raw) => {
  if (!raw) return void 0;
  const n = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  return Number.isFinite(n) ? n : void 0;
};
async function loadMetadata(crm2, needs, warnings) {
  const [defs, ticketPipelines, ticketDefs, dealPipelines] = await Promise.all([
    crm2.properties(needs.objectType),
    needs.tickets ? crm2.pipelines("tickets").catch((err2) => (warnings.push(warningFor("Ticket stages", err2)), null)) : null,
    needs.tickets ? crm2.properties("tickets").catch(() => null) : null,
    needs.dealDays !== null ? crm2.pipelines("deals").catch((err2) => (warnings.push(warningFor("Deal stages", err2)), null)) : null
  ]);
  const openTicketStages = ticketPipelines ? ticketPipelines.flatMap((p) => p.stages.filter((s) => s.metadata.ticketState !== "CLOSED" && s.metadata.isClosed !== "true").map((s) => s.id)) : null;
  const dealStages = dealPipelines ? new Map(dealPipelines.flatMap((p) => p.stages.map((s) => {
    const closed = s.metadata.isClosed === "true";
    return [s.id, { closed, won: closed && Number(s.metadata.probability) >= 1 }];
  }))) : null;
  return {
    definitions: new Map(defs.map((d) => [d.name, d])),
    openTicketStages,
    ticketClosedProperty: ticketDefs?.some((d) => d.name === "closed_date") ? "closed_date" : null,
    dealStages
  };
}
var toSearchValue = (v) => String(v);
function segmentFilters(profile, definitions) {
  if (!profile?.segment) return [];
  return profile.segment.filterGroups.map((g) => ({
    filters: g.filters.map((f) => {
      const isDate = ["date", "datetime"].includes(definitions.get(f.propertyName)?.type ?? "");
      const conv = (v) => isDate && typeof v === "string" && !/^\d+$/.test(v) ? String(Date.parse(v)) : toSearchValue(v);
      return {
        propertyName: f.propertyName,
        operator: f.operator,
        ...f.value !== void 0 ? { value: conv(f.value) } : {},
        ...f.highValue !== void 0 ? { highValue: conv(f.highValue) } : {},
        ...f.values ? { values: f.values.map(conv) } : {}
      };
    })
  }));
}
var PAGE2 = 200;
var CHAIN_PAGES = 20;
var MAX_SLICES = 8;
async function splitScan(crm2, objectType, request, onProgress) {
  const groups = request.filterGroups.length ? request.filterGroups : [{ filters: [] }];
  const splittable = groups.every((g) => g.filters.length <= 3) && groups.reduce((n, g) => n + g.filters.length + 3, 0) <= 18;
  if (!splittable) return crm2.scan(objectType, request, onProgress);
  const probe = (direction) => crm2.search(objectType, { filterGroups: request.filterGroups, properties: ["hs_object_id"], sorts: [{ propertyName: "hs_object_id", direction }], limit: 1 });
  const [first, last] = await Promise.all([probe("ASCENDING"), probe("DESCENDING")]);
  if (first.results.length === 0) return [];
  const slices = Math.min(MAX_SLICES, Math.max(1, Math.ceil(first.total / PAGE2 / CHAIN_PAGES)));
  const min = Number(first.results[0].id);
  const max = Number(last.results[0]?.id ?? min);
  if (slices === 1 || !Number.isSafeInteger(min) || !Number.isSafeInteger(max) || max <= min) return crm2.scan(objectType, request, onProgress);
  const step = Math.ceil((max - min + 1) / slices);
  let seen = 0;
  const parts = await Promise.all(
    Array.from({ length: slices }, (_, i) => {
      const lo = min + i * step;
      const hi = i === slices - 1 ? max + 1 : lo + step;
      const filterGroups = groups.map((g) => ({
        filters: [...g.filters, { propertyName: "hs_object_id", operator: "GTE", value: String(lo) }, { propertyName: "hs_object_id", operator: "LT", value: String(hi) }]
      }));
      let mine = 0;
      return crm2.scan(objectType, { filterGroups, properties: request.properties }, (n) => {
        seen += n - mine;
        mine = n;
        onProgress?.(seen);
      });
    })
  );
  const out = [];
  for (const part of parts) for (const r of part) out.push(r);
  return out;
}
async function joinTo(crm2, fromType, toType, ids) {
  return ids.length ? crm2.associations(fromType, toType, ids) : /* @__PURE__ */ new Map();
}
async function loadInputs(crm2, needs, opts2) {
  const warnings = [];
  const stats = { searches: 0, general: 0, records: 0, engagements: 0, tickets: 0, deals: 0 };
  const lookback = opts2.lookbackDays ?? 0;
  const csm = opts2.csmProperty ?? DEFAULT_CSM_PROPERTY;
  const meta2 = await loadMetadata(crm2, needs, warnings);
  const props = needs.properties.filter((p) => meta2.definitions.has(p) || p === "createdate");
  const scanRecords = splitScan(
    crm2,
    needs.objectType,
    { filterGroups: segmentFilters(opts2.segmentOf ?? null, meta2.definitions), properties: props },
    (n) => opts2.onProgress?.(needs.objectType, n)
  );
  const engagementLoads = Object.entries(needs.engagementDays).map(async ([type, days2]) => {
    const objectType = ENGAGEMENT_OBJECT[type];
    const from = opts2.asOf - (days2 + lookback) * DAY_MS;
    const rows = await splitScan(crm2, objectType, {
      filterGroups: [{ filters: [
        { propertyName: "hs_timestamp", operator: "GT", value: String(from) },
        { propertyName: "hs_timestamp", operator: "LTE", value: String(opts2.asOf) }
      ] }],
      properties: ENGAGEMENT_PROPERTIES[type]
    }, (n) => opts2.onProgress?.(objectType, n));
    const links = await joinTo(crm2, objectType, needs.objectType, rows.map((r) => r.id));
    return { type, rows, links };
  });
  const ticketLoad = needs.tickets && meta2.openTicketStages ? (async () => {
    const groups = [{ filters: [{ propertyName: "hs_pipeline_stage", operator: "IN", values: meta2.openTicketStages }] }];
    if (lookback > 0 && meta2.ticketClosedProperty)
      groups.push({ filters: [{ propertyName: meta2.ticketClosedProperty, operator: "GT", value: String(opts2.asOf - lookback * DAY_MS) }] });
    const rows = await splitScan(
      crm2,
      "tickets",
      { filterGroups: groups, properties: ["createdate", "hs_pipeline_stage", "hs_ticket_priority", "closed_date"] },
      (n) => opts2.onProgress?.("tickets", n)
    );
    const links = await joinTo(crm2, "tickets", needs.objectType, rows.map((r) => r.id));
    return { rows, links };
  })() : null;
  const dealLoad = needs.dealDays !== null && meta2.dealStages ? (async () => {
    const open = [...meta2.dealStages].filter(([, s]) => !s.closed).map(([id2]) => id2);
    const since = opts2.asOf - ((needs.dealDays ?? 0) + lookback) * DAY_MS;
    const groups = [{ filters: [{ propertyName: "closedate", operator: "GT", value: String(since) }] }];
    if (open.length) groups.unshift({ filters: [{ propertyName: "dealstage", operator: "IN", values: open }] });
    const rows = await splitScan(
      crm2,
      "deals",
      { filterGroups: groups, properties: ["dealstage", "closedate", "createdate", "amount"] },
      (n) => opts2.onProgress?.("deals", n)
    );
    const links = await joinTo(crm2, "deals", needs.objectType, rows.map((r) => r.id));
    return { rows, links };
  })() : null;
  if (needs.tickets && !meta2.openTicketStages) warnings.push("Ticket stages could not be read: ticket criteria show no data.");
  if (needs.dealDays !== null && !meta2.dealStages) warnings.push("Deal stages could not be read: deal criteria show no data.");
  const [scanned, engagementResults, ticketResult, dealResult] = await Promise.all([
    scanRecords,
    Promise.allSettled(engagementLoads),
    ticketLoad ? ticketLoad.then((v) => ({ ok: true, v }), (err2) => ({ ok: false, err: err2 })) : null,
    dealLoad ? dealLoad.then((v) => ({ ok: true, v }), (err2) => ({ ok: false, err: err2 })) : null
  ]);
  const byId3 = /* @__PURE__ */ new Map();
  for (const r of scanned) byId3.set(r.id, toInput(needs.objectType, r, meta2, csm));
  stats.records = byId3.size;
  const engagementsOk = engagementResults.every((r) => r.status === "fulfilled");
  if (Object.keys(needs.engagementDays).length > 0 && engagementsOk) for (const rec of byId3.values()) rec.engagements = [];
  for (const result of engagementResults) {
    if (result.status === "rejected") {
      warnings.push(warningFor("Engagements", result.reason));
      continue;
    }
    if (!engagementsOk) continue;
    const { type, rows, links } = result.value;
    for (const row of rows) {
      const e = toEngagement(type, row);
      if (!e) continue;
      stats.engagements += 1;
      for (const id2 of links.get(row.id) ?? []) byId3.get(id2)?.engagements?.push(e);
    }
  }
  if (ticketResult) {
    if (!ticketResult.ok) warnings.push(warningFor("Tickets", ticketResult.err));
    else {
      for (const rec of byId3.values()) rec.tickets = [];
      const open = new Set(meta2.openTicketStages ?? []);
      for (const row of ticketResult.v.rows) {
        const createdAt = ms(row.properties.createdate) ?? ms(row.createdAt);
        if (createdAt === void 0) continue;
        const closed = !open.has(row.properties.hs_pipeline_stage ?? "");
        const t = { id: row.id, createdAt, closed, priority: row.properties.hs_ticket_priority ?? void 0 };
        const closedAt = ms(row.properties.closed_date);
        if (closed && closedAt !== void 0) t.closedAt = closedAt;
        stats.tickets += 1;
        for (const id2 of ticketResult.v.links.get(row.id) ?? []) byId3.get(id2)?.tickets?.push(t);
      }
    }
  }
  if (dealResult) {
    if (!dealResult.ok) warnings.push(warningFor("Deals", dealResult.err));
    else {
      for (const rec of byId3.values()) {
        rec.deals = [];
        rec.dealCreatedAt = {};
      }
      for (const row of dealResult.v.rows) {
        const stage = meta2.dealStages?.get(row.properties.dealstage ?? "");
        if (!stage) continue;
        const closeAt = ms(row.properties.closedate);
        const d = { id: row.id, open: !stage.closed };
        if (stage.closed && closeAt !== void 0) {
          if (stage.won) d.wonAt = closeAt;
          else d.lostAt = closeAt;
        }
        const amount = Number(row.properties.amount);
        if (row.properties.amount && Number.isFinite(amount)) d.amount = amount;
        stats.deals += 1;
        const created2 = ms(row.properties.createdate) ?? ms(row.createdAt);
        for (const id2 of dealResult.v.links.get(row.id) ?? []) {
          const rec = byId3.get(id2);
          if (!rec) continue;
          rec.deals.push(d);
          if (created2 !== void 0) rec.dealCreatedAt[row.id] = created2;
        }
      }
    }
  }
  return { records: [...byId3.values()], warnings, stats };
}
function toInput(objectType, r, meta2, csm) {
  const properties = {};
  for (const [name, raw] of Object.entries(r.properties)) properties[name] = convertValue(raw, meta2.definitions.get(name));
  const owner = r.properties[csm];
  return {
    id: r.id,
    label: recordLabel(objectType, r),
    ownerId: owner ? String(owner) : null,
    properties,
    createdAt: ms(r.properties.createdate) ?? ms(r.createdAt) ?? null
  };
}
function toEngagement(type, row) {
  const timestamp = ms(row.properties.hs_timestamp);
  if (timestamp === void 0) return null;
  const e = { type, timestamp };
  if (type === "EMAIL") {
    const d = row.properties.hs_email_direction;
    if (d === "INCOMING_EMAIL") e.direction = "INCOMING";
    else if (d === "EMAIL") e.direction = "OUTGOING";
  } else if (type === "CALL") {
    const d = row.properties.hs_call_direction;
    if (d === "INBOUND") e.direction = "INCOMING";
    else if (d === "OUTBOUND") e.direction = "OUTGOING";
    if (row.properties.hs_call_status) e.outcome = row.properties.hs_call_status;
  } else if (type === "MEETING" && row.properties.hs_meeting_outcome) {
    e.outcome = row.properties.hs_meeting_outcome;
  }
  return e;
}
function asOf(record, at) {
  if (record.createdAt !== null && record.createdAt > at) return null;
  const out = { ...record };
  if (record.tickets)
    out.tickets = record.tickets.filter((t) => t.createdAt <= at).map((t) => t.closed && t.closedAt !== void 0 && t.closedAt > at ? { id: t.id, createdAt: t.createdAt, closed: false, priority: t.priority } : t);
  if (record.deals)
    out.deals = record.deals.filter((d) => d.id === void 0 || (record.dealCreatedAt?.[d.id] ?? 0) <= at).map((d) => {
      const closedAt = d.wonAt ?? d.lostAt;
      return !d.open && closedAt !== void 0 && closedAt > at ? { id: d.id, open: true, amount: d.amount } : d;
    });
  return out;
}
function storedInput(record) {
  const { createdAt: _c, dealCreatedAt: _d, ...input } = record;
  return input;
}
async function loadOne(crm2, needs, objectId, opts2) {
  const warnings = [];
  const meta2 = await loadMetadata(crm2, needs, warnings);
  const props = needs.properties.filter((p) => meta2.definitions.has(p) || p === "createdate");
  const row = await crm2.getRecord(needs.objectType, objectId, props);
  if (!row) return { record: null, warnings };
  const record = toInput(needs.objectType, row, meta2, opts2.csmProperty ?? DEFAULT_CSM_PROPERTY);
  const linked = async (toType, properties) => {
    const ids = (await crm2.associations(needs.objectType, toType, [objectId])).get(objectId) ?? [];
    return ids.length ? [...(await crm2.batchRead(toType, ids, properties)).values()] : [];
  };
  const engagementTypes = Object.entries(needs.engagementDays);
  const [engagements, tickets, deals2] = await Promise.allSettled([
    Promise.all(engagementTypes.map(async ([type, days2]) => {
      const rows = await linked(ENGAGEMENT_OBJECT[type], ENGAGEMENT_PROPERTIES[type]);
      const from = opts2.asOf - days2 * DAY_MS;
      return rows.map((r) => toEngagement(type, r)).filter((e) => e !== null && e.timestamp > from && e.timestamp <= opts2.asOf);
    })),
    needs.tickets && meta2.openTicketStages ? linked("tickets", ["createdate", "hs_pipeline_stage", "hs_ticket_priority", "closed_date"]) : Promise.resolve(null),
    needs.dealDays !== null && meta2.dealStages ? linked("deals", ["dealstage", "closedate", "createdate", "amount"]) : Promise.resolve(null)
  ]);
  if (engagementTypes.length) {
    if (engagements.status === "fulfilled") record.engagements = engagements.value.flat();
    else warnings.push(warningFor("Engagements", engagements.reason));
  }
  if (tickets.status === "rejected") warnings.push(warningFor("Tickets", tickets.reason));
  else if (tickets.value) {
    const open = new Set(meta2.openTicketStages ?? []);
    record.tickets = tickets.value.flatMap((r) => {
      const createdAt = ms(r.properties.createdate) ?? ms(r.createdAt);
      if (createdAt === void 0) return [];
      const closed = !open.has(r.properties.hs_pipeline_stage ?? "");
      return [{ id: r.id, createdAt, closed, priority: r.properties.hs_ticket_priority ?? void 0, ...closed && ms(r.properties.closed_date) ? { closedAt: ms(r.properties.closed_date) } : {} }];
    });
  }
  if (deals2.status === "rejected") warnings.push(warningFor("Deals", deals2.reason));
  else if (deals2.value) {
    record.deals = deals2.value.flatMap((r) => {
      const stage = meta2.dealStages?.get(r.properties.dealstage ?? "");
      if (!stage) return [];
      const closeAt = ms(r.properties.closedate);
      const d = { id: r.id, open: !stage.closed };
      if (stage.closed && closeAt !== void 0) {
        if (stage.won) d.wonAt = closeAt;
        else d.lostAt = closeAt;
      }
      return [d];
    });
  }
  return { record, warnings };
}

// src/backend/services/health/profiles.ts
init_app_error();
import { randomBytes } from "node:crypto";
import { ZodError } from "zod";
var DEFAULT_PROFILE_ID = "default";
var CSM_PROPERTY_SETTING = "health.csmProperty";
var RENEWAL_NAMES = ["renewal_date", "hs_renewal_date", "contract_renewal_date", "renewal_date__c"];
async function detectCapabilities(crm2, objectType = "companies") {
  const exists = async (type) => {
    try {
      const page = await crm2.search(type, { filterGroups: [], properties: ["hs_object_id"], limit: 1 });
      return page.total > 0;
    } catch {
      return false;
    }
  };
  const [definitions, meetings, calls, emails, notes, tickets, deals2] = await Promise.all([
    crm2.properties(objectType),
    exists("meetings"),
    exists("calls"),
    exists("emails"),
    exists("notes"),
    exists("tickets"),
    exists("deals")
  ]);
  const isDate = (t) => t === "date" || t === "datetime";
  const renewal2 = RENEWAL_NAMES.map((n) => definitions.find((d) => d.name === n && isDate(d.type))).find(Boolean) ?? definitions.find((d) => isDate(d.type) && /renewal/i.test(`${d.name} ${d.label}`));
  const nps2 = definitions.find((d) => d.type === "number" && /(^|[^a-z])nps([^a-z]|$)|net promoter/i.test(`${d.name} ${d.label}`));
  return {
    objectType,
    hasEngagements: meetings || calls || emails || notes,
    hasTickets: tickets,
    hasDeals: deals2,
    renewalDateProperty: renewal2?.name ?? null,
    hasCsmSentiment: definitions.some((d) => d.name === "hs_csm_sentiment"),
    npsProperty: nps2?.name ?? null,
    lastContactedProperty: definitions.some((d) => d.name === "notes_last_contacted") ? "notes_last_contacted" : "notes_last_updated"
  };
}
function toSummary(p) {
  return { id: p.id, name: p.name, objectType: p.objectType, version: p.version, isDefault: p.isDefault, updatedAt: p.updatedAt.toISOString() };
}
function profileOf(p) {
  return parseProfile({ ...p.profile, id: p.id, version: p.version });
}
function profileService(db2, now) {
  const repo = createHealthRepo(db2);
  const settings = createSettingsRepo(db2);
  const creating = /* @__PURE__ */ new Map();
  async function ensure(portalId, crm2) {
    const found = await repo.listProfiles(portalId);
    if (found.length > 0) return found;
    let pending = creating.get(portalId);
    if (!pending) {
      pending = (async () => {
        const capabilities = await detectCapabilities(crm2).catch((err2) => Promise.reject(fromCrmError(err2)));
        const profile = buildDefaultProfile(capabilities);
        await repo.insertProfile(portalId, { id: DEFAULT_PROFILE_ID, name: profile.name, objectType: profile.objectType, isDefault: true, profile }, new Date(now()));
        return repo.listProfiles(portalId);
      })().finally(() => creating.delete(portalId));
      creating.set(portalId, pending);
    }
    return pending;
  }
  async function pick(portalId, crm2, profileId) {
    const all = await ensure(portalId, crm2);
    const chosen = profileId ? all.find((p) => p.id === profileId) : all.find((p) => p.isDefault) ?? all[0];
    if (!chosen) throw new AppError("NOT_FOUND", `There is no health profile "${profileId}".`);
    return profileOf(chosen);
  }
  function validate(input, id2, version) {
    try {
      return parseProfile({ ...input, id: id2, version });
    } catch (err2) {
      if (err2 instanceof ZodError) {
        const details = err2.issues.map((i) => ({ field: ["profile", ...i.path].join("."), issue: i.message }));
        throw new AppError("BAD_REQUEST", `Some profile values are not valid: ${details.map((d) => d.field).join(", ")}.`, details);
      }
      throw err2;
    }
  }
  return {
    ensure,
    pick,
    validate,
    async csmProperty(portalId) {
      const value = await settings.getSetting(portalId, CSM_PROPERTY_SETTING);
      return typeof value === "string" && value ? value : DEFAULT_CSM_PROPERTY;
    },
    async list(portalId, crm2) {
      return (await ensure(portalId, crm2)).map(toSummary);
    },
    async get(portalId, crm2, id2) {
      await ensure(portalId, crm2);
      const p = await repo.getProfile(portalId, id2);
      if (!p) throw new AppError("NOT_FOUND", `There is no health profile "${id2}".`);
      return profileOf(p);
    },
    async create(portalId, crm2, input) {
      await ensure(portalId, crm2);
      const id2 = `p-${randomBytes(5).toString("hex")}`;
      const profile = validate(input, id2, 1);
      await repo.insertProfile(portalId, { id: id2, name: profile.name, objectType: profile.objectType, isDefault: false, profile }, new Date(now()));
      return profile;
    },
    async update(portalId, crm2, id2, input, expectedVersion) {
      await ensure(portalId, crm2);
      const profile = validate(input, id2, expectedVersion + 1);
      const outcome = await repo.updateProfile(portalId, id2, expectedVersion, { name: profile.name, objectType: profile.objectType, profile }, new Date(now()));
      if (outcome === "missing") throw new AppError("NOT_FOUND", `There is no health profile "${id2}".`);
      if (outcome === "conflict") {
        const current = await repo.getProfile(portalId, id2);
        throw new AppError("CONFLICT", "Someone saved this profile since you opened it. Reload it and apply your change again.", {
          currentVersion: current?.version ?? null
        });
      }
      return profile;
    },
    async remove(portalId, crm2, id2) {
      const all = await ensure(portalId, crm2);
      const p = all.find((x) => x.id === id2);
      if (!p) throw new AppError("NOT_FOUND", `There is no health profile "${id2}".`);
      if (p.isDefault) throw new AppError("CONFLICT", "The default profile cannot be deleted.");
      if (all.length <= 1) throw new AppError("CONFLICT", "The last profile cannot be deleted.");
      await repo.deleteProfile(portalId, id2, new Date(now()));
    }
  };
}

// src/backend/services/health/runner.ts
var HUBSPOT_SEARCH_PER_S = 5;
var HUBSPOT_GENERAL_PER_S = 11;
function rateLimitFloorMs(searches, general) {
  return Math.max(searches / HUBSPOT_SEARCH_PER_S * 1e3, general / HUBSPOT_GENERAL_PER_S * 1e3);
}
function newRunId(now) {
  return `run-${new Date(now).toISOString().replace(/[-:.]/g, "").slice(0, 15)}-${randomBytes2(3).toString("hex")}`;
}
var toSnapshot = (s) => s;
function scoreStep(profile, input, ownerId, objectType, at, runId, state, backfilled, storedState) {
  if (state?.runId === runId) return null;
  const result = scoreRecord(profile, input, at);
  const criteria = result.criteria.map((c) => ({ id: c.id, label: c.label, points: c.points, reason: c.reason }));
  const decision = decideTransition({
    history: (state?.recent ?? []).map(toSnapshot),
    current: { runId, at, profileVersion: profile.version, score: result.score, criteria },
    thresholds: profile.thresholds,
    hysteresis: profile.hysteresis
  });
  const snap = {
    runId,
    at,
    profileVersion: profile.version,
    score: result.score,
    category: decision.category,
    confirmedCategory: decision.confirmedCategory,
    criteria: criteria.map(({ id: id2, label: label2, points }) => ({ id: id2, label: label2, points }))
  };
  const keep = Math.max(2, profile.hysteresis.consecutiveRuns);
  const all = [...state?.recent ?? [], snap].sort((a, b) => a.at - b.at);
  const recent = all.slice(-keep);
  const reference = [...all].reverse().find((s) => s.profileVersion === profile.version && s.category === decision.confirmedCategory);
  if (reference && !recent.includes(reference)) recent.unshift(reference);
  const change = decision.change ? { from: decision.change.from, to: decision.change.to, at: new Date(decision.change.raisedAt).toISOString(), deltas: decision.change.deltas } : state?.change ?? null;
  const write = {
    objectType,
    objectId: input.id,
    label: input.label,
    ownerId,
    runId,
    at: new Date(at),
    profileVersion: profile.version,
    score: result.score,
    category: decision.category,
    confirmedCategory: decision.confirmedCategory,
    backfilled,
    criteria: snap.criteria,
    state: storedState ? { input, recent, change } : null,
    alert: decision.change ? {
      id: `${profile.id}:${objectType}:${input.id}:${runId}`,
      from: decision.change.from,
      to: decision.change.to,
      raisedAt: new Date(decision.change.raisedAt),
      expiresAt: new Date(decision.change.expiresAt),
      deltas: decision.change.deltas
    } : null
  };
  return { write, next: { runId, recent, change } };
}
async function queueRun(db2, portalId, kind, now) {
  const repo = createHealthRepo(db2);
  const pending = await repo.unfinishedRun(portalId);
  if (pending) return pending;
  const id2 = newRunId(now);
  await repo.createRun(portalId, { id: id2, kind, asOf: new Date(now), requestedAt: new Date(now) });
  return await repo.getRun(portalId, id2);
}
async function runPortal(deps, portalId, run) {
  const repo = createHealthRepo(deps.db);
  const started = deps.now();
  const log = deps.logger;
  const crm2 = deps.crm.portal(portalId);
  const profiles = profileService(deps.db, deps.now);
  await repo.updateRun(portalId, run.id, { status: "running", startedAt: new Date(started), attempt: true });
  log.info({ portalId, runId: run.id, attempt: run.attempts + 1, asOf: run.asOf.toISOString() }, "health run started");
  const meter = new RequestMeter();
  const asOfMs = run.asOf.getTime();
  const warnings = [];
  const stats = {
    calls: {},
    searches: 0,
    general: 0,
    floorMs: 0,
    loadMs: 0,
    wallMs: 0,
    records: 0,
    engagements: 0,
    tickets: 0,
    deals: 0,
    backfilledDays: 0
  };
  try {
    const stored = await runWithCallContext({ meter, deadline: Infinity, priority: "background" }, () => profiles.ensure(portalId, crm2));
    const active = stored.map(profileOf);
    const csm = await profiles.csmProperty(portalId);
    const byObject = /* @__PURE__ */ new Map();
    for (const p of active) byObject.set(p.objectType, [...byObject.get(p.objectType) ?? [], p]);
    let written = 0;
    let total = 0;
    for (const [objectType, group] of byObject) {
      const states = /* @__PURE__ */ new Map();
      let backfill = false;
      for (const p of group) {
        const s = await repo.loadStates(portalId, p.id);
        const m = /* @__PURE__ */ new Map();
        for (const [key, v] of s) m.set(key.slice(objectType.length + 1), { runId: v.runId, recent: v.recent, change: v.change });
        states.set(p.id, m);
        if (m.size === 0 && (deps.backfillDays ?? 0) > 0) backfill = true;
      }
      const needs = group.map((p) => needsOf(p, csm)).reduce((a, b) => mergeNeeds(a, b));
      const segmentOf = group.length === 1 ? group[0] : null;
      const loadStarted = deps.now();
      let lastLog = 0;
      const loaded = await runWithCallContext(
        { meter, deadline: Infinity, priority: "background" },
        () => loadInputs(crm2, needs, {
          asOf: asOfMs,
          lookbackDays: backfill ? deps.backfillDays : 0,
          csmProperty: csm,
          segmentOf,
          onProgress: (what, count) => {
            const t = deps.now();
            if (t - lastLog >= 5e3) {
              lastLog = t;
              log.info({ portalId, runId: run.id, loading: what, count, searches: meter.byKind().search ?? 0, calls: meter.calls }, "health run loading");
            }
          }
        })
      );
      stats.loadMs += deps.now() - loadStarted;
      warnings.push(...loaded.warnings);
      stats.records += loaded.stats.records;
      stats.engagements += loaded.stats.engagements;
      stats.tickets += loaded.stats.tickets;
      stats.deals += loaded.stats.deals;
      for (const profile of group) {
        const memory = states.get(profile.id);
        const records = loaded.records.filter((r) => inSegment(profile, r));
        total += records.length;
        await repo.updateRun(portalId, run.id, { total });
        if (backfill && memory.size === 0) {
          stats.backfilledDays = await backfillProfile(deps, portalId, profile, objectType, records, memory, asOfMs, run.id);
        }
        const batchSize = deps.batchSize ?? 500;
        let batch = [];
        const flush = async () => {
          if (batch.length === 0) return;
          const items = batch;
          batch = [];
          await deps.db.transaction((tx) => createHealthRepo(tx).writeScores(portalId, profile.id, items));
          written += items.length;
          await repo.updateRun(portalId, run.id, { scored: written });
          log.info({ portalId, runId: run.id, profileId: profile.id, scored: written, total }, "health run progress");
          await deps.afterBatch?.(written);
        };
        for (const record of records) {
          const step = scoreStep(profile, storedInput(record), record.ownerId, objectType, asOfMs, run.id, memory.get(record.id), false, true);
          if (!step) {
            written += 1;
            continue;
          }
          memory.set(record.id, step.next);
          batch.push(step.write);
          if (batch.length >= batchSize) await flush();
        }
        await flush();
        await repo.writeRunTotals(portalId, profile.id, run.id);
      }
    }
    const byKind = meter.byKind();
    stats.calls = byKind;
    stats.searches = byKind.search ?? 0;
    stats.general = meter.calls - stats.searches;
    stats.floorMs = Math.round(rateLimitFloorMs(stats.searches, stats.general));
    stats.wallMs = deps.now() - started;
    await repo.updateRun(portalId, run.id, { status: "done", finishedAt: new Date(deps.now()), scored: written, total, stats, warnings });
    log.info({ portalId, runId: run.id, scored: written, ...stats }, "health run done");
  } catch (err2) {
    stats.wallMs = deps.now() - started;
    log.error({ portalId, runId: run.id, err: err2 }, "health run failed");
    const retry = run.attempts + 1 < (deps.maxAttempts ?? 3);
    await repo.updateRun(portalId, run.id, {
      status: retry ? "queued" : "failed",
      ...retry ? {} : { finishedAt: new Date(deps.now()) },
      error: err2 instanceof Error ? err2.message : String(err2),
      stats,
      warnings
    }).catch(() => {
    });
    throw err2;
  }
  return await repo.getRun(portalId, run.id);
}
async function backfillProfile(deps, portalId, profile, objectType, records, memory, asOfMs, runId) {
  const days2 = deps.backfillDays ?? 0;
  const repo = createHealthRepo(deps.db);
  for (let d = days2; d >= 1; d -= 1) {
    const at = asOfMs - d * DAY_MS;
    const dayRun = `bf-${new Date(at).toISOString().slice(0, 10)}`;
    const items = [];
    for (const record of records) {
      const input = asOf(record, at);
      if (!input) continue;
      const step = scoreStep(profile, storedInput(input), record.ownerId, objectType, at, dayRun, memory.get(record.id), true, false);
      if (!step) continue;
      memory.set(record.id, step.next);
      items.push(step.write);
    }
    for (let i = 0; i < items.length; i += 1e3) {
      const chunk = items.slice(i, i + 1e3);
      await deps.db.transaction((tx) => createHealthRepo(tx).writeScores(portalId, profile.id, chunk));
    }
    await repo.writeRunTotals(portalId, profile.id, dayRun);
  }
  deps.logger.info({ portalId, runId, profileId: profile.id, days: days2, records: records.length }, "health history backfilled");
  return days2;
}

// src/backend/jobs/health-scheduler.ts
var lockKey = (portalId) => `health-run:${portalId}`;
function createHealthScheduler(opts2) {
  const inFlight = /* @__PURE__ */ new Map();
  const intervalMs = opts2.intervalMinutes * 6e4;
  let timer;
  let stopping = false;
  async function runDue(portalId) {
    const res = await opts2.db.tryLock(lockKey(portalId), async () => {
      const repo = createHealthRepo(opts2.db);
      let outcome = "not-due";
      for (let i = 0; i < 5 && !stopping; i += 1) {
        let run = await repo.unfinishedRun(portalId);
        if (!run) {
          if (outcome === "ran") break;
          const last = await repo.lastFinishedRun(portalId);
          if (last && opts2.now() - last.requestedAt.getTime() < intervalMs) break;
          run = await queueRun(opts2.db, portalId, "scheduled", opts2.now());
        }
        try {
          await runPortal(opts2, portalId, run);
        } catch {
          outcome = "ran";
          break;
        }
        outcome = "ran";
      }
      return outcome;
    });
    return res.acquired ? res.value : "busy";
  }
  function kick(portalId) {
    const running = inFlight.get(portalId);
    if (running) return running;
    const p = runDue(portalId).catch((err2) => {
      opts2.logger.error({ portalId, err: err2 }, "health scheduler failed");
      return "busy";
    }).finally(() => inFlight.delete(portalId));
    inFlight.set(portalId, p);
    return p;
  }
  async function tick() {
    if (stopping) return;
    try {
      for (const portalId of await opts2.portals()) void kick(portalId);
    } catch (err2) {
      opts2.logger.error({ err: err2 }, "health scheduler tick failed");
    }
  }
  return {
    start() {
      if (timer) return;
      stopping = false;
      void tick();
      timer = setInterval(() => void tick(), opts2.tickMs ?? 6e4);
      timer.unref();
    },
    async stop() {
      stopping = true;
      if (timer) clearInterval(timer);
      timer = void 0;
      await Promise.allSettled([...inFlight.values()]);
    },
    async requestRun(portalId) {
      const run = await queueRun(opts2.db, portalId, "on-demand", opts2.now());
      void kick(portalId);
      return { runId: run.id, status: run.status };
    },
    runDue: kick,
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight.values()]);
    }
  };
}

// src/backend/services/health/queries.ts
init_app_error();
import { DateTime as DateTime3 } from "luxon";
var HISTORY_DAYS = 90;
function encodeCursor(parts) {
  return Buffer.from(JSON.stringify(parts)).toString("base64url");
}
function decodeCursor(cursor) {
  if (!cursor) return null;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(parsed)) return parsed;
  } catch {
  }
  throw new AppError("BAD_REQUEST", "The paging cursor is not valid.", [{ field: "after", issue: "not a cursor from this API" }]);
}
function healthQueries(deps) {
  const repo = createHealthRepo(deps.db);
  const profiles = profileService(deps.db, deps.now);
  const summaryCache = /* @__PURE__ */ new Map();
  async function ownerFilter(crm2, v, warnings) {
    if (v.scope === "portal") return null;
    const owners = await crm2.owners().catch((err2) => Promise.reject(fromCrmError(err2)));
    const owner = owners.find((o) => o.userId === v.viewAsUserId && !o.archived);
    if (!owner) {
      warnings.push("This user is not a HubSpot owner, so no customers are assigned to them.");
      return void 0;
    }
    return owner.id;
  }
  async function runWarnings(portalId, warnings) {
    const last = await repo.lastFinishedRun(portalId);
    if (!last || last.status === "failed") {
      const pending = await repo.unfinishedRun(portalId);
      if (!pending) deps.requestFirstRun(portalId);
      if (!last) warnings.push("Health scores are being computed for the first time; this shows what is ready so far.");
      else warnings.push("The last scoring run failed; scores may be out of date.");
    } else warnings.push(...last.warnings);
    return last;
  }
  function historyOf2(totals, timeZone) {
    const byDay = /* @__PURE__ */ new Map();
    for (const t of totals) {
      if (t.count === 0) continue;
      const date = DateTime3.fromJSDate(t.at, { zone: timeZone }).toISODate() ?? "";
      const seen = byDay.get(date);
      if (!seen || t.at.getTime() >= seen.at) byDay.set(date, { at: t.at.getTime(), sum: t.scoreSum, count: t.count });
    }
    return [...byDay.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([date, d]) => ({ date, average: Math.round(d.sum / d.count * 10) / 10 }));
  }
  function toRecordResponse(profile, objectType, result, computedAt, change, recent = []) {
    const before = recent.filter((r) => r.at < computedAt).sort((a, b) => b.at - a.at)[0];
    return {
      previous: before ? { score: before.score, computedAt: new Date(before.at).toISOString() } : null,
      objectType,
      objectId: result.recordId,
      profileId: profile.id,
      profileVersion: profile.version,
      score: result.score,
      category: result.category,
      computedAt: new Date(computedAt).toISOString(),
      groups: result.groups.map((g) => ({ id: g.id, label: g.label, maxPoints: g.maxPoints, score: g.score })),
      criteria: result.criteria.map((c) => ({
        id: c.id,
        group: c.group,
        label: c.label,
        points: c.points,
        noData: c.noData,
        facts: { ...c.facts, reason: c.reason, excluded: c.excluded }
      })),
      change: change ?? null
    };
  }
  async function profileFor(portalId, crm2, objectType, profileId) {
    if (profileId) {
      const p = await profiles.pick(portalId, crm2, profileId);
      if (p.objectType !== objectType) throw new AppError("NOT_FOUND", `Health profile "${p.name}" scores ${p.objectType}, not ${objectType}.`);
      return p;
    }
    const all = await profiles.ensure(portalId, crm2);
    const match = all.find((p) => p.isDefault && p.objectType === objectType) ?? all.find((p) => p.objectType === objectType);
    if (!match) throw new AppError("NOT_FOUND", `No health profile scores ${objectType}.`);
    return profileOf(match);
  }
  return {
    async summary(crm2, v, profileId) {
      const warnings = [];
      const profile = await profiles.pick(v.portalId, crm2, profileId);
      const [ownerId, tz] = await Promise.all([ownerFilter(crm2, v, warnings), resolveTimeZone(crm2, v.viewAsUserId)]);
      warnings.push(...tz.warnings);
      const last = await runWarnings(v.portalId, warnings);
      const pending = await repo.unfinishedRun(v.portalId);
      const key = JSON.stringify([v.portalId, profile.id, profile.version, ownerId ?? null, v.scope, tz.timeZone, last?.id, last?.status, pending?.id, pending?.scored, warnings]);
      const hit = summaryCache.get(key);
      if (hit && deps.now() - hit.at < 6e4) return hit.body;
      const since = new Date(deps.now() - HISTORY_DAYS * 864e5);
      const [scores, totals] = ownerId === void 0 ? [[], []] : await Promise.all([repo.scores(v.portalId, profile.id, ownerId), repo.runTotals(v.portalId, profile.id, ownerId, since)]);
      const s = summarize(scores, profile.thresholds);
      const body = {
        profileId: profile.id,
        profileVersion: profile.version,
        customers: s.customers,
        average: s.average,
        categories: s.categories,
        thresholds: s.thresholds,
        distribution: s.distribution,
        history: historyOf2(totals, tz.timeZone)
      };
      const partial = warnings.filter((w) => !w.startsWith("This user is not a HubSpot owner"));
      const out = partial.length || warnings.length ? { ...body, ...partial.length ? { partial: true } : {}, warnings } : body;
      if (summaryCache.size >= 1e3) summaryCache.delete(summaryCache.keys().next().value);
      summaryCache.set(key, { at: deps.now(), body: out });
      return out;
    },
    async record(crm2, portalId, objectType, objectId, profileId) {
      const profile = await profileFor(portalId, crm2, objectType, profileId);
      const state = await repo.getState(portalId, profile.id, objectType, objectId);
      const now = deps.now();
      if (state && state.profileVersion === profile.version && now - state.at.getTime() < deps.freshForMs) {
        const result = scoreRecord(profile, state.input, state.at.getTime());
        return toRecordResponse(profile, objectType, result, state.at.getTime(), state.change, state.recent);
      }
      const csm = await profiles.csmProperty(portalId);
      try {
        const live = await loadOne(crm2, needsOf(profile, csm), objectId, { asOf: now, csmProperty: csm });
        if (!live.record) throw new AppError("NOT_FOUND", `There is no ${objectType} record ${objectId}.`);
        const result = scoreRecord(profile, live.record, now);
        const body = toRecordResponse(profile, objectType, result, now, state?.change ?? null, state?.recent);
        return live.warnings.length ? { ...body, partial: true, warnings: live.warnings } : body;
      } catch (err2) {
        if (err2 instanceof AppError || !state) throw fromCrmError(err2);
        const result = scoreRecord(profile, state.input, now);
        return {
          ...toRecordResponse(profile, objectType, result, now, state.change, state.recent),
          partial: true,
          warnings: [`${warningFor("Fresh data", err2)} This score uses the data of ${state.at.toISOString().slice(0, 10)}.`]
        };
      }
    },
    async alerts(crm2, v, after, limit) {
      const warnings = [];
      await profiles.ensure(v.portalId, crm2);
      const ownerId = await ownerFilter(crm2, v, warnings);
      const cursor = decodeCursor(after);
      const from = cursor && typeof cursor[0] === "string" && typeof cursor[1] === "string" ? { raisedAt: new Date(cursor[0]), id: cursor[1] } : null;
      if (cursor && (!from || Number.isNaN(from.raisedAt.getTime()))) decodeCursor("!");
      const rows = ownerId === void 0 ? [] : await repo.activeAlerts(v.portalId, ownerId, new Date(deps.now()), from, limit + 1);
      const page = rows.slice(0, limit);
      const alerts = page.map((a) => ({
        id: a.id,
        profileId: a.profileId,
        record: { objectType: a.objectType, objectId: a.objectId, label: a.label },
        from: a.from,
        to: a.to,
        raisedAt: a.raisedAt.toISOString(),
        expiresAt: a.expiresAt.toISOString(),
        deltas: a.deltas,
        ...a.backfilled ? { backfilled: true } : {}
      }));
      const last = page.at(-1);
      const body = { alerts };
      if (rows.length > limit && last) body.paging = { next: { after: encodeCursor([last.raisedAt.toISOString(), last.id]) } };
      return warnings.length ? { ...body, warnings } : body;
    },
    async customers(crm2, v, q) {
      const warnings = [];
      const profile = await profiles.pick(v.portalId, crm2, q.profileId);
      const ownerId = await ownerFilter(crm2, v, warnings);
      await runWarnings(v.portalId, warnings);
      const cursor = decodeCursor(q.after);
      const from = cursor && typeof cursor[0] === "number" && typeof cursor[1] === "string" ? { score: cursor[0], objectId: cursor[1] } : null;
      if (cursor && !from) decodeCursor("!");
      const rows = ownerId === void 0 ? [] : await repo.customers(v.portalId, profile.id, ownerId, q.category ?? null, from, q.limit + 1);
      const page = rows.slice(0, q.limit);
      const body = {
        customers: page.map((r) => ({ objectType: r.objectType, objectId: r.objectId, label: r.label, score: r.score, category: r.category, computedAt: r.at.toISOString() }))
      };
      const last = page.at(-1);
      if (rows.length > q.limit && last) body.paging = { next: { after: encodeCursor([last.score, last.objectId]) } };
      const partial = warnings.filter((w) => !w.startsWith("This user is not a HubSpot owner"));
      return warnings.length ? { ...body, ...partial.length ? { partial: true } : {}, warnings } : body;
    },
    /** Dry run of a profile edit on the inputs the last run stored: nothing is saved. */
    async preview(crm2, portalId, id2, input) {
      const all = await profiles.ensure(portalId, crm2);
      const baseId = id2 === "new" ? all.find((p) => p.isDefault)?.id ?? DEFAULT_PROFILE_ID : id2;
      const stored = all.find((p) => p.id === baseId);
      if (!stored) throw new AppError("NOT_FOUND", `There is no health profile "${id2}".`);
      const old = profileOf(stored);
      const next = profiles.validate(input, id2 === "new" ? "new" : id2, old.version + 1);
      const csm = await profiles.csmProperty(portalId);
      const warnings = missingNeeds(needsOf(old, csm), needsOf(next, csm));
      const rows = await repo.loadInputs(portalId, old.id);
      if (rows.length === 0) warnings.push("No scoring run has finished yet: the preview has no customers to score.");
      const last = await repo.lastFinishedRun(portalId);
      const at = last?.asOf.getTime() ?? deps.now();
      const preview = previewProfile(old, next, rows.map((r) => r.input), at);
      const changedTotal = preview.changed.length;
      const body = { ...preview, changed: preview.changed.slice(0, 500), changedTotal };
      return warnings.length ? { ...body, partial: true, warnings } : body;
    },
    async run(portalId, id2) {
      const run = await repo.getRun(portalId, id2);
      if (!run) throw new AppError("NOT_FOUND", `There is no health run "${id2}".`);
      return {
        id: run.id,
        kind: run.kind,
        status: run.status,
        asOf: run.asOf.toISOString(),
        requestedAt: run.requestedAt.toISOString(),
        startedAt: run.startedAt?.toISOString() ?? null,
        finishedAt: run.finishedAt?.toISOString() ?? null,
        total: run.total,
        scored: run.scored,
        attempts: run.attempts,
        stats: run.stats,
        warnings: run.warnings,
        error: run.error
      };
    }
  };
}

// src/backend/http/routes/health.ts
var category = z5.enum(["AT_RISK", "NEUTRAL", "GOOD"]);
var scope = z5.enum(["mine", "portal"]).default("mine");
var summaryQuery = z5.object({ profileId: z5.string().min(1).optional(), scope });
var recordQuery = z5.object({ profileId: z5.string().min(1).optional() });
var alertsQuery = z5.object({ after: z5.string().optional(), limit: z5.coerce.number().int().min(1).max(100).default(25), scope });
var customersQuery = z5.object({
  profileId: z5.string().min(1).optional(),
  category: category.optional(),
  after: z5.string().optional(),
  limit: z5.coerce.number().int().min(1).max(200).default(50),
  scope
});
var objectParams = z5.object({
  objectType: z5.string().regex(/^(companies|contacts|2-\d+|p\d*_[a-z0-9_]+)$/i, "must be companies, contacts or a custom object type id"),
  objectId: z5.string().regex(/^\d{1,20}$/, "must be a numeric id")
});
var profileBody = z5.object({ profile: z5.record(z5.string(), z5.unknown()) });
var updateBody = z5.object({ profile: z5.record(z5.string(), z5.unknown()), expectedVersion: z5.number().int().min(1) });
var idParam = z5.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be a profile id");
function healthRoutes(deps) {
  const router = Router4();
  const scheduler = deps.healthScheduler ?? createHealthScheduler({
    db: deps.db,
    crm: deps.crm,
    now: deps.now,
    logger: { info() {
    }, warn() {
    }, error() {
    } },
    portals: async () => [],
    intervalMinutes: 360
  });
  const profiles = profileService(deps.db, deps.now);
  const queries = healthQueries({
    db: deps.db,
    now: deps.now,
    freshForMs: deps.healthFreshForMs ?? 12 * 36e5,
    requestFirstRun: (portalId) => void scheduler.requestRun(portalId).catch(() => {
    })
  });
  async function requireManager(res, what) {
    const { portalId, userId } = identityOf(res);
    if (!await deps.roles.isManager(portalId, userId)) throw new AppError("FORBIDDEN", `Only managers can ${what}.`);
  }
  async function viewer(res, s) {
    const { portalId, viewAsUserId } = identityOf(res);
    if (s === "portal") await requireManager(res, "see the whole portal");
    return { portalId, viewAsUserId, scope: s };
  }
  const crmOf = (res) => deps.crm.portal(identityOf(res).portalId);
  const profileId = (raw) => parseBody(z5.object({ id: idParam }), { id: raw }).id;
  router.get("/v1/health/summary", async (req, res) => {
    const q = parseQuery(summaryQuery, req.query);
    res.json(await queries.summary(crmOf(res), await viewer(res, q.scope), q.profileId));
  });
  router.get("/v1/health/records/:objectType/:objectId", async (req, res) => {
    const p = parseQuery(objectParams, req.params);
    const q = parseQuery(recordQuery, req.query);
    res.json(await queries.record(crmOf(res), identityOf(res).portalId, p.objectType, p.objectId, q.profileId));
  });
  router.get("/v1/health/alerts", async (req, res) => {
    const q = parseQuery(alertsQuery, req.query);
    res.json(await queries.alerts(crmOf(res), await viewer(res, q.scope), q.after, q.limit));
  });
  router.get("/v1/health/customers", async (req, res) => {
    const q = parseQuery(customersQuery, req.query);
    res.json(await queries.customers(crmOf(res), await viewer(res, q.scope), q));
  });
  router.get("/v1/health/profiles", async (_req, res) => {
    const body = { profiles: await profiles.list(identityOf(res).portalId, crmOf(res)) };
    res.json(body);
  });
  router.get("/v1/health/profiles/:id", async (req, res) => {
    const body = { profile: await profiles.get(identityOf(res).portalId, crmOf(res), profileId(req.params.id)) };
    res.json(body);
  });
  router.post("/v1/health/profiles", async (req, res) => {
    await requireManager(res, "create health profiles");
    const b = parseBody(profileBody, req.body);
    const body = { profile: await profiles.create(identityOf(res).portalId, crmOf(res), b.profile) };
    res.status(201).json(body);
  });
  router.put("/v1/health/profiles/:id", async (req, res) => {
    await requireManager(res, "edit health profiles");
    const b = parseBody(updateBody, req.body);
    const profile = await profiles.update(identityOf(res).portalId, crmOf(res), profileId(req.params.id), b.profile, b.expectedVersion);
    const body = { profile };
    res.json(body);
  });
  router.delete("/v1/health/profiles/:id", async (req, res) => {
    await requireManager(res, "delete health profiles");
    await profiles.remove(identityOf(res).portalId, crmOf(res), profileId(req.params.id));
    res.status(204).end();
  });
  router.post("/v1/health/profiles/:id/preview", async (req, res) => {
    await requireManager(res, "preview health profiles");
    const b = parseBody(profileBody, req.body);
    res.json(await queries.preview(crmOf(res), identityOf(res).portalId, profileId(req.params.id), b.profile));
  });
  router.post("/v1/health/runs", async (_req, res) => {
    await requireManager(res, "start a scoring run");
    const { portalId } = identityOf(res);
    await profiles.ensure(portalId, crmOf(res));
    const run = await scheduler.requestRun(portalId);
    res.status(202).json({ runId: run.runId, status: run.status, href: `/api/v1/health/runs/${run.runId}` });
  });
  router.get("/v1/health/runs/:id", async (req, res) => {
    const id2 = parseBody(z5.object({ id: z5.string().regex(/^[\w-]{1,80}$/) }), { id: req.params.id }).id;
    res.json(await queries.run(identityOf(res).portalId, id2));
  });
  return router;
}

// src/backend/http/routes/guided-actions.ts
import { Router as Router5 } from "express";
import { z as z8 } from "zod";

// src/backend/services/guided-actions/service.ts
init_app_error();

// src/backend/engines/guided-actions/input.ts
var OBJECT_TYPE_IDS = {
  contacts: "0-1",
  companies: "0-2",
  deals: "0-3",
  leads: "0-136",
  tasks: "0-27",
  calls: "0-48",
  emails: "0-49",
  meetings: "0-47",
  notes: "0-46"
};

// src/backend/engines/guided-actions/settings.ts
import { z as z6 } from "zod";
var ENGAGED_SIGNALS = [
  "INCOMING_EMAIL",
  "EMAIL_OPEN",
  "EMAIL_CLICK",
  "MEETING_BOOKED",
  "FORM_SUBMISSION",
  "INBOUND_CALL",
  "CONNECTED_CALL"
];
var CONNECTED_DISPOSITION_ID = "f240bbac-87c9-4f6e-bf70-924b57d47db7";
var days = (d) => z6.number().positive().default(d);
var guidedActionSettingsSchema = z6.object({
  /** What counts as "engaged" (inferred in the rule book). */
  engagedSignals: z6.array(z6.enum(ENGAGED_SIGNALS)).default([...ENGAGED_SIGNALS]),
  /** Call outcomes that count as a connected call for "engaged". */
  connectedCallDispositionIds: z6.array(z6.string()).default([CONNECTED_DISPOSITION_ID]),
  /** `hs_call_source` values that mean "made with HubSpot calling" (reference §5: VOIP [OBS]). */
  hubspotCallingSources: z6.array(z6.string()).default(["VOIP"]),
  /** `hs_task_status` values that mean done. */
  completedTaskStatuses: z6.array(z6.string()).default(["COMPLETED"]),
  /** `hs_task_priority` values that count as "priority" for rule 12. */
  priorityTaskLevels: z6.array(z6.string()).default(["HIGH"]),
  /** Lead stages that mean "disqualified" (default pipeline: `unqualified-stage-id`). */
  disqualifiedLeadStageIds: z6.array(z6.string()).default(["unqualified-stage-id"]),
  /** Lifecycle stages that end rule 1 when the portal uses HubSpot's default lifecycle. */
  finalLifecycleStages: z6.array(z6.string()).default(["customer", "evangelist"]),
  newlyAssignedMaxAgeDays: days(30),
  // rules 1, 2
  reengagementWindowDays: days(30),
  // rule 3
  emailReplyMaxAgeDays: days(14),
  // rule 5
  meetingFollowUpWindowDays: days(7),
  // rule 6
  callOutcomeDelayMinutes: z6.number().nonnegative().default(60),
  // rule 7
  callOutcomeWindowDays: days(7),
  // rule 7
  awaitingReplyMaxAgeDays: days(14),
  // rules 8, 10
  replyToEmailMaxAgeDays: days(7),
  // rule 9
  prepareMeetingWindowHours: days(24),
  // rule 11 (inferred)
  prepareMeetingGraceMinutes: z6.number().nonnegative().default(10),
  // rule 11
  targetAccountEngagedDays: days(7),
  // rule 13 (inferred window)
  recentlyEngagedLeadDays: days(7),
  // rule 14
  nextStepActivityDelayHours: days(24),
  // rule 15
  dealMinAgeDays: days(7),
  // rules 16, 17
  dealActionMaxAgeDays: days(7),
  // rules 16, 17
  buyerNoReplyDays: days(7),
  // rule 18
  buyerFollowUpMaxAgeDays: days(7)
  // rule 18
});
var defaultGuidedActionSettings = guidedActionSettingsSchema.parse({});

// src/backend/engines/guided-actions/links.ts
var base = (portal) => `https://${portal.domain ?? "app.hubspot.com"}`;
var pid = (portal) => encodeURIComponent(portal.id);
function recordUrl(portal, objectType, id2) {
  return `${base(portal)}/contacts/${pid(portal)}/record/${OBJECT_TYPE_IDS[objectType]}/${encodeURIComponent(id2)}`;
}
function taskListUrl(portal) {
  return `${base(portal)}/contacts/${pid(portal)}/tasks/list/view/all/`;
}
function taskUrl(portal, taskId) {
  return `${taskListUrl(portal)}?taskId=${encodeURIComponent(taskId)}`;
}
function sequencesUrl(portal) {
  return `${base(portal)}/sequences/${pid(portal)}`;
}

// src/backend/engines/guided-actions/rules.ts
import { DateTime as DateTime5 } from "luxon";

// src/backend/engines/guided-actions/context.ts
import { DateTime as DateTime4 } from "luxon";
var MINUTE = 6e4;
var HOUR = 60 * MINUTE;
var DAY = 24 * HOUR;
var EMPTY = [];
function byId(rows) {
  const m = /* @__PURE__ */ new Map();
  for (const r of rows) m.set(r.id, r);
  return m;
}
function indexPipelines(pipelines) {
  const m = /* @__PURE__ */ new Map();
  for (const p of pipelines) {
    let first = null;
    for (const s of p.stages) if (!first || s.displayOrder < first.displayOrder) first = s;
    m.set(p.id, { pipeline: p, stages: byId(p.stages), firstStageId: first?.id ?? null });
  }
  return m;
}
var lower = (s) => s ? s.trim().toLowerCase() : null;
var emailDomain = (email) => {
  const e = lower(email);
  const at = e ? e.lastIndexOf("@") : -1;
  return e && at >= 0 ? e.slice(at + 1) : null;
};
var DEFAULT_LIFECYCLE = /* @__PURE__ */ new Set([
  "subscriber",
  "lead",
  "marketingqualifiedlead",
  "salesqualifiedlead",
  "opportunity",
  "customer",
  "evangelist",
  "other"
]);
function buildContext(input, now, settings) {
  const rep = input.rep;
  const repEmail = lower(rep.email);
  const ids = {
    contacts: byId(input.contacts),
    companies: byId(input.companies),
    deals: byId(input.deals),
    leads: byId(input.leads),
    tasks: byId(input.tasks),
    calls: byId(input.calls),
    emails: byId(input.emails),
    meetings: byId(input.meetings),
    notes: byId(input.notes)
  };
  const assocIndex = /* @__PURE__ */ new Map();
  const table = (from, to) => {
    let byTo = assocIndex.get(from);
    if (!byTo) assocIndex.set(from, byTo = /* @__PURE__ */ new Map());
    let m = byTo.get(to);
    if (!m) byTo.set(to, m = /* @__PURE__ */ new Map());
    return m;
  };
  for (const [from, tos] of Object.entries(input.associations)) {
    for (const [to, map] of Object.entries(tos ?? {})) {
      if (!map) continue;
      const fwd = table(from, to);
      const back = table(to, from);
      for (const a in map) {
        const bs = map[a];
        let list2 = fwd.get(a);
        if (!list2) fwd.set(a, list2 = []);
        for (const b of bs) {
          if (!list2.includes(b)) list2.push(b);
          let rev = back.get(b);
          if (!rev) back.set(b, rev = []);
          if (!rev.includes(a)) rev.push(a);
        }
      }
    }
  }
  const assoc = (from, id2, to) => assocIndex.get(from)?.get(to)?.get(id2) ?? EMPTY;
  const dealPipelines = indexPipelines(input.pipelines.deals);
  const leadPipelines = indexPipelines(input.pipelines.leads);
  const dealStage = (d) => dealPipelines.get(d.pipelineId)?.stages.get(d.stageId) ?? null;
  const leadStage = (l) => leadPipelines.get(l.pipelineId)?.stages.get(l.stageId) ?? null;
  const isDealOpen = (d) => !(dealStage(d)?.isClosed ?? false);
  const isDealFirstStage = (d) => dealPipelines.get(d.pipelineId)?.firstStageId === d.stageId;
  const isLeadOpen = (l) => !(leadStage(l)?.isClosed ?? false) && !isLeadDisqualified(l);
  const isLeadFirstStage = (l) => leadPipelines.get(l.pipelineId)?.firstStageId === l.stageId;
  const disqualified = new Set(settings.disqualifiedLeadStageIds);
  const isLeadDisqualified = (l) => disqualified.has(l.stageId);
  const visible = input.lifecycleStages.filter((o) => !o.hidden);
  const customised = visible.length > 0 && visible.some((o) => !DEFAULT_LIFECYCLE.has(o.value));
  let lastStage = null;
  let lastOrder = -Infinity;
  for (const o of visible)
    if (o.displayOrder > lastOrder) {
      lastOrder = o.displayOrder;
      lastStage = o.value;
    }
  const finalLifecycleStages = customised && lastStage ? [lastStage] : settings.finalLifecycleStages;
  const isRep = (ownerId) => ownerId === rep.ownerId;
  const isRepAddress = (email) => repEmail !== null && lower(email) === repEmail;
  const isTaskOpen = (t) => !settings.completedTaskStatuses.includes(t.status ?? "");
  const emailMemo = /* @__PURE__ */ new Map();
  const emailsOf = (type, id2) => {
    let byId3 = emailMemo.get(type);
    if (!byId3) emailMemo.set(type, byId3 = /* @__PURE__ */ new Map());
    let list2 = byId3.get(id2);
    if (!list2) {
      list2 = [];
      for (const eid of assoc(type, id2, "emails")) {
        const e = ids.emails.get(eid);
        if (e) list2.push(e);
      }
      if (list2.length > 1) list2.sort((a, b) => a.sentAt - b.sentAt);
      byId3.set(id2, list2);
    }
    return list2;
  };
  const leadContactId = (l) => {
    if (l.primaryContactId) return l.primaryContactId;
    for (const c of assoc("leads", l.id, "contacts")) return c;
    return null;
  };
  const leadEmails = (l) => {
    let mix = emailMemo.get("leadmix");
    if (!mix) emailMemo.set("leadmix", mix = /* @__PURE__ */ new Map());
    let list2 = mix.get(l.id);
    if (!list2) {
      const cid = leadContactId(l);
      const seen = /* @__PURE__ */ new Set();
      list2 = [];
      for (const e of [...emailsOf("leads", l.id), ...cid ? emailsOf("contacts", cid) : []]) {
        if (!seen.has(e.id)) {
          seen.add(e.id);
          list2.push(e);
        }
      }
      list2.sort((a, b) => a.sentAt - b.sentAt);
      mix.set(l.id, list2);
    }
    return list2;
  };
  const isOutgoingFromRep = (e) => e.direction === "EMAIL" && isRep(e.ownerId);
  const isIncomingFrom = (e, address) => e.direction === "INCOMING_EMAIL" && (e.fromEmail === null || address === null || lower(e.fromEmail) === lower(address));
  const replyState = (emails, address) => {
    let lastOutgoing = null;
    for (const e of emails) if (isOutgoingFromRep(e)) lastOutgoing = e;
    const repliesSince = emails.filter(
      (e) => isIncomingFrom(e, address) && (lastOutgoing === null || e.sentAt > lastOutgoing.sentAt)
    );
    return { lastOutgoing, repliesSince };
  };
  const isPrimaryRecipient = (e) => isRepAddress(e.toEmails[0]);
  const signalMemo = /* @__PURE__ */ new Map();
  const wanted = new Set(settings.engagedSignals);
  const connected = new Set(settings.connectedCallDispositionIds);
  const engagementSignals = (type, id2) => {
    const out = [];
    for (const e of emailsOf(type, id2)) {
      if (e.direction === "INCOMING_EMAIL") out.push({ signal: "INCOMING_EMAIL", at: e.sentAt, source: `emails:${e.id}` });
    }
    for (const mid of assoc(type, id2, "meetings")) {
      const m = ids.meetings.get(mid);
      if (m) out.push({ signal: "MEETING_BOOKED", at: m.createdAt, source: `meetings:${m.id}` });
    }
    for (const cid of assoc(type, id2, "calls")) {
      const c = ids.calls.get(cid);
      if (!c) continue;
      if (c.direction === "INBOUND") out.push({ signal: "INBOUND_CALL", at: c.startedAt, source: `calls:${c.id}` });
      else if (c.disposition && connected.has(c.disposition))
        out.push({ signal: "CONNECTED_CALL", at: c.startedAt, source: `calls:${c.id}` });
    }
    return out;
  };
  const contactSignals = (contactId) => {
    const k = `contacts:${contactId}`;
    let list2 = signalMemo.get(k);
    if (!list2) {
      list2 = engagementSignals("contacts", contactId);
      const c = ids.contacts.get(contactId);
      if (c?.salesEmailLastOpenedAt != null)
        list2.push({ signal: "EMAIL_OPEN", at: c.salesEmailLastOpenedAt, source: "hs_sales_email_last_opened" });
      if (c?.salesEmailLastClickedAt != null)
        list2.push({ signal: "EMAIL_CLICK", at: c.salesEmailLastClickedAt, source: "hs_sales_email_last_clicked" });
      if (c?.recentConversionAt != null)
        list2.push({ signal: "FORM_SUBMISSION", at: c.recentConversionAt, source: "recent_conversion_date" });
      list2 = list2.filter((s) => wanted.has(s.signal) && s.at <= now).sort((a, b) => a.at - b.at);
      signalMemo.set(k, list2);
    }
    return list2;
  };
  const leadSignals = (l) => {
    const k = `leads:${l.id}`;
    let list2 = signalMemo.get(k);
    if (!list2) {
      const cid = leadContactId(l);
      const seen = /* @__PURE__ */ new Set();
      list2 = [];
      for (const s of [
        ...engagementSignals("leads", l.id).filter((x) => wanted.has(x.signal) && x.at <= now),
        ...cid ? contactSignals(cid) : []
      ]) {
        const key = `${s.signal}|${s.source}`;
        if (!seen.has(key)) {
          seen.add(key);
          list2.push(s);
        }
      }
      list2.sort((a, b) => a.at - b.at);
      signalMemo.set(k, list2);
    }
    return list2;
  };
  const contactLabel = (c) => [c.firstName, c.lastName].filter(Boolean).join(" ") || c.email || `Contact ${c.id}`;
  const label2 = (type, id2) => {
    switch (type) {
      case "contacts": {
        const c = ids.contacts.get(id2);
        return c ? contactLabel(c) : `Contact ${id2}`;
      }
      case "companies":
        return ids.companies.get(id2)?.name || `Company ${id2}`;
      case "deals":
        return ids.deals.get(id2)?.name || `Deal ${id2}`;
      case "leads":
        return ids.leads.get(id2)?.name || `Lead ${id2}`;
      case "tasks":
        return ids.tasks.get(id2)?.subject || `Task ${id2}`;
      case "calls":
        return ids.calls.get(id2)?.title || `Call ${id2}`;
      case "meetings":
        return ids.meetings.get(id2)?.title || `Meeting ${id2}`;
      case "emails":
        return ids.emails.get(id2)?.subject || `Email ${id2}`;
      case "notes":
        return `Note ${id2}`;
    }
  };
  const ref = (type, id2) => ({ objectType: type, objectId: id2, label: label2(type, id2) });
  const refs = (from, id2, to) => {
    const out = [];
    for (const t of to) for (const x of assoc(from, id2, t)) out.push(ref(t, x));
    return out;
  };
  const tz = DateTime4.fromMillis(now, { zone: rep.timeZone }).isValid ? rep.timeZone : input.portal.timeZone;
  const isoMemo = /* @__PURE__ */ new Map();
  const iso3 = (ms3) => {
    let v = isoMemo.get(ms3);
    if (v === void 0) isoMemo.set(ms3, v = new Date(ms3).toISOString());
    return v;
  };
  const offsets = /* @__PURE__ */ new Map();
  const localMemo = /* @__PURE__ */ new Map();
  const local = (ms3) => {
    const hit = localMemo.get(ms3);
    if (hit !== void 0) return hit;
    const bucket = Math.floor(ms3 / (15 * MINUTE));
    let offset = offsets.get(bucket);
    if (offset === void 0) {
      offset = DateTime4.fromMillis(bucket * 15 * MINUTE, { zone: tz }).offset;
      offsets.set(bucket, offset);
    }
    const v = new Date(ms3 + offset * MINUTE).toISOString().slice(0, 16).replace("T", " ");
    localMemo.set(ms3, v);
    return v;
  };
  return {
    input,
    now,
    settings,
    rep,
    tz,
    ids,
    assoc,
    isDealOpen,
    isDealFirstStage,
    isLeadOpen,
    isLeadFirstStage,
    isLeadDisqualified,
    leadStage,
    dealStage,
    finalLifecycleStages,
    lifecycleCustomised: customised,
    isRep,
    isRepAddress,
    isTaskOpen,
    emailsOf,
    leadEmails,
    leadContactId,
    isOutgoingFromRep,
    replyState,
    isPrimaryRecipient,
    contactSignals,
    leadSignals,
    contactLabel,
    label: label2,
    ref,
    refs,
    iso: iso3,
    local
  };
}

// src/backend/engines/guided-actions/rule-definition.ts
import { z as z7 } from "zod";
var RULE_IDS = [
  "NEWLY_ASSIGNED_CONTACT",
  "NEWLY_ASSIGNED_LEAD",
  "REENGAGED_CONTACT",
  "SEQUENCE_ACTIVITY",
  "EMAIL_REPLY",
  "MEETING_FOLLOW_UP",
  "LOG_CALL_OUTCOME",
  "CONTACT_AWAITING_REPLY",
  "REPLY_TO_EMAIL",
  "LEAD_AWAITING_REPLY",
  "PREPARE_FOR_MEETING",
  "PRIORITY_TASKS_TODAY",
  "TARGET_ACCOUNT_ACTIVITY",
  "RECENTLY_ENGAGED_LEAD",
  "UPDATE_NEXT_STEPS",
  "ADD_CONTACT_TO_DEAL",
  "INITIAL_OUTREACH_NEEDED",
  "BUYER_FOLLOW_UP"
];
var ruleMetaSchema = z7.object({
  id: z7.enum(RULE_IDS),
  number: z7.number().int().min(1).max(18),
  title: z7.string().min(1),
  forEach: z7.enum(["contacts", "companies", "deals", "leads", "tasks", "calls", "emails", "meetings", "notes"]),
  grouping: z7.enum(["none", "group"]),
  category: z7.enum(["deal", "prospecting", "dealIfOpenDeal"]),
  snapshot: z7.boolean(),
  urgencyTier: z7.number().int().min(0).max(9),
  criteria: z7.array(z7.object({ id: z7.string().min(1), label: z7.string().min(1), test: z7.custom((f) => typeof f === "function") })).min(1),
  expiries: z7.array(
    z7.discriminatedUnion("kind", [
      z7.object({ id: z7.string().min(1), label: z7.string().min(1), kind: z7.literal("criterion"), criterion: z7.string().min(1) }),
      z7.object({ id: z7.string().min(1), label: z7.string().min(1), kind: z7.literal("age"), maxAge: z7.custom((f) => typeof f === "function") }),
      z7.object({ id: z7.string().min(1), label: z7.string().min(1), kind: z7.literal("event"), fired: z7.custom((f) => typeof f === "function") })
    ])
  ).min(1)
}).superRefine((r, ctx) => {
  const ids = new Set(r.criteria.map((c) => c.id));
  if (ids.size !== r.criteria.length) ctx.addIssue({ code: "custom", message: `${r.id}: duplicate criterion id` });
  for (const e of r.expiries)
    if (e.kind === "criterion" && !ids.has(e.criterion))
      ctx.addIssue({ code: "custom", message: `${r.id}: expiry ${e.id} names unknown criterion ${e.criterion}` });
});
function expiryOf(ctx, expiries, r, facts) {
  return (startedAt) => {
    for (const e of expiries) {
      if (e.kind === "age") {
        const at = startedAt + e.maxAge(ctx.settings);
        if (ctx.now >= at) return { id: e.id, label: e.label, at, facts: { ageMs: ctx.now - startedAt } };
      } else if (e.kind === "event" && r !== null) {
        const hit = e.fired(ctx, r, { startedAt, facts });
        if (hit) return { id: e.id, label: e.label, at: hit.at, facts: hit.facts };
      }
    }
    return null;
  };
}
function ageDeadlineOf(ctx, expiries) {
  return (startedAt) => {
    let min = null;
    for (const e of expiries)
      if (e.kind === "age") {
        const at = startedAt + e.maxAge(ctx.settings);
        if (min === null || at < min) min = at;
      }
    return min;
  };
}
function runCriteria(ctx, criteria, r) {
  const results = [];
  for (const c of criteria) {
    const res = c.test(ctx, r);
    if (!res.holds) return null;
    results.push(res);
  }
  const facts = {};
  const assumptions = [];
  for (const res of results) {
    if (res.facts) Object.assign(facts, res.facts);
    if (res.assumptions) {
      for (const a of res.assumptions) if (!assumptions.includes(a)) assumptions.push(a);
    }
  }
  return { facts, assumptions };
}
var meta = (def) => ({
  id: def.id,
  number: def.number,
  title: def.title,
  forEach: def.forEach,
  grouping: def.grouping,
  category: def.category,
  snapshot: def.snapshot,
  urgencyTier: def.urgencyTier,
  criteria: def.criteria.map(({ id: id2, label: label2 }) => ({ id: id2, label: label2 })),
  expiries: def.expiries.map(({ id: id2, label: label2, kind }) => ({ id: id2, label: label2, kind }))
});
function defineRule(def) {
  ruleMetaSchema.parse(def);
  return {
    ...meta(def),
    evaluate(ctx) {
      const out = [];
      for (const r of def.candidates(ctx)) {
        const hit = runCriteria(ctx, def.criteria, r);
        if (!hit) continue;
        const record = def.record(ctx, r);
        out.push({
          key: `${record.objectType}:${record.objectId}`,
          record,
          title: def.title,
          members: [],
          facts: hit.facts,
          assumptions: hit.assumptions,
          occurrence: def.occurrence(ctx, r, hit.facts),
          associatedLive: def.associated(ctx, r),
          reason: def.reason(ctx, hit.facts, record),
          links: (associated) => def.links(ctx, r, associated, hit.facts),
          expiry: expiryOf(ctx, def.expiries, r, hit.facts),
          ageDeadline: ageDeadlineOf(ctx, def.expiries)
        });
      }
      return out;
    }
  };
}
function defineGroupRule(def) {
  ruleMetaSchema.parse(def);
  return {
    ...meta(def),
    evaluate(ctx) {
      const members = [];
      const assumptions = [];
      for (const r of def.candidates(ctx)) {
        const hit = runCriteria(ctx, def.criteria, r);
        if (!hit) continue;
        members.push({ r, facts: hit.facts, ref: def.member(ctx, r) });
        for (const a of hit.assumptions) if (!assumptions.includes(a)) assumptions.push(a);
      }
      if (members.length === 0) return [];
      const record = def.group.record(ctx);
      const memberAssociatedLive = {};
      for (const m of members) memberAssociatedLive[m.ref.objectId] = def.memberAssociated(ctx, m.r);
      const facts = {
        count: members.length,
        members: members.map((m) => ({ objectType: m.ref.objectType, objectId: m.ref.objectId, ...m.facts }))
      };
      return [
        {
          key: `${record.objectType}:${record.objectId}`,
          record,
          title: def.group.title(members.length),
          members: members.map((m) => m.ref),
          facts,
          assumptions,
          occurrence: def.group.occurrence(ctx, members),
          associatedLive: [],
          memberAssociatedLive,
          reason: def.group.reason(ctx, members),
          links: () => def.group.links(ctx, members.map((m) => m.r)),
          expiry: expiryOf(ctx, def.expiries, null, facts),
          ageDeadline: ageDeadlineOf(ctx, def.expiries)
        }
      ];
    }
  };
}

// src/backend/engines/guided-actions/rules.ts
var ok = (facts, assumptions) => ({ holds: true, facts, assumptions });
var no = (facts) => ({ holds: false, facts });
var ms2 = (isoValue) => Date.parse(String(isoValue));
var A = {
  assignedAtUnknown: "Assignment time unknown (no hubspot_owner_assigneddate): the action counts its age from when Tiller first showed it.",
  customLifecycle: "Customised lifecycle: its last visible stage (highest displayOrder) counts as the final stage.",
  repliedThread: "A reply is an INCOMING_EMAIL associated with the record, later than your last logged outgoing email to it.",
  primaryRecipient: "Primary recipient: your address is the first address of hs_email_to_email on the incoming email (reference \xA75).",
  leadEmails: "A lead's emails are those associated with the lead or with its primary contact (no email\u2192lead association id).",
  leadDomain: "A lead's email address is its primary contact's.",
  engaged: "Engaged (inferred): an incoming email, a sales-email open/click (hs_sales_email_last_opened/_clicked), a meeting booked (its hs_createdate), a form submission (recent_conversion_date), or an inbound or connected call.",
  disqualifiedAt: "Disqualification time: the lead's hs_pipeline_stage_last_updated, else the contact's hs_latest_disqualified_lead_date.",
  reengagement: "The re-engagement is the first engagement signal after the disqualification.",
  hubspotCalling: "Made with HubSpot calling: hs_call_source is one of the configured sources (default VOIP [OBS]).",
  followUpTasks: "Follow-up tasks: tasks associated with the meeting's contacts or deals, owned by the meeting owner, created after the meeting ended (no meeting\u2194task association exists).",
  nextStepHistory: "No hs_next_step history: every activity counts as after the last next-step change.",
  opened: "Opened: hs_email_open_count > 0 on your outgoing email [OBS]; privacy proxies inflate opens. Not replied: hs_email_reply_count is 0 and no incoming email from the contact within the window.",
  targetOwner: "Target account activity is shown when you own the contact or the target company (inferred)."
};
var assigned = (label2 = "assigned to you") => ({
  id: "assigned",
  label: label2,
  test: (ctx, r) => ctx.isRep(r.ownerId) ? ok({ ownerId: r.ownerId }) : no({ ownerId: r.ownerId })
});
var assignedSince = (label2 = "assigned to you") => ({
  id: "assigned",
  label: label2,
  test: (ctx, r) => ctx.isRep(r.ownerId) ? ok(
    { ownerId: r.ownerId, assignedAt: r.ownerAssignedAt === null ? null : ctx.iso(r.ownerAssignedAt) },
    r.ownerAssignedAt === null ? [A.assignedAtUnknown] : []
  ) : no({ ownerId: r.ownerId })
});
var dealOpen = {
  id: "open",
  label: "the deal is in an open stage",
  test: (ctx, d) => {
    const stage = ctx.dealStage(d);
    const facts = { dealStage: d.stageId, dealStageLabel: stage?.label ?? null };
    return ctx.isDealOpen(d) ? ok(facts) : no(facts);
  }
};
var dealOlderThan = {
  id: "olderThan",
  label: "the deal was created more than 7 days ago",
  test: (ctx, d) => ctx.now - d.createdAt > ctx.settings.dealMinAgeDays * DAY ? ok({ dealCreatedAt: ctx.iso(d.createdAt) }) : no({ dealCreatedAt: ctx.iso(d.createdAt) })
};
var reassignedAfter = (ctx, r, startedAt) => r.ownerAssignedAt !== null && r.ownerAssignedAt > startedAt && !ctx.isRep(r.ownerId) ? { at: r.ownerAssignedAt, facts: { reassignedTo: r.ownerId, reassignedAt: ctx.iso(r.ownerAssignedAt) } } : null;
var latestLead = (ctx, contactId) => {
  let latest = null;
  for (const id2 of ctx.assoc("contacts", contactId, "leads")) {
    const l = ctx.ids.leads.get(id2);
    if (l && (latest === null || l.createdAt > latest.createdAt)) latest = l;
  }
  return latest;
};
var hasOpenLead = (ctx, contactId) => {
  for (const id2 of ctx.assoc("contacts", contactId, "leads")) {
    const l = ctx.ids.leads.get(id2);
    if (l && ctx.isLeadOpen(l)) return l;
  }
  return null;
};
var noOpenLead = {
  id: "noOpenLead",
  label: "the contact has no open lead",
  test: (ctx, c) => {
    const open = hasOpenLead(ctx, c.id);
    return open ? no({ openLeadId: open.id }) : ok({ openLead: null });
  }
};
var repliedToYourEmail = (ctx, emails, address) => {
  const { lastOutgoing, repliesSince } = ctx.replyState(emails, address);
  const reply = repliesSince[0];
  if (!lastOutgoing || !reply)
    return no({ yourLastEmailAt: lastOutgoing ? ctx.iso(lastOutgoing.sentAt) : null, repliedAt: null });
  return ok(
    {
      yourLastEmailAt: ctx.iso(lastOutgoing.sentAt),
      repliedAt: ctx.iso(reply.sentAt),
      replyEmailId: reply.id,
      youRepliedSince: false
    },
    [A.repliedThread]
  );
};
var repliedToYouAsPrimary = (ctx, emails, address) => {
  const { lastOutgoing, repliesSince } = ctx.replyState(emails, address);
  const reply = repliesSince.find(ctx.isPrimaryRecipient);
  if (!reply) return no({ repliedAt: null, yourLastEmailAt: lastOutgoing ? ctx.iso(lastOutgoing.sentAt) : null });
  return ok(
    {
      repliedAt: ctx.iso(reply.sentAt),
      replyEmailId: reply.id,
      primaryRecipient: reply.toEmails[0] ?? null,
      yourLastEmailAt: lastOutgoing ? ctx.iso(lastOutgoing.sentAt) : null,
      youRepliedSince: false
    },
    [A.primaryRecipient, A.repliedThread]
  );
};
var otherDomain = (ctx, address, extra = []) => {
  const theirs = emailDomain(address);
  const yours = emailDomain(ctx.rep.email);
  const facts = { theirDomain: theirs, yourDomain: yours };
  return theirs !== null && theirs !== yours ? ok(facts, extra) : no(facts);
};
var latestSignalWithin = (ctx, signals, windowMs) => {
  const last = signals[signals.length - 1];
  if (!last || last.at < ctx.now - windowMs) return no({ engagedAt: last ? ctx.iso(last.at) : null });
  return ok({ engagedAt: ctx.iso(last.at), engagedBy: last.signal, engagedSource: last.source }, [A.engaged]);
};
var contactRecord = (ctx, c) => ctx.ref("contacts", c.id);
var contactLinks = (ctx, c, label2 = "Open contact") => [
  { label: label2, href: recordUrl(ctx.input.portal, "contacts", c.id) }
];
var when = (ctx, isoValue) => ctx.local(ms2(isoValue));
var repliesKey = (facts) => `reply:${String(facts.replyEmailId)}`;
var firstRefLink = (ctx, refs, types, label2) => {
  for (const t of types) {
    const r = refs.find((x) => x.objectType === t);
    if (r) return [{ label: `${label2} ${r.label}`, href: recordUrl(ctx.input.portal, t, r.objectId) }];
  }
  return [];
};
var activityEnds = (ctx, d) => {
  const out = [];
  for (const id2 of ctx.assoc("deals", d.id, "calls")) {
    const c = ctx.ids.calls.get(id2);
    if (c) out.push({ type: "calls", id: id2, endedAt: c.startedAt + (c.durationMs ?? 0) });
  }
  for (const id2 of ctx.assoc("deals", d.id, "meetings")) {
    const m = ctx.ids.meetings.get(id2);
    if (m) out.push({ type: "meetings", id: id2, endedAt: m.endAt });
  }
  for (const id2 of ctx.assoc("deals", d.id, "emails")) {
    const e = ctx.ids.emails.get(id2);
    if (e) out.push({ type: "emails", id: id2, endedAt: e.sentAt });
  }
  for (const id2 of ctx.assoc("deals", d.id, "notes")) {
    const n = ctx.ids.notes.get(id2);
    if (n) out.push({ type: "notes", id: id2, endedAt: n.at });
  }
  for (const id2 of ctx.assoc("deals", d.id, "tasks")) {
    const t = ctx.ids.tasks.get(id2);
    if (t && !ctx.isTaskOpen(t) && t.completedAt !== null) out.push({ type: "tasks", id: id2, endedAt: t.completedAt });
  }
  return out;
};
var nextMeetingMemo = /* @__PURE__ */ new WeakMap();
var nextMeeting = (ctx) => {
  if (nextMeetingMemo.has(ctx)) return nextMeetingMemo.get(ctx) ?? null;
  const from = ctx.now - ctx.settings.prepareMeetingGraceMinutes * MINUTE;
  let best = null;
  for (const m of ctx.input.meetings) {
    if (!ctx.isRep(m.ownerId) || m.startAt <= from) continue;
    if (!best || m.startAt < best.startAt || m.startAt === best.startAt && m.id < best.id) best = m;
  }
  nextMeetingMemo.set(ctx, best);
  return best;
};
var todayMemo = /* @__PURE__ */ new WeakMap();
var today = (ctx) => {
  let t = todayMemo.get(ctx);
  if (!t) {
    const d = DateTime5.fromMillis(ctx.now, { zone: ctx.tz }).startOf("day");
    t = { start: d.toMillis(), end: d.plus({ days: 1 }).toMillis(), date: d.toISODate() ?? "" };
    todayMemo.set(ctx, t);
  }
  return t;
};
var newlyAssignedContact = defineRule({
  id: "NEWLY_ASSIGNED_CONTACT",
  number: 1,
  title: "Newly assigned contacts",
  forEach: "contacts",
  grouping: "none",
  category: "prospecting",
  snapshot: false,
  urgencyTier: 4,
  candidates: (ctx) => ctx.input.contacts,
  criteria: [
    assignedSince(),
    {
      id: "notFinalLifecycle",
      label: "lifecycle stage is neither customer nor evangelist (or the last stage of a customised lifecycle)",
      test: (ctx, c) => c.lifecycleStage !== null && ctx.finalLifecycleStages.includes(c.lifecycleStage) ? no({ lifecycleStage: c.lifecycleStage }) : ok({ lifecycleStage: c.lifecycleStage }, ctx.lifecycleCustomised ? [A.customLifecycle] : [])
    },
    {
      id: "noDeal",
      label: "not associated with any deal",
      test: (ctx, c) => {
        const deals2 = ctx.assoc("contacts", c.id, "deals");
        return deals2.length === 0 ? ok({ associatedDeals: 0 }) : no({ associatedDeals: deals2.length });
      }
    },
    {
      id: "noFollowUpEmail",
      label: "you have sent no follow-up email to the contact",
      test: (ctx, c) => {
        const since = c.ownerAssignedAt ?? -Infinity;
        const sent = ctx.emailsOf("contacts", c.id).find((e) => ctx.isOutgoingFromRep(e) && e.sentAt >= since);
        return sent ? no({ yourEmailAt: ctx.iso(sent.sentAt) }) : ok({ yourEmailAt: null });
      }
    },
    {
      id: "notEmailedYou",
      label: "the contact has not emailed you",
      test: (ctx, c) => {
        const since = c.ownerAssignedAt ?? -Infinity;
        const got = ctx.emailsOf("contacts", c.id).find((e) => e.direction === "INCOMING_EMAIL" && e.sentAt >= since);
        return got ? no({ theirEmailAt: ctx.iso(got.sentAt) }) : ok({ theirEmailAt: null });
      }
    }
  ],
  expiries: [
    { id: "reassigned", label: "the contact is reassigned", kind: "criterion", criterion: "assigned" },
    { id: "finalLifecycle", label: "the contact reaches the final lifecycle stage", kind: "criterion", criterion: "notFinalLifecycle" },
    { id: "dealAssociated", label: "a deal is associated", kind: "criterion", criterion: "noDeal" },
    { id: "youEmailed", label: "you email the contact", kind: "criterion", criterion: "noFollowUpEmail" },
    { id: "theyEmailed", label: "the contact emails you", kind: "criterion", criterion: "notEmailedYou" },
    { id: "age", label: "the action is 30 days old", kind: "age", maxAge: (s) => s.newlyAssignedMaxAgeDays * DAY }
  ],
  record: contactRecord,
  occurrence: (_ctx, c) => ({ at: c.ownerAssignedAt, key: `assigned:${c.ownerAssignedAt ?? "unknown"}` }),
  associated: (ctx, c) => ctx.refs("contacts", c.id, ["companies"]),
  reason: (ctx, f, rec) => f.assignedAt ? `${rec.label} was assigned to you on ${when(ctx, f.assignedAt)} and has had no email from you yet.` : `${rec.label} is assigned to you and has had no email from you yet.`,
  links: (ctx, c) => [
    { label: "Enrol in a sequence", href: sequencesUrl(ctx.input.portal) },
    ...contactLinks(ctx, c)
  ]
});
var newlyAssignedLead = defineRule({
  id: "NEWLY_ASSIGNED_LEAD",
  number: 2,
  title: "Newly assigned leads",
  forEach: "leads",
  grouping: "none",
  category: "prospecting",
  snapshot: false,
  urgencyTier: 4,
  candidates: (ctx) => ctx.input.leads,
  criteria: [
    assignedSince("the lead is owned by you"),
    {
      id: "firstStage",
      label: "the lead is in the first stage of its pipeline",
      test: (ctx, l) => ctx.isLeadFirstStage(l) ? ok({ leadStage: l.stageId, leadStageLabel: ctx.leadStage(l)?.label ?? null }) : no({ leadStage: l.stageId })
    }
  ],
  expiries: [
    { id: "reassigned", label: "the lead is reassigned to another user", kind: "criterion", criterion: "assigned" },
    { id: "stageMoved", label: "the lead leaves the first stage", kind: "criterion", criterion: "firstStage" },
    { id: "age", label: "the action is 30 days old", kind: "age", maxAge: (s) => s.newlyAssignedMaxAgeDays * DAY },
    {
      id: "activityLogged",
      label: "you log an activity (call, email, meeting, note, task completed) on the lead",
      kind: "event",
      fired: (ctx, l, { startedAt }) => {
        const found = { first: null };
        const consider = (type, id2, at, owner) => {
          if (at !== null && at >= startedAt && at <= ctx.now && ctx.isRep(owner) && (!found.first || at < found.first.at))
            found.first = { type, id: id2, at };
        };
        for (const id2 of ctx.assoc("leads", l.id, "calls")) {
          const x = ctx.ids.calls.get(id2);
          if (x) consider("calls", id2, x.startedAt, x.ownerId);
        }
        for (const id2 of ctx.assoc("leads", l.id, "emails")) {
          const x = ctx.ids.emails.get(id2);
          if (x) consider("emails", id2, x.sentAt, x.ownerId);
        }
        for (const id2 of ctx.assoc("leads", l.id, "meetings")) {
          const x = ctx.ids.meetings.get(id2);
          if (x) consider("meetings", id2, x.createdAt, x.ownerId);
        }
        for (const id2 of ctx.assoc("leads", l.id, "notes")) {
          const x = ctx.ids.notes.get(id2);
          if (x) consider("notes", id2, x.at, x.ownerId);
        }
        for (const id2 of ctx.assoc("leads", l.id, "tasks")) {
          const x = ctx.ids.tasks.get(id2);
          if (x && !ctx.isTaskOpen(x)) consider("tasks", id2, x.completedAt, x.ownerId);
        }
        const hit = found.first;
        return hit ? { at: hit.at, facts: { activity: `${hit.type}:${hit.id}`, activityAt: ctx.iso(hit.at) } } : null;
      }
    }
  ],
  record: (ctx, l) => ctx.ref("leads", l.id),
  occurrence: (_ctx, l) => ({ at: l.ownerAssignedAt, key: `assigned:${l.ownerAssignedAt ?? "unknown"}` }),
  associated: (ctx, l) => ctx.refs("leads", l.id, ["contacts", "companies"]),
  reason: (ctx, f, rec) => f.assignedAt ? `Lead ${rec.label} was assigned to you on ${when(ctx, f.assignedAt)} and is still in its first stage.` : `Lead ${rec.label} is assigned to you and is still in its first stage.`,
  links: (ctx, l) => [{ label: "Open lead", href: recordUrl(ctx.input.portal, "leads", l.id) }]
});
var reengagedContact = defineRule({
  id: "REENGAGED_CONTACT",
  number: 3,
  title: "Re-engaged contacts",
  forEach: "contacts",
  grouping: "none",
  category: "prospecting",
  snapshot: false,
  urgencyTier: 3,
  candidates: (ctx) => ctx.input.contacts,
  criteria: [
    assigned(),
    noOpenLead,
    {
      id: "latestLeadDisqualified",
      label: "the most recent associated lead was disqualified",
      test: (ctx, c) => {
        const latest = latestLead(ctx, c.id);
        if (!latest || !ctx.isLeadDisqualified(latest)) return no({ latestLeadId: latest?.id ?? null });
        const at = latest.stageChangedAt ?? c.latestDisqualifiedLeadAt;
        if (at === null) return no({ latestLeadId: latest.id, disqualifiedAt: null });
        return ok({ disqualifiedLeadId: latest.id, disqualifiedAt: ctx.iso(at) }, [A.disqualifiedAt]);
      }
    },
    {
      id: "reengaged",
      label: "the contact engaged again within the last 30 days after that disqualification",
      test: (ctx, c) => {
        const latest = latestLead(ctx, c.id);
        const dq = latest?.stageChangedAt ?? c.latestDisqualifiedLeadAt;
        if (dq === null) return no();
        const first = ctx.contactSignals(c.id).find((s) => s.at > dq);
        if (!first || first.at < ctx.now - ctx.settings.reengagementWindowDays * DAY)
          return no({ reengagedAt: first ? ctx.iso(first.at) : null });
        return ok({ reengagedAt: ctx.iso(first.at), reengagedBy: first.signal, reengagedSource: first.source }, [
          A.engaged,
          A.reengagement
        ]);
      }
    }
  ],
  expiries: [
    { id: "reassigned", label: "the contact is reassigned", kind: "criterion", criterion: "assigned" },
    { id: "leadOpened", label: "an open lead exists for the contact", kind: "criterion", criterion: "noOpenLead" },
    { id: "newLead", label: "a new lead is created for the contact", kind: "criterion", criterion: "latestLeadDisqualified" },
    { id: "window", label: "more than 30 days since the re-engagement", kind: "criterion", criterion: "reengaged" }
  ],
  record: contactRecord,
  occurrence: (ctx, _c, f) => ({
    at: ms2(f.reengagedAt),
    key: `reengaged:${String(f.disqualifiedLeadId)}:${String(f.reengagedAt)}`,
    deadline: ms2(f.reengagedAt) + ctx.settings.reengagementWindowDays * DAY
  }),
  associated: (ctx, c) => ctx.refs("contacts", c.id, ["companies"]),
  reason: (ctx, f, rec) => `${rec.label} engaged again on ${when(ctx, f.reengagedAt)} after their lead was disqualified on ${when(ctx, f.disqualifiedAt)}.`,
  links: (ctx, c) => [
    ...contactLinks(ctx, c),
    { label: "Enrol in a sequence", href: sequencesUrl(ctx.input.portal) }
  ]
});
var sequenceActivity = defineRule({
  id: "SEQUENCE_ACTIVITY",
  number: 4,
  title: "Sequence activity",
  forEach: "tasks",
  grouping: "none",
  category: "prospecting",
  snapshot: false,
  urgencyTier: 3,
  candidates: (ctx) => ctx.input.tasks.filter((t) => t.sequenceStepOrder !== null || t.sequenceEnrollmentId !== null),
  criteria: [
    assigned("the task is assigned to you"),
    {
      id: "open",
      label: "the task is open (not completed)",
      test: (ctx, t) => ctx.isTaskOpen(t) ? ok({
        taskStatus: t.status,
        sequenceStep: t.sequenceStepOrder,
        dueAt: t.dueAt === null ? null : ctx.iso(t.dueAt)
      }) : no({ taskStatus: t.status })
    }
  ],
  expiries: [
    { id: "reassigned", label: "the task is reassigned", kind: "criterion", criterion: "assigned" },
    { id: "completed", label: "the task is completed", kind: "criterion", criterion: "open" }
  ],
  record: (ctx, t) => ctx.ref("tasks", t.id),
  occurrence: (_ctx, t) => ({ at: t.createdAt, key: `task:${t.id}`, dueAt: t.dueAt }),
  associated: (ctx, t) => ctx.refs("tasks", t.id, ["contacts", "companies", "deals"]),
  reason: (ctx, f, rec) => `Sequence step ${f.sequenceStep ?? "?"} "${rec.label}" is waiting for you${f.dueAt ? ` (due ${when(ctx, f.dueAt)})` : ""}.`,
  links: (ctx, t, associated) => [
    { label: "Start the sequence task", href: taskUrl(ctx.input.portal, t.id) },
    ...firstRefLink(ctx, associated, ["contacts"], "Open")
  ]
});
var emailReply = defineRule({
  id: "EMAIL_REPLY",
  number: 5,
  title: "Email replies",
  forEach: "contacts",
  grouping: "none",
  category: "prospecting",
  snapshot: false,
  urgencyTier: 1,
  candidates: (ctx) => ctx.input.contacts,
  criteria: [
    assigned(),
    {
      id: "replied",
      label: "the contact replied to an email you sent",
      test: (ctx, c) => repliedToYourEmail(ctx, ctx.emailsOf("contacts", c.id), c.email)
    }
  ],
  expiries: [
    { id: "youEmailed", label: "you send the contact an email after the action was created", kind: "criterion", criterion: "replied" },
    { id: "reassigned", label: "the contact is reassigned", kind: "criterion", criterion: "assigned" },
    { id: "age", label: "the action is 14 days old", kind: "age", maxAge: (s) => s.emailReplyMaxAgeDays * DAY }
  ],
  record: contactRecord,
  occurrence: (_ctx, _c, f) => ({ at: ms2(f.repliedAt), key: repliesKey(f) }),
  associated: (ctx, c) => ctx.refs("contacts", c.id, ["companies"]),
  reason: (ctx, f, rec) => `${rec.label} replied on ${when(ctx, f.repliedAt)} and you have not replied since.`,
  links: (ctx, c) => contactLinks(ctx, c, "Reply to")
});
var meetingFollowUp = defineRule({
  id: "MEETING_FOLLOW_UP",
  number: 6,
  title: "Follow up on your meeting",
  forEach: "meetings",
  grouping: "none",
  category: "dealIfOpenDeal",
  snapshot: true,
  urgencyTier: 2,
  candidates: (ctx) => ctx.input.meetings,
  criteria: [
    assigned(),
    {
      id: "started",
      label: "the meeting start is in the past",
      test: (ctx, m) => m.startAt <= ctx.now ? ok({ meetingStartAt: ctx.iso(m.startAt) }) : no({ meetingStartAt: ctx.iso(m.startAt) })
    },
    {
      id: "endedRecently",
      label: "the meeting ended less than 7 days ago",
      test: (ctx, m) => m.endAt > ctx.now - ctx.settings.meetingFollowUpWindowDays * DAY ? ok({ meetingEndAt: ctx.iso(m.endAt) }) : no({ meetingEndAt: ctx.iso(m.endAt) })
    }
  ],
  expiries: [
    { id: "reassigned", label: "the meeting is reassigned", kind: "criterion", criterion: "assigned" },
    { id: "rescheduled", label: "the meeting moves to the future", kind: "criterion", criterion: "started" },
    { id: "window", label: "the meeting ended 7 days ago", kind: "criterion", criterion: "endedRecently" },
    {
      id: "followUpDone",
      label: "the meeting's follow-up tasks are all completed",
      kind: "event",
      fired: (ctx, m) => {
        const tasks = /* @__PURE__ */ new Map();
        for (const t of ["contacts", "deals"])
          for (const rid of ctx.assoc("meetings", m.id, t))
            for (const tid of ctx.assoc(t, rid, "tasks")) {
              const task = ctx.ids.tasks.get(tid);
              if (task && task.ownerId === m.ownerId && task.createdAt >= m.endAt) tasks.set(tid, task);
            }
        if (tasks.size === 0) return null;
        let last = 0;
        for (const t of tasks.values()) {
          if (ctx.isTaskOpen(t)) return null;
          last = Math.max(last, t.completedAt ?? ctx.now);
        }
        return { at: last, facts: { followUpTaskIds: [...tasks.keys()], assumption: A.followUpTasks } };
      }
    }
  ],
  record: (ctx, m) => ctx.ref("meetings", m.id),
  occurrence: (ctx, m) => ({
    at: m.startAt,
    key: `meeting:${m.startAt}`,
    deadline: m.endAt + ctx.settings.meetingFollowUpWindowDays * DAY
  }),
  associated: (ctx, m) => ctx.refs("meetings", m.id, ["contacts", "companies", "deals"]),
  reason: (ctx, f, rec) => ms2(f.meetingEndAt) <= ctx.now ? `Your meeting "${rec.label}" ended on ${when(ctx, f.meetingEndAt)}; follow up with the attendees.` : `Your meeting "${rec.label}" started on ${when(ctx, f.meetingStartAt)}; plan the follow-up.`,
  links: (ctx, _m, associated) => [
    ...firstRefLink(ctx, associated, ["contacts", "deals", "companies"], "Follow up with"),
    { label: "Create follow-up tasks", href: taskListUrl(ctx.input.portal) }
  ]
});
var logCallOutcome = defineGroupRule({
  id: "LOG_CALL_OUTCOME",
  number: 7,
  title: "Log call outcomes",
  forEach: "calls",
  grouping: "group",
  category: "dealIfOpenDeal",
  snapshot: true,
  urgencyTier: 2,
  candidates: (ctx) => ctx.input.calls,
  criteria: [
    assigned(),
    {
      id: "hourPassed",
      label: "at least 1 hour since the call started",
      test: (ctx, c) => ctx.now - c.startedAt >= ctx.settings.callOutcomeDelayMinutes * MINUTE ? ok({ callStartedAt: ctx.iso(c.startedAt) }) : no({ callStartedAt: ctx.iso(c.startedAt) })
    },
    {
      id: "statusQualifies",
      label: "made with HubSpot calling and COMPLETED, or made otherwise and COMPLETED or blank",
      test: (ctx, c) => {
        const hubspot = c.source !== null && ctx.settings.hubspotCallingSources.includes(c.source);
        const status = c.status === "" ? null : c.status;
        const facts = { callSource: c.source, callStatus: status, hubspotCalling: hubspot };
        const holds = status === "COMPLETED" || !hubspot && status === null;
        return holds ? ok(facts, [A.hubspotCalling]) : no(facts);
      }
    },
    {
      id: "outcomeBlank",
      label: "the call outcome is blank",
      test: (_ctx, c) => c.disposition ? no({ callOutcome: c.disposition }) : ok({ callOutcome: null })
    },
    {
      id: "recent",
      label: "the call started less than 7 days ago",
      test: (ctx, c) => ctx.now - c.startedAt < ctx.settings.callOutcomeWindowDays * DAY ? ok() : no({ callStartedAt: ctx.iso(c.startedAt) })
    }
  ],
  expiries: [
    { id: "reassigned", label: "the call is reassigned", kind: "criterion", criterion: "assigned" },
    { id: "statusChanged", label: "the call status no longer qualifies", kind: "criterion", criterion: "statusQualifies" },
    { id: "outcomeLogged", label: "an outcome is logged", kind: "criterion", criterion: "outcomeBlank" },
    { id: "window", label: "the call started 7 days ago", kind: "criterion", criterion: "recent" }
  ],
  member: (ctx, c) => ctx.ref("calls", c.id),
  memberAssociated: (ctx, c) => ctx.refs("calls", c.id, ["contacts", "companies", "deals"]),
  group: {
    record: (ctx) => ({ objectType: "owners", objectId: ctx.rep.ownerId, label: "Your recent calls" }),
    title: (n) => n === 1 ? "Log the outcome of 1 recent call" : `Log outcomes of ${n} recent calls`,
    occurrence: (ctx, members) => {
      let first = Infinity;
      let last = -Infinity;
      for (const { r } of members) {
        first = Math.min(first, r.startedAt);
        last = Math.max(last, r.startedAt);
      }
      return {
        at: first + ctx.settings.callOutcomeDelayMinutes * MINUTE,
        key: "calls",
        deadline: last + ctx.settings.callOutcomeWindowDays * DAY
      };
    },
    reason: (ctx, members) => {
      const oldest = Math.min(...members.map((m) => m.r.startedAt));
      return members.length === 1 ? `Your call on ${ctx.local(oldest)} has no outcome logged.` : `${members.length} of your calls since ${ctx.local(oldest)} have no outcome logged.`;
    },
    links: (ctx, calls) => [...calls].sort((a, b) => b.startedAt - a.startedAt).map((c) => ({ label: `Log outcome: ${ctx.label("calls", c.id)}`, href: recordUrl(ctx.input.portal, "calls", c.id) }))
  }
});
var contactAwaitingReply = defineRule({
  id: "CONTACT_AWAITING_REPLY",
  number: 8,
  title: "Contacts awaiting your reply",
  forEach: "contacts",
  grouping: "none",
  category: "prospecting",
  snapshot: false,
  urgencyTier: 1,
  candidates: (ctx) => ctx.input.contacts,
  criteria: [
    noOpenLead,
    {
      id: "repliedToYou",
      label: "the contact replied to an email whose primary recipient is you",
      test: (ctx, c) => repliedToYouAsPrimary(ctx, ctx.emailsOf("contacts", c.id), c.email)
    },
    {
      id: "otherDomain",
      label: "the contact's email domain is not yours",
      test: (ctx, c) => otherDomain(ctx, c.email)
    }
  ],
  expiries: [
    {
      id: "reassigned",
      label: "the contact is reassigned",
      kind: "event",
      fired: (ctx, c, { startedAt }) => reassignedAfter(ctx, c, startedAt)
    },
    { id: "age", label: "the action is more than 14 days old", kind: "age", maxAge: (s) => s.awaitingReplyMaxAgeDays * DAY },
    { id: "youEmailed", label: "you send the contact an email", kind: "criterion", criterion: "repliedToYou" },
    { id: "leadOpened", label: "an open lead exists for the contact", kind: "criterion", criterion: "noOpenLead" }
  ],
  record: contactRecord,
  occurrence: (_ctx, _c, f) => ({ at: ms2(f.repliedAt), key: repliesKey(f) }),
  associated: (ctx, c) => ctx.refs("contacts", c.id, ["companies"]),
  reason: (ctx, f, rec) => `${rec.label} wrote to you on ${when(ctx, f.repliedAt)} and you have not replied since.`,
  links: (ctx, c) => contactLinks(ctx, c, "Reply to")
});
var replyToEmail = defineRule({
  id: "REPLY_TO_EMAIL",
  number: 9,
  title: "Reply to email",
  forEach: "contacts",
  grouping: "none",
  category: "deal",
  snapshot: false,
  urgencyTier: 1,
  candidates: (ctx) => ctx.input.contacts,
  criteria: [
    {
      id: "yourOpenDeal",
      label: "the contact is associated with one of your open deals",
      test: (ctx, c) => {
        const dealIds = [];
        for (const id2 of ctx.assoc("contacts", c.id, "deals")) {
          const d = ctx.ids.deals.get(id2);
          if (d && ctx.isRep(d.ownerId) && ctx.isDealOpen(d)) dealIds.push(id2);
        }
        return dealIds.length > 0 ? ok({ dealIds }) : no({ dealIds });
      }
    },
    {
      id: "replied",
      label: "the contact replied to you and you have not replied since",
      test: (ctx, c) => repliedToYourEmail(ctx, ctx.emailsOf("contacts", c.id), c.email)
    }
  ],
  expiries: [
    { id: "dealClosed", label: "the associated deal closes", kind: "criterion", criterion: "yourOpenDeal" },
    { id: "youReplied", label: "you send a reply", kind: "criterion", criterion: "replied" },
    { id: "age", label: "the action is more than 7 days old", kind: "age", maxAge: (s) => s.replyToEmailMaxAgeDays * DAY }
  ],
  record: contactRecord,
  occurrence: (_ctx, _c, f) => ({ at: ms2(f.repliedAt), key: repliesKey(f) }),
  associated: (ctx, c) => {
    const out = [];
    for (const id2 of ctx.assoc("contacts", c.id, "deals")) {
      const d = ctx.ids.deals.get(id2);
      if (d && ctx.isRep(d.ownerId) && ctx.isDealOpen(d)) out.push(ctx.ref("deals", id2));
    }
    return [...out, ...ctx.refs("contacts", c.id, ["companies"])];
  },
  reason: (ctx, f, rec) => `${rec.label} replied on ${when(ctx, f.repliedAt)} and you have not replied since.`,
  links: (ctx, c, associated) => [
    ...contactLinks(ctx, c, "Reply to"),
    ...firstRefLink(ctx, associated, ["deals"], "Open deal")
  ]
});
var leadAwaitingReply = defineRule({
  id: "LEAD_AWAITING_REPLY",
  number: 10,
  title: "Leads awaiting your reply",
  forEach: "leads",
  grouping: "none",
  category: "prospecting",
  snapshot: false,
  urgencyTier: 1,
  candidates: (ctx) => ctx.input.leads,
  criteria: [
    {
      id: "repliedToYou",
      label: "the lead replied to an email whose primary recipient is you",
      test: (ctx, l) => {
        const cid = ctx.leadContactId(l);
        const address = cid ? ctx.ids.contacts.get(cid)?.email ?? null : null;
        const res = repliedToYouAsPrimary(ctx, ctx.leadEmails(l), address);
        return res.holds ? { ...res, assumptions: [...res.assumptions ?? [], A.leadEmails] } : res;
      }
    },
    {
      id: "otherDomain",
      label: "the lead's email domain is not yours",
      test: (ctx, l) => {
        const cid = ctx.leadContactId(l);
        return otherDomain(ctx, cid ? ctx.ids.contacts.get(cid)?.email ?? null : null, [A.leadDomain]);
      }
    }
  ],
  expiries: [
    {
      id: "reassigned",
      label: "the lead is reassigned",
      kind: "event",
      fired: (ctx, l, { startedAt }) => reassignedAfter(ctx, l, startedAt)
    },
    { id: "age", label: "the action is more than 14 days old", kind: "age", maxAge: (s) => s.awaitingReplyMaxAgeDays * DAY },
    { id: "youEmailed", label: "you send the lead an email", kind: "criterion", criterion: "repliedToYou" }
  ],
  record: (ctx, l) => ctx.ref("leads", l.id),
  occurrence: (_ctx, _l, f) => ({ at: ms2(f.repliedAt), key: repliesKey(f) }),
  associated: (ctx, l) => ctx.refs("leads", l.id, ["contacts", "companies"]),
  reason: (ctx, f, rec) => `Lead ${rec.label} wrote to you on ${when(ctx, f.repliedAt)} and you have not replied since.`,
  links: (ctx, l) => [{ label: "Reply to lead", href: recordUrl(ctx.input.portal, "leads", l.id) }]
});
var prepareForMeeting = defineRule({
  id: "PREPARE_FOR_MEETING",
  number: 11,
  title: "Prepare for your next meeting",
  forEach: "meetings",
  grouping: "none",
  category: "dealIfOpenDeal",
  snapshot: true,
  urgencyTier: 0,
  candidates: (ctx) => ctx.input.meetings,
  criteria: [
    assigned(),
    {
      id: "startsSoon",
      label: "the meeting starts within the next 24 hours (and started less than 10 minutes ago at most)",
      test: (ctx, m) => {
        const facts = { meetingStartAt: ctx.iso(m.startAt) };
        const holds = m.startAt > ctx.now - ctx.settings.prepareMeetingGraceMinutes * MINUTE && m.startAt <= ctx.now + ctx.settings.prepareMeetingWindowHours * HOUR;
        return holds ? ok(facts) : no(facts);
      }
    },
    {
      id: "isNext",
      label: "it is your next upcoming meeting",
      test: (ctx, m) => {
        const next = nextMeeting(ctx);
        return next?.id === m.id ? ok() : no({ nextMeetingId: next?.id ?? null });
      }
    }
  ],
  expiries: [
    { id: "started", label: "10 minutes have passed since the meeting started", kind: "criterion", criterion: "startsSoon" },
    { id: "reassigned", label: "the meeting is reassigned", kind: "criterion", criterion: "assigned" },
    { id: "notNext", label: "another meeting comes first", kind: "criterion", criterion: "isNext" }
  ],
  record: (ctx, m) => ctx.ref("meetings", m.id),
  occurrence: (ctx, m) => ({
    at: Math.max(m.startAt - ctx.settings.prepareMeetingWindowHours * HOUR, m.createdAt),
    key: `meeting:${m.startAt}`,
    deadline: m.startAt + ctx.settings.prepareMeetingGraceMinutes * MINUTE,
    dueAt: m.startAt
  }),
  associated: (ctx, m) => ctx.refs("meetings", m.id, ["contacts", "companies", "deals"]),
  reason: (ctx, f, rec) => `Your next meeting "${rec.label}" starts on ${when(ctx, f.meetingStartAt)}.`,
  links: (ctx, _m, associated) => firstRefLink(ctx, associated, ["contacts", "deals", "companies"], "Prepare with")
});
var priorityTasksToday = defineGroupRule({
  id: "PRIORITY_TASKS_TODAY",
  number: 12,
  title: "Today's priority tasks",
  forEach: "tasks",
  grouping: "group",
  category: "prospecting",
  snapshot: false,
  urgencyTier: 0,
  candidates: (ctx) => ctx.input.tasks,
  criteria: [
    assigned("the task is yours"),
    {
      id: "highPriority",
      label: "the task has priority HIGH",
      test: (ctx, t) => t.priority !== null && ctx.settings.priorityTaskLevels.includes(t.priority) ? ok({ priority: t.priority }) : no({ priority: t.priority })
    },
    {
      id: "open",
      label: "the task is open",
      test: (ctx, t) => ctx.isTaskOpen(t) ? ok({ taskStatus: t.status }) : no({ taskStatus: t.status })
    },
    {
      id: "dueToday",
      label: "the task is due today in your time zone",
      test: (ctx, t) => {
        const day = today(ctx);
        if (t.dueAt === null) return no({ dueAt: null });
        const holds = t.isAllDay ? new Date(t.dueAt).toISOString().slice(0, 10) === day.date : t.dueAt >= day.start && t.dueAt < day.end;
        const facts = { dueAt: ctx.iso(t.dueAt), today: day.date, timeZone: ctx.tz };
        return holds ? ok(facts) : no(facts);
      }
    }
  ],
  expiries: [
    { id: "noneLeft", label: "you no longer have open high-priority tasks due today", kind: "criterion", criterion: "open" },
    { id: "notToday", label: "the day ends", kind: "criterion", criterion: "dueToday" }
  ],
  member: (ctx, t) => ctx.ref("tasks", t.id),
  memberAssociated: (ctx, t) => ctx.refs("tasks", t.id, ["contacts", "companies", "deals"]),
  group: {
    record: (ctx) => ({ objectType: "owners", objectId: ctx.rep.ownerId, label: "Your priority tasks" }),
    title: () => "Today's priority tasks",
    occurrence: (ctx, members) => {
      const day = today(ctx);
      return {
        at: day.start,
        key: `day:${day.date}`,
        deadline: day.end,
        dueAt: Math.min(...members.map((m) => m.r.dueAt ?? day.end))
      };
    },
    reason: (ctx, members) => members.length === 1 ? `You have 1 high-priority task due today (${today(ctx).date}).` : `You have ${members.length} high-priority tasks due today (${today(ctx).date}).`,
    links: (ctx, tasks) => [
      { label: "Start tasks", href: taskListUrl(ctx.input.portal) },
      ...tasks.map((t) => ({ label: ctx.label("tasks", t.id), href: taskUrl(ctx.input.portal, t.id) }))
    ]
  }
});
var targetAccountActivity = defineRule({
  id: "TARGET_ACCOUNT_ACTIVITY",
  number: 13,
  title: "Target account activity",
  forEach: "contacts",
  grouping: "none",
  category: "prospecting",
  snapshot: false,
  urgencyTier: 3,
  candidates: (ctx) => ctx.input.contacts,
  criteria: [
    {
      id: "targetAccount",
      label: "the contact is associated with a target account company",
      test: (ctx, c) => {
        const ids = [];
        for (const id2 of ctx.assoc("contacts", c.id, "companies")) if (ctx.ids.companies.get(id2)?.isTargetAccount) ids.push(id2);
        return ids.length > 0 ? ok({ targetCompanyIds: ids }) : no({ targetCompanyIds: ids });
      }
    },
    {
      id: "engaged",
      label: "the contact engaged (in the last 7 days)",
      test: (ctx, c) => latestSignalWithin(ctx, ctx.contactSignals(c.id), ctx.settings.targetAccountEngagedDays * DAY)
    },
    {
      id: "yours",
      label: "the company or the contact is owned by you (inferred)",
      test: (ctx, c) => {
        if (ctx.isRep(c.ownerId)) return ok({ ownedVia: "contact" }, [A.targetOwner]);
        for (const id2 of ctx.assoc("contacts", c.id, "companies")) {
          const co = ctx.ids.companies.get(id2);
          if (co?.isTargetAccount && ctx.isRep(co.ownerId)) return ok({ ownedVia: `companies:${id2}` }, [A.targetOwner]);
        }
        return no({ contactOwnerId: c.ownerId });
      }
    }
  ],
  expiries: [{ id: "window", label: "more than 7 days since the contact engaged", kind: "criterion", criterion: "engaged" }],
  record: contactRecord,
  occurrence: (ctx, _c, f) => ({
    at: ms2(f.engagedAt),
    key: `engaged:${String(f.engagedAt)}`,
    deadline: ms2(f.engagedAt) + ctx.settings.targetAccountEngagedDays * DAY
  }),
  associated: (ctx, c) => ctx.refs("contacts", c.id, ["companies"]),
  reason: (ctx, f, rec) => {
    const company = ctx.label("companies", String(f.targetCompanyIds[0]));
    return `${rec.label} at target account ${company} engaged on ${when(ctx, f.engagedAt)}.`;
  },
  links: (ctx, c, associated) => [...contactLinks(ctx, c), ...firstRefLink(ctx, associated, ["companies"], "Open")]
});
var recentlyEngagedLead = defineRule({
  id: "RECENTLY_ENGAGED_LEAD",
  number: 14,
  title: "Recently engaged leads",
  forEach: "leads",
  grouping: "none",
  category: "prospecting",
  snapshot: false,
  urgencyTier: 3,
  candidates: (ctx) => ctx.input.leads,
  criteria: [
    assigned(),
    {
      id: "open",
      label: "the lead is in an open stage",
      test: (ctx, l) => ctx.isLeadOpen(l) ? ok({ leadStage: l.stageId }) : no({ leadStage: l.stageId })
    },
    {
      id: "engaged",
      label: "the lead engaged in the last 7 days",
      test: (ctx, l) => {
        const res = latestSignalWithin(ctx, ctx.leadSignals(l), ctx.settings.recentlyEngagedLeadDays * DAY);
        return res.holds ? { ...res, assumptions: [...res.assumptions ?? [], A.leadEmails] } : res;
      }
    }
  ],
  expiries: [
    { id: "window", label: "more than 7 days since the engagement", kind: "criterion", criterion: "engaged" },
    { id: "reassigned", label: "the lead is reassigned", kind: "criterion", criterion: "assigned" },
    { id: "closed", label: "the lead is qualified or disqualified", kind: "criterion", criterion: "open" }
  ],
  record: (ctx, l) => ctx.ref("leads", l.id),
  occurrence: (ctx, _l, f) => ({
    at: ms2(f.engagedAt),
    key: `engaged:${String(f.engagedAt)}`,
    deadline: ms2(f.engagedAt) + ctx.settings.recentlyEngagedLeadDays * DAY
  }),
  associated: (ctx, l) => ctx.refs("leads", l.id, ["contacts", "companies"]),
  reason: (ctx, f, rec) => `Lead ${rec.label} engaged on ${when(ctx, f.engagedAt)}.`,
  links: (ctx, l) => [{ label: "Open lead", href: recordUrl(ctx.input.portal, "leads", l.id) }]
});
var dealLinks = (ctx, d, label2 = "Open deal") => [
  { label: label2, href: recordUrl(ctx.input.portal, "deals", d.id) }
];
var updateNextSteps = defineRule({
  id: "UPDATE_NEXT_STEPS",
  number: 15,
  title: "Update next steps",
  forEach: "deals",
  grouping: "none",
  category: "deal",
  snapshot: false,
  urgencyTier: 2,
  candidates: (ctx) => ctx.input.deals,
  criteria: [
    assigned(),
    dealOpen,
    {
      id: "activitySinceNextStep",
      label: "an associated activity ended more than 24 hours ago, after the last change of next steps",
      test: (ctx, d) => {
        const after = d.nextStepChangedAt ?? -Infinity;
        const before = ctx.now - ctx.settings.nextStepActivityDelayHours * HOUR;
        let first = null;
        for (const a of activityEnds(ctx, d))
          if (a.endedAt > after && a.endedAt <= before && (!first || a.endedAt < first.endedAt)) first = a;
        const nextStepChangedAt = d.nextStepChangedAt === null ? null : ctx.iso(d.nextStepChangedAt);
        if (!first) return no({ nextStepChangedAt });
        return ok(
          { activity: `${first.type}:${first.id}`, activityEndedAt: ctx.iso(first.endedAt), nextStepChangedAt, nextStep: d.nextStep },
          d.nextStepChangedAt === null ? [A.nextStepHistory] : []
        );
      }
    }
  ],
  expiries: [
    { id: "reassigned", label: "the deal is reassigned", kind: "criterion", criterion: "assigned" },
    { id: "closed", label: "the deal closes", kind: "criterion", criterion: "open" },
    { id: "nextStepChanged", label: "the deal's next step changes", kind: "criterion", criterion: "activitySinceNextStep" }
  ],
  record: (ctx, d) => ctx.ref("deals", d.id),
  occurrence: (ctx, d, f) => ({
    at: ms2(f.activityEndedAt) + ctx.settings.nextStepActivityDelayHours * HOUR,
    key: `nextstep:${d.nextStepChangedAt ?? "never"}`
  }),
  associated: (ctx, d) => ctx.refs("deals", d.id, ["contacts", "companies"]),
  reason: (ctx, f, rec) => `An activity on ${rec.label} ended on ${when(ctx, f.activityEndedAt)} and the next step has not been updated since.`,
  links: (ctx, d) => dealLinks(ctx, d, "Update next step")
});
var addContactToDeal = defineRule({
  id: "ADD_CONTACT_TO_DEAL",
  number: 16,
  title: "Add a contact to the deal",
  forEach: "deals",
  grouping: "none",
  category: "deal",
  snapshot: false,
  urgencyTier: 4,
  candidates: (ctx) => ctx.input.deals,
  criteria: [
    assigned(),
    dealOpen,
    dealOlderThan,
    {
      id: "noContact",
      label: "the deal has no associated contact",
      test: (ctx, d) => {
        const n = ctx.assoc("deals", d.id, "contacts").length;
        return n === 0 ? ok({ associatedContacts: 0 }) : no({ associatedContacts: n });
      }
    }
  ],
  expiries: [
    { id: "reassigned", label: "the deal is reassigned", kind: "criterion", criterion: "assigned" },
    { id: "closed", label: "the deal closes", kind: "criterion", criterion: "open" },
    { id: "contactAssociated", label: "a contact is associated", kind: "criterion", criterion: "noContact" },
    { id: "age", label: "the action is more than 7 days old", kind: "age", maxAge: (s) => s.dealActionMaxAgeDays * DAY }
  ],
  record: (ctx, d) => ctx.ref("deals", d.id),
  occurrence: (ctx, d) => ({ at: d.createdAt + ctx.settings.dealMinAgeDays * DAY, key: `created:${d.createdAt}` }),
  associated: (ctx, d) => ctx.refs("deals", d.id, ["companies"]),
  reason: (ctx, f, rec) => `${rec.label} was created on ${when(ctx, f.dealCreatedAt)} and has no contact yet.`,
  links: (ctx, d) => dealLinks(ctx, d, "Add a contact")
});
var initialOutreachNeeded = defineRule({
  id: "INITIAL_OUTREACH_NEEDED",
  number: 17,
  title: "Initial outreach needed",
  forEach: "deals",
  grouping: "none",
  category: "deal",
  snapshot: false,
  urgencyTier: 4,
  candidates: (ctx) => ctx.input.deals,
  criteria: [
    assigned(),
    {
      id: "firstStage",
      label: "the deal is in the first stage of its pipeline",
      test: (ctx, d) => ctx.isDealFirstStage(d) ? ok({ dealStage: d.stageId }) : no({ dealStage: d.stageId })
    },
    dealOpen,
    dealOlderThan,
    {
      id: "noEngagement",
      label: "no associated engagement (call, email, meeting, note or task)",
      test: (ctx, d) => {
        let n = 0;
        for (const t of ["calls", "emails", "meetings", "notes", "tasks"]) n += ctx.assoc("deals", d.id, t).length;
        return n === 0 ? ok({ associatedEngagements: 0 }) : no({ associatedEngagements: n });
      }
    }
  ],
  expiries: [
    { id: "reassigned", label: "the deal is reassigned", kind: "criterion", criterion: "assigned" },
    { id: "closed", label: "the deal closes", kind: "criterion", criterion: "open" },
    { id: "engagementAssociated", label: "an engagement gets associated", kind: "criterion", criterion: "noEngagement" },
    { id: "age", label: "the action is more than 7 days old", kind: "age", maxAge: (s) => s.dealActionMaxAgeDays * DAY }
  ],
  record: (ctx, d) => ctx.ref("deals", d.id),
  occurrence: (ctx, d) => ({ at: d.createdAt + ctx.settings.dealMinAgeDays * DAY, key: `created:${d.createdAt}` }),
  associated: (ctx, d) => ctx.refs("deals", d.id, ["contacts", "companies"]),
  reason: (ctx, f, rec) => `${rec.label} was created on ${when(ctx, f.dealCreatedAt)} and has no activity yet.`,
  links: (ctx, d, associated) => [
    ...dealLinks(ctx, d, "Reach out"),
    ...firstRefLink(ctx, associated, ["contacts"], "Open")
  ]
});
var buyerFollowUp = defineRule({
  id: "BUYER_FOLLOW_UP",
  number: 18,
  title: "Buyer follow-up",
  forEach: "deals",
  grouping: "none",
  category: "deal",
  snapshot: false,
  urgencyTier: 2,
  candidates: (ctx) => ctx.input.deals,
  criteria: [
    assigned(),
    dealOpen,
    {
      id: "openedNoReply",
      label: "an associated contact opened an email from you but has not replied 7 days later",
      test: (ctx, d) => {
        const window = ctx.settings.buyerNoReplyDays * DAY;
        let best = null;
        for (const cid of ctx.assoc("deals", d.id, "contacts")) {
          const contact = ctx.ids.contacts.get(cid);
          if (!contact) continue;
          const emails = ctx.emailsOf("contacts", cid);
          for (const e of emails) {
            if (!ctx.isOutgoingFromRep(e) || !(e.openCount && e.openCount > 0) || (e.replyCount ?? 0) > 0) continue;
            if (e.sentAt > ctx.now - window) continue;
            const replied = emails.some(
              (x) => x.direction === "INCOMING_EMAIL" && x.sentAt > e.sentAt && x.sentAt <= e.sentAt + window && (x.fromEmail === null || contact.email === null || x.fromEmail.toLowerCase() === contact.email.toLowerCase())
            );
            if (!replied && (!best || e.sentAt > best.email.sentAt)) best = { email: e, contact };
          }
        }
        if (!best) return no();
        return ok(
          {
            buyerContactId: best.contact.id,
            openedEmailId: best.email.id,
            emailSentAt: ctx.iso(best.email.sentAt),
            openCount: best.email.openCount
          },
          [A.opened]
        );
      }
    }
  ],
  expiries: [
    {
      id: "contactReplied",
      label: "an associated contact replies",
      kind: "event",
      fired: (ctx, d, { startedAt }) => {
        for (const cid of ctx.assoc("deals", d.id, "contacts"))
          for (const e of ctx.emailsOf("contacts", cid))
            if (e.direction === "INCOMING_EMAIL" && e.sentAt > startedAt && e.sentAt <= ctx.now)
              return { at: e.sentAt, facts: { repliedBy: cid, repliedAt: ctx.iso(e.sentAt) } };
        return null;
      }
    },
    { id: "age", label: "the action is more than 7 days old", kind: "age", maxAge: (s) => s.buyerFollowUpMaxAgeDays * DAY },
    { id: "reassigned", label: "the deal is reassigned", kind: "criterion", criterion: "assigned" },
    { id: "closed", label: "the deal closes", kind: "criterion", criterion: "open" }
  ],
  record: (ctx, d) => ctx.ref("deals", d.id),
  occurrence: (ctx, _d, f) => ({
    at: ms2(f.emailSentAt) + ctx.settings.buyerNoReplyDays * DAY,
    key: `email:${String(f.openedEmailId)}`
  }),
  associated: (ctx, d) => ctx.refs("deals", d.id, ["contacts", "companies"]),
  reason: (ctx, f, rec) => `${ctx.label("contacts", String(f.buyerContactId))} opened your email of ${when(ctx, f.emailSentAt)} about ${rec.label} and has not replied.`,
  links: (ctx, d, _associated, f) => {
    const buyer = String(f.buyerContactId);
    return [
      { label: `Follow up with ${ctx.label("contacts", buyer)}`, href: recordUrl(ctx.input.portal, "contacts", buyer) },
      ...dealLinks(ctx, d)
    ];
  }
});
var RULES = [
  newlyAssignedContact,
  newlyAssignedLead,
  reengagedContact,
  sequenceActivity,
  emailReply,
  meetingFollowUp,
  logCallOutcome,
  contactAwaitingReply,
  replyToEmail,
  leadAwaitingReply,
  prepareForMeeting,
  priorityTasksToday,
  targetAccountActivity,
  recentlyEngagedLead,
  updateNextSteps,
  addContactToDeal,
  initialOutreachNeeded,
  buyerFollowUp
];

// src/backend/engines/guided-actions/engine.ts
var rememberKey = (rule, recordKey2) => `${rule}\0${recordKey2}`;
function hash53(str3) {
  let h1 = 3735928559;
  let h2 = 1103547991;
  for (let i = 0; i < str3.length; i++) {
    const ch = str3.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ h1 >>> 16, 2246822507) ^ Math.imul(h2 ^ h2 >>> 13, 3266489909);
  h2 = Math.imul(h2 ^ h2 >>> 16, 2246822507) ^ Math.imul(h1 ^ h1 >>> 13, 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}
function guidedActionId(rule, recordKey2, userId) {
  return `ga_${hash53(`${rule}|${recordKey2}|${userId}`)}`;
}
var dedupeRefs = (refs) => {
  const seen = /* @__PURE__ */ new Set();
  return refs.filter((r) => {
    const k = `${r.objectType}:${r.objectId}`;
    return seen.has(k) ? false : (seen.add(k), true);
  });
};
function categoryOf(ctx, rule, associated) {
  if (rule.category !== "dealIfOpenDeal") return rule.category;
  for (const r of associated) {
    if (r.objectType !== "deals") continue;
    const d = ctx.ids.deals.get(r.objectId);
    if (d && ctx.isDealOpen(d)) return "deal";
  }
  return "prospecting";
}
function snapshotFor(rule, c, previous) {
  if (!rule.snapshot) return { snapshot: null, changed: false };
  if (!c.memberAssociatedLive)
    return previous ? { snapshot: previous, changed: false } : { snapshot: { associated: c.associatedLive }, changed: true };
  const members = {};
  let changed = !previous?.members;
  for (const [id2, live] of Object.entries(c.memberAssociatedLive)) {
    const kept = previous?.members?.[id2];
    if (!kept) changed = true;
    members[id2] = kept ?? live;
  }
  if (previous?.members && Object.keys(previous.members).length !== Object.keys(members).length) changed = true;
  return { snapshot: { associated: dedupeRefs(Object.values(members).flat()), members }, changed };
}
function evaluateGuidedActions(input, now, remembered = [], settings = defaultGuidedActionSettings, rules = RULES) {
  const ctx = buildContext(input, now, settings);
  const memory = /* @__PURE__ */ new Map();
  for (const r of remembered) memory.set(rememberKey(r.rule, r.recordKey), r);
  const actions = [];
  const seen = [];
  const expired = [];
  const holding = /* @__PURE__ */ new Set();
  for (const rule of rules) {
    for (const c of rule.evaluate(ctx)) {
      const mk = rememberKey(rule.id, c.key);
      holding.add(mk);
      const prev = memory.get(mk) ?? null;
      const same = prev !== null && prev.clearedAt === null && (prev.occurrence === null || prev.occurrence === c.occurrence.key);
      if (same && prev.expiredAt !== null) continue;
      const eventAt = c.occurrence.at;
      const floor = prev?.clearedAt ?? null;
      const startedAt = same ? prev.firstSeenAt : eventAt !== null && (floor === null || eventAt > floor) ? Math.min(eventAt, now) : now;
      const { snapshot, changed } = snapshotFor(rule, c, same ? prev.snapshot : null);
      const entry = {
        rule: rule.id,
        recordKey: c.key,
        firstSeenAt: startedAt,
        expiredAt: null,
        occurrence: c.occurrence.key,
        snapshot,
        clearedAt: null
      };
      const hit = c.expiry(startedAt);
      if (hit) {
        const expiredAt = Math.min(hit.at, now);
        seen.push({ ...entry, expiredAt });
        expired.push({ rule: rule.id, recordKey: c.key, expiredAt, condition: hit.id, reason: hit.label });
        continue;
      }
      if (!same || changed) seen.push(entry);
      const associated = snapshot ? snapshot.associated : c.associatedLive;
      const ageDeadline = c.ageDeadline(startedAt);
      const deadlines = [ageDeadline, c.occurrence.deadline ?? null].filter((x) => x !== null);
      const expiresAt = deadlines.length ? Math.min(...deadlines) : null;
      const dueAt = c.occurrence.dueAt ?? expiresAt;
      actions.push({
        id: guidedActionId(rule.id, c.key, input.rep.userId),
        rule: rule.id,
        recordKey: c.key,
        category: categoryOf(ctx, rule, associated),
        title: c.title,
        reason: c.reason,
        record: c.record,
        members: c.members,
        associated,
        facts: { ...c.facts, startedAt: ctx.iso(startedAt), assumptions: c.assumptions },
        firstSeenAt: ctx.iso(startedAt),
        expiresAt: expiresAt === null ? null : ctx.iso(expiresAt),
        links: c.links(associated),
        urgency: { tier: rule.urgencyTier, dueAt: dueAt === null ? null : ctx.iso(dueAt) }
      });
    }
  }
  const cleared = [];
  const ruleIds = new Set(rules.map((r) => r.id));
  for (const [k, r] of memory)
    if (!holding.has(k) && ruleIds.has(r.rule) && r.clearedAt === null)
      cleared.push({ rule: r.rule, recordKey: r.recordKey, clearedAt: now, wasExpired: r.expiredAt !== null });
  actions.sort(compareUrgency);
  return { actions, seen, expired, cleared };
}
function compareUrgency(a, b) {
  if (a.urgency.tier !== b.urgency.tier) return a.urgency.tier - b.urgency.tier;
  const ad = a.urgency.dueAt;
  const bd = b.urgency.dueAt;
  if (ad !== bd) {
    if (ad === null) return 1;
    if (bd === null) return -1;
    return ad < bd ? -1 : 1;
  }
  if (a.firstSeenAt !== b.firstSeenAt) return a.firstSeenAt < b.firstSeenAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
function filterByCategory(actions, category2) {
  return category2 === "all" ? [...actions] : actions.filter((a) => a.category === category2);
}
function toGuidedAction(action, feedback) {
  const { recordKey: _recordKey, urgency: _urgency, ...rest } = action;
  return { ...rest, feedback };
}

// src/backend/services/guided-actions/mappers.ts
function toMs(v) {
  if (v === null || v === void 0 || v === "") return null;
  if (/^\d+$/.test(v)) return Number(v);
  const ms3 = Date.parse(v);
  return Number.isFinite(ms3) ? ms3 : null;
}
var num = (v) => {
  if (v === null || v === void 0 || v === "") return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};
var str = (v) => v === null || v === void 0 || v === "" ? null : v;
var bool = (v) => v === "true" || v === "1";
var addresses = (v) => (v ?? "").split(/[;,]/).map((s) => s.trim()).filter(Boolean);
var PROPERTIES = {
  contacts: [
    "firstname",
    "lastname",
    "email",
    "hubspot_owner_id",
    "hubspot_owner_assigneddate",
    "lifecyclestage",
    "createdate",
    "hs_latest_disqualified_lead_date",
    "recent_conversion_date",
    "hs_sales_email_last_opened",
    "hs_sales_email_last_clicked"
  ],
  companies: ["name", "domain", "hubspot_owner_id", "hs_is_target_account"],
  deals: ["dealname", "hubspot_owner_id", "hubspot_owner_assigneddate", "pipeline", "dealstage", "createdate", "hs_next_step"],
  leads: [
    "hs_lead_name",
    "hubspot_owner_id",
    "hubspot_owner_assigneddate",
    "hs_pipeline",
    "hs_pipeline_stage",
    "hs_pipeline_stage_last_updated",
    "hs_createdate",
    "hs_primary_contact_id"
  ],
  tasks: [
    "hs_task_subject",
    "hubspot_owner_id",
    "hs_task_status",
    "hs_task_priority",
    "hs_task_type",
    "hs_timestamp",
    "hs_task_is_all_day",
    "hs_createdate",
    "hs_task_completion_date",
    "hs_task_sequence_step_order",
    "hs_task_sequence_step_enrollment_id"
  ],
  calls: [
    "hs_call_title",
    "hubspot_owner_id",
    "hs_timestamp",
    "hs_call_duration",
    "hs_call_status",
    "hs_call_disposition",
    "hs_call_source",
    "hs_call_direction"
  ],
  emails: [
    "hs_email_subject",
    "hubspot_owner_id",
    "hs_email_direction",
    "hs_timestamp",
    "hs_email_from_email",
    "hs_email_to_email",
    "hs_email_cc_email",
    "hs_email_thread_id",
    "hs_email_open_count",
    "hs_email_click_count",
    "hs_email_reply_count"
  ],
  meetings: ["hs_meeting_title", "hubspot_owner_id", "hs_meeting_start_time", "hs_meeting_end_time", "hs_meeting_outcome", "hs_createdate"],
  notes: ["hubspot_owner_id", "hs_timestamp"]
};
var created = (r, prop) => toMs(r.properties[prop]) ?? toMs(r.createdAt) ?? 0;
function toContact(r) {
  const p = r.properties;
  return {
    id: r.id,
    firstName: str(p.firstname),
    lastName: str(p.lastname),
    email: str(p.email),
    ownerId: str(p.hubspot_owner_id),
    ownerAssignedAt: toMs(p.hubspot_owner_assigneddate),
    lifecycleStage: str(p.lifecyclestage),
    createdAt: toMs(p.createdate) ?? toMs(r.createdAt),
    latestDisqualifiedLeadAt: toMs(p.hs_latest_disqualified_lead_date),
    recentConversionAt: toMs(p.recent_conversion_date),
    salesEmailLastOpenedAt: toMs(p.hs_sales_email_last_opened),
    salesEmailLastClickedAt: toMs(p.hs_sales_email_last_clicked)
  };
}
function toCompany(r) {
  const p = r.properties;
  return { id: r.id, name: str(p.name), domain: str(p.domain), ownerId: str(p.hubspot_owner_id), isTargetAccount: bool(p.hs_is_target_account) };
}
function toDeal(r, history) {
  const p = r.properties;
  const changes = (history ?? r).propertiesWithHistory?.hs_next_step ?? [];
  let nextStepChangedAt = null;
  for (const h of changes) {
    const at = toMs(h.timestamp);
    if (at !== null && (nextStepChangedAt === null || at > nextStepChangedAt)) nextStepChangedAt = at;
  }
  return {
    id: r.id,
    name: str(p.dealname),
    ownerId: str(p.hubspot_owner_id),
    ownerAssignedAt: toMs(p.hubspot_owner_assigneddate),
    pipelineId: p.pipeline || "default",
    stageId: p.dealstage ?? "",
    createdAt: created(r, "createdate"),
    nextStep: str(p.hs_next_step),
    nextStepChangedAt
  };
}
function toLead(r) {
  const p = r.properties;
  return {
    id: r.id,
    name: str(p.hs_lead_name),
    ownerId: str(p.hubspot_owner_id),
    ownerAssignedAt: toMs(p.hubspot_owner_assigneddate),
    pipelineId: p.hs_pipeline || "lead-pipeline-id",
    stageId: p.hs_pipeline_stage ?? "",
    stageChangedAt: toMs(p.hs_pipeline_stage_last_updated),
    createdAt: created(r, "hs_createdate"),
    primaryContactId: str(p.hs_primary_contact_id)
  };
}
function toTask(r) {
  const p = r.properties;
  return {
    id: r.id,
    subject: str(p.hs_task_subject),
    ownerId: str(p.hubspot_owner_id),
    status: str(p.hs_task_status),
    priority: str(p.hs_task_priority),
    type: str(p.hs_task_type),
    dueAt: toMs(p.hs_timestamp),
    isAllDay: bool(p.hs_task_is_all_day),
    createdAt: created(r, "hs_createdate"),
    completedAt: toMs(p.hs_task_completion_date),
    sequenceStepOrder: num(p.hs_task_sequence_step_order),
    sequenceEnrollmentId: str(p.hs_task_sequence_step_enrollment_id)
  };
}
function toCall(r) {
  const p = r.properties;
  return {
    id: r.id,
    title: str(p.hs_call_title),
    ownerId: str(p.hubspot_owner_id),
    startedAt: toMs(p.hs_timestamp) ?? created(r, "hs_createdate"),
    durationMs: num(p.hs_call_duration),
    status: str(p.hs_call_status),
    disposition: str(p.hs_call_disposition),
    source: str(p.hs_call_source),
    direction: str(p.hs_call_direction)
  };
}
function toEmail(r) {
  const p = r.properties;
  return {
    id: r.id,
    subject: str(p.hs_email_subject),
    ownerId: str(p.hubspot_owner_id),
    direction: p.hs_email_direction || "EMAIL",
    sentAt: toMs(p.hs_timestamp) ?? created(r, "hs_createdate"),
    fromEmail: str(p.hs_email_from_email),
    toEmails: addresses(p.hs_email_to_email),
    ccEmails: addresses(p.hs_email_cc_email),
    threadId: str(p.hs_email_thread_id),
    openCount: num(p.hs_email_open_count),
    clickCount: num(p.hs_email_click_count),
    replyCount: num(p.hs_email_reply_count)
  };
}
function toMeeting(r) {
  const p = r.properties;
  const startAt = toMs(p.hs_meeting_start_time) ?? toMs(p.hs_timestamp) ?? created(r, "hs_createdate");
  return {
    id: r.id,
    title: str(p.hs_meeting_title),
    ownerId: str(p.hubspot_owner_id),
    startAt,
    endAt: toMs(p.hs_meeting_end_time) ?? startAt,
    outcome: str(p.hs_meeting_outcome),
    createdAt: created(r, "hs_createdate")
  };
}
function toNote(r) {
  const p = r.properties;
  return { id: r.id, ownerId: str(p.hubspot_owner_id), at: toMs(p.hs_timestamp) ?? created(r, "hs_createdate") };
}
function toPipelines(list2) {
  return list2.map((p) => ({
    id: p.id,
    label: p.label,
    stages: p.stages.map((s) => ({ id: s.id, label: s.label, displayOrder: s.displayOrder, isClosed: s.metadata.isClosed === "true" }))
  }));
}
function toLifecycleStages(properties) {
  const def = properties.find((p) => p.name === "lifecyclestage");
  return (def?.options ?? []).map((o) => ({ value: o.value, label: o.label, displayOrder: o.displayOrder, hidden: o.hidden }));
}

// src/backend/services/guided-actions/data-plan.ts
var DAY2 = 864e5;
var HOUR2 = 36e5;
var PAGE3 = 200;
var MAX_PAGES = 50;
var IN_CHUNK = 100;
var RULE_SOURCES = {
  NEWLY_ASSIGNED_CONTACT: ["contacts", "deals", "emails"],
  NEWLY_ASSIGNED_LEAD: ["leads", "calls", "emails", "meetings", "notes", "tasks"],
  REENGAGED_CONTACT: ["contacts", "leads", "emails", "calls", "meetings"],
  SEQUENCE_ACTIVITY: ["tasks"],
  EMAIL_REPLY: ["contacts", "emails"],
  MEETING_FOLLOW_UP: ["meetings", "tasks", "deals"],
  LOG_CALL_OUTCOME: ["calls", "deals"],
  CONTACT_AWAITING_REPLY: ["contacts", "emails", "leads"],
  REPLY_TO_EMAIL: ["contacts", "emails", "deals"],
  LEAD_AWAITING_REPLY: ["leads", "emails", "contacts"],
  PREPARE_FOR_MEETING: ["meetings", "deals"],
  PRIORITY_TASKS_TODAY: ["tasks"],
  TARGET_ACCOUNT_ACTIVITY: ["companies", "contacts", "emails", "calls", "meetings"],
  RECENTLY_ENGAGED_LEAD: ["leads", "emails", "calls", "meetings", "contacts"],
  UPDATE_NEXT_STEPS: ["deals", "calls", "meetings", "emails", "notes", "tasks"],
  ADD_CONTACT_TO_DEAL: ["deals"],
  INITIAL_OUTREACH_NEEDED: ["deals", "calls", "emails", "meetings", "notes", "tasks"],
  BUYER_FOLLOW_UP: ["deals", "contacts", "emails"]
};
var WHAT = {
  contacts: "Your contacts",
  companies: "Your target accounts",
  deals: "Your deals",
  leads: "Your leads",
  tasks: "Your tasks",
  calls: "Your calls",
  emails: "Your emails",
  meetings: "Your meetings",
  notes: "Your notes"
};
async function loadGuidedActionsInput(crm2, opts2) {
  const { userId, now, settings } = opts2;
  const warnings = [];
  const incomplete = /* @__PURE__ */ new Set();
  const warned = /* @__PURE__ */ new Set();
  const fail2 = (types, err2) => {
    for (const t of types) incomplete.add(t);
    const w = warningFor(WHAT[types[0]], err2);
    if (warned.has(w)) return;
    warned.add(w);
    warnings.push(w);
  };
  async function attempt(types, fallback, fn) {
    try {
      return await fn();
    } catch (err2) {
      fail2(types, err2);
      return fallback;
    }
  }
  const tzP = resolveTimeZone(crm2, userId);
  const accountP = crm2.account().catch(() => null);
  const dealPipelinesP = attempt(["deals"], [], async () => toPipelines(await crm2.pipelines("deals")));
  const leadPipelinesP = attempt(["leads"], [], async () => toPipelines(await crm2.pipelines("leads")));
  const lifecycleP = crm2.properties("contacts").then(toLifecycleStages, (err2) => {
    warnings.push(`${warningFor("Your portal's lifecycle stages", err2)} HubSpot's default lifecycle is assumed.`);
    return [];
  });
  const owners = await crm2.owners().catch((err2) => Promise.reject(fromCrmError(err2)));
  const owner = owners.find((o) => o.userId === userId && !o.archived);
  if (!owner) {
    const tz2 = await tzP;
    return { kind: "not-an-owner", timeZone: tz2.timeZone, warnings: [...tz2.warnings, "You are not a HubSpot owner in this portal, so no records are assigned to you."] };
  }
  const O = owner.id;
  const repEmail = owner.email ?? "";
  const ms3 = (d) => String(Math.round(now - d * DAY2));
  const activityDays = Math.max(
    settings.reengagementWindowDays,
    settings.newlyAssignedMaxAgeDays,
    settings.awaitingReplyMaxAgeDays,
    settings.emailReplyMaxAgeDays,
    settings.buyerNoReplyDays + settings.buyerFollowUpMaxAgeDays,
    settings.targetAccountEngagedDays,
    settings.recentlyEngagedLeadDays
  );
  const since = ms3(activityDays);
  const own = { propertyName: "hubspot_owner_id", operator: "EQ", value: O };
  const open = { propertyName: "hs_task_status", operator: "NOT_IN", values: settings.completedTaskStatuses };
  const f = (propertyName, operator, value, extra = {}) => ({ propertyName, operator, ...value === void 0 ? {} : { value }, ...extra });
  const searchAll = async (type, filterGroups) => {
    const req = (after) => ({
      filterGroups,
      properties: [...PROPERTIES[type]],
      limit: PAGE3,
      sorts: [{ propertyName: "hs_object_id", direction: "ASCENDING" }],
      ...after ? { after: String(after) } : {}
    });
    const first = await crm2.search(type, req());
    if (!first.after || first.total <= PAGE3) return first.results;
    if (first.total > MAX_PAGES * PAGE3) throw Object.assign(new Error(`more than ${MAX_PAGES * PAGE3} ${type} match`), { kind: "too-many" });
    const offsets = [];
    for (let o = PAGE3; o < first.total; o += PAGE3) offsets.push(o);
    const rest = await Promise.all(offsets.map((o) => crm2.search(type, req(o))));
    const out = new Map(first.results.map((r) => [r.id, r]));
    for (const page of rest) for (const r of page.results) out.set(r.id, r);
    return [...out.values()];
  };
  const search = (type, groups) => attempt([type], [], () => searchAll(type, groups));
  const [contacts0, deals0, leads0, tasks0, calls0, emails0, meetings0, companies0] = await Promise.all([
    search("contacts", [
      // 1: assigned inside the window, no deal (rollup as a pre-filter; confirmed by association below)
      { filters: [own, f("hubspot_owner_assigneddate", "GTE", ms3(settings.newlyAssignedMaxAgeDays)), f("num_associated_deals", "EQ", "0")] },
      { filters: [own, f("hs_latest_disqualified_lead_date", "HAS_PROPERTY")] }
      // 3
    ]),
    search("deals", [{ filters: [own, f("hs_is_closed", "EQ", "false")] }]),
    // 9, 15–18
    search("leads", [{ filters: [own] }]),
    // 2, 10, 14
    search("tasks", [
      { filters: [own, open, f("hs_task_sequence_step_order", "HAS_PROPERTY")] },
      // 4
      { filters: [
        own,
        open,
        f("hs_task_priority", "IN", void 0, { values: settings.priorityTaskLevels }),
        f("hs_timestamp", "BETWEEN", ms3(2), { highValue: String(now + 2 * DAY2) })
      ] }
      // 12 (today in any time zone)
    ]),
    search("calls", [
      { filters: [own, f("hs_timestamp", "GTE", ms3(settings.callOutcomeWindowDays)), f("hs_call_disposition", "NOT_HAS_PROPERTY")] },
      // 7
      { filters: [own, f("hs_timestamp", "GTE", since), f("hs_call_direction", "EQ", "INBOUND")] }
      // engaged: inbound call
    ]),
    search("emails", [
      { filters: [own, f("hs_email_direction", "EQ", "INCOMING_EMAIL"), f("hs_timestamp", "GTE", since)] },
      // replies, engaged
      ...repEmail ? [{ filters: [f("hs_email_direction", "EQ", "INCOMING_EMAIL"), f("hs_email_to_email", "CONTAINS_TOKEN", repEmail), f("hs_timestamp", "GTE", since)] }] : []
      // 8, 10
    ]),
    search("meetings", [
      { filters: [own, f("hs_meeting_start_time", "BETWEEN", ms3(settings.meetingFollowUpWindowDays + 1), { highValue: String(now + settings.prepareMeetingWindowHours * HOUR2 + HOUR2) })] }
      // 6, 11
    ]),
    search("companies", [{ filters: [own, f("hs_is_target_account", "EQ", "true")] }])
    // 13
  ]);
  const got = {
    contacts: byId2(contacts0),
    companies: byId2(companies0),
    deals: byId2(deals0),
    leads: byId2(leads0),
    tasks: byId2(tasks0),
    calls: byId2(calls0),
    emails: byId2(emails0),
    meetings: byId2(meetings0),
    notes: /* @__PURE__ */ new Map()
  };
  const [dealPipelines, leadPipelines] = await Promise.all([dealPipelinesP, leadPipelinesP]);
  const associations = {};
  const setAssoc = (from, to, m) => {
    const byFrom = associations[from] ??= {};
    const table = byFrom[to] ??= {};
    for (const [id2, ids] of m) table[id2] = ids;
  };
  const assoc = (from, to, ids) => {
    const list2 = [...ids];
    if (list2.length === 0) return Promise.resolve();
    return attempt([from, to], void 0, async () => setAssoc(from, to, await crm2.associations(from, to, list2)));
  };
  const linked = (from, to, only) => {
    const out = /* @__PURE__ */ new Set();
    for (const [id2, ids] of Object.entries(associations[from]?.[to] ?? {})) if (!only || only(id2)) for (const x of ids) out.add(x);
    return out;
  };
  const keep = (type, records) => {
    for (const r of records) if (!got[type].has(r.id)) got[type].set(r.id, r);
  };
  const SINGULAR = { contacts: "contact", companies: "company", deals: "deal" };
  const neighbours = async (from, to, ids, extra = []) => {
    const list2 = [...new Set(ids)];
    if (list2.length === 0) return;
    const records = async () => {
      const perSearch = IN_CHUNK * 5;
      await Promise.all(Array.from({ length: Math.ceil(list2.length / perSearch) }, async (_, k) => {
        const part = list2.slice(k * perSearch, (k + 1) * perSearch);
        const groups = [];
        for (let j = 0; j < part.length; j += IN_CHUNK)
          groups.push({ filters: [f(`associations.${SINGULAR[from]}`, "IN", void 0, { values: part.slice(j, j + IN_CHUNK) }), ...extra] });
        keep(to, await searchAll(to, groups));
      }));
    };
    await Promise.all([attempt([to], void 0, records), assoc(from, to, list2)]);
  };
  const readMissing = async (type, ids) => {
    const missing = [...new Set(ids)].filter((id2) => !got[type].has(id2));
    if (missing.length === 0) return;
    await attempt([type], void 0, async () => {
      for (const [id2, r] of await crm2.batchRead(type, missing, [...PROPERTIES[type]])) got[type].set(id2, r);
    });
  };
  const firstStageOf = (pipelines) => new Map(pipelines.map((p) => [p.id, [...p.stages].sort((a, b) => a.displayOrder - b.displayOrder)[0]?.id]));
  const leadFirstStage = firstStageOf(leadPipelines);
  const newLeadCandidates = [...got.leads.values()].map(toLead).filter((l) => leadFirstStage.get(l.pipelineId) === l.stageId && (l.ownerAssignedAt ?? l.createdAt) >= now - settings.newlyAssignedMaxAgeDays * DAY2).map((l) => l.id);
  const ENGAGEMENTS = ["calls", "emails", "meetings", "notes", "tasks"];
  const newlyAssigned = [...got.contacts.values()].map(toContact).filter((c) => (c.ownerAssignedAt ?? 0) >= now - settings.newlyAssignedMaxAgeDays * DAY2).map((c) => c.id);
  const disqualified = [...got.contacts.values()].filter((c) => c.properties.hs_latest_disqualified_lead_date).map((c) => c.id);
  const openDeals = [...got.deals.keys()];
  let history = /* @__PURE__ */ new Map();
  const dealActivity = ms3(activityDays);
  await Promise.all([
    assoc("emails", "contacts", got.emails.keys()),
    assoc("calls", "contacts", got.calls.keys()),
    assoc("calls", "deals", got.calls.keys()),
    assoc("meetings", "contacts", got.meetings.keys()),
    assoc("meetings", "deals", got.meetings.keys()),
    assoc("tasks", "contacts", got.tasks.keys()),
    assoc("deals", "contacts", openDeals),
    assoc("contacts", "deals", newlyAssigned),
    assoc("companies", "contacts", got.companies.keys()),
    assoc("leads", "contacts", got.leads.keys()),
    ...ENGAGEMENTS.map((t) => assoc("leads", t, newLeadCandidates)),
    // 15 (activity after the last next-step change) and 17 (no engagement at all: the association ids)
    neighbours("deals", "calls", openDeals, [f("hs_timestamp", "GTE", dealActivity)]),
    neighbours("deals", "meetings", openDeals, [f("hs_meeting_start_time", "GTE", dealActivity)]),
    neighbours("deals", "notes", openDeals, [f("hs_timestamp", "GTE", dealActivity)]),
    neighbours("deals", "emails", openDeals, [f("hs_timestamp", "GTE", dealActivity)]),
    neighbours("deals", "tasks", openDeals, [f("hs_task_status", "IN", void 0, { values: settings.completedTaskStatuses }), f("hs_task_completion_date", "GTE", dealActivity)]),
    // 1: any email either way since the assignment
    neighbours("contacts", "emails", newlyAssigned, [f("hs_timestamp", "GTE", ms3(settings.newlyAssignedMaxAgeDays))]),
    // 3: re-engagement signals of the disqualified contacts
    neighbours("contacts", "calls", disqualified, [f("hs_timestamp", "GTE", ms3(settings.reengagementWindowDays))]),
    neighbours("contacts", "meetings", disqualified, [f("hs_createdate", "GTE", ms3(settings.reengagementWindowDays))]),
    openDeals.length === 0 ? void 0 : attempt(["deals"], void 0, async () => {
      history = await crm2.batchRead("deals", openDeals, ["hs_next_step"], ["hs_next_step"]);
    })
  ]);
  const recentCall = (id2) => {
    const c = got.calls.get(id2);
    return !!c && toCall(c).startedAt >= now - settings.callOutcomeWindowDays * DAY2;
  };
  const replyWindow = ms3(Math.max(settings.emailReplyMaxAgeDays, settings.awaitingReplyMaxAgeDays, settings.replyToEmailMaxAgeDays));
  const repliers = /* @__PURE__ */ new Set();
  for (const [eid, cids] of Object.entries(associations.emails?.contacts ?? {})) {
    const e = got.emails.get(eid);
    if (e?.properties.hs_email_direction === "INCOMING_EMAIL" && toEmail(e).sentAt >= Number(replyWindow)) for (const c of cids) repliers.add(c);
  }
  const buyerDeals = openDeals.filter((d) => (associations.deals?.emails?.[d] ?? []).some((id2) => {
    const e = got.emails.get(id2);
    if (!e) return false;
    const m = toEmail(e);
    return m.direction === "EMAIL" && m.ownerId === O && (m.openCount ?? 0) > 0 && !(m.replyCount ?? 0) && m.sentAt <= now - settings.buyerNoReplyDays * DAY2 && m.sentAt >= now - (settings.buyerNoReplyDays + settings.buyerFollowUpMaxAgeDays + 1) * DAY2;
  }));
  const buyerContacts = buyerDeals.flatMap((d) => associations.deals?.contacts?.[d] ?? []);
  const dealFirstStage = firstStageOf(dealPipelines);
  const outreachContacts = [...got.deals.values()].map((r) => toDeal(r)).filter((d) => dealFirstStage.get(d.pipelineId) === d.stageId && d.createdAt <= now - settings.dealMinAgeDays * DAY2 && d.createdAt >= now - (settings.dealMinAgeDays + settings.dealActionMaxAgeDays) * DAY2).flatMap((d) => associations.deals?.contacts?.[d.id] ?? []);
  const wantContacts = /* @__PURE__ */ new Set([
    ...repliers,
    ...outreachContacts,
    ...linked("companies", "contacts"),
    ...linked("meetings", "contacts"),
    ...linked("calls", "contacts", recentCall),
    ...linked("leads", "contacts"),
    ...buyerContacts
  ]);
  const wantDeals = /* @__PURE__ */ new Set([...linked("meetings", "deals"), ...linked("calls", "deals", recentCall)]);
  const targetContacts = [...linked("companies", "contacts")].filter((id2) => got.contacts.get(id2)?.properties.hubspot_owner_id !== O);
  const engagedSince = ms3(settings.targetAccountEngagedDays);
  const endedMeetings = [...got.meetings.values()].map(toMeeting).filter((m) => m.startAt <= now).map((m) => m.id);
  const meetingContacts = linked("meetings", "contacts", (id2) => endedMeetings.includes(id2));
  const dealEmails = buyerDeals.flatMap((d) => associations.deals?.emails?.[d] ?? []).filter((id2) => got.emails.has(id2) && !associations.emails?.contacts?.[id2]);
  await Promise.all([
    readMissing("contacts", wantContacts),
    readMissing("deals", wantDeals),
    ...ENGAGEMENTS.map((t) => readMissing(t, linked("leads", t))),
    assoc("emails", "contacts", dealEmails),
    neighbours("contacts", "leads", /* @__PURE__ */ new Set([...disqualified, ...repliers])),
    // 3, 8: the contacts' (other users') leads
    neighbours("contacts", "emails", [...repliers].filter((c) => !newlyAssigned.includes(c)), [f("hs_email_direction", "EQ", "EMAIL"), f("hs_timestamp", "GTE", replyWindow)]),
    // 5, 8, 9, 10
    neighbours("contacts", "tasks", meetingContacts, [f("hs_createdate", "GTE", ms3(settings.meetingFollowUpWindowDays + 1))]),
    // 6
    neighbours("contacts", "calls", targetContacts, [f("hs_timestamp", "GTE", engagedSince)]),
    // 13
    neighbours("contacts", "emails", targetContacts, [f("hs_timestamp", "GTE", engagedSince)]),
    neighbours("contacts", "meetings", targetContacts, [f("hs_createdate", "GTE", engagedSince)])
  ]);
  const leadContactMap = /* @__PURE__ */ new Map();
  for (const l of got.leads.values()) if (l.properties.hs_primary_contact_id) leadContactMap.set(l.id, [l.properties.hs_primary_contact_id]);
  setAssoc("leads", "contacts", leadContactMap);
  const [tz, account, lifecycleStages] = await Promise.all([tzP, accountP, lifecycleP]);
  warnings.push(...tz.warnings);
  const input = {
    portal: { id: String(crm2.portalId), timeZone: account?.timeZone ?? tz.timeZone },
    rep: { userId: String(userId), ownerId: O, email: repEmail, timeZone: tz.timeZone },
    contacts: [...got.contacts.values()].map(toContact),
    companies: [...got.companies.values()].map(toCompany),
    deals: [...got.deals.values()].map((r) => toDeal(r, history.get(r.id))),
    leads: [...got.leads.values()].map(toLead),
    tasks: [...got.tasks.values()].map(toTask),
    calls: [...got.calls.values()].map(toCall),
    emails: [...got.emails.values()].map(toEmail),
    meetings: [...got.meetings.values()].map(toMeeting),
    notes: [...got.notes.values()].map(toNote),
    associations,
    pipelines: { deals: dealPipelines, leads: leadPipelines },
    lifecycleStages,
    owners: owners.map((o) => ({ id: o.id, userId: o.userId === null ? null : String(o.userId), email: o.email, firstName: o.firstName, lastName: o.lastName }))
  };
  return { kind: "ok", input, warnings, incomplete };
}
function byId2(records) {
  return new Map(records.map((r) => [r.id, r]));
}

// src/backend/services/guided-actions/service.ts
var SETTINGS_KEY = "guidedActions";
var RECORD_TYPES = ["contacts", "companies", "deals", "leads"];
var DEFAULT_LIMIT = 250;
var MAX_LIMIT = 800;
var RULE_SET = new Set(RULE_IDS);
function createGuidedActionsService(deps) {
  const ttl = deps.cacheTtlMs ?? 15e3;
  const maxEntries = deps.cacheMaxEntries ?? 2e3;
  const staleMs = deps.staleMs ?? 6e4;
  const cache = /* @__PURE__ */ new Map();
  const repo = createGuidedActionsRepo(deps.db);
  const settingsRepo = createSettingsRepo(deps.db);
  const key = (portalId, userId) => `${portalId}:${userId}`;
  async function settingsOf(portalId) {
    const stored = await settingsRepo.getSetting(portalId, SETTINGS_KEY);
    const parsed = guidedActionSettingsSchema.safeParse(stored ?? {});
    if (parsed.success) return { settings: parsed.data, warnings: [] };
    return {
      settings: guidedActionSettingsSchema.parse({}),
      warnings: ["This portal's guided-action settings are not valid; the defaults are used."]
    };
  }
  async function evaluate(portalId, userId) {
    const now = deps.now();
    const rep = String(userId);
    const [{ settings, warnings: settingWarnings }, remembered] = await Promise.all([settingsOf(portalId), repo.loadRemembered(portalId, rep)]);
    const plan = await loadGuidedActionsInput(deps.crm.portal(portalId), { userId, now, settings });
    const feedback = new Map([...remembered.feedback].map(([k, v]) => [k, v.answer]));
    if (plan.kind === "not-an-owner")
      return { actions: [], feedback, warnings: [...settingWarnings, ...plan.warnings], partial: false, engineCpuMs: 0, computedAt: now, bodies: /* @__PURE__ */ new Map() };
    const rules = RULES.filter((r) => RULE_SOURCES[r.id].every((t) => !plan.incomplete.has(t)));
    const skipped = RULES.length - rules.length;
    const warnings = [...settingWarnings, ...plan.warnings];
    if (skipped) warnings.push(`${skipped} of the ${RULES.length} guided-action rules could not be checked, so some actions may be missing.`);
    const partial = plan.incomplete.size > 0 || plan.warnings.length > 0;
    const state = remembered.entries.filter((e) => RULE_SET.has(e.ruleId)).map((e) => ({
      rule: e.ruleId,
      recordKey: e.recordKey,
      firstSeenAt: e.firstSeenAt.getTime(),
      expiredAt: e.expiredAt?.getTime() ?? null,
      occurrence: e.occurrence,
      snapshot: e.snapshot ?? null,
      clearedAt: e.clearedAt?.getTime() ?? null
    }));
    const cpu0 = process.cpuUsage();
    const result = evaluateGuidedActions(plan.input, now, state, settings, rules);
    const cpu = process.cpuUsage(cpu0);
    const engineCpuMs = (cpu.user + cpu.system) / 1e3;
    const reasons = new Map(result.expired.map((e) => [actionKey(e.rule, e.recordKey), e.reason]));
    await repo.saveEvaluation(
      portalId,
      rep,
      {
        seen: result.seen.map((s) => ({
          ruleId: s.rule,
          recordKey: s.recordKey,
          firstSeenAt: new Date(s.firstSeenAt),
          expiredAt: s.expiredAt === null ? null : new Date(s.expiredAt),
          expiredReason: reasons.get(actionKey(s.rule, s.recordKey)) ?? null,
          occurrence: s.occurrence,
          snapshot: s.snapshot
        })),
        // Never clear remembered state from partial data.
        cleared: partial ? [] : result.cleared.map((c) => ({ ruleId: c.rule, recordKey: c.recordKey, clearedAt: new Date(c.clearedAt) }))
      },
      new Date(now)
    );
    return { actions: result.actions, feedback, warnings, partial, engineCpuMs, computedAt: now, bodies: /* @__PURE__ */ new Map() };
  }
  function cached(portalId, userId) {
    const k = key(portalId, userId);
    const entry = cache.get(k);
    const age = entry ? deps.now() - entry.at : Infinity;
    if (entry && age < ttl) return { value: entry.value, hit: true };
    if (entry?.settled && age < staleMs) {
      if (!entry.refreshing) {
        const next = evaluate(portalId, userId);
        entry.refreshing = next;
        next.then(
          (ev) => {
            if (ev.partial) entry.refreshing = void 0;
            else if (cache.get(k) === entry) cache.set(k, { at: deps.now(), value: next, settled: true });
          },
          () => {
            entry.refreshing = void 0;
          }
        );
      }
      return { value: entry.value, hit: true };
    }
    const value = evaluate(portalId, userId);
    const fresh = { at: deps.now(), value, settled: false };
    cache.delete(k);
    cache.set(k, fresh);
    value.then(
      (ev) => {
        fresh.settled = !ev.partial;
      },
      () => {
        if (cache.get(k) === fresh) cache.delete(k);
      }
    );
    if (cache.size > maxEntries) cache.delete(cache.keys().next().value);
    return { value, hit: false };
  }
  return {
    async list(portalId, userId, opts2) {
      const { value, hit } = cached(portalId, userId);
      return build(await value, opts2, hit);
    },
    async listBody(portalId, userId, opts2) {
      const { value, hit } = cached(portalId, userId);
      const ev = await value;
      const meta2 = { cache: hit ? "hit" : "miss", engineCpuMs: ev.engineCpuMs };
      const k = `${opts2.category}|${opts2.record?.objectType ?? ""}:${opts2.record?.objectId ?? ""}|${opts2.limit ?? DEFAULT_LIMIT}`;
      let body = ev.bodies.get(k);
      if (!body) {
        const { meta: _meta, ...rest } = build(ev, opts2, hit);
        body = Buffer.from(JSON.stringify(rest));
        if (ev.bodies.size >= 64) ev.bodies.clear();
        ev.bodies.set(k, body);
      }
      return { body, meta: meta2 };
    },
    async feedback(portalId, userId, actionId, answer) {
      const rep = String(userId);
      const entry = cache.get(key(portalId, userId));
      let ref;
      const ev = entry ? await entry.value.catch(() => void 0) : void 0;
      const shown = ev?.actions.find((a) => a.id === actionId);
      if (shown) ref = { ruleId: shown.rule, recordKey: shown.recordKey };
      if (!ref) {
        const remembered = await repo.loadRemembered(portalId, rep);
        const refs = [...remembered.entries, ...remembered.feedback.values()];
        ref = refs.find((r) => guidedActionId(r.ruleId, r.recordKey, rep) === actionId);
      }
      if (!ref) throw new AppError("NOT_FOUND", "This guided action does not exist (any more) for this user.");
      await repo.setFeedback(portalId, rep, ref, answer, new Date(deps.now()));
      const k = actionKey(ref.ruleId, ref.recordKey);
      if (ev) {
        ev.feedback.set(k, answer);
        ev.bodies.clear();
      }
      void entry?.refreshing?.then((next) => {
        next.feedback.set(k, answer);
        next.bodies.clear();
      }, () => {
      });
    },
    invalidate(portalId, userId) {
      if (userId !== void 0) cache.delete(key(portalId, userId));
      else for (const k of [...cache.keys()]) if (k.startsWith(`${portalId}:`)) cache.delete(k);
    }
  };
}
function build(ev, opts2, hit) {
  const about = opts2.record ? ev.actions.filter((a) => isAbout(a, opts2.record)) : ev.actions;
  let deal = 0;
  for (const a of about) if (a.category === "deal") deal++;
  const matching = filterByCategory(about, opts2.category);
  const out = matching.slice(0, opts2.limit ?? DEFAULT_LIMIT).map((a) => toGuidedAction(a, ev.feedback.get(actionKey(a.rule, a.recordKey)) ?? null));
  const response = {
    actions: out,
    total: matching.length,
    counts: { all: about.length, deal, prospecting: about.length - deal },
    meta: { cache: hit ? "hit" : "miss", engineCpuMs: ev.engineCpuMs }
  };
  if (ev.warnings.length) response.warnings = ev.warnings;
  if (ev.partial) response.partial = true;
  return response;
}
function isAbout(a, r) {
  const same = (x) => x.objectType === r.objectType && x.objectId === r.objectId;
  return same(a.record) || a.members.some(same) || a.associated.some(same);
}

// src/backend/http/routes/guided-actions.ts
var listQuery = z8.object({
  category: z8.enum(["all", "deal", "prospecting"]).default("all"),
  limit: z8.coerce.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT),
  objectType: z8.enum(RECORD_TYPES).optional(),
  objectId: z8.string().regex(/^\d{1,20}$/, "must be a record id (digits)").optional()
}).strict().refine((q) => q.objectType === void 0 === (q.objectId === void 0), {
  message: "objectType and objectId go together",
  path: ["objectId"]
});
var feedbackBody = z8.object({ answer: z8.enum(FEEDBACK_ANSWERS) }).strict();
var actionIdParam = z8.string().regex(/^ga_[0-9a-z]{1,16}$/, "must be a guided action id");
function guidedActionsRoutes(deps) {
  const service = deps.guidedActions ?? createGuidedActionsService({ crm: deps.crm, db: deps.db, now: deps.now });
  const router = Router5();
  router.get("/v1/guided-actions", async (req, res) => {
    const { portalId, viewAsUserId } = identityOf(res);
    const q = parseQuery(listQuery, req.query);
    const record = q.objectType && q.objectId ? { objectType: q.objectType, objectId: q.objectId } : void 0;
    const { meta: meta2, body } = await service.listBody(portalId, viewAsUserId, { category: q.category, record, limit: q.limit });
    if (deps.exposeMetering) {
      res.setHeader("X-Tiller-Cache", meta2.cache);
      res.setHeader("X-Tiller-Engine-Cpu-Ms", meta2.engineCpuMs.toFixed(2));
    }
    sendJson(res, body);
  });
  router.post("/v1/guided-actions/:id/feedback", async (req, res) => {
    const { portalId, viewAsUserId } = identityOf(res);
    const id2 = actionIdParam.safeParse(req.params.id);
    const { answer } = parseBody(feedbackBody, req.body ?? {});
    if (!id2.success) {
      res.status(404).json({ error: { code: "NOT_FOUND", message: "This guided action does not exist for this user." } });
      return;
    }
    await service.feedback(portalId, viewAsUserId, id2.data, answer);
    res.status(204).end();
  });
  return router;
}

// src/backend/http/app.ts
function createApp(deps) {
  const now = deps.now ?? Date.now;
  const app2 = express();
  app2.disable("x-powered-by");
  app2.set("query parser", "simple");
  app2.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const given = req.headers["x-request-id"];
        const id2 = typeof given === "string" && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
        res.setHeader("X-Request-Id", id2);
        return id2;
      },
      autoLogging: { ignore: (req) => req.url === "/healthz" },
      serializers: { req: (req) => ({ id: req.id, method: req.method, url: String(req.url).split("?")[0] }) }
    })
  );
  app2.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  const api = express.Router();
  api.use(express.raw({ type: () => true, limit: "1mb" }));
  api.use((req, _res, next) => {
    if (Buffer.isBuffer(req.body)) req.rawBody = req.body;
    req.body = void 0;
    next();
  });
  api.use(requireHubSpotSignature({ secret: deps.clientSecret, publicBaseUrl: deps.publicBaseUrl, now }));
  api.use((req, _res, next) => {
    const raw = req.rawBody;
    if (raw && raw.length > 0) {
      try {
        req.body = JSON.parse(raw.toString("utf8"));
      } catch {
        throw new AppError("BAD_REQUEST", "The request body is not valid JSON.");
      }
    }
    next();
  });
  api.use(requireIdentity({ installations: deps.installations, roles: deps.roles }));
  api.use(meterRequests({ deadlineMs: deps.deadlineMs ?? 1e4, exposeHeaders: deps.exposeMetering ?? false }));
  api.use(meRoutes({ crm: deps.crm, roles: deps.roles }));
  api.use(tasksRoutes({ crm: deps.crm, now }));
  api.use(usersRoutes({ crm: deps.crm, roles: deps.roles }));
  api.use(healthRoutes({ ...deps, now }));
  api.use(guidedActionsRoutes({ ...deps, now }));
  api.use(notFoundHandler);
  app2.use("/api", api);
  app2.use(notFoundHandler);
  app2.use(errorHandler);
  return app2;
}

// bench/harness.ts
init_signature();

// src/backend/sandbox/fixture.ts
import { z as z9 } from "zod";

// src/backend/sandbox/object-types.ts
var ENGAGEMENT_DEFAULTS = ["hs_createdate", "hs_lastmodifieddate", "hs_object_id"];
var BUILTIN = [
  {
    name: "contacts",
    id: "0-1",
    singular: "contact",
    createdProp: "createdate",
    modifiedProp: "lastmodifieddate",
    defaultProperties: ["createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname"]
  },
  {
    name: "companies",
    id: "0-2",
    singular: "company",
    createdProp: "createdate",
    modifiedProp: "hs_lastmodifieddate",
    defaultProperties: ["createdate", "domain", "hs_lastmodifieddate", "hs_object_id", "name"]
  },
  {
    name: "deals",
    id: "0-3",
    singular: "deal",
    createdProp: "createdate",
    modifiedProp: "hs_lastmodifieddate",
    defaultProperties: ["amount", "closedate", "createdate", "dealname", "dealstage", "hs_lastmodifieddate", "hs_object_id", "pipeline"]
  },
  {
    name: "tickets",
    id: "0-5",
    singular: "ticket",
    createdProp: "createdate",
    modifiedProp: "hs_lastmodifieddate",
    defaultProperties: ["content", "createdate", "hs_lastmodifieddate", "hs_object_id", "hs_pipeline", "hs_pipeline_stage", "hs_ticket_category", "hs_ticket_priority", "subject"]
  },
  { name: "tasks", id: "0-27", singular: "task", createdProp: "hs_createdate", modifiedProp: "hs_lastmodifieddate", defaultProperties: ENGAGEMENT_DEFAULTS },
  { name: "notes", id: "0-46", singular: "note", createdProp: "hs_createdate", modifiedProp: "hs_lastmodifieddate", defaultProperties: ENGAGEMENT_DEFAULTS },
  { name: "meetings", id: "0-47", singular: "meeting", createdProp: "hs_createdate", modifiedProp: "hs_lastmodifieddate", defaultProperties: ENGAGEMENT_DEFAULTS },
  { name: "calls", id: "0-48", singular: "call", createdProp: "hs_createdate", modifiedProp: "hs_lastmodifieddate", defaultProperties: ENGAGEMENT_DEFAULTS },
  { name: "emails", id: "0-49", singular: "email", createdProp: "hs_createdate", modifiedProp: "hs_lastmodifieddate", defaultProperties: ENGAGEMENT_DEFAULTS },
  {
    name: "users",
    id: "0-115",
    singular: "user",
    createdProp: "hs_createdate",
    modifiedProp: "hs_lastmodifieddate",
    defaultProperties: ["hs_createdate", "hs_lastmodifieddate", "hs_object_id"]
  },
  {
    name: "leads",
    id: "0-136",
    singular: "lead",
    createdProp: "hs_createdate",
    modifiedProp: "hs_lastmodifieddate",
    defaultProperties: ["hs_createdate", "hs_lastmodifieddate", "hs_object_id"]
  },
  {
    name: "services",
    id: "0-162",
    singular: "service",
    createdProp: "hs_createdate",
    modifiedProp: "hs_lastmodifieddate",
    defaultProperties: ["hs_createdate", "hs_lastmodifieddate", "hs_object_id"]
  }
];
var byKey2 = /* @__PURE__ */ new Map();
for (const t of BUILTIN) {
  byKey2.set(t.name, t);
  byKey2.set(t.id, t);
}
for (const t of BUILTIN) if (!byKey2.has(t.singular)) byKey2.set(t.singular, t);
var CUSTOM_ID = /^2-\d+$/;
function resolveObjectType(key) {
  const k = key.toLowerCase();
  const hit = byKey2.get(k);
  if (hit) return hit;
  if (CUSTOM_ID.test(k)) {
    return {
      name: k,
      id: k,
      singular: k,
      createdProp: "hs_createdate",
      modifiedProp: "hs_lastmodifieddate",
      defaultProperties: ["hs_createdate", "hs_lastmodifieddate", "hs_object_id"],
      custom: true
    };
  }
  return void 0;
}

// src/backend/sandbox/fixture.ts
var nonEmpty = z9.string().min(1, "must be a non-empty string");
var numericId = z9.string().regex(/^\d+$/, "must be a string of digits");
var timestampSchema = z9.union([z9.string(), z9.number()]).superRefine((v, ctx) => {
  if (parseTimestamp(v) === void 0) ctx.addIssue({ code: "custom", message: `"${String(v)}" is not an ISO-8601 UTC datetime or epoch milliseconds` });
});
var portalSchema = z9.strictObject({
  id: z9.number().int().positive(),
  timeZone: nonEmpty.refine(isTimeZone, 'must be an IANA time zone id such as "Europe/Paris"'),
  domain: z9.string().optional(),
  accessToken: nonEmpty.default("sandbox-token"),
  // optional: granted scopes; when present, calls needing a missing scope get 403
  scopes: z9.array(nonEmpty).optional(),
  currency: z9.string().optional()
});
var userSchema = z9.strictObject({
  id: numericId,
  email: nonEmpty,
  firstName: z9.string().default(""),
  lastName: z9.string().default(""),
  superAdmin: z9.boolean().default(false),
  timeZone: nonEmpty.refine(isTimeZone, "must be an IANA time zone id").nullable().optional(),
  teamIds: z9.array(nonEmpty).default([])
});
var teamSchema = z9.strictObject({ id: nonEmpty, name: nonEmpty });
var ownerSchema = z9.strictObject({
  id: numericId,
  userId: z9.number().int().positive().nullable().optional(),
  email: z9.string().default(""),
  firstName: z9.string().default(""),
  lastName: z9.string().default(""),
  type: z9.enum(["PERSON", "QUEUE"]).default("PERSON"),
  archived: z9.boolean().default(false),
  // deactivated users: userId null, userIdIncludingInactive set (reference §3.5)
  userIdIncludingInactive: z9.number().int().positive().nullable().optional(),
  teamIds: z9.array(nonEmpty).optional(),
  createdAt: timestampSchema.optional(),
  updatedAt: timestampSchema.optional()
});
var stageSchema = z9.strictObject({
  id: nonEmpty,
  label: nonEmpty,
  displayOrder: z9.number().int().default(0),
  // HubSpot returns metadata values as strings (reference §0.6, §2.3)
  metadata: z9.record(z9.string(), z9.string()).default({}),
  archived: z9.boolean().default(false)
});
var pipelineSchema = z9.strictObject({
  id: nonEmpty,
  label: nonEmpty,
  displayOrder: z9.number().int().default(0),
  archived: z9.boolean().default(false),
  stages: z9.array(stageSchema).min(1, "a pipeline needs at least one stage")
});
var optionSchema = z9.strictObject({
  label: z9.string(),
  value: z9.string(),
  displayOrder: z9.number().int().optional(),
  hidden: z9.boolean().default(false),
  description: z9.string().optional()
});
var PROPERTY_TYPES = ["string", "number", "date", "datetime", "enumeration", "bool", "phone_number", "object_coordinates", "json"];
var propertyDefSchema = z9.strictObject({
  name: z9.string().regex(/^[a-z0-9_]+$/, "must be a lowercase internal name ([a-z0-9_])"),
  label: z9.string().optional(),
  type: z9.enum(PROPERTY_TYPES),
  fieldType: nonEmpty,
  groupName: z9.string().optional(),
  description: z9.string().optional(),
  options: z9.array(optionSchema).optional(),
  displayOrder: z9.number().int().optional(),
  hasUniqueValue: z9.boolean().optional(),
  hidden: z9.boolean().optional(),
  calculated: z9.boolean().optional(),
  externalOptions: z9.boolean().optional(),
  formField: z9.boolean().optional()
});
var historyEntrySchema = z9.strictObject({
  value: z9.string(),
  timestamp: timestampSchema,
  sourceType: z9.string().optional(),
  sourceId: z9.string().optional(),
  sourceLabel: z9.string().optional(),
  updatedByUserId: z9.number().int().optional()
});
var recordSchema = z9.strictObject({
  id: numericId,
  properties: z9.record(z9.string(), z9.string().nullable()).default({}),
  createdAt: timestampSchema.optional(),
  updatedAt: timestampSchema.optional(),
  archived: z9.boolean().default(false),
  archivedAt: timestampSchema.optional(),
  propertiesWithHistory: z9.record(z9.string(), z9.array(historyEntrySchema)).optional()
});
var associationSchema = z9.strictObject({
  from: z9.string().regex(/^[^/]+\/\d+$/, 'must be "<objectType>/<id>", e.g. "contacts/1"'),
  to: z9.string().regex(/^[^/]+\/\d+$/, 'must be "<objectType>/<id>", e.g. "deals/7"'),
  typeId: z9.number().int().positive().optional(),
  category: z9.enum(["HUBSPOT_DEFINED", "USER_DEFINED", "INTEGRATOR_DEFINED"]).optional()
});
var labelSchema = z9.strictObject({
  from: nonEmpty,
  to: nonEmpty,
  typeId: z9.number().int().positive(),
  label: nonEmpty,
  category: z9.enum(["USER_DEFINED", "INTEGRATOR_DEFINED"]).default("USER_DEFINED"),
  inverseTypeId: z9.number().int().positive().optional(),
  inverseLabel: z9.string().optional()
});
var dispositionSchema = z9.strictObject({ id: nonEmpty, label: nonEmpty });
var sequenceSchema = z9.strictObject({
  id: numericId,
  name: nonEmpty,
  userId: numericId,
  folderId: z9.string().optional(),
  createdAt: timestampSchema.optional(),
  updatedAt: timestampSchema.optional(),
  steps: z9.array(z9.record(z9.string(), z9.unknown())).optional()
});
var fixtureSchema = z9.strictObject({
  $schema: z9.string().optional(),
  version: z9.literal(1).optional(),
  portal: portalSchema,
  users: z9.array(userSchema).default([]),
  teams: z9.array(teamSchema).default([]),
  owners: z9.array(ownerSchema).default([]),
  pipelines: z9.record(z9.string(), z9.array(pipelineSchema)).default({}),
  properties: z9.record(z9.string(), z9.array(propertyDefSchema)).default({}),
  objects: z9.record(z9.string(), z9.array(recordSchema)).default({}),
  associations: z9.array(associationSchema).default([]),
  // optional extensions (sandbox-only): user-defined association labels, custom call
  // outcomes (added to HubSpot's six defaults), sequences
  associationLabels: z9.array(labelSchema).optional(),
  callDispositions: z9.array(dispositionSchema).optional(),
  sequences: z9.array(sequenceSchema).optional()
});
var shellSchema = fixtureSchema.extend({
  objects: z9.record(z9.string(), z9.array(z9.unknown())).default({}),
  associations: z9.array(z9.unknown()).default([])
});
var historySchema = z9.record(z9.string(), z9.array(historyEntrySchema));
function parseTimestamp(v) {
  if (typeof v === "number") return Number.isFinite(v) && Number.isInteger(v) && v >= 0 ? v : void 0;
  if (/^\d{1,15}$/.test(v)) return Number(v);
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/.test(v)) return void 0;
  const ms3 = Date.parse(v);
  return Number.isNaN(ms3) ? void 0 : ms3;
}
function isTimeZone(tz) {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

// src/backend/sandbox/catalog.ts
function label(name) {
  const s = name.replace(/^hs_/, "").replace(/_/g, " ");
  return s.charAt(0).toUpperCase() + s.slice(1);
}
function opts(values) {
  return values.map((v, i) => {
    const [value, lab] = Array.isArray(v) ? v : [v, label(v.toLowerCase())];
    return { label: lab, value, displayOrder: i, hidden: false };
  });
}
var CREATED_MODIFIED_HS = [["hs_createdate", "datetime", { readOnly: true }], ["hs_lastmodifieddate", "datetime", { readOnly: true }]];
var ENGAGEMENT = [...CREATED_MODIFIED_HS, ["hs_timestamp", "datetime"], ["hs_attachment_ids", "enumeration", { externalOptions: true }]];
var SPECS = {
  contacts: [
    ["createdate", "datetime", { readOnly: true }],
    ["lastmodifieddate", "datetime", { readOnly: true }],
    ["email", "string", { hasUniqueValue: false }],
    ["firstname", "string"],
    ["lastname", "string"],
    ["phone", "phone_number"],
    ["mobilephone", "phone_number"],
    ["company", "string"],
    ["jobtitle", "string"],
    ["hs_email_domain", "string", { readOnly: true }],
    ["hs_additional_emails", "enumeration", { externalOptions: true }],
    // reference §2.1: default lifecycle values, ordered by displayOrder
    ["lifecyclestage", "enumeration", { fieldType: "radio", options: opts([["subscriber", "Subscriber"], ["lead", "Lead"], ["marketingqualifiedlead", "Marketing Qualified Lead"], ["salesqualifiedlead", "Sales Qualified Lead"], ["opportunity", "Opportunity"], ["customer", "Customer"], ["evangelist", "Evangelist"], ["other", "Other"]]) }],
    ["hs_lead_status", "enumeration", { fieldType: "radio", options: opts([["NEW", "New"], ["OPEN", "Open"], ["IN_PROGRESS", "In Progress"], ["OPEN_DEAL", "Open Deal"], ["UNQUALIFIED", "Unqualified"], ["ATTEMPTED_TO_CONTACT", "Attempted to Contact"], ["CONNECTED", "Connected"], ["BAD_TIMING", "Bad Timing"]]) }],
    ["notes_last_contacted", "datetime"],
    ["notes_last_updated", "datetime"],
    ["notes_next_activity_date", "datetime"],
    ["num_contacted_notes", "number"],
    ["num_notes", "number"],
    ["num_associated_deals", "number", { calculated: true, readOnly: true }],
    ["hs_last_sales_activity_timestamp", "datetime"],
    ["hs_latest_meeting_activity", "datetime"],
    ["hs_sales_email_last_replied", "datetime"],
    ["hs_sales_email_last_opened", "datetime"],
    ["hs_sales_email_last_clicked", "datetime"],
    ["hs_latest_disqualified_lead_date", "datetime"],
    ["hs_latest_open_lead_date", "datetime"],
    ["hs_latest_qualified_lead_date", "datetime"],
    ["hs_sequences_is_enrolled", "bool"],
    ["hs_sequences_actively_enrolled_count", "number"],
    ["hs_sequences_enrolled_count", "number"],
    ["hs_latest_sequence_enrolled", "string"],
    ["hs_latest_sequence_enrolled_date", "datetime"],
    ["hs_latest_sequence_ended_date", "datetime"],
    ["hs_latest_sequence_finished_date", "datetime"],
    ["hs_latest_sequence_unenrolled_date", "datetime"],
    ["recent_conversion_date", "datetime"],
    ["hs_is_unworked", "bool"],
    ["hs_pipeline", "enumeration", { externalOptions: true }]
  ],
  companies: [
    ["createdate", "datetime", { readOnly: true }],
    ["hs_lastmodifieddate", "datetime", { readOnly: true }],
    ["name", "string"],
    ["domain", "string"],
    ["website", "string"],
    ["phone", "phone_number"],
    ["industry", "string"],
    ["city", "string"],
    ["country", "string"],
    ["lifecyclestage", "enumeration", { fieldType: "radio", options: opts([["subscriber", "Subscriber"], ["lead", "Lead"], ["marketingqualifiedlead", "Marketing Qualified Lead"], ["salesqualifiedlead", "Sales Qualified Lead"], ["opportunity", "Opportunity"], ["customer", "Customer"], ["evangelist", "Evangelist"], ["other", "Other"]]) }],
    ["hs_is_target_account", "bool"],
    ["num_associated_contacts", "number", { calculated: true, readOnly: true }],
    ["num_associated_deals", "number", { calculated: true, readOnly: true }],
    ["hs_num_open_deals", "number"],
    ["recent_deal_amount", "number"],
    ["recent_deal_close_date", "datetime"],
    ["total_revenue", "number"],
    ["notes_last_updated", "datetime"],
    ["notes_last_contacted", "datetime"],
    ["hs_last_sales_activity_timestamp", "datetime"],
    ["hs_num_decision_makers", "number"],
    ["hs_num_blockers", "number"],
    ["hs_num_contacts_with_buying_roles", "number"],
    ["hs_csm_sentiment", "enumeration", { options: opts([["Positive", "Positive"], ["Neutral", "Neutral"], ["Negative", "Negative"]]) }],
    ["hs_customer_success_ticket_sentiment", "enumeration", { options: opts([["Positive", "Positive"], ["Neutral", "Neutral"], ["Negative", "Negative"]]) }],
    ["annualrevenue", "number"],
    ["numberofemployees", "number"]
  ],
  deals: [
    ["createdate", "datetime", { readOnly: true }],
    ["hs_lastmodifieddate", "datetime", { readOnly: true }],
    ["dealname", "string"],
    ["amount", "number"],
    ["closedate", "datetime"],
    ["pipeline", "enumeration"],
    ["dealstage", "enumeration"],
    ["dealtype", "enumeration", { fieldType: "radio", options: opts([["newbusiness", "New Business"], ["existingbusiness", "Existing Business"]]) }],
    ["description", "string", { fieldType: "textarea" }],
    ["hs_next_step", "string", { fieldType: "textarea" }],
    ["hs_is_closed", "bool", { calculated: true, readOnly: true }],
    ["hs_is_closed_won", "bool", { calculated: true, readOnly: true }],
    ["hs_is_closed_lost", "bool", { calculated: true, readOnly: true }],
    ["hs_deal_stage_probability", "number", { calculated: true, readOnly: true }],
    ["num_associated_contacts", "number", { calculated: true, readOnly: true }],
    ["notes_last_updated", "datetime"],
    ["notes_last_contacted", "datetime"],
    ["notes_next_activity_date", "datetime"],
    ["num_contacted_notes", "number"],
    ["num_notes", "number"],
    ["hs_latest_meeting_activity", "datetime"],
    ["hs_sales_email_last_replied", "datetime"],
    ["engagements_last_meeting_booked", "datetime"]
  ],
  tickets: [
    ["createdate", "datetime", { readOnly: true }],
    ["hs_lastmodifieddate", "datetime", { readOnly: true }],
    ["subject", "string"],
    ["content", "string", { fieldType: "textarea" }],
    ["hs_pipeline", "enumeration"],
    ["hs_pipeline_stage", "enumeration"],
    ["hs_ticket_priority", "enumeration", { options: opts([["LOW", "Low"], ["MEDIUM", "Medium"], ["HIGH", "High"], ["URGENT", "Urgent"]]) }],
    ["hs_ticket_category", "enumeration", { fieldType: "checkbox", options: opts([["PRODUCT_ISSUE", "Product issue"], ["BILLING_ISSUE", "Billing issue"], ["FEATURE_REQUEST", "Feature request"], ["GENERAL_INQUIRY", "General inquiry"]]) }],
    ["closed_date", "datetime"],
    ["time_to_close", "number"]
  ],
  tasks: [
    ...ENGAGEMENT,
    ["hs_task_subject", "string"],
    ["hs_task_body", "string", { fieldType: "textarea" }],
    ["hs_task_status", "enumeration", { options: opts([["NOT_STARTED", "Not started"], ["IN_PROGRESS", "In progress"], ["WAITING", "Waiting"], ["COMPLETED", "Completed"], ["DEFERRED", "Deferred"]]) }],
    ["hs_task_priority", "enumeration", { options: opts([["NONE", "None"], ["LOW", "Low"], ["MEDIUM", "Medium"], ["HIGH", "High"]]) }],
    ["hs_task_type", "enumeration", { options: opts([["EMAIL", "Email"], ["CALL", "Call"], ["TODO", "To-do"], ["LINKED_IN_CONNECT", "LinkedIn connect"], ["LINKED_IN_MESSAGE", "LinkedIn message"], ["MEETING", "Meeting"]]) }],
    ["hs_task_reminders", "enumeration", { externalOptions: true }],
    ["hs_task_completion_date", "datetime"],
    ["hs_task_is_completed", "number", { calculated: true, readOnly: true }],
    ["hs_task_is_overdue", "bool", { calculated: true, readOnly: true }],
    ["hs_task_is_past_due_date", "bool", { calculated: true, readOnly: true }],
    ["hs_task_is_all_day", "bool"],
    ["hs_task_completion_count", "number"],
    ["hs_task_for_object_type", "enumeration", { externalOptions: true }],
    ["hs_task_family", "enumeration", { externalOptions: true }],
    ["hs_queue_membership_ids", "enumeration", { externalOptions: true }],
    ["hs_task_sequence_step_order", "number"],
    ["hs_task_sequence_step_enrollment_id", "string"],
    ["hs_task_sequence_enrollment_active", "bool"],
    ["hs_task_sequence_step_enrollment_contact_id", "string"],
    ["hs_task_is_completed_sequence", "bool"]
  ],
  calls: [
    ...ENGAGEMENT,
    ["hs_call_title", "string"],
    ["hs_call_body", "string", { fieldType: "textarea" }],
    ["hs_call_duration", "number"],
    ["hs_call_from_number", "string"],
    ["hs_call_to_number", "string"],
    ["hs_call_recording_url", "string"],
    ["hs_call_callee_object_id", "number"],
    ["hs_call_callee_object_type", "enumeration", { externalOptions: true }],
    ["hs_call_has_voicemail", "bool"],
    ["hs_activity_type", "enumeration", { externalOptions: true }],
    ["hs_call_status", "enumeration", { options: opts(["BUSY", "CALLING_CRM_USER", "CANCELED", "COMPLETED", "CONNECTING", "FAILED", "IN_PROGRESS", "MISSED", "NO_ANSWER", "QUEUED", "RINGING"]) }],
    ["hs_call_direction", "enumeration", { options: opts([["INBOUND", "Inbound"], ["OUTBOUND", "Outbound"]]) }],
    // hs_call_disposition options are filled per portal (defaults + fixture outcomes)
    ["hs_call_disposition", "enumeration", { label: "Call outcome" }],
    // reference §1.3: VOIP = HubSpot calling, INTEGRATIONS_PLATFORM = calling apps, CRM_UI = logged [OBS]
    ["hs_call_source", "enumeration", { options: opts([["VOIP", "HubSpot calling"], ["INTEGRATIONS_PLATFORM", "Integrations platform"], ["CRM_UI", "CRM UI"]]) }]
  ],
  emails: [
    ...ENGAGEMENT,
    ["hs_email_subject", "string"],
    ["hs_email_text", "string", { fieldType: "textarea" }],
    ["hs_email_html", "string", { fieldType: "html" }],
    ["hs_body_preview", "string", { readOnly: true }],
    ["hs_body_preview_html", "string", { readOnly: true }],
    ["hs_email_direction", "enumeration", { options: opts([["EMAIL", "Email sent from CRM"], ["INCOMING_EMAIL", "Reply"], ["FORWARDED_EMAIL", "Forwarded"]]) }],
    ["hs_email_status", "enumeration", { options: opts(["BOUNCED", "FAILED", "SCHEDULED", "SENDING", "SENT"]) }],
    ["hs_email_headers", "string"],
    ["hs_email_from_email", "string", { readOnly: true }],
    ["hs_email_from_firstname", "string", { readOnly: true }],
    ["hs_email_from_lastname", "string", { readOnly: true }],
    ["hs_email_to_email", "string", { readOnly: true }],
    ["hs_email_to_firstname", "string", { readOnly: true }],
    ["hs_email_to_lastname", "string", { readOnly: true }],
    ["hs_email_cc_email", "string"],
    ["hs_email_bcc_email", "string"],
    ["hs_email_thread_id", "string"],
    ["hs_email_headers_message_id", "string"],
    ["hs_email_headers_in_reply_to", "string"],
    ["hs_email_sent_via", "string"],
    ["hs_email_logged_from", "string"],
    ["hs_incoming_email_is_out_of_office", "bool"],
    ["hs_email_open_count", "number"],
    ["hs_email_click_count", "number"],
    ["hs_email_reply_count", "number"],
    ["hs_email_tracker_key", "string"],
    ["hs_sequence_id", "string"]
  ],
  meetings: [
    ...ENGAGEMENT,
    ["hs_meeting_title", "string"],
    ["hs_meeting_body", "string", { fieldType: "textarea" }],
    ["hs_internal_meeting_notes", "string", { fieldType: "textarea" }],
    ["hs_meeting_location", "string"],
    ["hs_meeting_external_url", "string"],
    ["hs_activity_type", "enumeration", { externalOptions: true }],
    ["hs_meeting_start_time", "datetime"],
    ["hs_meeting_end_time", "datetime"],
    ["hs_meeting_outcome", "enumeration", { options: opts([["SCHEDULED", "Scheduled"], ["COMPLETED", "Completed"], ["RESCHEDULED", "Rescheduled"], ["NO_SHOW", "No show"], ["CANCELED", "Canceled"]]) }],
    ["hs_meeting_source", "enumeration", { externalOptions: true }]
  ],
  notes: [...ENGAGEMENT, ["hs_note_body", "string", { fieldType: "html" }]],
  users: [
    ...CREATED_MODIFIED_HS,
    // reference §3.6: hs_internal_user_id is the id owners report as userId
    ["hs_internal_user_id", "number", { readOnly: true }],
    ["hs_standard_time_zone", "string"],
    ["hs_email", "string"],
    ["hs_given_name", "string"],
    ["hs_family_name", "string"],
    ["hs_working_hours", "string"],
    ["hs_job_title", "string"],
    ["hs_user_assigned_primary_team", "number"]
  ],
  leads: [
    ...CREATED_MODIFIED_HS,
    // reference §2.4
    ["hs_lead_name", "string"],
    ["hs_lead_type", "enumeration", { options: opts([["NEW BUSINESS", "New Business"], ["UPSELL", "Upsell"], ["RE_ATTEMPTING", "Re-attempting"]]) }],
    ["hs_lead_label", "enumeration", { options: opts([["WARM", "Warm"], ["HOT", "Hot"], ["COLD", "Cold"]]) }],
    ["hs_pipeline", "enumeration"],
    ["hs_pipeline_stage", "enumeration"],
    ["hs_lead_is_new", "bool", { calculated: true, readOnly: true }],
    ["hs_lead_is_in_progress", "bool", { calculated: true, readOnly: true }],
    ["hs_lead_is_open", "bool", { calculated: true, readOnly: true }],
    ["hs_lead_is_qualified", "bool", { calculated: true, readOnly: true }],
    ["hs_lead_is_disqualified", "bool", { calculated: true, readOnly: true }],
    ["hs_lead_disqualification_reason", "string"],
    ["hs_lead_disqualification_note", "string"],
    ["hs_pipeline_stage_last_updated", "datetime"],
    ["hs_primary_contact_id", "number"],
    ["hs_associated_company_name", "string"],
    ["hs_lead_associated_deals_count", "number"]
  ],
  services: [...CREATED_MODIFIED_HS, ["hs_name", "string"], ["hs_pipeline", "enumeration"], ["hs_pipeline_stage", "enumeration"], ["hs_description", "string"]]
};
var QUERY_PROPERTIES = {
  contacts: ["firstname", "lastname", "email", "phone", "hs_additional_emails", "mobilephone", "company", "hs_object_id"],
  companies: ["name", "domain", "website", "phone", "hs_object_id"],
  deals: ["dealname", "pipeline", "dealstage", "description", "dealtype", "hs_object_id"],
  tickets: ["subject", "content", "hs_pipeline_stage", "hs_ticket_category", "hs_ticket_id", "hs_object_id"],
  tasks: ["hs_task_subject", "hs_task_body", "hs_object_id"],
  calls: ["hs_call_title", "hs_call_body", "hs_object_id"],
  emails: ["hs_email_subject", "hs_email_text", "hs_object_id"],
  meetings: ["hs_meeting_title", "hs_meeting_body", "hs_object_id"],
  notes: ["hs_note_body", "hs_object_id"],
  leads: ["hs_lead_name", "hs_object_id"],
  services: ["hs_name", "hs_object_id"],
  users: ["hs_email", "hs_given_name", "hs_family_name", "hs_object_id"]
};

// src/backend/sandbox/store.ts
var ValidationError = class extends Error {
  constructor(message, category2 = "VALIDATION_ERROR", status = 400, extra = {}) {
    super(message);
    this.category = category2;
    this.status = status;
    this.extra = extra;
  }
  category;
  status;
  extra;
};
var isoCache = /* @__PURE__ */ new Map();
function toMs2(v) {
  let ms3 = isoCache.get(v);
  if (ms3 !== void 0) return ms3;
  ms3 = parseTimestamp(v);
  if (ms3 === void 0) return void 0;
  if (isoCache.size > 2e6) isoCache.clear();
  isoCache.set(v, ms3);
  return ms3;
}
var iso2 = (ms3) => new Date(ms3).toISOString();

// src/backend/sandbox/routes.ts
import { randomUUID as randomUUID2 } from "node:crypto";

// src/backend/sandbox/records.ts
function computedValue(p, ts, r, name, now, props = r.props) {
  const t = ts.info;
  if (name === "hs_object_id") return r.id;
  if (name === t.createdProp) return iso2(r.createdAt);
  if (name === t.modifiedProp) return iso2(r.updatedAt);
  const count = (to) => String(p.assocCount(t.name, r.id, to));
  switch (t.name) {
    case "deals": {
      if (name === "num_associated_contacts") return count("contacts");
      const st = p.stageOf("deals", props.dealstage);
      if (!st) break;
      const closed = st.metadata.isClosed === "true";
      const prob = Number(st.metadata.probability ?? "NaN");
      if (name === "hs_is_closed") return String(closed);
      if (name === "hs_is_closed_won") return String(closed && prob === 1);
      if (name === "hs_is_closed_lost") return String(closed && prob === 0);
      if (name === "hs_deal_stage_probability") return st.metadata.probability ?? null;
      break;
    }
    case "contacts":
      if (name === "num_associated_deals") return count("deals");
      if (name === "hs_email_domain") return props.email?.includes("@") ? props.email.split("@")[1].toLowerCase() : void 0;
      break;
    case "companies":
      if (name === "num_associated_contacts") return count("contacts");
      if (name === "num_associated_deals") return count("deals");
      break;
    case "tasks": {
      const done = props.hs_task_status === "COMPLETED";
      if (name === "hs_task_is_completed") return done ? "1" : "0";
      const due = props.hs_timestamp ? toMs2(props.hs_timestamp) : void 0;
      if (name === "hs_task_is_overdue") return String(!done && due !== void 0 && due < now);
      if (name === "hs_task_is_past_due_date") return String(due !== void 0 && due < now);
      break;
    }
    case "leads": {
      const st = p.stageOf("leads", props.hs_pipeline_stage);
      if (!st) break;
      const state = st.metadata.leadState;
      if (name === "hs_lead_is_new") return String(state === "OPEN");
      if (name === "hs_lead_is_in_progress") return String(state === "IN_PROGRESS");
      if (name === "hs_lead_is_open") return String(state === "OPEN" || state === "IN_PROGRESS");
      if (name === "hs_lead_is_qualified") return String(state === "QUALIFIED");
      if (name === "hs_lead_is_disqualified") return String(state === "DISQUALIFIED");
      break;
    }
  }
  return void 0;
}
var COMPUTED = {
  deals: ["num_associated_contacts", "hs_is_closed", "hs_is_closed_won", "hs_is_closed_lost", "hs_deal_stage_probability"],
  contacts: ["num_associated_deals", "hs_email_domain"],
  companies: ["num_associated_contacts", "num_associated_deals"],
  tasks: ["hs_task_is_completed", "hs_task_is_overdue", "hs_task_is_past_due_date"],
  leads: ["hs_lead_is_new", "hs_lead_is_in_progress", "hs_lead_is_open", "hs_lead_is_qualified", "hs_lead_is_disqualified"]
};
function isComputed(ts, name) {
  return name === "hs_object_id" || name === ts.info.createdProp || name === ts.info.modifiedProp || (COMPUTED[ts.info.name]?.includes(name) ?? false);
}
function valueOf(p, ts, r, name, now, props = r.props) {
  const c = isComputed(ts, name) ? computedValue(p, ts, r, name, now, props) : void 0;
  return c !== void 0 ? c : props[name];
}
function propertyExists(ts, name) {
  return ts.props.has(name) || isComputed(ts, name);
}
function propertyNames(ts, requested) {
  const names = requested && requested.length ? [.../* @__PURE__ */ new Set([ts.info.createdProp, ts.info.modifiedProp, "hs_object_id", ...requested])] : ts.info.defaultProperties;
  return [...names].sort();
}
function shapeProperties(p, ts, r, requested, now, names = propertyNames(ts, requested)) {
  const out = {};
  for (const n of names) {
    const v = valueOf(p, ts, r, n, now);
    if (v !== void 0) out[n] = v;
    else if (propertyExists(ts, n) || n in r.props) out[n] = null;
  }
  return out;
}
function shapeRecord(p, ts, r, o, now) {
  const out = {
    id: r.id,
    properties: shapeProperties(p, ts, r, o.properties, now),
    createdAt: iso2(r.createdAt),
    updatedAt: iso2(r.updatedAt),
    archived: r.archived
  };
  if (r.archived && r.archivedAt !== void 0) out.archivedAt = iso2(r.archivedAt);
  if (o.propertiesWithHistory && o.propertiesWithHistory.length) {
    const h = {};
    for (const n of o.propertiesWithHistory) {
      if (!propertyExists(ts, n) && !(n in r.props)) continue;
      h[n] = historyOf(p, ts, r, n, now);
    }
    out.propertiesWithHistory = h;
  }
  if (o.associations && o.associations.length) {
    const a = {};
    for (const key of o.associations) {
      const other = p.typeStore(key);
      if (!other) continue;
      const m = p.associated(ts.info.name, r.id, other.info.name);
      if (!m || m.size === 0) continue;
      const results = [];
      for (const [toId, typeIds] of m) {
        for (const tid of typeIds) {
          const def = p.labelOf(ts.info.name, other.info.name, tid);
          const base2 = `${ts.info.singular}_to_${other.info.singular}`;
          const hasPrimary = p.assocTypes.some((d) => d.from === ts.info.name && d.to === other.info.name && d.label === "Primary");
          const type = def?.label === "Primary" ? base2 : def?.label ? `${base2}_${def.label.toLowerCase().replace(/\s+/g, "_")}` : hasPrimary ? `${base2}_unlabeled` : base2;
          results.push({ id: toId, type });
        }
      }
      a[other.info.name] = { results };
    }
    out.associations = a;
  }
  return out;
}
function historyOf(p, ts, r, n, now) {
  const hist = r.history?.[n];
  const entries = hist && hist.length ? hist : (() => {
    const v = valueOf(p, ts, r, n, now);
    return v == null ? [] : [{ value: v, timestamp: isComputed(ts, n) ? r.createdAt : r.updatedAt, sourceType: isComputed(ts, n) ? "CALCULATED" : "CRM_UI" }];
  })();
  return [...entries].reverse().map((e) => ({
    value: e.value,
    timestamp: iso2(e.timestamp),
    sourceType: e.sourceType,
    ..."sourceId" in e && e.sourceId !== void 0 ? { sourceId: e.sourceId } : {},
    ..."sourceLabel" in e && e.sourceLabel !== void 0 ? { sourceLabel: e.sourceLabel } : {},
    ..."updatedByUserId" in e && e.updatedByUserId !== void 0 ? { updatedByUserId: e.updatedByUserId } : {}
  }));
}
function checkWrite(ts, props) {
  const errs = [];
  for (const [name, raw] of Object.entries(props)) {
    const def = ts.props.get(name);
    if (!def) {
      errs.push(`Property "${name}" does not exist`);
      continue;
    }
    if (def.readOnly || def.calculated) {
      errs.push(`"${name}" is a read only property; its value cannot be set.`);
      continue;
    }
    if (raw === null || raw === "") continue;
    const v = String(raw);
    if ((def.type === "datetime" || def.type === "date") && toMs2(v) === void 0) errs.push(`${v} was not a valid long or ISO-8601 value for property ${name}`);
    else if (def.type === "number" && !Number.isFinite(Number(v))) errs.push(`${v} was not a valid number for property ${name}`);
    else if (def.type === "bool" && !["true", "false"].includes(v.toLowerCase())) errs.push(`${v} was not a valid boolean for property ${name}`);
    else if (def.type === "enumeration" && !def.externalOptions && def.options.length) {
      const values = def.fieldType === "checkbox" ? v.split(";") : [v];
      for (const x of values) if (!def.options.some((o) => o.value === x)) errs.push(`${x} was not one of the allowed options: [${def.options.map((o) => o.value).join(", ")}] for property ${name}`);
    }
  }
  return errs;
}
function markPending(ts, r, ctx, isNew) {
  if (ctx.searchDelayMs <= 0) return;
  if (!(r.visibleAt !== void 0 && r.visibleAt > ctx.now)) {
    r.searchView = isNew ? null : { props: { ...r.props }, archived: r.archived, updatedAt: r.updatedAt };
  }
  r.visibleAt = ctx.now + ctx.searchDelayMs;
  ts.pending.add(r);
}
function createRecord(p, ts, input, ctx) {
  const id2 = String(ts.nextId);
  const r = { id: id2, props: {}, createdAt: ctx.now, updatedAt: ctx.now, archived: false };
  markPending(ts, r, ctx, true);
  for (const [k, v] of Object.entries(input)) {
    const nv = p.normalizeValue(ts, k, v == null ? null : String(v));
    r.props[k] = nv;
  }
  if (r.props.hubspot_owner_id) r.props.hubspot_owner_assigneddate = iso2(ctx.now);
  if (ts.info.name === "meetings" && !r.props.hs_timestamp && r.props.hs_meeting_start_time) r.props.hs_timestamp = r.props.hs_meeting_start_time;
  for (const [k, v] of Object.entries(r.props)) if (v != null) (r.history ??= {})[k] = [{ value: v, timestamp: ctx.now, sourceType: "INTEGRATION" }];
  ts.insert(r);
  return r;
}
function updateRecord(p, ts, r, input, ctx) {
  markPending(ts, r, ctx, false);
  const changed = [ts.info.modifiedProp];
  for (const [k, v] of Object.entries(input)) {
    const nv = p.normalizeValue(ts, k, v == null ? null : String(v));
    const before = r.props[k];
    if (before === nv) continue;
    changed.push(k);
    if (!r.history?.[k] && before != null) (r.history ??= {})[k] = [{ value: before, timestamp: r.updatedAt, sourceType: "CRM_UI" }];
    r.props[k] = nv;
    ts.reindex(r, k, before, nv);
    (r.history ??= {})[k] = [...r.history[k] ?? [], { value: nv ?? "", timestamp: ctx.now, sourceType: "INTEGRATION" }];
    if (k === "hubspot_owner_id") {
      const b = r.props.hubspot_owner_assigneddate;
      r.props.hubspot_owner_assigneddate = iso2(ctx.now);
      ts.reindex(r, "hubspot_owner_assigneddate", b, r.props.hubspot_owner_assigneddate);
      changed.push("hubspot_owner_assigneddate");
    }
  }
  r.updatedAt = Math.max(ctx.now, r.updatedAt + 1);
  ts.touched(r, changed);
}
function archiveRecord(p, ts, r, ctx) {
  if (r.archived) return;
  markPending(ts, r, ctx, false);
  r.archived = true;
  r.archivedAt = ctx.now;
  p.dropAllAssociations(ts.info.name, r.id);
}
function notFound(ts, id2) {
  return new ValidationError("Object not found.  objectId are usually numeric.", "OBJECT_NOT_FOUND", 404, { context: { id: [id2] } });
}

// src/backend/sandbox/search.ts
var OPERATORS = ["EQ", "NEQ", "LT", "LTE", "GT", "GTE", "BETWEEN", "IN", "NOT_IN", "HAS_PROPERTY", "NOT_HAS_PROPERTY", "CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN"];
var SEARCH_LIMITS = { groups: 5, perGroup: 6, total: 18, maxLimit: 200, cap: 1e4, queryChars: 3e3 };
function bad(message) {
  return new ValidationError(message);
}
function str2(v) {
  if (v === void 0 || v === null) return void 0;
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  throw bad(`Invalid filter value ${JSON.stringify(v)}: filter values are strings`);
}
function runSearch(p, ts, body, now) {
  if (body === null || typeof body !== "object" || Array.isArray(body)) throw bad("Invalid input JSON: expected a search request object");
  const b = body;
  const groupsRaw = b.filterGroups ?? [];
  if (!Array.isArray(groupsRaw)) throw bad("filterGroups must be an array");
  if (groupsRaw.length > SEARCH_LIMITS.groups) throw bad(`Too many filter groups: ${groupsRaw.length}. The maximum number of filter groups is ${SEARCH_LIMITS.groups}.`);
  let total = 0;
  const groups = groupsRaw.map((g, gi) => {
    const fs = g?.filters ?? [];
    if (!Array.isArray(fs)) throw bad(`filterGroups[${gi}].filters must be an array`);
    if (fs.length > SEARCH_LIMITS.perGroup) throw bad(`Too many filters in filter group ${gi}: ${fs.length}. The maximum number of filters per group is ${SEARCH_LIMITS.perGroup}.`);
    total += fs.length;
    return fs.map((f) => parseFilter(f));
  });
  if (total > SEARCH_LIMITS.total) throw bad(`Too many filters: ${total}. The maximum number of filters across all filter groups is ${SEARCH_LIMITS.total}.`);
  const query = b.query === void 0 || b.query === null ? void 0 : String(b.query);
  if (query !== void 0 && query.length > SEARCH_LIMITS.queryChars) throw bad(`query is too long: the maximum length is ${SEARCH_LIMITS.queryChars} characters`);
  const limit = b.limit === void 0 || b.limit === null ? 10 : Number(b.limit);
  if (!Number.isInteger(limit) || limit < 0) throw bad(`Invalid limit ${JSON.stringify(b.limit)}: must be a non-negative integer`);
  if (limit > SEARCH_LIMITS.maxLimit) throw bad(`limit ${limit} is over the maximum page size of ${SEARCH_LIMITS.maxLimit}`);
  let after = 0;
  if (b.after !== void 0 && b.after !== null && b.after !== "") {
    const a = String(b.after);
    if (!/^\d+$/.test(a)) throw bad(`Invalid after value "${a}": after must be an integer string`);
    after = Number(a);
  }
  if (after >= SEARCH_LIMITS.cap) throw bad(`Cannot page past ${SEARCH_LIMITS.cap} results. Narrow the search with filters (e.g. on hs_object_id or a date).`);
  const sortsRaw = b.sorts ?? [];
  if (!Array.isArray(sortsRaw)) throw bad("sorts must be an array");
  if (sortsRaw.length > 1) throw bad("Only one sort is allowed per search request.");
  let sort;
  if (sortsRaw.length === 1) {
    const s = sortsRaw[0];
    if (typeof s === "string") sort = s.startsWith("-") ? { prop: s.slice(1), desc: true } : { prop: s, desc: false };
    else if (s && typeof s === "object" && typeof s.propertyName === "string") {
      const dir = s.direction ?? "ASCENDING";
      if (dir !== "ASCENDING" && dir !== "DESCENDING") throw bad(`Invalid sort direction ${JSON.stringify(dir)}: use ASCENDING or DESCENDING`);
      sort = { prop: s.propertyName, desc: dir === "DESCENDING" };
    } else throw bad("Invalid sort: expected {propertyName, direction}");
  }
  const propsRaw = b.properties ?? [];
  if (!Array.isArray(propsRaw)) throw bad("properties must be an array of property names");
  const properties = propsRaw.map(String);
  const compiledGroups = groups.map((g) => g.map((f) => compile(p, ts, f, now)));
  const matched = [];
  const views = /* @__PURE__ */ new Map();
  const seen = /* @__PURE__ */ new Set();
  const visibleProps = (r) => {
    if (r.visibleAt !== void 0 && r.visibleAt > now && r.searchView !== void 0) {
      if (r.searchView === null || r.searchView.archived) return void 0;
      return r.searchView.props;
    }
    if (r.visibleAt !== void 0 && r.visibleAt <= now) {
      r.visibleAt = void 0;
      r.searchView = void 0;
      ts.pending.delete(r);
    }
    return r.archived ? void 0 : r.props;
  };
  const consider = (r, group) => {
    if (seen.has(r)) return;
    const props = visibleProps(r);
    if (!props) return;
    for (const c of group) if (!c.test(r, props)) return;
    if (query !== void 0 && query !== "" && !matchesQuery(p, ts, r, props, query, now)) return;
    seen.add(r);
    matched.push(r);
    if (props !== r.props) views.set(r, props);
  };
  const effective = compiledGroups.length ? compiledGroups : [[]];
  for (const group of effective) {
    let best;
    for (const c of group) {
      if (!c.candidates) continue;
      const s = c.candidates();
      const size = Array.isArray(s) ? s.length : s.size;
      if (!best || size < (Array.isArray(best) ? best.length : best.size)) best = s;
    }
    for (const r of best ?? ts.byId.values()) consider(r, group);
    if (best) for (const r of ts.pending) consider(r, group);
  }
  const matchCount = matched.length;
  const end = Math.min(after + limit, matchCount, SEARCH_LIMITS.cap);
  let page;
  const indexed = views.size === 0 && matchCount > INDEX_MIN && end > after ? indexedSort(p, ts, sort?.prop) : void 0;
  const idx = indexed && ts.sortIndex(indexed[0], indexed[1]);
  if (end <= after) page = [];
  else if (idx) page = pageFromIndex(idx, seen, matched, after, end, sort?.desc ?? false);
  else {
    const keyed = matched.map((r) => {
      const props = views.get(r) ?? r.props;
      let key;
      if (sort) {
        const v = valueOf(p, ts, r, sort.prop, now, props);
        key = v == null || v === "" ? void 0 : sortKey(ts, sort.prop, v);
      } else key = r.createdAt;
      return { r, key, n: Number(r.id) };
    });
    const dir = sort?.desc ? -1 : 1;
    keyed.sort((a, b2) => {
      if (a.key === void 0 || b2.key === void 0) {
        if (a.key === b2.key) return a.n - b2.n;
        return a.key === void 0 ? 1 : -1;
      }
      if (a.key < b2.key) return -dir;
      if (a.key > b2.key) return dir;
      return a.n - b2.n;
    });
    page = keyed.slice(after, Math.max(after, end)).map((k) => k.r);
  }
  const names = propertyNames(ts, properties);
  const results = page.map((r) => {
    const props = views.get(r);
    const shaped = shapeProperties(p, ts, props ? { ...r, props } : r, properties, now, names);
    const rec = { id: r.id, properties: shaped, createdAt: new Date(r.createdAt).toISOString(), updatedAt: new Date(props && r.searchView ? r.searchView.updatedAt : r.updatedAt).toISOString(), archived: false };
    return rec;
  });
  const out = { total: matchCount, results };
  if (end < matchCount && end < SEARCH_LIMITS.cap && limit > 0) out.paging = { next: { after: String(end) } };
  return out;
}
var INDEX_MIN = 256;
function indexedSort(p, ts, prop) {
  if (prop === void 0) return ["\0created", (r) => r.createdAt];
  const t = ts.info;
  const type = ts.props.get(prop)?.type;
  if ((prop === t.createdProp || prop === t.modifiedProp) && (type === "datetime" || type === "date")) {
    return prop === t.createdProp ? [prop, (r) => r.createdAt] : [prop, (r) => r.updatedAt];
  }
  if (prop === "hs_object_id" || prop === t.createdProp || prop === t.modifiedProp || ts.props.has(prop) && !isComputed(ts, prop)) {
    return [prop, (r) => {
      const v = valueOf(p, ts, r, prop, 0);
      return v == null || v === "" ? void 0 : sortKey(ts, prop, v);
    }];
  }
  return void 0;
}
function pageFromIndex(idx, seen, matched, after, end, desc) {
  const out = [];
  let pos = 0;
  const take = (r) => {
    if (seen.has(r)) {
      if (pos >= after) out.push(r);
      pos++;
    }
    return pos >= end;
  };
  const { recs, keys } = idx;
  if (!desc) {
    for (const r of recs) if (take(r)) return out;
  } else {
    for (let i = recs.length - 1; i >= 0; ) {
      let j = i;
      while (j > 0 && keys[j - 1] === keys[i]) j--;
      for (let k = j; k <= i; k++) if (take(recs[k])) return out;
      i = j - 1;
    }
  }
  const missing = matched.filter((r) => idx.keyOf(r) === void 0).sort((a, b) => Number(a.id) - Number(b.id));
  for (const r of missing) if (take(r)) return out;
  return out;
}
function sortKey(ts, prop, v) {
  const type = ts.props.get(prop)?.type ?? (prop === "hs_object_id" ? "number" : void 0);
  if (type === "number") return Number(v);
  if (type === "datetime" || type === "date") return toMs2(v) ?? v;
  return v.toLowerCase();
}
function parseFilter(raw) {
  if (!raw || typeof raw !== "object") throw bad("Invalid filter: expected {propertyName, operator, value}");
  const f = raw;
  if (typeof f.propertyName !== "string" || !f.propertyName) throw bad("Invalid filter: propertyName is required");
  const op = f.operator ?? "EQ";
  if (!OPERATORS.includes(op)) throw bad(`Invalid filter operator ${JSON.stringify(op)} on ${f.propertyName}. Valid operators: ${OPERATORS.join(", ")}`);
  const out = { propertyName: f.propertyName, operator: op, value: str2(f.value), highValue: str2(f.highValue) };
  if (f.values !== void 0 && f.values !== null) {
    if (!Array.isArray(f.values)) throw bad(`values must be an array on ${f.propertyName}`);
    out.values = f.values.map((v) => str2(v));
  }
  const needs = (cond, what) => {
    if (!cond) throw bad(`Operator ${out.operator} on ${out.propertyName} requires ${what}`);
  };
  switch (out.operator) {
    case "IN":
    case "NOT_IN":
      needs(!!out.values && out.values.length > 0, '"values"');
      break;
    case "BETWEEN":
      needs(out.value !== void 0 && out.highValue !== void 0, '"value" and "highValue"');
      break;
    case "HAS_PROPERTY":
    case "NOT_HAS_PROPERTY":
      break;
    default:
      needs(out.value !== void 0, '"value"');
  }
  return out;
}
function compile(p, ts, f, now) {
  const name = f.propertyName;
  if (name.startsWith("associations.")) {
    const other = resolveObjectType(name.slice("associations.".length));
    if (!other || other.custom) throw bad(`Invalid property "${name}": associations search supports standard objects only (e.g. associations.contact)`);
    const idsOf = (ids) => {
      const s = /* @__PURE__ */ new Set();
      for (const id2 of ids) for (const toId of p.assocTargets(other.name, id2, ts.info.name)) {
        const r = ts.byId.get(toId);
        if (r) s.add(r);
      }
      return s;
    };
    const has = (r, ids) => p.associatedWithAny(ts.info.name, r.id, other.name, ids);
    switch (f.operator) {
      case "EQ":
        return { f, test: (r) => has(r, [f.value]), candidates: () => idsOf([f.value]) };
      case "IN":
        return { f, test: (r) => has(r, f.values), candidates: () => idsOf(f.values) };
      case "NEQ":
        return { f, test: (r) => !has(r, [f.value]) };
      case "NOT_IN":
        return { f, test: (r) => !has(r, f.values) };
      case "HAS_PROPERTY":
        return { f, test: (r) => p.assocCount(ts.info.name, r.id, other.name) > 0 };
      case "NOT_HAS_PROPERTY":
        return { f, test: (r) => p.assocCount(ts.info.name, r.id, other.name) === 0 };
      default:
        throw bad(`Operator ${f.operator} is not supported on ${name}`);
    }
  }
  const def = ts.props.get(name);
  const type = def?.type ?? (name === "hs_object_id" ? "number" : name === ts.info.createdProp || name === ts.info.modifiedProp ? "datetime" : "string");
  if (!def && !["hs_object_id", ts.info.createdProp, ts.info.modifiedProp].includes(name)) {
    throw bad(`There was a problem with the request. Property "${name}" does not exist on ${ts.info.name}.`);
  }
  if (ts.info.name === "emails" && ["hs_email_html", "hs_body_preview", "hs_body_preview_html"].includes(name) || name === "hs_body_preview_html") {
    throw bad(`Property "${name}" cannot be used in a search filter.`);
  }
  const get = isComputed(ts, name) ? (r, props) => valueOf(p, ts, r, name, now, props) : (_r, props) => props[name];
  const present = (v) => v != null && v !== "";
  const numeric = type === "number" || type === "datetime" || type === "date";
  const toNum = (v) => {
    if (type === "number") {
      const n = Number(v);
      return Number.isFinite(n) ? n : void 0;
    }
    if (type === "date") {
      const ms3 = toMs2(v);
      return ms3 === void 0 ? void 0 : Math.floor(ms3 / 864e5) * 864e5;
    }
    return toMs2(v);
  };
  const filterNum = (v, what) => {
    const n = toNum(v);
    if (n === void 0) throw bad(`Invalid ${type} value "${v}" for ${what} on ${name}${type !== "number" ? " (use epoch milliseconds)" : ""}`);
    return n;
  };
  const caseSensitive = type === "enumeration";
  const norm = (v) => caseSensitive ? v : v.toLowerCase();
  const eq = (stored, v) => {
    if (numeric) {
      const a = toNum(stored);
      return a !== void 0 && a === toNum(v);
    }
    if (type === "enumeration" && def?.fieldType === "checkbox") return stored.split(";").includes(v);
    return norm(stored) === norm(v);
  };
  const eqTo = (v) => {
    if (numeric) {
      const n = toNum(v);
      return (stored) => {
        const a = toNum(stored);
        return a !== void 0 && a === n;
      };
    }
    if (type === "enumeration" && def?.fieldType === "checkbox") return (stored) => stored.split(";").includes(v);
    const nv = norm(v);
    return caseSensitive ? (stored) => stored === nv : (stored) => stored.toLowerCase() === nv;
  };
  const inList = (stored, vs) => {
    if (numeric) return vs.some((v) => eq(stored, v));
    const s = caseSensitive ? stored : stored.toLowerCase();
    if (type === "enumeration" && def?.fieldType === "checkbox") return stored.split(";").some((x) => vs.includes(x));
    return vs.includes(s);
  };
  const indexable = !numeric && !!def && !def.calculated && name !== "hs_object_id";
  const byId3 = (ids) => ids.map((id2) => ts.byId.get(id2)).filter((r) => !!r);
  switch (f.operator) {
    case "EQ": {
      const v = f.value;
      const cand = name === "hs_object_id" ? () => byId3([v]) : indexable ? () => ts.lookup(name, [v]) : void 0;
      if (numeric) filterNum(v, "EQ");
      const is = eqTo(v);
      return { f, test: (r, pr) => {
        const s = get(r, pr);
        return present(s) && is(s);
      }, candidates: cand };
    }
    case "NEQ": {
      const v = f.value;
      if (numeric) filterNum(v, "NEQ");
      const is = eqTo(v);
      return { f, test: (r, pr) => {
        const s = get(r, pr);
        return !present(s) || !is(s);
      } };
    }
    case "IN": {
      const vs = f.values;
      if (numeric) vs.forEach((v) => filterNum(v, "IN"));
      const cand = name === "hs_object_id" ? () => byId3(vs) : indexable ? () => ts.lookup(name, vs) : void 0;
      return { f, test: (r, pr) => {
        const s = get(r, pr);
        return present(s) && inList(s, vs);
      }, candidates: cand };
    }
    case "NOT_IN": {
      const vs = f.values;
      return { f, test: (r, pr) => {
        const s = get(r, pr);
        return !present(s) || !inList(s, vs);
      } };
    }
    case "LT":
    case "LTE":
    case "GT":
    case "GTE": {
      const op = f.operator;
      if (numeric) {
        const n = filterNum(f.value, op);
        return { f, test: (r, pr) => {
          const s = get(r, pr);
          if (!present(s)) return false;
          const x = toNum(s);
          if (x === void 0) return false;
          return op === "LT" ? x < n : op === "LTE" ? x <= n : op === "GT" ? x > n : x >= n;
        } };
      }
      const v = f.value.toLowerCase();
      return { f, test: (r, pr) => {
        const s = get(r, pr);
        if (!present(s)) return false;
        const x = s.toLowerCase();
        return op === "LT" ? x < v : op === "LTE" ? x <= v : op === "GT" ? x > v : x >= v;
      } };
    }
    case "BETWEEN": {
      if (numeric) {
        const lo2 = filterNum(f.value, "BETWEEN"), hi2 = filterNum(f.highValue, "BETWEEN");
        return { f, test: (r, pr) => {
          const s = get(r, pr);
          if (!present(s)) return false;
          const x = toNum(s);
          return x !== void 0 && x >= lo2 && x <= hi2;
        } };
      }
      const lo = f.value.toLowerCase(), hi = f.highValue.toLowerCase();
      return { f, test: (r, pr) => {
        const s = get(r, pr);
        if (!present(s)) return false;
        const x = s.toLowerCase();
        return x >= lo && x <= hi;
      } };
    }
    case "HAS_PROPERTY":
      return { f, test: (r, pr) => present(get(r, pr)) };
    case "NOT_HAS_PROPERTY":
      return { f, test: (r, pr) => !present(get(r, pr)) };
    case "CONTAINS_TOKEN":
    case "NOT_CONTAINS_TOKEN": {
      const m = tokenMatcher(f.value);
      const neg = f.operator === "NOT_CONTAINS_TOKEN";
      return { f, test: (r, pr) => {
        const s = get(r, pr);
        const hit = present(s) && m(s);
        return neg ? !hit : hit;
      } };
    }
  }
}
function tokenMatcher(pattern) {
  const pat = pattern.toLowerCase();
  if (pat.includes("*")) {
    const re = new RegExp(`^${pat.split("*").map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
    return (s) => {
      const l = s.toLowerCase();
      return re.test(l) || l.split(/\s+/).some((t) => re.test(t));
    };
  }
  const ptoks = pat.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  return (s) => {
    const l = s.toLowerCase();
    if (l === pat) return true;
    const toks = new Set([...l.split(/\s+/), ...l.split(/[^\p{L}\p{N}]+/u)].filter(Boolean));
    return toks.has(pat) || ptoks.length > 0 && ptoks.every((t) => toks.has(t));
  };
}
function matchesQuery(p, ts, r, props, query, now) {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean).map((w) => w.replace(/\*/g, ""));
  if (!words.length) return true;
  const fields = QUERY_PROPERTIES[ts.info.name] ?? ["hs_object_id"];
  const toks = [];
  for (const n of fields) {
    const v = valueOf(p, ts, r, n, now, props);
    if (v) toks.push(v.toLowerCase(), ...v.toLowerCase().split(/[^\p{L}\p{N}@.]+/u));
  }
  return words.every((w) => toks.some((t) => t.startsWith(w) || w.includes("@") && t === w));
}

// src/backend/sandbox/routes.ts
var BATCH_MAX = 100;
var ASSOC_BATCH_MAX = 1e3;
var ASSOC_PAGE = 500;
function err(status, category2, message, extra = {}) {
  return { status, body: { status: "error", message, correlationId: randomUUID2(), category: category2, ...extra } };
}
function list(q, name) {
  const all = q.getAll(name);
  if (!all.length) return void 0;
  return all.flatMap((v) => v.split(",")).map((s) => s.trim()).filter(Boolean);
}
function bool2(q, name) {
  return q.get(name) === "true";
}
function intParam(q, name, dflt, max) {
  const raw = q.get(name);
  if (raw === null || raw === "") return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new ValidationError(`Invalid ${name} "${raw}": must be a positive integer`);
  if (n > max) throw new ValidationError(`${name} ${n} is over the maximum of ${max}`);
  return n;
}
function obj(body) {
  if (!body || typeof body !== "object" || Array.isArray(body)) throw new ValidationError("Invalid input JSON: expected an object body");
  return body;
}
function inputs(body, max) {
  const b = obj(body);
  if (!Array.isArray(b.inputs)) throw new ValidationError('Invalid input JSON: "inputs" must be an array');
  if (b.inputs.length > max) throw new ValidationError(`Too many inputs: ${b.inputs.length}. The maximum number of inputs per batch request is ${max}.`);
  return b.inputs;
}
function typeOf(c, key) {
  const ts = c.portal.typeStore(decodeURIComponent(key));
  if (!ts) throw new ValidationError(`Unable to infer object type from: ${decodeURIComponent(key)}`, "VALIDATION_ERROR", 400);
  return ts;
}
function objectScope(key, write = false) {
  const t = resolveObjectType(decodeURIComponent(key));
  if (!t) return void 0;
  const rw = write ? "write" : "read";
  if (["calls", "emails", "meetings", "notes", "tasks"].includes(t.name)) return `crm.objects.contacts.${rw}`;
  if (t.name === "tickets") return "tickets";
  if (t.custom) return `crm.objects.custom.${rw}`;
  return `crm.objects.${t.name}.${rw}`;
}
function findRecord(ts, id2, idProperty, archived) {
  let r;
  if (idProperty && idProperty !== "hs_object_id") {
    for (const cand of ts.lookup(idProperty, [id2])) if (cand.props[idProperty]?.toLowerCase() === id2.toLowerCase()) {
      r = cand;
      break;
    }
  } else r = ts.byId.get(id2);
  if (!r || r.archived !== archived) return void 0;
  return r;
}
function readOpts(q) {
  return { properties: list(q, "properties"), propertiesWithHistory: list(q, "propertiesWithHistory"), associations: list(q, "associations") };
}
function propsOf(input) {
  const p = input?.properties;
  if (p === void 0) return {};
  if (!p || typeof p !== "object" || Array.isArray(p)) throw new ValidationError('Invalid input JSON: "properties" must be an object of property name to string value');
  return p;
}
function writeCheck(ts, props) {
  const errs = checkWrite(ts, props);
  if (errs.length) {
    throw new ValidationError(
      `Property values were not valid: ${JSON.stringify(errs.map((m) => ({ isValid: false, message: m, error: "INVALID_PROPERTY" })))}`,
      "VALIDATION_ERROR",
      400,
      { errors: errs.map((m) => ({ message: m, code: "INVALID_PROPERTY" })) }
    );
  }
}
function inlineAssociations(c, ts, r, assocs) {
  if (assocs === void 0) return;
  if (!Array.isArray(assocs)) throw new ValidationError('"associations" must be an array');
  for (const a of assocs) {
    const toId = String(a?.to?.id ?? "");
    for (const t of a?.types ?? []) {
      const def = c.portal.assocTypes.find((d) => d.from === ts.info.name && d.typeId === t.associationTypeId);
      if (!def) throw new ValidationError(`association type ${t.associationTypeId} is not valid from ${ts.info.name}`);
      const e = c.portal.associate(ts.info.name, r.id, def.to, toId, def.typeId);
      if (e) throw new ValidationError(`Could not create association: ${e}`);
    }
  }
}
function batchEnvelope(started, now, results, errors) {
  const out = { status: "COMPLETE", results, startedAt: iso2(started), completedAt: iso2(now) };
  if (errors.length) {
    out.numErrors = errors.length;
    out.errors = errors;
  }
  return out;
}
function notFoundError(ts, ids) {
  return {
    status: "error",
    category: "OBJECT_NOT_FOUND",
    message: `Could not get some ${ts.info.singular.toUpperCase()} objects, they may be deleted or not exist. Check that ids are valid.`,
    context: { ids },
    errors: [],
    links: {}
  };
}
function ownerJson(p, o) {
  const user = p.users.find((u) => o.userId != null && u.id === String(o.userId));
  const teamIds = o.teamIds ?? user?.teamIds ?? [];
  const out = {
    id: o.id,
    email: o.email,
    type: o.type,
    firstName: o.firstName,
    lastName: o.lastName,
    createdAt: iso2(o.createdAtMs),
    updatedAt: iso2(o.updatedAtMs),
    archived: o.archived,
    teams: teamIds.map((t, i) => ({ id: t, name: p.teams.find((x) => x.id === t)?.name ?? t, primary: i === 0 }))
  };
  const inactive = o.userIdIncludingInactive ?? o.userId ?? void 0;
  if (o.userId != null && !o.archived) out.userId = o.userId;
  if (inactive != null) out.userIdIncludingInactive = inactive;
  return out;
}
function pipelineJson(pl, at) {
  return {
    id: pl.id,
    label: pl.label,
    displayOrder: pl.displayOrder,
    archived: pl.archived,
    createdAt: iso2(at),
    updatedAt: iso2(at),
    stages: [...pl.stages].sort((a, b) => a.displayOrder - b.displayOrder).map((s) => stageJson(s, at))
  };
}
function stageJson(s, at) {
  return { id: s.id, label: s.label, displayOrder: s.displayOrder, metadata: s.metadata, archived: s.archived, createdAt: iso2(at), updatedAt: iso2(at), writePermissions: "CRM_PERMISSIONS_ENFORCEMENT" };
}
var EPOCH = Date.UTC(2020, 0, 1);
function utcOffset(tz, at) {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone: tz, timeZoneName: "longOffset" }).formatToParts(new Date(at));
  const name = parts.find((x) => x.type === "timeZoneName")?.value ?? "GMT";
  const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
  if (!m) return 0;
  return (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 36e5 + Number(m[3] ?? 0) * 6e4);
}
function assocResults(p, from, fromId, to, after, limit) {
  const m = p.associated(from, fromId, to);
  const all = m ? [...m.entries()].sort((a, b) => Number(a[0]) - Number(b[0])) : [];
  const page = all.slice(after, after + limit).map(([toId, types]) => ({
    toObjectId: Number(toId),
    associationTypes: [...types].sort((a, b) => a - b).map((tid) => {
      const d = p.labelOf(from, to, tid);
      return { category: d?.category ?? "HUBSPOT_DEFINED", typeId: tid, label: d?.label ?? null };
    })
  }));
  const next = after + limit < all.length ? String(after + limit) : void 0;
  return { page, next, total: all.length };
}
function afterParam(q) {
  const raw = typeof q === "string" || q == null ? q : q.get("after");
  if (raw == null || raw === "") return 0;
  if (!/^\d+$/.test(raw)) throw new ValidationError(`Invalid after value "${raw}"`);
  return Number(raw);
}
var routes = [];
function route(method, path, handle, extra = {}) {
  const pattern = new RegExp(`^${path.replace(/\{[^}]+\}/g, "([^/]+)")}/?$`);
  routes.push({ method, pattern, name: `${method} ${path}`, handle, ...extra });
}
route("GET", "/crm/v3/owners", (c) => {
  const limit = intParam(c.query, "limit", 100, 500);
  const after = afterParam(c.query);
  const email = c.query.get("email")?.toLowerCase();
  const archived = bool2(c.query, "archived");
  const all = c.portal.owners.filter((o) => o.archived === archived && (!email || o.email.toLowerCase() === email));
  const page = all.slice(after, after + limit);
  const body = { results: page.map((o) => ownerJson(c.portal, o)) };
  if (after + limit < all.length) body.paging = { next: { after: String(after + limit), link: `?after=${after + limit}` } };
  return { status: 200, body };
}, { scope: () => "crm.objects.owners.read" });
route("GET", "/crm/v3/owners/{ownerId}", (c) => {
  const id2 = decodeURIComponent(c.params[0]);
  const byUser = c.query.get("idProperty") === "userId";
  const archived = bool2(c.query, "archived");
  const o = c.portal.owners.find((x) => (byUser ? String(x.userId) === id2 : x.id === id2) && x.archived === archived);
  if (!o) return err(404, "OBJECT_NOT_FOUND", `Owner with id ${id2} not found`, { context: { id: [id2] } });
  return { status: 200, body: ownerJson(c.portal, o) };
}, { scope: () => "crm.objects.owners.read" });
route("GET", "/account-info/v3/details", (c) => {
  const off = utcOffset(c.portal.timeZone, c.now);
  const abs = Math.abs(off);
  const hh = String(Math.floor(abs / 36e5)).padStart(2, "0");
  const mm = String(Math.floor(abs % 36e5 / 6e4)).padStart(2, "0");
  return { status: 200, body: {
    portalId: c.portal.id,
    accountType: "STANDARD",
    timeZone: c.portal.timeZone,
    companyCurrency: "USD",
    additionalCurrencies: [],
    utcOffset: `${off < 0 ? "-" : "+"}${hh}:${mm}`,
    utcOffsetMilliseconds: off,
    uiDomain: "app.hubspot.com",
    dataHostingLocation: "na1"
  } };
});
route("POST", "/crm/v3/objects/{objectType}/search", (c) => {
  const ts = typeOf(c, c.params[0]);
  return { status: 200, body: runSearch(c.portal, ts, c.body ?? {}, c.now) };
}, { search: true, scope: (c) => objectScope(c.params[0]) });
for (const [method, path, write] of [
  ["POST", "/crm/v3/objects/{objectType}/batch/read", false],
  ["POST", "/crm/v3/objects/{objectType}/batch/create", true],
  ["POST", "/crm/v3/objects/{objectType}/batch/update", true],
  ["POST", "/crm/v3/objects/{objectType}/batch/archive", true]
]) {
  route(method, path, (c) => {
    const ts = typeOf(c, c.params[0]);
    const op = path.slice(path.lastIndexOf("/") + 1);
    const items = inputs(c.body, BATCH_MAX);
    const b = obj(c.body);
    const started = c.now;
    const wctx = { now: c.now, searchDelayMs: c.searchDelayMs };
    if (op === "read") {
      const idProperty = typeof b.idProperty === "string" ? b.idProperty : null;
      const o = { properties: Array.isArray(b.properties) ? b.properties.map(String) : void 0, propertiesWithHistory: Array.isArray(b.propertiesWithHistory) ? b.propertiesWithHistory.map(String) : void 0 };
      const archived = bool2(c.query, "archived");
      const results = [];
      const missing = [];
      const seen = /* @__PURE__ */ new Set();
      for (const it of items) {
        const id2 = String(it?.id ?? "");
        const r = findRecord(ts, id2, idProperty, archived);
        if (!r) {
          missing.push(id2);
          continue;
        }
        if (seen.has(r.id)) continue;
        seen.add(r.id);
        results.push(shapeRecord(c.portal, ts, r, o, c.now));
      }
      return { status: missing.length ? 207 : 200, body: batchEnvelope(started, c.now, results, missing.length ? [notFoundError(ts, missing)] : []) };
    }
    if (op === "create") {
      const all = items.map((it) => propsOf(it));
      all.forEach((p) => writeCheck(ts, p));
      const results = items.map((it, i) => {
        const r = createRecord(c.portal, ts, all[i], wctx);
        inlineAssociations(c, ts, r, it.associations);
        return shapeRecord(c.portal, ts, r, { properties: Object.keys(all[i]) }, c.now);
      });
      return { status: 201, body: batchEnvelope(started, c.now, results, []) };
    }
    if (op === "update") {
      const missing = [];
      const found = [];
      for (const it of items) {
        const id2 = String(it?.id ?? "");
        const p = propsOf(it);
        writeCheck(ts, p);
        const r = findRecord(ts, id2, typeof it.idProperty === "string" ? it.idProperty : null, false);
        if (!r) missing.push(id2);
        else found.push([r, p]);
      }
      const results = found.map(([r, p]) => {
        updateRecord(c.portal, ts, r, p, wctx);
        return shapeRecord(c.portal, ts, r, { properties: Object.keys(p) }, c.now);
      });
      return { status: missing.length ? 207 : 200, body: batchEnvelope(started, c.now, results, missing.length ? [notFoundError(ts, missing)] : []) };
    }
    for (const it of items) {
      const r = ts.byId.get(String(it?.id ?? ""));
      if (r) archiveRecord(c.portal, ts, r, wctx);
    }
    return { status: 204 };
  }, { scope: (c) => objectScope(c.params[0], write) });
}
route("GET", "/crm/v3/objects/{objectType}", (c) => {
  const ts = typeOf(c, c.params[0]);
  const limit = intParam(c.query, "limit", 10, 100);
  const archived = bool2(c.query, "archived");
  const afterId = c.query.get("after");
  if (afterId !== null && afterId !== "" && !/^\d+$/.test(afterId)) throw new ValidationError(`Invalid after value "${afterId}"`);
  const o = readOpts(c.query);
  const results = [];
  let next;
  const floor = afterId ? Number(afterId) : -1;
  const sorted = [...ts.byId.values()].filter((r) => r.archived === archived && Number(r.id) >= floor).sort((a, b) => Number(a.id) - Number(b.id));
  for (const r of sorted) {
    if (results.length === limit) {
      next = r.id;
      break;
    }
    results.push(shapeRecord(c.portal, ts, r, o, c.now));
  }
  const body = { results };
  if (next) body.paging = { next: { after: next, link: `?after=${next}` } };
  return { status: 200, body };
}, { scope: (c) => objectScope(c.params[0]) });
route("POST", "/crm/v3/objects/{objectType}", (c) => {
  const ts = typeOf(c, c.params[0]);
  if (ts.info.name === "users") throw new ValidationError("Users cannot be created through this API", "VALIDATION_ERROR", 400);
  const b = obj(c.body);
  const p = propsOf(b);
  writeCheck(ts, p);
  const r = createRecord(c.portal, ts, p, { now: c.now, searchDelayMs: c.searchDelayMs });
  inlineAssociations(c, ts, r, b.associations);
  return { status: 201, body: shapeRecord(c.portal, ts, r, { properties: Object.keys(p) }, c.now) };
}, { scope: (c) => objectScope(c.params[0], true) });
route("GET", "/crm/v3/objects/{objectType}/{objectId}", (c) => {
  const ts = typeOf(c, c.params[0]);
  const id2 = decodeURIComponent(c.params[1]);
  const r = findRecord(ts, id2, c.query.get("idProperty"), bool2(c.query, "archived"));
  if (!r) throw notFound(ts, id2);
  return { status: 200, body: shapeRecord(c.portal, ts, r, readOpts(c.query), c.now) };
}, { scope: (c) => objectScope(c.params[0]) });
route("PATCH", "/crm/v3/objects/{objectType}/{objectId}", (c) => {
  const ts = typeOf(c, c.params[0]);
  const id2 = decodeURIComponent(c.params[1]);
  const p = propsOf(obj(c.body));
  const r = findRecord(ts, id2, c.query.get("idProperty"), false);
  if (!r) throw notFound(ts, id2);
  writeCheck(ts, p);
  updateRecord(c.portal, ts, r, p, { now: c.now, searchDelayMs: c.searchDelayMs });
  return { status: 200, body: shapeRecord(c.portal, ts, r, { properties: Object.keys(p) }, c.now) };
}, { scope: (c) => objectScope(c.params[0], true) });
route("DELETE", "/crm/v3/objects/{objectType}/{objectId}", (c) => {
  const ts = typeOf(c, c.params[0]);
  const r = ts.byId.get(decodeURIComponent(c.params[1]));
  if (r) archiveRecord(c.portal, ts, r, { now: c.now, searchDelayMs: c.searchDelayMs });
  return { status: 204 };
}, { scope: (c) => objectScope(c.params[0], true) });
route("GET", "/crm/v4/objects/{fromType}/{objectId}/associations/{toType}", (c) => {
  const from = typeOf(c, c.params[0]);
  const to = typeOf(c, c.params[2]);
  const id2 = decodeURIComponent(c.params[1]);
  const limit = intParam(c.query, "limit", ASSOC_PAGE, ASSOC_PAGE);
  const { page, next } = assocResults(c.portal, from.info.name, id2, to.info.name, afterParam(c.query), limit);
  const body = { results: page };
  if (next) body.paging = { next: { after: next, link: `?after=${next}` } };
  return { status: 200, body };
}, { scope: (c) => objectScope(c.params[0]) });
route("POST", "/crm/v4/associations/{fromType}/{toType}/batch/read", (c) => {
  const from = typeOf(c, c.params[0]);
  const to = typeOf(c, c.params[1]);
  const items = inputs(c.body, ASSOC_BATCH_MAX);
  const results = [];
  const errors = [];
  for (const it of items) {
    const id2 = String(it?.id ?? "");
    const { page, next } = assocResults(c.portal, from.info.name, id2, to.info.name, afterParam(it.after), ASSOC_PAGE);
    if (!page.length) {
      errors.push({
        status: "error",
        category: "OBJECT_NOT_FOUND",
        subCategory: "crm.associations.NO_ASSOCIATIONS_FOUND",
        message: `No ${to.info.name} is associated with ${from.info.singular} ${id2}.`,
        context: { fromObjectId: [id2], toObjectType: [to.info.name] },
        errors: [],
        links: {}
      });
      continue;
    }
    const r = { from: { id: id2 }, to: page };
    if (next) r.paging = { next: { after: next, link: `?after=${next}` } };
    results.push(r);
  }
  return { status: errors.length ? 207 : 200, body: batchEnvelope(c.now, c.now, results, errors) };
}, { scope: (c) => objectScope(c.params[0]) });
route("GET", "/crm/v4/associations/{fromType}/{toType}/labels", (c) => {
  const from = typeOf(c, c.params[0]).info.name;
  const to = typeOf(c, c.params[1]).info.name;
  const results = c.portal.assocTypes.filter((t) => t.from === from && t.to === to).map((t) => ({ category: t.category, typeId: t.typeId, label: t.label }));
  return { status: 200, body: { results } };
}, { scope: (c) => objectScope(c.params[0]) });
function labelsBetween(c, from, fromId, to, toId) {
  const types = c.portal.associated(from.info.name, fromId, to.info.name)?.get(toId) ?? /* @__PURE__ */ new Set();
  const labels = [...types].map((t) => c.portal.labelOf(from.info.name, to.info.name, t)?.label).filter((l) => !!l);
  return { fromObjectTypeId: from.info.id, fromObjectId: Number(fromId), toObjectTypeId: to.info.id, toObjectId: Number(toId), labels };
}
function associateOrThrow(c, from, fromId, to, toId, typeId) {
  const e = c.portal.associate(from.info.name, fromId, to.info.name, toId, typeId);
  if (e) throw new ValidationError(e.startsWith("no ") ? `Object not found: ${e}` : e, e.startsWith("no ") ? "OBJECT_NOT_FOUND" : "VALIDATION_ERROR", e.startsWith("no ") ? 404 : 400);
}
function specTypes(types) {
  if (!Array.isArray(types) || !types.length) throw new ValidationError("Association types are required: [{associationCategory, associationTypeId}]");
  return types.map((t) => {
    if (!["HUBSPOT_DEFINED", "USER_DEFINED", "INTEGRATOR_DEFINED"].includes(String(t?.associationCategory))) throw new ValidationError(`Invalid associationCategory ${JSON.stringify(t?.associationCategory)}`);
    const n = Number(t?.associationTypeId);
    if (!Number.isInteger(n)) throw new ValidationError("associationTypeId must be an integer");
    return n;
  });
}
route("PUT", "/crm/v4/objects/{fromType}/{objectId}/associations/default/{toType}/{toObjectId}", (c) => {
  const from = typeOf(c, c.params[0]);
  const to = typeOf(c, c.params[2]);
  const [fromId, toId] = [decodeURIComponent(c.params[1]), decodeURIComponent(c.params[3])];
  associateOrThrow(c, from, fromId, to, toId);
  const def = c.portal.defaultType(from.info.name, to.info.name);
  const results = [
    { from: { id: fromId }, to: { id: toId }, associationSpec: { associationCategory: def.category, associationTypeId: def.typeId } },
    { from: { id: toId }, to: { id: fromId }, associationSpec: { associationCategory: def.category, associationTypeId: def.inverse } }
  ];
  return { status: 200, body: batchEnvelope(c.now, c.now, results, []) };
}, { scope: (c) => objectScope(c.params[0], true) });
route("PUT", "/crm/v4/objects/{fromType}/{objectId}/associations/{toType}/{toObjectId}", (c) => {
  const from = typeOf(c, c.params[0]);
  const to = typeOf(c, c.params[2]);
  const [fromId, toId] = [decodeURIComponent(c.params[1]), decodeURIComponent(c.params[3])];
  for (const t of specTypes(c.body)) associateOrThrow(c, from, fromId, to, toId, t);
  return { status: 201, body: labelsBetween(c, from, fromId, to, toId) };
}, { scope: (c) => objectScope(c.params[0], true) });
route("DELETE", "/crm/v4/objects/{fromType}/{objectId}/associations/{toType}/{toObjectId}", (c) => {
  const from = typeOf(c, c.params[0]);
  const to = typeOf(c, c.params[2]);
  c.portal.unassociate(from.info.name, decodeURIComponent(c.params[1]), to.info.name, decodeURIComponent(c.params[3]));
  return { status: 204 };
}, { scope: (c) => objectScope(c.params[0], true) });
route("POST", "/crm/v4/associations/{fromType}/{toType}/batch/create", (c) => {
  const from = typeOf(c, c.params[0]);
  const to = typeOf(c, c.params[1]);
  const items = inputs(c.body, BATCH_MAX);
  const results = items.map((it) => {
    const [fid, tid] = [String(it?.from?.id ?? ""), String(it?.to?.id ?? "")];
    for (const t of specTypes(it?.types)) associateOrThrow(c, from, fid, to, tid, t);
    return labelsBetween(c, from, fid, to, tid);
  });
  return { status: 201, body: batchEnvelope(c.now, c.now, results, []) };
}, { scope: (c) => objectScope(c.params[0], true) });
route("POST", "/crm/v4/associations/{fromType}/{toType}/batch/associate/default", (c) => {
  const from = typeOf(c, c.params[0]);
  const to = typeOf(c, c.params[1]);
  const items = inputs(c.body, BATCH_MAX);
  const def = c.portal.defaultType(from.info.name, to.info.name);
  if (!def) throw new ValidationError(`There is no default association type between ${from.info.name} and ${to.info.name}`);
  const results = items.flatMap((it) => {
    const [fid, tid] = [String(it?.from?.id ?? ""), String(it?.to?.id ?? "")];
    associateOrThrow(c, from, fid, to, tid);
    return [
      { from: { id: fid }, to: { id: tid }, associationSpec: { associationCategory: def.category, associationTypeId: def.typeId } },
      { from: { id: tid }, to: { id: fid }, associationSpec: { associationCategory: def.category, associationTypeId: def.inverse } }
    ];
  });
  return { status: 200, body: batchEnvelope(c.now, c.now, results, []) };
}, { scope: (c) => objectScope(c.params[0], true) });
route("POST", "/crm/v4/associations/{fromType}/{toType}/batch/archive", (c) => {
  const from = typeOf(c, c.params[0]);
  const to = typeOf(c, c.params[1]);
  const items = inputs(c.body, ASSOC_BATCH_MAX);
  for (const it of items) for (const t of it?.to ?? []) c.portal.unassociate(from.info.name, String(it?.from?.id ?? ""), to.info.name, String(t?.id ?? ""));
  return { status: 204 };
}, { scope: (c) => objectScope(c.params[0], true) });
function pipelinesOf(c) {
  const ts = typeOf(c, c.params[0]);
  const list2 = c.portal.pipelines.get(ts.info.name);
  if (!list2) throw new ValidationError(`Pipelines are not supported for object type ${ts.info.name}`, "VALIDATION_ERROR", 400);
  return list2;
}
route("GET", "/crm/v3/pipelines/{objectType}", (c) => ({ status: 200, body: { results: [...pipelinesOf(c)].sort((a, b) => a.displayOrder - b.displayOrder).map((p) => pipelineJson(p, EPOCH)) } }));
route("GET", "/crm/v3/pipelines/{objectType}/{pipelineId}", (c) => {
  const p = pipelinesOf(c).find((x) => x.id === decodeURIComponent(c.params[1]));
  if (!p) return err(404, "OBJECT_NOT_FOUND", `Unable to find pipeline ${decodeURIComponent(c.params[1])}`);
  return { status: 200, body: pipelineJson(p, EPOCH) };
});
route("GET", "/crm/v3/pipelines/{objectType}/{pipelineId}/stages", (c) => {
  const p = pipelinesOf(c).find((x) => x.id === decodeURIComponent(c.params[1]));
  if (!p) return err(404, "OBJECT_NOT_FOUND", `Unable to find pipeline ${decodeURIComponent(c.params[1])}`);
  return { status: 200, body: { results: pipelineJson(p, EPOCH).stages } };
});
route("GET", "/crm/v3/pipelines/{objectType}/{pipelineId}/stages/{stageId}", (c) => {
  const p = pipelinesOf(c).find((x) => x.id === decodeURIComponent(c.params[1]));
  const s = p?.stages.find((x) => x.id === decodeURIComponent(c.params[2]));
  if (!s) return err(404, "OBJECT_NOT_FOUND", `Unable to find stage ${decodeURIComponent(c.params[2])}`);
  return { status: 200, body: stageJson(s, EPOCH) };
});
function propertyJson(ts, name) {
  const d = ts.props.get(name);
  const out = {
    name: d.name,
    label: d.label,
    type: d.type,
    fieldType: d.fieldType,
    description: d.description,
    groupName: d.groupName,
    options: [...d.options].sort((a, b) => (a.displayOrder ?? 0) - (b.displayOrder ?? 0)),
    displayOrder: d.displayOrder ?? -1,
    calculated: !!d.calculated,
    externalOptions: !!d.externalOptions,
    hasUniqueValue: !!d.hasUniqueValue,
    hidden: !!d.hidden,
    hubspotDefined: d.hubspotDefined,
    formField: d.formField ?? !d.readOnly,
    modificationMetadata: { archivable: !d.hubspotDefined, readOnlyDefinition: d.hubspotDefined, readOnlyValue: !!(d.readOnly || d.calculated) },
    createdAt: iso2(EPOCH),
    updatedAt: iso2(EPOCH),
    archived: false
  };
  return out;
}
route("GET", "/crm/v3/properties/{objectType}", (c) => {
  const ts = typeOf(c, c.params[0]);
  return { status: 200, body: { results: [...ts.props.keys()].sort().map((n) => propertyJson(ts, n)) } };
});
route("GET", "/crm/v3/properties/{objectType}/{propertyName}", (c) => {
  const ts = typeOf(c, c.params[0]);
  const name = decodeURIComponent(c.params[1]);
  if (!ts.props.has(name)) return err(404, "OBJECT_NOT_FOUND", `Unable to find property ${name} for object type ${ts.info.id}`);
  return { status: 200, body: propertyJson(ts, name) };
});
route("GET", "/calling/v1/dispositions", (c) => ({ status: 200, body: c.portal.dispositions.map((d) => ({ id: d.id, label: d.label, deleted: false })) }));
function seqJson(s) {
  return {
    id: s.id,
    name: s.name,
    userId: s.userId,
    folderId: s.folderId ?? "0",
    createdAt: iso2(s.createdAt !== void 0 ? parseTimestamp(s.createdAt) : EPOCH),
    updatedAt: iso2(s.updatedAt !== void 0 ? parseTimestamp(s.updatedAt) : EPOCH)
  };
}
function requireUserId(c) {
  const u = c.query.get("userId");
  if (!u) throw new ValidationError("userId is required", "VALIDATION_ERROR", 400);
  return u;
}
route("GET", "/automation/v4/sequences", (c) => {
  const userId = requireUserId(c);
  const limit = intParam(c.query, "limit", 100, 100);
  const after = afterParam(c.query);
  const name = c.query.get("name")?.toLowerCase();
  const all = c.portal.sequences.filter((s) => s.userId === userId && (!name || s.name.toLowerCase().includes(name)));
  const body = { total: all.length, results: all.slice(after, after + limit).map(seqJson) };
  if (after + limit < all.length) body.paging = { next: { after: String(after + limit), link: `?after=${after + limit}` } };
  return { status: 200, body };
}, { scope: () => "automation.sequences.read" });
route("GET", "/automation/v4/sequences/enrollments/contact/{contactId}", (c) => {
  const id2 = decodeURIComponent(c.params[0]);
  const e = c.portal.enrollments.get(id2);
  if (!e) return err(404, "OBJECT_NOT_FOUND", `No enrollment found for contact ${id2}`);
  return { status: 200, body: { id: e.id, sequenceId: e.sequenceId, sequenceName: e.sequenceName, enrolledAt: iso2(e.enrolledAt), enrolledBy: e.enrolledBy, enrolledByEmail: e.enrolledByEmail, toEmail: e.toEmail, updatedAt: iso2(e.updatedAt) } };
}, { scope: () => "automation.sequences.enrollments.read" });
route("POST", "/automation/v4/sequences/enrollments", (c) => {
  const userId = requireUserId(c);
  const b = obj(c.body);
  const contactId = String(b.contactId ?? "");
  const seq = c.portal.sequences.find((s) => s.id === String(b.sequenceId ?? ""));
  if (!seq) return err(404, "OBJECT_NOT_FOUND", `Sequence ${String(b.sequenceId)} not found`);
  if (typeof b.senderEmail !== "string" || !b.senderEmail) throw new ValidationError("senderEmail is required");
  const contact = c.portal.types.get("contacts").byId.get(contactId);
  if (!contact || contact.archived) return err(404, "OBJECT_NOT_FOUND", `Contact ${contactId} not found`);
  const user = c.portal.users.find((u) => u.id === userId);
  const e = {
    id: String(c.portal.nextEnrollmentId++),
    sequenceId: seq.id,
    sequenceName: seq.name,
    contactId,
    enrolledAt: c.now,
    updatedAt: c.now,
    enrolledBy: userId,
    enrolledByEmail: user?.email ?? b.senderEmail,
    toEmail: contact.props.email ?? ""
  };
  c.portal.enrollments.set(contactId, e);
  return { status: 200, body: { id: e.id, enrolledAt: iso2(e.enrolledAt), toEmail: e.toEmail, updatedAt: iso2(e.updatedAt) } };
}, { scope: () => "automation.sequences.enrollments.write" });
route("GET", "/automation/v4/sequences/{sequenceId}", (c) => {
  requireUserId(c);
  const s = c.portal.sequences.find((x) => x.id === decodeURIComponent(c.params[0]));
  if (!s) return err(404, "OBJECT_NOT_FOUND", `Sequence ${decodeURIComponent(c.params[0])} not found`);
  return { status: 200, body: {
    ...seqJson(s),
    steps: s.steps ?? [
      { stepOrder: 0, actionType: "EMAIL", delayMillis: 0, emailPattern: { templateId: "1" } },
      { stepOrder: 1, actionType: "TASK", delayMillis: 1728e5, taskPattern: { taskType: "CALL", taskPriority: "HIGH", subject: "Follow-up call", notes: "" } },
      { stepOrder: 2, actionType: "FINISH_ENROLLMENT", delayMillis: 0 }
    ],
    dependencies: [],
    settings: { eligibleFollowUpDays: "BUSINESS_DAYS", sendWindowStartMinute: 480, sendWindowEndMinute: 1080, individualTaskRemindersEnabled: false }
  } };
}, { scope: () => "automation.sequences.read" });

// bench/harness.ts
var PUBLIC = "https://tiller.bench.example";
var SECRET = "bench-secret";
function benchApp(crm2, db2, tokens2) {
  return createApp({
    publicBaseUrl: PUBLIC,
    clientSecret: SECRET,
    crm: crm2,
    db: db2,
    installations: { isInstalled: async (id2) => tokens2.has(id2) },
    roles: { isManager: async () => false },
    logger: pino({ level: "silent" }),
    exposeMetering: true
  });
}
var agent = new http2.Agent({ keepAlive: true, maxSockets: 256 });

// bench/backend-child.ts
var config = JSON.parse(process.env.BENCH_CHILD_CONFIG ?? "{}");
var tokens = new Map(Object.entries(config.tokens).map(([k, v]) => [Number(k), v]));
var redis = config.redisUrl ? new Redis(config.redisUrl) : void 0;
var crm = createCrmGateway({
  basePath: config.sandboxUrl,
  tokens: { accessToken: async (id2) => tokens.get(id2) ?? null },
  redis,
  namespace: config.namespace,
  cacheMaxBytes: config.cacheMaxBytes
});
var schema = config.databaseUrl ? `bench_${process.pid}_${Date.now()}` : void 0;
var db = await createDatabase({ databaseUrl: config.databaseUrl, schema });
var app = benchApp(crm, db, tokens);
var outer = express2();
outer.get("/__bench/cache", (_req, res) => {
  globalThis.gc?.();
  const mem = process.memoryUsage();
  res.json({ ...crm.cacheStats(), rss: mem.rss, heapUsed: mem.heapUsed, external: mem.external + mem.arrayBuffers });
});
outer.use(app);
var server = outer.listen(0, "127.0.0.1", () => {
  process.stdout.write(`READY ${server.address().port}
`);
});
process.on("SIGTERM", () => {
  server.close();
  void crm.close().then(async () => {
    if (schema) await db.exec(`drop schema if exists ${schema} cascade`);
  }).then(() => db.close()).finally(() => {
    redis?.disconnect();
    process.exit(0);
  });
});
