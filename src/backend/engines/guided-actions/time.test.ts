import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { isoString, minuteString, parseIso, quarterHourOffsets } from './time';
import { seededRandom as random } from './test-factories';

// The fast formatters must be exactly the builtins they replace (the engine's output is
// compared byte for byte across versions).

const builtinIso = (ms: number) => {
  try {
    return new Date(ms).toISOString();
  } catch (e) {
    return `throws ${(e as Error).name}`;
  }
};
const ours = (f: (ms: number) => string, ms: number) => {
  try {
    return f(ms);
  } catch (e) {
    return `throws ${(e as Error).name}`;
  }
};

const DAY = 86_400_000;
const edges = [
  0,
  -0,
  1,
  -1,
  999,
  1000,
  0.5,
  -0.5,
  1.7e12 + 0.25,
  NaN,
  Infinity,
  -Infinity,
  8.64e15,
  -8.64e15,
  8.64e15 + 1,
  Date.UTC(0, 0, 1) - 1,
  Date.parse('0000-01-01T00:00:00.000Z'),
  Date.parse('0000-01-01T00:00:00.000Z') - 1,
  Date.parse('9999-12-31T23:59:59.999Z'),
  Date.parse('9999-12-31T23:59:59.999Z') + 1,
  Date.parse('2000-02-29T23:59:59.999Z'),
  Date.parse('1900-03-01T00:00:00.000Z'),
  Date.parse('2100-02-28T12:34:56.789Z'),
  Date.parse('1969-12-31T23:59:59.999Z'),
];

describe('isoString / minuteString', () => {
  it('equal toISOString (and its minutes) at the edges: epoch, leap days, year 0 and 9999, fractions, NaN', () => {
    for (const ms of edges) {
      expect(ours(isoString, ms)).toBe(builtinIso(ms));
      const minutes = builtinIso(ms).startsWith('throws') ? builtinIso(ms) : builtinIso(ms).slice(0, 16).replace('T', ' ');
      expect(ours(minuteString, ms)).toBe(minutes);
    }
  });

  it('equal toISOString on every day boundary from 1800 to 2200 and on random instants', () => {
    const next = random(42);
    const mismatches: number[] = [];
    const check = (ms: number) => {
      const want = builtinIso(ms);
      if (isoString(ms) !== want || minuteString(ms) !== want.slice(0, 16).replace('T', ' ')) mismatches.push(ms);
    };
    for (let day = Date.UTC(1800, 0, 1) / DAY; day < Date.UTC(2200, 0, 1) / DAY; day++) {
      check(day * DAY);
      check(day * DAY - 1);
    }
    for (let i = 0; i < 50_000; i++) check(Math.floor((next() - 0.5) * 2 * 253_402_300_799_999));
    expect(mismatches).toEqual([]);
  });
});

describe('quarterHourOffsets', () => {
  const zones = [
    'Europe/Paris',
    'America/New_York',
    'Australia/Lord_Howe',
    'Asia/Kathmandu',
    'America/St_Johns',
    'Africa/Casablanca',
    'UTC',
  ];

  it.each(zones)('%s: the luxon offset at the start of each quarter hour, across DST changes', (zone) => {
    const offsetAt = quarterHourOffsets(zone);
    const exact = (ms: number) => {
      const quarter = Math.floor(ms / 900_000) * 900_000;
      return DateTime.fromMillis(quarter, { zone }).offset;
    };
    const mismatches: number[] = [];
    // Every quarter hour (plus a few minutes) of 2026, then random instants 1990–2040.
    for (let ms = Date.UTC(2026, 0, 1); ms < Date.UTC(2027, 0, 1); ms += 900_000) {
      const at = ms + 7 * 60_000;
      if (offsetAt(at) !== exact(at)) mismatches.push(at);
    }
    const next = random(7);
    for (let i = 0; i < 2_000; i++) {
      const at = Math.floor(Date.UTC(1990, 0, 1) + next() * (Date.UTC(2040, 0, 1) - Date.UTC(1990, 0, 1)));
      if (offsetAt(at) !== exact(at)) mismatches.push(at);
    }
    expect(mismatches).toEqual([]);
  });

  it('gives NaN for a zone luxon does not know, as luxon does', () => {
    expect(quarterHourOffsets('Nowhere/Atlantis')(Date.UTC(2026, 0, 1))).toBeNaN();
  });
});

describe('parseIso', () => {
  it('equals Date.parse on what isoString writes, and on near misses', () => {
    const next = random(3);
    const mismatches: string[] = [];
    const check = (s: string) => {
      const want = Date.parse(s);
      const got = parseIso(s);
      if (!(Object.is(want, got) || (Number.isNaN(want) && Number.isNaN(got)))) mismatches.push(s);
    };
    for (let day = Date.UTC(1800, 0, 1) / DAY; day < Date.UTC(2200, 0, 1) / DAY; day++) check(isoString(day * DAY + 45_296_789));
    for (let i = 0; i < 20_000; i++) {
      const s = isoString(Math.floor(next() * 253_402_300_799_999));
      check(s);
      const at = Math.floor(next() * 24);
      check(s.slice(0, at) + String.fromCharCode(32 + Math.floor(next() * 95)) + s.slice(at + 1));
    }
    for (const s of [
      '2026-02-29T00:00:00.000Z',
      '2024-02-29T00:00:00.000Z',
      '2100-02-29T00:00:00.000Z',
      '2000-02-29T00:00:00.000Z',
      '2026-04-31T00:00:00.000Z',
      '2026-13-01T00:00:00.000Z',
      '2026-01-00T00:00:00.000Z',
      '2026-01-01T24:00:00.000Z',
      '2026-01-01T23:59:60.000Z',
      '2026-01-01T23:59:59.999z',
      '0000-01-01T00:00:00.000Z',
      '9999-12-31T23:59:59.999Z',
      '+275760-09-13T00:00:00.000Z',
      '-000001-01-01T00:00:00.000Z',
      '2026-01-01',
      'null',
      '',
    ])
      check(s);
    expect(mismatches).toEqual([]);
  });
});
