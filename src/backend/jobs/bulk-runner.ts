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
  /** Batches applied at a time (default 2): a batch's writes overlap another's HubSpot call. */
  lanes?: number;
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
      // `lanes` batches at a time (default 2): while one batch's call is under way, another's
      // results are recorded or its call made. Batches are claimed in order, one claim at a time,
      // and marked sent when claimed. (A run that stops may leave a claimed batch marked sent but
      // not sent; the next run reads it back first, one batch read.)
      let claimedUpTo = -1;
      let claims: Promise<unknown> = Promise.resolve();
      const claim = () => {
        const next = claims.then(async () => {
          const b = await repo.nextBatch(portalId, jobId, claimedUpTo);
          if (!b) return null;
          claimedUpTo = b.batch;
          if (!b.sent) await repo.markSent(portalId, jobId, b.batch, new Date(opts.now()));
          return b;
        });
        claims = next.catch(() => {});
        return next;
      };
      let halt: JobRunOutcome | null = null;
      const lane = async (): Promise<void> => {
        while (!halt) {
          if (stopping) return void (halt ??= 'stopped');
          const job = await repo.getJob(portalId, jobId);
          if (!job) return void (halt ??= 'gone');
          if (job.cancelRequested) return void (halt ??= 'cancelled');
          const batch = await claim();
          if (!batch) return;
          // Background priority: the batch's calls queue behind every interactive call of the portal.
          const outcome = await runWithCallContext({ meter: new RequestMeter(), deadline: Infinity, priority: 'background' }, async () => {
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
          if ('retry' in outcome) {
            opts.logger.warn(
              { portalId, jobId, batch: batch.batch, err: outcome.retry.message },
              'bulk job: HubSpot could not take a batch now; retrying later',
            );
            if (outcome.retry.kind === 'unauthorized') {
              await repo.setStatus(portalId, jobId, 'failed', new Date(opts.now()), 'Tiller can no longer access this HubSpot portal.');
              return void (halt = 'done');
            }
            return void (halt ??= 'retry-later');
          }
          await opts.db.transaction((tx) => recordBatch(tx, { portalId, id: jobId }, batch.batch, outcome, opts.now()));
          await opts.onBatch?.({ portalId, jobId, batch: batch.batch });
        }
      };
      const lanes = await Promise.allSettled(Array.from({ length: opts.lanes ?? 2 }, lane));
      const failed = lanes.find((l): l is PromiseRejectedResult => l.status === 'rejected');
      if (failed) throw failed.reason;
      const outcome = halt as JobRunOutcome | null;
      if (outcome === 'cancelled') {
        await session.transaction((tx) => createActionsRepo(tx).cancelPending(portalId, jobId, new Date(opts.now())));
        opts.logger.info({ portalId, jobId }, 'bulk job cancelled');
        return 'cancelled' as const;
      }
      if (outcome) return outcome;
      // Every batch claimed was recorded; one left pending (none expected) is taken next run.
      if (await repo.nextBatch(portalId, jobId)) return 'retry-later' as const;
      const ended = await repo.getJob(portalId, jobId);
      await repo.setStatus(portalId, jobId, 'done', new Date(opts.now()));
      opts.logger.info({ portalId, jobId, done: ended?.done, failed: ended?.failed }, 'bulk job done');
      return 'done' as const;
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
