// The responses of the HTTP contract as zod schemas, for the OpenAPI document (http/openapi.ts).
// The TypeScript types beside this file stay the contract the UI imports; each schema here is
// checked against its type at compile time (the assertions at the end), so the document cannot
// drift from what the routes are typed to send. Nothing validates responses at run time.
import { z } from 'zod';
import { FILTER_OPERATORS } from '../engines/health/operators';
import { profileSchema } from '../engines/health/profile';
import type {
  ErrorBody,
  GuidedActionsResponse,
  HealthAlertsResponse,
  HealthCustomersResponse,
  HealthProfileResponse,
  HealthProfilesResponse,
  HealthRecordResponse,
  HealthSummaryResponse,
  MeResponse,
  SyncStatusResponse,
  TaskBucketsResponse,
  UsersResponse,
} from './api';
import type { ActionsTasksResponse, ActionsView, ActionsViewsResponse, BulkJobResponse, CreateTaskResponse } from './actions';
import { FEED_TYPES, type FeedResponse } from './feed';
import type { SequenceCardsResponse } from './sequences';
import type { InstallStatusResponse, ManagersResponse } from './install';
import type { ScheduleResponse } from './schedule';
import {
  REPORT_IDS,
  type DashboardCreatedResponse,
  type DashboardResponse,
  type DashboardsResponse,
  type DashboardTeamsResponse,
  type SummaryReportsResponse,
  type TodayScheduleResponse,
} from './summary';
import type {
  ArrAtRiskResponse,
  CustomerSettingsChoicesResponse,
  CustomerSuccessSettingsResponse,
  PipelineObjectChoices,
  RevenueSettingsResponse,
  ServicesSettingsResponse,
  WorkspaceBoardResponse,
  WorkspaceMetaResponse,
  WorkspacePipelinesResponse,
  WorkspacePreviewResponse,
  WorkspaceRecordsResponse,
  WorkspaceViewResponse,
  WorkspaceViewsResponse,
} from './workspace';

const iso = z.string().meta({ format: 'date-time' });
const scalar = z.union([z.string(), z.number(), z.boolean()]);
const paging = z.object({ next: z.object({ after: z.string() }) });
const category = z.enum(['AT_RISK', 'NEUTRAL', 'GOOD']);

export const objectRef = z.object({ objectType: z.string(), objectId: z.string(), label: z.string() }).meta({ id: 'ObjectRef' });

export const errorBody = z
  .object({
    error: z.object({
      code: z.enum([
        'BAD_REQUEST',
        'UNAUTHENTICATED',
        'FORBIDDEN',
        'NOT_INSTALLED',
        'NEEDS_RECONNECT',
        'NOT_FOUND',
        'CONFLICT',
        'RATE_LIMITED',
        'HUBSPOT_FAILED',
        'UNAVAILABLE',
        'INTERNAL',
      ]),
      message: z.string(),
      /** 400: [{ field, issue }] per bad field; 409 NEEDS_RECONNECT: { reconnectUrl }. */
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: 'Error', description: 'Every error: never HTML, never a stack trace (docs/api.md "Errors").' });

const partial = { partial: z.literal(true).optional(), warnings: z.array(z.string()).optional() };
const freshness = { dataAsOf: iso, syncing: z.object({ percent: z.number() }).optional() };
/** The backend always sends dataAsOf; optional in the types until the UI's fixtures carry it. */
const optionalFreshness = { dataAsOf: iso.optional(), syncing: freshness.syncing };

// ---- api.ts ---------------------------------------------------------------------------------

export const syncStatusResponse = z
  .object({
    state: z.enum(['loading', 'ready', 'needs-reconnect']),
    dataAsOf: iso,
    percent: z.number().meta({ description: "The whole first load's share done (100 once every type is ready)." }),
    etaSeconds: z.number().nullable(),
    objects: z.record(
      z.string(),
      z.object({
        records: z.number(),
        state: z.enum(['pending', 'loading', 'ready', 'error']),
        lastChangeSeenAt: iso.nullable(),
        lagSeconds: z.number().nullable(),
        total: z.number().nullable().meta({ description: "HubSpot's count when the type's load started." }),
        percent: z.number(),
        etaSeconds: z.number().nullable(),
        reloading: z.boolean().meta({
          description:
            'A type the copy holds, loaded again for new properties: its records are served meanwhile; percent is that load’s share done.',
        }),
      }),
    ),
  })
  .meta({ id: 'SyncStatusResponse' });

const task = z
  .object({
    id: z.string(),
    subject: z.string(),
    dueAt: iso,
    status: z.string(),
    priority: z.string(),
    type: z.string(),
    ownerId: z.string().nullable(),
    associations: z.array(objectRef),
  })
  .meta({ id: 'Task' });
const taskBucket = z.object({ count: z.number(), tasks: z.array(task) });

export const taskBucketsResponse = z
  .object({
    ...partial,
    ...optionalFreshness,
    timeZone: z.string(),
    buckets: z.object({ overdue: taskBucket, today: taskBucket, tomorrow: taskBucket }),
  })
  .meta({ id: 'TaskBucketsResponse' });

const guidedAction = z
  .object({
    id: z.string(),
    rule: z.string(),
    category: z.enum(['deal', 'prospecting']),
    title: z.string(),
    reason: z.string(),
    record: objectRef,
    members: z.array(objectRef),
    associated: z.array(objectRef),
    facts: z.record(z.string(), z.unknown()),
    firstSeenAt: iso,
    expiresAt: iso.nullable(),
    links: z.array(z.object({ label: z.string(), href: z.string() })),
    feedback: z.enum(['YES_CONTINUE', 'NOT_REALLY']).nullable(),
  })
  .meta({ id: 'GuidedAction' });

export const guidedActionsResponse = z
  .object({
    ...partial,
    ...optionalFreshness,
    actions: z.array(guidedAction),
    total: z.number().optional(),
    counts: z.object({ all: z.number(), deal: z.number(), prospecting: z.number() }).optional(),
  })
  .meta({ id: 'GuidedActionsResponse' });

const thresholds = z.object({ atRiskBelow: z.number(), goodFrom: z.number() });
const categories = z.object({
  AT_RISK: z.object({ count: z.number(), percent: z.number() }),
  NEUTRAL: z.object({ count: z.number(), percent: z.number() }),
  GOOD: z.object({ count: z.number(), percent: z.number() }),
});
const distribution = z.array(z.object({ from: z.number(), to: z.number(), count: z.number() }));

export const healthSummaryResponse = z
  .object({
    ...partial,
    ...optionalFreshness,
    profileId: z.string(),
    profileVersion: z.number(),
    customers: z.number(),
    average: z.number().nullable(),
    categories,
    thresholds,
    distribution,
    history: z.array(z.object({ date: z.string(), average: z.number(), backfilled: z.literal(true).optional() })),
  })
  .meta({ id: 'HealthSummaryResponse' });

const delta = z.object({ criterionId: z.string(), label: z.string(), delta: z.number() });

export const healthRecordResponse = z
  .object({
    ...partial,
    ...optionalFreshness,
    objectType: z.string(),
    objectId: z.string(),
    profileId: z.string(),
    profileVersion: z.number(),
    score: z.number(),
    category,
    computedAt: iso,
    groups: z.array(
      z.object({ id: z.string(), label: z.string(), maxPoints: z.number(), score: z.number(), excluded: z.literal(true).optional() }),
    ),
    criteria: z.array(
      z.object({
        id: z.string(),
        group: z.string(),
        label: z.string(),
        points: z.number(),
        noData: z.boolean(),
        facts: z.record(z.string(), z.unknown()),
      }),
    ),
    change: z.object({ from: category, to: category, at: iso, deltas: z.array(delta) }).nullable(),
    previous: z.object({ score: z.number(), computedAt: iso }).nullable().optional(),
  })
  .meta({ id: 'HealthRecordResponse' });

export const healthAlertsResponse = z
  .object({
    ...partial,
    ...optionalFreshness,
    alerts: z.array(
      z.object({
        id: z.string(),
        record: objectRef,
        from: category,
        to: category,
        raisedAt: iso,
        expiresAt: iso,
        deltas: z.array(delta),
      }),
    ),
    paging: paging.optional(),
  })
  .meta({ id: 'HealthAlertsResponse' });

export const healthCustomersResponse = z
  .object({
    ...partial,
    ...optionalFreshness,
    customers: z.array(objectRef.extend({ score: z.number(), category, computedAt: iso })),
    paging: paging.optional(),
  })
  .meta({ id: 'HealthCustomersResponse' });

export const healthProfilesResponse = z
  .object({
    profiles: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        objectType: z.string(),
        version: z.number(),
        isDefault: z.boolean(),
        updatedAt: iso,
      }),
    ),
  })
  .meta({ id: 'HealthProfilesResponse' });

export const healthProfileResponse = z.object({ profile: profileSchema }).meta({ id: 'HealthProfileResponse' });

const healthSummary = z.object({ customers: z.number(), average: z.number().nullable(), categories, thresholds, distribution });
export const healthPreviewResponse = z
  .object({
    before: healthSummary,
    after: healthSummary,
    changed: z.array(
      z.object({
        recordId: z.string(),
        label: z.string(),
        from: category.nullable(),
        to: category.nullable(),
        scoreBefore: z.number().nullable(),
        scoreAfter: z.number().nullable(),
      }),
    ),
  })
  .meta({ id: 'HealthProfilePreview' });

export const healthRunStarted = z
  .object({ runId: z.string(), status: z.string(), href: z.string() })
  .meta({ id: 'HealthRunStarted', description: 'Where to follow the run (GET href).' });

export const healthRunResponse = z
  .object({
    id: z.string(),
    kind: z.enum(['scheduled', 'on-demand']),
    status: z.enum(['queued', 'running', 'done', 'failed']),
    asOf: iso,
    requestedAt: iso,
    startedAt: iso.nullable(),
    finishedAt: iso.nullable(),
    total: z.number().nullable(),
    scored: z.number(),
    attempts: z.number(),
    stats: z.unknown(),
    warnings: z.array(z.string()),
    error: z.string().nullable(),
  })
  .meta({ id: 'HealthRunResponse' });

export const meResponse = z
  .object({
    portalId: z.number(),
    userId: z.number(),
    viewAsUserId: z.number(),
    ownerId: z.string().nullable(),
    isManager: z.boolean(),
    timeZone: z.string(),
    ...partial,
    ...freshness,
  })
  .meta({ id: 'MeResponse' });

export const usersResponse = z
  .object({
    users: z.array(z.object({ userId: z.number(), ownerId: z.string().nullable(), name: z.string(), email: z.string().nullable() })),
    ...freshness,
  })
  .meta({ id: 'UsersResponse' });

// ---- actions.ts -----------------------------------------------------------------------------

const builtInView = z.enum(['due-today', 'overdue', 'due-tomorrow', 'completed']);
const sortKeys = ['due', 'priority', 'subject', 'modified'] as const;
const actionsSort = z.enum([...sortKeys, ...sortKeys.map((k) => `-${k}` as const)]);
const actionsFilters = z
  .object({
    view: builtInView.optional(),
    owner: z.union([z.literal('me'), z.literal('all'), z.array(z.string())]).optional(),
    priority: z.array(z.string()).optional(),
    type: z.array(z.string()).optional(),
    status: z.array(z.string()).optional(),
    dueFrom: z.string().optional(),
    dueTo: z.string().optional(),
    associatedType: z.enum(['contacts', 'companies', 'deals', 'tickets']).optional(),
    sequenceId: z.string().optional(),
  })
  .meta({ id: 'ActionsFilters' });
const actionsTask = z
  .object({
    id: z.string(),
    subject: z.string(),
    dueAt: iso.nullable(),
    allDay: z.boolean(),
    status: z.string(),
    priority: z.string(),
    type: z.string(),
    ownerId: z.string().nullable(),
    lastModifiedAt: iso.nullable(),
    associations: z.array(objectRef),
  })
  .meta({ id: 'ActionsTask' });
const owners = z.array(z.object({ id: z.string(), name: z.string() }));

export const actionsTasksResponse = z
  .object({
    ...freshness,
    view: z.string(),
    timeZone: z.string(),
    filters: actionsFilters,
    sort: actionsSort,
    counts: z.object({ 'due-today': z.number(), overdue: z.number(), 'due-tomorrow': z.number(), completed: z.number() }),
    total: z.number(),
    tasks: z.array(actionsTask),
    owners,
    paging: paging.optional(),
  })
  .meta({ id: 'ActionsTasksResponse' });

export const actionsView = z
  .object({
    id: z.string(),
    name: z.string(),
    shared: z.boolean(),
    mine: z.boolean(),
    editable: z.boolean(),
    filters: actionsFilters,
    sort: actionsSort,
    createdAt: iso,
    updatedAt: iso,
  })
  .meta({ id: 'ActionsView' });
export const actionsViewsResponse = z.object({ views: z.array(actionsView) }).meta({ id: 'ActionsViewsResponse' });
export const createTaskResponse = z.object({ ...freshness, task: actionsTask }).meta({ id: 'CreateTaskResponse' });

const bulkAction = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('complete') }),
  z.object({ kind: z.literal('reopen') }),
  z.object({ kind: z.literal('assign'), ownerId: z.string() }),
  z.object({ kind: z.literal('set-property'), property: z.string(), value: z.string().nullable() }),
  z.object({ kind: z.literal('delete') }),
]);
export const bulkJobResponse = z
  .object({
    id: z.string(),
    action: bulkAction,
    status: z.enum(['queued', 'running', 'done', 'cancelled', 'failed']),
    total: z.number(),
    done: z.number(),
    failed: z.number(),
    cancelled: z.number(),
    pending: z.number(),
    cancelRequested: z.boolean(),
    error: z.string().nullable(),
    createdAt: iso,
    finishedAt: iso.nullable(),
    items: z.array(
      z.object({ taskId: z.string(), state: z.enum(['pending', 'done', 'failed', 'cancelled']), reason: z.string().nullable() }),
    ),
  })
  .meta({ id: 'BulkJobResponse' });

// ---- install.ts -----------------------------------------------------------------------------

export const installStatusResponse = z
  .object({
    portalId: z.number(),
    status: z.enum(['active', 'needs-reconnect']),
    role: z.enum(['manager', 'member']),
    grantedScopes: z.array(z.string()),
    missingScopes: z.array(z.object({ scope: z.string(), sentence: z.string() })),
    reconnectUrl: z.string().optional(),
  })
  .meta({ id: 'InstallStatusResponse' });

export const managersResponse = z
  .object({ managers: z.array(z.object({ userId: z.number(), reasons: z.array(z.enum(['super-admin', 'installer', 'granted'])) })) })
  .meta({ id: 'ManagersResponse' });

export const purgeResponse = z.object({ purged: z.literal(true), tables: z.array(z.string()) }).meta({ id: 'PurgeResponse' });

// ---- workspace.ts ---------------------------------------------------------------------------

const propertyChoice = z
  .object({
    name: z.string(),
    label: z.string(),
    type: z.string(),
    fieldType: z.string(),
    options: z.array(z.object({ label: z.string(), value: z.string() })).optional(),
  })
  .meta({ id: 'PropertyChoice' });
const settingsChoices = z
  .object({
    objects: z.array(z.object({ objectType: z.string(), label: z.string() })),
    csmProperties: z.array(propertyChoice),
    renewalDateProperties: z.array(propertyChoice),
  })
  .meta({ id: 'CustomerSettingsChoices' });
export const customerSettingsChoicesResponse = settingsChoices;
const settingsChange = z.object({ changedAt: iso, userId: z.number(), before: z.unknown(), after: z.unknown() });
export const customerSuccessSettingsResponse = z
  .object({
    customers: z.object({ objectType: z.string(), csmProperty: z.string(), renewalDateProperty: z.string().nullable() }),
    choices: settingsChoices,
    history: z.array(settingsChange),
  })
  .meta({ id: 'CustomerSuccessSettingsResponse' });

const objectChoice = z.object({ objectType: z.string(), label: z.string() });
const pipelineObjectSettings = {
  objectType: z.string(),
  csmProperty: z.string(),
  renewalDateProperty: z.string().nullable(),
  visiblePipelines: z.array(z.string()).nullable().meta({ description: 'null: every pipeline.' }),
  defaultPipeline: z.string().nullable(),
  defaultLayout: z.enum(['table', 'board']),
  stageRequirements: z
    .record(z.string(), z.array(z.string()))
    .meta({ description: 'Properties required before a record moves into a stage, by stage id.' }),
};
export const pipelineObjectChoices = z
  .object({
    objectType: z.string(),
    csmProperties: z.array(propertyChoice),
    renewalDateProperties: z.array(propertyChoice),
    amountProperties: z.array(propertyChoice),
    properties: z.array(propertyChoice),
    pipelines: z.array(z.object({ id: z.string(), label: z.string(), stages: z.array(z.object({ id: z.string(), label: z.string() })) })),
  })
  .meta({ id: 'PipelineObjectChoices' });
export const servicesSettingsResponse = z
  .object({
    services: z.object(pipelineObjectSettings),
    objects: z.array(objectChoice),
    choices: pipelineObjectChoices,
    history: z.array(settingsChange),
  })
  .meta({ id: 'ServicesSettingsResponse' });
export const revenueSettingsResponse = z
  .object({
    revenue: z.object({ objects: z.array(z.object({ ...pipelineObjectSettings, amountProperty: z.string().nullable() })) }),
    objects: z.array(objectChoice),
    choices: z.array(pipelineObjectChoices),
    history: z.array(settingsChange),
  })
  .meta({ id: 'RevenueSettingsResponse' });

const filterOperator = z.enum(FILTER_OPERATORS);
const dateRange = z.object({ from: z.string().optional(), to: z.string().optional() });
const workspaceFilters = z
  .object({
    owner: z.string().optional(),
    createDate: dateRange.optional(),
    lastActivity: dateRange.optional(),
    properties: z
      .array(
        z.object({
          propertyName: z.string(),
          operator: filterOperator,
          value: scalar.optional(),
          values: z.array(scalar).optional(),
          highValue: scalar.optional(),
        }),
      )
      .optional(),
  })
  .meta({ id: 'WorkspaceFilters' });
const workspaceView = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(['builtin', 'custom']),
    sharing: z.enum(['private', 'everyone']),
    ownerUserId: z.number().nullable(),
    query: z.object({ filters: workspaceFilters, sort: z.object({ property: z.string(), direction: z.enum(['ASC', 'DESC']) }).optional() }),
    count: z.number(),
    default: z.object({ description: z.string(), position: z.number() }).optional(),
    editable: z.boolean(),
  })
  .meta({ id: 'WorkspaceView' });
export const workspaceViewsResponse = z.object({ ...freshness, views: z.array(workspaceView) }).meta({ id: 'WorkspaceViewsResponse' });
export const workspaceViewResponse = z.object({ view: workspaceView }).meta({ id: 'WorkspaceViewResponse' });
const workspaceRow = z.object({
  id: z.string(),
  name: z.string(),
  values: z.record(z.string(), scalar.nullable()),
  owner: z.object({ id: z.string(), name: z.string() }).nullable(),
  url: z.string(),
  stage: z.object({ pipelineId: z.string().nullable(), stageId: z.string().nullable(), label: z.string().nullable() }).optional(),
});
export const workspaceRecordsResponse = z
  .object({
    ...freshness,
    workspace: z.string(),
    objectType: z.string(),
    view: z.object({ id: z.string(), name: z.string() }).nullable(),
    columns: z.array(z.object({ key: z.string(), label: z.string(), type: z.string() })),
    rows: z.array(workspaceRow),
    total: z.number(),
    paging: paging.optional(),
  })
  .meta({ id: 'WorkspaceRecordsResponse' });
export const workspacePreviewResponse = z
  .object({
    ...freshness,
    objectType: z.string(),
    id: z.string(),
    name: z.string(),
    url: z.string(),
    properties: z.array(
      z.object({
        name: z.string(),
        label: z.string(),
        value: scalar.nullable(),
        type: z.string(),
        raw: z.string().nullable().optional(),
        editable: z.boolean().optional(),
        fieldType: z.string().optional(),
        options: z.array(z.object({ label: z.string(), value: z.string() })).optional(),
      }),
    ),
    health: z
      .object({
        score: z.number(),
        category,
        computedAt: iso,
        profileId: z.string(),
        drivers: z.array(z.object({ label: z.string(), points: z.number(), maxPoints: z.number() })),
      })
      .nullable(),
    activities: z.array(z.object({ objectType: z.string(), id: z.string(), title: z.string(), at: iso.nullable() })),
    associations: z.array(
      z.object({ objectType: z.string(), id: z.string(), name: z.string(), labels: z.array(z.string()), url: z.string() }),
    ),
    stage: z.object({ pipelineId: z.string().nullable(), stageId: z.string().nullable() }).optional(),
  })
  .meta({ id: 'WorkspacePreviewResponse' });
export const workspaceMetaResponse = z
  .object({
    ...freshness,
    workspace: z.string(),
    objectType: z.string(),
    properties: z.array(propertyChoice),
    operatorsByType: z.record(z.string(), z.array(filterOperator)),
    owners,
  })
  .meta({ id: 'WorkspaceMetaResponse' });

const workspaceStage = z
  .object({ id: z.string(), label: z.string(), isClosed: z.boolean(), requiredProperties: z.array(propertyChoice) })
  .meta({ id: 'WorkspaceStage' });
export const workspacePipelinesResponse = z
  .object({
    workspace: z.string(),
    objectType: z.string(),
    objects: z.array(objectChoice),
    pipelines: z.array(z.object({ id: z.string(), label: z.string(), stages: z.array(workspaceStage) })),
    defaultPipeline: z.string().nullable(),
    defaultLayout: z.enum(['table', 'board']),
  })
  .meta({ id: 'WorkspacePipelinesResponse' });
export const workspaceBoardResponse = z
  .object({
    ...freshness,
    workspace: z.string(),
    objectType: z.string(),
    pipeline: z.object({ id: z.string(), label: z.string() }),
    columns: z.array(
      z.object({
        stage: z.object({ id: z.string(), label: z.string() }),
        total: z.number(),
        amount: z.number().nullable(),
        rows: z.array(workspaceRow),
      }),
    ),
  })
  .meta({ id: 'WorkspaceBoardResponse' });
const amountCount = z.object({ amount: z.number(), count: z.number() });
export const arrAtRiskResponse = z
  .object({
    ...freshness,
    objectType: z.string(),
    amountProperty: z.string().nullable(),
    renewalDateProperty: z.string().nullable(),
    months: z.array(
      z.object({
        month: z.string().meta({ description: 'YYYY-MM' }),
        byCategory: z.record(z.enum(['AT_RISK', 'NEUTRAL', 'GOOD', 'UNSCORED']), amountCount),
        total: amountCount,
      }),
    ),
  })
  .meta({ id: 'ArrAtRiskResponse' });

// ---- summary.ts -----------------------------------------------------------------------------

const reportId = z.enum(REPORT_IDS);
const hubspotLink = z.object({ label: z.string(), url: z.string() }).meta({ id: 'HubSpotLink' });
const reportDefinition = z
  .object({ id: reportId, title: z.string(), description: z.string(), chart: z.enum(['bar', 'line']) })
  .meta({ id: 'ReportDefinition' });
const reportData = reportDefinition
  .extend({
    x: z.object({ field: z.string(), label: z.string(), type: z.enum(['category', 'datetime']) }),
    y: z.object({ field: z.string(), label: z.string() }),
    rows: z.array(z.record(z.string(), z.union([z.string(), z.number()]))),
    empty: z.string().optional().meta({ description: 'Why the report has nothing to show yet.' }),
  })
  .meta({ id: 'ReportData' });

export const todayScheduleResponse = z
  .object({
    ...partial,
    ...freshness,
    date: z.string().meta({ description: "Today in the user's zone (YYYY-MM-DD)." }),
    timeZone: z.string(),
    items: z.array(
      z
        .object({
          kind: z.enum(['meeting', 'task']),
          id: z.string(),
          title: z.string(),
          startsAt: iso,
          endsAt: iso.nullable(),
          allDay: z.boolean(),
          status: z.string().nullable(),
          done: z.boolean(),
          associations: z.array(objectRef),
        })
        .meta({ id: 'TodayScheduleItem' }),
    ),
    more: z
      .object({ tasks: z.number(), meetings: z.number() })
      .optional()
      .meta({ description: 'When the day has more items than the first page: the rest, counted.' }),
  })
  .meta({ id: 'TodayScheduleResponse' });

export const summaryReportsResponse = z
  .object({
    ...partial,
    ...freshness,
    gallery: z.array(reportDefinition),
    chosen: z.array(reportId),
    reports: z.array(reportData),
    hubspotLinks: z.array(hubspotLink),
  })
  .meta({ id: 'SummaryReportsResponse' });

const dashboard = z
  .object({
    id: z.string(),
    name: z.string(),
    reportIds: z.array(reportId),
    hubspotLinks: z.array(hubspotLink),
    access: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('everyone') }),
      z.object({ kind: z.literal('teams'), teamIds: z.array(z.string()) }),
    ]),
    createdBy: z.object({ userId: z.number(), name: z.string() }),
    createdAt: iso,
    deletable: z.boolean(),
  })
  .meta({ id: 'Dashboard' });
export const dashboardsResponse = z
  .object({ dashboards: z.array(dashboard), gallery: z.array(reportDefinition) })
  .meta({ id: 'DashboardsResponse' });
export const dashboardTeamsResponse = z
  .object({
    teams: z.array(z.object({ id: z.string(), name: z.string(), members: z.array(z.object({ userId: z.number(), name: z.string() })) })),
  })
  .meta({ id: 'DashboardTeamsResponse' });
export const dashboardCreatedResponse = z.object({ dashboard }).meta({ id: 'DashboardCreatedResponse' });
export const dashboardResponse = z
  .object({ ...partial, ...freshness, dashboard, reports: z.array(reportData) })
  .meta({ id: 'DashboardResponse' });

// ---- schedule.ts ----------------------------------------------------------------------------

const scheduleItem = z
  .discriminatedUnion('kind', [
    z.object({
      kind: z.literal('task'),
      id: z.string(),
      title: z.string(),
      start: iso,
      allDay: z.boolean(),
      status: z.string(),
      priority: z.string(),
      type: z.string(),
      associations: z.array(objectRef).meta({ description: 'At most 10.' }),
      moreAssociations: z.number().optional(),
    }),
    z.object({
      kind: z.literal('meeting'),
      id: z.string(),
      title: z.string(),
      start: iso,
      end: iso,
      outcome: z.string().nullable(),
      location: z.string().nullable(),
      videoUrl: z.string().nullable(),
      description: z.string().nullable(),
      associations: z.array(objectRef).meta({ description: 'At most 10.' }),
      moreAssociations: z.number().optional(),
    }),
    z.object({ kind: z.literal('busy'), start: iso, end: iso }),
  ])
  .meta({ id: 'ScheduleItem' });
const scheduleBrief = z
  .object({
    brief: z.literal(true),
    kind: z.enum(['task', 'meeting', 'busy']),
    id: z.string().nullable(),
    title: z.string(),
    start: iso,
    end: iso.nullable(),
    allDay: z.boolean(),
  })
  .meta({ id: 'ScheduleBrief', description: "A month's item: its line only; the day view has its summary." });
const scheduleDay = z
  .object({
    date: z.string(),
    weekday: z.number().meta({ description: 'ISO weekday, 1 Monday … 7 Sunday.' }),
    start: iso,
    end: iso,
    isToday: z.boolean(),
    items: z.array(z.union([scheduleItem, scheduleBrief])).meta({
      description: 'At most 12 a day (week), 8 briefs a day (month), or a page of 50 from `offset` (day).',
    }),
    more: z.object({ tasks: z.number(), meetings: z.number() }).meta({ description: "The day's items after `items`." }),
  })
  .meta({ id: 'ScheduleDay' });
export const scheduleResponse = z
  .object({
    ...partial,
    ...freshness,
    view: z.enum(['day', 'week', 'month']),
    timeZone: z.string(),
    userTimeZone: z.string(),
    date: z.string(),
    previous: z.string(),
    next: z.string(),
    today: z.string(),
    start: iso,
    end: iso,
    hideWeekends: z.boolean(),
    busyOnly: z.boolean().meta({ description: "A manager viewing another user's schedule: meetings are busy blocks only." }),
    offset: z.number().meta({ description: "The day view's first item shown; 0 for a week or a month." }),
    pageSize: z.number().meta({ description: 'Items a day carries at most: 50 a page (day), 12 (week), 8 briefs (month).' }),
    days: z.array(scheduleDay),
    counts: z.object({ meetings: z.number(), tasks: z.number() }),
  })
  .meta({ id: 'ScheduleResponse' });

// ---- feed.ts --------------------------------------------------------------------------------

const feedItem = z
  .object({
    id: z.string(),
    type: z.enum(FEED_TYPES),
    occurredAt: iso,
    title: z.string(),
    detail: z.string().nullable(),
    contact: objectRef,
    company: objectRef,
    inSequence: z.boolean(),
    engagement: z.object({ objectType: z.enum(['emails', 'meetings', 'calls']), objectId: z.string() }).optional(),
  })
  .meta({ id: 'FeedItem' });
export const feedResponse = z
  .object({ ...partial, ...freshness, items: z.array(feedItem), total: z.number(), contacts: z.number(), paging: paging.optional() })
  .meta({ id: 'FeedResponse' });

// ---- sequences.ts ---------------------------------------------------------------------------

const sequenceTask = z
  .object({
    id: z.string(),
    subject: z.string(),
    dueAt: iso.nullable(),
    overdue: z.boolean(),
    step: z.number().nullable(),
    contact: objectRef.nullable(),
  })
  .meta({ id: 'SequenceTask' });
const sequenceCard = z
  .object({
    sequenceId: z.string().nullable(),
    name: z.string(),
    state: z.enum(['known', 'loading', 'unknown']),
    openTasks: z.number(),
    overdueTasks: z.number(),
    byStep: z.array(z.object({ step: z.number(), count: z.number() })),
    tasks: z.array(sequenceTask),
  })
  .meta({ id: 'SequenceCard' });
export const sequenceCardsResponse = z
  .object({
    ...partial,
    ...freshness,
    cards: z.array(sequenceCard),
    total: z.number(),
    page: z.number(),
    limit: z.number(),
    openTasks: z.number(),
    pendingEnrollments: z.number(),
    missingScope: z.object({ scope: z.string(), sentence: z.string() }).optional(),
  })
  .meta({ id: 'SequenceCardsResponse' });

// ---- compile-time agreement with the contract types ------------------------------------------

type Mutual<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** The schema's output and the type accept each other and have the same top-level keys. */
type Agrees<S extends z.ZodType, T> = Mutual<z.output<S>, T> extends true ? Mutual<keyof z.output<S>, keyof T> : false;

// Each entry must be `true`: a schema that drifts from its type fails the typecheck here.
export const CONTRACT_AGREEMENT: [
  Agrees<typeof errorBody, ErrorBody>,
  Agrees<typeof syncStatusResponse, SyncStatusResponse>,
  Agrees<typeof taskBucketsResponse, TaskBucketsResponse>,
  Agrees<typeof guidedActionsResponse, GuidedActionsResponse>,
  Agrees<typeof healthSummaryResponse, HealthSummaryResponse>,
  Agrees<typeof healthRecordResponse, HealthRecordResponse>,
  Agrees<typeof healthAlertsResponse, HealthAlertsResponse>,
  Agrees<typeof healthCustomersResponse, HealthCustomersResponse>,
  Agrees<typeof healthProfilesResponse, HealthProfilesResponse>,
  Agrees<typeof healthProfileResponse, HealthProfileResponse>,
  Agrees<typeof meResponse, MeResponse>,
  Agrees<typeof usersResponse, UsersResponse>,
  Agrees<typeof actionsTasksResponse, ActionsTasksResponse>,
  Agrees<typeof actionsView, ActionsView>,
  Agrees<typeof actionsViewsResponse, ActionsViewsResponse>,
  Agrees<typeof createTaskResponse, CreateTaskResponse>,
  Agrees<typeof bulkJobResponse, BulkJobResponse>,
  Agrees<typeof installStatusResponse, InstallStatusResponse>,
  Agrees<typeof managersResponse, ManagersResponse>,
  Agrees<typeof customerSettingsChoicesResponse, CustomerSettingsChoicesResponse>,
  Agrees<typeof customerSuccessSettingsResponse, CustomerSuccessSettingsResponse>,
  Agrees<typeof workspaceViewsResponse, WorkspaceViewsResponse>,
  Agrees<typeof workspaceViewResponse, WorkspaceViewResponse>,
  Agrees<typeof workspaceRecordsResponse, WorkspaceRecordsResponse>,
  Agrees<typeof workspacePreviewResponse, WorkspacePreviewResponse>,
  Agrees<typeof workspaceMetaResponse, WorkspaceMetaResponse>,
  Agrees<typeof pipelineObjectChoices, PipelineObjectChoices>,
  Agrees<typeof servicesSettingsResponse, ServicesSettingsResponse>,
  Agrees<typeof revenueSettingsResponse, RevenueSettingsResponse>,
  Agrees<typeof workspacePipelinesResponse, WorkspacePipelinesResponse>,
  Agrees<typeof workspaceBoardResponse, WorkspaceBoardResponse>,
  Agrees<typeof arrAtRiskResponse, ArrAtRiskResponse>,
  Agrees<typeof todayScheduleResponse, TodayScheduleResponse>,
  Agrees<typeof summaryReportsResponse, SummaryReportsResponse>,
  Agrees<typeof dashboardsResponse, DashboardsResponse>,
  Agrees<typeof dashboardTeamsResponse, DashboardTeamsResponse>,
  Agrees<typeof dashboardCreatedResponse, DashboardCreatedResponse>,
  Agrees<typeof dashboardResponse, DashboardResponse>,
  Agrees<typeof scheduleResponse, ScheduleResponse>,
  Agrees<typeof feedResponse, FeedResponse>,
  Agrees<typeof sequenceCardsResponse, SequenceCardsResponse>,
] = [
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
];
