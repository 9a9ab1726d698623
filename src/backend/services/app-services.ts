import type { Logger } from 'pino';
import type { CrmGateway } from '../crm/gateway';
import { createHealthScheduler, type HealthScheduler } from '../jobs/health-scheduler';
import type { Database } from '../storage';
import { createGuidedActionsService, type GuidedActionsService } from './guided-actions';
import { profileService, type ProfileService } from './health/profiles';
import { healthQueries } from './health/queries';
import { createCopyRepo } from '../storage';
import { syncStatus } from '../sync/status';
import { createTaskBuckets } from './task-buckets';
import { createActionsService } from './actions';
import { customerSuccessSettings, type CustomerSuccessSettingsService } from './customer-success/settings';
import { workspaceService, type WorkspaceService } from './workspace/service';
import { workspaceWrites, type WorkspaceWrites } from './workspace/writes';
import { objectSettingsService, type ObjectSettingsService } from './customer-success/object-settings';
import type { BulkRunner } from '../jobs/bulk-runner';
import type { MeResponse, SyncStatusResponse, UsersResponse } from '../contract/api';
import type { CacheBus } from '../cache-bus';
import { summaryReportsService, type SummaryReportsService } from './summary-reports';
import { dashboardsService, type DashboardsService } from './dashboards';
import { createScheduleCache, getSchedule, getTodaySchedule } from './schedule';
import { createFeedCache, dismissFeedItem, getFeed, restoreFeedItem } from './feed';
import { createSequenceResolver, getSequenceCards, type SequenceResolver } from './sequences';
import { getMe, listUsers } from './me';

// The routes' one source of services: each is built once here, from the app's dependencies, so
// routes neither build services nor reach the database themselves (http never imports storage).

export type { Database } from '../storage';
export { FEEDBACK_ANSWERS, type FeedbackAnswer } from '../storage';
export type { HealthScheduler } from '../jobs/health-scheduler';

export type AppServicesDeps = {
  crm: CrmGateway;
  db: Database;
  now: () => number;
  logger: Logger;
  /** The process's scheduler (main.ts starts and stops it). Without one, on-demand runs only. */
  healthScheduler?: HealthScheduler;
  /** Stored scores younger than this are served as is (default: 2 × 6 h). */
  healthFreshForMs?: number;
  /** Bulk task jobs: the instance's runner (server.ts starts it); without one, jobs run as they are created. */
  bulkRunner?: BulkRunner;
  /** Cache invalidations shared with the other instances; without it, this instance's caches only. */
  bus?: CacheBus;
  /** SW-2: resolves pending sequence enrollments after a load; without one, the app makes its own. */
  sequenceResolver?: SequenceResolver;
};

export type AppServices = {
  crm: CrmGateway;
  now: () => number;
  healthScheduler: HealthScheduler;
  healthProfiles: ProfileService;
  health: ReturnType<typeof healthQueries>;
  guidedActions: GuidedActionsService;
  /** Task buckets from the portal copy (no HubSpot call). */
  taskBuckets: ReturnType<typeof createTaskBuckets>;
  /** GET /api/v1/me and /api/v1/users: from the copy (HubSpot before the first load copies the owners). */
  me: (portalId: number, input: Parameters<typeof getMe>[2]) => Promise<MeResponse>;
  users: (portalId: number) => Promise<UsersResponse>;
  /** How complete and fresh the portal's copy is. */
  syncStatus: (portalId: number) => Promise<SyncStatusResponse>;
  /** The Actions tab: task views, task writes, bulk jobs. */
  actions: ReturnType<typeof createActionsService>;
  /** The object workspaces (Customers today) and the Customer Success settings. */
  workspace: WorkspaceService;
  customerSuccessSettings: CustomerSuccessSettingsService;
  /** The Summary's today (CS-SUM-4), from the copy. */
  todaySchedule: (portalId: number, input: Parameters<typeof getTodaySchedule>[2]) => ReturnType<typeof getTodaySchedule>;
  /** The Summary's reports (CS-SUM-6) and the dashboards (CS-DASH-1, SW-5). */
  summaryReports: SummaryReportsService;
  dashboards: DashboardsService;
  /** The Schedule tab: tasks and meetings by day, week or month, from the copy. */
  schedule: (portalId: number, input: Parameters<typeof getSchedule>[2]) => ReturnType<typeof getSchedule>;
  /** The Feed tab: contacts' activity from the copy, and per-user dismissals. */
  feed: {
    list: (portalId: number, input: Parameters<typeof getFeed>[2]) => ReturnType<typeof getFeed>;
    dismiss: (portalId: number, userId: number, itemId: string, now: number) => Promise<void>;
    restore: (portalId: number, userId: number, itemId: string) => Promise<void>;
  };
  /** The Sales tab's sequence cards (SW-2): the copy, plus enrollment look-ups for enrollments never seen. */
  sequences: (portalId: number, input: Parameters<typeof getSequenceCards>[3]) => ReturnType<typeof getSequenceCards>;
  /** Inline edits and stage changes of the object workspaces (through the gateway, written through to the copy). */
  workspaceWrites: WorkspaceWrites;
  /** CS-SET-2/3: the Services and Revenue settings. */
  objectSettings: ObjectSettingsService;
};

/** Builds every service the routes use, once. */
export function createAppServices(deps: AppServicesDeps): AppServices {
  const { crm, db, now } = deps;
  // An app without the process's scheduler still starts on-demand runs: the same scheduler, never
  // ticking (no portal list), logging to the app's logger.
  const healthScheduler =
    deps.healthScheduler ?? createHealthScheduler({ db, crm, now, logger: deps.logger, portals: async () => [], intervalMinutes: 360 });
  const healthProfiles = profileService(db, now);
  const health = healthQueries({
    db,
    now,
    profiles: healthProfiles,
    freshForMs: deps.healthFreshForMs ?? 12 * 3_600_000,
    requestFirstRun: (portalId) =>
      void healthScheduler
        .requestRun(portalId)
        .catch((err: unknown) => deps.logger.warn({ portalId, err }, 'first health run not started')),
  });
  const guidedActions = createGuidedActionsService({ db, now, bus: deps.bus, logger: deps.logger });
  const copy = createCopyRepo(db);
  const summaryReports = summaryReportsService({ db, now, healthSummary: (c, v) => health.summary(c, v, undefined) });
  const workspace = workspaceService(db, now);
  // The Schedule tab and the Summary's today share one cache (the Summary's today is a day view).
  const scheduleCache = createScheduleCache(now);
  const feedCache = createFeedCache(now);
  // A setting naming what the copy reads: every instance's sync hears it (server.ts).
  const copyReadsChanged = (portalId: number) => void deps.bus?.invalidate(portalId, 'copy-settings');
  const sequenceResolver = deps.sequenceResolver ?? createSequenceResolver({ db, crm, now, logger: deps.logger });
  return {
    crm,
    now,
    healthScheduler,
    healthProfiles,
    health,
    guidedActions,
    taskBuckets: createTaskBuckets(db),
    me: (portalId, input) => getMe(copy, crm.portal(portalId), input, now()),
    users: (portalId) => listUsers(copy, crm.portal(portalId), now()),
    syncStatus: (portalId) => syncStatus(copy, portalId, now()),
    actions: createActionsService({ db, crm, now, logger: deps.logger, bulkRunner: deps.bulkRunner }),
    workspace,
    customerSuccessSettings: customerSuccessSettings(db, now, copyReadsChanged),
    todaySchedule: (portalId, input) => getTodaySchedule(db, portalId, input, scheduleCache),
    summaryReports,
    dashboards: dashboardsService({ db, now, reports: summaryReports }),
    schedule: (portalId, input) => getSchedule(db, portalId, input, scheduleCache),
    feed: {
      list: (portalId, input) => getFeed(db, portalId, input, feedCache),
      dismiss: (portalId, userId, itemId, at) => dismissFeedItem(db, portalId, userId, itemId, at),
      restore: (portalId, userId, itemId) => restoreFeedItem(db, portalId, userId, itemId),
    },
    sequences: (portalId, input) =>
      getSequenceCards(db, crm, portalId, { ...input, onPending: (ownerId) => sequenceResolver.kick(portalId, ownerId) }),
    workspaceWrites: workspaceWrites(db, now, workspace.preview),
    objectSettings: objectSettingsService(db, now, copyReadsChanged),
  };
}
