// HubSpot's built-in definitions the sandbox serves: default properties, pipelines, call
// outcomes and association types. Facts: reference hubspot-crm-data.md (section per block).
import type { FixturePipeline } from './fixture';

export type PropType = 'string' | 'number' | 'date' | 'datetime' | 'enumeration' | 'bool' | 'phone_number' | 'object_coordinates' | 'json';
export type OptionDef = { label: string; value: string; displayOrder?: number; hidden: boolean; description?: string };
export type PropDef = {
  name: string;
  label: string;
  type: PropType;
  fieldType: string;
  groupName: string;
  description: string;
  options: OptionDef[];
  displayOrder?: number;
  hasUniqueValue?: boolean;
  hidden?: boolean;
  calculated?: boolean;
  externalOptions?: boolean;
  formField?: boolean;
  readOnly?: boolean;
  hubspotDefined: boolean;
};

const FIELD: Record<PropType, string> = {
  string: 'text',
  number: 'number',
  date: 'date',
  datetime: 'date',
  enumeration: 'select',
  bool: 'booleancheckbox',
  phone_number: 'phonenumber',
  object_coordinates: 'text',
  json: 'text',
};

function label(name: string): string {
  const s = name.replace(/^hs_/, '').replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}
function opts(values: (string | [string, string])[]): OptionDef[] {
  return values.map((v, i) => {
    const [value, lab] = Array.isArray(v) ? v : [v, label(v.toLowerCase())];
    return { label: lab, value, displayOrder: i, hidden: false };
  });
}
const BOOL_OPTS: OptionDef[] = [
  { label: 'True', value: 'true', displayOrder: 0, hidden: false },
  { label: 'False', value: 'false', displayOrder: 1, hidden: false },
];

type Spec = [name: string, type: PropType, extra?: Partial<PropDef>];

const COMMON: Spec[] = [
  ['hs_object_id', 'number', { calculated: true, readOnly: true }],
  ['hubspot_owner_id', 'enumeration', { externalOptions: true, label: 'Owner' }],
  ['hubspot_owner_assigneddate', 'datetime', { readOnly: true }],
  ['hubspot_team_id', 'enumeration', { externalOptions: true }],
];
const CREATED_MODIFIED_HS: Spec[] = [
  ['hs_createdate', 'datetime', { readOnly: true }],
  ['hs_lastmodifieddate', 'datetime', { readOnly: true }],
];

// reference §1.2 (tasks), §1.3 (calls), §1.4 (emails), §1.5 (meetings), §1.6 (notes)
export const CALL_DISPOSITIONS: { id: string; label: string }[] = [
  { id: '9d9162e7-6cf3-4944-bf63-4dff82258764', label: 'Busy' },
  { id: 'f240bbac-87c9-4f6e-bf70-924b57d47db7', label: 'Connected' },
  { id: 'a4c4c377-d246-4b32-a13b-75a56a4cd0ff', label: 'Left live message' },
  { id: 'b2cf5968-551e-4856-9783-52b3da59a7d0', label: 'Left voicemail' },
  { id: '73a0d17f-1163-4015-bdd5-ec830791da20', label: 'No answer' },
  { id: '17b47fee-58de-441e-a44c-c6300d46f273', label: 'Wrong number' },
];

const ENGAGEMENT: Spec[] = [
  ...CREATED_MODIFIED_HS,
  ['hs_timestamp', 'datetime'],
  ['hs_attachment_ids', 'enumeration', { externalOptions: true }],
];

const SPECS: Record<string, Spec[]> = {
  contacts: [
    ['createdate', 'datetime', { readOnly: true }],
    ['lastmodifieddate', 'datetime', { readOnly: true }],
    ['email', 'string', { hasUniqueValue: false }],
    ['firstname', 'string'],
    ['lastname', 'string'],
    ['phone', 'phone_number'],
    ['mobilephone', 'phone_number'],
    ['company', 'string'],
    ['jobtitle', 'string'],
    ['hs_email_domain', 'string', { readOnly: true }],
    ['hs_additional_emails', 'enumeration', { externalOptions: true }],
    // reference §2.1: default lifecycle values, ordered by displayOrder
    [
      'lifecyclestage',
      'enumeration',
      {
        fieldType: 'radio',
        options: opts([
          ['subscriber', 'Subscriber'],
          ['lead', 'Lead'],
          ['marketingqualifiedlead', 'Marketing Qualified Lead'],
          ['salesqualifiedlead', 'Sales Qualified Lead'],
          ['opportunity', 'Opportunity'],
          ['customer', 'Customer'],
          ['evangelist', 'Evangelist'],
          ['other', 'Other'],
        ]),
      },
    ],
    [
      'hs_lead_status',
      'enumeration',
      {
        fieldType: 'radio',
        options: opts([
          ['NEW', 'New'],
          ['OPEN', 'Open'],
          ['IN_PROGRESS', 'In Progress'],
          ['OPEN_DEAL', 'Open Deal'],
          ['UNQUALIFIED', 'Unqualified'],
          ['ATTEMPTED_TO_CONTACT', 'Attempted to Contact'],
          ['CONNECTED', 'Connected'],
          ['BAD_TIMING', 'Bad Timing'],
        ]),
      },
    ],
    ['notes_last_contacted', 'datetime'],
    ['notes_last_updated', 'datetime'],
    ['notes_next_activity_date', 'datetime'],
    ['num_contacted_notes', 'number'],
    ['num_notes', 'number'],
    ['num_associated_deals', 'number', { calculated: true, readOnly: true }],
    ['hs_last_sales_activity_timestamp', 'datetime'],
    ['hs_latest_meeting_activity', 'datetime'],
    ['hs_sales_email_last_replied', 'datetime'],
    ['hs_sales_email_last_opened', 'datetime'],
    ['hs_sales_email_last_clicked', 'datetime'],
    ['hs_latest_disqualified_lead_date', 'datetime'],
    ['hs_latest_open_lead_date', 'datetime'],
    ['hs_latest_qualified_lead_date', 'datetime'],
    ['hs_sequences_is_enrolled', 'bool'],
    ['hs_sequences_actively_enrolled_count', 'number'],
    ['hs_sequences_enrolled_count', 'number'],
    ['hs_latest_sequence_enrolled', 'string'],
    ['hs_latest_sequence_enrolled_date', 'datetime'],
    ['hs_latest_sequence_ended_date', 'datetime'],
    ['hs_latest_sequence_finished_date', 'datetime'],
    ['hs_latest_sequence_unenrolled_date', 'datetime'],
    ['recent_conversion_date', 'datetime'],
    ['hs_is_unworked', 'bool'],
    ['hs_pipeline', 'enumeration', { externalOptions: true }],
  ],
  companies: [
    ['createdate', 'datetime', { readOnly: true }],
    ['hs_lastmodifieddate', 'datetime', { readOnly: true }],
    ['name', 'string'],
    ['domain', 'string'],
    ['website', 'string'],
    ['phone', 'phone_number'],
    ['industry', 'string'],
    ['city', 'string'],
    ['country', 'string'],
    [
      'lifecyclestage',
      'enumeration',
      {
        fieldType: 'radio',
        options: opts([
          ['subscriber', 'Subscriber'],
          ['lead', 'Lead'],
          ['marketingqualifiedlead', 'Marketing Qualified Lead'],
          ['salesqualifiedlead', 'Sales Qualified Lead'],
          ['opportunity', 'Opportunity'],
          ['customer', 'Customer'],
          ['evangelist', 'Evangelist'],
          ['other', 'Other'],
        ]),
      },
    ],
    ['hs_is_target_account', 'bool'],
    ['num_associated_contacts', 'number', { calculated: true, readOnly: true }],
    ['num_associated_deals', 'number', { calculated: true, readOnly: true }],
    ['hs_num_open_deals', 'number'],
    ['recent_deal_amount', 'number'],
    ['recent_deal_close_date', 'datetime'],
    ['total_revenue', 'number'],
    ['notes_last_updated', 'datetime'],
    ['notes_last_contacted', 'datetime'],
    ['hs_last_sales_activity_timestamp', 'datetime'],
    ['hs_num_decision_makers', 'number'],
    ['hs_num_blockers', 'number'],
    ['hs_num_contacts_with_buying_roles', 'number'],
    [
      'hs_csm_sentiment',
      'enumeration',
      {
        options: opts([
          ['Positive', 'Positive'],
          ['Neutral', 'Neutral'],
          ['Negative', 'Negative'],
        ]),
      },
    ],
    [
      'hs_customer_success_ticket_sentiment',
      'enumeration',
      {
        options: opts([
          ['Positive', 'Positive'],
          ['Neutral', 'Neutral'],
          ['Negative', 'Negative'],
        ]),
      },
    ],
    ['annualrevenue', 'number'],
    ['numberofemployees', 'number'],
  ],
  deals: [
    ['createdate', 'datetime', { readOnly: true }],
    ['hs_lastmodifieddate', 'datetime', { readOnly: true }],
    ['dealname', 'string'],
    ['amount', 'number'],
    ['closedate', 'datetime'],
    ['pipeline', 'enumeration'],
    ['dealstage', 'enumeration'],
    [
      'dealtype',
      'enumeration',
      {
        fieldType: 'radio',
        options: opts([
          ['newbusiness', 'New Business'],
          ['existingbusiness', 'Existing Business'],
        ]),
      },
    ],
    ['description', 'string', { fieldType: 'textarea' }],
    ['hs_next_step', 'string', { fieldType: 'textarea' }],
    ['hs_is_closed', 'bool', { calculated: true, readOnly: true }],
    ['hs_is_closed_won', 'bool', { calculated: true, readOnly: true }],
    ['hs_is_closed_lost', 'bool', { calculated: true, readOnly: true }],
    ['hs_deal_stage_probability', 'number', { calculated: true, readOnly: true }],
    ['num_associated_contacts', 'number', { calculated: true, readOnly: true }],
    ['notes_last_updated', 'datetime'],
    ['notes_last_contacted', 'datetime'],
    ['notes_next_activity_date', 'datetime'],
    ['num_contacted_notes', 'number'],
    ['num_notes', 'number'],
    ['hs_latest_meeting_activity', 'datetime'],
    ['hs_sales_email_last_replied', 'datetime'],
    ['engagements_last_meeting_booked', 'datetime'],
  ],
  tickets: [
    ['createdate', 'datetime', { readOnly: true }],
    ['hs_lastmodifieddate', 'datetime', { readOnly: true }],
    ['subject', 'string'],
    ['content', 'string', { fieldType: 'textarea' }],
    ['hs_pipeline', 'enumeration'],
    ['hs_pipeline_stage', 'enumeration'],
    [
      'hs_ticket_priority',
      'enumeration',
      {
        options: opts([
          ['LOW', 'Low'],
          ['MEDIUM', 'Medium'],
          ['HIGH', 'High'],
          ['URGENT', 'Urgent'],
        ]),
      },
    ],
    [
      'hs_ticket_category',
      'enumeration',
      {
        fieldType: 'checkbox',
        options: opts([
          ['PRODUCT_ISSUE', 'Product issue'],
          ['BILLING_ISSUE', 'Billing issue'],
          ['FEATURE_REQUEST', 'Feature request'],
          ['GENERAL_INQUIRY', 'General inquiry'],
        ]),
      },
    ],
    ['closed_date', 'datetime'],
    ['time_to_close', 'number'],
  ],
  tasks: [
    ...ENGAGEMENT,
    ['hs_task_subject', 'string'],
    ['hs_task_body', 'string', { fieldType: 'textarea' }],
    [
      'hs_task_status',
      'enumeration',
      {
        options: opts([
          ['NOT_STARTED', 'Not started'],
          ['IN_PROGRESS', 'In progress'],
          ['WAITING', 'Waiting'],
          ['COMPLETED', 'Completed'],
          ['DEFERRED', 'Deferred'],
        ]),
      },
    ],
    [
      'hs_task_priority',
      'enumeration',
      {
        options: opts([
          ['NONE', 'None'],
          ['LOW', 'Low'],
          ['MEDIUM', 'Medium'],
          ['HIGH', 'High'],
        ]),
      },
    ],
    [
      'hs_task_type',
      'enumeration',
      {
        options: opts([
          ['EMAIL', 'Email'],
          ['CALL', 'Call'],
          ['TODO', 'To-do'],
          ['LINKED_IN_CONNECT', 'LinkedIn connect'],
          ['LINKED_IN_MESSAGE', 'LinkedIn message'],
          ['MEETING', 'Meeting'],
        ]),
      },
    ],
    ['hs_task_reminders', 'enumeration', { externalOptions: true }],
    ['hs_task_completion_date', 'datetime'],
    ['hs_task_is_completed', 'number', { calculated: true, readOnly: true }],
    ['hs_task_is_overdue', 'bool', { calculated: true, readOnly: true }],
    ['hs_task_is_past_due_date', 'bool', { calculated: true, readOnly: true }],
    ['hs_task_is_all_day', 'bool'],
    ['hs_task_completion_count', 'number'],
    ['hs_task_for_object_type', 'enumeration', { externalOptions: true }],
    ['hs_task_family', 'enumeration', { externalOptions: true }],
    ['hs_queue_membership_ids', 'enumeration', { externalOptions: true }],
    ['hs_task_sequence_step_order', 'number'],
    ['hs_task_sequence_step_enrollment_id', 'string'],
    ['hs_task_sequence_enrollment_active', 'bool'],
    ['hs_task_sequence_step_enrollment_contact_id', 'string'],
    ['hs_task_is_completed_sequence', 'bool'],
  ],
  calls: [
    ...ENGAGEMENT,
    ['hs_call_title', 'string'],
    ['hs_call_body', 'string', { fieldType: 'textarea' }],
    ['hs_call_duration', 'number'],
    ['hs_call_from_number', 'string'],
    ['hs_call_to_number', 'string'],
    ['hs_call_recording_url', 'string'],
    ['hs_call_callee_object_id', 'number'],
    ['hs_call_callee_object_type', 'enumeration', { externalOptions: true }],
    ['hs_call_has_voicemail', 'bool'],
    ['hs_activity_type', 'enumeration', { externalOptions: true }],
    [
      'hs_call_status',
      'enumeration',
      {
        options: opts([
          'BUSY',
          'CALLING_CRM_USER',
          'CANCELED',
          'COMPLETED',
          'CONNECTING',
          'FAILED',
          'IN_PROGRESS',
          'MISSED',
          'NO_ANSWER',
          'QUEUED',
          'RINGING',
        ]),
      },
    ],
    [
      'hs_call_direction',
      'enumeration',
      {
        options: opts([
          ['INBOUND', 'Inbound'],
          ['OUTBOUND', 'Outbound'],
        ]),
      },
    ],
    // hs_call_disposition options are filled per portal (defaults + fixture outcomes)
    ['hs_call_disposition', 'enumeration', { label: 'Call outcome' }],
    // reference §1.3: VOIP = HubSpot calling, INTEGRATIONS_PLATFORM = calling apps, CRM_UI = logged [OBS]
    [
      'hs_call_source',
      'enumeration',
      {
        options: opts([
          ['VOIP', 'HubSpot calling'],
          ['INTEGRATIONS_PLATFORM', 'Integrations platform'],
          ['CRM_UI', 'CRM UI'],
        ]),
      },
    ],
  ],
  emails: [
    ...ENGAGEMENT,
    ['hs_email_subject', 'string'],
    ['hs_email_text', 'string', { fieldType: 'textarea' }],
    ['hs_email_html', 'string', { fieldType: 'html' }],
    ['hs_body_preview', 'string', { readOnly: true }],
    ['hs_body_preview_html', 'string', { readOnly: true }],
    [
      'hs_email_direction',
      'enumeration',
      {
        options: opts([
          ['EMAIL', 'Email sent from CRM'],
          ['INCOMING_EMAIL', 'Reply'],
          ['FORWARDED_EMAIL', 'Forwarded'],
        ]),
      },
    ],
    ['hs_email_status', 'enumeration', { options: opts(['BOUNCED', 'FAILED', 'SCHEDULED', 'SENDING', 'SENT']) }],
    ['hs_email_headers', 'string'],
    ['hs_email_from_email', 'string', { readOnly: true }],
    ['hs_email_from_firstname', 'string', { readOnly: true }],
    ['hs_email_from_lastname', 'string', { readOnly: true }],
    ['hs_email_to_email', 'string', { readOnly: true }],
    ['hs_email_to_firstname', 'string', { readOnly: true }],
    ['hs_email_to_lastname', 'string', { readOnly: true }],
    ['hs_email_cc_email', 'string'],
    ['hs_email_bcc_email', 'string'],
    ['hs_email_thread_id', 'string'],
    ['hs_email_headers_message_id', 'string'],
    ['hs_email_headers_in_reply_to', 'string'],
    ['hs_email_sent_via', 'string'],
    ['hs_email_logged_from', 'string'],
    ['hs_incoming_email_is_out_of_office', 'bool'],
    ['hs_email_open_count', 'number'],
    ['hs_email_click_count', 'number'],
    ['hs_email_reply_count', 'number'],
    ['hs_email_tracker_key', 'string'],
    ['hs_sequence_id', 'string'],
  ],
  meetings: [
    ...ENGAGEMENT,
    ['hs_meeting_title', 'string'],
    ['hs_meeting_body', 'string', { fieldType: 'textarea' }],
    ['hs_internal_meeting_notes', 'string', { fieldType: 'textarea' }],
    ['hs_meeting_location', 'string'],
    ['hs_meeting_external_url', 'string'],
    ['hs_activity_type', 'enumeration', { externalOptions: true }],
    ['hs_meeting_start_time', 'datetime'],
    ['hs_meeting_end_time', 'datetime'],
    [
      'hs_meeting_outcome',
      'enumeration',
      {
        options: opts([
          ['SCHEDULED', 'Scheduled'],
          ['COMPLETED', 'Completed'],
          ['RESCHEDULED', 'Rescheduled'],
          ['NO_SHOW', 'No show'],
          ['CANCELED', 'Canceled'],
        ]),
      },
    ],
    ['hs_meeting_source', 'enumeration', { externalOptions: true }],
  ],
  notes: [...ENGAGEMENT, ['hs_note_body', 'string', { fieldType: 'html' }]],
  users: [
    ...CREATED_MODIFIED_HS,
    // reference §3.6: hs_internal_user_id is the id owners report as userId
    ['hs_internal_user_id', 'number', { readOnly: true }],
    ['hs_standard_time_zone', 'string'],
    ['hs_email', 'string'],
    ['hs_given_name', 'string'],
    ['hs_family_name', 'string'],
    ['hs_working_hours', 'string'],
    ['hs_job_title', 'string'],
    ['hs_user_assigned_primary_team', 'number'],
  ],
  leads: [
    ...CREATED_MODIFIED_HS,
    // reference §2.4
    ['hs_lead_name', 'string'],
    [
      'hs_lead_type',
      'enumeration',
      {
        options: opts([
          ['NEW BUSINESS', 'New Business'],
          ['UPSELL', 'Upsell'],
          ['RE_ATTEMPTING', 'Re-attempting'],
        ]),
      },
    ],
    [
      'hs_lead_label',
      'enumeration',
      {
        options: opts([
          ['WARM', 'Warm'],
          ['HOT', 'Hot'],
          ['COLD', 'Cold'],
        ]),
      },
    ],
    ['hs_pipeline', 'enumeration'],
    ['hs_pipeline_stage', 'enumeration'],
    ['hs_lead_is_new', 'bool', { calculated: true, readOnly: true }],
    ['hs_lead_is_in_progress', 'bool', { calculated: true, readOnly: true }],
    ['hs_lead_is_open', 'bool', { calculated: true, readOnly: true }],
    ['hs_lead_is_qualified', 'bool', { calculated: true, readOnly: true }],
    ['hs_lead_is_disqualified', 'bool', { calculated: true, readOnly: true }],
    ['hs_lead_disqualification_reason', 'string'],
    ['hs_lead_disqualification_note', 'string'],
    ['hs_pipeline_stage_last_updated', 'datetime'],
    ['hs_primary_contact_id', 'number'],
    ['hs_associated_company_name', 'string'],
    ['hs_lead_associated_deals_count', 'number'],
  ],
  services: [
    ...CREATED_MODIFIED_HS,
    ['hs_name', 'string'],
    ['hs_pipeline', 'enumeration'],
    ['hs_pipeline_stage', 'enumeration'],
    ['hs_description', 'string'],
  ],
};

/** Default property definitions for a built-in object type (custom objects get the system ones). */
export function defaultProperties(typeName: string): PropDef[] {
  const specs = [...COMMON, ...(SPECS[typeName] ?? CREATED_MODIFIED_HS)];
  const seen = new Set<string>();
  const out: PropDef[] = [];
  for (const [name, type, extra] of specs) {
    if (seen.has(name)) continue;
    seen.add(name);
    out.push({
      name,
      type,
      label: extra?.label ?? label(name),
      fieldType: extra?.fieldType ?? (type === 'enumeration' && name === 'hubspot_owner_id' ? 'select' : FIELD[type]),
      groupName: `${typeName.replace(/s$/, '')}information`,
      description: '',
      options: extra?.options ?? (type === 'bool' ? BOOL_OPTS : []),
      ...stripped(extra),
      hubspotDefined: true,
    });
  }
  return out;
}
function stripped(extra?: Partial<PropDef>): Partial<PropDef> {
  if (!extra) return {};
  const { label: _l, fieldType: _f, options: _o, ...rest } = extra;
  return rest;
}

/** Type of a built-in property, for fixture validation; undefined when unknown. */
const typeMaps = new Map<string, Map<string, PropType>>();
export function builtinPropertyType(typeName: string, name: string): PropType | undefined {
  let m = typeMaps.get(typeName);
  if (!m) {
    m = new Map();
    for (const [n, t] of [...COMMON, ...(SPECS[typeName] ?? CREATED_MODIFIED_HS)]) if (!m.has(n)) m.set(n, t);
    typeMaps.set(typeName, m);
  }
  return m.get(name);
}

// Searchable text properties used by the `query` field (HubSpot's search guide, "default searchable properties").
export const QUERY_PROPERTIES: Record<string, string[]> = {
  contacts: ['firstname', 'lastname', 'email', 'phone', 'hs_additional_emails', 'mobilephone', 'company', 'hs_object_id'],
  companies: ['name', 'domain', 'website', 'phone', 'hs_object_id'],
  deals: ['dealname', 'pipeline', 'dealstage', 'description', 'dealtype', 'hs_object_id'],
  tickets: ['subject', 'content', 'hs_pipeline_stage', 'hs_ticket_category', 'hs_ticket_id', 'hs_object_id'],
  tasks: ['hs_task_subject', 'hs_task_body', 'hs_object_id'],
  calls: ['hs_call_title', 'hs_call_body', 'hs_object_id'],
  emails: ['hs_email_subject', 'hs_email_text', 'hs_object_id'],
  meetings: ['hs_meeting_title', 'hs_meeting_body', 'hs_object_id'],
  notes: ['hs_note_body', 'hs_object_id'],
  leads: ['hs_lead_name', 'hs_object_id'],
  services: ['hs_name', 'hs_object_id'],
  users: ['hs_email', 'hs_given_name', 'hs_family_name', 'hs_object_id'],
};

// --- pipelines (reference §2.3, §2.4) ---
const stage = (id: string, lab: string, order: number, metadata: Record<string, string>) => ({
  id,
  label: lab,
  displayOrder: order,
  metadata,
  archived: false,
});

export function defaultPipelines(typeName: string): FixturePipeline[] {
  switch (typeName) {
    case 'deals':
      return [
        {
          id: 'default',
          label: 'Sales Pipeline',
          displayOrder: 0,
          archived: false,
          stages: [
            stage('appointmentscheduled', 'Appointment Scheduled', 0, { isClosed: 'false', probability: '0.2' }),
            stage('qualifiedtobuy', 'Qualified To Buy', 1, { isClosed: 'false', probability: '0.4' }),
            stage('presentationscheduled', 'Presentation Scheduled', 2, { isClosed: 'false', probability: '0.6' }),
            stage('decisionmakerboughtin', 'Decision Maker Bought-In', 3, { isClosed: 'false', probability: '0.8' }),
            stage('contractsent', 'Contract Sent', 4, { isClosed: 'false', probability: '0.9' }),
            stage('closedwon', 'Closed Won', 5, { isClosed: 'true', probability: '1.0' }),
            stage('closedlost', 'Closed Lost', 6, { isClosed: 'true', probability: '0.0' }),
          ],
        },
      ];
    case 'leads':
      return [
        {
          id: 'lead-pipeline-id',
          label: 'Lead pipeline',
          displayOrder: 0,
          archived: false,
          stages: [
            stage('new-stage-id', 'New', 0, { leadState: 'OPEN', isClosed: 'false' }),
            stage('attempting-stage-id', 'Attempting', 1, { leadState: 'IN_PROGRESS', isClosed: 'false' }),
            stage('connected-stage-id', 'Connected', 2, { leadState: 'IN_PROGRESS', isClosed: 'false' }),
            stage('qualified-stage-id', 'Qualified', 3, { leadState: 'QUALIFIED', isClosed: 'true' }),
            stage('unqualified-stage-id', 'Disqualified', 4, { leadState: 'DISQUALIFIED', isClosed: 'true' }),
          ],
        },
      ];
    case 'tickets':
      return [
        {
          id: '0',
          label: 'Support Pipeline',
          displayOrder: 0,
          archived: false,
          stages: [
            stage('1', 'New', 0, { ticketState: 'OPEN', isClosed: 'false' }),
            stage('2', 'Waiting on contact', 1, { ticketState: 'OPEN', isClosed: 'false' }),
            stage('3', 'Waiting on us', 2, { ticketState: 'OPEN', isClosed: 'false' }),
            stage('4', 'Closed', 3, { ticketState: 'CLOSED', isClosed: 'true' }),
          ],
        },
      ];
    case 'services':
      return [
        {
          id: 'services-pipeline-id',
          label: 'Services pipeline',
          displayOrder: 0,
          archived: false,
          stages: [
            stage('planning-stage-id', 'Planning', 0, { isClosed: 'false' }),
            stage('in-progress-stage-id', 'In progress', 1, { isClosed: 'false' }),
            stage('on-hold-stage-id', 'On hold', 2, { isClosed: 'false' }),
            stage('completed-stage-id', 'Completed', 3, { isClosed: 'true' }),
          ],
        },
      ];
    default:
      return [];
  }
}

// --- association types (reference §1.7; SDK lib/src/enums/AssociationTypes.d.ts) ---
export type AssocTypeDef = {
  from: string;
  to: string;
  typeId: number;
  label: string | null;
  category: 'HUBSPOT_DEFINED' | 'USER_DEFINED' | 'INTEGRATOR_DEFINED';
  inverse: number;
  isDefault: boolean;
};

const PAIRS: [from: string, to: string, forward: number, reverse: number][] = [
  ['contacts', 'companies', 279, 280],
  ['contacts', 'deals', 4, 3],
  ['companies', 'deals', 342, 341],
  ['contacts', 'tickets', 15, 16],
  ['companies', 'tickets', 340, 339],
  ['deals', 'tickets', 27, 28],
  ['contacts', 'leads', 609, 608],
  ['companies', 'leads', 611, 610],
  ['deals', 'leads', 1038, 1037],
  ['calls', 'meetings', 399, 400],
  ['contacts', 'calls', 193, 194],
  ['contacts', 'emails', 197, 198],
  ['contacts', 'meetings', 199, 200],
  ['contacts', 'notes', 201, 202],
  ['contacts', 'tasks', 203, 204],
  ['companies', 'calls', 181, 182],
  ['companies', 'emails', 185, 186],
  ['companies', 'meetings', 187, 188],
  ['companies', 'notes', 189, 190],
  ['companies', 'tasks', 191, 192],
  ['deals', 'calls', 205, 206],
  ['deals', 'emails', 209, 210],
  ['deals', 'meetings', 211, 212],
  ['deals', 'notes', 213, 214],
  ['deals', 'tasks', 215, 216],
  ['tickets', 'calls', 219, 220],
  ['tickets', 'emails', 223, 224],
  ['tickets', 'meetings', 225, 226],
  ['tickets', 'notes', 227, 228],
  ['tickets', 'tasks', 229, 230],
  ['leads', 'calls', 596, 597],
  ['leads', 'meetings', 600, 601],
  ['leads', 'notes', 854, 855],
  ['leads', 'tasks', 646, 647],
  // reference §1.7: service→contact 798, →company 792, →deal 794; the reverse ids are not in the
  // reference [UNVERIFIED: 799/793/795 assumed]
  ['services', 'contacts', 798, 799],
  ['services', 'companies', 792, 793],
  ['services', 'deals', 794, 795],
];
// lead→email 598 exists; the email→lead id is not documented (reference §1.7) — modelled one-way

// Labelled HUBSPOT_DEFINED types (primary): [from, to, typeId, label, inverse typeId]
const PRIMARY: [string, string, number, string, number][] = [
  ['contacts', 'companies', 1, 'Primary', 280],
  ['companies', 'contacts', 2, 'Primary', 279],
  ['deals', 'companies', 5, 'Primary', 342],
  ['companies', 'deals', 6, 'Primary', 341],
  ['tickets', 'companies', 26, 'Primary', 340],
  ['companies', 'tickets', 25, 'Primary', 339],
  ['leads', 'contacts', 578, 'Primary', 609],
  ['leads', 'companies', 580, 'Primary', 611],
  ['leads', 'deals', 582, 'Primary', 1038],
  ['deals', 'leads', 583, 'Primary', 1037],
];

export function builtinAssociationTypes(): AssocTypeDef[] {
  const out: AssocTypeDef[] = [];
  for (const [f, t, fw, rv] of PAIRS) {
    out.push({ from: f, to: t, typeId: fw, label: null, category: 'HUBSPOT_DEFINED', inverse: rv, isDefault: true });
    out.push({ from: t, to: f, typeId: rv, label: null, category: 'HUBSPOT_DEFINED', inverse: fw, isDefault: true });
  }
  out.push({ from: 'leads', to: 'emails', typeId: 598, label: null, category: 'HUBSPOT_DEFINED', inverse: 0, isDefault: true });
  for (const [f, t, id, lab, inv] of PRIMARY)
    out.push({ from: f, to: t, typeId: id, label: lab, category: 'HUBSPOT_DEFINED', inverse: inv, isDefault: false });
  return out;
}
