// HubSpot object types the sandbox models.
// Ids: reference hubspot-crm-data.md §1.1 (object type ids); default properties returned when
// `properties` is not sent: HubSpot's search guide ("default properties") — reference §1.1, §2.2.

export type ObjectTypeInfo = {
  name: string; // plural API name, e.g. "contacts"
  id: string; // object type id, e.g. "0-1"
  singular: string; // for `associations.<singular>` search pseudo-properties
  createdProp: 'createdate' | 'hs_createdate';
  modifiedProp: 'lastmodifieddate' | 'hs_lastmodifieddate';
  defaultProperties: string[];
  custom?: boolean;
};

const ENGAGEMENT_DEFAULTS = ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'];

const BUILTIN: ObjectTypeInfo[] = [
  {
    name: 'contacts',
    id: '0-1',
    singular: 'contact',
    createdProp: 'createdate',
    modifiedProp: 'lastmodifieddate',
    defaultProperties: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
  },
  {
    name: 'companies',
    id: '0-2',
    singular: 'company',
    createdProp: 'createdate',
    modifiedProp: 'hs_lastmodifieddate',
    defaultProperties: ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name'],
  },
  {
    name: 'deals',
    id: '0-3',
    singular: 'deal',
    createdProp: 'createdate',
    modifiedProp: 'hs_lastmodifieddate',
    defaultProperties: ['amount', 'closedate', 'createdate', 'dealname', 'dealstage', 'hs_lastmodifieddate', 'hs_object_id', 'pipeline'],
  },
  {
    name: 'tickets',
    id: '0-5',
    singular: 'ticket',
    createdProp: 'createdate',
    modifiedProp: 'hs_lastmodifieddate',
    defaultProperties: [
      'content',
      'createdate',
      'hs_lastmodifieddate',
      'hs_object_id',
      'hs_pipeline',
      'hs_pipeline_stage',
      'hs_ticket_category',
      'hs_ticket_priority',
      'subject',
    ],
  },
  {
    name: 'tasks',
    id: '0-27',
    singular: 'task',
    createdProp: 'hs_createdate',
    modifiedProp: 'hs_lastmodifieddate',
    defaultProperties: ENGAGEMENT_DEFAULTS,
  },
  {
    name: 'notes',
    id: '0-46',
    singular: 'note',
    createdProp: 'hs_createdate',
    modifiedProp: 'hs_lastmodifieddate',
    defaultProperties: ENGAGEMENT_DEFAULTS,
  },
  {
    name: 'meetings',
    id: '0-47',
    singular: 'meeting',
    createdProp: 'hs_createdate',
    modifiedProp: 'hs_lastmodifieddate',
    defaultProperties: ENGAGEMENT_DEFAULTS,
  },
  {
    name: 'calls',
    id: '0-48',
    singular: 'call',
    createdProp: 'hs_createdate',
    modifiedProp: 'hs_lastmodifieddate',
    defaultProperties: ENGAGEMENT_DEFAULTS,
  },
  {
    name: 'emails',
    id: '0-49',
    singular: 'email',
    createdProp: 'hs_createdate',
    modifiedProp: 'hs_lastmodifieddate',
    defaultProperties: ENGAGEMENT_DEFAULTS,
  },
  {
    name: 'users',
    id: '0-115',
    singular: 'user',
    createdProp: 'hs_createdate',
    modifiedProp: 'hs_lastmodifieddate',
    defaultProperties: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  },
  {
    name: 'leads',
    id: '0-136',
    singular: 'lead',
    createdProp: 'hs_createdate',
    modifiedProp: 'hs_lastmodifieddate',
    defaultProperties: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  },
  {
    name: 'services',
    id: '0-162',
    singular: 'service',
    createdProp: 'hs_createdate',
    modifiedProp: 'hs_lastmodifieddate',
    defaultProperties: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  },
];

const byKey = new Map<string, ObjectTypeInfo>();
for (const t of BUILTIN) {
  byKey.set(t.name, t);
  byKey.set(t.id, t);
}
// HubSpot also accepts the singular names in paths (e.g. /crm/v3/objects/contact).
for (const t of BUILTIN) if (!byKey.has(t.singular)) byKey.set(t.singular, t);

export const ENGAGEMENT_TYPES = ['calls', 'emails', 'meetings', 'notes', 'tasks'] as const;
export const BUILTIN_TYPES: readonly ObjectTypeInfo[] = BUILTIN;

const CUSTOM_ID = /^2-\d+$/;

/** Resolves an object type name or id ("contacts", "0-1", "2-1234") to its info, or undefined. */
export function resolveObjectType(key: string): ObjectTypeInfo | undefined {
  const k = key.toLowerCase();
  const hit = byKey.get(k);
  if (hit) return hit;
  if (CUSTOM_ID.test(k)) {
    return {
      name: k,
      id: k,
      singular: k,
      createdProp: 'hs_createdate',
      modifiedProp: 'hs_lastmodifieddate',
      defaultProperties: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
      custom: true,
    };
  }
  return undefined;
}

export function isEngagement(t: ObjectTypeInfo): boolean {
  return (ENGAGEMENT_TYPES as readonly string[]).includes(t.name);
}
