import { describe, expect, it } from 'vitest';
import { arrAtRisk, worstCategory } from './arr-at-risk';
import { boardColumns } from './board';
import type { WorkspaceRecord } from './query';

const rec = (id: string, stage: string, amount: number | null, csm = '501'): WorkspaceRecord => ({
  id,
  name: `R${id}`,
  csm,
  createdAt: null,
  lastActivityAt: null,
  assignedAt: null,
  renewalAt: null,
  properties: { dealstage: stage, amount: amount ?? undefined },
});
const STAGES = [
  { id: 'a', label: 'A' },
  { id: 'b', label: 'B' },
];

describe('boardColumns', () => {
  const records = [rec('1', 'a', 100), rec('2', 'a', 50), rec('3', 'b', null), rec('4', 'other', 999), rec('5', 'a', 7, '502')];
  const opts = {
    stageProperty: 'dealstage',
    sort: { property: 'name', direction: 'ASC' as const },
    perColumn: 1,
    amountProperty: 'amount',
  };

  it('puts each matching record in its stage’s column, in pipeline order, counting and summing beyond the cards shown', () => {
    expect(boardColumns(records, { owner: '501' }, STAGES, opts)).toEqual([
      { stageId: 'a', total: 2, amount: 150, records: [records[0]] },
      { stageId: 'b', total: 1, amount: 0, records: [records[2]] },
    ]);
  });

  it('leaves out records of stages not on this pipeline, and sums nothing without an amount property', () => {
    const cols = boardColumns(records, {}, STAGES, { ...opts, perColumn: 10, amountProperty: null });
    expect(cols.map((c) => [c.stageId, c.total, c.amount])).toEqual([
      ['a', 3, null],
      ['b', 1, null],
    ]);
  });
});

describe('ARR at risk', () => {
  const categories = new Map([
    ['c1', 'AT_RISK' as const],
    ['c2', 'GOOD' as const],
  ]);
  it.each([
    ['at risk wins over good', ['c2', 'c1'], 'AT_RISK'],
    ['a single good customer', ['c2'], 'GOOD'],
    ['customers with no score', ['c9'], 'UNSCORED'],
    ['no customer at all', [], 'UNSCORED'],
  ])('takes the worst category: %s', (_n, ids, expected) => {
    expect(worstCategory(ids, categories)).toBe(expected);
  });

  it('sums renewals by month in the portal’s zone, from this month on, and ignores those outside the range or undated', () => {
    const now = Date.parse('2026-11-22T12:00:00Z');
    const months = arrAtRisk(
      [
        { id: '1', renewalAt: Date.parse('2026-12-31T23:30:00Z'), amount: 100, customerIds: ['c1'] }, // Jan 1st in Paris
        { id: '2', renewalAt: Date.parse('2026-12-10T00:00:00Z'), amount: 50, customerIds: ['c2'] },
        { id: '3', renewalAt: Date.parse('2027-06-01T00:00:00Z'), amount: 70, customerIds: ['c1'] },
        { id: '4', renewalAt: null, amount: 10, customerIds: ['c1'] },
        { id: '5', renewalAt: Date.parse('2026-11-25T00:00:00Z'), amount: null, customerIds: [] },
      ],
      categories,
      { now, months: 3, timeZone: 'Europe/Paris' },
    );
    expect(
      months.map((m) => [m.month, m.byCategory.AT_RISK.amount, m.byCategory.GOOD.amount, m.byCategory.UNSCORED.count, m.total]),
    ).toEqual([
      ['2026-11', 0, 0, 1, { amount: 0, count: 1 }],
      ['2026-12', 0, 50, 0, { amount: 50, count: 1 }],
      ['2027-01', 100, 0, 0, { amount: 100, count: 1 }],
    ]);
  });
});
