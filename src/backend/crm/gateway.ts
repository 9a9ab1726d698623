import { LRUCache } from 'lru-cache';
import type { CacheBus } from '../cache-bus';
import type { Redis } from 'ioredis';
import type { Client } from '@hubspot/api-client';
import { SlotBatcher } from './batcher';
import { CrmCaller, type TokenProvider } from './client';
import { CrmError } from './errors';
import { PortalLimiters, type LimiterOptions } from './limiter';
import {
  toAccountInfo,
  toCrmRecord,
  toOwner,
  toPipeline,
  toPropertyDefinition,
  toSequenceEnrollment,
  toSequencesPage,
  toUser,
  toUserAccessPage,
} from './mappers';
import type {
  AccountInfo,
  AssociationPair,
  CallKind,
  CrmRecord,
  HubSpotUser,
  ListPage,
  Owner,
  Pipeline,
  PropertyDefinition,
  ScanPage,
  SearchPage,
  SearchRequest,
  UserAccess,
  BatchUpdateResult,
  RecordCreate,
  Sequence,
  SequenceEnrollment,
} from './types';

export type { TokenProvider } from './client';

/** The CRM as one portal's data, in our own types. */
export interface PortalCrm {
  readonly portalId: number;
  owners(): Promise<Owner[]>;
  users(): Promise<HubSpotUser[]>;
  /** HubSpot user ids of the portal's super admins, and of every user (settings users API). */
  userAccess(): Promise<UserAccess>;
  /** Removes Tiller from the portal (HubSpot's Uninstall App API, 2026-03): the token stops working. */
  uninstallApp(): Promise<void>;
  account(): Promise<AccountInfo>;
  pipelines(objectType: string): Promise<Pipeline[]>;
  properties(objectType: string): Promise<PropertyDefinition[]>;
  /** One page of a CRM search (cached for a few seconds). */
  search(objectType: string, request: SearchRequest): Promise<SearchPage>;
  /** Every record matching the filters, past the 10,000-result cap, by slicing on hs_object_id. */
  scan(
    objectType: string,
    request: Omit<SearchRequest, 'after' | 'sorts' | 'limit'>,
    onProgress?: (count: number) => void,
  ): Promise<CrmRecord[]>;
  /** One page of a scan: records matching the filters with hs_object_id > afterId, ascending (uncached; sync). */
  scanPage(objectType: string, request: Omit<SearchRequest, 'after' | 'sorts' | 'limit'>, afterId: string | null): Promise<ScanPage>;
  /** One page of every record of a type (GET /crm/v3/objects, 100 a page, uncached; sync). */
  listPage(objectType: string, request: { properties: string[]; after?: string | null; archived?: boolean }): Promise<ListPage>;
  /** Associated records with their type ids and labels per id (1,000 per call, paging followed, uncached; sync). */
  associationPairs(fromType: string, toType: string, ids: string[]): Promise<Map<string, AssociationPair[]>>;
  /**
   * Records by id (100 per call, 50 with propertiesWithHistory; concurrent asks coalesced); absent
   * ids are missing from the map.
   */
  batchRead(
    objectType: string,
    ids: string[],
    properties: string[],
    propertiesWithHistory?: string[],
    opts?: { fresh?: boolean },
  ): Promise<Map<string, CrmRecord>>;
  /** Associated ids per id (1,000 per call, concurrent asks coalesced, per-record paging followed). */
  associations(fromType: string, toType: string, ids: string[]): Promise<Map<string, string[]>>;
  /** One record, or null when HubSpot says it does not exist. */
  getRecord(objectType: string, id: string, properties: string[]): Promise<CrmRecord | null>;
  /** Creates one record with its associations (default types); drops the type's cached reads. */
  createRecord(objectType: string, input: RecordCreate): Promise<CrmRecord>;
  /** Updates up to 100 records in one call; ids HubSpot does not know come back in `missing`. */
  batchUpdate(objectType: string, inputs: { id: string; properties: Record<string, string> }[]): Promise<BatchUpdateResult>;
  /** Archives up to 100 records in one call (HubSpot answers 204 whether or not each existed). */
  batchArchive(objectType: string, ids: string[]): Promise<void>;
  /**
   * The contact's latest sequence enrollment, or null when it has none (HubSpot's 404). The SDK has
   * no sequences client: the generic request path, under the same limits (reference §3.8).
   */
  contactEnrollment(contactId: string): Promise<SequenceEnrollment | null>;
  /** A user's sequences, every page (cached like metadata). */
  sequences(userId: number): Promise<Sequence[]>;
}

export interface CrmGateway {
  portal(portalId: number): PortalCrm;
  /** Drops cached reads of one portal (of one object type, or everything). */
  invalidate(portalId: number, objectType?: string): void;
  /**
   * Entries and approximate bytes held; `expired`: entries past their TTL still held (awaiting the
   * purge); `batchers`: the coalescers of batch reads kept (one per portal, object type and properties).
   */
  cacheStats(): { entries: number; bytes: number; expired?: number; batchers?: number };
  close(): Promise<void>;
}

export type CrmGatewayOptions = {
  basePath: string;
  tokens: TokenProvider;
  redis?: Redis;
  limits?: LimiterOptions['limits'];
  namespace?: string;
  cacheMaxBytes?: number;
  metadataTtlMs?: number;
  recordsTtlMs?: number;
  /** How often entries past their TTL are dropped (default: the records TTL, 20 s). */
  purgeEveryMs?: number;
  callTimeoutMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  onCall?: ConstructorParameters<typeof CrmCaller>[0]['onCall'];
  /** Tells the other instances what a write changed (scope 'crm'); without it, this instance only. */
  bus?: CacheBus;
};

const SEARCH_PAGE_MAX = 200;
const BATCH_READ_MAX = 100;
/**
 * With propertiesWithHistory a batch read takes at most 50 inputs: HubSpot answers more with a 400
 * VALIDATION_ERROR, "The maximum number of inputs supported in a batch request for property
 * histories is 50" (hubspot-crm-data.md §1.1 "Property history"; seen by PipedreamHQ/pipedream#8462
 * and activepieces/activepieces#9359).
 */
const BATCH_READ_HISTORY_MAX = 50;
const LIST_PAGE_MAX = 100;
const ASSOCIATIONS_BATCH_MAX = 1_000;
const BATCH_WRITE_MAX = 100;

/** Builds the one door to HubSpot: SDK clients, limits, retries, cache, coalescing and metering. */
export function createCrmGateway(opts: CrmGatewayOptions): CrmGateway {
  const limiters = new PortalLimiters({ redis: opts.redis, namespace: opts.namespace, limits: opts.limits });
  const caller = new CrmCaller({
    basePath: opts.basePath,
    tokens: opts.tokens,
    limiters,
    callTimeoutMs: opts.callTimeoutMs,
    now: opts.now,
    sleep: opts.sleep,
    onCall: opts.onCall,
  });
  const metadataTtl = opts.metadataTtlMs ?? 5 * 60_000;
  const recordsTtl = opts.recordsTtlMs ?? 20_000;
  type Loader = { load: () => Promise<unknown>; ttl: number };
  const cache = new LRUCache<string, object, Loader>({
    maxSize: opts.cacheMaxBytes ?? 64 * 1024 * 1024,
    sizeCalculation: (value) => Math.max(1, approximateSize(value)),
    ttlAutopurge: false,
    allowStale: false,
    // A load still running when its entry is dropped (purged past its TTL, evicted) answers its
    // callers all the same; it is just not cached.
    ignoreFetchAbort: true,
    fetchMethod: async (_key, _stale, { context }) => (await context.load()) as object,
  });
  const batchers = new Map<string, SlotBatcher<unknown>>();
  opts.bus?.on('crm', (portalId, objectType) => dropCached(portalId, objectType));
  /** After a write: this instance's cached reads of the type, and every other instance's. */
  const written = async (portalId: number, objectType: string) =>
    opts.bus ? opts.bus.invalidate(portalId, 'crm', objectType) : dropCached(portalId, objectType);
  // Entries past their TTL are never served, but lru-cache keeps them until they are read or
  // evicted by size. Search keys carry their filters, and many filters carry the time (guided
  // actions ask "due before now + 2 days" in ms), so those keys never recur: without this purge,
  // expired search pages piled up towards the 64 MB bound (the soak's RSS growth, issue #14).
  // The same sweep drops the idle coalescers: one per portal, object type and property set, they
  // would otherwise accumulate with every portal this process ever served.
  const purger = setInterval(() => {
    cache.purgeStale();
    for (const [key, b] of batchers) if (b.idle) batchers.delete(key);
  }, opts.purgeEveryMs ?? recordsTtl);
  purger.unref();

  function cached<T extends object>(key: string, ttl: number, load: () => Promise<T>): Promise<T> {
    // lru-cache's fetch shares one in-flight load between concurrent callers (single-flight).
    return cache.fetch(key, { context: { load, ttl }, ttl }) as Promise<T>;
  }

  function batcher<V>(key: string, max: number, start: (take: () => string[]) => Promise<Map<string, V>>): SlotBatcher<V> {
    let b = batchers.get(key) as SlotBatcher<V> | undefined;
    if (!b) {
      b = new SlotBatcher<V>({ max, parallel: 4, start });
      batchers.set(key, b as SlotBatcher<unknown>);
    }
    return b;
  }

  function portal(portalId: number): PortalCrm {
    const k = (...parts: (string | number)[]) => [portalId, ...parts].join('|');
    const call = <T>(kind: CallKind, fn: (c: Client) => Promise<T>, how?: { retryUnsure?: boolean }) => caller.run(portalId, kind, fn, how);

    async function pages<T>(fetchPage: (after: string | undefined) => Promise<{ results: T[]; after?: string }>): Promise<T[]> {
      const out: T[] = [];
      let after: string | undefined;
      do {
        const page = await fetchPage(after);
        out.push(...page.results);
        after = page.after;
      } while (after);
      return out;
    }

    const self: PortalCrm = {
      portalId,
      owners: () =>
        cached(k('owners'), metadataTtl, () =>
          pages(async (after) => {
            const res = await call('metadata', (c) => c.crm.owners.ownersApi.getPage(undefined, after, 100, false));
            return { results: res.results.map(toOwner), after: res.paging?.next?.after };
          }),
        ),
      users: () =>
        cached(k('users'), metadataTtl, () =>
          pages(async (after) => {
            const res = await call('metadata', (c) =>
              c.crm.objects.basicApi.getPage('users', 100, after, ['hs_standard_time_zone', 'hs_internal_user_id']),
            );
            return { results: res.results.map((r) => toUser(toCrmRecord(r))), after: res.paging?.next?.after };
          }),
        ),
      userAccess: () =>
        cached(k('user-access'), metadataTtl, async () => {
          const all = await pages(async (after) => {
            const body = await call('metadata', async (c) => {
              const res = await c.apiRequest({
                method: 'GET',
                path: '/settings/v3/users/',
                qs: { limit: 100, ...(after ? { after } : {}) },
              });
              const json: unknown = await res.json();
              if (!res.ok) throw Object.assign(new Error('settings users failed'), { code: res.status, body: json });
              return json;
            });
            return toUserAccessPage(body);
          });
          return { userIds: all.map((u) => u.id), superAdminIds: all.filter((u) => u.superAdmin).map((u) => u.id) };
        }),
      async uninstallApp() {
        await call('write', async (c) => {
          const res = await c.apiRequest({ method: 'DELETE', path: '/appinstalls/2026-03/external-install' });
          if (!res.ok && res.status !== 404)
            throw Object.assign(new Error('uninstall failed'), { code: res.status, body: await res.text() });
        });
      },
      async contactEnrollment(contactId) {
        try {
          const body = await call('read', async (c) => {
            const res = await c.apiRequest({
              method: 'GET',
              path: `/automation/v4/sequences/enrollments/contact/${encodeURIComponent(contactId)}`,
            });
            const json: unknown = await res.json().catch(() => null);
            if (!res.ok) throw Object.assign(new Error('sequence enrollment failed'), { code: res.status, body: json });
            return json;
          });
          return toSequenceEnrollment(body);
        } catch (err) {
          if (err instanceof CrmError && err.kind === 'not-found') return null;
          throw err;
        }
      },
      sequences: (userId) =>
        cached(k('sequences', userId), metadataTtl, () =>
          pages(async (after) => {
            const body = await call('metadata', async (c) => {
              const res = await c.apiRequest({
                method: 'GET',
                path: '/automation/v4/sequences',
                qs: { userId, limit: 100, ...(after ? { after } : {}) },
              });
              const json: unknown = await res.json().catch(() => null);
              if (!res.ok) throw Object.assign(new Error('sequences failed'), { code: res.status, body: json });
              return json;
            });
            return toSequencesPage(body);
          }),
        ),
      account: () =>
        cached(k('account'), metadataTtl, async () => {
          const body = await call('metadata', async (c) => {
            const res = await c.apiRequest({ method: 'GET', path: '/account-info/v3/details' });
            const json: unknown = await res.json();
            if (!res.ok) throw Object.assign(new Error('account-info failed'), { code: res.status, body: json });
            return json;
          });
          return toAccountInfo(body);
        }),
      pipelines: (objectType) =>
        cached(k('pipelines', objectType), metadataTtl, async () => {
          const res = await call('metadata', (c) => c.crm.pipelines.pipelinesApi.getAll(objectType));
          return res.results.map(toPipeline);
        }),
      properties: (objectType) =>
        cached(k('properties', objectType), metadataTtl, async () => {
          const res = await call('metadata', (c) => c.crm.properties.coreApi.getAll(objectType, false));
          return res.results.map(toPropertyDefinition);
        }),
      search: (objectType, request) =>
        cached(k('search', objectType, JSON.stringify(request)), recordsTtl, async () => {
          const limit = Math.min(request.limit ?? 10, SEARCH_PAGE_MAX);
          const res = await call('search', (c) =>
            c.crm.objects.searchApi.doSearch(objectType, {
              filterGroups: request.filterGroups,
              // The SDK types sorts as string[]; HubSpot takes objects and the serializer passes them through.
              sorts: (request.sorts ?? []) as unknown as string[],
              properties: request.properties,
              limit,
              after: (request.after ?? undefined) as unknown as string,
              ...(request.query ? { query: request.query } : {}),
            } as Parameters<Client['crm']['objects']['searchApi']['doSearch']>[1]),
          );
          return { total: res.total, results: res.results.map(toCrmRecord), after: res.paging?.next?.after ?? null };
        }),
      async scan(objectType, request, onProgress) {
        const out: CrmRecord[] = [];
        let lastId: string | null = null;
        for (;;) {
          const page = await self.scanPage(objectType, request, lastId);
          out.push(...page.results);
          onProgress?.(out.length);
          if (page.done) return out;
          lastId = page.lastId;
        }
      },
      async scanPage(objectType, request, afterId) {
        // Slicing: hs_object_id > last id, ascending, never paging with `after` (hubspot-crm-data.md §3.1).
        const filterGroups = (request.filterGroups.length ? request.filterGroups : [{ filters: [] }]).map((g) => ({
          filters: afterId ? [...g.filters, { propertyName: 'hs_object_id', operator: 'GT' as const, value: afterId }] : g.filters,
        }));
        const res = await call('search', (c) =>
          c.crm.objects.searchApi.doSearch(objectType, {
            filterGroups,
            sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }] as unknown as string[],
            properties: request.properties,
            limit: SEARCH_PAGE_MAX,
            after: undefined as unknown as string,
            ...(request.query ? { query: request.query } : {}),
          } as Parameters<Client['crm']['objects']['searchApi']['doSearch']>[1]),
        );
        const results = res.results.map(toCrmRecord);
        const done = results.length < SEARCH_PAGE_MAX || !res.paging?.next;
        return { results, total: res.total, lastId: results.length ? results[results.length - 1]!.id : afterId, done };
      },
      async listPage(objectType, request) {
        const res = await call('read', (c) =>
          c.crm.objects.basicApi.getPage(
            objectType,
            LIST_PAGE_MAX,
            request.after ?? undefined,
            request.properties,
            undefined,
            undefined,
            request.archived ?? false,
          ),
        );
        return { results: res.results.map(toCrmRecord), after: res.paging?.next?.after ?? null };
      },
      async associationPairs(fromType, toType, ids) {
        const out = new Map<string, AssociationPair[]>();
        const unique = [...new Set(ids)];
        for (let i = 0; i < unique.length; i += ASSOCIATIONS_BATCH_MAX) {
          let inputs: { id: string; after?: string }[] = unique.slice(i, i + ASSOCIATIONS_BATCH_MAX).map((id) => ({ id }));
          for (const { id } of inputs) out.set(id, []);
          while (inputs.length) {
            const batch = inputs;
            const res = await call('associations', (c) =>
              c.crm.associations.v4.batchApi.getPage(fromType, toType, { inputs: batch as { id: string }[] }),
            );
            const next: { id: string; after?: string }[] = [];
            for (const r of res.results) {
              const from = String(r._from.id);
              const list = out.get(from) ?? [];
              for (const t of r.to) {
                list.push({
                  toId: String(t.toObjectId),
                  typeIds: t.associationTypes.map((a) => a.typeId),
                  labels: t.associationTypes.map((a) => a.label).filter((l): l is string => !!l),
                });
              }
              out.set(from, list);
              if (r.paging?.next?.after) next.push({ id: from, after: r.paging.next.after });
            }
            inputs = next;
          }
        }
        return out;
      },
      async batchRead(objectType, ids, properties, propertiesWithHistory = [], opts = {}) {
        const unique = [...new Set(ids)];
        const propsKey = `${[...properties].sort().join(',')}#${[...propertiesWithHistory].sort().join(',')}`;
        const out = new Map<string, CrmRecord>();
        const missing: string[] = [];
        for (const id of unique) {
          // fresh: a change was announced (sync), so what the cache holds may predate it.
          const hit = opts.fresh
            ? undefined
            : (cache.get(k('record', objectType, propsKey, id)) as CrmRecord | { absent: true } | undefined);
          if (hit === undefined) missing.push(id);
          else if (!('absent' in hit)) out.set(id, hit);
        }
        if (missing.length === 0) return out;
        const max = propertiesWithHistory.length > 0 ? BATCH_READ_HISTORY_MAX : BATCH_READ_MAX;
        const b = batcher<CrmRecord>(k('batchRead', objectType, propsKey), max, async (take) => {
          const res = await call('batch', (c) =>
            c.crm.objects.batchApi.read(objectType, {
              inputs: take().map((id) => ({ id })),
              properties,
              propertiesWithHistory,
            }),
          );
          return new Map(res.results.map((r) => [r.id, toCrmRecord(r)]));
        });
        const loaded = await b.loadMany(missing);
        loaded.forEach((r, i) => {
          const id = missing[i]!;
          cache.set(k('record', objectType, propsKey, id), r ?? { absent: true }, { ttl: recordsTtl });
          if (r) out.set(id, r);
        });
        return out;
      },
      async associations(fromType, toType, ids) {
        const unique = [...new Set(ids)];
        const out = new Map<string, string[]>();
        const missing: string[] = [];
        for (const id of unique) {
          const hit = cache.get(k('assoc', fromType, toType, id)) as { ids: string[] } | undefined;
          if (hit) out.set(id, hit.ids);
          else missing.push(id);
        }
        if (missing.length === 0) return out;
        const b = batcher<string[]>(k('assoc', fromType, toType), ASSOCIATIONS_BATCH_MAX, async (take) => {
          const found = new Map<string, string[]>();
          let batchIds: string[] = [];
          let inputs: { id: string; after?: string }[] | null = null;
          while (inputs === null || inputs.length) {
            const res = await call('associations', (c) => {
              if (inputs === null) {
                batchIds = take();
                inputs = batchIds.map((id) => ({ id }));
              }
              return c.crm.associations.v4.batchApi.getPage(fromType, toType, { inputs: inputs as { id: string }[] });
            });
            const next: { id: string; after?: string }[] = [];
            for (const r of res.results) {
              const from = String(r._from.id);
              const list = found.get(from) ?? [];
              list.push(...r.to.map((t) => String(t.toObjectId)));
              found.set(from, list);
              if (r.paging?.next?.after) next.push({ id: from, after: r.paging.next.after });
            }
            inputs = next;
          }
          return new Map(batchIds.map((id) => [id, [...new Set(found.get(id) ?? [])]]));
        });
        const loaded = await b.loadMany(missing);
        loaded.forEach((r, i) => {
          const id = missing[i]!;
          const ids = r ?? [];
          cache.set(k('assoc', fromType, toType, id), { ids }, { ttl: recordsTtl });
          out.set(id, ids);
        });
        return out;
      },
      async getRecord(objectType, id, properties) {
        try {
          const res = await call('read', (c) => c.crm.objects.basicApi.getById(objectType, id, properties));
          return toCrmRecord(res);
        } catch (err) {
          if (err instanceof CrmError && err.kind === 'not-found') return null;
          throw err;
        }
      },
      async createRecord(objectType, input) {
        try {
          const res = await call(
            'write',
            (c) =>
              c.crm.objects.basicApi.create(objectType, {
                properties: input.properties,
                associations: (input.associations ?? []).map((a) => ({
                  to: { id: a.toId },
                  types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: a.typeId }],
                })) as Parameters<Client['crm']['objects']['basicApi']['create']>[1]['associations'],
              }),
            // A create repeated after an unanswered attempt would make a second record.
            { retryUnsure: false },
          );
          return toCrmRecord(res);
        } finally {
          await written(portalId, objectType);
        }
      },
      async batchUpdate(objectType, inputs) {
        if (inputs.length > BATCH_WRITE_MAX) throw new RangeError(`batchUpdate takes at most ${BATCH_WRITE_MAX} records per call`);
        if (inputs.length === 0) return { results: [], missing: [] };
        try {
          const res = await call('write', (c) => c.crm.objects.batchApi.update(objectType, { inputs }));
          const results = res.results.map(toCrmRecord);
          // 207: the ids HubSpot could not find are listed in the errors' context (hubspot-crm-data.md §3.3).
          const errors = (res as { errors?: { context?: Record<string, string[]> }[] }).errors ?? [];
          const found = new Set(results.map((r) => r.id));
          const missing = [...new Set(errors.flatMap((e) => e.context?.ids ?? []))].filter((id) => !found.has(id));
          return { results, missing };
        } finally {
          await written(portalId, objectType);
        }
      },
      async batchArchive(objectType, ids) {
        if (ids.length > BATCH_WRITE_MAX) throw new RangeError(`batchArchive takes at most ${BATCH_WRITE_MAX} records per call`);
        if (ids.length === 0) return;
        try {
          await call('write', (c) => c.crm.objects.batchApi.archive(objectType, { inputs: ids.map((id) => ({ id })) }));
        } finally {
          await written(portalId, objectType);
        }
      },
    };
    return self;
  }

  /** A write changes what cached searches, reads and association lists of its type say. */
  function dropCached(portalId: number, objectType?: string): void {
    const prefix = `${portalId}|`;
    for (const key of cache.keys()) {
      if (!key.startsWith(prefix)) continue;
      if (!objectType || key.split('|').includes(objectType)) cache.delete(key);
    }
  }

  return {
    portal,
    invalidate: dropCached,
    cacheStats: () => {
      let live = 0;
      for (const _ of cache.keys()) live += 1;
      return { entries: cache.size, bytes: cache.calculatedSize, expired: cache.size - live, batchers: batchers.size };
    },
    async close() {
      clearInterval(purger);
      cache.clear();
      await limiters.close();
    },
  };
}

function approximateSize(value: unknown): number {
  try {
    return JSON.stringify(value)?.length ?? 16;
  } catch {
    return 1024;
  }
}
