import { createHealthCopyRepo, createHealthRepo } from '../storage';
import { copyReadiness, queueRun, rescoreDirty, runPortal, type RunnerDeps } from '../services/health/runner';

// Every portal is scored every `intervalMinutes` and on demand. Each instance ticks; a portal's
// run happens under its PostgreSQL advisory lock (db.tryLock), and whether a run is due is read
// from health_runs under that lock, so with several instances each run happens exactly once and
// a crashed run is resumed by whichever instance gets the lock next.

export type HealthSchedulerOptions = RunnerDeps & {
  /** The portals to score (installed ones). */
  portals: () => Promise<number[]>;
  /** HEALTH_RUN_INTERVAL_MINUTES (default 360). */
  intervalMinutes: number;
  /** How often an instance checks for due runs (default 60 s). */
  tickMs?: number;
  /** Told how long each run this instance did took (metrics). */
  onRun?: (ms: number, ok: boolean) => void;
  /**
   * Rescoring of changed customers: a portal's dirty rows are rescored once no new mark came for
   * `rescoreQuietMs` (default 1 s), or at the latest `rescoreMaxWaitMs` (default 40 s) after the
   * oldest mark; checked every `rescoreTickMs` (default 500 ms). A lone change shows in the health
   * answers within seconds, as the copy's other answers do; a stream of changes is rescored in
   * batches. Worst case: max wait + a tick + the rescore itself, under a minute.
   */
  rescoreQuietMs?: number;
  rescoreMaxWaitMs?: number;
  rescoreTickMs?: number;
};

export type RunOutcome = 'ran' | 'busy' | 'not-due' | 'waiting-for-copy';

export interface HealthScheduler {
  start(): void;
  /** Started and not stopping (readiness). */
  running(): boolean;
  stop(): Promise<void>;
  /** Queues an on-demand run (or returns the one already queued or running) and starts it here. */
  requestRun(portalId: number): Promise<{ runId: string; status: string }>;
  /** Runs what is due for one portal now, if no other instance holds its lock. */
  runDue(portalId: number): Promise<RunOutcome>;
  /** Rescores a portal's dirty customers now, whatever the debounce (if no other instance is). */
  rescoreNow(portalId: number): Promise<void>;
  /** Resolves when the runs this instance started are over (tests). */
  idle(): Promise<void>;
}

export const lockKey = (portalId: number) => `health-run:${portalId}`;
export const rescoreLockKey = (portalId: number) => `health-rescore:${portalId}`;

/** Dirty rows rescored per pass (more wait for the next tick, a few seconds later). */
const RESCORE_BATCH = 5_000;

export function createHealthScheduler(opts: HealthSchedulerOptions): HealthScheduler {
  const inFlight = new Map<number, Promise<RunOutcome>>();
  const waiting = new Set<number>();
  const intervalMs = opts.intervalMinutes * 60_000;
  let timer: NodeJS.Timeout | undefined;
  let stopping = false;

  async function runDue(portalId: number): Promise<RunOutcome> {
    const res = await opts.db.tryLock(lockKey(portalId), async () => {
      const repo = createHealthRepo(opts.db);
      // Runs read the portal copy: while its first load (or a reload) runs, they wait, queued.
      const copy = await copyReadiness(opts, portalId);
      if (!copy.ready) {
        waiting.add(portalId); // checked again every rescore tick (seconds), not the next full tick
        return 'waiting-for-copy' as const;
      }
      waiting.delete(portalId);
      let outcome: RunOutcome = 'not-due';
      for (let i = 0; i < 5 && !stopping; i += 1) {
        let run = await repo.unfinishedRun(portalId);
        if (!run) {
          if (outcome === 'ran') break;
          const last = await repo.lastFinishedRun(portalId);
          if (last && opts.now() - last.requestedAt.getTime() < intervalMs) break;
          run = await queueRun(opts.db, portalId, 'scheduled', opts.now());
        }
        const started = performance.now();
        try {
          await runPortal(opts, portalId, run);
          opts.onRun?.(performance.now() - started, true);
        } catch {
          /* logged by runPortal; the run is queued again or failed */
          opts.onRun?.(performance.now() - started, false);
          outcome = 'ran';
          break;
        }
        outcome = 'ran';
      }
      return outcome;
    });
    return res.acquired ? res.value : 'busy';
  }

  function kick(portalId: number): Promise<RunOutcome> {
    const running = inFlight.get(portalId);
    if (running) return running;
    const p = runDue(portalId)
      .catch((err: unknown) => {
        opts.logger.error({ portalId, err }, 'health scheduler failed');
        return 'busy' as RunOutcome;
      })
      .finally(() => inFlight.delete(portalId));
    inFlight.set(portalId, p);
    return p;
  }

  const rescoring = new Map<number, Promise<void>>();
  let rescoreTimer: NodeJS.Timeout | undefined;

  /** One pass of a portal's dirty rows, under its rescore lock (one instance at a time). */
  async function rescore(portalId: number): Promise<void> {
    await opts.db.tryLock(rescoreLockKey(portalId), async () => {
      // Rescoring starts after the first full run (which scores everyone anyway).
      if (!(await createHealthRepo(opts.db).lastFinishedRun(portalId))) return;
      const rows = await createHealthCopyRepo(opts.db).dirty(portalId, RESCORE_BATCH);
      await rescoreDirty(opts, portalId, rows);
    });
  }

  async function rescoreTick(): Promise<void> {
    if (stopping) return;
    try {
      const installed = new Set(await opts.portals());
      // Portals whose runs wait for the copy start as soon as it is loaded.
      for (const portalId of waiting) if (installed.has(portalId)) void kick(portalId);
      const now = opts.now();
      for (const d of await createHealthCopyRepo(opts.db).dirtyPortals()) {
        if (!installed.has(d.portalId) || rescoring.has(d.portalId)) continue;
        const quiet = now - d.last.getTime() >= (opts.rescoreQuietMs ?? 1_000);
        const overdue = now - d.first.getTime() >= (opts.rescoreMaxWaitMs ?? 40_000);
        if (!quiet && !overdue) continue;
        const p = rescore(d.portalId)
          .catch((err: unknown) => opts.logger.error({ portalId: d.portalId, err }, 'health rescoring failed; the next tick retries'))
          .finally(() => rescoring.delete(d.portalId));
        rescoring.set(d.portalId, p);
      }
    } catch (err) {
      opts.logger.error({ err }, 'health rescore tick failed');
    }
  }

  async function tick(): Promise<void> {
    if (stopping) return;
    try {
      for (const portalId of await opts.portals()) void kick(portalId);
    } catch (err) {
      opts.logger.error({ err }, 'health scheduler tick failed');
    }
  }

  return {
    start() {
      if (timer) return;
      stopping = false;
      void tick();
      timer = setInterval(() => void tick(), opts.tickMs ?? 60_000);
      timer.unref();
      rescoreTimer = setInterval(() => void rescoreTick(), opts.rescoreTickMs ?? 500);
      rescoreTimer.unref();
    },
    running: () => timer !== undefined && !stopping,
    async stop() {
      stopping = true;
      if (timer) clearInterval(timer);
      if (rescoreTimer) clearInterval(rescoreTimer);
      timer = undefined;
      rescoreTimer = undefined;
      await Promise.allSettled([...inFlight.values(), ...rescoring.values()]);
    },
    async requestRun(portalId) {
      const run = await queueRun(opts.db, portalId, 'on-demand', opts.now());
      void kick(portalId);
      return { runId: run.id, status: run.status };
    },
    runDue: kick,
    async rescoreNow(portalId) {
      await rescoring.get(portalId);
      await rescore(portalId);
    },
    async idle() {
      while (inFlight.size > 0 || rescoring.size > 0) await Promise.allSettled([...inFlight.values(), ...rescoring.values()]);
    },
  };
}
