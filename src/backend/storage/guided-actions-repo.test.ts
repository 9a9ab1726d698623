import { beforeEach, expect, it } from 'vitest';
import { actionKey, createGuidedActionsRepo, recordKey, TOMBSTONE_RETENTION_DAYS, type GuidedActionsRepo } from './guided-actions-repo';
import { describeEachDatabase, truncateAll } from './testing';

const PORTAL = 1234;
const REP = '501';
const t = (iso: string) => new Date(`2026-11-${iso}Z`);

const deal = { ruleId: 'R2', recordKey: recordKey('deals', '77') };
const meeting = { ruleId: 'R6', recordKey: recordKey('meetings', '9') };

describeEachDatabase('guided-actions repo', (getDb) => {
  let repo: GuidedActionsRepo;
  beforeEach(async () => {
    await truncateAll(getDb());
    repo = createGuidedActionsRepo(getDb());
  });

  it('builds keys from rule and record', () => {
    expect(recordKey('contacts', 12)).toBe('contacts:12');
    expect(actionKey('R6', 'meetings:9')).toBe('R6|meetings:9');
  });

  it('remembers nothing for a rep it has never seen', async () => {
    expect(await repo.loadState(PORTAL, REP)).toEqual(new Map());
    expect(await repo.getFeedback(PORTAL, REP)).toEqual(new Map());
  });

  it('recordSeen stores many actions in one call and loadState returns them by key', async () => {
    const snapshot = { contact: { objectId: '3', label: 'Ada' }, company: null };
    const result = await repo.recordSeen(PORTAL, REP, [deal, { ...meeting, snapshot }], t('20T09:00:00'));
    expect(result.size).toBe(2);
    const state = await repo.loadState(PORTAL, REP);
    expect(state).toEqual(result);
    expect(state.get(actionKey('R6', 'meetings:9'))).toEqual({
      ...meeting,
      firstSeenAt: t('20T09:00:00'),
      lastSeenAt: t('20T09:00:00'),
      expiredAt: null,
      expiredReason: null,
      snapshot,
    });
    expect(state.get(actionKey('R2', 'deals:77'))?.snapshot).toBeNull();
  });

  it('keeps state per portal and per rep', async () => {
    await repo.recordSeen(PORTAL, REP, [deal], t('20T09:00:00'));
    await repo.recordSeen(PORTAL + 1, REP, [meeting], t('20T09:00:00'));
    await repo.recordSeen(PORTAL, '502', [meeting], t('20T09:00:00'));
    expect([...(await repo.loadState(PORTAL, REP)).keys()]).toEqual([actionKey('R2', 'deals:77')]);
  });

  it('never moves first_seen_at forward, while last_seen_at follows the latest sighting', async () => {
    await repo.recordSeen(PORTAL, REP, [deal], t('20T09:00:00'));
    await repo.recordSeen(PORTAL, REP, [deal], t('21T09:00:00'));
    let s = (await repo.loadState(PORTAL, REP)).get(actionKey(deal.ruleId, deal.recordKey));
    expect(s?.firstSeenAt).toEqual(t('20T09:00:00'));
    expect(s?.lastSeenAt).toEqual(t('21T09:00:00'));
    // An older sighting arriving late can only move first_seen_at back, never last_seen_at.
    await repo.recordSeen(PORTAL, REP, [deal], t('19T09:00:00'));
    s = (await repo.loadState(PORTAL, REP)).get(actionKey(deal.ruleId, deal.recordKey));
    expect(s?.firstSeenAt).toEqual(t('19T09:00:00'));
    expect(s?.lastSeenAt).toEqual(t('21T09:00:00'));
  });

  it('keeps the association snapshot taken when the action was created', async () => {
    await repo.recordSeen(PORTAL, REP, [{ ...meeting, snapshot: { company: 'Acme' } }], t('20T09:00:00'));
    const again = await repo.recordSeen(PORTAL, REP, [{ ...meeting, snapshot: { company: 'Globex' } }], t('21T09:00:00'));
    expect(again.get(actionKey(meeting.ruleId, meeting.recordKey))?.snapshot).toEqual({ company: 'Acme' });
  });

  it('accepts duplicates and an empty list', async () => {
    await expect(repo.recordSeen(PORTAL, REP, [], t('20T09:00:00'))).resolves.toEqual(new Map());
    const result = await repo.recordSeen(PORTAL, REP, [deal, deal], t('20T09:00:00'));
    expect(result.size).toBe(1);
  });

  it('markExpired hides an action and keeps the first expiry', async () => {
    await repo.recordSeen(PORTAL, REP, [deal], t('20T09:00:00'));
    await repo.markExpired(PORTAL, REP, [{ ...deal, reason: 'deal closed' }], t('21T09:00:00'));
    await repo.markExpired(PORTAL, REP, [{ ...deal, reason: 'later reason' }], t('22T09:00:00'));
    const s = (await repo.loadState(PORTAL, REP)).get(actionKey(deal.ruleId, deal.recordKey));
    expect(s).toMatchObject({ firstSeenAt: t('20T09:00:00'), expiredAt: t('21T09:00:00'), expiredReason: 'deal closed' });
  });

  it('markExpired remembers an action that expired before it was ever shown', async () => {
    await repo.markExpired(PORTAL, REP, [{ ...meeting, reason: 'meeting logged' }], t('21T09:00:00'));
    const s = (await repo.loadState(PORTAL, REP)).get(actionKey(meeting.ruleId, meeting.recordKey));
    expect(s).toMatchObject({ firstSeenAt: t('21T09:00:00'), expiredAt: t('21T09:00:00'), expiredReason: 'meeting logged' });
  });

  it('an expired action stays expired while seen again, and returns fresh only after clearExpired', async () => {
    await repo.recordSeen(PORTAL, REP, [{ ...meeting, snapshot: { company: 'Acme' } }], t('20T09:00:00'));
    await repo.markExpired(PORTAL, REP, [{ ...meeting, reason: 'outcome logged' }], t('21T09:00:00'));

    // Criteria still hold: seeing it again does not revive it.
    const still = await repo.recordSeen(PORTAL, REP, [meeting], t('22T09:00:00'));
    expect(still.get(actionKey(meeting.ruleId, meeting.recordKey))).toMatchObject({
      expiredAt: t('21T09:00:00'),
      firstSeenAt: t('20T09:00:00'),
    });

    // Criteria stop holding: the expiry is forgotten.
    expect(await repo.clearExpired(PORTAL, REP, [meeting])).toBe(1);
    expect(await repo.loadState(PORTAL, REP)).toEqual(new Map());

    // Criteria hold again: a new action, with a new first sighting and a new snapshot.
    const back = await repo.recordSeen(PORTAL, REP, [{ ...meeting, snapshot: { company: 'Globex' } }], t('25T09:00:00'));
    expect(back.get(actionKey(meeting.ruleId, meeting.recordKey))).toMatchObject({
      firstSeenAt: t('25T09:00:00'),
      expiredAt: null,
      expiredReason: null,
      snapshot: { company: 'Globex' },
    });
  });

  it('clearExpired leaves live actions alone; forget removes both', async () => {
    await repo.recordSeen(PORTAL, REP, [deal, meeting], t('20T09:00:00'));
    await repo.markExpired(PORTAL, REP, [{ ...meeting, reason: 'done' }], t('21T09:00:00'));
    expect(await repo.clearExpired(PORTAL, REP, [deal])).toBe(0);
    expect((await repo.loadState(PORTAL, REP)).size).toBe(2);
    expect(await repo.forget(PORTAL, REP, [deal, meeting, { ruleId: 'R9', recordKey: 'leads:1' }])).toBe(2);
    expect((await repo.loadState(PORTAL, REP)).size).toBe(0);
    expect(await repo.forget(PORTAL, REP, [])).toBe(0);
  });

  it('setFeedback is idempotent and the last answer wins', async () => {
    await repo.setFeedback(PORTAL, REP, deal, 'YES_CONTINUE', t('20T09:00:00'));
    await repo.setFeedback(PORTAL, REP, deal, 'YES_CONTINUE', t('20T09:00:00'));
    const last = await repo.setFeedback(PORTAL, REP, deal, 'NOT_REALLY', t('20T10:00:00'));
    expect(last).toEqual({ ...deal, answer: 'NOT_REALLY', answeredAt: t('20T10:00:00') });
    const all = await repo.getFeedback(PORTAL, REP);
    expect([...all.values()]).toEqual([last]);
  });

  it('setFeedback ignores an older answer that arrives late', async () => {
    await repo.setFeedback(PORTAL, REP, deal, 'NOT_REALLY', t('20T10:00:00'));
    const kept = await repo.setFeedback(PORTAL, REP, deal, 'YES_CONTINUE', t('20T09:00:00'));
    expect(kept.answer).toBe('NOT_REALLY');
  });

  it('feedback is per rep, rule and record, and outlives the action state', async () => {
    await repo.recordSeen(PORTAL, REP, [deal], t('20T09:00:00'));
    await repo.setFeedback(PORTAL, REP, deal, 'YES_CONTINUE', t('20T09:00:00'));
    await repo.setFeedback(PORTAL, REP, meeting, 'NOT_REALLY', t('20T09:00:00'));
    await repo.setFeedback(PORTAL, '502', deal, 'NOT_REALLY', t('20T09:00:00'));
    await repo.forget(PORTAL, REP, [deal]);
    const mine = await repo.getFeedback(PORTAL, REP);
    expect(mine.get(actionKey(deal.ruleId, deal.recordKey))?.answer).toBe('YES_CONTINUE');
    expect(mine.get(actionKey(meeting.ruleId, meeting.recordKey))?.answer).toBe('NOT_REALLY');
    expect(mine.size).toBe(2);
  });

  it('setFeedback rejects answers outside the vocabulary', async () => {
    // @ts-expect-error: checked at run time too, for callers that skipped validation
    await expect(repo.setFeedback(PORTAL, REP, deal, 'MAYBE', t('20T09:00:00'))).rejects.toThrow(/Unknown feedback answer/);
  });

  it('works inside a transaction and rolls back with it', async () => {
    await getDb()
      .transaction(async (tx) => {
        await createGuidedActionsRepo(tx).recordSeen(PORTAL, REP, [deal], t('20T09:00:00'));
        throw new Error('abort');
      })
      .catch(() => {});
    expect((await repo.loadState(PORTAL, REP)).size).toBe(0);
  });
});

describeEachDatabase('guided-actions repo: engine state (occurrence, tombstones)', (getDb) => {
  let repo: GuidedActionsRepo;
  beforeEach(async () => {
    await truncateAll(getDb());
    repo = createGuidedActionsRepo(getDb());
  });
  const reply = { ruleId: 'EMAIL_REPLY', recordKey: recordKey('contacts', '7') };
  const seenRow = (o: {
    firstSeenAt: Date;
    occurrence: string | null;
    expiredAt?: Date | null;
    snapshot?: unknown;
    expiredReason?: string;
  }) => ({
    ...reply,
    expiredAt: null,
    snapshot: null,
    ...o,
  });

  it('loads state and feedback of one rep in one query, including feedback on forgotten actions', async () => {
    await repo.saveEvaluation(
      PORTAL,
      REP,
      { seen: [seenRow({ firstSeenAt: t('20T09:00:00'), occurrence: 'emails:1' })], cleared: [] },
      t('20T09:00:00'),
    );
    await repo.setFeedback(PORTAL, REP, reply, 'YES_CONTINUE', t('20T10:00:00'));
    await repo.setFeedback(PORTAL, REP, deal, 'NOT_REALLY', t('20T10:00:00'));
    await repo.saveEvaluation(
      PORTAL,
      '502',
      { seen: [seenRow({ firstSeenAt: t('20T09:00:00'), occurrence: 'x' })], cleared: [] },
      t('20T09:00:00'),
    );
    const { entries, feedback } = await repo.loadRemembered(PORTAL, REP);
    expect(entries).toEqual([
      { ...reply, firstSeenAt: t('20T09:00:00'), expiredAt: null, occurrence: 'emails:1', snapshot: null, clearedAt: null },
    ]);
    expect(feedback.get(actionKey(reply.ruleId, reply.recordKey))?.answer).toBe('YES_CONTINUE');
    expect(feedback.get(actionKey(deal.ruleId, deal.recordKey))?.answer).toBe('NOT_REALLY');
  });

  it('never moves first_seen_at forward for the same occurrence, and keeps the first expiry', async () => {
    await repo.saveEvaluation(
      PORTAL,
      REP,
      { seen: [seenRow({ firstSeenAt: t('20T09:00:00'), occurrence: 'emails:1' })], cleared: [] },
      t('20T09:00:00'),
    );
    await repo.saveEvaluation(
      PORTAL,
      REP,
      {
        seen: [seenRow({ firstSeenAt: t('21T09:00:00'), occurrence: 'emails:1', expiredAt: t('21T09:00:00'), expiredReason: 'age' })],
        cleared: [],
      },
      t('21T09:00:00'),
    );
    await repo.saveEvaluation(
      PORTAL,
      REP,
      {
        seen: [seenRow({ firstSeenAt: t('22T09:00:00'), occurrence: 'emails:1', expiredAt: t('22T09:00:00'), expiredReason: 'later' })],
        cleared: [],
      },
      t('22T09:00:00'),
    );
    const [row] = (await repo.loadRemembered(PORTAL, REP)).entries;
    expect(row).toMatchObject({ firstSeenAt: t('20T09:00:00'), expiredAt: t('21T09:00:00'), occurrence: 'emails:1' });
  });

  it('a new occurrence replaces the row: new first_seen_at, no expiry, new snapshot', async () => {
    await repo.saveEvaluation(
      PORTAL,
      REP,
      {
        seen: [seenRow({ firstSeenAt: t('20T09:00:00'), occurrence: 'emails:1', expiredAt: t('21T09:00:00'), snapshot: { a: 1 } })],
        cleared: [],
      },
      t('21T09:00:00'),
    );
    await repo.saveEvaluation(
      PORTAL,
      REP,
      { seen: [seenRow({ firstSeenAt: t('23T09:00:00'), occurrence: 'emails:2', snapshot: { a: 2 } })], cleared: [] },
      t('23T09:00:00'),
    );
    const [row] = (await repo.loadRemembered(PORTAL, REP)).entries;
    expect(row).toMatchObject({ firstSeenAt: t('23T09:00:00'), expiredAt: null, occurrence: 'emails:2', snapshot: { a: 2 } });
  });

  it('clears into a tombstone; the action can then come back as a new one', async () => {
    await repo.saveEvaluation(
      PORTAL,
      REP,
      {
        seen: [seenRow({ firstSeenAt: t('20T09:00:00'), occurrence: 'emails:1', expiredAt: t('21T09:00:00'), expiredReason: 'age' })],
        cleared: [],
      },
      t('21T09:00:00'),
    );
    await repo.saveEvaluation(PORTAL, REP, { seen: [], cleared: [{ ...reply, clearedAt: t('22T09:00:00') }] }, t('22T09:00:00'));
    let [row] = (await repo.loadRemembered(PORTAL, REP)).entries;
    expect(row).toMatchObject({
      firstSeenAt: t('20T09:00:00'),
      expiredAt: null,
      occurrence: null,
      snapshot: null,
      clearedAt: t('22T09:00:00'),
    });
    // Same occurrence key as before the tombstone: still a new action (the criteria held again).
    await repo.saveEvaluation(
      PORTAL,
      REP,
      { seen: [seenRow({ firstSeenAt: t('23T09:00:00'), occurrence: 'emails:1' })], cleared: [] },
      t('23T09:00:00'),
    );
    [row] = (await repo.loadRemembered(PORTAL, REP)).entries;
    expect(row).toMatchObject({ firstSeenAt: t('23T09:00:00'), expiredAt: null, clearedAt: null });
  });

  it("drops a rep's tombstones older than the retention on its next evaluation, and nothing else", async () => {
    const old = { ruleId: 'EMAIL_REPLY', recordKey: recordKey('contacts', '8') };
    const live = seenRow({ firstSeenAt: t('20T09:00:00'), occurrence: 'emails:1' });
    await repo.saveEvaluation(
      PORTAL,
      REP,
      { seen: [live, { ...seenRow({ firstSeenAt: t('20T09:00:00'), occurrence: 'emails:2' }), ...old }], cleared: [] },
      t('20T09:00:00'),
    );
    await repo.saveEvaluation(
      PORTAL,
      '502',
      { seen: [{ ...seenRow({ firstSeenAt: t('20T09:00:00'), occurrence: 'x' }), ...old }], cleared: [] },
      t('20T09:00:00'),
    );
    await repo.saveEvaluation(PORTAL, '502', { seen: [], cleared: [{ ...old, clearedAt: t('20T10:00:00') }] }, t('20T10:00:00'));
    await repo.saveEvaluation(PORTAL, REP, { seen: [], cleared: [{ ...old, clearedAt: t('20T10:00:00') }] }, t('20T10:00:00'));
    const later = new Date(t('20T10:00:00').getTime() + (TOMBSTONE_RETENTION_DAYS - 1) * 86_400_000);
    await repo.saveEvaluation(PORTAL, REP, { seen: [live], cleared: [] }, later);
    expect((await repo.loadRemembered(PORTAL, REP)).entries.map((e) => e.recordKey).sort()).toEqual([live.recordKey, old.recordKey].sort());
    const past = new Date(t('20T10:00:00').getTime() + (TOMBSTONE_RETENTION_DAYS + 1) * 86_400_000);
    await repo.saveEvaluation(PORTAL, REP, { seen: [live], cleared: [] }, past);
    expect((await repo.loadRemembered(PORTAL, REP)).entries.map((e) => e.recordKey)).toEqual([live.recordKey]); // the live row stays
    expect((await repo.loadRemembered(PORTAL, '502')).entries.map((e) => e.recordKey)).toEqual([old.recordKey]); // another rep's: not touched
  });

  it('writes nothing for an empty evaluation and ignores clears of unknown rows', async () => {
    await repo.saveEvaluation(PORTAL, REP, { seen: [], cleared: [] }, t('20T09:00:00'));
    await repo.saveEvaluation(PORTAL, REP, { seen: [], cleared: [{ ...reply, clearedAt: t('20T09:00:00') }] }, t('20T09:00:00'));
    expect((await repo.loadRemembered(PORTAL, REP)).entries).toEqual([]);
  });
});
