import { describe, expect, it } from 'vitest';
import { createCopyCache } from './copy-cache';

describe('the copy cache', () => {
  const counter = () => {
    let n = 0;
    return () => Promise.resolve(++n);
  };

  it('answers from the cache while the copy keeps its version, and computes again when it moves', async () => {
    const cache = createCopyCache<number>({ max: 10, ttlMs: 60_000, now: () => 0 });
    const compute = counter();
    expect(await cache.get('k', 1, compute)).toBe(1);
    expect(await cache.get('k', 1, compute)).toBe(1);
    expect(await cache.get('k', 2, compute)).toBe(2);
    expect(await cache.get('other', 2, compute)).toBe(3);
  });

  it('computes again past the time to live, even at the same version', async () => {
    let now = 0;
    const cache = createCopyCache<number>({ max: 10, ttlMs: 1_000, now: () => now });
    const compute = counter();
    await cache.get('k', 1, compute);
    now = 999;
    expect(await cache.get('k', 1, compute)).toBe(1);
    now = 1_000;
    expect(await cache.get('k', 1, compute)).toBe(2);
  });

  it('keeps no failure, and drops the least recently used entry past its size', async () => {
    const cache = createCopyCache<number>({ max: 2, ttlMs: 60_000, now: () => 0 });
    await expect(cache.get('bad', 1, () => Promise.reject(new Error('db down')))).rejects.toThrow('db down');
    await Promise.resolve();
    expect(cache.size).toBe(0);
    const compute = counter();
    await cache.get('a', 1, compute); // 1
    await cache.get('b', 1, compute); // 2
    await cache.get('a', 1, compute); // a used again: b is now the oldest
    await cache.get('c', 1, compute); // 3; b goes
    expect(cache.size).toBe(2);
    expect(await cache.get('a', 1, compute)).toBe(1);
    expect(await cache.get('b', 1, compute)).toBe(4);
  });
});
