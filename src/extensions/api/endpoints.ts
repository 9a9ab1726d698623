import type {
  ActionsTasksResponse,
  ActionsView,
  ActionsViewRequest,
  ActionsViewsResponse,
  BulkJobRequest,
  BulkJobResponse,
  CreateTaskRequest,
  CreateTaskResponse,
  GuidedActionFeedbackRequest,
  GuidedActionsResponse,
  HealthAlertsResponse,
  HealthCustomersResponse,
  HealthProfile,
  HealthProfilePreview,
  HealthProfileResponse,
  HealthProfilesResponse,
  HealthRecordResponse,
  HealthSummaryResponse,
  MeResponse,
  TaskBucketsResponse,
  UsersResponse,
} from './contract';
import type {
  CustomerSettingsChoicesResponse,
  CustomerSuccessSettingsResponse,
  CustomersSettings,
  ArrAtRiskResponse,
  PipelineObjectChoices,
  RevenueSettings,
  RevenueSettingsResponse,
  ServicesSettings,
  ServicesSettingsResponse,
  WorkspaceBoardResponse,
  WorkspaceDefaultsInput,
  WorkspaceEditInput,
  WorkspacePipelinesResponse,
  WorkspaceStageInput,
  WorkspaceMetaResponse,
  WorkspacePreviewResponse,
  WorkspaceRecordsResponse,
  WorkspaceViewInput,
  WorkspaceViewResponse,
  WorkspaceViewsResponse,
} from './contract';
import type { InstallStatusResponse } from '../../backend/contract/install';
import type {
  Dashboard,
  DashboardInput,
  DashboardResponse,
  DashboardsResponse,
  DashboardTeamsResponse,
  SummaryReportsInput,
  SummaryReportsResponse,
  TodayScheduleResponse,
} from './contract';
import type { SyncStatusResponse } from './contract';
import type { FeedResponse, ScheduleResponse, SequenceCardsResponse } from './contract';

/**
 * What the UI reads: each backend route (Express `:param` syntax) and the answer it sends.
 * `useBackend(path)` looks its answer type up here, so a path not listed does not compile.
 */
export type ReadEndpoints = {
  '/api/v1/me': MeResponse;
  '/api/v1/install': InstallStatusResponse;
  '/api/v1/users': UsersResponse;
  '/api/v1/tasks/buckets': TaskBucketsResponse;
  '/api/v1/guided-actions': GuidedActionsResponse;
  '/api/v1/health/summary': HealthSummaryResponse;
  '/api/v1/health/alerts': HealthAlertsResponse;
  '/api/v1/health/customers': HealthCustomersResponse;
  '/api/v1/health/profiles': HealthProfilesResponse;
  '/api/v1/health/profiles/:profileId': HealthProfileResponse;
  '/api/v1/health/records/:objectType/:objectId': HealthRecordResponse;
  '/api/v1/actions/tasks': ActionsTasksResponse;
  '/api/v1/actions/views': ActionsViewsResponse;
  '/api/v1/actions/jobs/:jobId': BulkJobResponse;
  '/api/v1/settings/customer-success': CustomerSuccessSettingsResponse;
  '/api/v1/settings/customer-success/choices': CustomerSettingsChoicesResponse;
  '/api/v1/workspace/customers': WorkspaceRecordsResponse;
  '/api/v1/workspace/customers/views': WorkspaceViewsResponse;
  '/api/v1/workspace/customers/meta': WorkspaceMetaResponse;
  '/api/v1/workspace/customers/records/:recordId': WorkspacePreviewResponse;
  '/api/v1/summary/schedule': TodayScheduleResponse;
  '/api/v1/summary/reports': SummaryReportsResponse;
  '/api/v1/dashboards': DashboardsResponse;
  '/api/v1/dashboards/:dashboardId': DashboardResponse;
  '/api/v1/teams': DashboardTeamsResponse;
  '/api/v1/sync/status': SyncStatusResponse;
  '/api/v1/schedule': ScheduleResponse;
  '/api/v1/feed': FeedResponse;
  // SW-2: the Sales tab's sequence cards.
  '/api/v1/sales/sequences': SequenceCardsResponse;
  // Services and Revenue: the same core (CS-SRV-1..3, CS-REV-1) and their settings (CS-SET-2/3).
  '/api/v1/workspace/services': WorkspaceRecordsResponse;
  '/api/v1/workspace/services/views': WorkspaceViewsResponse;
  '/api/v1/workspace/services/meta': WorkspaceMetaResponse;
  '/api/v1/workspace/services/pipelines': WorkspacePipelinesResponse;
  '/api/v1/workspace/services/board': WorkspaceBoardResponse;
  '/api/v1/workspace/services/records/:recordId': WorkspacePreviewResponse;
  '/api/v1/workspace/revenue': WorkspaceRecordsResponse;
  '/api/v1/workspace/revenue/views': WorkspaceViewsResponse;
  '/api/v1/workspace/revenue/meta': WorkspaceMetaResponse;
  '/api/v1/workspace/revenue/pipelines': WorkspacePipelinesResponse;
  '/api/v1/workspace/revenue/board': WorkspaceBoardResponse;
  '/api/v1/workspace/revenue/arr-at-risk': ArrAtRiskResponse;
  '/api/v1/workspace/revenue/records/:recordId': WorkspacePreviewResponse;
  '/api/v1/settings/customer-success/services': ServicesSettingsResponse;
  '/api/v1/settings/customer-success/revenue': RevenueSettingsResponse;
  '/api/v1/settings/customer-success/object-choices': PipelineObjectChoices;
};

/** What the UI writes: `METHOD route` to the body it sends and the answer it gets (void: 204). */
export type WriteEndpoints = {
  'POST /api/v1/guided-actions/:actionId/feedback': { body: GuidedActionFeedbackRequest; answer: void };
  'POST /api/v1/health/profiles': { body: { profile: HealthProfile }; answer: HealthProfileResponse };
  'PUT /api/v1/health/profiles/:profileId': { body: { profile: HealthProfile; expectedVersion: number }; answer: HealthProfileResponse };
  'POST /api/v1/health/profiles/:profileId/preview': { body: { profile: HealthProfile }; answer: HealthProfilePreview };
  'POST /api/v1/actions/tasks': { body: CreateTaskRequest; answer: CreateTaskResponse };
  'POST /api/v1/actions/tasks/:taskId/complete': { body: Record<string, never>; answer: CreateTaskResponse };
  'POST /api/v1/actions/views': { body: ActionsViewRequest; answer: ActionsView };
  'DELETE /api/v1/actions/views/:viewId': { body: { confirm: true }; answer: void };
  'POST /api/v1/actions/jobs': { body: BulkJobRequest; answer: BulkJobResponse };
  'POST /api/v1/actions/jobs/:jobId/cancel': { body: Record<string, never>; answer: BulkJobResponse };
  'PUT /api/v1/settings/customer-success': { body: { customers: CustomersSettings }; answer: CustomerSuccessSettingsResponse };
  'POST /api/v1/workspace/customers/views': { body: WorkspaceViewInput; answer: WorkspaceViewResponse };
  'PUT /api/v1/workspace/customers/views/:viewId': { body: WorkspaceViewInput; answer: WorkspaceViewResponse };
  'DELETE /api/v1/workspace/customers/views/:viewId': { body: { confirm: boolean }; answer: void };
  'PUT /api/v1/workspace/customers/defaults': { body: WorkspaceDefaultsInput; answer: WorkspaceViewsResponse };
  'POST /api/v1/workspace/services/views': { body: WorkspaceViewInput; answer: WorkspaceViewResponse };
  'PUT /api/v1/workspace/services/views/:viewId': { body: WorkspaceViewInput; answer: WorkspaceViewResponse };
  'DELETE /api/v1/workspace/services/views/:viewId': { body: { confirm: boolean }; answer: void };
  'PUT /api/v1/workspace/services/defaults': { body: WorkspaceDefaultsInput; answer: WorkspaceViewsResponse };
  'POST /api/v1/workspace/revenue/views': { body: WorkspaceViewInput; answer: WorkspaceViewResponse };
  'PUT /api/v1/workspace/revenue/views/:viewId': { body: WorkspaceViewInput; answer: WorkspaceViewResponse };
  'DELETE /api/v1/workspace/revenue/views/:viewId': { body: { confirm: boolean }; answer: void };
  'PUT /api/v1/workspace/revenue/defaults': { body: WorkspaceDefaultsInput; answer: WorkspaceViewsResponse };
  'PUT /api/v1/summary/reports': { body: SummaryReportsInput; answer: SummaryReportsResponse };
  'POST /api/v1/dashboards': { body: DashboardInput; answer: { dashboard: Dashboard } };
  'DELETE /api/v1/dashboards/:dashboardId': { body: { confirm: boolean }; answer: void };
  'POST /api/v1/feed/dismissals': { body: { itemId: string }; answer: void };
  'DELETE /api/v1/feed/dismissals/:itemId': { body: Record<string, never>; answer: void };
  'PATCH /api/v1/workspace/customers/records/:recordId': { body: WorkspaceEditInput; answer: WorkspacePreviewResponse };
  'PATCH /api/v1/workspace/services/records/:recordId': { body: WorkspaceEditInput; answer: WorkspacePreviewResponse };
  'PATCH /api/v1/workspace/revenue/records/:recordId': { body: WorkspaceEditInput; answer: WorkspacePreviewResponse };
  'POST /api/v1/workspace/services/records/:recordId/stage': { body: WorkspaceStageInput; answer: WorkspacePreviewResponse };
  'POST /api/v1/workspace/revenue/records/:recordId/stage': { body: WorkspaceStageInput; answer: WorkspacePreviewResponse };
  'PUT /api/v1/settings/customer-success/services': { body: { services: ServicesSettings }; answer: ServicesSettingsResponse };
  'PUT /api/v1/settings/customer-success/revenue': { body: { revenue: RevenueSettings }; answer: RevenueSettingsResponse };
};

/** A route pattern as the paths it matches: `/a/:id/b` → `/a/${string}/b`. */
type PathOf<Route extends string> = Route extends `${infer Head}:${infer _Param}/${infer Tail}`
  ? `${Head}${string}/${PathOf<Tail>}`
  : Route extends `${infer Head}:${infer _Param}`
    ? `${Head}${string}`
    : Route;

/** Every path the UI may read. */
export type ReadPath = { [Route in keyof ReadEndpoints]: PathOf<Route> }[keyof ReadEndpoints];

/** The answer to a GET of `Path`. */
export type ReadAnswer<Path extends ReadPath> = {
  [Route in keyof ReadEndpoints]: Path extends PathOf<Route> ? ReadEndpoints[Route] : never;
}[keyof ReadEndpoints];

/** The methods the UI writes with. */
export type WriteMethod = keyof WriteEndpoints extends infer Call ? (Call extends `${infer Method} ${string}` ? Method : never) : never;

/** Every `METHOD path` the UI may send. */
export type WriteCall = { [Call in keyof WriteEndpoints]: PathOf<Call> }[keyof WriteEndpoints];

type WriteEntry<Call extends string> = {
  [Key in keyof WriteEndpoints]: Call extends PathOf<Key> ? WriteEndpoints[Key] : never;
}[keyof WriteEndpoints];

/** The paths `Method` may be sent to. */
export type WritePath<Method extends WriteMethod> = WriteCall extends infer Call
  ? Call extends `${Method} ${infer Path}`
    ? Path
    : never
  : never;

export type WriteBody<Method extends WriteMethod, Path extends WritePath<Method>> = WriteEntry<`${Method} ${Path}`>['body'];
export type WriteAnswer<Method extends WriteMethod, Path extends WritePath<Method>> = WriteEntry<`${Method} ${Path}`>['answer'];

const segment = (value: string) => encodeURIComponent(value);

/** GET path of one record's health score. */
export function healthRecordPath(objectType: string, objectId: string): `/api/v1/health/records/${string}/${string}` {
  return `/api/v1/health/records/${segment(objectType)}/${segment(objectId)}`;
}

/** Path of one health profile (GET, PUT). */
export function healthProfilePath(profileId: string): `/api/v1/health/profiles/${string}` {
  return `/api/v1/health/profiles/${segment(profileId)}`;
}

/** POST path of the dry-run preview of a profile draft. */
export function healthProfilePreviewPath(profileId: string): `/api/v1/health/profiles/${string}/preview` {
  return `/api/v1/health/profiles/${segment(profileId)}/preview`;
}

/** POST path of a guided action's feedback. */
export function feedbackPath(actionId: string): `/api/v1/guided-actions/${string}/feedback` {
  return `/api/v1/guided-actions/${segment(actionId)}/feedback`;
}

/** Path of one bulk job (GET) and of its cancel (POST …/cancel). */
export function bulkJobPath(jobId: string): `/api/v1/actions/jobs/${string}` {
  return `/api/v1/actions/jobs/${segment(jobId)}`;
}

/** DELETE path of a custom task view. */
export function actionsViewPath(viewId: string): `/api/v1/actions/views/${string}` {
  return `/api/v1/actions/views/${segment(viewId)}`;
}

/** POST path that completes one task in place (the Tasks card). */
export function completeTaskPath(taskId: string): `/api/v1/actions/tasks/${string}/complete` {
  return `/api/v1/actions/tasks/${segment(taskId)}/complete`;
}

/** GET / DELETE path of one dashboard. */
export function dashboardPath(dashboardId: string): `/api/v1/dashboards/${string}` {
  return `/api/v1/dashboards/${segment(dashboardId)}`;
}

/** DELETE path that brings back a dismissed feed item. */
export function feedDismissalPath(itemId: string): `/api/v1/feed/dismissals/${string}` {
  return `/api/v1/feed/dismissals/${segment(itemId)}`;
}

/** The object workspaces on the one core. */
export type ObjectWorkspace = 'customers' | 'services' | 'revenue';

/** PUT / DELETE path of one custom view of a workspace (Revenue's `object` goes in the query). */
export function workspaceViewPath(workspace: ObjectWorkspace, viewId: string): `/api/v1/workspace/${ObjectWorkspace}/views/${string}` {
  return `/api/v1/workspace/${workspace}/views/${segment(viewId)}`;
}

/** GET / PATCH path of a record's preview in a workspace (revenue: `object` names which of its objects). */
export function recordPath(
  workspace: ObjectWorkspace,
  recordId: string,
  object?: string,
): `/api/v1/workspace/${ObjectWorkspace}/records/${string}` {
  return `/api/v1/workspace/${workspace}/records/${segment(recordId)}${object ? `?object=${segment(object)}` : ''}`;
}

/** POST path of a record's stage change (Services, Revenue). */
export function stagePath(
  workspace: 'services' | 'revenue',
  recordId: string,
  object?: string,
): `/api/v1/workspace/${'services' | 'revenue'}/records/${string}/stage` {
  return `/api/v1/workspace/${workspace}/records/${segment(recordId)}/stage${object ? `?object=${segment(object)}` : ''}` as `/api/v1/workspace/${'services' | 'revenue'}/records/${string}/stage`;
}
