import type { HealthCategory, HealthDelta } from '../../api/contract';

export const HEALTH_CATEGORY_ORDER: readonly HealthCategory[] = ['AT_RISK', 'NEUTRAL', 'GOOD'];

export const HEALTH_CATEGORY_LABELS: Record<HealthCategory, string> = {
  AT_RISK: 'At risk',
  NEUTRAL: 'Neutral',
  GOOD: 'Good',
};

export const HEALTH_CATEGORY_TAGS: Record<HealthCategory, 'danger' | 'warning' | 'success'> = {
  AT_RISK: 'danger',
  NEUTRAL: 'warning',
  GOOD: 'success',
};

/** "Good → At risk". */
export function transition(from: HealthCategory | null, to: HealthCategory | null): string {
  const name = (c: HealthCategory | null) => (c ? HEALTH_CATEGORY_LABELS[c] : 'Not scored');
  return `${name(from)} → ${name(to)}`;
}

/** "+5" / "−15" (a real minus sign) / "0". */
export function signed(points: number): string {
  const rounded = Math.round(points * 10) / 10;
  if (rounded > 0) return `+${rounded}`;
  if (rounded < 0) return `−${Math.abs(rounded)}`;
  return '0';
}

/** "no meeting in 60 days −15, 3 open tickets −10": the criteria that caused a change, largest first. */
export function describeDeltas(deltas: readonly HealthDelta[], limit = 3): string {
  return [...deltas]
    .sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta))
    .slice(0, limit)
    .map((d) => `${d.label} ${signed(d.delta)}`)
    .join(', ');
}

/** "Nov 20, 2026" in the given time zone (the portal's when the user's is unknown). */
export function formatDate(iso: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  try {
    return new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone }).format(date);
  } catch {
    return new Intl.DateTimeFormat('en-US', { dateStyle: 'medium' }).format(date);
  }
}
