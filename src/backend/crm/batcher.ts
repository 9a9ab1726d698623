import { currentCallContext, runWithCallContext, RequestMeter, type CallContext } from './meter';

const URGENCY: Record<CallContext['priority'], number> = { interactive: 0, changes: 1, background: 2 };

type Waiter<V> = { key: string; resolve: (v: V | undefined) => void; reject: (e: unknown) => void; ctx: CallContext | undefined };

/**
 * Coalesces concurrent asks of one portal for records of one kind into batch calls, and picks a
 * call's ids only when the rate limiter lets the call start. Under load, everyone who asked while
 * the call waited for its slot rides in it, so a burst of users costs a few large calls instead of
 * many small ones; alone, a call leaves at once with what there is.
 */
export class SlotBatcher<V> {
  private queue: Waiter<V>[] = [];
  private running = 0;
  /** Dispatches that wait for their slot and have not taken their ids yet. */
  private waitingForSlot = 0;

  constructor(
    private readonly opts: {
      max: number;
      parallel: number;
      /** Starts one call; `take` (call it inside the rate-limited slot, as often as needed) gives its ids. */
      start: (take: () => string[]) => Promise<Map<string, V>>;
    },
  ) {}

  /** Nothing queued and no call under way: the batcher can be dropped and built again when needed. */
  get idle(): boolean {
    return this.queue.length === 0 && this.running === 0;
  }

  load(key: string): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      this.queue.push({ key, resolve, reject, ctx: currentCallContext() });
      this.pump();
    });
  }

  loadMany(keys: string[]): Promise<(V | undefined)[]> {
    return Promise.all(keys.map((k) => this.load(k)));
  }

  private pump(): void {
    while (this.queue.length > this.waitingForSlot * this.opts.max && this.running < this.opts.parallel) {
      this.running++;
      this.waitingForSlot++;
      let taken: Waiter<V>[] | null = null;
      const take = (): string[] => {
        if (!taken) {
          this.waitingForSlot--;
          taken = this.takeBatch();
        }
        return [...new Set(taken.map((w) => w.key))];
      };
      runWithCallContext(this.sharedContext(), () => this.opts.start(take))
        .then(
          (results) => {
            if (!taken) this.waitingForSlot--; // never took its ids: they stay queued for the next call
            for (const w of taken ?? []) w.resolve(results.get(w.key));
          },
          (err: unknown) => {
            // A call that failed before its slot (deadline, no token) fails the asks it would have
            // carried, rather than leaving them for a next call that would fail the same way.
            take();
            for (const w of taken ?? []) w.reject(err);
          },
        )
        .finally(() => {
          this.running--;
          this.pump();
        });
    }
  }

  /**
   * The next call's asks, the most urgent first (a user's, then a change notification's, then the
   * copy's loads and polls; in asking order within each): a webhook's re-read rides in the next
   * call that gets its slot instead of waiting behind a poll's thousands of queued re-reads.
   */
  private takeBatch(): Waiter<V>[] {
    const out: Waiter<V>[] = [];
    const keys = new Set<string>();
    const rest: Waiter<V>[] = [];
    const ordered = this.queue.map((w, i) => ({ w, i, rank: URGENCY[w.ctx?.priority ?? 'interactive'] }));
    ordered.sort((a, b) => a.rank - b.rank || a.i - b.i);
    for (const { w } of ordered) {
      if (keys.has(w.key) || keys.size < this.opts.max) {
        keys.add(w.key);
        out.push(w);
      } else rest.push(w);
    }
    this.queue = rest;
    return out;
  }

  /** The call serves several requests: the latest deadline and the most urgent priority among them. */
  private sharedContext(): CallContext {
    const contexts = this.queue.map((w) => w.ctx).filter((c): c is CallContext => c !== undefined);
    if (contexts.length === 0) return { meter: new RequestMeter(), deadline: Infinity, priority: 'background' };
    return {
      meter: contexts[0]!.meter,
      deadline: Math.max(...contexts.map((c) => c.deadline)),
      priority: (['interactive', 'changes'] as const).find((p) => contexts.some((c) => c.priority === p)) ?? 'background',
    };
  }
}
