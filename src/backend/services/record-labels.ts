import type { ObjectRef } from '../contract/api';
import type { PortalCrm } from '../crm/gateway';
import type { CrmRecord } from '../crm/types';

/** The properties that name a record of each standard object, and how to read them. */
const LABELS: Record<string, { properties: string[]; label: (r: CrmRecord) => string }> = {
  contacts: {
    properties: ['firstname', 'lastname', 'email'],
    label: (r) => [r.properties.firstname, r.properties.lastname].filter(Boolean).join(' ') || r.properties.email || `Contact ${r.id}`,
  },
  companies: { properties: ['name', 'domain'], label: (r) => r.properties.name || r.properties.domain || `Company ${r.id}` },
  deals: { properties: ['dealname'], label: (r) => r.properties.dealname || `Deal ${r.id}` },
  tickets: { properties: ['subject'], label: (r) => r.properties.subject || `Ticket ${r.id}` },
  leads: { properties: ['hs_lead_name'], label: (r) => r.properties.hs_lead_name || `Lead ${r.id}` },
};

export function labelProperties(objectType: string): string[] {
  return LABELS[objectType]?.properties ?? [];
}

export function recordLabel(objectType: string, record: CrmRecord): string {
  return LABELS[objectType]?.label(record) ?? `${objectType} ${record.id}`;
}

/**
 * The records associated with each of `ids` (objects of `fromType`), labelled, for the given
 * target types: one association call and one batch read per target type, run in parallel.
 */
export async function associatedRefs(
  crm: PortalCrm,
  fromType: string,
  ids: string[],
  toTypes: string[],
): Promise<Map<string, ObjectRef[]>> {
  const out = new Map<string, ObjectRef[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return out;
  const byType = await Promise.all(
    toTypes.map(async (toType) => {
      const assoc = await crm.associations(fromType, toType, ids);
      const targetIds = [...new Set([...assoc.values()].flat())];
      const records = targetIds.length ? await crm.batchRead(toType, targetIds, labelProperties(toType)) : new Map<string, CrmRecord>();
      return { toType, assoc, records };
    }),
  );
  // Assembled in toTypes order, not in the order HubSpot answered: the same data gives the same answer.
  for (const { toType, assoc, records } of byType) {
    for (const [id, toIds] of assoc) {
      for (const toId of toIds) {
        const record = records.get(toId);
        if (record) out.get(id)?.push({ objectType: toType, objectId: toId, label: recordLabel(toType, record) });
      }
    }
  }
  return out;
}
