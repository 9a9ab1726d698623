import type { Sandbox } from './harness';

/** The sandbox's counters the scenarios read, under one set of names. */
export function sandboxCounters(sb: Sandbox) {
  const s = sb.control.stats() as unknown as Record<string, number | undefined>;
  return {
    total: s.totalCalls ?? 0,
    searches: s.searches ?? 0,
    rateLimited: s.rateLimited ?? 0,
    // HubSpot's 10 s window excludes searches; the search limit is per second (hubspot-platform.md §4).
    peak10s: s.peak10sGeneral ?? s.peak10s ?? 0,
    peakSearch1s: s.peak1sSearch ?? s.peak1s ?? 0,
  };
}
