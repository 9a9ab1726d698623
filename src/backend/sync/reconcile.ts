// The reconciliation path: what neither webhooks nor polls show. Association changes on
// engagements do not move hs_lastmodifieddate, and deletions and merges never do
// (hubspot-sync.md §4, §6): on a schedule, the id sets are compared with HubSpot's and every
// association the copy holds is re-read. What it repairs is told to the change listener, as
// webhooks and polls tell theirs (health rescores the customers those records touch).
import type { CrmRecord } from '../crm/types';
import type { CopyAssociation } from '../storage';
import {
  copyRepo,
  inBackground,
  notifyChanged,
  readAssociations,
  storeAssociations,
  storeRecords,
  syncObjectsOf,
  type SyncDeps,
} from './context';
import { windowFilters } from './first-load';
import { DAY_MS, ENGAGEMENT_WINDOW_DAYS, type SyncObject } from './objects';
import { readDate } from './records';

const ASSOCIATION_CHUNK = 1_000;
const TOMBSTONE_DAYS = 90;

/** Whether a record belongs in the copy: always, except activity outside its window (open tasks stay). */
function inWindow(obj: SyncObject, r: CrmRecord, now: number): boolean {
  if (!obj.windowProperty) return true;
  if (obj.openStatus && r.properties[obj.openStatus.property] !== obj.openStatus.closed) return true;
  const at = readDate(r.properties[obj.windowProperty]);
  return at !== null && at.getTime() >= now - ENGAGEMENT_WINDOW_DAYS * DAY_MS;
}

export type ReconcileResult = Record<string, { added: number; archived: number; merged: number }>;

/** Reconciles every ready object type of the portal once. */
export function reconcilePortal(deps: SyncDeps, portalId: number): Promise<ReconcileResult> {
  return inBackground(async () => {
    const crm = deps.crm.portal(portalId);
    const repo = copyRepo(deps);
    const states = new Map((await repo.syncStates(portalId)).map((s) => [s.objectType, s]));
    const out: ReconcileResult = {};
    for (const obj of await syncObjectsOf(deps, portalId)) {
      if (deps.stopped?.()) break;
      if (states.get(obj.objectType)?.state !== 'ready') continue;
      const startedAt = deps.now();
      const type = obj.objectType;
      // The records repaired, and both ends of the pairs repaired: told to onChanged.
      const touched = new Map<string, Set<string>>();
      const touch = (t: string, ids: Iterable<string>) => {
        const set = touched.get(t) ?? new Set<string>();
        for (const id of ids) set.add(id);
        touched.set(t, set);
      };
      const mergeAware = obj.properties.includes('hs_merged_object_ids');

      // 1. HubSpot's live ids (inside the window for activity), and the merges winners list.
      const live = new Set<string>();
      const merges: [winner: string, losers: string[]][] = [];
      const take = (records: CrmRecord[]) => {
        for (const r of records) {
          live.add(r.id);
          const losers = (r.properties.hs_merged_object_ids ?? '')
            .split(';')
            .map((s) => s.trim())
            .filter((s) => /^\d+$/.test(s));
          if (losers.length) merges.push([r.id, losers]);
        }
      };
      const properties = mergeAware ? ['hs_merged_object_ids'] : ['hs_object_id'];
      if (obj.windowProperty) {
        let cursor: string | null = null;
        for (;;) {
          const page = await crm.scanPage(type, { filterGroups: windowFilters(obj, startedAt), properties }, cursor);
          take(page.results);
          if (page.done) break;
          cursor = page.lastId;
        }
      } else {
        let after: string | null = null;
        do {
          const page = await crm.listPage(type, { properties, after });
          take(page.results);
          after = page.after;
        } while (after);
      }

      // 2. Merged-away records: tombstoned, pointing at the winner, their pairs moved to it.
      const copyIds = await repo.liveIds(portalId, type);
      const inCopy = new Set(copyIds);
      let merged = 0;
      for (const [winner, losers] of merges) {
        const held = losers.filter((id) => inCopy.has(id));
        if (!held.length) continue;
        await repo.mergeRecords(portalId, type, held, winner, new Date(startedAt), startedAt);
        touch(type, [winner, ...held]);
        for (const id of held) inCopy.delete(id);
        merged += held.length;
      }

      // 3. Missing from the copy: read and stored. Gone from HubSpot's set: re-read; absent → tombstoned
      // (archived, or purged after 90 days); present → it only left the window, and is refreshed.
      const missing = [...live].filter((id) => !inCopy.has(id));
      const gone = [...inCopy].filter((id) => !live.has(id));
      let archived = 0;
      for (let i = 0; i < missing.length + gone.length; i += 100) {
        const ids = [...missing, ...gone].slice(i, i + 100);
        const found = await crm.batchRead(type, ids, obj.properties, [], { fresh: true });
        // Activity that left the window is dropped from the copy: it holds the window, not history.
        const kept = [...found.values()].filter((r) => inWindow(obj, r, startedAt));
        const dropped = [...found.values()].filter((r) => !inWindow(obj, r, startedAt)).map((r) => r.id);
        // Told before they go: their pairs, which lead to the customers they count for, go with them.
        await notifyChanged(deps, portalId, [{ objectType: type, ids: dropped }]);
        await repo.deleteRecords(portalId, type, dropped);
        await storeRecords(deps, crm, repo, obj, kept);
        const absent = ids.filter((id) => !found.has(id));
        await repo.archiveRecords(portalId, type, absent, new Date(startedAt), startedAt);
        touch(
          type,
          kept.map((r) => r.id),
        );
        touch(type, absent);
        archived += absent.length;
      }

      // 4. Every association of the records held (engagements' are re-read nowhere else).
      if (obj.associations.length) {
        const ids = await repo.liveIds(portalId, type);
        for (let i = 0; i < ids.length; i += ASSOCIATION_CHUNK) {
          const chunk = ids.slice(i, i + ASSOCIATION_CHUNK);
          const fresh = await readAssociations(crm, obj, chunk);
          for (const [toType, pairs] of fresh) {
            const held = await repo.associations(portalId, type, chunk, toType);
            for (const [t, changed] of changedEnds(type, toType, held, pairs)) touch(t, changed);
          }
          await storeAssociations(deps, crm, repo, obj, chunk, fresh);
        }
      }
      await notifyChanged(
        deps,
        portalId,
        [...touched].map(([objectType, set]) => ({ objectType, ids: [...set] })),
      );
      await repo.putSyncState(
        portalId,
        type,
        { lastReconciledAt: new Date(startedAt), records: await repo.countRecords(portalId, type) },
        new Date(deps.now()),
      );
      out[type] = { added: missing.length, archived, merged };
    }
    // HubSpot forgets archived records after 90 days (restore is no longer possible): so does the copy.
    const purged = await repo.purgeTombstones(portalId, new Date(deps.now() - TOMBSTONE_DAYS * DAY_MS));
    if (purged) deps.logger.info({ portalId, purged }, 'copy: tombstones older than 90 days removed');
    return out;
  });
}

/**
 * The records at either end of a pair the copy holds and HubSpot no longer has, or the other way
 * round (labels aside: a pair's labels change no score), by type.
 */
function changedEnds(
  fromType: string,
  toType: string,
  held: Map<string, { id: string }[]>,
  fresh: CopyAssociation[],
): Map<string, Set<string>> {
  const now = new Map<string, Set<string>>([...held.keys()].map((id) => [id, new Set<string>()]));
  for (const p of fresh) now.get(p.fromId)?.add(p.toId);
  const out = new Map<string, Set<string>>([
    [fromType, new Set()],
    [toType, new Set()],
  ]);
  for (const [id, before] of held) {
    const after = now.get(id)!;
    const was = new Set(before.map((a) => a.id));
    const differ = [...was].filter((x) => !after.has(x)).concat([...after].filter((x) => !was.has(x)));
    if (differ.length === 0) continue;
    out.get(fromType)!.add(id);
    for (const x of differ) out.get(toType)!.add(x);
  }
  return out;
}
