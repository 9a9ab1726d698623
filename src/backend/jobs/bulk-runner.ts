import type { CrmGateway } from '../crm/gateway';
import { RequestMeter, runWithCallContext } from '../crm/meter';
import type { BulkAction } from '../contract/api';
import { alreadyApplied, applyBatch, recordBatch, type BatchOutcome } from '../services/actions/bulk';
import { createActionsRepo, type Database } from '../storage';

// Bulk task jobs run in-process: each instance ticks over the unfinished jobs; a job runs under
// its PostgreSQL advisory lock (db.tryLock), so one instance at a time applies it. Each batch's
// results are recorded in the same transaction that takes its items out of 'pending', so a job
// stopped or killed at any point resumes at the first unrecorded batch and never re-applies a
// recorded one. A batch is marked sent before its call; one found sent but unrecorded (the process
// died during the call) is read back from HubSpot first, and only its tasks not yet changed are
// sent again: each task is changed once, unless HubSpot applies the lost call after that read.

export type BulkRunnerLogger = {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
};

export type BulkRunnerOptions = {
  db: Database;
  crm: CrmGateway;
  logger: BulkRunnerLogger;
  now: () => number;
  /** How often an instance looks for unfinished jobs (default 5 s). */
  tickMs?: number;
  /** After HubSpot said "not now" (429, 5xx after retries), wait this long before the job's next batch (default 10 s). */
  retryAfterMs?: number;
  /** Told after each recorded batch, and waited for (tests, metrics). */
  onBatch?: (e: { portalId: number; jobId: string; batch: number }) => void | Promise<void>;
};

export type JobRunOutcome = 'done' | 'cancelled' | 'stopped' | 'retry-later' | 'busy' | 'gone';

export interface BulkRunner {
  start(): void;
  stop(): Promise<void>;
  /** Runs a job here now (if no other instance holds it); resolves when this run ends. */
  kick(portalId: number, jobId: string): Promise<JobRunOutcome>;
  /** Resolves when the runs this instance started are over (tests). */
  idle(): Promise<void>;
}

export const bulkLockKey = (portalId: number, jobId: string) => `bulk-job:${portalId}:${jobId}`;

export function createBulkRunner(opts: BulkRunnerOptions): BulkRunner {
  const inFlight = new Map<string, Promise<JobRunOutcome>>();
  const notBefore = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;
  let stopping = false;
  const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

  async function run(portalId: number, jobId: string): Promise<JobRunOutcome> {
    const res = await opts.db.tryLock(bulkLockKey(portalId, jobId), async (session) => {
      const repo = createActionsRepo(session);
      const first = await repo.getJob(portalId, jobId);
      if (!first || !['queued', 'running'].includes(first.status)) return 'gone' as const;
      if (first.status === 'queued') await repo.setStatus(portalId, jobId, 'running', new Date(opts.now()));
      const crm = opts.crm.portal(portalId);
      const action = first.action as BulkAction;
      // While a batch's call is under way, the previous batch's results are recorded (on another
      // connection) and the next batch is picked and marked sent: a batch costs its HubSpot call
      // and a cancel check, not its call plus its writes. (A run that stops leaves the picked batch
      // marked sent but not sent; the next run reads it back first, one batch read.)
      let recording: Promise<void> = Promise.resolve();
      const settle = async () => {
        await recording;
        recording = Promise.resolve();
      };
      const prepare = async (after: number) => {
        const next = await repo.nextBatch(portalId, jobId, after);
        if (next && !next.sent) await repo.markSent(portalId, jobId, next.batch, new Date(opts.now()));
        return next;
      };
      let prepared = prepare(-1);
      try {
        for (;;) {
          if (stopping) return 'stopped' as const;
          const job = await repo.getJob(portalId, jobId);
          if (!job) return 'gone' as const;
          if (job.cancelRequested) {
            await settle();
            await session.transaction((tx) => createActionsRepo(tx).cancelPending(portalId, jobId, new Date(opts.now())));
            opts.logger.info({ portalId, jobId }, 'bulk job cancelled');
            return 'cancelled' as const;
          }
          let next = await prepared;
          if (!next) {
            await settle();
            next = await prepare(-1);
          }
          if (!next) {
            const ended = (await repo.getJob(portalId, jobId)) ?? job;
            await repo.setStatus(portalId, jobId, 'done', new Date(opts.now()));
            opts.logger.info({ portalId, jobId, done: ended.done, failed: ended.failed }, 'bulk job done');
            return 'done' as const;
          }
          const batch = next;
          // Background priority: the batch's calls queue behind every interactive call of the portal.
          const call = runWithCallContext({ meter: new RequestMeter(), deadline: Infinity, priority: 'background' }, async () => {
            let ids = batch.taskIds;
            let before: Exclude<BatchOutcome, { retry: unknown }> | undefined;
            if (batch.sent) {
              const check = await alreadyApplied(crm, action, ids);
              if ('retry' in check) return check;
              const applied = new Set(check.applied.map((r) => r.taskId));
              ids = ids.filter((id) => !applied.has(id));
              before = { results: check.applied, written: check.written };
              opts.logger.info(
                { portalId, jobId, batch: batch.batch, alreadyApplied: applied.size },
                'bulk job: a batch sent before a stop, checked',
              );
            }
            const sent: BatchOutcome = ids.length
              ? await applyBatch(crm, action, ids)
              : { results: [], written: { updated: [], archived: [] } };
            if ('retry' in sent || !before) return sent;
            return {
              results: [...before.results, ...sent.results],
              written: {
                updated: [...before.written.updated, ...sent.written.updated],
                archived: [...before.written.archived, ...sent.written.archived],
              },
            };
          });
          prepared = prepare(batch.batch);
          prepared.catch(() => {}); // awaited next round
          const outcome = await call;
          if ('retry' in outcome) {
            opts.logger.warn(
              { portalId, jobId, batch: batch.batch, err: outcome.retry.message },
              'bulk job: HubSpot could not take a batch now; retrying later',
            );
            if (outcome.retry.kind === 'unauthorized') {
              await repo.setStatus(portalId, jobId, 'failed', new Date(opts.now()), 'Tiller can no longer access this HubSpot portal.');
              return 'done' as const;
            }
            return 'retry-later' as const;
          }
          await settle();
          recording = opts.db
            .transaction((tx) => recordBatch(tx, { portalId, id: jobId }, batch.batch, outcome, opts.now()))
            .then(() => opts.onBatch?.({ portalId, jobId, batch: batch.batch }));
          // Not left unhandled while the next call is made; settle() rethrows it.
          recording.catch(() => {});
        }
      } finally {
        await Promise.allSettled([prepared]);
        await recording;
      }
    });
    return res.acquired ? res.value : 'busy';
  }

  function kick(portalId: number, jobId: string): Promise<JobRunOutcome> {
    const key = `${portalId}:${jobId}`;
    const running = inFlight.get(key);
    if (running) return running;
    const p = (async () => {
      const wait = (notBefore.get(key) ?? 0) - opts.now();
      if (wait > 0) await sleep(Math.min(wait, 60_000));
      const outcome = await run(portalId, jobId);
      if (outcome === 'retry-later') notBefore.set(key, opts.now() + (opts.retryAfterMs ?? 10_000));
      else notBefore.delete(key);
      return outcome;
    })()
      .catch((err: unknown) => {
        opts.logger.error(
          { portalId, jobId, err: err instanceof Error ? err.message : String(err) },
          'bulk job run failed; the next tick retries',
        );
        return 'retry-later' as JobRunOutcome;
      })
      .finally(() => inFlight.delete(key));
    inFlight.set(key, p);
    return p;
  }

  async function tick(): Promise<void> {
    if (stopping) return;
    try {
      for (const { portalId, id } of await createActionsRepo(opts.db).unfinishedJobs()) void kick(portalId, id);
    } catch (err) {
      opts.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'bulk runner tick failed');
    }
  }

  return {
    start() {
      if (timer) return;
      stopping = false;
      void tick();
      timer = setInterval(() => void tick(), opts.tickMs ?? 5_000);
      timer.unref();
    },
    async stop() {
      stopping = true;
      if (timer) clearInterval(timer);
      timer = undefined;
      await Promise.allSettled([...inFlight.values()]);
    },
    kick: (portalId, jobId) => (stopping ? Promise.resolve('stopped' as const) : kick(portalId, jobId)),
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight.values()]);
    },
  };
}
