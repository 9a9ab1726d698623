import type { HealthCategory, HealthDelta } from '../../contract/api';

/** What a diff needs of a score: each criterion's points and, ideally, its reason phrase. */
export type CriterionPoints = { id: string; label: string; points: number; reason?: string };
export type ScoredCriteria = { criteria: readonly CriterionPoints[] };

const oneDecimal = (value: number) => Math.round(value * 10) / 10;

/**
 * Per-criterion point changes from `previous` to `current`, largest impact first. The label is
 * the current reason ("no meeting in 60 days"); a criterion present on one side only counts
 * from or to 0 (profile edits). Zero deltas are dropped.
 */
export function diffScores(previous: ScoredCriteria, current: ScoredCriteria): HealthDelta[] {
  const before = new Map(previous.criteria.map((c) => [c.id, c]));
  const deltas: HealthDelta[] = [];
  for (const c of current.criteria) {
    const old = before.get(c.id);
    before.delete(c.id);
    const delta = oneDecimal(c.points - (old?.points ?? 0));
    if (delta !== 0) deltas.push({ criterionId: c.id, label: c.reason ?? c.label, delta });
  }
  for (const old of before.values()) {
    const delta = oneDecimal(-old.points);
    if (delta !== 0) deltas.push({ criterionId: old.id, label: `${old.label} (removed)`, delta });
  }
  return deltas.sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta) || a.criterionId.localeCompare(b.criterionId));
}

export const CATEGORY_LABELS: Record<HealthCategory, string> = {
  AT_RISK: 'At risk',
  NEUTRAL: 'Neutral',
  GOOD: 'Good',
};

const RANK: Record<HealthCategory, number> = { AT_RISK: 0, NEUTRAL: 1, GOOD: 2 };

/** "+5", "−15" (a real minus sign), one decimal only when needed. */
export function formatDelta(delta: number): string {
  const abs = Math.abs(oneDecimal(delta));
  return `${delta < 0 ? '\u2212' : '+'}${abs}`;
}

/**
 * "Good → At risk: no meeting in 60 days −15, 3 open tickets −10". Shows the deltas that pushed
 * in the direction of the change (all deltas when the category did not move), `limit` at most.
 */
export function describeChange(from: HealthCategory, to: HealthCategory, deltas: readonly HealthDelta[], limit = 3): string {
  const head = from === to ? CATEGORY_LABELS[to] : `${CATEGORY_LABELS[from]} \u2192 ${CATEGORY_LABELS[to]}`;
  const direction = Math.sign(RANK[to] - RANK[from]);
  const pushing = direction === 0 ? [...deltas] : deltas.filter((d) => Math.sign(d.delta) === direction);
  const shown = (pushing.length > 0 ? pushing : [...deltas]).sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta)).slice(0, limit);
  if (shown.length === 0) return head;
  return `${head}: ${shown.map((d) => `${d.label} ${formatDelta(d.delta)}`).join(', ')}`;
}
