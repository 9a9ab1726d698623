import type { HealthCategory } from '../../contract/api';
import { compileCriterion } from './criteria';
import { matchesFilterGroups } from './operators';
import type { Profile, Thresholds } from './profile';
import type { HealthInputRecord } from './record';

export type CriterionScore = {
  id: string;
  group: string;
  label: string;
  kind: string;
  points: number;
  noData: boolean;
  /** No data and missingData = exclude: left out of its group, which is re-scaled. */
  excluded: boolean;
  reason: string;
  facts: Record<string, unknown>;
};

export type GroupScore = {
  id: string;
  label: string;
  maxPoints: number;
  /** 0..maxPoints, one decimal. */
  score: number;
  /** Sum of the contributing criteria's points, before clamping. */
  rawPoints: number;
  /** Some criteria were excluded and the rest scaled up to maxPoints. */
  rescaled: boolean;
  /** Every criterion was excluded: the group is left out of the total. */
  excluded: boolean;
  /**
   * What a person reads: the group's share of the 100 points once the excluded groups' weight is
   * shared out (0 when excluded), and its contribution to the record's score, one decimal each.
   * The shown maxima add up to 100 (0 when every group is excluded), the shown scores to `score`.
   */
  shownMaxPoints: number;
  shownScore: number;
};

export type ScoreResult = {
  recordId: string;
  profileId: string;
  profileVersion: number;
  /** Integer 0..100. */
  score: number;
  category: HealthCategory;
  /** Share of the profile's 100 points that had data (1 = nothing excluded at group level). */
  coverage: number;
  groups: GroupScore[];
  criteria: CriterionScore[];
};

export type CompiledProfile = {
  profile: Profile;
  inSegment: (record: HealthInputRecord) => boolean;
  score: (record: HealthInputRecord, now: number) => ScoreResult;
};

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));
const oneDecimal = (value: number) => Math.round(value * 10) / 10;

/** At risk below atRiskBelow, Good from goodFrom, Neutral in between. */
export function categoryFor(score: number, thresholds: Thresholds): HealthCategory {
  if (score < thresholds.atRiskBelow) return 'AT_RISK';
  if (score >= thresholds.goodFrom) return 'GOOD';
  return 'NEUTRAL';
}

/**
 * Tenths that add up to `target` exactly: each value rounded to a tenth, then the remainder
 * moved one tenth at a time to the values rounding lost most on (or took most from), never past
 * `cap`. `exact`, `cap` and the result are in tenths; feasible when 0 <= target <= Σ cap.
 */
function apportionTenths(exact: readonly number[], target: number, cap: readonly number[]): number[] {
  const out = exact.map((x, i) => clamp(Math.round(x), 0, cap[i]!));
  let diff = target - out.reduce((a, b) => a + b, 0);
  while (diff !== 0) {
    const step = diff > 0 ? 1 : -1;
    let best = -1;
    for (let i = 0; i < out.length; i++) {
      if (step > 0 ? out[i]! >= cap[i]! : out[i]! <= 0) continue;
      if (best < 0 || step * (exact[i]! - out[i]!) > step * (exact[best]! - out[best]!)) best = i;
    }
    if (best < 0) break;
    out[best]! += step;
    diff -= step;
  }
  return out;
}

/**
 * The groups' shown maxima and scores: the excluded groups' weight shared out among the others
 * in proportion, so that the numbers add up (maxima to 100, scores to the record's score).
 */
function shareOut(groupScores: GroupScore[], maxima: readonly number[], available: number, score: number): void {
  if (available <= 0) return;
  const scale = 1000 / available; // tenths of the 100 points per point of the remaining groups
  const max = apportionTenths(
    groupScores.map((g, i) => (g.excluded ? 0 : maxima[i]! * scale)),
    1000,
    groupScores.map(() => 1000),
  );
  const got = apportionTenths(
    groupScores.map((g) => (g.excluded ? 0 : g.score * scale)),
    score * 10,
    max,
  );
  groupScores.forEach((g, i) => {
    g.shownMaxPoints = max[i]! / 10;
    g.shownScore = got[i]! / 10;
  });
}

/**
 * A group's score. With nothing excluded: clamp(Σ points, 0, max). When some criteria are
 * excluded: cap = min(max, Σ maxPoints of the remaining criteria), and
 * score = clamp(Σ points, 0, cap) × max / cap, i.e. the share of what could still be earned.
 */
function groupScore(
  group: Profile['groups'][number],
  tally: { rawPoints: number; contributing: number; total: number; remainingMax: number },
): GroupScore {
  const { rawPoints, contributing, total, remainingMax } = tally;
  const max = group.maxPoints;
  let score = 0;
  if (contributing === total) score = clamp(rawPoints, 0, max);
  else if (contributing > 0) {
    const cap = Math.min(max, remainingMax);
    score = cap > 0 ? (clamp(rawPoints, 0, cap) * max) / cap : 0;
  }
  return {
    id: group.id,
    label: group.label,
    maxPoints: max,
    score: oneDecimal(score),
    rawPoints,
    rescaled: contributing > 0 && contributing < total,
    excluded: contributing === 0,
    shownMaxPoints: 0,
    shownScore: 0,
  };
}

/** Compiles a profile once (criterion tables, lookup sets) for scoring many records. */
export function compileProfile(profile: Profile): CompiledProfile {
  const groups = profile.groups.map((group) => ({ group, criteria: group.criteria.map(compileCriterion) }));
  const maxima = profile.groups.map((g) => g.maxPoints);
  return {
    profile,
    inSegment: (record) => matchesFilterGroups(profile.segment, record.properties),
    score: (record, now) => {
      const criteria: CriterionScore[] = [];
      const groupScores: GroupScore[] = [];
      let earned = 0;
      let available = 0;
      for (const { group, criteria: compiled } of groups) {
        const tally = { rawPoints: 0, contributing: 0, total: compiled.length, remainingMax: 0 };
        for (const c of compiled) {
          const evaluation = c.evaluate(record, now);
          const criterion = c.criterion;
          const excluded = evaluation.noData && criterion.missingData === 'exclude';
          criteria.push({
            id: criterion.id,
            group: group.id,
            label: criterion.label,
            kind: criterion.kind,
            points: evaluation.points,
            noData: evaluation.noData,
            excluded,
            reason: evaluation.reason,
            facts: evaluation.facts,
          });
          if (!excluded) {
            tally.rawPoints += evaluation.points;
            tally.contributing += 1;
            tally.remainingMax += c.maxPoints;
          }
        }
        const scored = groupScore(group, tally);
        groupScores.push(scored);
        if (!scored.excluded) {
          earned += scored.score;
          available += group.maxPoints;
        }
      }
      // Groups with no data at all are left out and the rest scaled to 100.
      const score = available > 0 ? clamp(Math.round((earned * 100) / available), 0, 100) : 0;
      shareOut(groupScores, maxima, available, score);
      return {
        recordId: record.id,
        profileId: profile.id,
        profileVersion: profile.version,
        score,
        category: categoryFor(score, profile.thresholds),
        coverage: oneDecimal(available) / 100,
        groups: groupScores,
        criteria,
      };
    },
  };
}

const compiledCache = new WeakMap<Profile, CompiledProfile>();

function compiled(profile: Profile): CompiledProfile {
  let found = compiledCache.get(profile);
  if (!found) {
    found = compileProfile(profile);
    compiledCache.set(profile, found);
  }
  return found;
}

/** Scores one record under a profile at `now` (epoch ms). */
export function scoreRecord(profile: Profile, record: HealthInputRecord, now: number): ScoreResult {
  return compiled(profile).score(record, now);
}

/** Scores the records that fall in the profile's segment; the profile is compiled once. */
export function scoreRecords(profile: Profile, records: Iterable<HealthInputRecord>, now: number): ScoreResult[] {
  const scorer = compiled(profile);
  const results: ScoreResult[] = [];
  for (const record of records) if (scorer.inSegment(record)) results.push(scorer.score(record, now));
  return results;
}

/** Whether a record falls in the profile's segment (search-API filter semantics). */
export function inSegment(profile: Profile, record: HealthInputRecord): boolean {
  return compiled(profile).inSegment(record);
}
