import { describe, expect, it } from 'vitest';
import type { Queryable, SqlParam } from '../../storage';
import { PAIRS_SPLIT_AT, RECORDS_SPLIT_AT } from '../../storage/copy-query';
import { loadGuidedActionsInput } from './data-plan';
import { defaultGuidedActionSettings } from '../../engines/guided-actions';
import { UnknownWarmUpStatement, warmUpCopy, warmUpDataPlan } from './warm-up-plan';
import { WARM_UP_REP, warmUpBook } from './warm-up';

describe("the data plan's warm-up", () => {
  const book = warmUpBook();

  /** The stand-in, each statement it answered noted (its kind, the ids it was asked, its rows). */
  function recorded() {
    const db = warmUpCopy(book);
    const statements: { kind: string; asked: number; rows: number }[] = [];
    const query = db.query.bind(db);
    const spy: Queryable = {
      ...db,
      async query<T extends object>(sql: string, params: readonly SqlParam[] = []) {
        const rows = await query<T>(sql, params);
        // (ids joined by commas; the pairs' per pair of types, the groups joined by semicolons)
        const ids = (i: number) => (typeof params[i] === 'string' && params[i] !== '' ? (params[i] as string).split(/[,;]/).length : 0);
        const kind = sql.includes('with f as materialized') ? 'pairs' : sql.includes('select distinct on') ? 'records' : 'other';
        statements.push({ kind, asked: kind === 'pairs' ? ids(3) + ids(6) : kind === 'records' ? ids(2) : 0, rows: rows.length });
        return rows;
      },
    };
    return { db: spy, statements };
  }

  it('answers every statement of the data plan, which finds the rep and builds a big book from it', async () => {
    const { db, statements } = recorded();
    const plan = await loadGuidedActionsInput(db, 990_000, {
      userId: Number(WARM_UP_REP.userId),
      now: book.now,
      settings: defaultGuidedActionSettings,
    });
    expect(plan.kind).toBe('ok');
    if (plan.kind !== 'ok') return;
    expect(plan.incomplete.size).toBe(0);
    expect(plan.warnings).toEqual([]);
    expect(plan.input.rep.ownerId).toBe(WARM_UP_REP.ownerId);
    expect(plan.input.contacts.length).toBeGreaterThan(1_000);
    expect(plan.input.emails.length).toBeGreaterThan(500);
    // round 3 read the book's associations
    expect(Object.keys(plan.input.associations.emails?.contacts ?? {}).length).toBeGreaterThan(500);
    // the paths a big rep's request takes: records by id and pairs in two statements each
    const pairs = statements.filter((s) => s.kind === 'pairs');
    const records = statements.filter((s) => s.kind === 'records');
    expect(pairs.some((s) => s.asked >= PAIRS_SPLIT_AT / 2)).toBe(true);
    expect(pairs.length).toBeGreaterThanOrEqual(2);
    // one round's records by id asked in two statements at once (two parts, together at least RECORDS_SPLIT_AT)
    const split = records.some((s, i) => {
      const before = records[i - 1];
      return (
        !!before &&
        s.rows > 0 &&
        before.rows > 0 &&
        Math.max(s.asked, before.asked) < RECORDS_SPLIT_AT &&
        s.asked + before.asked >= RECORDS_SPLIT_AT
      );
    });
    expect(split).toBe(true);
  });

  it('runs the plan and the engine a few times and says what it found', async () => {
    const w = await warmUpDataPlan({ rounds: 2, book });
    expect(w.rounds).toBe(2);
    expect(w.records).toBeGreaterThan(3_000);
    expect(w.actions).toBeGreaterThan(100);
    expect(w.cpuMs).toBeGreaterThan(0);
  });

  it('refuses a statement it does not know (the data plan changed): the warm-up says so rather than warming nothing', async () => {
    const db = warmUpCopy(book);
    await expect(db.query('select * from crm_something_new where portal_id = $1', [1])).rejects.toBeInstanceOf(UnknownWarmUpStatement);
    await expect(db.exec('select 1')).rejects.toBeInstanceOf(UnknownWarmUpStatement);
  });
});
