import { DateTime } from 'luxon';
import type { HealthCategory } from '../../contract/api';

// "ARR at risk" (CS-REV-1): revenue records renewing in the coming months, summed by month and by
// the health category of the customer each belongs to. Pure: records, categories and a month range in.

export type RenewalInput = {
  id: string;
  renewalAt: number | null;
  amount: number | null;
  /** Customer record ids the revenue record is associated with. */
  customerIds: readonly string[];
};

export type ArrCategory = HealthCategory | 'UNSCORED';

export type ArrMonth = {
  /** YYYY-MM in the portal's time zone. */
  month: string;
  byCategory: Record<ArrCategory, { amount: number; count: number }>;
  total: { amount: number; count: number };
};

const CATEGORIES: readonly ArrCategory[] = ['AT_RISK', 'NEUTRAL', 'GOOD', 'UNSCORED'];

/** The worst category among a record's customers (at risk wins), or UNSCORED when none is scored. */
export function worstCategory(customerIds: readonly string[], categories: ReadonlyMap<string, HealthCategory>): ArrCategory {
  const found = customerIds.map((id) => categories.get(id)).filter((c): c is HealthCategory => c !== undefined);
  for (const c of ['AT_RISK', 'NEUTRAL', 'GOOD'] as const) if (found.includes(c)) return c;
  return 'UNSCORED';
}

/**
 * Renewals from the start of the month of `now` for `months` months, in `timeZone`: per month the
 * amount and count per health category of the associated customers (the worst one when several).
 */
export function arrAtRisk(
  records: readonly RenewalInput[],
  categories: ReadonlyMap<string, HealthCategory>,
  opts: { now: number; months: number; timeZone: string },
): ArrMonth[] {
  const start = DateTime.fromMillis(opts.now, { zone: opts.timeZone }).startOf('month');
  const months: ArrMonth[] = Array.from({ length: opts.months }, (_, i) => ({
    month: start.plus({ months: i }).toFormat('yyyy-MM'),
    byCategory: Object.fromEntries(CATEGORIES.map((c) => [c, { amount: 0, count: 0 }])) as ArrMonth['byCategory'],
    total: { amount: 0, count: 0 },
  }));
  const index = new Map(months.map((m, i) => [m.month, i]));
  for (const r of records) {
    if (r.renewalAt === null) continue;
    const i = index.get(DateTime.fromMillis(r.renewalAt, { zone: opts.timeZone }).toFormat('yyyy-MM'));
    if (i === undefined) continue;
    const m = months[i]!;
    const cat = m.byCategory[worstCategory(r.customerIds, categories)];
    const amount = r.amount ?? 0;
    cat.amount += amount;
    cat.count += 1;
    m.total.amount += amount;
    m.total.count += 1;
  }
  return months;
}
