import { describe, expect, it } from 'vitest';
import type { SyncState } from '../storage';
import { etaSeconds, summarize } from './status';

const T0 = Date.parse('2026-12-05T03:00:00Z');
function state(over: Partial<SyncState>): SyncState {
  return {
    objectType: 'contacts',
    state: 'loading',
    records: 0,
    totalEstimate: null,
    cursor: null,
    highWaterMs: null,
    loadStartedAt: new Date(T0),
    loadedAt: null,
    lastChangeSeenAt: null,
    lastPolledAt: null,
    lastReconciledAt: null,
    loadedProperties: null,
    error: null,
    updatedAt: new Date(T0),
    ...over,
  };
}

describe('sync status: share done and time left', () => {
  it('gives each type and the whole load a share and a time left at the pace so far', () => {
    const states = [
      state({ objectType: 'contacts', records: 20_000, totalEstimate: 50_000 }),
      state({ objectType: 'tasks', state: 'ready', records: 10_000, totalEstimate: 10_000, loadedAt: new Date(T0 + 50_000) }),
    ];
    // 30,000 records in 100 s: 300 a second; 30,000 left: 100 s.
    const { status, freshness } = summarize(states, T0 + 100_000);
    expect(status).toMatchObject({ state: 'loading', percent: 50, etaSeconds: 100 });
    expect(status.objects.contacts).toMatchObject({ total: 50_000, percent: 40, etaSeconds: 150 });
    expect(status.objects.tasks).toMatchObject({ total: 10_000, percent: 100, etaSeconds: null });
    expect(freshness.syncing).toEqual({ percent: 50 });
  });

  it.each([
    ['nothing is loaded yet', [state({ records: 0, totalEstimate: 100 })]],
    ["a type's count is not known yet", [state({ records: 10, totalEstimate: null })]],
    ['no type has started', [state({ records: 0, totalEstimate: 100, loadStartedAt: null })]],
  ])('has no time left to give when %s', (_, states) => {
    expect(etaSeconds(states, T0 + 10_000)).toBeNull();
  });

  it('is 100 % with no time left once every type is ready', () => {
    const { status } = summarize([state({ state: 'ready', records: 5, totalEstimate: 7, loadedAt: new Date(T0) })], T0 + 1_000);
    expect(status).toMatchObject({ state: 'ready', percent: 100, etaSeconds: null });
  });
});
