import type { HealthCategory } from '../../contract/api';
import { compileCriterion, type CompiledCriterion } from './criteria';
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

type Scored = { compiled: CompiledCriterion; score: CriterionScore };

/**
 * A group's score. With nothing excluded: clamp(Σ points, 0, max). When some criteria are
 * excluded: cap = min(max, Σ maxPoints of the remaining criteria), and
 * score = clamp(Σ points, 0, cap) × max / cap, i.e. the share of what could still be earned.
 */
function scoreGroup(group: Profile['groups'][number], scored: readonly Scored[]): GroupScore {
  const contributing = scored.filter((s) => !s.score.excluded);
  const rawPoints = contributing.reduce((sum, s) => sum + s.score.points, 0);
  const base = { id: group.id, label: group.label, maxPoints: group.maxPoints, rawPoints };
  if (contributing.length === 0) return { ...base, score: 0, rescaled: false, excluded: true };
  if (contributing.length === scored.length)
    return { ...base, score: oneDecimal(clamp(rawPoints, 0, group.maxPoints)), rescaled: false, excluded: false };
  const cap = Math.min(group.maxPoints, contributing.reduce((sum, s) => sum + s.compiled.maxPoints, 0));
  const score = cap > 0 ? (clamp(rawPoints, 0, cap) * group.maxPoints) / cap : 0;
  return { ...base, score: oneDecimal(score), rescaled: true, excluded: false };
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
        const scored = compiled.map((c): Scored => {
          const evaluation = c.evaluate(record, now);
          const criterion = c.criterion;
          return {
            compiled: c,
            score: {
              id: criterion.id,
              group: group.id,
              label: criterion.label,
              kind: criterion.kind,
              points: evaluation.points,
              noData: evaluation.noData,
              excluded: evaluation.noData && criterion.missingData === 'exclude',
              reason: evaluation.reason,
              facts: evaluation.facts,
            },
          };
        });
        const groupScore = scoreGroup(group, scored);
        groupScores.push(groupScore);
        for (const s of scored) criteria.push(s.score);
        if (!groupScore.excluded) {
          earned += groupScore.score;
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
