import type {
  ActionsFilters,
  ActionsSort,
  ActionsTasksResponse,
  ActionsView,
  ActionsViewRequest,
  BulkJobRequest,
  BulkJobResponse,
  CreateTaskRequest,
  CreateTaskResponse,
} from '../../contract/api';
import type { CrmGateway } from '../../crm/gateway';
import { createBulkRunner, type BulkRunner, type BulkRunnerLogger } from '../../jobs/bulk-runner';
import type { Database } from '../../storage';
import { bulkJobResponse, cancelBulkJob, createBulkJob, visibleJob } from './bulk';
import { createActionsPageCache, listActionsTasks, type Viewer } from './tasks';
import { createView, deleteView, listViews, updateView, type ViewActor } from './views';
import { completeTask, createTask } from './write';

export { filtersQuery, filtersSchema, parseFilters, sortSchema } from './tasks';

/** The Actions tab's use cases, bound to the app's database, gateway, clock and bulk runner. */
export type ActionsService = ReturnType<typeof createActionsService>;

export function createActionsService(deps: {
  db: Database;
  crm: CrmGateway;
  logger: BulkRunnerLogger;
  now: () => number;
  bulkRunner?: BulkRunner;
}) {
  const { db, crm, now } = deps;
  // Without the instance's runner (tests, tools), jobs run in this process as they are created.
  const runner = deps.bulkRunner ?? createBulkRunner({ db, crm, logger: deps.logger, now });
  type Actor = ViewActor;
  const pages = createActionsPageCache(now);
  return {
    listTasks: (
      viewer: Viewer,
      q: { view: string; filters: ActionsFilters; sort?: ActionsSort; after?: string; limit: number },
    ): Promise<ActionsTasksResponse> => listActionsTasks(db, viewer, { ...q, now: now() }, pages),
    listViews: (actor: Actor): Promise<ActionsView[]> => listViews(db, actor),
    createView: (actor: Actor, req: ActionsViewRequest): Promise<ActionsView> => createView(db, actor, req, now()),
    updateView: (actor: Actor, id: string, patch: Partial<ActionsViewRequest>): Promise<ActionsView> =>
      updateView(db, actor, id, patch, now()),
    deleteView: (actor: Actor, id: string): Promise<void> => deleteView(db, actor, id),
    createTask: (viewer: Viewer, req: CreateTaskRequest): Promise<CreateTaskResponse> =>
      createTask(db, crm.portal(viewer.portalId), viewer, req, now()),
    completeTask: (viewer: Viewer, taskId: string): Promise<CreateTaskResponse> =>
      completeTask(db, crm.portal(viewer.portalId), viewer, taskId, now()),
    async createJob(viewer: Viewer, req: BulkJobRequest): Promise<BulkJobResponse> {
      const job = await createBulkJob(db, viewer, req, now());
      void runner.kick(viewer.portalId, job.id);
      return bulkJobResponse(db, job);
    },
    async job(actor: Actor, id: string): Promise<BulkJobResponse> {
      return bulkJobResponse(db, await visibleJob(db, actor, id));
    },
    async cancelJob(actor: Actor, id: string): Promise<BulkJobResponse> {
      const job = await cancelBulkJob(db, actor, id, now());
      // A job no runner holds right now (waiting to retry, or between ticks) is cancelled by this kick.
      void runner.kick(actor.portalId, job.id);
      return bulkJobResponse(db, job);
    },
  };
}
