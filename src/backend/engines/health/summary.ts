import { DateTime } from 'luxon';
import type { HealthCategory } from '../../contract/api';
import type { Thresholds } from './profile';
import { categoryFor } from './score';

export const HEALTH_CATEGORIES = ['AT_RISK', 'NEUTRAL', 'GOOD'] as const satisfies readonly HealthCategory[];

export type HealthSummary = {
  customers: number;
  /** One decimal; null without customers. */
  average: number | null;
  /** Percentages have one decimal and add up to exactly 100.0 (0 each without customers). */
  categories: Record<HealthCategory, { count: number; percent: number }>;
  thresholds: Thresholds;
  /** Ten bins [0,10) … [90,100]; 100 falls in the last. */
  distribution: { from: number; to: number; count: number }[];
};

const oneDecimal = (value: number) => Math.round(value * 10) / 10;

/** Percentages with one decimal that add up to 100.0, by largest remainder on tenths. */
function percentages(counts: readonly number[], total: number): number[] {
  if (total === 0) return counts.map(() => 0);
  const tenths = counts.map((c) => (c * 1000) / total);
  const floors = tenths.map(Math.floor);
  let left = 1000 - floors.reduce((a, b) => a + b, 0);
  const order = tenths.map((t, i) => ({ i, rest: t - Math.floor(t) })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    floors[i] = (floors[i] ?? 0) + 1;
    left -= 1;
  }
  return floors.map((f) => f / 10);
}

/** Average, category counts and percentages, and the 10-point distribution of scores. */
export function summarize(scores: readonly number[], thresholds: Thresholds): HealthSummary {
  const counts: Record<HealthCategory, number> = { AT_RISK: 0, NEUTRAL: 0, GOOD: 0 };
  const bins = Array.from({ length: 10 }, () => 0);
  let sum = 0;
  for (const score of scores) {
    sum += score;
    counts[categoryFor(score, thresholds)] += 1;
    const bin = Math.min(9, Math.max(0, Math.floor(score / 10)));
    bins[bin] = (bins[bin] ?? 0) + 1;
  }
  const percents = percentages(
    HEALTH_CATEGORIES.map((c) => counts[c]),
    scores.length,
  );
  const categories = Object.fromEntries(
    HEALTH_CATEGORIES.map((c, i) => [c, { count: counts[c], percent: percents[i] ?? 0 }]),
  ) as HealthSummary['categories'];
  return {
    customers: scores.length,
    average: scores.length === 0 ? null : oneDecimal(sum / scores.length),
    categories,
    thresholds: { atRiskBelow: thresholds.atRiskBelow, goodFrom: thresholds.goodFrom },
    distribution: bins.map((count, i) => ({ from: i * 10, to: i * 10 + 10, count })),
  };
}

export type SnapshotPoint = { recordId: string; at: number; score: number; profileVersion: number };

export type AveragePoint = {
  /** yyyy-MM-dd in the requested time zone. */
  date: string;
  average: number;
  customers: number;
  /** The latest profile version seen that day. */
  profileVersion: number;
  /** The version differs from the previous day's, or several versions were used that day. */
  versionChanged: boolean;
};

// Snapshots of one run share a timestamp give or take minutes; 15-minute slots are safe for
// every time zone offset (all are multiples of 15 minutes) and keep luxon out of the hot loop.
const SLOT_MS = 15 * 60_000;

/**
 * Average score per day in `timeZone`: each record counts once a day, with its latest snapshot
 * of that day, so the number of runs per day does not weigh in. Oldest day first.
 */
export function averageOverTime(snapshots: Iterable<SnapshotPoint>, timeZone: string): AveragePoint[] {
  if (!DateTime.fromMillis(0, { zone: timeZone }).isValid) throw new RangeError(`Unknown time zone: ${timeZone}`);
  const dateOfSlot = new Map<number, string>();
  const dateOf = (at: number) => {
    const slot = Math.floor(at / SLOT_MS);
    let date = dateOfSlot.get(slot);
    if (date === undefined) {
      date = DateTime.fromMillis(slot * SLOT_MS, { zone: timeZone }).toISODate() ?? '';
      dateOfSlot.set(slot, date);
    }
    return date;
  };

  const days = new Map<string, Map<string, SnapshotPoint>>();
  for (const s of snapshots) {
    const date = dateOf(s.at);
    let latest = days.get(date);
    if (!latest) days.set(date, (latest = new Map()));
    const seen = latest.get(s.recordId);
    if (!seen || s.at >= seen.at) latest.set(s.recordId, s);
  }

  const points: AveragePoint[] = [];
  let previousVersion: number | null = null;
  for (const date of [...days.keys()].sort()) {
    const latest = [...(days.get(date)?.values() ?? [])];
    const versions = new Set(latest.map((s) => s.profileVersion));
    const version = Math.max(...versions);
    points.push({
      date,
      average: oneDecimal(latest.reduce((sum, s) => sum + s.score, 0) / latest.length),
      customers: latest.length,
      profileVersion: version,
      versionChanged: versions.size > 1 || (previousVersion !== null && previousVersion !== version),
    });
    previousVersion = version;
  }
  return points;
}
