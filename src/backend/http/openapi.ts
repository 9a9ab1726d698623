// The OpenAPI 3.1 document, generated from the zod schemas the routes validate with (query,
// path parameters, bodies: exported beside each route) and the response schemas of the contract
// (contract/schemas.ts). What is written here by hand is only the table of operations: which
// schema goes with which method and path, a one-line summary and the success status. A test
// (openapi.test.ts) reads every route from the app's router stack and fails when one is missing.
// Served at GET /docs/openapi.json, and as a plain page (no script, no CDN) at GET /docs.
import express, { type Router } from 'express';
import { z } from 'zod';
import * as res from '../contract/schemas';
import { bulkBody, createBody, deleteBody, taskParams, tasksQuery, viewBody } from './routes/actions';
import { actionIdParam, feedbackBody, listQuery } from './routes/guided-actions';
import {
  alertsQuery,
  customersQuery,
  idParam,
  objectParams,
  profileBody,
  recordQuery,
  runIdParam,
  summaryQuery,
  updateBody,
} from './routes/health';
import { dismissBody, feedQuery, itemId as feedItemId } from './routes/feed';
import { sequencesQuery } from './routes/sequences';
import { managerUserIdParam, purgeBody, userIdBody } from './routes/install';
import { callbackQuery } from './routes/oauth';
import { scheduleQuery } from './routes/schedule';
import { dashboardInput, dashboardParams, deleteInput as dashboardDeleteInput, reportsInput } from './routes/summary';
import { bucketsQuery } from './routes/tasks';
import {
  arrQuery,
  boardQuery,
  choicesQuery,
  customersInput,
  defaultsInput,
  deleteInput,
  editInput,
  objectQuery,
  params as workspaceParams,
  recordParams,
  recordsQuery,
  revenueInput,
  servicesInput,
  stageInput,
  viewInput,
  viewParams,
} from './routes/workspace';

/** The API's version (the /api/v1 prefix). */
export const API_VERSION = '1.0.0';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** One operation: its schemas are the ones its route parses with. */
export type Operation = {
  method: Method;
  /** Express syntax (`:id`), as mounted (with `/api` for the signed API). */
  path: string;
  tag: string;
  summary: string;
  /** Who may call it beyond any signed user of an installed portal. */
  managers?: boolean;
  query?: z.ZodType;
  /** An object of path parameters, or one schema per parameter name. */
  params?: z.ZodType | Record<string, z.ZodType>;
  body?: z.ZodType;
  /** Success status and its body (undefined: no body). */
  ok: [status: number, body?: z.ZodType, description?: string];
  /** Outside /api/: its own answers instead of the signed API's errors. */
  outside?: { responses: Record<string, string>; security?: 'metrics' };
};

const webhookEvents = z
  .array(
    z
      .object({
        portalId: z.number().int(),
        subscriptionType: z.string(),
        objectId: z.number().optional(),
        occurredAt: z.number().optional(),
        propertyName: z.string().optional(),
        propertyValue: z.string().optional(),
      })
      .passthrough(),
  )
  .meta({ description: "HubSpot's webhook deliveries as HubSpot sends them: any JSON array is accepted (2xx within 1 s)." });
const anyJobId = z.string().max(200);
const anyViewId = z.string().max(200);

export const OPERATIONS: Operation[] = [
  // ---- operations outside /api/ -------------------------------------------------------------
  {
    method: 'get',
    path: '/healthz',
    tag: 'operations',
    summary: 'Alive (liveness)',
    ok: [200, z.object({ status: z.literal('ok') })],
    outside: { responses: {} },
  },
  {
    method: 'get',
    path: '/readyz',
    tag: 'operations',
    summary:
      'Ready: database, migrations applied, Redis when configured, the job scheduler; 503 with each failing check, and while draining',
    ok: [200, z.object({ status: z.enum(['ready', 'not-ready', 'draining']), checks: z.record(z.string(), z.string()) })],
    outside: { responses: { 503: 'not ready (the failing checks say why) or draining after SIGTERM' } },
  },
  {
    method: 'get',
    path: '/metrics',
    tag: 'operations',
    summary: 'Prometheus metrics, only with Authorization: Bearer $METRICS_TOKEN (404 otherwise)',
    ok: [200, z.string().meta({ description: 'Prometheus text exposition format' })],
    outside: { responses: { 404: 'no or wrong token, or no METRICS_TOKEN configured' }, security: 'metrics' },
  },
  {
    method: 'get',
    path: '/docs',
    tag: 'operations',
    summary: 'This document as a page',
    ok: [200, z.string().meta({ description: 'HTML' })],
    outside: { responses: {} },
  },
  {
    method: 'get',
    path: '/docs/openapi.json',
    tag: 'operations',
    summary: 'This document (OpenAPI 3.1)',
    ok: [200, z.object({ openapi: z.string() }).passthrough()],
    outside: { responses: {} },
  },
  {
    method: 'post',
    path: '/webhooks/hubspot',
    tag: 'webhooks',
    summary: "HubSpot's webhook deliveries (v3 signature), queued durably and applied to the portal copy in order",
    body: webhookEvents,
    ok: [204],
    outside: { responses: { 401: 'the v3 signature does not verify' } },
  },
  {
    method: 'get',
    path: '/oauth/install',
    tag: 'install',
    summary: "Starts the install: 302 to HubSpot's authorize URL",
    ok: [302, undefined, "redirect to HubSpot's consent"],
    outside: { responses: {} },
  },
  {
    method: 'get',
    path: '/oauth/callback',
    tag: 'install',
    summary: "HubSpot's redirect after consent: stores the install, then 302 to /oauth/installed",
    query: callbackQuery,
    ok: [302, undefined, 'redirect to /oauth/installed?portalId=N'],
    outside: {
      responses: { 400: 'HTML page: a bad, reused or expired state, a denied consent or a bad code', 502: 'HTML page: HubSpot failed' },
    },
  },
  {
    method: 'get',
    path: '/oauth/installed',
    tag: 'install',
    summary: 'The page shown after an install',
    query: z.object({
      portalId: z
        .string()
        .regex(/^\d{1,18}$/)
        .optional(),
    }),
    ok: [200, z.string().meta({ description: 'HTML' })],
    outside: { responses: {} },
  },

  // ---- the signed API -----------------------------------------------------------------------
  { method: 'get', path: '/api/v1/me', tag: 'people', summary: 'Who is looking, and what they may do', ok: [200, res.meResponse] },
  {
    method: 'get',
    path: '/api/v1/users',
    tag: 'people',
    summary: 'The people a manager can view a workspace as',
    managers: true,
    ok: [200, res.usersResponse],
  },
  {
    method: 'get',
    path: '/api/v1/sync/status',
    tag: 'sync',
    summary: "How complete and fresh the portal's copy is",
    managers: true,
    ok: [200, res.syncStatusResponse],
  },
  {
    method: 'get',
    path: '/api/v1/tasks/buckets',
    tag: 'tasks',
    summary: "Open tasks overdue, due today and tomorrow in the user's time zone (or a record's)",
    query: bucketsQuery,
    ok: [200, res.taskBucketsResponse],
  },
  {
    method: 'get',
    path: '/api/v1/guided-actions',
    tag: 'guided actions',
    summary: "The rep's guided actions, most urgent first",
    query: listQuery,
    ok: [200, res.guidedActionsResponse],
  },
  {
    method: 'post',
    path: '/api/v1/guided-actions/:id/feedback',
    tag: 'guided actions',
    summary: "The rep's answer on one action (the last answer wins)",
    params: { id: actionIdParam },
    body: feedbackBody,
    ok: [204],
  },
  {
    method: 'get',
    path: '/api/v1/health/summary',
    tag: 'health',
    summary: "Health of the viewer's customers (or the portal's, managers) under one profile",
    query: summaryQuery,
    ok: [200, res.healthSummaryResponse],
  },
  {
    method: 'get',
    path: '/api/v1/health/records/:objectType/:objectId',
    tag: 'health',
    summary: "One record's score, groups, criteria and last change",
    params: objectParams,
    query: recordQuery,
    ok: [200, res.healthRecordResponse],
  },
  {
    method: 'get',
    path: '/api/v1/health/alerts',
    tag: 'health',
    summary: 'Active alerts, newest first, paged',
    query: alertsQuery,
    ok: [200, res.healthAlertsResponse],
  },
  {
    method: 'get',
    path: '/api/v1/health/customers',
    tag: 'health',
    summary: 'The customers behind a summary count, paged',
    query: customersQuery,
    ok: [200, res.healthCustomersResponse],
  },
  { method: 'get', path: '/api/v1/health/profiles', tag: 'health', summary: 'Health profiles', ok: [200, res.healthProfilesResponse] },
  {
    method: 'get',
    path: '/api/v1/health/profiles/:id',
    tag: 'health',
    summary: 'One health profile',
    params: { id: idParam },
    ok: [200, res.healthProfileResponse],
  },
  {
    method: 'post',
    path: '/api/v1/health/profiles',
    tag: 'health',
    summary: 'Creates a health profile',
    managers: true,
    body: profileBody,
    ok: [201, res.healthProfileResponse],
  },
  {
    method: 'put',
    path: '/api/v1/health/profiles/:id',
    tag: 'health',
    summary: 'Saves a new version of a profile; 409 when someone saved since expectedVersion',
    managers: true,
    params: { id: idParam },
    body: updateBody,
    ok: [200, res.healthProfileResponse],
  },
  {
    method: 'delete',
    path: '/api/v1/health/profiles/:id',
    tag: 'health',
    summary: 'Deletes a profile (not the default)',
    managers: true,
    params: { id: idParam },
    ok: [204],
  },
  {
    method: 'post',
    path: '/api/v1/health/profiles/:id/preview',
    tag: 'health',
    summary: 'Dry run of a profile edit: summaries before and after, and the records that would change category',
    managers: true,
    params: { id: idParam },
    body: profileBody,
    ok: [200, res.healthPreviewResponse],
  },
  {
    method: 'post',
    path: '/api/v1/health/runs',
    tag: 'health',
    summary: 'Starts a scoring run now',
    managers: true,
    ok: [202, res.healthRunStarted],
  },
  {
    method: 'get',
    path: '/api/v1/health/runs/:id',
    tag: 'health',
    summary: 'A scoring run and its progress',
    params: { id: runIdParam },
    ok: [200, res.healthRunResponse],
  },
  {
    method: 'get',
    path: '/api/v1/actions/tasks',
    tag: 'actions',
    summary: 'Tasks of a built-in or custom view, filtered, sorted, paged',
    query: tasksQuery,
    ok: [200, res.actionsTasksResponse],
  },
  { method: 'get', path: '/api/v1/actions/views', tag: 'actions', summary: 'Task views', ok: [200, res.actionsViewsResponse] },
  {
    method: 'post',
    path: '/api/v1/actions/views',
    tag: 'actions',
    summary: 'Creates a task view (shared: managers)',
    body: viewBody,
    ok: [201, res.actionsView],
  },
  {
    method: 'patch',
    path: '/api/v1/actions/views/:viewId',
    tag: 'actions',
    summary: 'Edits a task view',
    params: { viewId: anyViewId },
    body: viewBody.partial(),
    ok: [200, res.actionsView],
  },
  {
    method: 'delete',
    path: '/api/v1/actions/views/:viewId',
    tag: 'actions',
    summary: 'Deletes a task view (body {"confirm": true})',
    params: { viewId: anyViewId },
    body: deleteBody,
    ok: [204],
  },
  {
    method: 'post',
    path: '/api/v1/actions/tasks',
    tag: 'actions',
    summary: 'Creates a task in HubSpot (and the copy)',
    body: createBody,
    ok: [201, res.createTaskResponse],
  },
  {
    method: 'post',
    path: '/api/v1/actions/tasks/:taskId/complete',
    tag: 'actions',
    summary: 'Completes one task in place',
    params: taskParams,
    ok: [200, res.createTaskResponse],
  },
  {
    method: 'post',
    path: '/api/v1/actions/jobs',
    tag: 'actions',
    summary: 'Starts a bulk job (complete, reopen, assign, edit, delete) over chosen or filtered tasks',
    body: bulkBody,
    ok: [202, res.bulkJobResponse],
  },
  {
    method: 'get',
    path: '/api/v1/actions/jobs/:jobId',
    tag: 'actions',
    summary: "A bulk job's progress and per-task results",
    params: { jobId: anyJobId },
    ok: [200, res.bulkJobResponse],
  },
  {
    method: 'post',
    path: '/api/v1/actions/jobs/:jobId/cancel',
    tag: 'actions',
    summary: 'Cancels what a bulk job has not done yet',
    params: { jobId: anyJobId },
    ok: [202, res.bulkJobResponse],
  },
  {
    method: 'get',
    path: '/api/v1/settings/customer-success',
    tag: 'settings',
    summary: 'Customer Success settings, the pickers and the last changes',
    ok: [200, res.customerSuccessSettingsResponse],
  },
  {
    method: 'get',
    path: '/api/v1/settings/customer-success/choices',
    tag: 'settings',
    summary: "The pickers' choices for another customer object",
    query: choicesQuery,
    ok: [200, res.customerSettingsChoicesResponse],
  },
  {
    method: 'put',
    path: '/api/v1/settings/customer-success',
    tag: 'settings',
    summary: 'Saves the Customer Success settings',
    managers: true,
    body: customersInput,
    ok: [200, res.customerSuccessSettingsResponse],
  },
  {
    method: 'get',
    path: '/api/v1/settings/customer-success/services',
    tag: 'settings',
    summary: 'The Services workspace settings (CS-SET-2), the objects and pickers, and the last changes',
    ok: [200, res.servicesSettingsResponse],
  },
  {
    method: 'put',
    path: '/api/v1/settings/customer-success/services',
    tag: 'settings',
    summary: 'Saves the Services workspace settings',
    managers: true,
    body: servicesInput,
    ok: [200, res.servicesSettingsResponse],
  },
  {
    method: 'get',
    path: '/api/v1/settings/customer-success/revenue',
    tag: 'settings',
    summary: 'The Revenue workspace settings (CS-SET-3): up to two objects, their pickers, and the last changes',
    ok: [200, res.revenueSettingsResponse],
  },
  {
    method: 'put',
    path: '/api/v1/settings/customer-success/revenue',
    tag: 'settings',
    summary: 'Saves the Revenue workspace settings',
    managers: true,
    body: revenueInput,
    ok: [200, res.revenueSettingsResponse],
  },
  {
    method: 'get',
    path: '/api/v1/settings/customer-success/object-choices',
    tag: 'settings',
    summary: "The Services and Revenue pickers' choices for one object: properties and pipelines",
    query: choicesQuery,
    ok: [200, res.pipelineObjectChoices],
  },
  {
    method: 'get',
    path: '/api/v1/workspace/:workspace',
    tag: 'workspace',
    summary: "A workspace's records under a view, filters and sort, paged (filters: JSON of WorkspaceFilters)",
    params: workspaceParams,
    query: recordsQuery,
    ok: [200, res.workspaceRecordsResponse],
  },
  {
    method: 'get',
    path: '/api/v1/workspace/:workspace/meta',
    tag: 'workspace',
    summary: "A workspace's filterable properties, operators and owners",
    params: workspaceParams,
    query: objectQuery,
    ok: [200, res.workspaceMetaResponse],
  },
  {
    method: 'get',
    path: '/api/v1/workspace/:workspace/views',
    tag: 'workspace',
    summary: 'Built-in and custom views with their counts',
    params: workspaceParams,
    query: objectQuery,
    ok: [200, res.workspaceViewsResponse],
  },
  {
    method: 'post',
    path: '/api/v1/workspace/:workspace/views',
    tag: 'workspace',
    summary: 'Creates a custom view (shared with everyone: managers)',
    params: workspaceParams,
    query: objectQuery,
    body: viewInput,
    ok: [201, res.workspaceViewResponse],
  },
  {
    method: 'put',
    path: '/api/v1/workspace/:workspace/views/:id',
    tag: 'workspace',
    summary: 'Edits a custom view',
    params: viewParams,
    query: objectQuery,
    body: viewInput,
    ok: [200, res.workspaceViewResponse],
  },
  {
    method: 'delete',
    path: '/api/v1/workspace/:workspace/views/:id',
    tag: 'workspace',
    summary: 'Deletes a custom view (body {"confirm": true})',
    params: viewParams,
    query: objectQuery,
    body: deleteInput,
    ok: [204],
  },
  {
    method: 'put',
    path: '/api/v1/workspace/:workspace/defaults',
    tag: 'workspace',
    summary: "The portal's default views, in order",
    managers: true,
    params: workspaceParams,
    query: objectQuery,
    body: defaultsInput,
    ok: [200, res.workspaceViewsResponse],
  },
  {
    method: 'get',
    path: '/api/v1/workspace/:workspace/records/:id',
    tag: 'workspace',
    summary: 'A record preview: properties, health, activities, associations',
    params: recordParams,
    query: objectQuery,
    ok: [200, res.workspacePreviewResponse],
  },
  {
    method: 'patch',
    path: '/api/v1/workspace/:workspace/records/:id',
    tag: 'workspace',
    summary: "Edits one property of a record in HubSpot (and the copy); answers the record's new preview",
    params: recordParams,
    query: objectQuery,
    body: editInput,
    ok: [200, res.workspacePreviewResponse],
  },
  {
    method: 'post',
    path: '/api/v1/workspace/:workspace/records/:id/stage',
    tag: 'workspace',
    summary: "Moves a record to a stage, with the properties the stage requires; answers the record's new preview",
    params: recordParams,
    query: objectQuery,
    body: stageInput,
    ok: [200, res.workspacePreviewResponse],
  },
  {
    method: 'get',
    path: '/api/v1/workspace/revenue/arr-at-risk',
    tag: 'workspace',
    summary: 'Renewal amounts by month and health category (Revenue)',
    query: arrQuery,
    ok: [200, res.arrAtRiskResponse],
  },
  {
    method: 'get',
    path: '/api/v1/workspace/:workspace/pipelines',
    tag: 'workspace',
    summary: 'The pipelines and stages a Services or Revenue workspace shows, with its default pipeline and layout',
    params: workspaceParams,
    query: objectQuery,
    ok: [200, res.workspacePipelinesResponse],
  },
  {
    method: 'get',
    path: '/api/v1/workspace/:workspace/board',
    tag: 'workspace',
    summary: "One pipeline's records as a board: a column per stage (filters: JSON of WorkspaceFilters)",
    params: workspaceParams,
    query: boardQuery,
    ok: [200, res.workspaceBoardResponse],
  },
  {
    method: 'get',
    path: '/api/v1/summary/schedule',
    tag: 'summary',
    summary: "Today's meetings and tasks of the user shown, in time order",
    ok: [200, res.todayScheduleResponse],
  },
  {
    method: 'get',
    path: '/api/v1/summary/reports',
    tag: 'summary',
    summary: "The user's chosen reports, computed, with the gallery and their HubSpot links",
    ok: [200, res.summaryReportsResponse],
  },
  {
    method: 'put',
    path: '/api/v1/summary/reports',
    tag: 'summary',
    summary: "Saves the user's choice of reports (at most five) and HubSpot links",
    body: reportsInput,
    ok: [200, res.summaryReportsResponse],
  },
  {
    method: 'get',
    path: '/api/v1/dashboards',
    tag: 'dashboards',
    summary: 'The dashboards the user shown sees, and the reports a new one can hold',
    ok: [200, res.dashboardsResponse],
  },
  {
    method: 'get',
    path: '/api/v1/teams',
    tag: 'dashboards',
    summary: 'The teams dashboard access can be given to, with their members',
    ok: [200, res.dashboardTeamsResponse],
  },
  {
    method: 'post',
    path: '/api/v1/dashboards',
    tag: 'dashboards',
    summary: 'Creates a dashboard for everyone or chosen teams',
    body: dashboardInput,
    ok: [201, res.dashboardCreatedResponse],
  },
  {
    method: 'get',
    path: '/api/v1/dashboards/:id',
    tag: 'dashboards',
    summary: 'A dashboard with its reports computed for the user shown',
    params: dashboardParams,
    ok: [200, res.dashboardResponse],
  },
  {
    method: 'delete',
    path: '/api/v1/dashboards/:id',
    tag: 'dashboards',
    summary: 'Deletes a dashboard (its creator or a manager; body {"confirm": true})',
    params: dashboardParams,
    body: dashboardDeleteInput,
    ok: [204],
  },
  {
    method: 'get',
    path: '/api/v1/schedule',
    tag: 'schedule',
    summary: "The user's tasks and meetings by day, week or month (a manager viewing as someone else: busy blocks only)",
    query: scheduleQuery,
    ok: [200, res.scheduleResponse],
  },
  {
    method: 'get',
    path: '/api/v1/feed',
    tag: 'feed',
    summary: "The activity of the contacts of the user's companies, newest first, paged",
    query: feedQuery,
    ok: [200, res.feedResponse],
  },
  {
    method: 'get',
    path: '/api/v1/sales/sequences',
    tag: 'sales',
    summary:
      "The user's open sequence tasks, one card per sequence with the step of each task and counts per step, cards paged (SW-2); enrollments never seen cost one HubSpot call per contact, at most 10 a request, the rest asked in the background",
    query: sequencesQuery,
    ok: [200, res.sequenceCardsResponse],
  },
  {
    method: 'post',
    path: '/api/v1/feed/dismissals',
    tag: 'feed',
    summary: 'Dismisses a feed item for the user (own feed only; 403 when viewing as someone else)',
    body: dismissBody,
    ok: [204],
  },
  {
    method: 'delete',
    path: '/api/v1/feed/dismissals/:itemId',
    tag: 'feed',
    summary: 'Brings a dismissed feed item back (own feed only)',
    params: { itemId: feedItemId },
    ok: [204],
  },
  {
    method: 'get',
    path: '/api/v1/install',
    tag: 'install',
    summary: 'The install as this portal and user see it',
    ok: [200, res.installStatusResponse],
  },
  {
    method: 'get',
    path: '/api/v1/install/managers',
    tag: 'install',
    summary: "The portal's managers and why each is one",
    managers: true,
    ok: [200, res.managersResponse],
  },
  {
    method: 'post',
    path: '/api/v1/install/managers',
    tag: 'install',
    summary: 'Makes a user a manager',
    managers: true,
    body: userIdBody,
    ok: [204],
  },
  {
    method: 'delete',
    path: '/api/v1/install/managers/:userId',
    tag: 'install',
    summary: 'Takes back a granted manager role',
    managers: true,
    params: { userId: managerUserIdParam },
    ok: [204],
  },
  {
    method: 'post',
    path: '/api/v1/install/purge',
    tag: 'install',
    summary: 'Removes Tiller from the portal and deletes its data now (body {"confirm": "<portalId>"})',
    managers: true,
    body: purgeBody,
    ok: [200, res.purgeResponse],
  },
];

const API_ERRORS: Record<string, string> = {
  400: 'bad input: `details` lists each bad field ([{ field, issue }]); also 413/414/415/431 for oversized or encoded requests',
  401: 'the HubSpot v3 signature is missing, wrong or more than 5 minutes off',
  403: 'NOT_INSTALLED (the portal has not installed Tiller) or FORBIDDEN (not a manager where one is needed, or asUserId by a non-manager)',
  404: 'no such endpoint, or no such object for this portal and user',
  409: 'NEEDS_RECONNECT (HubSpot refused the refresh token; details.reconnectUrl), or CONFLICT (a stale version)',
  429: 'RATE_LIMITED: HubSpot is busy for the portal; try again in a few seconds',
  500: 'INTERNAL: our fault (detail in our log only), or a request HubSpot refused as invalid',
  502: 'HUBSPOT_FAILED: HubSpot failed after our retries',
  503: 'UNAVAILABLE: HubSpot did not answer within the request budget',
};

const IDENTITY_PARAMETERS = {
  portalId: {
    name: 'portalId',
    in: 'query',
    required: true,
    description: "Added by HubSpot's proxy: the tenant",
    schema: { type: 'integer' },
  },
  userId: {
    name: 'userId',
    in: 'query',
    required: true,
    description: "Added by HubSpot's proxy: the HubSpot user",
    schema: { type: 'integer' },
  },
  userEmail: { name: 'userEmail', in: 'query', required: false, description: "Added by HubSpot's proxy", schema: { type: 'string' } },
  appId: { name: 'appId', in: 'query', required: false, description: "Added by HubSpot's proxy", schema: { type: 'integer' } },
  asUserId: {
    name: 'asUserId',
    in: 'query',
    required: false,
    description: 'Managers only: see the workspace as this user (403 for anyone else)',
    schema: { type: 'integer' },
  },
};

type JsonSchema = Record<string, unknown>;

/** Express `:name` to OpenAPI `{name}`. */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/:(\w+)/g, '{$1}');
}

/** Builds the document: schemas with an id (`.meta({ id })`) become components. */
export function openApiDocument(opts: { version: string; serverUrl?: string }): Record<string, unknown> {
  const components: Record<string, JsonSchema> = {};
  const toSchema = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
    const out = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any', reused: 'inline' }) as JsonSchema;
    const { $schema: _s, $defs, ...rest } = out;
    for (const [id, def] of Object.entries(($defs ?? {}) as Record<string, JsonSchema>)) components[id] = relink(def) as JsonSchema;
    return relink(rest) as JsonSchema;
  };

  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
    const parameters: unknown[] = [];
    const pathNames = [...op.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
    const params =
      op.params instanceof z.ZodType ? (toSchema(op.params, 'input').properties as Record<string, JsonSchema> | undefined) : undefined;
    for (const name of pathNames) {
      const schema =
        params?.[name] ?? (op.params && !(op.params instanceof z.ZodType) && op.params[name] ? toSchema(op.params[name], 'input') : {});
      parameters.push({ name, in: 'path', required: true, schema });
    }
    if (op.query) {
      const q = toSchema(op.query, 'input');
      const required = new Set((q.required as string[] | undefined) ?? []);
      for (const [name, schema] of Object.entries((q.properties ?? {}) as Record<string, JsonSchema>)) {
        parameters.push({ name, in: 'query', required: required.has(name), schema });
      }
    }
    const api = !op.outside;
    if (api) for (const name of Object.keys(IDENTITY_PARAMETERS)) parameters.push({ $ref: `#/components/parameters/${name}` });

    const [status, body, description] = op.ok;
    const responses: Record<string, unknown> = {
      [status]: {
        description: description ?? (body ? 'OK' : 'done, no body'),
        ...(body ? { content: { [isText(op) ? contentType(op) : 'application/json']: { schema: toSchema(body, 'output') } } } : {}),
      },
    };
    if (api) for (const code of Object.keys(API_ERRORS)) responses[code] = { $ref: `#/components/responses/E${code}` };
    else
      for (const [code, text] of Object.entries(op.outside!.responses)) responses[code] = errorResponse(text, op.path.startsWith('/oauth'));

    const operation: Record<string, unknown> = {
      operationId: operationId(op),
      tags: [op.tag],
      summary: op.summary + (op.managers ? ' (managers; 403 for anyone else)' : ''),
      ...(parameters.length ? { parameters } : {}),
      ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: toSchema(op.body, 'input') } } } } : {}),
      responses,
      ...(api
        ? { security: [{ hubspotSignature: [], hubspotTimestamp: [] }] }
        : op.outside?.security === 'metrics'
          ? { security: [{ metricsToken: [] }] }
          : op.path === '/webhooks/hubspot'
            ? { security: [{ hubspotSignature: [], hubspotTimestamp: [] }] }
            : {}),
    };
    (paths[openApiPath(op.path)] ??= {})[op.method] = operation;
  }

  const errorRef = { $ref: '#/components/schemas/Error' };
  toSchema(res.errorBody, 'output');
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Tiller backend API',
      version: opts.version,
      description:
        "Every call under /api/ comes through HubSpot's hubspot.fetch proxy, which signs it (X-HubSpot-Signature-v3 over method, " +
        'URI, raw body and timestamp) and appends portalId and userId. Errors are { error: { code, message, details? } }. ' +
        'Answers computed only in part say "partial": true with "warnings". Generated from the zod schemas the routes validate with.',
    },
    ...(opts.serverUrl ? { servers: [{ url: opts.serverUrl }] } : {}),
    paths,
    components: {
      schemas: components,
      parameters: IDENTITY_PARAMETERS,
      responses: Object.fromEntries(
        Object.entries(API_ERRORS).map(([code, text]) => [
          `E${code}`,
          { description: text, content: { 'application/json': { schema: errorRef } } },
        ]),
      ),
      securitySchemes: {
        hubspotSignature: {
          type: 'apiKey',
          in: 'header',
          name: 'X-HubSpot-Signature-v3',
          description:
            'Base64 HMAC-SHA256, with the app client secret, of method + PUBLIC_BASE_URL + path and query + raw body + timestamp',
        },
        hubspotTimestamp: {
          type: 'apiKey',
          in: 'header',
          name: 'X-HubSpot-Request-Timestamp',
          description: 'Milliseconds; at most 5 minutes off',
        },
        metricsToken: { type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN' },
      },
    },
  };
}

function isText(op: Operation): boolean {
  return op.path === '/metrics' || op.path === '/docs' || op.path === '/oauth/installed';
}
function contentType(op: Operation): string {
  return op.path === '/metrics' ? 'text/plain' : 'text/html';
}
function errorResponse(description: string, html: boolean): unknown {
  return html
    ? { description, content: { 'text/html': { schema: { type: 'string' } } } }
    : { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
}

function operationId(op: Operation): string {
  const words = op.path
    .replace(/^\/api\/v1/, '')
    .split(/[/:.-]/)
    .filter(Boolean);
  return [op.method, ...words].map((w, i) => (i === 0 ? w : w[0]!.toUpperCase() + w.slice(1))).join('');
}

/** zod's `#/$defs/X` references, as components. */
function relink(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(relink);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = k === '$ref' && typeof v === 'string' ? v.replace(/^#\/\$defs\//, '#/components/schemas/') : relink(v);
    }
    return out;
  }
  return value;
}

/** GET /docs (a page) and GET /docs/openapi.json. */
export function docsRoutes(opts: { version: string }): Router {
  const router = express.Router();
  let doc: Record<string, unknown> | undefined;
  let page: string | undefined;
  const document = () => (doc ??= openApiDocument(opts));
  router.get('/docs/openapi.json', (_req, res) => {
    res.json(document());
  });
  router.get('/docs', (_req, res) => {
    page ??= renderPage(document());
    res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
    res.type('html').send(page);
  });
  return router;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The document as one plain page: operations by tag, parameters, bodies and answers; schemas as JSON. */
export function renderPage(doc: Record<string, unknown>): string {
  const info = doc.info as { title: string; version: string; description: string };
  const paths = doc.paths as Record<string, Record<string, Record<string, unknown>>>;
  const byTag = new Map<string, string[]>();
  for (const [path, ops] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const tag = (op.tags as string[])[0]!;
      const params = ((op.parameters ?? []) as Record<string, unknown>[])
        .filter((p) => !p.$ref)
        .map(
          (p) =>
            `<tr><td><code>${esc(String(p.name))}</code></td><td>${esc(String(p.in))}${p.required ? ', required' : ''}</td><td><code>${esc(JSON.stringify(p.schema))}</code></td></tr>`,
        )
        .join('');
      const body = op.requestBody
        ? `<details><summary>request body</summary><pre>${esc(JSON.stringify((op.requestBody as { content: Record<string, { schema: unknown }> }).content['application/json']!.schema, null, 2))}</pre></details>`
        : '';
      const answers = Object.entries(op.responses as Record<string, Record<string, unknown>>)
        .map(([code, r]) => {
          if (r.$ref) return `<code>${esc(code)}</code>`;
          const content = r.content as Record<string, { schema: unknown }> | undefined;
          const schema = content ? Object.values(content)[0]!.schema : undefined;
          return schema
            ? `<details><summary><code>${esc(code)}</code> ${esc(String(r.description))}</summary><pre>${esc(JSON.stringify(schema, null, 2))}</pre></details>`
            : `<div><code>${esc(code)}</code> ${esc(String(r.description))}</div>`;
        })
        .join('');
      const html =
        `<section id="${esc(String(op.operationId))}"><h3><span class="m">${method.toUpperCase()}</span> <code>${esc(path)}</code></h3>` +
        `<p>${esc(String(op.summary))}</p>${params ? `<table><tr><th>parameter</th><th>in</th><th>schema</th></tr>${params}</table>` : ''}${body}` +
        `<div class="r">${answers}</div></section>`;
      byTag.set(tag, [...(byTag.get(tag) ?? []), html]);
    }
  }
  const schemas = (doc.components as { schemas: Record<string, unknown> }).schemas;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(info.title)} ${esc(info.version)}</title>
<style>body{font:15px/1.45 system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#222}h3{margin:1.4rem 0 .3rem}
.m{display:inline-block;min-width:4.2rem;font-size:.8rem;background:#33475b;color:#fff;border-radius:3px;padding:1px 6px;text-align:center}
pre{background:#f5f8fa;padding:.6rem;overflow:auto;font-size:12px}table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ddd;padding:2px 6px;text-align:left}
.r code{margin-right:.4rem}</style></head><body>
<h1>${esc(info.title)} <small>${esc(info.version)}</small></h1><p>${esc(info.description)}</p>
<p>The same document as OpenAPI 3.1: <a href="docs/openapi.json">openapi.json</a>. Every <code>/api/</code> operation also takes the
identity parameters HubSpot adds (<code>portalId</code>, <code>userId</code>, <code>userEmail</code>, <code>appId</code>; managers: <code>asUserId</code>)
and may answer the errors listed by code (see <code>Error</code>).</p>
<nav>${[...byTag.keys()].map((t) => `<a href="#tag-${esc(t.replace(/\W/g, '-'))}">${esc(t)}</a>`).join(' · ')}</nav>
${[...byTag.entries()].map(([t, ops]) => `<h2 id="tag-${esc(t.replace(/\W/g, '-'))}">${esc(t)}</h2>${ops.join('\n')}`).join('\n')}
<h2>Schemas</h2>${Object.entries(schemas)
    .map(
      ([id, s]) =>
        `<details id="schema-${esc(id)}"><summary><code>${esc(id)}</code></summary><pre>${esc(JSON.stringify(s, null, 2))}</pre></details>`,
    )
    .join('\n')}
</body></html>`;
}
