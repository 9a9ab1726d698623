// HubSpot records (strings or null) → the guided-actions engine's input types, converted once.
import type { CrmRecord, Pipeline as CrmPipeline, PropertyDefinition } from '../../crm/types';
import type {
  Call, Company, Contact, Deal, Email, LifecycleStageOption, Lead, Meeting, Note, Pipeline, Task,
} from '../../engines/guided-actions';

/** Epoch ms from an ISO string or an epoch-ms string; null when blank or unreadable. */
export function toMs(v: string | null | undefined): number | null {
  if (v === null || v === undefined || v === '') return null;
  if (/^\d+$/.test(v)) return Number(v);
  const ms = Date.parse(v);
  return Number.isFinite(ms) ? ms : null;
}

const num = (v: string | null | undefined): number | null => {
  if (v === null || v === undefined || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};
const str = (v: string | null | undefined): string | null => (v === null || v === undefined || v === '' ? null : v);
const bool = (v: string | null | undefined): boolean => v === 'true' || v === '1';
const addresses = (v: string | null | undefined): string[] =>
  (v ?? '').split(/[;,]/).map((s) => s.trim()).filter(Boolean);

export const PROPERTIES = {
  contacts: [
    'firstname', 'lastname', 'email', 'hubspot_owner_id', 'hubspot_owner_assigneddate', 'lifecyclestage', 'createdate',
    'hs_latest_disqualified_lead_date', 'recent_conversion_date', 'hs_sales_email_last_opened', 'hs_sales_email_last_clicked',
  ],
  companies: ['name', 'domain', 'hubspot_owner_id', 'hs_is_target_account'],
  deals: ['dealname', 'hubspot_owner_id', 'hubspot_owner_assigneddate', 'pipeline', 'dealstage', 'createdate', 'hs_next_step'],
  leads: [
    'hs_lead_name', 'hubspot_owner_id', 'hubspot_owner_assigneddate', 'hs_pipeline', 'hs_pipeline_stage',
    'hs_pipeline_stage_last_updated', 'hs_createdate', 'hs_primary_contact_id',
  ],
  tasks: [
    'hs_task_subject', 'hubspot_owner_id', 'hs_task_status', 'hs_task_priority', 'hs_task_type', 'hs_timestamp', 'hs_task_is_all_day',
    'hs_createdate', 'hs_task_completion_date', 'hs_task_sequence_step_order', 'hs_task_sequence_step_enrollment_id',
  ],
  calls: [
    'hs_call_title', 'hubspot_owner_id', 'hs_timestamp', 'hs_call_duration', 'hs_call_status', 'hs_call_disposition',
    'hs_call_source', 'hs_call_direction',
  ],
  emails: [
    'hs_email_subject', 'hubspot_owner_id', 'hs_email_direction', 'hs_timestamp', 'hs_email_from_email', 'hs_email_to_email',
    'hs_email_cc_email', 'hs_email_thread_id', 'hs_email_open_count', 'hs_email_click_count', 'hs_email_reply_count',
  ],
  meetings: ['hs_meeting_title', 'hubspot_owner_id', 'hs_meeting_start_time', 'hs_meeting_end_time', 'hs_meeting_outcome', 'hs_createdate'],
  notes: ['hubspot_owner_id', 'hs_timestamp'],
} as const;

const created = (r: CrmRecord, prop: string) => toMs(r.properties[prop]) ?? toMs(r.createdAt) ?? 0;

export function toContact(r: CrmRecord): Contact {
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
    salesEmailLastClickedAt: toMs(p.hs_sales_email_last_clicked),
  };
}

export function toCompany(r: CrmRecord): Company {
  const p = r.properties;
  return { id: r.id, name: str(p.name), domain: str(p.domain), ownerId: str(p.hubspot_owner_id), isTargetAccount: bool(p.hs_is_target_account) };
}

/** `history`: the record read with propertiesWithHistory=hs_next_step, when available. */
export function toDeal(r: CrmRecord, history?: CrmRecord): Deal {
  const p = r.properties;
  const changes = (history ?? r).propertiesWithHistory?.hs_next_step ?? [];
  let nextStepChangedAt: number | null = null;
  for (const h of changes) {
    const at = toMs(h.timestamp);
    if (at !== null && (nextStepChangedAt === null || at > nextStepChangedAt)) nextStepChangedAt = at;
  }
  return {
    id: r.id,
    name: str(p.dealname),
    ownerId: str(p.hubspot_owner_id),
    ownerAssignedAt: toMs(p.hubspot_owner_assigneddate),
    pipelineId: p.pipeline || 'default',
    stageId: p.dealstage ?? '',
    createdAt: created(r, 'createdate'),
    nextStep: str(p.hs_next_step),
    nextStepChangedAt,
  };
}

export function toLead(r: CrmRecord): Lead {
  const p = r.properties;
  return {
    id: r.id,
    name: str(p.hs_lead_name),
    ownerId: str(p.hubspot_owner_id),
    ownerAssignedAt: toMs(p.hubspot_owner_assigneddate),
    pipelineId: p.hs_pipeline || 'lead-pipeline-id',
    stageId: p.hs_pipeline_stage ?? '',
    stageChangedAt: toMs(p.hs_pipeline_stage_last_updated),
    createdAt: created(r, 'hs_createdate'),
    primaryContactId: str(p.hs_primary_contact_id),
  };
}

export function toTask(r: CrmRecord): Task {
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
    createdAt: created(r, 'hs_createdate'),
    completedAt: toMs(p.hs_task_completion_date),
    sequenceStepOrder: num(p.hs_task_sequence_step_order),
    sequenceEnrollmentId: str(p.hs_task_sequence_step_enrollment_id),
  };
}

export function toCall(r: CrmRecord): Call {
  const p = r.properties;
  return {
    id: r.id,
    title: str(p.hs_call_title),
    ownerId: str(p.hubspot_owner_id),
    startedAt: toMs(p.hs_timestamp) ?? created(r, 'hs_createdate'),
    durationMs: num(p.hs_call_duration),
    status: str(p.hs_call_status),
    disposition: str(p.hs_call_disposition),
    source: str(p.hs_call_source),
    direction: str(p.hs_call_direction),
  };
}

export function toEmail(r: CrmRecord): Email {
  const p = r.properties;
  return {
    id: r.id,
    subject: str(p.hs_email_subject),
    ownerId: str(p.hubspot_owner_id),
    direction: p.hs_email_direction || 'EMAIL',
    sentAt: toMs(p.hs_timestamp) ?? created(r, 'hs_createdate'),
    fromEmail: str(p.hs_email_from_email),
    toEmails: addresses(p.hs_email_to_email),
    ccEmails: addresses(p.hs_email_cc_email),
    threadId: str(p.hs_email_thread_id),
    openCount: num(p.hs_email_open_count),
    clickCount: num(p.hs_email_click_count),
    replyCount: num(p.hs_email_reply_count),
  };
}

export function toMeeting(r: CrmRecord): Meeting {
  const p = r.properties;
  const startAt = toMs(p.hs_meeting_start_time) ?? toMs(p.hs_timestamp) ?? created(r, 'hs_createdate');
  return {
    id: r.id,
    title: str(p.hs_meeting_title),
    ownerId: str(p.hubspot_owner_id),
    startAt,
    endAt: toMs(p.hs_meeting_end_time) ?? startAt,
    outcome: str(p.hs_meeting_outcome),
    createdAt: created(r, 'hs_createdate'),
  };
}

export function toNote(r: CrmRecord): Note {
  const p = r.properties;
  return { id: r.id, ownerId: str(p.hubspot_owner_id), at: toMs(p.hs_timestamp) ?? created(r, 'hs_createdate') };
}

export function toPipelines(list: CrmPipeline[]): Pipeline[] {
  return list.map((p) => ({
    id: p.id,
    label: p.label,
    stages: p.stages.map((s) => ({ id: s.id, label: s.label, displayOrder: s.displayOrder, isClosed: s.metadata.isClosed === 'true' })),
  }));
}

export function toLifecycleStages(properties: PropertyDefinition[]): LifecycleStageOption[] {
  const def = properties.find((p) => p.name === 'lifecyclestage');
  return (def?.options ?? []).map((o) => ({ value: o.value, label: o.label, displayOrder: o.displayOrder, hidden: o.hidden }));
}
