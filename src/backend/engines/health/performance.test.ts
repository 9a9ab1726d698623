import { describe, expect, it } from 'vitest';
import { buildDefaultProfile } from './default-profile';
import type { Engagement, HealthInputRecord } from './record';
import { compileProfile, scoreRecords } from './score';
import { summarize } from './summary';
import { daysAgo, daysAhead, NOW } from './test-factories';

/** Deterministic pseudo-random numbers (mulberry32) so the data set is the same every run. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TYPES = ['MEETING', 'CALL', 'EMAIL', 'NOTE'] as const;

function companies(count: number): HealthInputRecord[] {
  const next = random(42);
  const int = (n: number) => Math.floor(next() * n);
  return Array.from({ length: count }, (_, i) => {
    const engagements: Engagement[] = Array.from({ length: 10 + int(60) }, () => ({
      type: TYPES[int(4)] ?? 'NOTE',
      direction: next() < 0.5 ? 'INCOMING' : 'OUTGOING',
      timestamp: daysAgo(int(200)),
    }));
    return {
      id: String(i + 1),
      label: `Company ${i + 1}`,
      ownerId: String(int(20)),
      properties: {
        renewal_date: next() < 0.8 ? daysAhead(int(400) - 30) : null,
        hs_csm_sentiment: ['GOOD', 'NEUTRAL', 'AT_RISK', null][int(4)] ?? null,
        nps_score: next() < 0.5 ? int(11) : null,
      },
      engagements,
      tickets: Array.from({ length: int(6) }, () => ({ createdAt: daysAgo(int(90)), closed: next() < 0.6 })),
      deals: Array.from({ length: int(4) }, () =>
        next() < 0.3
          ? { open: true }
          : next() < 0.5
            ? { open: false, wonAt: daysAgo(int(400)) }
            : { open: false, lostAt: daysAgo(int(200)) },
      ),
    };
  });
}

describe('scoring a large portal', () => {
  it('scores 20,000 companies with the full default profile (time reported, not asserted)', () => {
    const profile = buildDefaultProfile({
      hasEngagements: true,
      hasTickets: true,
      hasDeals: true,
      hasCsmSentiment: true,
      renewalDateProperty: 'renewal_date',
      npsProperty: 'nps_score',
    });
    const records = companies(20_000);
    const engagementCount = records.reduce((n, r) => n + (r.engagements?.length ?? 0), 0);

    const cpu = process.cpuUsage();
    const started = performance.now();
    const results = scoreRecords(profile, records, NOW);
    const scoredMs = performance.now() - started;
    const summary = summarize(
      results.map((r) => r.score),
      profile.thresholds,
    );
    const totalMs = performance.now() - started;
    const { user, system } = process.cpuUsage(cpu);
    // How a scan job uses it: compile once, score and hand each result on (to storage) without
    // keeping all 20,000 results alive; the JIT is warm and the input promoted by now.
    const again = performance.now();
    const scorer = compileProfile(profile);
    let sum = 0;
    for (const record of records) sum += scorer.score(record, NOW + 1).score;
    const warmMs = performance.now() - again;
    expect(sum / records.length).toBeCloseTo(summary.average ?? 0, 0);

    console.info(
      `health: scored ${results.length} companies (${engagementCount} engagements) in ${scoredMs.toFixed(0)} ms cold (CPU ${((user + system) / 1000).toFixed(0)} ms all threads, shared machine), ` +
        `${warmMs.toFixed(0)} ms warm and streamed; with the summary ${totalMs.toFixed(0)} ms; categories ${JSON.stringify(summary.categories)}`,
    );
    expect(results).toHaveLength(20_000);
    expect(summary.customers).toBe(20_000);
    // The generated portal lands in all three categories.
    expect(Object.values(summary.categories).every((c) => c.count > 0)).toBe(true);
  });
});
