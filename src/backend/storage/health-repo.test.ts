import { beforeEach, expect, it } from 'vitest';
import { createHealthRepo, type HealthRepo, type ScoredWrite } from './health-repo';
import { describeEachDatabase, truncateAll } from './testing';

const PORTAL = 42;
const at = (day: number) => new Date(Date.UTC(2026, 10, day, 12));

function write(id: string, runId: string, day: number, score: number, alert = false): ScoredWrite {
  const category = score < 40 ? 'AT_RISK' : score >= 70 ? 'GOOD' : 'NEUTRAL';
  return {
    objectType: 'companies',
    objectId: id,
    label: `Co ${id}`,
    ownerId: '501',
    runId,
    at: at(day),
    profileVersion: 1,
    score,
    category,
    confirmedCategory: category,
    backfilled: false,
    criteria: [{ id: 'c', label: 'C', points: score }],
    state: { input: { id, label: `Co ${id}`, ownerId: '501', properties: {} }, recent: [], change: null },
    alert: alert
      ? { id: `default:companies:${id}:${runId}`, from: 'GOOD', to: category, raisedAt: at(day), expiresAt: at(day + 14), deltas: [] }
      : null,
  };
}

describeEachDatabase('health repo', (getDb) => {
  let repo: HealthRepo;
  beforeEach(async () => {
    await truncateAll(getDb());
    repo = createHealthRepo(getDb());
  });

  it('versions profiles and refuses a stale version', async () => {
    const profile = { version: 1, name: 'P' };
    expect(await repo.insertProfile(PORTAL, { id: 'default', name: 'P', objectType: 'companies', isDefault: true, profile }, at(1))).toBe(
      true,
    );
    expect(await repo.insertProfile(PORTAL, { id: 'default', name: 'P', objectType: 'companies', isDefault: true, profile }, at(1))).toBe(
      false,
    );
    expect(await repo.updateProfile(PORTAL, 'default', 1, { name: 'P2', objectType: 'companies', profile: { version: 2 } }, at(2))).toBe(
      'ok',
    );
    expect(await repo.updateProfile(PORTAL, 'default', 1, { name: 'P3', objectType: 'companies', profile: { version: 2 } }, at(3))).toBe(
      'conflict',
    );
    expect(await repo.updateProfile(PORTAL, 'nope', 1, { name: 'P3', objectType: 'companies', profile: { version: 2 } }, at(3))).toBe(
      'missing',
    );
    expect(await repo.getProfile(PORTAL, 'default')).toMatchObject({ version: 2, name: 'P2', isDefault: true });
    expect(await repo.getProfileVersion(PORTAL, 'default', 1)).toEqual(profile);
    expect(await repo.deleteProfile(PORTAL, 'default', at(4))).toBe(true);
    expect(await repo.listProfiles(PORTAL)).toEqual([]);
  });

  it('writes a snapshot once per (record, run) however often the batch is replayed', async () => {
    const batch = [write('1', 'run-a', 1, 80), write('2', 'run-a', 1, 30, true)];
    await repo.writeScores(PORTAL, 'default', batch);
    await repo.writeScores(PORTAL, 'default', batch);
    expect(await repo.snapshotCount(PORTAL, 'default')).toBe(2);
    await repo.writeScores(PORTAL, 'default', [write('1', 'run-b', 2, 50)]);
    expect(await repo.snapshotCount(PORTAL, 'default')).toBe(3);
    expect((await repo.getState(PORTAL, 'default', 'companies', '1'))?.score).toBe(50);
    // An older write never replaces a newer state.
    await repo.writeScores(PORTAL, 'default', [write('1', 'run-a', 1, 80)]);
    expect((await repo.getState(PORTAL, 'default', 'companies', '1'))?.score).toBe(50);
    const alerts = await repo.activeAlerts(PORTAL, '501', at(2), null, 10);
    expect(alerts).toHaveLength(1);
    expect(await repo.activeAlerts(PORTAL, '501', at(15), null, 10)).toEqual([]);
  });

  it('pages alerts newest first and customers by score', async () => {
    await repo.writeScores(
      PORTAL,
      'default',
      [1, 2, 3, 4, 5].map((d) => write(String(d), `run-${d}`, d, 10 * d, true)),
    );
    const first = await repo.activeAlerts(PORTAL, null, at(6), null, 2);
    expect(first.map((a) => a.objectId)).toEqual(['5', '4']);
    const next = await repo.activeAlerts(PORTAL, null, at(6), { raisedAt: first[1]!.raisedAt, id: first[1]!.id }, 2);
    expect(next.map((a) => a.objectId)).toEqual(['3', '2']);
    const customers = await repo.customers(PORTAL, 'default', '501', 'AT_RISK', null, 10);
    expect(customers.map((c) => c.score)).toEqual([10, 20, 30]);
    expect((await repo.customers(PORTAL, 'default', '501', null, { score: 30, objectId: '3' }, 10)).map((c) => c.objectId)).toEqual([
      '4',
      '5',
    ]);
  });

  it('sums scores per run and CSM for the average over time', async () => {
    await repo.writeScores(PORTAL, 'default', [write('1', 'run-a', 1, 80), write('2', 'run-a', 1, 40)]);
    await repo.writeRunTotals(PORTAL, 'default', 'run-a');
    await repo.writeRunTotals(PORTAL, 'default', 'run-a');
    expect(await repo.runTotals(PORTAL, 'default', '501', at(0))).toEqual([
      { runId: 'run-a', at: at(1), profileVersion: 1, scoreSum: 120, count: 2, backfilled: false },
    ]);
    expect(await repo.runTotals(PORTAL, 'default', 'other', at(0))).toEqual([]);
  });
});
