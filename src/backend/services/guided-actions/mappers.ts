// HubSpot records (strings or null) → the guided-actions engine's input types, converted once.
import type { CrmRecord, Pipeline as CrmPipeline, PropertyDefinition } from '../../crm/types';
import type {
  Call,
  Company,
  Contact,
  Deal,
  Email,
  LifecycleStageOption,
  Lead,
  Meeting,
  Note,
  Pipeline,
  Task,
} from '../../engines/guided-actions';
import { readBoolean, readDatetime, readNumber, readString } from '../../crm/values';

const bool = (v: string | null | undefined): boolean => readBoolean(v) ?? false;
const addresses = (v: string | null | undefined): string[] =>
  (v ?? '')
    .split(/[;,]/)
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * Every property the mappers and the data plan read, per type: what the portal copy must hold
 * (sync/jobs.test.ts checks it does; data-plan-demo.test.ts that each mapper reads only these).
 */
export const PROPERTIES = {
  contacts: [
    'firstname',
    'lastname',
    'email',
    'hubspot_owner_id',
    'hubspot_owner_assigneddate',
    'lifecyclestage',
    'createdate',
    'hs_latest_disqualified_lead_date',
    'recent_conversion_date',
    'hs_sales_email_last_opened',
    'hs_sales_email_last_clicked',
  ],
  companies: ['name', 'domain', 'hubspot_owner_id', 'hs_is_target_account'],
  deals: ['dealname', 'hubspot_owner_id', 'hubspot_owner_assigneddate', 'pipeline', 'dealstage', 'createdate', 'hs_next_step'],
  leads: [
    'hs_lead_name',
    'hubspot_owner_id',
    'hubspot_owner_assigneddate',
    'hs_pipeline',
    'hs_pipeline_stage',
    'hs_pipeline_stage_last_updated',
    'hs_createdate',
    'hs_primary_contact_id',
  ],
  tasks: [
    'hs_task_subject',
    'hubspot_owner_id',
    'hs_task_status',
    'hs_task_priority',
    'hs_task_type',
    'hs_timestamp',
    'hs_task_is_all_day',
    'hs_createdate',
    'hs_task_completion_date',
    'hs_task_sequence_step_order',
    'hs_task_sequence_step_enrollment_id',
  ],
  calls: [
    'hs_call_title',
    'hubspot_owner_id',
    'hs_timestamp',
    'hs_call_duration',
    'hs_call_status',
    'hs_call_disposition',
    'hs_call_source',
    'hs_call_direction',
    'hs_createdate',
  ],
  emails: [
    'hs_email_subject',
    'hubspot_owner_id',
    'hs_email_direction',
    'hs_timestamp',
    'hs_email_from_email',
    'hs_email_to_email',
    'hs_email_cc_email',
    'hs_email_thread_id',
    'hs_email_open_count',
    'hs_email_click_count',
    'hs_email_reply_count',
    'hs_createdate',
  ],
  meetings: [
    'hs_meeting_title',
    'hubspot_owner_id',
    'hs_meeting_start_time',
    'hs_meeting_end_time',
    'hs_meeting_outcome',
    'hs_timestamp',
    'hs_createdate',
  ],
  notes: ['hubspot_owner_id', 'hs_timestamp', 'hs_createdate'],
} as const;

/** What the mappers read of a record (the portal copy's reads return no more: storage LiveRecord). */
export type SourceRecord = Pick<CrmRecord, 'id' | 'properties' | 'createdAt'>;

const created = (r: SourceRecord, prop: string) => readDatetime(r.properties[prop]) ?? readDatetime(r.createdAt) ?? 0;

export function toContact(r: SourceRecord): Contact {
  const p = r.properties;
  return {
    id: r.id,
    firstName: readString(p.firstname),
    lastName: readString(p.lastname),
    email: readString(p.email),
    ownerId: readString(p.hubspot_owner_id),
    ownerAssignedAt: readDatetime(p.hubspot_owner_assigneddate),
    lifecycleStage: readString(p.lifecyclestage),
    createdAt: readDatetime(p.createdate) ?? readDatetime(r.createdAt),
    latestDisqualifiedLeadAt: readDatetime(p.hs_latest_disqualified_lead_date),
    recentConversionAt: readDatetime(p.recent_conversion_date),
    salesEmailLastOpenedAt: readDatetime(p.hs_sales_email_last_opened),
    salesEmailLastClickedAt: readDatetime(p.hs_sales_email_last_clicked),
  };
}

export function toCompany(r: SourceRecord): Company {
  const p = r.properties;
  return {
    id: r.id,
    name: readString(p.name),
    domain: readString(p.domain),
    ownerId: readString(p.hubspot_owner_id),
    isTargetAccount: bool(p.hs_is_target_account),
  };
}

/** `nextStepChangedAt`: the newest change of hs_next_step (the copy's property history), when known. */
export function toDeal(r: SourceRecord, nextStepChangedAt: number | null = null): Deal {
  const p = r.properties;
  return {
    id: r.id,
    name: readString(p.dealname),
    ownerId: readString(p.hubspot_owner_id),
    ownerAssignedAt: readDatetime(p.hubspot_owner_assigneddate),
    pipelineId: p.pipeline || 'default',
    stageId: p.dealstage ?? '',
    createdAt: created(r, 'createdate'),
    nextStep: readString(p.hs_next_step),
    nextStepChangedAt,
  };
}

export function toLead(r: SourceRecord): Lead {
  const p = r.properties;
  return {
    id: r.id,
    name: readString(p.hs_lead_name),
    ownerId: readString(p.hubspot_owner_id),
    ownerAssignedAt: readDatetime(p.hubspot_owner_assigneddate),
    pipelineId: p.hs_pipeline || 'lead-pipeline-id',
    stageId: p.hs_pipeline_stage ?? '',
    stageChangedAt: readDatetime(p.hs_pipeline_stage_last_updated),
    createdAt: created(r, 'hs_createdate'),
    primaryContactId: readString(p.hs_primary_contact_id),
  };
}

export function toTask(r: SourceRecord): Task {
  const p = r.properties;
  return {
    id: r.id,
    subject: readString(p.hs_task_subject),
    ownerId: readString(p.hubspot_owner_id),
    status: readString(p.hs_task_status),
    priority: readString(p.hs_task_priority),
    type: readString(p.hs_task_type),
    dueAt: readDatetime(p.hs_timestamp),
    isAllDay: bool(p.hs_task_is_all_day),
    createdAt: created(r, 'hs_createdate'),
    completedAt: readDatetime(p.hs_task_completion_date),
    sequenceStepOrder: readNumber(p.hs_task_sequence_step_order),
    sequenceEnrollmentId: readString(p.hs_task_sequence_step_enrollment_id),
  };
}

export function toCall(r: SourceRecord): Call {
  const p = r.properties;
  return {
    id: r.id,
    title: readString(p.hs_call_title),
    ownerId: readString(p.hubspot_owner_id),
    startedAt: readDatetime(p.hs_timestamp) ?? created(r, 'hs_createdate'),
    durationMs: readNumber(p.hs_call_duration),
    status: readString(p.hs_call_status),
    disposition: readString(p.hs_call_disposition),
    source: readString(p.hs_call_source),
    direction: readString(p.hs_call_direction),
  };
}

export function toEmail(r: SourceRecord): Email {
  const p = r.properties;
  return {
    id: r.id,
    subject: readString(p.hs_email_subject),
    ownerId: readString(p.hubspot_owner_id),
    direction: p.hs_email_direction || 'EMAIL',
    sentAt: readDatetime(p.hs_timestamp) ?? created(r, 'hs_createdate'),
    fromEmail: readString(p.hs_email_from_email),
    toEmails: addresses(p.hs_email_to_email),
    ccEmails: addresses(p.hs_email_cc_email),
    threadId: readString(p.hs_email_thread_id),
    openCount: readNumber(p.hs_email_open_count),
    clickCount: readNumber(p.hs_email_click_count),
    replyCount: readNumber(p.hs_email_reply_count),
  };
}

export function toMeeting(r: SourceRecord): Meeting {
  const p = r.properties;
  const startAt = readDatetime(p.hs_meeting_start_time) ?? readDatetime(p.hs_timestamp) ?? created(r, 'hs_createdate');
  return {
    id: r.id,
    title: readString(p.hs_meeting_title),
    ownerId: readString(p.hubspot_owner_id),
    startAt,
    endAt: readDatetime(p.hs_meeting_end_time) ?? startAt,
    outcome: readString(p.hs_meeting_outcome),
    createdAt: created(r, 'hs_createdate'),
  };
}

export function toNote(r: SourceRecord): Note {
  const p = r.properties;
  return { id: r.id, ownerId: readString(p.hubspot_owner_id), at: readDatetime(p.hs_timestamp) ?? created(r, 'hs_createdate') };
}

export function toPipelines(list: CrmPipeline[]): Pipeline[] {
  return list.map((p) => ({
    id: p.id,
    label: p.label,
    stages: p.stages.map((s) => ({ id: s.id, label: s.label, displayOrder: s.displayOrder, isClosed: bool(s.metadata.isClosed) })),
  }));
}

export function toLifecycleStages(properties: PropertyDefinition[]): LifecycleStageOption[] {
  const def = properties.find((p) => p.name === 'lifecyclestage');
  return (def?.options ?? []).map((o) => ({ value: o.value, label: o.label, displayOrder: o.displayOrder, hidden: o.hidden }));
}
