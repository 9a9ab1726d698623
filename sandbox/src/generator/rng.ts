// Small seeded PRNG (mulberry32) with the helpers the generator needs.
// One instance per generation; no per-record closures.

export class Rng {
  private s: number;

  constructor(seed: number) {
    // mix the seed so that small consecutive seeds give unrelated streams
    let h = (seed ^ 0x9e3779b9) >>> 0;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
    this.s = (h ^ (h >>> 16)) >>> 0;
  }

  /** uniform in [0, 1) */
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** integer in [0, n) */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** integer in [lo, hi] */
  between(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(arr: readonly T[]): T {
    return arr[Math.floor(this.next() * arr.length)] as T;
  }

  /** exponential with the given mean */
  exp(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }

  /** index into a cumulative weight table (last entry = total) */
  weighted(cum: Float64Array | readonly number[]): number {
    const total = cum[cum.length - 1] as number;
    const x = this.next() * total;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cum[mid] as number) > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

/** cumulative table for weights */
export function cumulative(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let acc = 0;
  weights.forEach((w, i) => {
    acc += w;
    out[i] = acc;
  });
  return out;
}

/** Zipf-like weights 1/k^s for k = 1..n */
export function zipfWeights(n: number, s: number): number[] {
  const out: number[] = [];
  for (let k = 1; k <= n; k++) out.push(1 / Math.pow(k, s));
  return out;
}
