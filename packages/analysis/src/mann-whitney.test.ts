import { describe, expect, it } from 'vitest';
import { mannWhitneyU, minAchievableP, rankSumDistribution } from './mann-whitney.ts';

/** Brute force: enumerate every split of the pooled sample, an independent reference for the DP. */
function bruteForceP(a: number[], b: number[]): number {
  const pooled = [...a, ...b];
  const n = pooled.length;
  const u = (x: number[], y: number[]) => {
    let s = 0;
    for (const p of x) for (const q of y) s += p > q ? 1 : p === q ? 0.5 : 0;
    return s;
  };
  const mean = (a.length * b.length) / 2;
  const obs = Math.abs(u(a, b) - mean);
  let extreme = 0;
  let total = 0;
  for (let mask = 0; mask < 1 << n; mask++) {
    let bits = 0;
    for (let i = 0; i < n; i++) if (mask & (1 << i)) bits++;
    if (bits !== a.length) continue;
    const x = pooled.filter((_, i) => mask & (1 << i));
    const y = pooled.filter((_, i) => !(mask & (1 << i)));
    total++;
    if (Math.abs(u(x, y) - mean) >= obs - 1e-9) extreme++;
  }
  return extreme / total;
}

/** Largest U whose exact two-sided p <= alpha, for n1 = n2 = n without ties. */
function criticalU(n: number, alpha: number): number {
  const groups = Array.from({ length: 2 * n }, (_, i) => ({ size: 1, rank2: 2 * (i + 1) }));
  const counts = rankSumDistribution(n, groups);
  const total = counts.reduce((s, c) => s + c, 0);
  let cum = 0;
  let crit = -1;
  for (let u = 0; u <= n * n; u++) {
    cum += counts[2 * (u + (n * (n + 1)) / 2)] as number; // R = U + n(n+1)/2, doubled
    if (2 * (cum / total) <= alpha) crit = u;
  }
  return crit;
}

describe('mannWhitneyU', () => {
  it('matches R wilcox.test on the Hollander & Wolfe (1973, p. 69) permeability data', () => {
    // R documentation example for wilcox.test: W = 35, one-sided ("greater") p-value = 0.1272,
    // so the exact two-sided p is 0.2544.
    const x = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
    const y = [1.15, 0.88, 0.9, 0.74, 1.21];
    const r = mannWhitneyU(x, y);
    expect(r.u).toBe(35);
    expect(r.method).toBe('exact');
    expect(r.p).toBeCloseTo(0.2544, 4);
  });

  it('gives the normal approximation with continuity correction when asked (hand-computed)', () => {
    // z = (|35 − 25| − 0.5) / sqrt(10·5·16/12) = 9.5 / 8.1650 = 1.16351; 2·(1 − Φ(1.16351)) = 0.24462
    const x = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
    const y = [1.15, 0.88, 0.9, 0.74, 1.21];
    const r = mannWhitneyU(x, y, { exactMaxN: 0 });
    expect(r.method).toBe('normal');
    expect(r.p).toBeCloseTo(0.24462, 4);
  });

  it("gives R's p = 0.007937 for fully separated samples of 5 (= 2/252)", () => {
    // R: wilcox.test(1:5, 6:10) → W = 0, p-value = 0.007937
    const r = mannWhitneyU([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]);
    expect(r.u).toBe(0);
    expect(r.p).toBeCloseTo(2 / 252, 12);
  });

  it('reproduces the published two-tailed alpha = 0.05 critical values of U for n1 = n2', () => {
    // Standard tables of critical U (e.g. Mann & Whitney 1947; Siegel & Castellan 1988, Table J):
    // n = 5: 2, 6: 5, 7: 8, 8: 13, 9: 17, 10: 23, 20: 127.
    const table: [number, number][] = [
      [5, 2],
      [6, 5],
      [7, 8],
      [8, 13],
      [9, 17],
      [10, 23],
      [20, 127],
    ];
    for (const [n, u] of table) expect(criticalU(n, 0.05), `n=${n}`).toBe(u);
  });

  it('handles ties exactly: a = [1, 2], b = [2, 3] has p = 2/3 (worked by hand)', () => {
    // Mid-ranks 1, 2.5, 2.5, 4; R_a = 3.5, E[R] = 5. The 6 equally likely splits give rank sums
    // 3.5, 3.5, 5, 5, 6.5, 6.5; four are at least 1.5 from 5, so p = 4/6.
    const r = mannWhitneyU([1, 2], [2, 3]);
    expect(r.u).toBe(0.5);
    expect(r.p).toBeCloseTo(2 / 3, 12);
  });

  it('agrees with brute-force enumeration of the permutation distribution on heavily tied data', () => {
    const cases: [number[], number[]][] = [
      [
        [1, 1, 2, 2, 3],
        [2, 3, 3, 4, 4, 4],
      ],
      [
        [5, 5, 5, 6],
        [5, 6, 6, 7, 7],
      ],
      [
        [1, 2, 2, 2, 2, 3, 9],
        [2, 2, 4, 4, 5, 5, 5],
      ],
      [
        [10, 10, 10],
        [10, 10, 10, 11],
      ],
    ];
    for (const [a, b] of cases) expect(mannWhitneyU(a, b).p).toBeCloseTo(bruteForceP(a, b), 12);
  });

  it('returns p = 1 when every value is tied, exact and normal', () => {
    expect(mannWhitneyU([3, 3, 3], [3, 3, 3]).p).toBe(1);
    expect(mannWhitneyU(Array(30).fill(3), Array(30).fill(3)).p).toBe(1);
  });

  it('switches to the normal approximation above exactMaxN and stays close to exact there', () => {
    const a = Array.from({ length: 26 }, (_, i) => i * 1.1);
    const b = Array.from({ length: 26 }, (_, i) => i * 1.1 + 6);
    const normal = mannWhitneyU(a, b);
    const exact = mannWhitneyU(a, b, { exactMaxN: 60 });
    expect(normal.method).toBe('normal');
    expect(exact.method).toBe('exact');
    expect(Math.abs(normal.p - exact.p)).toBeLessThan(0.005);
  });

  it('rejects empty or non-finite samples', () => {
    expect(() => mannWhitneyU([], [1])).toThrow(RangeError);
    expect(() => mannWhitneyU([1, Number.NaN], [1])).toThrow(RangeError);
  });
});

describe('minAchievableP', () => {
  it('is 2 / C(n1+n2, n1): 3 vs 3 can never reach 0.05, 4 vs 4 can', () => {
    expect(minAchievableP(3, 3)).toBeCloseTo(0.1, 12);
    expect(minAchievableP(4, 4)).toBeCloseTo(2 / 70, 12);
    expect(minAchievableP(1, 1)).toBe(1);
    expect(minAchievableP(3, 4)).toBeCloseTo(2 / 35, 12);
  });
});
