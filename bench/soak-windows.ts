// The soak's measure, apart from the load so it can be tested: the run cut into equal windows
// after the warm-up, and "flat" = the last window against the first (bench/README.md, the soak).
import { percentile, round } from './harness';

export type Sample = {
  at: number;
  rssMb: number;
  fds: number;
  load1: number;
  cacheEntries: number;
  cacheExpired: number;
  cacheMb: number;
  heapMb: number;
  heapAfterGcMb: number;
};

export type SoakWindow = {
  /** Seconds since the start of the load. */
  from: number;
  to: number;
  requests: number;
  p95: number;
  rssMb: number;
  fdsMax: number;
  load1: number;
  cpuMsPerRequest: number;
  heapAfterGcMb: number;
  cacheEntries: number;
  cacheExpired: number;
  cacheMb: number;
};

export type SoakVerdict = { name: 'rss' | 'p95' | 'fds'; first: number; last: number; pass: boolean };

/** The soak's definition of flat: the last window after the warm-up against the first, within 10 % (fds: + 2). */
export function flatness(windows: SoakWindow[]): SoakVerdict[] {
  const first = windows[0];
  const last = windows.at(-1);
  if (!first || !last || windows.length < 2) return [];
  const within = (a: number, b: number, slack = 0) => b <= a * 1.1 + slack;
  return [
    { name: 'rss', first: first.rssMb, last: last.rssMb, pass: within(first.rssMb, last.rssMb) },
    { name: 'p95', first: first.p95, last: last.p95, pass: within(first.p95, last.p95) },
    { name: 'fds', first: first.fdsMax, last: last.fdsMax, pass: within(first.fdsMax, last.fdsMax, 2) },
  ];
}

/** Samples at instants (from, to] and requests answered in [from, to) make a window; the warm-up makes none. */
export function soakWindows(run: {
  samples: Sample[];
  latencies: { at: number; ms: number }[];
  cpuMarks: { at: number; cpuMs: number; requests: number }[];
  durationMs: number;
  warmupMs: number;
  windowMs: number;
}): SoakWindow[] {
  const { samples, latencies, cpuMarks, durationMs, warmupMs, windowMs } = run;
  const avg = (xs: number[]) => {
    const ok = xs.filter(Number.isFinite);
    return ok.length ? ok.reduce((a, b) => a + b, 0) / ok.length : NaN;
  };
  const windows: SoakWindow[] = [];
  for (let from = warmupMs; from + windowMs <= durationMs; from += windowMs) {
    const to = from + windowMs;
    // samples taken at instants (from, to]; latencies of requests answered in [from, to)
    const inWin = samples.filter((s) => s.at > from && s.at <= to);
    const ms = latencies.filter((l) => l.at >= from && l.at < to).map((l) => l.ms);
    const c0 = cpuMarks.find((m) => m.at === from);
    const c1 = cpuMarks.find((m) => m.at === to);
    const atEnd = inWin.find((s) => s.at === to);
    windows.push({
      from: from / 1000,
      to: to / 1000,
      requests: ms.length,
      p95: round(percentile(ms, 95), 1),
      rssMb: round(avg(inWin.map((s) => s.rssMb))),
      fdsMax: Math.max(...inWin.map((s) => s.fds)),
      load1: round(avg(inWin.map((s) => s.load1)), 2),
      cpuMsPerRequest: c0 && c1 ? round((c1.cpuMs - c0.cpuMs) / Math.max(1, c1.requests - c0.requests), 2) : NaN,
      heapAfterGcMb: atEnd?.heapAfterGcMb ?? NaN,
      cacheEntries: round(avg(inWin.map((s) => s.cacheEntries)), 0),
      cacheExpired: round(avg(inWin.map((s) => s.cacheExpired)), 0),
      cacheMb: round(avg(inWin.map((s) => s.cacheMb))),
    });
  }
  return windows;
}
