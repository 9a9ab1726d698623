// The guided-actions engine's input: plain records the data plan fills from HubSpot.
// Property values are already converted (dates → epoch ms or null, "true"/"1" → boolean,
// numeric strings → number). Each field names the HubSpot property it comes from, so the
// mapping stays obvious. Lists hold the rep's book plus every record associated with it that
// a rule reads (e.g. a deal associated with one of the rep's meetings, even if not the rep's).

export type EpochMs = number;

export const OBJECT_TYPES = ['contacts', 'companies', 'deals', 'leads', 'tasks', 'calls', 'emails', 'meetings', 'notes'] as const;
export type ObjectType = (typeof OBJECT_TYPES)[number];
export type EngagementType = 'tasks' | 'calls' | 'emails' | 'meetings' | 'notes';

/** HubSpot object type ids (developers.hubspot.com, "understanding the CRM"). */
export const OBJECT_TYPE_IDS = {
  contacts: '0-1',
  companies: '0-2',
  deals: '0-3',
  leads: '0-136',
  tasks: '0-27',
  calls: '0-48',
  emails: '0-49',
  meetings: '0-47',
  notes: '0-46',
} as const satisfies Record<ObjectType, string>;

export type Portal = {
  id: string;
  /** Account time zone (`/account-info/v3/details` → `timeZone`). */
  timeZone: string;
  /** UI host, e.g. `app-eu1.hubspot.com` for EU-hosted portals. Default `app.hubspot.com`. */
  domain?: string;
};

export type Rep = {
  /** HubSpot user id (what `hubspot.fetch` sends). */
  userId: string;
  /** Owner id (what `hubspot_owner_id` stores). */
  ownerId: string;
  email: string;
  /** Users object `hs_standard_time_zone`, else the portal's. */
  timeZone: string;
};

export type Contact = {
  id: string;
  firstName: string | null; // firstname
  lastName: string | null; // lastname
  email: string | null; // email
  ownerId: string | null; // hubspot_owner_id
  ownerAssignedAt: EpochMs | null; // hubspot_owner_assigneddate (or owner history)
  lifecycleStage: string | null; // lifecyclestage
  createdAt: EpochMs | null; // createdate
  latestDisqualifiedLeadAt: EpochMs | null; // hs_latest_disqualified_lead_date [OBS]
  recentConversionAt: EpochMs | null; // recent_conversion_date (last form submission)
  salesEmailLastOpenedAt: EpochMs | null; // hs_sales_email_last_opened [OBS]
  salesEmailLastClickedAt: EpochMs | null; // hs_sales_email_last_clicked [OBS]
};

export type Company = {
  id: string;
  name: string | null; // name
  domain: string | null; // domain
  ownerId: string | null; // hubspot_owner_id
  isTargetAccount: boolean; // hs_is_target_account
};

export type Deal = {
  id: string;
  name: string | null; // dealname
  ownerId: string | null; // hubspot_owner_id
  ownerAssignedAt: EpochMs | null; // hubspot_owner_assigneddate
  pipelineId: string; // pipeline
  stageId: string; // dealstage
  createdAt: EpochMs; // createdate
  nextStep: string | null; // hs_next_step
  /** Timestamp of the newest `hs_next_step` history entry (propertiesWithHistory), or null. */
  nextStepChangedAt: EpochMs | null;
};

export type Lead = {
  id: string;
  name: string | null; // hs_lead_name
  ownerId: string | null; // hubspot_owner_id
  ownerAssignedAt: EpochMs | null; // hubspot_owner_assigneddate (or owner history)
  pipelineId: string; // hs_pipeline
  stageId: string; // hs_pipeline_stage
  /** hs_pipeline_stage_last_updated [OBS]: when the lead entered its current stage. */
  stageChangedAt: EpochMs | null;
  createdAt: EpochMs; // hs_createdate
  primaryContactId: string | null; // hs_primary_contact_id [OBS], else the 578 association
};

export type Task = {
  id: string;
  subject: string | null; // hs_task_subject
  ownerId: string | null; // hubspot_owner_id
  status: string | null; // hs_task_status
  priority: string | null; // hs_task_priority: LOW | MEDIUM | HIGH | NONE
  type: string | null; // hs_task_type
  dueAt: EpochMs | null; // hs_timestamp (the due date)
  isAllDay: boolean; // hs_task_is_all_day [OBS]
  createdAt: EpochMs; // hs_createdate
  completedAt: EpochMs | null; // hs_task_completion_date (trusted only when COMPLETED)
  /** hs_task_sequence_step_order [OBS]; non-null marks a sequence task. */
  sequenceStepOrder: number | null;
  sequenceEnrollmentId: string | null; // hs_task_sequence_step_enrollment_id [OBS]
};

export type Call = {
  id: string;
  title: string | null; // hs_call_title
  ownerId: string | null; // hubspot_owner_id
  startedAt: EpochMs; // hs_timestamp
  durationMs: number | null; // hs_call_duration
  status: string | null; // hs_call_status (blank → null)
  disposition: string | null; // hs_call_disposition (outcome GUID; blank → null)
  source: string | null; // hs_call_source [OBS]: VOIP, INTEGRATIONS_PLATFORM, CRM_UI …
  direction: string | null; // hs_call_direction: INBOUND | OUTBOUND
};

export type Email = {
  id: string;
  subject: string | null; // hs_email_subject
  ownerId: string | null; // hubspot_owner_id
  direction: string; // hs_email_direction: EMAIL | INCOMING_EMAIL | FORWARDED_EMAIL
  sentAt: EpochMs; // hs_timestamp
  fromEmail: string | null; // hs_email_from_email
  toEmails: string[]; // hs_email_to_email split on ";", in header order
  ccEmails: string[]; // hs_email_cc_email [OBS]
  threadId: string | null; // hs_email_thread_id [OBS]
  openCount: number | null; // hs_email_open_count [OBS]
  clickCount: number | null; // hs_email_click_count [OBS]
  replyCount: number | null; // hs_email_reply_count [OBS]
};

export type Meeting = {
  id: string;
  title: string | null; // hs_meeting_title
  ownerId: string | null; // hubspot_owner_id
  startAt: EpochMs; // hs_meeting_start_time
  endAt: EpochMs; // hs_meeting_end_time
  outcome: string | null; // hs_meeting_outcome
  createdAt: EpochMs; // hs_createdate (taken as the booking time)
};

export type Note = {
  id: string;
  ownerId: string | null; // hubspot_owner_id
  at: EpochMs; // hs_timestamp
};

export type PipelineStage = {
  id: string;
  label: string;
  displayOrder: number;
  /** Stage `metadata.isClosed === "true"`. */
  isClosed: boolean;
};
export type Pipeline = { id: string; label: string; stages: PipelineStage[] };

export type LifecycleStageOption = {
  value: string;
  label: string;
  displayOrder: number;
  hidden?: boolean;
};

export type Owner = {
  id: string;
  userId: string | null;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
};

/**
 * Associations per pair of object types, in whichever direction the data plan read them:
 * `associations.calls.contacts['88'] = ['1']`. The engine indexes both directions once.
 */
export type AssociationMap = Partial<Record<ObjectType, Partial<Record<ObjectType, Record<string, readonly string[]>>>>>;

export type GuidedActionsInput = {
  portal: Portal;
  rep: Rep;
  contacts: Contact[];
  companies: Company[];
  deals: Deal[];
  leads: Lead[];
  tasks: Task[];
  calls: Call[];
  emails: Email[];
  meetings: Meeting[];
  notes: Note[];
  associations: AssociationMap;
  pipelines: { deals: Pipeline[]; leads: Pipeline[] };
  /** Options of the contact property `lifecyclestage`. */
  lifecycleStages: LifecycleStageOption[];
  owners?: Owner[];
};
