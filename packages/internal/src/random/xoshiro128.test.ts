import { describe, expect, it } from 'vitest';
import { splitMix64, xoshiro128, xoshiro128FromState } from './xoshiro128.ts';

describe('xoshiro128**', () => {
  it('produces the outputs worked by hand from state {1, 2, 3, 4} with the reference algorithm', () => {
    // out = rotl(s1·5, 7)·9: rotl(10, 7)·9 = 1280·9 = 11520. The update then gives s = {7, 0, 1026, 12288}
    // → out = 0; then s = {12295, 1029, 1029, 25165824} → out = rotl(5145, 7)·9 = 658560·9 = 5927040.
    const g = xoshiro128FromState([1, 2, 3, 4]);
    expect([g.next(), g.next(), g.next()]).toEqual([11520, 0, 5927040]);
  });

  it('seeds with SplitMix64, whose first output from seed 0 is 0xe220a8397b1dcdaf', () => {
    // SplitMix64 reference (Vigna, prng.di.unimi.it/splitmix64.c) with x = 0.
    expect(splitMix64(0n, 1)[0]).toBe(0xe220a8397b1dcdafn);
  });

  it('is reproducible by seed and differs between seeds', () => {
    const take = (seed: number) => {
      const g = xoshiro128(seed);
      return Array.from({ length: 5 }, () => g.next());
    };
    expect(take(42)).toEqual(take(42));
    expect(take(42)).not.toEqual(take(43));
  });

  it('gives uniforms strictly inside (0, 1) with mean ½ and variance 1/12', () => {
    const g = xoshiro128(7);
    const n = 100_000;
    let sum = 0,
      sum2 = 0,
      min = 1,
      max = 0;
    for (let i = 0; i < n; i++) {
      const u = g.nextUniform();
      sum += u;
      sum2 += u * u;
      min = Math.min(min, u);
      max = Math.max(max, u);
    }
    const mean = sum / n;
    expect(min).toBeGreaterThan(0);
    expect(max).toBeLessThan(1);
    // SE of the mean is √(1/12/n) ≈ 0.0009; allow 4 SE
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.0037);
    expect(sum2 / n - mean * mean).toBeCloseTo(1 / 12, 2);
  });
});
