import { DateTime } from 'luxon';
import type { EpochMs } from './input';

// Date formatting for the engine's hot paths. One evaluation formats ~10,000 timestamps:
// `Date.prototype.toISOString` costs a runtime call and a Date object each (~1 µs), and a time-zone
// offset through luxon an Intl `formatToParts` call each (~5 µs), so both are avoided here.

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const WEEK = 7 * DAY;
const QUARTER_HOUR = 15 * MINUTE;
/** 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z: the 4-digit years `toISOString` writes plainly. */
const MIN_PLAIN_ISO = -62_167_219_200_000;
const MAX_PLAIN_ISO = 253_402_300_799_999;

// Character codes of the digits and separators `toISOString` writes.
const ZERO = 48;
const DASH = 45;
const T = 84;
const SPACE = 32;
const COLON = 58;
const DOT = 46;
const Z = 90;
const tens = (n: number) => ZERO + Math.floor(n / 10);
const ones = (n: number) => ZERO + (n % 10);

/** Whole milliseconds in years 0–9999: what `toISOString` writes with a 4-digit year. */
const plain = (ms: EpochMs) => Number.isInteger(ms) && ms >= MIN_PLAIN_ISO && ms <= MAX_PLAIN_ISO;

/**
 * `new Date(ms).toISOString()` (`minutes`: its first 16 characters with a space for the `T`,
 * "2026-11-22 23:59") for a plain `ms`, formatted by arithmetic into one string: days → civil
 * date as in H. Hinnant's `civil_from_days`.
 */
function format(ms: EpochMs, minutes: boolean): string {
  const days = Math.floor(ms / DAY);
  let rest = ms - days * DAY;
  const hour = Math.floor(rest / 3_600_000);
  rest -= hour * 3_600_000;
  const minute = Math.floor(rest / MINUTE);
  rest -= minute * MINUTE;
  const second = Math.floor(rest / 1000);
  const milli = rest - second * 1000;
  // Civil date from days since 1970-01-01, with years starting on 1 March (leap day last).
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097; // day of era, 0–146096
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100)); // 0–365
  const mp = Math.floor((5 * doy + 2) / 153); // month from March, 0–11
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const century = Math.floor(year / 100);
  const centiYear = year % 100;
  if (minutes)
    return String.fromCharCode(
      tens(century),
      ones(century),
      tens(centiYear),
      ones(centiYear),
      DASH,
      tens(month),
      ones(month),
      DASH,
      tens(day),
      ones(day),
      SPACE,
      tens(hour),
      ones(hour),
      COLON,
      tens(minute),
      ones(minute),
    );
  return String.fromCharCode(
    tens(century),
    ones(century),
    tens(centiYear),
    ones(centiYear),
    DASH,
    tens(month),
    ones(month),
    DASH,
    tens(day),
    ones(day),
    T,
    tens(hour),
    ones(hour),
    COLON,
    tens(minute),
    ones(minute),
    COLON,
    tens(second),
    ones(second),
    DOT,
    ZERO + Math.floor(milli / 100),
    tens(milli % 100),
    ones(milli),
    Z,
  );
}

/** Exactly `new Date(ms).toISOString()` (fractions, extended years and NaN, which throws, go to the builtin). */
export function isoString(ms: EpochMs): string {
  return plain(ms) ? format(ms, false) : new Date(ms).toISOString();
}

/** Exactly `new Date(ms).toISOString().slice(0, 16).replace('T', ' ')`: "2026-11-22 23:59". */
export function minuteString(ms: EpochMs): string {
  return plain(ms) ? format(ms, true) : new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

const digitAt = (s: string, i: number) => s.charCodeAt(i) - ZERO;
/** The number written by the digits `s[from, to)`, or NaN if one is not a digit. */
function digits(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = digitAt(s, i);
    if (d < 0 || d > 9) return NaN;
    n = n * 10 + d;
  }
  return n;
}
const isLeap = (y: number) => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Exactly `Date.parse(s)`. The strings `isoString` writes ("2026-11-22T23:59:59.999Z", which the
 * rules read back from facts) are read by arithmetic (days from civil, as H. Hinnant's
 * `days_from_civil`): every field in range, so the standard fixes the value. Anything else goes
 * to the builtin.
 */
export function parseIso(s: string): EpochMs {
  if (
    s.length !== 24 ||
    s.charCodeAt(4) !== DASH ||
    s.charCodeAt(7) !== DASH ||
    s.charCodeAt(10) !== T ||
    s.charCodeAt(13) !== COLON ||
    s.charCodeAt(16) !== COLON ||
    s.charCodeAt(19) !== DOT ||
    s.charCodeAt(23) !== Z
  )
    return Date.parse(s);
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 7);
  const day = digits(s, 8, 10);
  const hour = digits(s, 11, 13);
  const minute = digits(s, 14, 16);
  const second = digits(s, 17, 19);
  const milli = digits(s, 20, 23);
  // NaN (a non-digit) fails these too.
  if (!(month >= 1 && month <= 12 && hour <= 23 && minute <= 59 && second <= 59 && milli >= 0 && year >= 0)) return Date.parse(s);
  if (!(day >= 1 && day <= (month === 2 && isLeap(year) ? 29 : MONTH_DAYS[month - 1]!))) return Date.parse(s);
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400; // 0–399
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1; // 0–365
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy; // 0–146096
  const days = era * 146_097 + doe - 719_468;
  return days * DAY + hour * 3_600_000 + minute * MINUTE + second * 1000 + milli;
}

// Offsets sampled so far, per zone, kept across evaluations: the offset of a zone at an instant
// is a pure function of the two (and of the process's time-zone data), so every portal and rep
// can share them. Bounded: all forgotten at once past SAMPLES_MAX (a few per week per zone).
const sampledOffsets = new Map<string, Map<EpochMs, number>>();
let sampleCount = 0;
const SAMPLES_MAX = 100_000;

/**
 * The UTC offset (minutes) of `zone` per quarter hour: `DateTime.fromMillis(start, { zone }).offset`
 * at the start of the quarter hour holding `ms`. Offsets change on whole quarter hours, and no
 * zone undoes a change within a week (tzdata: months apart; checked for every zone Intl knows,
 * 1980–2045, at 3-hour steps), so when a week (then a day) starts and ends with one offset, all of
 * it has that offset. That is one luxon/Intl call (~5 µs) per week touched instead of one per
 * quarter hour; only the quarter hours of a day with a change are asked one by one.
 */
export function quarterHourOffsets(zone: string): (ms: EpochMs) => number {
  let samples = sampledOffsets.get(zone);
  if (!samples) sampledOffsets.set(zone, (samples = new Map()));
  const known = samples;
  const at = (instant: EpochMs) => {
    let v = known.get(instant);
    if (v === undefined) {
      known.set(instant, (v = DateTime.fromMillis(instant, { zone }).offset));
      if (++sampleCount > SAMPLES_MAX) {
        sampledOffsets.clear();
        sampleCount = 0;
      }
    }
    return v;
  };
  const constantOver = (start: EpochMs, length: number) => {
    const v = at(start);
    return v === at(start + length) ? v : null;
  };
  return (ms) => {
    const quarter = Math.floor(ms / QUARTER_HOUR) * QUARTER_HOUR;
    return constantOver(Math.floor(quarter / WEEK) * WEEK, WEEK) ?? constantOver(Math.floor(quarter / DAY) * DAY, DAY) ?? at(quarter);
  };
}
