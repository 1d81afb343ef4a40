import { describe, expect, it } from 'vitest';
import { lnGamma, studentTCdf, studentTQuantile } from './student-t.ts';

describe('studentTQuantile', () => {
  it('matches closed forms for 1 and 2 degrees of freedom', () => {
    // df = 1 is the Cauchy distribution: t_p = tan(π(p − ½)); df = 2: t_p = (2p − 1)/√(2p(1 − p))
    // (Johnson, Kotz & Balakrishnan, Continuous Univariate Distributions vol. 2, ch. 28).
    for (const p of [0.6, 0.9, 0.95, 0.975, 0.995]) {
      expect(studentTQuantile(p, 1)).toBeCloseTo(Math.tan(Math.PI * (p - 0.5)), 9);
      expect(studentTQuantile(p, 2)).toBeCloseTo((2 * p - 1) / Math.sqrt(2 * p * (1 - p)), 9);
    }
  });

  it('matches the published t table (Abramowitz & Stegun Table 26.10; NIST/SEMATECH e-Handbook 1.3.6.7.2)', () => {
    const table: [number, number, number][] = [
      [0.975, 3, 3.182],
      [0.975, 5, 2.571],
      [0.975, 8, 2.306],
      [0.975, 10, 2.228],
      [0.975, 29, 2.045],
      [0.95, 5, 2.015],
      [0.95, 10, 1.812],
      [0.995, 4, 4.604],
      [0.995, 30, 2.75],
      [0.975, 100, 1.984],
    ];
    for (const [p, df, t] of table) expect(studentTQuantile(p, df), `t(${p}, ${df})`).toBeCloseTo(t, 3);
    // far tail tends to the normal's 1.959964
    expect(studentTQuantile(0.975, 1e6)).toBeCloseTo(1.959964, 4);
  });

  it('is symmetric and inverts the CDF', () => {
    expect(studentTQuantile(0.025, 7)).toBeCloseTo(-studentTQuantile(0.975, 7), 12);
    for (const df of [1, 3, 4.5, 30]) {
      for (const p of [0.01, 0.3, 0.7, 0.99]) expect(studentTCdf(studentTQuantile(p, df), df)).toBeCloseTo(p, 10);
    }
  });

  it('rejects p outside (0, 1) and df <= 0', () => {
    expect(() => studentTQuantile(1, 3)).toThrow(RangeError);
    expect(() => studentTQuantile(0.5, 0)).toThrow(RangeError);
  });
});

describe('lnGamma', () => {
  it('matches factorials and Γ(½) = √π', () => {
    expect(lnGamma(1)).toBeCloseTo(0, 9);
    expect(lnGamma(6)).toBeCloseTo(Math.log(120), 9);
    expect(lnGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 9);
  });
});
