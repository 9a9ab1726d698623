// How fresh and how complete a portal's copy is: GET /api/v1/sync/status, and the dataAsOf /
// syncing fields every answer computed from the copy carries (api.md "Freshness of every answer").
import type { CopyRepo, SyncState } from '../storage';

export type ObjectSyncStatus = {
  records: number;
  state: SyncState['state'];
  lastChangeSeenAt: string | null;
  lagSeconds: number | null;
  /** HubSpot's count when the type's load started (null before it is known). */
  total: number | null;
  /** Share of the type's first load done: 100 once ready. */
  percent: number;
  /** Seconds until the type's first load ends at its pace so far; null when ready or not measurable yet. */
  etaSeconds: number | null;
  /** Loaded before and loaded again (new properties): its records stay served; `percent` is this load's. */
  reloading: boolean;
};

export type SyncStatus = {
  state: 'loading' | 'ready' | 'needs-reconnect';
  dataAsOf: string;
  /** Share of the whole first load done (records loaded over HubSpot's counts): 100 once every type is ready. */
  percent: number;
  /** Seconds until the whole first load ends at its pace so far; null when ready or not measurable yet. */
  etaSeconds: number | null;
  objects: Record<string, ObjectSyncStatus>;
};

export type Freshness = { dataAsOf: string; syncing?: { percent: number } };

/** Until when an object type's copy is known complete: its last poll, else its load's start. */
function confirmedAt(s: SyncState): number | null {
  if (s.state !== 'ready' && !s.lastPolledAt) return null;
  return (s.lastPolledAt ?? s.loadStartedAt ?? s.loadedAt)?.getTime() ?? null;
}

/** A type the copy holds (loaded once) that is being loaded again. */
const isReload = (s: SyncState) => s.state !== 'ready' && s.loadedAt !== null;

/** Errors are stored as "<CrmError kind>: message"; an unauthorized one means the token is gone. */
export const RECONNECT_PREFIX = 'unauthorized:';

export function summarize(states: SyncState[], now: number): { freshness: Freshness; status: SyncStatus } {
  const confirmed = states.map(confirmedAt).filter((t): t is number => t !== null);
  const loading = states.length === 0 || states.some((s) => s.state !== 'ready');
  // While loading, the copy is complete up to nothing: dataAsOf is the oldest confirmed type, or now.
  const dataAsOf = new Date(confirmed.length ? Math.min(...confirmed) : now).toISOString();
  const freshness: Freshness = { dataAsOf };
  if (loading) freshness.syncing = { percent: percentLoaded(states) };
  const objects: SyncStatus['objects'] = {};
  for (const s of states) {
    const at = confirmedAt(s);
    objects[s.objectType] = {
      records: s.records,
      state: s.state,
      lastChangeSeenAt: s.lastChangeSeenAt?.toISOString() ?? null,
      lagSeconds: at === null ? null : Math.max(0, Math.round((now - at) / 1000)),
      total: s.totalEstimate,
      percent: percentLoaded([s]),
      etaSeconds: s.state === 'ready' ? null : etaSeconds([s], now),
      reloading: isReload(s),
    };
  }
  const reconnect = states.some((s) => s.state === 'error' && s.error?.startsWith(RECONNECT_PREFIX));
  return {
    freshness,
    status: {
      state: reconnect ? 'needs-reconnect' : loading ? 'loading' : 'ready',
      dataAsOf,
      percent: percentLoaded(states),
      etaSeconds: loading ? etaSeconds(states, now) : null,
      objects,
    },
  };
}

/**
 * Seconds left at the pace so far: records loaded since the earliest load start, against what
 * HubSpot's counts leave. Types load a few at a time, so the whole load's pace is the sum of theirs.
 * Null until a record is loaded, or while a type's count is unknown.
 */
export function etaSeconds(states: SyncState[], now: number): number | null {
  const open = states.filter((s) => s.state !== 'ready');
  if (open.length === 0 || open.some((s) => s.totalEstimate === null)) return null;
  const started = states.map((s) => s.loadStartedAt?.getTime()).filter((t): t is number => t !== undefined);
  if (started.length === 0) return null;
  const loaded = states.reduce((n, s) => n + (s.state === 'ready' ? s.records : Math.min(s.records, s.totalEstimate ?? s.records)), 0);
  const elapsed = now - Math.min(...started);
  if (loaded === 0 || elapsed <= 0) return null;
  const remaining = open.reduce((n, s) => n + Math.max(0, (s.totalEstimate ?? 0) - s.records), 0);
  return Math.round(remaining / (loaded / elapsed) / 1000);
}

/** Share of the first load done, weighted by HubSpot's counts; below 100 until every type is ready. */
export function percentLoaded(states: SyncState[]): number {
  if (states.length === 0) return 0;
  let done = 0;
  let total = 0;
  for (const s of states) {
    const size = Math.max(1, s.totalEstimate ?? s.records);
    total += size;
    done += s.state === 'ready' ? size : Math.min(s.records, size);
  }
  const percent = Math.floor((100 * done) / total);
  return states.every((s) => s.state === 'ready') ? 100 : Math.min(99, percent);
}

/**
 * The status, with `records` the records the copy holds: a type loaded again (new properties) keeps
 * serving the records it holds while the load goes on, and its load counter starts from 0 (its
 * `percent` is that load's share done).
 */
export async function syncStatus(repo: Pick<CopyRepo, 'syncStates' | 'countRecords'>, portalId: number, now: number): Promise<SyncStatus> {
  const states = await repo.syncStates(portalId);
  const { status } = summarize(states, now);
  await Promise.all(
    states.filter(isReload).map(async (s) => {
      const held = await repo.countRecords(portalId, s.objectType);
      status.objects[s.objectType]!.records = Math.max(s.records, held);
    }),
  );
  return status;
}

export async function freshnessOf(repo: CopyRepo, portalId: number, now: number): Promise<Freshness> {
  return summarize(await repo.syncStates(portalId), now).freshness;
}
