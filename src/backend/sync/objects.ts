// What the portal copy holds: the object types the features read, the properties of each, the
// associations read with them and, for activity, the time window kept (docs/decisions/0007).
// sync/ sits below services/ (services read the copy), so the lists are spelled out here; a test
// checks they cover every property the services read.

export const DAY_MS = 86_400_000;

/**
 * Days of engagements kept: the widest window a feature reads. Guided actions look back at most
 * 30 days (newlyAssigned / reengagement windows, settings.ts); the default health profile's
 * engagement criteria 90 days, plus the 30 days of history backfilled after install.
 */
export const ENGAGEMENT_WINDOW_DAYS = 120;

/** The four standard record types engagements and tasks are associated with. */
const RECORDS = ['contacts', 'companies', 'deals', 'tickets'];

export type SyncObject = {
  objectType: string;
  /** Property of the last modification, for polls (contacts differ: hubspot-sync.md §4). */
  modifiedProperty: 'lastmodifieddate' | 'hs_lastmodifieddate';
  properties: string[];
  /** Types whose associations with this type's records are read (from this side). */
  associations: string[];
  /**
   * Activity: only records inside ENGAGEMENT_WINDOW_DAYS (on `windowProperty`) are loaded — and,
   * for tasks, every open one whatever its date (the buckets list old overdue tasks).
   */
  windowProperty?: string;
  openStatus?: { property: string; closed: string };
};

const PROPS = {
  contacts: [
    'firstname',
    'lastname',
    'email',
    'hubspot_owner_assigneddate',
    'lifecyclestage',
    'hs_latest_disqualified_lead_date',
    'recent_conversion_date',
    'hs_sales_email_last_opened',
    'hs_sales_email_last_clicked',
    // The Feed (CS-FEED-1..2): replies and sequence enrolment.
    'hs_sales_email_last_replied',
    'hs_sequences_is_enrolled',
    'hs_merged_object_ids',
  ],
  companies: ['name', 'domain', 'hs_is_target_account', 'hs_merged_object_ids'],
  deals: ['dealname', 'hubspot_owner_assigneddate', 'pipeline', 'dealstage', 'hs_next_step', 'amount', 'closedate', 'hs_merged_object_ids'],
  leads: [
    'hs_lead_name',
    'hubspot_owner_assigneddate',
    'hs_pipeline',
    'hs_pipeline_stage',
    'hs_pipeline_stage_last_updated',
    'hs_primary_contact_id',
  ],
  tickets: ['subject', 'hs_pipeline', 'hs_pipeline_stage', 'hs_ticket_priority', 'closed_date', 'hs_merged_object_ids'],
  tasks: [
    'hs_task_subject',
    'hs_timestamp',
    'hs_task_status',
    'hs_task_priority',
    'hs_task_type',
    'hs_task_is_all_day',
    'hs_task_completion_date',
    'hs_task_sequence_step_order',
    'hs_task_sequence_step_enrollment_id',
    // SW-2: the enrolled contact, whose latest enrollment names the sequence (reference §3.8).
    'hs_task_sequence_step_enrollment_contact_id',
  ],
  calls: [
    'hs_call_title',
    'hs_timestamp',
    'hs_call_duration',
    'hs_call_status',
    'hs_call_disposition',
    'hs_call_source',
    'hs_call_direction',
  ],
  emails: [
    'hs_email_subject',
    'hs_email_direction',
    'hs_timestamp',
    'hs_email_from_email',
    'hs_email_to_email',
    'hs_email_cc_email',
    'hs_email_thread_id',
    'hs_email_open_count',
    'hs_email_click_count',
    'hs_email_reply_count',
  ],
  meetings: [
    'hs_meeting_title',
    'hs_timestamp',
    'hs_meeting_start_time',
    'hs_meeting_end_time',
    'hs_meeting_outcome',
    // The Schedule's meeting summary and "start meeting" (CS-SCH-2).
    'hs_meeting_external_url',
    'hs_meeting_location',
    'hs_meeting_body',
  ],
  notes: ['hs_timestamp'],
  services: ['hs_name', 'hs_pipeline', 'hs_pipeline_stage'],
} as const;

const uniq = (...lists: (readonly string[])[]) => [...new Set(lists.flat())].sort();
const common = (modified: string) => ['hubspot_owner_id', 'hs_createdate', 'createdate', modified];

export const SYNC_OBJECTS: readonly SyncObject[] = [
  {
    objectType: 'tasks',
    modifiedProperty: 'hs_lastmodifieddate',
    properties: uniq(PROPS.tasks, common('hs_lastmodifieddate')),
    associations: [...RECORDS, 'leads'],
    windowProperty: 'hs_createdate',
    openStatus: { property: 'hs_task_status', closed: 'COMPLETED' },
  },
  {
    objectType: 'contacts',
    modifiedProperty: 'lastmodifieddate',
    properties: uniq(PROPS.contacts, common('lastmodifieddate')),
    associations: ['companies'],
  },
  {
    objectType: 'companies',
    modifiedProperty: 'hs_lastmodifieddate',
    properties: uniq(PROPS.companies, common('hs_lastmodifieddate')),
    associations: [],
  },
  {
    objectType: 'deals',
    modifiedProperty: 'hs_lastmodifieddate',
    properties: uniq(PROPS.deals, common('hs_lastmodifieddate')),
    associations: ['contacts', 'companies'],
  },
  {
    objectType: 'leads',
    modifiedProperty: 'hs_lastmodifieddate',
    properties: uniq(PROPS.leads, common('hs_lastmodifieddate')),
    associations: ['contacts', 'companies'],
  },
  {
    objectType: 'tickets',
    modifiedProperty: 'hs_lastmodifieddate',
    properties: uniq(PROPS.tickets, common('hs_lastmodifieddate')),
    associations: ['contacts', 'companies'],
  },
  ...(['calls', 'emails', 'meetings', 'notes'] as const).map((t): SyncObject => ({
    objectType: t,
    modifiedProperty: 'hs_lastmodifieddate',
    properties: uniq(PROPS[t], common('hs_lastmodifieddate')),
    associations: [...RECORDS, 'leads'],
    windowProperty: 'hs_timestamp',
  })),
  {
    // Services (0-162): customers' service records, read by health profiles on services.
    objectType: '0-162',
    modifiedProperty: 'hs_lastmodifieddate',
    properties: uniq(PROPS.services, common('hs_lastmodifieddate')),
    associations: ['contacts', 'companies'],
  },
];

/** Settings key: the custom object types (e.g. "2-123456") the copy also holds. */
export const CUSTOM_OBJECTS_SETTING = 'sync.customObjects';

/** Types whose pipelines the copy keeps. */
export const PIPELINE_TYPES = ['deals', 'tickets', 'leads', '0-162'];

/** A custom object chosen in settings: every property, associations with contacts and companies. */
export function customObject(objectType: string, properties: string[]): SyncObject {
  return {
    objectType,
    modifiedProperty: 'hs_lastmodifieddate',
    properties: uniq(properties, common('hs_lastmodifieddate')),
    associations: ['contacts', 'companies'],
  };
}

export function syncObjectOf(objectType: string, custom: readonly SyncObject[] = []): SyncObject | undefined {
  return SYNC_OBJECTS.find((o) => o.objectType === objectType) ?? custom.find((o) => o.objectType === objectType);
}

// Webhook events name types by objectTypeId (generic format) or singular name (legacy format).
const TYPE_ALIASES: Record<string, string> = {
  '0-1': 'contacts',
  contact: 'contacts',
  '0-2': 'companies',
  company: 'companies',
  '0-3': 'deals',
  deal: 'deals',
  '0-5': 'tickets',
  ticket: 'tickets',
  '0-27': 'tasks',
  task: 'tasks',
  '0-48': 'calls',
  call: 'calls',
  '0-49': 'emails',
  email: 'emails',
  '0-47': 'meetings',
  meeting: 'meetings',
  meeting_event: 'meetings',
  '0-46': 'notes',
  note: 'notes',
  '0-136': 'leads',
  lead: 'leads',
  services: '0-162',
  service: '0-162',
};

/** The copy's name for an object type as HubSpot or a caller spells it ("0-1", "contact", "contacts"). */
export function normalizeObjectType(objectType: string): string {
  const t = objectType.trim().toLowerCase();
  return TYPE_ALIASES[t] ?? t;
}
