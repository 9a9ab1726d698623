// Property history a portal needs beyond TRACKED_HISTORY (issue 11 item 6: a health profile's
// backfill scores each past day with each criterion's property as it was that day). The copy keeps
// it once read: the properties are named for the portal first (crm_history_properties, migration
// 025), so every change the copy applies to them from then on is recorded; then HubSpot's history
// is read for the records the copy has not read it for, and stored. A later ask reads nothing.
import type { PortalCrm } from '../crm/gateway';
import { TRACKED_HISTORY, type CopyRepo, type PropertyChange } from '../storage';
import { historyOf } from './context';

/** The row that says "read from HubSpot, never set": a null value since the epoch. */
const NEVER_SET = new Date(0);

export type HistoryReadResult = {
  /** Records whose history was read from HubSpot (the others' was in the copy already). */
  read: number;
};

/**
 * Makes the copy hold the history of `properties` for the records `ids` of `objectType`: names the
 * properties for the portal, then reads from HubSpot (batch reads with propertiesWithHistory, 50
 * records a call, at the caller's priority and meter) only the records whose history of some of
 * them the copy lacks, with just those properties. TRACKED_HISTORY's are always in the copy.
 */
export async function ensurePropertyHistory(
  crm: PortalCrm,
  repo: CopyRepo,
  objectType: string,
  ids: string[],
  properties: readonly string[],
  now: Date,
): Promise<HistoryReadResult> {
  const fixed = new Set(TRACKED_HISTORY[objectType] ?? []);
  const wanted = [...new Set(properties)].filter((p) => !fixed.has(p)).sort();
  if (wanted.length === 0 || ids.length === 0) return { read: 0 };
  // Named before HubSpot is read: a change applied meanwhile is recorded, not lost between the two.
  await repo.trackHistory(crm.portalId, objectType, wanted, now);
  const have = await repo.historyRead(crm.portalId, objectType, wanted, ids);
  const missing = ids.filter((id) => wanted.some((p) => !have.get(id)?.has(p)));
  if (missing.length === 0) return { read: 0 };
  const props = wanted.filter((p) => missing.some((id) => !have.get(id)?.has(p)));
  const found = await crm.batchRead(objectType, missing, ['hs_object_id'], props, { fresh: true });
  const records = [...found.values()];
  const changes: PropertyChange[] = historyOf(records, props);
  for (const r of records)
    for (const property of props)
      if (!r.propertiesWithHistory?.[property]?.length)
        changes.push({ recordId: r.id, property, value: null, changedAt: NEVER_SET, source: 'hubspot' });
  await repo.addPropertyHistory(crm.portalId, objectType, changes);
  return { read: missing.length };
}
