import { describe, expect, it } from 'vitest';
import { lnGamma, studentTCdf, studentTCritical, studentTQuantile } from './student-t.ts';

describe('Student t quantile', () => {
  it('matches the closed forms for 1 and 2 degrees of freedom', () => {
    // df = 1 is the Cauchy distribution: t_p = tan(π(p − ½)). df = 2: t_p = (2p − 1)/√(2p(1 − p))
    // (Hill, 1970, Algorithm 396, Comm. ACM 13(10); both follow from integrating the density).
    for (const p of [0.001, 0.025, 0.1, 0.3, 0.6, 0.8, 0.9, 0.95, 0.975, 0.995, 0.9999]) {
      const cauchy = Math.tan(Math.PI * (p - 0.5));
      const two = (2 * p - 1) / Math.sqrt(2 * p * (1 - p));
      expect(Math.abs(studentTQuantile(p, 1) / cauchy - 1)).toBeLessThan(1e-11);
      expect(Math.abs(studentTQuantile(p, 2) / two - 1)).toBeLessThan(1e-11);
    }
  });

  it('matches the published table of critical values', () => {
    // NIST/SEMATECH e-Handbook of Statistical Methods, §1.3.6.7.2 "Critical Values of the
    // Student's t Distribution" (three decimals), upper-tail probabilities 0.10, 0.05, 0.025, 0.005.
    const table: Array<[number, number, number]> = [
      [5, 0.9, 1.476],
      [5, 0.975, 2.571],
      [10, 0.95, 1.812],
      [10, 0.995, 3.169],
      [30, 0.9, 1.31],
      [34, 0.975, 2.032],
      [60, 0.975, 2.0],
      [100, 0.95, 1.66],
      [100, 0.995, 2.626],
    ];
    for (const [df, p, t] of table) expect(studentTQuantile(p, df)).toBeCloseTo(t, 3);
  });

  it('tends to the normal quantile for large df and inverts its own CDF', () => {
    expect(studentTQuantile(0.975, 1e7)).toBeCloseTo(1.959963984540054, 5); // Φ⁻¹(0.975)
    for (const df of [1, 3, 7.5, 34, 200]) {
      for (const p of [0.01, 0.2, 0.5, 0.77, 0.999]) expect(studentTCdf(studentTQuantile(p, df), df)).toBeCloseTo(p, 12);
    }
    expect(studentTCritical(0.8, 34)).toBeCloseTo(studentTQuantile(0.9, 34), 14);
  });

  it('lnGamma matches factorials and Γ(½) = √π', () => {
    expect(lnGamma(10)).toBeCloseTo(Math.log(362880), 12);
    expect(lnGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
  });

  it('rejects impossible arguments', () => {
    expect(() => studentTQuantile(1, 5)).toThrow(RangeError);
    expect(() => studentTQuantile(0.5, 0)).toThrow(RangeError);
  });
});
