// The reconciliation path: what neither webhooks nor polls show. Association changes on
// engagements do not move hs_lastmodifieddate, and deletions and merges never do
// (hubspot-sync.md §4, §6): on a schedule, the id sets are compared with HubSpot's and every
// association the copy holds is re-read.
import type { CrmRecord } from '../crm/types';
import { copyRepo, inBackground, readAssociations, storeAssociations, storeRecords, syncObjectsOf, type SyncDeps } from './context';
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
        await repo.deleteRecords(
          portalId,
          type,
          [...found.values()].filter((r) => !inWindow(obj, r, startedAt)).map((r) => r.id),
        );
        await storeRecords(deps, crm, repo, obj, kept);
        const absent = ids.filter((id) => !found.has(id));
        await repo.archiveRecords(portalId, type, absent, new Date(startedAt), startedAt);
        archived += absent.length;
      }

      // 4. Every association of the records held (engagements' are re-read nowhere else).
      if (obj.associations.length) {
        const ids = await repo.liveIds(portalId, type);
        for (let i = 0; i < ids.length; i += ASSOCIATION_CHUNK) {
          const chunk = ids.slice(i, i + ASSOCIATION_CHUNK);
          await storeAssociations(deps, crm, repo, obj, chunk, await readAssociations(crm, obj, chunk));
        }
      }
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
