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
  };
}

/** Compiles a profile once (criterion tables, lookup sets) for scoring many records. */
export function compileProfile(profile: Profile): CompiledProfile {
  const groups = profile.groups.map((group) => ({ group, criteria: group.criteria.map(compileCriterion) }));
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
