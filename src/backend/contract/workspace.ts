// HTTP contract of the Customer Success settings and the object workspaces (issue 15). The UI
// imports only these types.
import type { HealthCategory } from './api';

/** Freshness of an answer computed from the portal copy (api.md "Freshness of every answer"). */
export type CopyFreshness = { dataAsOf: string; syncing?: { percent: number } };

/** A property as the settings and filter pickers offer it. */
export type PropertyChoice = { name: string; label: string; type: string; fieldType: string; options?: { label: string; value: string }[] };

/** CS-SET-1: which object is a customer and which of its properties hold the CSM and the renewal date. */
export type CustomersSettings = { objectType: string; csmProperty: string; renewalDateProperty: string | null };

export type SettingsChange = { changedAt: string; userId: number; before: unknown; after: unknown };

/** GET /api/v1/settings/customer-success (PUT takes { customers } and answers the same). */
export type CustomerSuccessSettingsResponse = {
  customers: CustomersSettings;
  /** What the pickers offer for the chosen object. */
  choices: CustomerSettingsChoices;
  /** Newest first, up to 20. */
  history: SettingsChange[];
};

export type CustomerSettingsChoices = {
  objects: { objectType: string; label: string }[];
  csmProperties: PropertyChoice[];
  renewalDateProperties: PropertyChoice[];
};

/** GET /api/v1/settings/customer-success/choices?objectType= — the pickers for another object. */
export type CustomerSettingsChoicesResponse = CustomerSettingsChoices;

export type WorkspaceFilterOperator =
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

export type WorkspacePropertyFilter = {
  propertyName: string;
  operator: WorkspaceFilterOperator;
  value?: string | number | boolean;
  values?: (string | number | boolean)[];
  highValue?: string | number | boolean;
};

/** Dates are ISO days (YYYY-MM-DD) in the portal's time zone, both ends included. */
export type WorkspaceDateRange = { from?: string; to?: string };

/** What a view or a request filters on; every part is ANDed. */
export type WorkspaceFilters = {
  /** CSM property value: an owner id, "me" (the viewed user's owner id) or "none" (unassigned). */
  owner?: string;
  createDate?: WorkspaceDateRange;
  lastActivity?: WorkspaceDateRange;
  properties?: WorkspacePropertyFilter[];
};

export type WorkspaceSortField = 'name' | 'createdate' | 'lastActivity' | 'owner' | 'renewalDate' | 'assignedAt' | string;
export type WorkspaceSort = { property: WorkspaceSortField; direction: 'ASC' | 'DESC' };

export type WorkspaceViewQuery = { filters: WorkspaceFilters; sort?: WorkspaceSort };

export type WorkspaceView = {
  id: string;
  name: string;
  kind: 'builtin' | 'custom';
  sharing: 'private' | 'everyone';
  /** Custom views: who created it; built-ins: null. */
  ownerUserId: number | null;
  query: WorkspaceViewQuery;
  /** Records the view holds for the viewed user. */
  count: number;
  /** Set when the view is one of the portal's defaults (Summary cards, CS-SUM-3). */
  default?: { description: string; position: number };
  /** Whether the caller may edit or delete it. */
  editable: boolean;
};

/** GET /api/v1/workspace/{workspace}/views */
export type WorkspaceViewsResponse = CopyFreshness & { views: WorkspaceView[] };

/** POST /api/v1/workspace/{workspace}/views, PUT …/views/{id} */
export type WorkspaceViewInput = { name: string; sharing: 'private' | 'everyone'; query: WorkspaceViewQuery };
export type WorkspaceViewResponse = { view: WorkspaceView };

/** PUT /api/v1/workspace/{workspace}/defaults (managers): at most six, in order. */
export type WorkspaceDefaultsInput = { defaults: { viewId: string; description: string }[] };

export type WorkspaceColumn = { key: string; label: string; type: string };

export type WorkspaceRow = {
  id: string;
  name: string;
  /** Values by column key, already read (dates as ISO, numbers as numbers). */
  values: Record<string, string | number | boolean | null>;
  owner: { id: string; name: string } | null;
  url: string;
  /** Services and Revenue: the record's pipeline and stage. */
  stage?: { pipelineId: string | null; stageId: string | null; label: string | null };
};

/** GET /api/v1/workspace/{workspace}?view=&filters=&sort=&after=&limit= */
export type WorkspaceRecordsResponse = CopyFreshness & {
  workspace: string;
  objectType: string;
  view: { id: string; name: string } | null;
  columns: WorkspaceColumn[];
  rows: WorkspaceRow[];
  total: number;
  paging?: { next: { after: string } };
};

/** GET /api/v1/workspace/{workspace}/records/{id} — the record preview (CS-CUS-3). */
export type WorkspacePreviewResponse = CopyFreshness & {
  objectType: string;
  id: string;
  name: string;
  url: string;
  properties: {
    name: string;
    label: string;
    value: string | number | boolean | null;
    type: string;
    /** The value as HubSpot stores it (an owner id for user properties): what the inline editor starts from. */
    raw?: string | null;
    /** False for properties HubSpot calculates (and properties the copy has no definition of). */
    editable?: boolean;
    fieldType?: string;
    /** The choices of an enumeration (its visible options) or of a user property (active owners). */
    options?: { label: string; value: string }[];
  }[];
  health: {
    score: number;
    category: HealthCategory;
    computedAt: string;
    profileId: string;
    drivers: { label: string; points: number; maxPoints: number }[];
  } | null;
  activities: { objectType: string; id: string; title: string; at: string | null }[];
  associations: { objectType: string; id: string; name: string; labels: string[]; url: string }[];
  /** Services and Revenue: where the record is, for the stage picker. */
  stage?: { pipelineId: string | null; stageId: string | null };
};

/** Filter metadata of a workspace: the properties and the operators allowed for each type. */
export type WorkspaceMetaResponse = CopyFreshness & {
  workspace: string;
  objectType: string;
  properties: PropertyChoice[];
  operatorsByType: Record<string, WorkspaceFilterOperator[]>;
  owners: { id: string; name: string }[];
};

/** PATCH /api/v1/workspace/{workspace}/records/{id} — one property edited inline (CS-CUS-3, CS-SRV-3). */
export type WorkspaceEditInput = { property: string; value: string | number | boolean | null };

/** A stage as the pipeline picker, the board and the stage picker show it. */
export type WorkspaceStage = {
  id: string;
  label: string;
  isClosed: boolean;
  /** Properties a record needs before it moves here (the settings' stage requirements), with what their editor needs. */
  requiredProperties: PropertyChoice[];
};

export type WorkspacePipeline = { id: string; label: string; stages: WorkspaceStage[] };

/** GET /api/v1/workspace/{workspace}/pipelines?object= — the pipelines a Services or Revenue workspace shows (CS-SRV-1). */
export type WorkspacePipelinesResponse = {
  workspace: string;
  objectType: string;
  /** Revenue: the configured objects, in their order (the first is shown first). */
  objects: { objectType: string; label: string }[];
  pipelines: WorkspacePipeline[];
  defaultPipeline: string | null;
  defaultLayout: 'table' | 'board';
};

/** GET /api/v1/workspace/{workspace}/board?pipeline=&view=&filters=&object= — one column per stage (CS-SRV-2). */
export type WorkspaceBoardResponse = CopyFreshness & {
  workspace: string;
  objectType: string;
  pipeline: { id: string; label: string };
  columns: { stage: { id: string; label: string }; total: number; amount: number | null; rows: WorkspaceRow[] }[];
};

/** POST /api/v1/workspace/{workspace}/records/{id}/stage — moves a record, with the properties the stage requires. */
export type WorkspaceStageInput = { stageId: string; properties?: Record<string, string | number | boolean | null> };

/** GET /api/v1/workspace/revenue/arr-at-risk?months=&object= — renewals by month and health category (CS-REV-1). */
export type ArrAtRiskResponse = CopyFreshness & {
  objectType: string;
  amountProperty: string | null;
  renewalDateProperty: string | null;
  months: {
    month: string;
    byCategory: Record<'AT_RISK' | 'NEUTRAL' | 'GOOD' | 'UNSCORED', { amount: number; count: number }>;
    total: { amount: number; count: number };
  }[];
};

/** CS-SET-2 / CS-SET-3: one object of the Services or Revenue workspace. */
export type PipelineObjectSettings = {
  objectType: string;
  csmProperty: string;
  renewalDateProperty: string | null;
  /** null: every pipeline. */
  visiblePipelines: string[] | null;
  defaultPipeline: string | null;
  defaultLayout: 'table' | 'board';
  /** Properties required before a record moves into a stage, by stage id. */
  stageRequirements: Record<string, string[]>;
};
export type ServicesSettings = PipelineObjectSettings;
export type RevenueObjectSettings = PipelineObjectSettings & { amountProperty: string | null };
/** Up to two objects; the first is shown first. */
export type RevenueSettings = { objects: RevenueObjectSettings[] };

/** What the pickers offer for one Services or Revenue object. */
export type PipelineObjectChoices = {
  objectType: string;
  csmProperties: PropertyChoice[];
  renewalDateProperties: PropertyChoice[];
  amountProperties: PropertyChoice[];
  /** Properties a stage can require (every writable one). */
  properties: PropertyChoice[];
  pipelines: { id: string; label: string; stages: { id: string; label: string }[] }[];
};

/** GET /api/v1/settings/customer-success/services (PUT takes { services } and answers the same). */
export type ServicesSettingsResponse = {
  services: ServicesSettings;
  objects: { objectType: string; label: string }[];
  choices: PipelineObjectChoices;
  history: SettingsChange[];
};

/** GET /api/v1/settings/customer-success/revenue (PUT takes { revenue } and answers the same). */
export type RevenueSettingsResponse = {
  revenue: RevenueSettings;
  objects: { objectType: string; label: string }[];
  /** One per configured object, in order. */
  choices: PipelineObjectChoices[];
  history: SettingsChange[];
};
