// HubSpot records → rows of the copy: the typed columns queries filter and sort on.
import type { CrmRecord } from '../crm/types';
import type { CopyRecord } from '../storage';

/**
 * HubSpot's date values: ISO strings or epoch-ms strings; null when blank or unreadable. The one
 * place the copy parses a date (to switch to crm/values.ts when it lands).
 */
export function readDate(v: string | null | undefined): Date | null {
  if (v === null || v === undefined || v === '') return null;
  const ms = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  return Number.isFinite(ms) ? new Date(ms) : null;
}

const str = (v: string | null | undefined): string | null => (v === null || v === undefined || v === '' ? null : v);

/** Which property fills each typed column, per object type (unlisted types: none). */
const COLUMNS: Record<string, { due?: string; pipeline?: string; stage?: string; status?: string }> = {
  tasks: { due: 'hs_timestamp', status: 'hs_task_status' },
  calls: { due: 'hs_timestamp', status: 'hs_call_status' },
  emails: { due: 'hs_timestamp', status: 'hs_email_direction' },
  notes: { due: 'hs_timestamp' },
  meetings: { due: 'hs_meeting_start_time', status: 'hs_meeting_outcome' },
  // A contact's due_at is when its owner was assigned (guided actions' rule 1 reads it; migration 027).
  contacts: { due: 'hubspot_owner_assigneddate', stage: 'lifecyclestage' },
  deals: { due: 'closedate', pipeline: 'pipeline', stage: 'dealstage' },
  leads: { pipeline: 'hs_pipeline', stage: 'hs_pipeline_stage' },
  tickets: { pipeline: 'hs_pipeline', stage: 'hs_pipeline_stage' },
  '0-162': { pipeline: 'hs_pipeline', stage: 'hs_pipeline_stage' },
};

/** The record's last modification (epoch ms), from the property polls use or updatedAt. */
export function modifiedMs(r: CrmRecord): number {
  return (readDate(r.properties.hs_lastmodifieddate) ?? readDate(r.properties.lastmodifieddate) ?? readDate(r.updatedAt))?.getTime() ?? 0;
}

/** A record as the copy stores it; `versionMs` defaults to its last modification. */
export function toCopyRecord(objectType: string, r: CrmRecord, versionMs?: number): CopyRecord {
  const p = r.properties;
  const c = COLUMNS[objectType] ?? {};
  const modified = modifiedMs(r);
  const due = c.due ? (readDate(p[c.due]) ?? (objectType === 'meetings' ? readDate(p.hs_timestamp) : null)) : null;
  return {
    id: r.id,
    properties: { ...p },
    ownerId: str(p.hubspot_owner_id),
    createdAt: readDate(p.hs_createdate) ?? readDate(p.createdate) ?? readDate(r.createdAt),
    modifiedAt: modified ? new Date(modified) : null,
    dueAt: due,
    pipeline: c.pipeline ? str(p[c.pipeline]) : null,
    stage: c.stage ? str(p[c.stage]) : null,
    status: c.status ? str(p[c.status]) : null,
    archived: r.archived === true,
    archivedAt: null,
    mergedInto: null,
    versionMs: Math.max(versionMs ?? 0, modified),
  };
}

/** The copy's row as the CrmRecord shape services already read. */
export function toCrmRecord(r: CopyRecord): CrmRecord {
  return {
    id: r.id,
    properties: r.properties,
    createdAt: (r.createdAt ?? new Date(0)).toISOString(),
    updatedAt: (r.modifiedAt ?? new Date(0)).toISOString(),
    ...(r.archived ? { archived: true } : {}),
  };
}
