// The gateway's own types: nothing from @hubspot/api-client leaks past crm/.

export type PropertyValue = string | null;

export type CrmRecord = {
  id: string;
  properties: Record<string, PropertyValue>;
  createdAt: string;
  updatedAt: string;
  archived?: boolean;
  propertiesWithHistory?: Record<string, { value: string; timestamp: string }[]>;
};

export type FilterOperator =
  | 'EQ'
  | 'NEQ'
  | 'LT'
  | 'LTE'
  | 'GT'
  | 'GTE'
  | 'BETWEEN'
  | 'IN'
  | 'NOT_IN'
  | 'HAS_PROPERTY'
  | 'NOT_HAS_PROPERTY'
  | 'CONTAINS_TOKEN'
  | 'NOT_CONTAINS_TOKEN';

export type Filter = {
  propertyName: string;
  operator: FilterOperator;
  value?: string;
  highValue?: string;
  values?: string[];
};

export type SearchRequest = {
  filterGroups: { filters: Filter[] }[];
  sorts?: { propertyName: string; direction: 'ASCENDING' | 'DESCENDING' }[];
  properties: string[];
  limit?: number;
  after?: string;
  query?: string;
};

export type SearchPage = { total: number; results: CrmRecord[]; after: string | null };

/** A scan page: `lastId` is where the next page starts; `done` when no page follows. */
export type ScanPage = { total: number; results: CrmRecord[]; lastId: string | null; done: boolean };

export type ListPage = { results: CrmRecord[]; after: string | null };

/** One associated record seen from the record read: its id, the pair's type ids and labels. */
export type AssociationPair = { toId: string; typeIds: number[]; labels: string[] };

export type Owner = {
  id: string;
  userId: number | null;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  archived: boolean;
  /** The owner's teams (the owners API's teams[]); absent where an owner was built without them. */
  teams?: { id: string; name: string }[];
};

/** Who may use the portal, from the settings users API: every user, and the super admins (managers). */
export type UserAccess = { userIds: number[]; superAdminIds: number[] };

export type HubSpotUser = { id: string; userId: number | null; timeZone: string | null };

export type PipelineStage = { id: string; label: string; displayOrder: number; metadata: Record<string, string> };
export type Pipeline = { id: string; label: string; displayOrder: number; stages: PipelineStage[] };

export type PropertyDefinition = {
  name: string;
  label: string;
  type: string;
  fieldType: string;
  options: { label: string; value: string; displayOrder: number; hidden: boolean }[];
  /** "OWNER" on "HubSpot user" properties (hubspot_owner_id and custom user properties); absent otherwise. */
  referencedObjectType?: string;
  /** Set when HubSpot computes the value or forbids writing it (`calculated`, `modificationMetadata.readOnlyValue`). */
  readOnly?: true;
};

export type AccountInfo = { portalId: number; timeZone: string };

/** What a call was for, so the meter can report calls by kind. */
export type CallKind = 'search' | 'read' | 'batch' | 'associations' | 'metadata' | 'write';

/** A record to create: its properties and the records it is associated with (HUBSPOT_DEFINED type ids). */
export type RecordCreate = { properties: Record<string, string>; associations?: { toId: string; typeId: number }[] };

/** What a batch update changed; `missing` are the ids HubSpot does not know (its 207 errors). */
export type BatchUpdateResult = { results: CrmRecord[]; missing: string[] };

/** A contact's latest sequence enrollment (reference §3.8: the API answers that one only). */
export type SequenceEnrollment = { id: string; sequenceId: string; sequenceName: string };

/** One of a user's sequences (GET /automation/v4/sequences?userId=). */
export type Sequence = { id: string; name: string; userId: string | null };
