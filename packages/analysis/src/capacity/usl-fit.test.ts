import { ValidationError } from '@headroom/core';
import { describe, expect, it } from 'vitest';
import { fitUsl, uslThroughput, type UslFitted, type UslPoint } from './usl-fit.ts';
import { studentTQuantile } from '../stats/student-t.ts';
import { xoshiro128 } from '@headroom/internal';

const pts = (n: readonly number[], x: readonly number[]): UslPoint[] => n.map((v, i) => ({ n: v, x: x[i]! }));
const sig3 = (v: number) => Number(v.toPrecision(3));
/** Equal to what R printed, to every digit it printed (|v − printed| ≤ half a unit in its last place). */
function expectPrinted(v: number, printed: string): void {
  const decimals = printed.split('.')[1]?.length ?? 0;
  expect(Math.abs(v - Number(printed)), `${v} printed as ${printed}`).toBeLessThanOrEqual(0.5 * 10 ** -decimals + 1e-15);
}
function fitted(points: UslPoint[]): UslFitted {
  const f = fitUsl(points);
  if (f.status !== 'fitted') throw new Error(`expected a fit, got ${f.status}: ${f.message}`);
  return f;
}

// Data sets are as published; the sources are named at each test.
// R package usl (Moeding), tests/coef.R: toy data generated from σ = κ = 0.02, λ = 1.
const TOY = pts([1, 2, 4, 6, 8, 10], [1, 1.8868, 3.0769, 3.5294, 3.5398, 3.3557]);
// usl4j (codahale/usl4j) src/test/java/.../ModelTest.java CISCO, the Cisco benchmark from
// Baron Schwartz, Practical Scalability Analysis with the Universal Scalability Law (2015).
const CISCO = pts(
  Array.from({ length: 32 }, (_, i) => i + 1),
  [
    955.16, 1878.91, 2688.01, 3548.68, 4315.54, 5130.43, 5931.37, 6531.08, 7219.8, 7867.61, 8278.71, 8646.7, 9047.84, 9426.55, 9645.37,
    9897.24, 10097.6, 10240.5, 10532.39, 10798.52, 11151.43, 11518.63, 11806, 12089.37, 12075.41, 12177.29, 12211.41, 12158.93, 12155.27,
    12118.04, 12140.4, 12074.39,
  ],
);
// R usl data/raytracer.rda (Gunther, Guerrilla Capacity Planning, 2007): ray-geometry
// intersections per second on an SGI Origin 2000, by processor count. Read from the .rda.
const RAYTRACER = pts([1, 4, 8, 12, 16, 20, 24, 28, 32, 48, 64], [20, 78, 130, 170, 190, 200, 210, 230, 260, 280, 310]);
// R usl data/specsdm91.rda (Gunther 2007): SPEC SDM91 on a Sun SPARCcenter 2000, scripts/hour by users.
const SPECSDM91 = pts([1, 18, 36, 72, 108, 144, 216], [64.9, 995.9, 1652.4, 1853.2, 1828.9, 1775.0, 1702.2]);

describe('fitUsl against published fits', () => {
  it("recovers σ = κ = 0.02, λ = 1 from R usl's toy data (tests/coef.Rout.save)", () => {
    const f = fitted(TOY);
    expect(sig3(f.sigma.value)).toBe(0.02);
    expect(sig3(f.kappa.value)).toBe(0.02);
    expect(sig3(f.lambda.value)).toBe(1);
  });

  it('matches the book values usl4j tests for the Cisco data (σ 0.02671591, κ 7.690945e-4, λ 995.6486, N* 35, X* 12341)', () => {
    const f = fitted(CISCO);
    expect(sig3(f.sigma.value)).toBe(sig3(0.02671591));
    expect(sig3(f.kappa.value)).toBe(sig3(7.690945e-4));
    expect(sig3(f.lambda.value)).toBe(sig3(995.6486));
    // usl4j asserts these within 0.02% of the book; we hold them to the same.
    expect(Math.abs(f.sigma.value / 0.02671591 - 1)).toBeLessThan(2e-4);
    expect(Math.abs(f.kappa.value / 7.690945e-4 - 1)).toBeLessThan(2e-4);
    expect(Math.abs(f.lambda.value / 995.6486 - 1)).toBeLessThan(2e-4);
    // The book's N_max = 35 is the whole number of clients below N* = √((1 − σ)/κ) = 35.57, and its
    // X_max = 12341 is X(35) (usl4j ModelTest.throughputAtConcurrency: X(35) = 12341.7456205207).
    expect(Math.floor(f.peakConcurrency!)).toBe(35);
    expect(Math.abs(uslThroughput(35, f.sigma.value, f.kappa.value, f.lambda.value) / 12341.7456205207 - 1)).toBeLessThan(2e-4);
    expect(f.peakThroughput!).toBeGreaterThanOrEqual(uslThroughput(35, f.sigma.value, f.kappa.value, f.lambda.value));
    // usl4j ModelTest.throughputAtConcurrency: X(20) = 11063.633137626028
    expect(uslThroughput(20, f.sigma.value, f.kappa.value, f.lambda.value)).toBeCloseTo(11063.63, 0);
  });

  it('matches R usl on raytracer[1:6] (tests/confint.Rout.save, commit c9673ee): coefficients and intervals', () => {
    const f = fitted(RAYTRACER.slice(0, 6));
    expect(sig3(f.sigma.value)).toBe(sig3(0.02444));
    expect(sig3(f.kappa.value)).toBe(sig3(0.00163));
    expect(sig3(f.lambda.value)).toBe(sig3(20.85605));
    // R usl's confint is estimate ± SE·qt(level, n − 1) = SE·qt(0.95, 5) (R/confint.R), our SEs
    // are the same s²(JᵀJ)⁻¹ ones, so its published bounds follow from ours with its quantile:
    const q = studentTQuantile(0.95, 5);
    const rBounds = (p: typeof f.sigma, lo: string, hi: string) => {
      expectPrinted(p.value - q * p.se!, lo);
      expectPrinted(p.value + q * p.se!, hi);
    };
    rBounds(f.sigma, '0.00754', '0.04135');
    rBounds(f.kappa, '0.00110', '0.00215');
    rBounds(f.lambda, '19.26717', '22.44492');
    // Our own 95% interval uses the textbook two-sided t(0.975, n − 3 = 3), hence wider.
    const t = studentTQuantile(0.975, 3);
    expect(f.sigma.ci![0]).toBeCloseTo(f.sigma.value - t * f.sigma.se!, 12);
    expect(f.degreesOfFreedom).toBe(3);
  });

  it("matches R usl's summary for specsdm91: estimates, standard errors, residual SE, peak and limit (tests/summary.Rout.save)", () => {
    const f = fitted(SPECSDM91);
    expect(sig3(f.sigma.value)).toBe(0.0277);
    expect(sig3(f.kappa.value)).toBe(0.000104);
    expect(sig3(f.lambda.value)).toBe(90);
    // Std. Error column: 9.122e-03, 1.988e-05, 1.421e+01; "Residual standard error: 82.85 on 4 degrees of freedom"
    expect(sig3(f.sigma.se!)).toBe(0.00912);
    expect(sig3(f.kappa.se!)).toBe(0.0000199);
    expect(sig3(f.lambda.se!)).toBe(14.2);
    expect(sig3(f.residualStandardError!)).toBe(82.8);
    expect(f.degreesOfFreedom).toBe(4);
    // "peak: throughput 1884 at load 96.52"; "limit: throughput 3246 (Amdahl asymptote)";
    // tests/peak-scalability.R: 96.51956, tests/limit-scalability.R: 3245.589
    expect(f.peakConcurrency!).toBeCloseTo(96.51956, 2);
    expect(Math.round(f.peakThroughput!)).toBe(1884);
    expect(f.ceiling!).toBeCloseTo(3245.589, 0);
  });

  it('puts κ on its bound for the full raytracer set and says there is no retrograde region (R usl tests/confint.Rout.save, commit 0c22191)', () => {
    const f = fitted(RAYTRACER);
    // coef(u): alpha 0.0578, beta 0.0000, gamma 21.8488
    expect(sig3(f.sigma.value)).toBe(0.0578);
    expect(f.kappa.value).toBe(0);
    expect(f.kappa.atBound).toBe(true);
    expect(sig3(f.lambda.value)).toBe(21.8);
    expect(f.peakConcurrency).toBeNull();
    expect(f.peakThroughput).toBeNull();
    expect(f.ceiling!).toBeCloseTo(f.lambda.value / f.sigma.value, 9);
    expect(f.notes.join(' ')).toMatch(/no retrograde region/);
    // confint with qt(0.95, 10): alpha 0.033677..0.081864, beta ±0.000214, gamma 17.868380..25.829306
    const q = studentTQuantile(0.95, 10);
    expectPrinted(f.sigma.value - q * f.sigma.se!, '0.033677');
    expectPrinted(f.sigma.value + q * f.sigma.se!, '0.081864');
    expectPrinted(q * f.kappa.se!, '0.000214');
    expectPrinted(f.lambda.value - q * f.lambda.se!, '17.868380');
    expectPrinted(f.lambda.value + q * f.lambda.se!, '25.829306');
  });
});

describe('fitUsl by construction', () => {
  it('recovers exact parameters from noise-free data and reports R² = 1', () => {
    const n = [1, 2, 4, 8, 16, 32, 64];
    const f = fitted(
      pts(
        n,
        n.map((v) => uslThroughput(v, 0.05, 0.0002, 1500)),
      ),
    );
    expect(f.sigma.value).toBeCloseTo(0.05, 7);
    expect(f.kappa.value / 0.0002).toBeCloseTo(1, 6);
    expect(f.lambda.value).toBeCloseTo(1500, 4);
    expect(f.r2).toBeCloseTo(1, 10);
    expect(f.peakConcurrency!).toBeCloseTo(Math.sqrt(0.95 / 0.0002), 4);
  });

  it('fits linear scaling with σ = κ = 0 and no ceiling', () => {
    const f = fitted(pts([1, 2, 3, 4], [100, 200, 300, 400]));
    expect(f.sigma.value).toBe(0);
    expect(f.kappa.value).toBe(0);
    expect(f.lambda.value).toBeCloseTo(100, 9);
    expect(f.ceiling).toBeNull();
    expect(f.peakConcurrency).toBeNull();
  });

  it('with exactly 3 points fits without standard errors and says why', () => {
    const f = fitted(TOY.slice(0, 3));
    expect(f.sigma.se).toBeNull();
    expect(f.residualStandardError).toBeNull();
    expect(f.notes.join(' ')).toMatch(/no standard errors/);
  });
});

describe('fitUsl robustness', () => {
  it('finds the exact curve when the optimum has σ on its bound and concurrency starts at 4 (ill-scaled JᵀJ)', () => {
    // Regression: κ's Jacobian column is ~1e9 times λ's here; an unscaled pivot test called JᵀJ
    // singular and the solver stopped at σ = κ = 0 claiming convergence.
    const n = [4, 8, 16, 24, 32, 48];
    const f = fitted(
      pts(
        n,
        n.map((v) => uslThroughput(v, 0, 0.00016222656, 7482.4516)),
      ),
    );
    expect(f.sigma.value).toBe(0);
    expect(f.kappa.value / 0.00016222656).toBeCloseTo(1, 8);
    expect(f.lambda.value / 7482.4516).toBeCloseTo(1, 8);
  });

  it('fits 300 random USL curves with noise no worse than their true parameters do', () => {
    // The least-squares optimum can only have a lower RSS than the parameters that generated the
    // data; a higher one means a start got stuck. Seeded, so the same 300 cases every run.
    const g = xoshiro128(5);
    const u = () => g.nextUniform();
    for (let c = 0; c < 300; c++) {
      const sigma = u() < 0.2 ? 0 : u() ** 2 * 0.3;
      const kappa = u() < 0.2 ? 0 : 10 ** (-6 + 4 * u());
      const lambda = 10 ** (4 * u());
      const noise = [0, 0.01, 0.05, 0.2][c % 4]!;
      const n = [
        [1, 2, 4, 8, 16, 32, 64, 128],
        [1, 2, 3, 4, 5],
        [4, 8, 16, 24, 32, 48],
      ][c % 3]!;
      const data = pts(
        n,
        n.map((v) => Math.max(0, uslThroughput(v, sigma, kappa, lambda) * (1 + noise * (2 * u() - 1)))),
      );
      const f = fitUsl(data);
      const where = `case ${c}: σ=${sigma} κ=${kappa} λ=${lambda} noise=${noise}`;
      expect(f.status, where).toBe('fitted');
      if (f.status !== 'fitted') continue;
      const rss = (s: number, k: number, l: number) => data.reduce((a, p) => a + (p.x - uslThroughput(p.n, s, k, l)) ** 2, 0);
      expect(rss(f.sigma.value, f.kappa.value, f.lambda.value), where).toBeLessThanOrEqual(rss(sigma, kappa, lambda) * (1 + 1e-9) + 1e-12);
    }
  });
});

describe('fitUsl notes', () => {
  it('prints measured concurrencies (mean requests in flight, rarely whole) to 3 significant digits', () => {
    // Exact USL points (σ = κ = 0.02, λ = 1: N* = √((1 − σ)/κ) = 7) measured only up to N = 3.7777…: the peak is extrapolated.
    const n = [1, 1.6180339887, 2.5, 3.7777777777];
    const f = fitted(
      pts(
        n,
        n.map((v) => uslThroughput(v, 0.02, 0.02, 1)),
      ),
    );
    const note = f.notes.find((x) => x.includes('lies beyond'));
    expect(note).toBe('the peak at N* = 7 lies beyond the highest measured concurrency 3.78: extrapolated');
  });
});

describe('fitUsl bad input', () => {
  it('needs 3 distinct concurrency levels', () => {
    const f = fitUsl(pts([1, 2, 2, 1], [10, 19, 18, 11]));
    expect(f.status).toBe('too-few-points');
    if (f.status === 'too-few-points') {
      expect(f.message).toMatch(/at least 3 distinct concurrency levels with throughput > 0; got 2/);
      expect(f.points).toHaveLength(4);
    }
    expect(fitUsl(pts([1, 2, 3, 4], [0, 0, 0, 5])).status).toBe('too-few-points');
  });

  it('reports not-converged with the data when the solver is given no room', () => {
    const f = fitUsl(CISCO, { solver: { maxIterations: 1 } });
    expect(f.status).toBe('not-converged');
    if (f.status === 'not-converged') {
      expect(f.points).toEqual(CISCO);
      expect(f.best).not.toBeNull();
    }
  });

  it('rejects non-positive concurrency and negative or non-finite throughput, all at once', () => {
    try {
      fitUsl([
        { n: 0, x: 1 },
        { n: 2, x: -1 },
        { n: 3, x: Number.NaN },
      ]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      expect((e as ValidationError).issues.map((i) => i.path)).toEqual(['points[0].n', 'points[1].x', 'points[2].x']);
    }
  });
});
