import { describe, expect, it } from 'vitest';
import { eDivisive } from './e-divisive.ts';
import { EnergyScanner, denseRanks } from './energy-scan.ts';
import { seededRandom } from '../stats/seeded-random.ts';

/** Gaussian noise by Box–Muller from the seeded generator. */
function noise(random: () => number, n: number, sd: number): number[] {
  return Array.from({ length: n }, () => sd * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()));
}
const level = (random: () => number, n: number, mean: number, sd: number) => noise(random, n, sd).map((e) => mean + e);

/** q̂ straight from Matteson & James (2014) eq. 3–4 with α = 1, by brute force over all pairs. */
function qhatBrute(z: readonly number[], tau: number): number {
  const x = z.slice(0, tau);
  const y = z.slice(tau);
  const m = x.length;
  const n = y.length;
  let cross = 0;
  for (const a of x) for (const b of y) cross += Math.abs(a - b);
  let wx = 0;
  for (let i = 0; i < m; i++) for (let k = i + 1; k < m; k++) wx += Math.abs((x[i] as number) - (x[k] as number));
  let wy = 0;
  for (let i = 0; i < n; i++) for (let k = i + 1; k < n; k++) wy += Math.abs((y[i] as number) - (y[k] as number));
  const e = (2 * cross) / (m * n) - (m > 1 ? wx / ((m * (m - 1)) / 2) : 0) - (n > 1 ? wy / ((n * (n - 1)) / 2) : 0);
  return ((m * n) / (m + n)) * e;
}

describe('energy scan', () => {
  it('finds the same best split and q̂ as the O(n²) definition, ties included', () => {
    const random = seededRandom(7);
    for (let trial = 0; trial < 20; trial++) {
      const n = 8 + Math.floor(random() * 40);
      // Rounded values make ties common.
      const z = Array.from({ length: n }, (_, i) => Math.round((i > n / 2 ? 3 : 0) + 4 * random()));
      let best = { index: -1, qhat: Number.NEGATIVE_INFINITY };
      for (let tau = 3; tau <= n - 3; tau++) {
        const q = qhatBrute(z, tau);
        if (q > best.qhat) best = { index: tau, qhat: q };
      }
      const values = Float64Array.from(z);
      const ranks = new Int32Array(n);
      const k = denseRanks(values, 0, n, ranks);
      const got = new EnergyScanner(n).best(
        values,
        ranks,
        Int32Array.from({ length: n }, (_, i) => i),
        k,
        3,
      );
      expect(got.index).toBe(best.index);
      expect(got.qhat).toBeCloseTo(best.qhat, 9);
    }
  });
});

describe('E-Divisive change points', () => {
  /** Runs `trials` seeded series; counts how often the true indices were all found within ±1, and how often extra ones came too. */
  function trials(make: (r: () => number) => number[], truth: number[], count = 50) {
    let hit = 0;
    let extra = 0;
    for (let seed = 1; seed <= count; seed++) {
      const cps = eDivisive(make(seededRandom(seed)), { seed }).map((c) => c.index);
      if (truth.every((t) => cps.some((c) => Math.abs(c - t) <= 1))) hit++;
      if (cps.length > truth.length) extra++;
    }
    return { hit, extra };
  }

  it('finds one step (5 noise SDs) where it is', () => {
    const r = seededRandom(1);
    const series = [...level(r, 40, 100, 2), ...level(r, 40, 110, 2)];
    const cps = eDivisive(series);
    expect(cps.map((c) => c.index)).toEqual([40]);
    expect(cps[0]?.p).toBeCloseTo(1 / 200, 12); // no shuffle came close: the smallest p 199 permutations can give
    const t = trials((rr) => [...level(rr, 40, 100, 2), ...level(rr, 40, 110, 2)], [40]);
    expect(t.hit).toBeGreaterThanOrEqual(48);
    expect(t.extra).toBeLessThanOrEqual(6);
  });

  it('finds two steps (4 and 6 noise SDs)', () => {
    const t = trials((r) => [...level(r, 30, 100, 2), ...level(r, 25, 92, 2), ...level(r, 30, 104, 2)], [30, 55]);
    expect(t.hit).toBeGreaterThanOrEqual(47);
    // Each further test runs at 5%, so a spurious third point turns up now and then.
    expect(t.extra).toBeLessThanOrEqual(8);
  });

  it('finds none in stationary noise, in most of 100 seeded series (false positives near the level)', () => {
    let withChange = 0;
    for (let seed = 100; seed < 200; seed++) {
      const r = seededRandom(seed);
      if (eDivisive(level(r, 60, 100, 3), { seed }).length > 0) withChange++;
    }
    // The first test runs at 5%; later ones only after a (false) first acceptance.
    expect(withChange).toBeLessThanOrEqual(12);
  });

  it('does not call a single outlier a change point, wherever it sits', () => {
    for (const at of [0, 1, 20, 38, 39]) {
      const r = seededRandom(300 + at);
      const series = level(r, 40, 100, 2);
      series[at] = 160; // a run that went badly wrong (30 standard deviations)
      expect(
        eDivisive(series).map((c) => c.index),
        `outlier at ${at}`,
      ).toEqual([]);
    }
  });

  it('still finds a step next to an outlier', () => {
    const t = trials(
      (r) => {
        const series = [...level(r, 30, 100, 2), ...level(r, 30, 112, 2)];
        series[10] = 40;
        return series;
      },
      [30],
      30,
    );
    expect(t.hit).toBe(30);
    expect(t.extra).toBeLessThanOrEqual(3);
  });

  it('is deterministic for a seed and checks its arguments', () => {
    const r = seededRandom(9);
    const series = [...level(r, 20, 10, 1), ...level(r, 20, 11, 1)];
    expect(eDivisive(series, { seed: 4 })).toEqual(eDivisive(series, { seed: 4 }));
    expect(() => eDivisive(series, { pValue: 0.001, permutations: 99 })).toThrow(RangeError);
    expect(eDivisive([1, 2, 3])).toEqual([]);
  });
});
