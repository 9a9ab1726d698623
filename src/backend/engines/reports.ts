import { DateTime } from 'luxon';
import type { HealthCategory } from '../contract/api';
import type { ReportData, ReportDefinition, ReportId } from '../contract/summary';

// The Summary's report gallery (CS-SUM-6) and the dashboards' reports (CS-DASH-1): HubSpot's
// CrmReport is not offered on app pages (hubspot-platform.md §5.2), so each report is computed
// here from plain data read from the portal copy, and drawn by the UI with BarChart / LineChart.
// Pure: the caller passes the data, the user's zone and `now`.

export const REPORT_GALLERY: Record<ReportId, ReportDefinition> = {
  'customers-by-health': {
    id: 'customers-by-health',
    title: 'Customers by health',
    description: 'How many of your customers are At risk, Neutral and Good.',
    chart: 'bar',
  },
  'health-trend-30-days': {
    id: 'health-trend-30-days',
    title: 'Health over 30 days',
    description: 'The average health score of your customers, day by day, over the last 30 days.',
    chart: 'line',
  },
  'renewals-by-month': {
    id: 'renewals-by-month',
    title: 'Renewals by month',
    description: 'Your customers renewing in each of the next 12 months.',
    chart: 'bar',
  },
  'tasks-completed-per-week': {
    id: 'tasks-completed-per-week',
    title: 'Tasks completed per week',
    description: 'Tasks you completed in each of the last 8 weeks.',
    chart: 'bar',
  },
  'activity-per-csm': {
    id: 'activity-per-csm',
    title: 'Activity per CSM',
    description: 'Calls, emails, meetings and notes logged by each owner in the last 30 days.',
    chart: 'bar',
  },
  'meetings-per-week': {
    id: 'meetings-per-week',
    title: 'Meetings per week',
    description: 'Your meetings in each of the last 8 weeks.',
    chart: 'line',
  },
};

/** The reports a user sees before choosing any. */
export const DEFAULT_REPORTS: readonly ReportId[] = ['customers-by-health', 'renewals-by-month', 'tasks-completed-per-week'];
export const MAX_CHOSEN_REPORTS = 5;

const CATEGORY_LABELS: Record<HealthCategory, string> = { AT_RISK: 'At risk', NEUTRAL: 'Neutral', GOOD: 'Good' };
const CATEGORY_ORDER: readonly HealthCategory[] = ['AT_RISK', 'NEUTRAL', 'GOOD'];

/** Customers per health category, in the order At risk, Neutral, Good. */
export function customersByHealth(categories: Record<HealthCategory, { count: number }> | null, why?: string): ReportData {
  const rows = CATEGORY_ORDER.map((c) => ({ category: CATEGORY_LABELS[c], customers: categories?.[c].count ?? 0 }));
  const total = rows.reduce((n, r) => n + r.customers, 0);
  return {
    ...REPORT_GALLERY['customers-by-health'],
    x: { field: 'category', label: 'Health', type: 'category' },
    y: { field: 'customers', label: 'Customers' },
    rows,
    ...(total === 0 ? { empty: why ?? 'None of your customers has a health score yet.' } : {}),
  };
}

/** The daily average score over the 30 days up to today (user's zone), from `history` (date, average). */
export function healthTrend(
  history: readonly { date: string; average: number }[],
  timeZone: string,
  now: number,
  why?: string,
): ReportData {
  const today = DateTime.fromMillis(now, { zone: timeZone }).toISODate()!;
  const from = DateTime.fromMillis(now, { zone: timeZone }).minus({ days: 29 }).toISODate()!;
  const rows = history.filter((h) => h.date >= from && h.date <= today).map((h) => ({ date: h.date, average: h.average }));
  return {
    ...REPORT_GALLERY['health-trend-30-days'],
    x: { field: 'date', label: 'Day', type: 'datetime' },
    y: { field: 'average', label: 'Average score' },
    rows,
    ...(rows.length < 2 ? { empty: why ?? 'The trend appears once there are scores from two different days in the last 30 days.' } : {}),
  };
}

/** Index of the window [bounds[i], bounds[i + 1]) holding `at`, or -1: bounds ascend, one more than the windows. */
function windowOf(bounds: readonly number[], at: number): number {
  if (at < bounds[0]! || at >= bounds[bounds.length - 1]!) return -1;
  let i = 0;
  while (at >= bounds[i + 1]!) i++;
  return i;
}

/**
 * Renewals counted per month for the 12 months from this one (user's zone), every month listed.
 * A renewal is an instant (epoch ms, a datetime property: its month in the user's zone) or a
 * calendar date "YYYY-MM-DD" (a date property: its own month, whatever the zone).
 */
export function renewalsByMonth(renewals: readonly (number | string)[], timeZone: string, now: number, why?: string): ReportData {
  // The zone's month starts are computed once (13 of them); each renewal is then a comparison.
  const start = DateTime.fromMillis(now, { zone: timeZone }).startOf('month');
  const starts = Array.from({ length: 13 }, (_, i) => start.plus({ months: i }));
  const months = starts.slice(0, 12).map((m) => m.toFormat('yyyy-MM'));
  const bounds = starts.map((m) => m.toMillis());
  const counts = months.map(() => 0);
  for (const at of renewals) {
    const i = typeof at === 'string' ? months.indexOf(at.slice(0, 7)) : windowOf(bounds, at);
    if (i >= 0) counts[i]!++;
  }
  const rows = months.map((month, i) => ({ month, renewals: counts[i]! }));
  return {
    ...REPORT_GALLERY['renewals-by-month'],
    x: { field: 'month', label: 'Month', type: 'category' },
    y: { field: 'renewals', label: 'Renewals' },
    rows,
    ...(why
      ? { empty: why }
      : rows.every((r) => r.renewals === 0)
        ? { empty: 'None of your customers renews in the next 12 months.' }
        : {}),
  };
}

/** Counts instants per Monday-start week over the last `weeks` weeks (this one last), in the user's zone; the future is left out. */
function perWeek(instants: readonly number[], timeZone: string, now: number, weeks: number): Map<string, number> {
  const thisWeek = DateTime.fromMillis(now, { zone: timeZone }).startOf('week');
  const starts = Array.from({ length: weeks + 1 }, (_, i) => thisWeek.minus({ weeks: weeks - 1 - i }));
  const bounds = starts.map((w) => w.toMillis());
  const counts = starts.slice(0, weeks).map(() => 0);
  for (const at of instants) {
    if (at > now) continue;
    const i = windowOf(bounds, at);
    if (i >= 0) counts[i]!++;
  }
  return new Map(starts.slice(0, weeks).map((w, i) => [w.toISODate()!, counts[i]!]));
}

/** Tasks completed per week (Monday start, user's zone) over the last 8 weeks, this one included. */
export function tasksCompletedPerWeek(completedAt: readonly number[], timeZone: string, now: number): ReportData {
  const counts = perWeek(completedAt, timeZone, now, 8);
  const rows = [...counts].map(([week, tasks]) => ({ week, tasks }));
  return {
    ...REPORT_GALLERY['tasks-completed-per-week'],
    x: { field: 'week', label: 'Week of', type: 'category' },
    y: { field: 'tasks', label: 'Tasks completed' },
    rows,
    ...(rows.every((r) => r.tasks === 0) ? { empty: 'You completed no task in the last 8 weeks.' } : {}),
  };
}

/** Meetings per week (by start, user's zone) over the last 8 weeks, this one included. */
export function meetingsPerWeek(startsAt: readonly number[], timeZone: string, now: number): ReportData {
  const counts = perWeek(startsAt, timeZone, now, 8);
  const rows = [...counts].map(([week, meetings]) => ({ week, meetings }));
  return {
    ...REPORT_GALLERY['meetings-per-week'],
    x: { field: 'week', label: 'Week of', type: 'datetime' },
    y: { field: 'meetings', label: 'Meetings' },
    rows,
    ...(rows.every((r) => r.meetings === 0) ? { empty: 'You had no meeting in the last 8 weeks.' } : {}),
  };
}

/** Engagements per owner (their name), most active first, at most 15 owners; owners without any are left out. */
export function activityPerCsm(counts: readonly { owner: string; count: number }[]): ReportData {
  const byOwner = new Map<string, number>();
  for (const c of counts) byOwner.set(c.owner, (byOwner.get(c.owner) ?? 0) + c.count);
  const rows = [...byOwner]
    .filter(([, n]) => n > 0)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .slice(0, 15)
    .map(([csm, activities]) => ({ csm, activities }));
  return {
    ...REPORT_GALLERY['activity-per-csm'],
    x: { field: 'csm', label: 'Owner', type: 'category' },
    y: { field: 'activities', label: 'Activities' },
    rows,
    ...(rows.length === 0 ? { empty: 'No call, email, meeting or note was logged in the last 30 days.' } : {}),
  };
}
