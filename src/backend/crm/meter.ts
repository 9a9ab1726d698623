import { AsyncLocalStorage } from 'node:async_hooks';
import type { Priority } from './limiter';
import type { CallKind } from './types';

type Span = { kind: CallKind; start: number; end: number };

/** Counts the HubSpot calls one incoming request caused, and the depth of its critical path. */
export class RequestMeter {
  private readonly spans: Span[] = [];

  record(kind: CallKind, start: number, end: number): void {
    this.spans.push({ kind, start, end });
  }

  get calls(): number {
    return this.spans.length;
  }

  byKind(): Partial<Record<CallKind, number>> {
    const out: Partial<Record<CallKind, number>> = {};
    for (const s of this.spans) out[s.kind] = (out[s.kind] ?? 0) + 1;
    return out;
  }

  /** Longest chain of calls where each started after the previous one ended: sequential round trips. */
  depth(): number {
    const spans = [...this.spans].sort((a, b) => a.start - b.start);
    const chain: number[] = [];
    let best = 0;
    spans.forEach((s, i) => {
      let d = 1;
      for (let j = 0; j < i; j++) {
        if (spans[j]!.end <= s.start) d = Math.max(d, chain[j]! + 1);
      }
      chain[i] = d;
      best = Math.max(best, d);
    });
    return best;
  }
}

/** What every HubSpot call made on behalf of one incoming request can see. */
export type CallContext = {
  meter: RequestMeter;
  /** Epoch ms after which no new HubSpot call starts and retries stop. */
  deadline: number;
  priority: Priority;
};

const storage = new AsyncLocalStorage<CallContext>();

export function runWithCallContext<T>(ctx: CallContext, fn: () => T): T {
  return storage.run(ctx, fn);
}

export function currentCallContext(): CallContext | undefined {
  return storage.getStore();
}
