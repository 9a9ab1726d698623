// The soak's measure (bench/soak-windows.ts): what "flat" means, on made-up runs.
import { describe, expect, it } from 'vitest';
import { flatness, soakWindows, type Sample } from '../../bench/soak-windows';

const sample = (at: number, rssMb: number, fds = 50): Sample => ({
  at,
  rssMb,
  fds,
  load1: 2,
  cacheEntries: 100,
  cacheExpired: 0,
  cacheMb: 1,
  heapMb: 30,
  heapAfterGcMb: 30,
});

/** A 5-minute run sampled every 10 s: RSS per sample from `rss`, one request per second of `ms(t)` ms. */
function run(rss: (t: number) => number, ms: (t: number) => number) {
  const samples = Array.from({ length: 30 }, (_, i) => sample((i + 1) * 10_000, rss((i + 1) * 10_000)));
  const latencies = Array.from({ length: 300 }, (_, i) => ({ at: i * 1_000 + 500, ms: ms(i * 1_000) }));
  const cpuMarks = Array.from({ length: 31 }, (_, i) => ({ at: i * 10_000, cpuMs: i * 1_000, requests: i * 10 }));
  return soakWindows({ samples, latencies, cpuMarks, durationMs: 300_000, warmupMs: 60_000, windowMs: 60_000 });
}

describe('the soak: windows after the warm-up, the last against the first', () => {
  it('cuts the run after the warm-up into equal windows; p95 over the window, CPU per request from /proc', () => {
    const w = run(
      () => 100,
      (t) => (t % 20_000 === 0 ? 10 : 20),
    );
    expect(w.map((x) => [x.from, x.to])).toEqual([
      [60, 120],
      [120, 180],
      [180, 240],
      [240, 300],
    ]);
    expect(w.every((x) => x.requests === 60 && x.p95 === 20 && x.cpuMsPerRequest === 100)).toBe(true);
  });

  it('ignores the warm-up: a fast start does not count against the steady state', () => {
    // RSS climbs 60 → 150 MB in the first minute, then stays; latency is high while caches fill
    const w = run(
      (t) => (t <= 60_000 ? 60 + (t / 60_000) * 90 : 150),
      (t) => (t < 60_000 ? 200 : 18),
    );
    expect(flatness(w).every((v) => v.pass)).toBe(true);
  });

  it('fails a steady growth of RSS or p95 beyond 10 %, and passes one within it', () => {
    const growing = run(
      (t) => 150 + t / 5_000, // + 12 MB a minute
      (t) => 18 + t / 20_000, // + 3 ms a minute
    );
    expect(flatness(growing).map((v) => [v.name, v.pass])).toEqual([
      ['rss', false],
      ['p95', false],
      ['fds', true],
    ]);
    const slight = run(
      (t) => 150 + t / 60_000, // + 1 MB a minute
      () => 18,
    );
    expect(flatness(slight).every((v) => v.pass)).toBe(true);
  });

  it('judges nothing with fewer than two windows', () => {
    expect(flatness([])).toEqual([]);
  });
});
