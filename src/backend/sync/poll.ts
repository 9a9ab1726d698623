// The polling path: per object type, a search on the last-modified property from the high-water
// mark minus an overlap — the safety net for lost webhooks, and the only path for what webhooks do
// not cover (custom objects, rollups, properties not subscribed).
import type { CrmRecord } from '../crm/types';
import { copyRepo, inBackground, notifyChanged, storeRecords, syncObjectsOf, type SyncDeps } from './context';
import { modifiedMs } from './records';

/** Re-read window behind the high-water mark: search indexing lags by "a few moments" (hubspot-sync.md §4). */
export const POLL_OVERLAP_MS = 5 * 60_000;

export type PollResult = Record<string, { seen: number; changed: number }>;

/** Polls every ready object type of the portal once; returns what it saw and stored per type. */
export function pollPortal(deps: SyncDeps, portalId: number): Promise<PollResult> {
  return inBackground(async () => {
    const crm = deps.crm.portal(portalId);
    const repo = copyRepo(deps);
    const states = new Map((await repo.syncStates(portalId)).map((s) => [s.objectType, s]));
    const out: PollResult = {};
    for (const obj of await syncObjectsOf(deps, portalId)) {
      if (deps.stopped?.()) break;
      const state = states.get(obj.objectType);
      if (state?.state !== 'ready') continue;
      const startedAt = deps.now();
      const from = Math.max(0, (state.highWaterMs ?? 0) - POLL_OVERLAP_MS);
      const filterGroups = [{ filters: [{ propertyName: obj.modifiedProperty, operator: 'GTE' as const, value: String(from) }] }];
      let cursor: string | null = null;
      let high = state.highWaterMs ?? 0;
      let seen = 0;
      let changed = 0;
      let newest = 0;
      for (;;) {
        const page = await crm.scanPage(obj.objectType, { filterGroups, properties: obj.properties }, cursor);
        seen += page.results.length;
        // Records the copy already holds at this version (the overlap's re-reads) are not stored again.
        const stored = await repo.versions(
          portalId,
          obj.objectType,
          page.results.map((r) => r.id),
        );
        const fresh: CrmRecord[] = page.results.filter((r) => modifiedMs(r) > (stored.get(r.id) ?? -1));
        changed += await storeRecords(deps, crm, repo, obj, fresh);
        await notifyChanged(deps, portalId, [{ objectType: obj.objectType, ids: fresh.map((r) => r.id) }]);
        for (const r of page.results) high = Math.max(high, modifiedMs(r));
        for (const r of fresh) newest = Math.max(newest, modifiedMs(r));
        if (page.done) break;
        cursor = page.lastId;
      }
      await repo.putSyncState(
        portalId,
        obj.objectType,
        {
          highWaterMs: high,
          lastPolledAt: new Date(startedAt),
          ...(newest ? { lastChangeSeenAt: new Date(newest) } : {}),
        },
        new Date(deps.now()),
      );
      out[obj.objectType] = { seen, changed };
    }
    return out;
  });
}
