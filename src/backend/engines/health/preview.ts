import type { HealthCategory } from '../../contract/api';
import type { Profile } from './profile';
import type { HealthInputRecord } from './record';
import { compileProfile } from './score';
import { summarize, type HealthSummary } from './summary';

export type PreviewChange = {
  recordId: string;
  label: string;
  /** null: the record is outside the old (from) or new (to) profile's segment. */
  from: HealthCategory | null;
  to: HealthCategory | null;
  scoreBefore: number | null;
  scoreAfter: number | null;
};

export type ProfilePreview = {
  before: HealthSummary;
  after: HealthSummary;
  /** Records whose category, or segment membership, differs; largest score move first. */
  changed: PreviewChange[];
};

/**
 * Dry run of a profile edit on the same data at the same `now`: summaries under both profiles
 * and the records that would change category. Raw categories, no hysteresis.
 */
export function previewProfile(
  oldProfile: Profile,
  newProfile: Profile,
  records: Iterable<HealthInputRecord>,
  now: number,
): ProfilePreview {
  const oldScorer = compileProfile(oldProfile);
  const newScorer = compileProfile(newProfile);
  const before: number[] = [];
  const after: number[] = [];
  const changed: PreviewChange[] = [];
  for (const record of records) {
    const old = oldScorer.inSegment(record) ? oldScorer.score(record, now) : null;
    const next = newScorer.inSegment(record) ? newScorer.score(record, now) : null;
    if (old) before.push(old.score);
    if (next) after.push(next.score);
    if ((old?.category ?? null) !== (next?.category ?? null))
      changed.push({
        recordId: record.id,
        label: record.label,
        from: old?.category ?? null,
        to: next?.category ?? null,
        scoreBefore: old?.score ?? null,
        scoreAfter: next?.score ?? null,
      });
  }
  const move = (c: PreviewChange) => Math.abs((c.scoreAfter ?? 0) - (c.scoreBefore ?? 0));
  changed.sort((a, b) => move(b) - move(a) || a.recordId.localeCompare(b.recordId));
  return {
    before: summarize(before, oldProfile.thresholds),
    after: summarize(after, newProfile.thresholds),
    changed,
  };
}
