import { describe, expect, it } from 'vitest';
import { olsFit, olsPredict, olsSlopeInterval } from './ols.ts';
import { studentTQuantile } from '../stats/student-t.ts';
import { theilSen } from './theil-sen.ts';

// NIST/ITL Statistical Reference Datasets, linear least squares, "Norris" (lower difficulty):
// https://www.itl.nist.gov/div898/strd/lls/data/Norris.shtml — 36 observations (y, x) and the
// certified values below, quoted to 15 significant digits.
const NORRIS_Y = [
  0.1, 338.8, 118.1, 888.0, 9.2, 228.1, 668.5, 998.5, 449.1, 778.9, 559.2, 0.3, 0.1, 778.1, 668.8, 339.3, 448.9, 10.8, 557.7, 228.3, 998.0,
  888.8, 119.6, 0.3, 0.6, 557.6, 339.3, 888.0, 998.5, 778.9, 10.2, 117.6, 228.9, 668.4, 449.2, 0.2,
];
const NORRIS_X = [
  0.2, 337.4, 118.2, 884.6, 10.1, 226.5, 666.3, 996.3, 448.6, 777.0, 558.2, 0.4, 0.6, 775.5, 666.9, 338.0, 447.5, 11.6, 556.0, 228.1, 995.8,
  887.6, 120.2, 0.3, 0.3, 556.8, 339.1, 887.2, 999.0, 779.0, 11.1, 118.3, 229.2, 669.1, 448.9, 0.5,
];
const CERTIFIED = {
  b0: -0.262323073774029,
  b0Sd: 0.232818234301152,
  b1: 1.00211681802045,
  b1Sd: 0.429796848199937e-3,
  residualSd: 0.884796396144373,
  rSquared: 0.999993745883712,
  rss: 26.6173985294224,
};
const rel = (a: number, b: number) => Math.abs(a / b - 1);

describe('OLS against NIST StRD Norris', () => {
  const fit = olsFit(NORRIS_X, NORRIS_Y);
  it('reproduces every certified value to at least 12 significant digits', () => {
    expect(rel(fit.intercept, CERTIFIED.b0)).toBeLessThan(1e-12);
    expect(rel(fit.slope, CERTIFIED.b1)).toBeLessThan(1e-12);
    expect(rel(fit.interceptSe, CERTIFIED.b0Sd)).toBeLessThan(1e-12);
    expect(rel(fit.slopeSe, CERTIFIED.b1Sd)).toBeLessThan(1e-12);
    expect(rel(fit.residualSd, CERTIFIED.residualSd)).toBeLessThan(1e-12);
    expect(rel(fit.rSquared, CERTIFIED.rSquared)).toBeLessThan(1e-12);
    expect(rel(fit.rss, CERTIFIED.rss)).toBeLessThan(1e-10);
    expect(fit.df).toBe(34);
  });

  it('builds the prediction interval from the certified s and se(b1)', () => {
    // Var(new obs at x0) = s² + s²/n + (x0 − x̄)²·se(b1)²  (Draper & Smith §1.4), with t(0.975; 34).
    const xBar = NORRIS_X.reduce((a, b) => a + b, 0) / NORRIS_X.length;
    for (const x0 of [0, 500, 1500]) {
      const se = Math.sqrt(CERTIFIED.residualSd ** 2 * (1 + 1 / 36) + (x0 - xBar) ** 2 * CERTIFIED.b1Sd ** 2);
      const half = studentTQuantile(0.975, 34) * se;
      const pi = olsPredict(fit, x0, 0.95);
      expect(pi.value).toBeCloseTo(CERTIFIED.b0 + CERTIFIED.b1 * x0, 9);
      expect(pi.high - pi.value).toBeCloseTo(half, 9);
      expect(pi.value - pi.low).toBeCloseTo(half, 9);
    }
    // The 95% table value t(0.975; 34) = 2.032 (NIST/SEMATECH e-Handbook §1.3.6.7.2).
    const ci = olsSlopeInterval(fit, 0.95);
    expect((ci.high - ci.low) / 2 / CERTIFIED.b1Sd).toBeCloseTo(2.032, 3);
  });

  it('keeps its digits when x is an epoch time in days (large offset)', () => {
    const shifted = olsFit(
      NORRIS_X.map((x) => x + 2e7),
      NORRIS_Y,
    );
    expect(rel(shifted.slope, CERTIFIED.b1)).toBeLessThan(1e-9);
    expect(rel(shifted.residualSd, CERTIFIED.residualSd)).toBeLessThan(1e-8);
  });
});

describe('Theil–Sen (hand-checked)', () => {
  it('ignores one wild point that drags OLS far away', () => {
    // Pairwise slopes of (1,1) (2,2) (3,3) (4,4) (5,50): six pairs among the first four give 1,
    // the pairs with the last point give 12.25, 16, 23.5, 46; the median of the ten is 1.
    // Intercept: median of y − x = {0, 0, 0, 0, 45} = 0.
    const x = [1, 2, 3, 4, 5];
    const y = [1, 2, 3, 4, 50];
    const ts = theilSen(x, y);
    expect(ts.slope).toBe(1);
    expect(ts.intercept).toBe(0);
    expect(olsFit(x, y).slope).toBeCloseTo(10, 10); // x̄ = 3, ȳ = 12: Sxy = 22 + 10 + 0 − 8 + 76 = 100, Sxx = 10
  });

  it('averages the two middle slopes for an even count', () => {
    // (0,0) (1,2) (2,1) (3,5): slopes 2, 0.5, 5/3, −1, 1.5, 4 → sorted −1, 0.5, 1.5, 5/3, 2, 4;
    // median (1.5 + 5/3)/2 = 19/12. Residual medians: y − 19/12·x = 0, 5/12, −13/6, 1/4 → (0 + 1/4)/2 = 1/8.
    const ts = theilSen([0, 1, 2, 3], [0, 2, 1, 5]);
    expect(ts.slope).toBeCloseTo(19 / 12, 14);
    expect(ts.intercept).toBeCloseTo(1 / 8, 14);
  });
});
