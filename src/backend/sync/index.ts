// The portal copy's engine room: one job per portal (first load, then polls, then reconciliations
// when due) under the portal's lock, so one instance at a time works on a portal's copy.
import { copyRepo, errorMessage, type SyncDeps } from './context';
import { applyChanges, type CopyChange } from './changes';
import { runFirstLoad } from './first-load';
import { pollPortal } from './poll';
import { reconcilePortal } from './reconcile';
import { freshnessOf, syncStatus, type Freshness, type SyncStatus } from './status';

export type { ApplyChanges, CopyChange } from './changes';
export type { Freshness, SyncStatus } from './status';
export { createApplyChanges } from './changes';

export type PortalSyncOptions = SyncDeps & {
  /** The portals whose copy is kept (installed ones). */
  portals: () => Promise<number[]>;
  /** How often each portal is polled (default 30 s). */
  pollMs?: number;
  /** How often each portal is reconciled (default 1 h). */
  reconcileMs?: number;
};

export type JobOutcome = 'loaded' | 'loading' | 'polled' | 'busy';

export interface PortalSync {
  start(): void;
  stop(): Promise<void>;
  /** Starts (or resumes) a portal's first load in the background: the install hook. */
  startFirstLoad(portalId: number): void;
  /**
   * What the portal's copy reads changed (settings): its job runs now, or again as soon as the one
   * this instance is running ends, so a type to load again starts without waiting for the next tick.
   */
  readsChanged(portalId: number): void;
  /** Runs the portal's job now (first load, poll, reconciliation when due) and waits for it. */
  runNow(portalId: number, opts?: { reconcile?: boolean }): Promise<JobOutcome>;
  applyChanges(portalId: number, changes: CopyChange[]): Promise<void>;
  status(portalId: number): Promise<SyncStatus>;
  freshness(portalId: number): Promise<Freshness>;
  /** Resolves when the jobs this instance started are over (tests). */
  idle(): Promise<void>;
}

const STOP_WAIT_MS = 5_000;

export const syncLockKey = (portalId: number) => `copy-sync:${portalId}`;

export function createPortalSync(opts: PortalSyncOptions): PortalSync {
  const pollMs = opts.pollMs ?? 30_000;
  const reconcileMs = opts.reconcileMs ?? 3_600_000;
  const inFlight = new Map<number, Promise<JobOutcome>>();
  /** Portals whose job runs once more when the one in flight ends (readsChanged). */
  const again = new Set<number>();
  let timer: NodeJS.Timeout | undefined;
  let stopping = false;
  const deps: SyncDeps = { ...opts, stopped: () => stopping };
  const repo = copyRepo(deps);

  async function job(portalId: number, forceReconcile: boolean): Promise<JobOutcome> {
    const res = await opts.db.tryLock(syncLockKey(portalId), async () => {
      // While a long first load runs, the types already loaded are polled on schedule, so they
      // stay fresh (webhooks aside) instead of waiting for the last type.
      let loading = true;
      const load = runFirstLoad(deps, portalId).finally(() => (loading = false));
      const pollWhileLoading = (async () => {
        for (;;) {
          await Promise.race([load.catch(() => {}), new Promise((r) => setTimeout(r, pollMs).unref())]);
          if (!loading || stopping) return;
          await pollPortal(deps, portalId).catch((err: unknown) =>
            opts.logger.warn({ portalId, err: errorMessage(err) }, 'copy: poll during the first load failed'),
          );
        }
      })();
      const loaded = await load;
      await pollWhileLoading;
      if (!loaded.ready) return 'loading' as const;
      if (stopping) return 'loaded' as const;
      await pollPortal(deps, portalId);
      const states = await repo.syncStates(portalId);
      const oldest = Math.min(...states.map((s) => s.lastReconciledAt?.getTime() ?? s.loadedAt?.getTime() ?? 0));
      if (forceReconcile || opts.now() - oldest >= reconcileMs) await reconcilePortal(deps, portalId);
      return 'polled' as const;
    });
    return res.acquired ? res.value : 'busy';
  }

  function kick(portalId: number, forceReconcile = false): Promise<JobOutcome> {
    const running = inFlight.get(portalId);
    if (running) return running;
    const p = job(portalId, forceReconcile)
      .catch((err: unknown) => {
        opts.logger.error({ portalId, err: errorMessage(err) }, 'copy: sync job failed; the next tick retries');
        return 'busy' as JobOutcome;
      })
      .finally(() => {
        inFlight.delete(portalId);
        if (again.delete(portalId) && !stopping) void kick(portalId);
      });
    inFlight.set(portalId, p);
    return p;
  }

  async function tick(): Promise<void> {
    if (stopping) return;
    try {
      for (const portalId of await opts.portals()) void kick(portalId);
    } catch (err) {
      opts.logger.error({ err: errorMessage(err) }, 'copy: sync tick failed');
    }
  }

  return {
    start() {
      if (timer) return;
      stopping = false;
      void tick();
      timer = setInterval(() => void tick(), pollMs);
      timer.unref();
    },
    async stop() {
      stopping = true;
      if (timer) clearInterval(timer);
      timer = undefined;
      // A job stops between pages; one waiting on HubSpot is not waited for past STOP_WAIT_MS (its
      // cursor is stored after every page, so the next start resumes it).
      await Promise.race([Promise.allSettled([...inFlight.values()]), new Promise((r) => setTimeout(r, STOP_WAIT_MS).unref())]);
    },
    startFirstLoad(portalId) {
      void kick(portalId);
    },
    readsChanged(portalId) {
      if (stopping) return;
      if (inFlight.has(portalId)) again.add(portalId);
      else void kick(portalId);
    },
    async runNow(portalId, o = {}) {
      await inFlight.get(portalId)?.catch(() => {});
      return kick(portalId, o.reconcile ?? false);
    },
    applyChanges: (portalId, changes) => applyChanges(deps, portalId, changes),
    status: (portalId) => syncStatus(repo, portalId, opts.now()),
    freshness: (portalId) => freshnessOf(repo, portalId, opts.now()),
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight.values()]);
    },
  };
}
