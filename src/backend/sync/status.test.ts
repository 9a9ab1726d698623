import { describe, expect, it } from 'vitest';
import type { SyncState } from '../storage';
import { etaSeconds, summarize, syncStatus } from './status';

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

describe('sync status while a type is loaded again', () => {
  it("counts the records the copy holds, not the new load's, whose share done is the type's percent", async () => {
    const states = [
      // Loaded before, now loaded again for a newly named property: 1,200 of 20,000 read so far.
      state({ objectType: 'companies', records: 1_200, totalEstimate: 20_000, loadedAt: new Date(T0 - 86_400_000) }),
      // A first load: what it has read is what the copy holds.
      state({ objectType: 'contacts', records: 300, totalEstimate: 1_000 }),
      state({ objectType: 'tasks', state: 'ready', records: 50, totalEstimate: 50, loadedAt: new Date(T0) }),
    ];
    const counted: string[] = [];
    const repo = {
      syncStates: async () => states,
      countRecords: async (_: number, type: string) => {
        counted.push(type);
        return type === 'companies' ? 20_000 : 0;
      },
    };
    const status = await syncStatus(repo, 1, T0 + 60_000);
    expect(status.objects.companies).toMatchObject({ records: 20_000, state: 'loading', percent: 6, reloading: true });
    expect(status.objects.contacts).toMatchObject({ records: 300, percent: 30, reloading: false });
    expect(status.objects.tasks).toMatchObject({ records: 50, percent: 100, reloading: false });
    expect(counted).toEqual(['companies']); // only a type loaded again is counted
  });
});
