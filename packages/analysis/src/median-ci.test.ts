import { describe, expect, it } from 'vitest';
import { median, medianCI, minSamplesForCI } from './median-ci.ts';

describe('medianCI', () => {
  it('uses the tabulated order statistics for a 95% interval', () => {
    // Distribution-free CI for the median (Hollander & Wolfe 1999, Table A.1 / Conover 1999
    // Table A3): n = 6 → (x1, x6), coverage 1 − 2/64 = 0.96875; n = 10 → (x2, x9), coverage
    // 1 − 22/1024 = 0.978516; n = 20 → (x6, x15), coverage 0.958611; n = 100 → (x40, x61), coverage 0.9648.
    const seq = (n: number) => Array.from({ length: n }, (_, i) => (i + 1) * 10).reverse();
    const expectations: [number, number, number, number][] = [
      [6, 1, 6, 0.96875],
      [10, 2, 9, 0.978516],
      [20, 6, 15, 0.958611],
      [100, 40, 61, 0.9648],
    ];
    for (const [n, lo, hi, cov] of expectations) {
      const r = medianCI(seq(n));
      expect(r.ci?.lowRank, `n=${n}`).toBe(lo);
      expect(r.ci?.highRank, `n=${n}`).toBe(hi);
      expect(r.ci?.low).toBe(lo * 10);
      expect(r.ci?.high).toBe(hi * 10);
      expect(r.ci?.coverage).toBeCloseTo(cov, 4);
    }
  });

  it('returns a null interval with a reason below n = 6 at 95% (benchstat: "need >= 6 samples")', () => {
    const r = medianCI([5, 1, 4, 2, 3]);
    expect(r.median).toBe(3);
    expect(r.ci).toBeNull();
    expect(r.reason).toMatch(/need >= 6 samples/);
    expect(minSamplesForCI(0.95)).toBe(6);
    expect(minSamplesForCI(0.99)).toBe(8); // 2/2^8 = 0.0078 <= 0.01 < 2/2^7
  });

  it('handles a very large n without underflow', () => {
    const r = medianCI(Array.from({ length: 20000 }, (_, i) => i));
    expect(r.ci).not.toBeNull();
    expect(r.ci!.coverage).toBeGreaterThanOrEqual(0.95);
    expect(r.ci!.coverage).toBeLessThan(0.96);
  });

  it('median averages the middle pair for even n', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(Number.isNaN(median([]))).toBe(true);
  });
});
