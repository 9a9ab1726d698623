import type { Logger } from 'pino';
import type { CrmGateway } from '../crm/gateway';
import { createHealthScheduler, type HealthScheduler } from '../jobs/health-scheduler';
import type { Database } from '../storage';
import { createGuidedActionsService, type GuidedActionsService } from './guided-actions';
import { profileService, type ProfileService } from './health/profiles';
import { healthQueries } from './health/queries';

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
};

export type AppServices = {
  crm: CrmGateway;
  now: () => number;
  healthScheduler: HealthScheduler;
  healthProfiles: ProfileService;
  health: ReturnType<typeof healthQueries>;
  guidedActions: GuidedActionsService;
};

/** Builds every service the routes use, once. */
export function createAppServices(deps: AppServicesDeps): AppServices {
  const { crm, db, now } = deps;
  // An app without the process's scheduler still starts on-demand runs: the same scheduler, never
  // ticking (no portal list), logging to the app's logger.
  const healthScheduler =
    deps.healthScheduler ??
    createHealthScheduler({ db, crm, now, logger: deps.logger, portals: async () => [], intervalMinutes: 360 });
  const healthProfiles = profileService(db, now);
  const health = healthQueries({
    db,
    now,
    profiles: healthProfiles,
    freshForMs: deps.healthFreshForMs ?? 12 * 3_600_000,
    requestFirstRun: (portalId) =>
      void healthScheduler.requestRun(portalId).catch((err: unknown) => deps.logger.warn({ portalId, err }, 'first health run not started')),
  });
  const guidedActions = createGuidedActionsService({ crm, db, now });
  return { crm, now, healthScheduler, healthProfiles, health, guidedActions };
}
