import type { HealthAlert, HealthCategory, HealthDelta, ObjectRef } from '../../contract/api';
import { diffScores, type CriterionPoints } from './explain';
import type { Hysteresis, Thresholds } from './profile';
import { categoryFor } from './score';

// Confirmed categories with hysteresis, and the alerts they raise. See docs/decisions for why.

export const ALERT_LIFETIME_MS = 14 * 86_400_000;

/** What a stored snapshot must keep for the next decision. */
export type HealthSnapshot = {
  runId: string;
  /** Epoch ms. */
  at: number;
  profileVersion: number;
  score: number;
  /** The category of `score` under `profileVersion`'s thresholds (no hysteresis). */
  category: HealthCategory;
  /** The category after hysteresis: what the customer "is" as of this snapshot. */
  confirmedCategory: HealthCategory;
  criteria: readonly CriterionPoints[];
};

export type TransitionInput = {
  /** Earlier snapshots of this record under this profile, any order; at least `consecutiveRuns` recent ones. */
  history: readonly HealthSnapshot[];
  current: { runId: string; at: number; profileVersion: number; score: number; criteria: readonly CriterionPoints[] };
  thresholds: Thresholds;
  hysteresis: Hysteresis;
};

export const TRANSITION_OUTCOMES = [
  'first-score', // no earlier snapshot: baseline
  'version-baseline', // first snapshot under a new profile version: baseline, never an alert
  'unchanged', // same category as the confirmed one
  'pending', // a different category, not confirmed yet
  'confirmed-by-margin', // beyond the crossed threshold by ≥ marginPoints
  'confirmed-by-runs', // held for consecutiveRuns runs in a row
] as const;
export type TransitionOutcome = (typeof TRANSITION_OUTCOMES)[number];

export type CategoryChange = {
  from: HealthCategory;
  to: HealthCategory;
  /** Epoch ms. */
  raisedAt: number;
  expiresAt: number;
  deltas: HealthDelta[];
};

export type TransitionDecision = {
  outcome: TransitionOutcome;
  category: HealthCategory;
  confirmedCategory: HealthCategory;
  previousConfirmed: HealthCategory | null;
  /** Runs in a row (this one included) with `category`, under this version. */
  runs: number;
  /** How far the score lies outside the previously confirmed category's range (0 inside). */
  distance: number;
  /** Set when the confirmed category changed because the customer changed: raise an alert. */
  change: CategoryChange | null;
  /** The snapshot to store for this run. */
  snapshot: HealthSnapshot;
};

type Range = { from: number; to: number };

function rangeOf(category: HealthCategory, t: Thresholds): Range {
  if (category === 'AT_RISK') return { from: 0, to: t.atRiskBelow };
  if (category === 'NEUTRAL') return { from: t.atRiskBelow, to: t.goodFrom };
  return { from: t.goodFrom, to: Infinity };
}

/** Points beyond the threshold crossed when leaving `category`: [from, to) holds it. */
export function distanceOutside(score: number, category: HealthCategory, thresholds: Thresholds): number {
  const { from, to } = rangeOf(category, thresholds);
  if (score < from) return from - score;
  if (score >= to) return score - to;
  return 0;
}

/**
 * Decides the confirmed category for a new score. Only snapshots under the current profile
 * version count: the first snapshot under a new version is a baseline (no alert), so a change
 * caused by a profile edit never alerts. A different category is confirmed when the score lies
 * ≥ marginPoints beyond the crossed threshold, or when it held for consecutiveRuns runs.
 */
export function decideTransition(input: TransitionInput): TransitionDecision {
  const { current, thresholds, hysteresis } = input;
  const category = categoryFor(current.score, thresholds);
  // Re-running the same run (after a crash) must decide the same thing: ignore its own snapshot.
  const history = input.history.filter((s) => s.runId !== current.runId).sort((a, b) => a.at - b.at);

  const sameVersion: HealthSnapshot[] = [];
  for (let i = history.length - 1; i >= 0; i -= 1) {
    const s = history[i];
    if (!s || s.profileVersion !== current.profileVersion) break;
    sameVersion.unshift(s);
  }
  const last = history.at(-1);
  const previous = sameVersion.at(-1);

  const decide = (
    outcome: TransitionOutcome,
    confirmedCategory: HealthCategory,
    runs: number,
    distance: number,
    change: CategoryChange | null,
  ): TransitionDecision => ({
    outcome,
    category,
    confirmedCategory,
    previousConfirmed: last?.confirmedCategory ?? null,
    runs,
    distance,
    change,
    snapshot: { ...current, category, confirmedCategory },
  });

  if (!last) return decide('first-score', category, 1, 0, null);
  if (!previous) return decide('version-baseline', category, 1, 0, null);

  const confirmed = previous.confirmedCategory;
  let runs = 1;
  for (let i = sameVersion.length - 1; i >= 0 && sameVersion[i]?.category === category; i -= 1) runs += 1;
  if (category === confirmed) return decide('unchanged', confirmed, runs, 0, null);

  const distance = distanceOutside(current.score, confirmed, thresholds);
  const outcome: TransitionOutcome | null =
    distance >= hysteresis.marginPoints ? 'confirmed-by-margin' : runs >= hysteresis.consecutiveRuns ? 'confirmed-by-runs' : null;
  if (!outcome) return decide('pending', confirmed, runs, distance, null);

  // Explain against the latest snapshot still in the old category, not the pending one.
  const reference = [...sameVersion].reverse().find((s) => s.category === confirmed) ?? sameVersion[0] ?? previous;
  return decide(outcome, category, runs, distance, {
    from: confirmed,
    to: category,
    raisedAt: current.at,
    expiresAt: current.at + ALERT_LIFETIME_MS,
    deltas: diffScores(reference, current),
  });
}

/** The API's alert for a confirmed change; the id is stable per (profile, record, run). */
export function toHealthAlert(change: CategoryChange, record: ObjectRef, ids: { profileId: string; runId: string }): HealthAlert {
  return {
    id: `${ids.profileId}:${record.objectType}:${record.objectId}:${ids.runId}`,
    record,
    from: change.from,
    to: change.to,
    raisedAt: new Date(change.raisedAt).toISOString(),
    expiresAt: new Date(change.expiresAt).toISOString(),
    deltas: change.deltas,
  };
}

/** Whether an alert is still shown at `now` (it expires 14 days after it was raised). */
export function isAlertActive(change: Pick<CategoryChange, 'expiresAt'>, now: number): boolean {
  return now < change.expiresAt;
}
