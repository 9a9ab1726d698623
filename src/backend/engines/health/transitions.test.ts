import { describe, expect, it } from 'vitest';
import type { HealthCategory } from '../../contract/api';
import { DEFAULT_HYSTERESIS, DEFAULT_THRESHOLDS, type Hysteresis } from './profile';
import type { CriterionPoints } from './explain';
import {
  ALERT_LIFETIME_MS,
  decideTransition,
  isAlertActive,
  toHealthAlert,
  type HealthSnapshot,
  type TransitionDecision,
  type TransitionOutcome,
} from './transitions';
import { buildDefaultProfile } from './default-profile';
import { profileSchema } from './profile';
import { scoreRecord } from './score';
import { makeRecord, meeting, NOW } from './test-factories';

const RUN_MS = 6 * 3_600_000;
type Step = number | { score: number; version?: number; criteria?: CriterionPoints[] };

/** Feeds scores run after run, storing each decision's snapshot as the next run's history. */
function runs(steps: Step[], hysteresis: Hysteresis = DEFAULT_HYSTERESIS): TransitionDecision[] {
  const history: HealthSnapshot[] = [];
  return steps.map((step, i) => {
    const { score, version = 1, criteria = [] } = typeof step === 'number' ? { score: step } : step;
    const decision = decideTransition({
      history,
      current: { runId: `run-${i}`, at: NOW + i * RUN_MS, profileVersion: version, score, criteria },
      thresholds: DEFAULT_THRESHOLDS,
      hysteresis,
    });
    history.push(decision.snapshot);
    return decision;
  });
}

const confirmed = (decisions: TransitionDecision[]) => decisions.map((d) => d.confirmedCategory);
const alerts = (decisions: TransitionDecision[]) =>
  decisions.flatMap((d, i) => (d.change ? [`${i}: ${d.change.from} → ${d.change.to}`] : []));

describe('hysteresis keeps categories from flapping', () => {
  it.each<[string, Step[], HealthCategory[], string[]]>([
    ['a first score is a baseline, without an alert', [72], ['GOOD'], []],
    ['a score hovering around 70 never flaps', [72, 68, 71, 69, 70, 68, 71], Array(7).fill('GOOD'), []],
    ['a score hovering around 40 never flaps', [38, 41, 39, 42, 38], Array(5).fill('AT_RISK'), []],
    [
      'a new category held for two runs in a row is confirmed on the second',
      [72, 68, 67],
      ['GOOD', 'GOOD', 'NEUTRAL'],
      ['2: GOOD → NEUTRAL'],
    ],
    ['a drop 5 points past the threshold is confirmed at once', [72, 65], ['GOOD', 'NEUTRAL'], ['1: GOOD → NEUTRAL']],
    ['a drop 4 points past the threshold waits', [72, 66], ['GOOD', 'GOOD'], []],
    ['a rise to 45 from At risk is confirmed at once', [35, 45], ['AT_RISK', 'NEUTRAL'], ['1: AT_RISK → NEUTRAL']],
    ['a rise to 44 from At risk waits for the next run', [35, 44, 43], ['AT_RISK', 'AT_RISK', 'NEUTRAL'], ['2: AT_RISK → NEUTRAL']],
    ['a fall from Good straight to At risk alerts once', [80, 30, 30], ['GOOD', 'AT_RISK', 'AT_RISK'], ['1: GOOD → AT_RISK']],
    ['a pending change that reverts starts counting again', [72, 68, 72, 68, 72], Array(5).fill('GOOD'), []],
    ['a steady score never alerts', [55, 55, 55], Array(3).fill('NEUTRAL'), []],
  ])('%s', (_name, steps, expectedCategories, expectedAlerts) => {
    const decisions = runs(steps);
    expect(confirmed(decisions)).toEqual(expectedCategories);
    expect(alerts(decisions)).toEqual(expectedAlerts);
  });

  it.each<[TransitionOutcome, Step[]]>([
    ['first-score', [72]],
    ['unchanged', [72, 75]],
    ['pending', [72, 68]],
    ['confirmed-by-runs', [72, 68, 68]],
    ['confirmed-by-margin', [72, 60]],
  ])('says why: %s', (outcome, steps) => {
    expect(runs(steps).at(-1)?.outcome).toBe(outcome);
  });

  it('uses the configured number of runs', () => {
    const decisions = runs([72, 68, 67, 66], { consecutiveRuns: 3, marginPoints: 5 });
    expect(confirmed(decisions)).toEqual(['GOOD', 'GOOD', 'GOOD', 'NEUTRAL']);
  });

  it('a margin of 0 and one run confirm every change at once', () => {
    expect(alerts(runs([72, 69, 70], { consecutiveRuns: 1, marginPoints: 0 }))).toEqual(['1: GOOD → NEUTRAL', '2: NEUTRAL → GOOD']);
  });
});

describe('a change caused only by a new profile version never alerts', () => {
  it('the first snapshot under a new version is a baseline', () => {
    const decisions = runs([72, { score: 35, version: 2 }]);
    expect(decisions[1]).toMatchObject({
      outcome: 'version-baseline',
      confirmedCategory: 'AT_RISK',
      previousConfirmed: 'GOOD',
      change: null,
    });
  });

  it('later changes under the new version alert as usual', () => {
    const decisions = runs([72, { score: 35, version: 2 }, { score: 36, version: 2 }, { score: 50, version: 2 }]);
    expect(alerts(decisions)).toEqual(['3: AT_RISK → NEUTRAL']);
  });

  it('a change pending under the old version is dropped by the baseline', () => {
    const decisions = runs([72, 68, { score: 68, version: 2 }, { score: 69, version: 2 }]);
    expect(alerts(decisions)).toEqual([]);
    expect(confirmed(decisions)).toEqual(['GOOD', 'GOOD', 'NEUTRAL', 'NEUTRAL']);
  });

  it('when the caller stores the old data re-scored under the new version, a real change in the next run still alerts', () => {
    // Saving version 2 re-scores the data of the last run (as the dry run does) into a baseline.
    const decisions = runs([72, { score: 74, version: 2 }, { score: 60, version: 2 }]);
    expect(decisions[1]?.outcome).toBe('version-baseline');
    expect(alerts(decisions)).toEqual(['2: GOOD → NEUTRAL']);
  });

  it('snapshots of older versions do not count towards consecutive runs', () => {
    const decisions = runs([72, 68, { score: 72, version: 2 }, { score: 68, version: 2 }]);
    expect(decisions[3]).toMatchObject({ outcome: 'pending', runs: 1 });
  });
});

describe('a config-only change, end to end', () => {
  it('the same customer data re-scored under a stricter new version changes category without an alert', () => {
    const v1 = buildDefaultProfile({ hasEngagements: true, hasTickets: true, hasDeals: false, hasCsmSentiment: false });
    const v2 = profileSchema.parse({ ...v1, version: 2, thresholds: { atRiskBelow: 90, goodFrom: 95 } });
    const record = makeRecord({
      engagements: [meeting(3), ...[1, 2, 4, 6, 8].map((d) => ({ type: 'CALL' as const, timestamp: NOW - d * 86_400_000 }))],
    });
    const history: HealthSnapshot[] = [];
    const decisions = [v1, v1, v2, v2].map((profile, i) => {
      const result = scoreRecord(profile, record, NOW + i * RUN_MS);
      const decision = decideTransition({
        history,
        current: {
          runId: `run-${i}`,
          at: NOW + i * RUN_MS,
          profileVersion: profile.version,
          score: result.score,
          criteria: result.criteria,
        },
        thresholds: profile.thresholds,
        hysteresis: profile.hysteresis,
      });
      history.push(decision.snapshot);
      return decision;
    });
    expect(decisions.map((d) => [d.outcome, d.confirmedCategory])).toEqual([
      ['first-score', 'GOOD'],
      ['unchanged', 'GOOD'],
      ['version-baseline', 'AT_RISK'],
      ['unchanged', 'AT_RISK'],
    ]);
    expect(decisions.every((d) => d.change === null)).toBe(true);
  });
});

describe('an alert explains itself and expires', () => {
  const good: CriterionPoints[] = [
    { id: 'meetings', label: 'Last meeting', reason: 'last meeting 3 days ago', points: 20 },
    { id: 'tickets', label: 'Open tickets', reason: 'no open tickets', points: 20 },
    { id: 'nps', label: 'NPS', reason: 'NPS 9', points: 10 },
  ];
  const pending: CriterionPoints[] = [
    { id: 'meetings', label: 'Last meeting', reason: 'last meeting 40 days ago', points: 10 },
    { id: 'tickets', label: 'Open tickets', reason: 'no open tickets', points: 20 },
    { id: 'nps', label: 'NPS', reason: 'NPS 9', points: 10 },
  ];
  const bad: CriterionPoints[] = [
    { id: 'meetings', label: 'Last meeting', reason: 'no meeting in 60 days', points: 5 },
    { id: 'tickets', label: 'Open tickets', reason: '3 open tickets', points: 10 },
    { id: 'nps', label: 'NPS', reason: 'NPS 9', points: 10 },
  ];
  const decisions = runs([
    { score: 75, criteria: good },
    { score: 68, criteria: pending },
    { score: 67, criteria: bad },
  ]);
  const change = decisions[2]?.change;

  it('carries the deltas since the last snapshot in the old category, largest first', () => {
    expect(change?.deltas).toEqual([
      { criterionId: 'meetings', label: 'no meeting in 60 days', delta: -15 },
      { criterionId: 'tickets', label: '3 open tickets', delta: -10 },
    ]);
  });

  it('expires 14 days after it was raised', () => {
    expect(change?.raisedAt).toBe(NOW + 2 * RUN_MS);
    expect(change?.expiresAt).toBe(NOW + 2 * RUN_MS + ALERT_LIFETIME_MS);
    expect(isAlertActive(change!, change!.raisedAt + ALERT_LIFETIME_MS - 1)).toBe(true);
    expect(isAlertActive(change!, change!.raisedAt + ALERT_LIFETIME_MS)).toBe(false);
  });

  it('becomes the API alert with ISO dates and a stable id', () => {
    const alert = toHealthAlert(
      change!,
      { objectType: 'companies', objectId: '4', label: 'Acme' },
      { profileId: 'default', runId: 'run-2' },
    );
    expect(alert).toEqual({
      id: 'default:companies:4:run-2',
      record: { objectType: 'companies', objectId: '4', label: 'Acme' },
      from: 'GOOD',
      to: 'NEUTRAL',
      raisedAt: '2026-03-16T00:00:00.000Z',
      expiresAt: '2026-03-30T00:00:00.000Z',
      deltas: change!.deltas,
    });
  });
});

describe('re-running a run decides the same thing', () => {
  it('a snapshot already stored for the current run is ignored', () => {
    const history: HealthSnapshot[] = runs([72, 68]).map((d) => d.snapshot);
    const input = { thresholds: DEFAULT_THRESHOLDS, hysteresis: DEFAULT_HYSTERESIS };
    const current = { runId: 'run-2', at: NOW + 2 * RUN_MS, profileVersion: 1, score: 67, criteria: [] };
    const first = decideTransition({ ...input, history, current });
    const again = decideTransition({ ...input, history: [...history, first.snapshot], current });
    expect(again).toEqual(first);
    expect(first.outcome).toBe('confirmed-by-runs');
  });

  it('history order does not matter', () => {
    const history: HealthSnapshot[] = runs([72, 68]).map((d) => d.snapshot);
    const current = { runId: 'run-2', at: NOW + 2 * RUN_MS, profileVersion: 1, score: 67, criteria: [] };
    const input = { thresholds: DEFAULT_THRESHOLDS, hysteresis: DEFAULT_HYSTERESIS, current };
    expect(decideTransition({ ...input, history: [...history].reverse() })).toEqual(decideTransition({ ...input, history }));
  });
});
