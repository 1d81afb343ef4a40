import { describe, expect, it } from 'vitest';
import { createPoissonArrivals, poissonGaps, poissonSchedule } from './poisson-arrivals.ts';

describe('Poisson arrivals', () => {
  const n = 200_000;
  const rate = 1000;
  const gaps = poissonGaps({ rate, seed: 2024, count: n });
  const mean = gaps.reduce((s, g) => s + g, 0) / n;
  const sd = Math.sqrt(gaps.reduce((s, g) => s + (g - mean) ** 2, 0) / (n - 1));

  it('has mean gap 1/rate (exponential: SE of the mean = 1/(rate·√n), allow 4 SE)', () => {
    expect(Math.abs(mean * rate - 1)).toBeLessThan(4 / Math.sqrt(n));
  });

  it("has the exponential distribution's coefficient of variation 1", () => {
    // the sample CV of n exponentials has SE ≈ 1/√n; allow 4 SE
    expect(Math.abs(sd / mean - 1)).toBeLessThan(4 / Math.sqrt(n));
  });

  it('passes a Kolmogorov–Smirnov test against Exp(rate) at the 1% level (critical value 1.628/√n)', () => {
    const sorted = Float64Array.from(gaps).sort();
    let d = 0;
    sorted.forEach((g, i) => {
      const cdf = 1 - Math.exp(-rate * g);
      d = Math.max(d, (i + 1) / n - cdf, cdf - i / n);
    });
    expect(d).toBeLessThan(1.628 / Math.sqrt(n));
  });

  it('is reproducible by seed, and differs between seeds', () => {
    expect(poissonGaps({ rate, seed: 2024, count: 10 })).toEqual(gaps.slice(0, 10));
    expect(poissonGaps({ rate, seed: 2025, count: 10 })).not.toEqual(gaps.slice(0, 10));
    const a = createPoissonArrivals({ rate: 5 });
    const b = createPoissonArrivals({ rate: 5, seed: 1 });
    expect(a.nextGap()).toBe(b.nextGap());
  });

  it('schedules about rate·duration sends, increasing and inside the duration', () => {
    const t = poissonSchedule({ rate: 2000, seed: 9, durationS: 10 });
    // Poisson count: mean 20000, SD √20000 ≈ 141; allow 4 SD
    expect(Math.abs(t.length - 20000)).toBeLessThan(4 * Math.sqrt(20000));
    expect(t.every((v, i) => v < 10 && (i === 0 || v > t[i - 1]!))).toBe(true);
  });

  it('rejects a non-positive rate', () => {
    expect(() => createPoissonArrivals({ rate: 0 })).toThrow(RangeError);
  });
});
