import { createHealthRepo } from '../storage';
import { queueRun, runPortal, type RunnerDeps } from '../services/health/runner';

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
};

export type RunOutcome = 'ran' | 'busy' | 'not-due';

export interface HealthScheduler {
  start(): void;
  /** Started and not stopping (readiness). */
  running(): boolean;
  stop(): Promise<void>;
  /** Queues an on-demand run (or returns the one already queued or running) and starts it here. */
  requestRun(portalId: number): Promise<{ runId: string; status: string }>;
  /** Runs what is due for one portal now, if no other instance holds its lock. */
  runDue(portalId: number): Promise<RunOutcome>;
  /** Resolves when the runs this instance started are over (tests). */
  idle(): Promise<void>;
}

export const lockKey = (portalId: number) => `health-run:${portalId}`;

export function createHealthScheduler(opts: HealthSchedulerOptions): HealthScheduler {
  const inFlight = new Map<number, Promise<RunOutcome>>();
  const intervalMs = opts.intervalMinutes * 60_000;
  let timer: NodeJS.Timeout | undefined;
  let stopping = false;

  async function runDue(portalId: number): Promise<RunOutcome> {
    const res = await opts.db.tryLock(lockKey(portalId), async () => {
      const repo = createHealthRepo(opts.db);
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
    },
    running: () => timer !== undefined && !stopping,
    async stop() {
      stopping = true;
      if (timer) clearInterval(timer);
      timer = undefined;
      await Promise.allSettled([...inFlight.values()]);
    },
    async requestRun(portalId) {
      const run = await queueRun(opts.db, portalId, 'on-demand', opts.now());
      void kick(portalId);
      return { runId: run.id, status: run.status };
    },
    runDue: kick,
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight.values()]);
    },
  };
}
