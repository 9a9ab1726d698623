// How the Schedule shows dates and times: always in the schedule's zone, never the browser's.

/** "9:30 AM" in `timeZone`. */
export function timeOf(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', { timeStyle: 'short', timeZone }).format(new Date(iso));
}

/** "Tue, Mar 10" for a calendar date (YYYY-MM-DD): the date itself, read in UTC so no zone shifts it. */
export function dayLabel(date: string): string {
  return new Intl.DateTimeFormat('en-US', { weekday: 'short', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${date}T00:00:00Z`),
  );
}

/** "March 2026" for the month of a calendar date. */
export function monthLabel(date: string): string {
  return new Intl.DateTimeFormat('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));
}

/** The zones the picker offers: every zone the runtime knows (else a short list), with the given ones first. */
export function timeZoneOptions(first: string[]): { label: string; value: string }[] {
  const intl = Intl as typeof Intl & { supportedValuesOf?: (key: 'timeZone') => string[] };
  let all: string[];
  try {
    all = intl.supportedValuesOf?.('timeZone') ?? [];
  } catch {
    all = [];
  }
  if (all.length === 0) all = FALLBACK_ZONES;
  const zones = [...new Set([...first.filter(Boolean), 'UTC', ...all])];
  return zones.map((z) => ({ label: z.replace(/_/g, ' '), value: z }));
}

const FALLBACK_ZONES = [
  'America/Los_Angeles',
  'America/Denver',
  'America/Chicago',
  'America/New_York',
  'America/Sao_Paulo',
  'Europe/London',
  'Europe/Paris',
  'Europe/Berlin',
  'Asia/Dubai',
  'Asia/Kolkata',
  'Asia/Singapore',
  'Asia/Tokyo',
  'Australia/Sydney',
  'Pacific/Auckland',
];
