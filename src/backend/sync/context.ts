// What every sync path shares: its dependencies, background priority, and how a page of records
// reaches the copy with its associations.
import type { CrmGateway, PortalCrm } from '../crm/gateway';
import { RequestMeter, runWithCallContext } from '../crm/meter';
import type { CrmRecord } from '../crm/types';
import {
  createCopyRepo,
  createSettingsRepo,
  TRACKED_HISTORY,
  type CopyAssociation,
  type CopyRepo,
  type Database,
  type PropertyChange,
} from '../storage';
import { CUSTOM_OBJECTS_SETTING, customObject, SYNC_OBJECTS, type SyncObject } from './objects';
import { toCopyRecord } from './records';
import {
  customerCopyProperties,
  CUSTOMERS_SETTING,
  HEALTH_PROPERTIES_SETTING,
  readCustomersSetting,
  readHealthProperties,
  type CustomersSetting,
} from './customer-properties';
import {
  pipelineObjectCopyProperties,
  readRevenueSetting,
  readServicesSetting,
  REVENUE_SETTING,
  SERVICES_SETTING,
} from './workspace-objects';

export type SyncLogger = {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
};

export type SyncDeps = {
  db: Database;
  crm: CrmGateway;
  logger: SyncLogger;
  now: () => number;
  /** True once the server is stopping: long loads stop between pages and resume at the next start. */
  stopped?: () => boolean;
  /**
   * Told which records changed in the copy after webhooks, Tiller's own writes or a poll stored
   * them (not the first load): health marks the customers they touch for rescoring. A failure is
   * logged, never fails the sync (the scheduled full run repairs what it missed).
   */
  onChanged?: (portalId: number, touched: { objectType: string; ids: string[] }[]) => Promise<void>;
};

/** Calls deps.onChanged, logging (not throwing) its failure. */
export async function notifyChanged(deps: SyncDeps, portalId: number, touched: { objectType: string; ids: string[] }[]): Promise<void> {
  const nonEmpty = touched.filter((t) => t.ids.length > 0);
  if (!deps.onChanged || nonEmpty.length === 0) return;
  await deps
    .onChanged(portalId, nonEmpty)
    .catch((err: unknown) =>
      deps.logger.warn({ portalId, err: errorMessage(err) }, 'copy: the change listener failed (the next full health run repairs it)'),
    );
}

/**
 * Runs `fn` at background priority with no deadline: its HubSpot calls queue behind every
 * interactive call of the portal (limiter priority 7 vs 2, docs/decisions/0004).
 */
export function inBackground<T>(fn: () => Promise<T>): Promise<T> {
  return runWithCallContext({ meter: new RequestMeter(), deadline: Infinity, priority: 'background' }, fn);
}

/**
 * Runs `fn` at the priority of HubSpot's change notifications, with no deadline: behind every
 * interactive call, ahead of the copy's loads and polls (a webhook's re-read never waits for a
 * poll's page of re-reads).
 */
export function asChanges<T>(fn: () => Promise<T>): Promise<T> {
  return runWithCallContext({ meter: new RequestMeter(), deadline: Infinity, priority: 'changes' }, fn);
}

/** The object types copied for a portal: the standard ones and the custom objects chosen in settings. */
export async function syncObjectsOf(deps: SyncDeps, portalId: number): Promise<SyncObject[]> {
  const chosen = await createSettingsRepo(deps.db).getSetting<unknown>(portalId, CUSTOM_OBJECTS_SETTING);
  const custom = Array.isArray(chosen) ? chosen.filter((t): t is string => typeof t === 'string' && /^2-\d+$/.test(t)) : [];
  const customObjects = await Promise.all(
    custom.map(async (t) =>
      customObject(
        t,
        (await deps.crm.portal(portalId).properties(t)).map((d) => d.name),
      ),
    ),
  );
  const settings = createSettingsRepo(deps.db);
  const withCustomers = withCustomerProperties(
    [...SYNC_OBJECTS, ...customObjects],
    readCustomersSetting(await settings.getSetting<unknown>(portalId, CUSTOMERS_SETTING)),
  );
  // The Services and Revenue objects (CS-SET-2/3) also carry what their workspaces read.
  const workspaceObjects = [
    readServicesSetting(await settings.getSetting<unknown>(portalId, SERVICES_SETTING)),
    ...readRevenueSetting(await settings.getSetting<unknown>(portalId, REVENUE_SETTING)).objects,
  ];
  // The properties health profiles read (HEALTH_PROPERTIES_SETTING) are copied too.
  const health = readHealthProperties(await settings.getSetting<unknown>(portalId, HEALTH_PROPERTIES_SETTING));
  return withCustomers.map((o) => {
    const extra = [
      ...workspaceObjects.filter((w) => w.objectType === o.objectType).flatMap(pipelineObjectCopyProperties),
      ...(health[o.objectType] ?? []),
    ];
    return extra.length ? { ...o, properties: [...new Set([...o.properties, ...extra])].sort() } : o;
  });
}

/**
 * The customer object (CS-SET-1) also carries the properties the Customers tab reads. A custom
 * customer object is copied whole: saving the setting adds it to CUSTOM_OBJECTS_SETTING.
 */
function withCustomerProperties(objects: SyncObject[], s: CustomersSetting): SyncObject[] {
  const extra = customerCopyProperties(s);
  const found = objects.find((o) => o.objectType === s.objectType);
  if (!found) return objects;
  return objects.map((o) => (o === found ? { ...o, properties: [...new Set([...o.properties, ...extra])].sort() } : o));
}

/**
 * Stores records as read from HubSpot and re-reads their associations (one batched read per
 * associated type), replacing what the copy held for them. Returns how many rows changed. Records
 * read with HubSpot's history of the tracked properties store that history; the others (search
 * pages, write-through) record the tracked values they change (copy-repo upsertRecords).
 */
export async function storeRecords(
  deps: SyncDeps,
  crm: PortalCrm,
  repo: CopyRepo,
  obj: SyncObject,
  records: CrmRecord[],
  versions?: Map<string, number>,
): Promise<number> {
  if (records.length === 0) return 0;
  const pairs = await readAssociations(
    crm,
    obj,
    records.map((r) => r.id),
  );
  return writeRecords(deps, repo, crm.portalId, obj, records, pairs, versions);
}

/**
 * storeRecords' writes, for records whose associations were read already (`pairs`, from
 * readAssociations): the rows, the history they carry, their pairs replaced.
 */
export async function writeRecords(
  deps: SyncDeps,
  repo: CopyRepo,
  portalId: number,
  obj: SyncObject,
  records: CrmRecord[],
  pairs: Map<string, CopyAssociation[]>,
  versions?: Map<string, number>,
): Promise<number> {
  if (records.length === 0) return 0;
  const ids = records.map((r) => r.id);
  const at = new Date(deps.now());
  const tracked = TRACKED_HISTORY[obj.objectType] ?? [];
  const withHistory = tracked.length > 0 && records.every((r) => tracked.every((p) => r.propertiesWithHistory?.[p] !== undefined));
  const written = await repo.upsertRecords(
    portalId,
    obj.objectType,
    records.map((r) => toCopyRecord(obj.objectType, r, versions?.get(r.id))),
    at,
    { historyStored: withHistory ? tracked : [] },
  );
  if (withHistory) await repo.addPropertyHistory(portalId, obj.objectType, historyOf(records, tracked));
  for (const [toType, list] of pairs) await repo.replaceAssociations(portalId, obj.objectType, ids, toType, list, at);
  return written;
}

/** HubSpot's history of the tracked properties, as the copy stores it. */
export function historyOf(records: CrmRecord[], tracked: readonly string[]): PropertyChange[] {
  const out: PropertyChange[] = [];
  for (const r of records)
    for (const property of tracked)
      for (const h of r.propertiesWithHistory?.[property] ?? []) {
        const changedAt = new Date(/^\d+$/.test(h.timestamp) ? Number(h.timestamp) : Date.parse(h.timestamp));
        if (Number.isFinite(changedAt.getTime())) out.push({ recordId: r.id, property, value: h.value, changedAt, source: 'hubspot' });
      }
  return out;
}

/**
 * Reads HubSpot's history of the tracked properties for records just stored (the first load's
 * pages: list pages carry no history), one batched read per 100 records at the caller's priority.
 */
export async function loadHistory(crm: PortalCrm, repo: CopyRepo, objectType: string, ids: string[]): Promise<void> {
  const changes = await readHistory(crm, objectType, ids);
  if (changes.length) await repo.addPropertyHistory(crm.portalId, objectType, changes);
}

/** loadHistory's read: HubSpot's history of the tracked properties of `ids` (none for untracked types). */
export async function readHistory(crm: PortalCrm, objectType: string, ids: string[]): Promise<PropertyChange[]> {
  const tracked = TRACKED_HISTORY[objectType] ?? [];
  if (tracked.length === 0 || ids.length === 0) return [];
  const read = await crm.batchRead(objectType, ids, ['hs_object_id'], [...tracked], { fresh: true });
  return historyOf([...read.values()], tracked);
}

/** The associations of `ids` (of obj's type) with every type obj reads, from HubSpot. */
export async function readAssociations(crm: PortalCrm, obj: SyncObject, ids: string[]): Promise<Map<string, CopyAssociation[]>> {
  const out = new Map<string, CopyAssociation[]>();
  await Promise.all(
    obj.associations.map(async (toType) => {
      const found = await crm.associationPairs(obj.objectType, toType, ids);
      out.set(
        toType,
        [...found].flatMap(([fromId, list]) =>
          list.map((p) => ({ fromType: obj.objectType, fromId, toType, toId: p.toId, typeIds: p.typeIds, labels: p.labels })),
        ),
      );
    }),
  );
  return out;
}

export async function storeAssociations(
  deps: SyncDeps,
  crm: PortalCrm,
  repo: CopyRepo,
  obj: SyncObject,
  ids: string[],
  pairs: Map<string, CopyAssociation[]>,
): Promise<void> {
  const at = new Date(deps.now());
  for (const [toType, list] of pairs) await repo.replaceAssociations(portalIdOf(crm), obj.objectType, ids, toType, list, at);
}

const portalIdOf = (crm: PortalCrm) => crm.portalId;

export function copyRepo(deps: SyncDeps): CopyRepo {
  return createCopyRepo(deps.db);
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
