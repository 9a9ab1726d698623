// Applying announced changes (webhook events, Tiller's own writes) to the copy: idempotent, in
// occurredAt order per record, never trusting the event's payload — changed records and
// associations are re-read from HubSpot, one batched read per object type.
import type { PortalCrm } from '../crm/gateway';
import { TRACKED_HISTORY, type CopyRepo } from '../storage';
import {
  copyRepo,
  errorMessage,
  asChanges,
  notifyChanged,
  readAssociations,
  storeAssociations,
  storeRecords,
  syncObjectsOf,
  type SyncDeps,
} from './context';
import { normalizeObjectType, type SyncObject } from './objects';

export type CopyChange = {
  objectType: string;
  objectId: string;
  kind: 'upsert' | 'delete' | 'merge' | 'restore' | 'association';
  occurredAt: number;
  mergedInto?: string;
  toObjectType?: string;
  toObjectId?: string;
  removed?: boolean;
};

export type ApplyChanges = (portalId: number, changes: CopyChange[]) => Promise<void>;

const ID = /^\d{1,18}$/;

/** applyChanges bound to its dependencies (what the webhook queue's worker calls). */
export function createApplyChanges(deps: SyncDeps): ApplyChanges {
  return (portalId, changes) => applyChanges(deps, portalId, changes);
}

/**
 * Applies a batch of changes to one portal's copy. An event no newer than what the copy holds for
 * its record (duplicate, replay, late arrival) changes nothing; for each record only its newest
 * event decides (delete → tombstone, merge → tombstone pointing at the winner, otherwise a re-read).
 * Unknown object types and malformed ids are logged and skipped. Throws when HubSpot cannot be
 * read, so the caller's queue retries the batch (which is harmless: it is idempotent).
 */
export async function applyChanges(deps: SyncDeps, portalId: number, changes: CopyChange[]): Promise<void> {
  if (changes.length === 0) return;
  await asChanges(async () => {
    const objects = new Map((await syncObjectsOf(deps, portalId)).map((o) => [o.objectType, o]));
    const crm = deps.crm.portal(portalId);
    const repo = copyRepo(deps);

    const records = new Map<string, Map<string, CopyChange[]>>(); // type → id → changes
    const associations = new Map<string, Map<string, Set<string>>>(); // type → id → other types (empty: all)
    let skipped = 0;
    for (const raw of changes) {
      const type = normalizeObjectType(raw.objectType);
      if (!objects.has(type) || !ID.test(raw.objectId) || !Number.isFinite(raw.occurredAt)) {
        skipped++;
        continue;
      }
      const c = { ...raw, objectType: type };
      if (c.kind === 'association') {
        const other = c.toObjectType ? normalizeObjectType(c.toObjectType) : undefined;
        addAssociation(associations, type, c.objectId, other);
        // The other side too: the pair may be read from there (e.g. a contact event for a task pair).
        if (other && c.toObjectId && ID.test(c.toObjectId) && objects.has(other)) addAssociation(associations, other, c.toObjectId, type);
        continue;
      }
      const byId = records.get(type) ?? new Map<string, CopyChange[]>();
      byId.set(c.objectId, [...(byId.get(c.objectId) ?? []), c]);
      records.set(type, byId);
    }
    if (skipped) deps.logger.warn({ portalId, skipped }, 'copy: changes for unknown object types or malformed ids skipped');

    const reread = new Map<string, Map<string, number>>(); // type → id → version to store
    const addReread = (type: string, id: string, version: number) => {
      const m = reread.get(type) ?? new Map<string, number>();
      m.set(id, Math.max(m.get(id) ?? 0, version));
      reread.set(type, m);
    };
    for (const [type, byId] of records) {
      const stored = await repo.versions(portalId, type, [...byId.keys()]);
      let newest = 0;
      for (const [id, list] of byId) {
        const version = stored.get(id) ?? -1;
        const fresh = list.filter((c) => c.occurredAt > version).sort((a, b) => a.occurredAt - b.occurredAt);
        const last = fresh[fresh.length - 1];
        if (!last) continue;
        newest = Math.max(newest, last.occurredAt);
        const at = new Date(last.occurredAt);
        if (last.kind === 'delete') {
          await repo.archiveRecords(portalId, type, [id], at, last.occurredAt);
        } else if (last.kind === 'merge' && last.mergedInto && ID.test(last.mergedInto)) {
          await repo.mergeRecords(portalId, type, [id], last.mergedInto, at, last.occurredAt);
          addReread(type, last.mergedInto, last.occurredAt);
        } else {
          addReread(type, id, last.occurredAt);
        }
      }
      if (newest) await repo.putSyncState(portalId, type, { lastChangeSeenAt: new Date(newest) }, new Date(deps.now()));
    }

    for (const [type, versions] of reread) {
      await rereadRecords(deps, crm, repo, objects.get(type)!, versions);
      // The re-read stored these records' associations too.
      for (const id of versions.keys()) associations.get(type)?.delete(id);
    }
    for (const [type, byId] of associations) await rereadAssociations(deps, crm, repo, objects, type, byId);

    // Health rescoring: every record the batch named (records and both sides of associations).
    const touched = new Map<string, Set<string>>();
    const touch = (type: string, id: string) => touched.set(type, (touched.get(type) ?? new Set()).add(id));
    for (const [type, byId] of records) for (const id of byId.keys()) touch(type, id);
    for (const [type, versions] of reread) for (const id of versions.keys()) touch(type, id);
    for (const [type, byId] of associations) for (const id of byId.keys()) touch(type, id);
    for (const c of changes)
      if (c.kind === 'association' && c.toObjectType && c.toObjectId && ID.test(c.toObjectId))
        touch(normalizeObjectType(c.toObjectType), c.toObjectId);
    await notifyChanged(
      deps,
      portalId,
      [...touched].map(([objectType, ids]) => ({ objectType, ids: [...ids] })),
    );
  }).catch((err: unknown) => {
    deps.logger.warn({ portalId, err: errorMessage(err) }, 'copy: changes not applied (the batch can be retried)');
    throw err;
  });
}

function addAssociation(m: Map<string, Map<string, Set<string>>>, type: string, id: string, other: string | undefined): void {
  const byId = m.get(type) ?? new Map<string, Set<string>>();
  const set = byId.get(id) ?? new Set<string>();
  if (other) set.add(other);
  else set.add('*');
  byId.set(id, set);
  m.set(type, byId);
}

/** Re-reads records (one batched read), stores them with their versions; absent ones are tombstoned. */
async function rereadRecords(
  deps: SyncDeps,
  crm: PortalCrm,
  repo: CopyRepo,
  obj: SyncObject,
  versions: Map<string, number>,
): Promise<void> {
  const ids = [...versions.keys()];
  // With the tracked properties' history: a change announced is stored at its own moment.
  const found = await crm.batchRead(obj.objectType, ids, obj.properties, [...(TRACKED_HISTORY[obj.objectType] ?? [])], { fresh: true });
  await storeRecords(deps, crm, repo, obj, [...found.values()], versions);
  for (const id of ids) {
    if (found.has(id)) continue;
    const v = versions.get(id)!;
    await repo.archiveRecords(crm.portalId, obj.objectType, [id], new Date(v), v);
  }
}

/**
 * Re-reads the associations an event announced. Pairs are read from the side the copy reads them
 * from (tasks → contacts, not contacts → tasks); `*` means every type that side reads.
 */
async function rereadAssociations(
  deps: SyncDeps,
  crm: PortalCrm,
  repo: CopyRepo,
  objects: Map<string, SyncObject>,
  type: string,
  byId: Map<string, Set<string>>,
): Promise<void> {
  const obj = objects.get(type)!;
  const perTarget = new Map<string, string[]>();
  for (const [id, others] of byId) {
    const targets = others.has('*') ? obj.associations : obj.associations.filter((t) => others.has(t));
    for (const t of targets) perTarget.set(t, [...(perTarget.get(t) ?? []), id]);
  }
  for (const [toType, ids] of perTarget) {
    const pairs = await readAssociations(crm, { ...obj, associations: [toType] }, ids);
    await storeAssociations(deps, crm, repo, obj, ids, pairs);
  }
}
