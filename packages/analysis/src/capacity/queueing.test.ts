import { describe, expect, it } from 'vitest';
import { poissonGaps } from '@headroom/internal';
import { md1, mg1, mm1 } from './queueing.ts';

describe('single-server queues', () => {
  it('M/D/1 mean wait ρ/(2μ(1−ρ)), hand-computed for a 1 ms service time', () => {
    // μ = 1000/s. ρ = 0.5: 0.5/(2·1000·0.5) = 0.5 ms. ρ = 0.8: 0.8/(2·1000·0.2) = 2 ms.
    const half = md1(500, 1000);
    const high = md1(800, 1000);
    expect(half).toMatchObject({ status: 'stable', utilisation: 0.5 });
    if (half.status !== 'stable' || high.status !== 'stable') throw new Error('stable expected');
    expect(half.meanWait).toBeCloseTo(0.0005, 12);
    expect(high.meanWait).toBeCloseTo(0.002, 12);
    expect(high.meanResponse).toBeCloseTo(0.003, 12);
    // Little's law: Lq = λ·Wq = 800·0.002 = 1.6; L = 800·0.003 = 2.4
    expect(high.meanQueueLength).toBeCloseTo(1.6, 12);
    expect(high.meanInSystem).toBeCloseTo(2.4, 12);
  });

  it('M/M/1 waits ρ/(μ(1−ρ)), twice M/D/1', () => {
    // ρ = 0.5: 0.5/(1000·0.5) = 1 ms; ρ = 0.8: 0.8/(1000·0.2) = 4 ms; W = 1/(μ − λ) = 5 ms
    const r = mm1(800, 1000);
    if (r.status !== 'stable') throw new Error('stable expected');
    expect(r.meanWait).toBeCloseTo(0.004, 12);
    expect(r.meanResponse).toBeCloseTo(1 / (1000 - 800), 12);
    const h = mm1(500, 1000);
    expect(h.status === 'stable' && h.meanWait).toBeCloseTo(0.001, 12);
  });

  it('is unstable at ρ ≥ 1', () => {
    expect(md1(1000, 1000)).toEqual({ status: 'unstable', utilisation: 1 });
    expect(mg1(1200, 1000, 0.3)).toEqual({ status: 'unstable', utilisation: 1.2 });
  });

  it('matches a simulated M/D/1 queue fed by the seeded Poisson generator (Lindley recursion)', () => {
    // Wₙ₊₁ = max(0, Wₙ + S − Aₙ₊₁) (Lindley 1952) with S = 1 ms fixed and exponential gaps A.
    for (const [rho, tol] of [
      [0.5, 0.03],
      [0.8, 0.06],
    ] as const) {
      const mu = 1000;
      const gaps = poissonGaps({ rate: rho * mu, seed: 11, count: 400_000 });
      let w = 0;
      let sum = 0;
      for (let i = 1; i < gaps.length; i++) {
        w = Math.max(0, w + 1 / mu - gaps[i]!);
        sum += w;
      }
      const simulated = sum / (gaps.length - 1);
      const theory = md1(rho * mu, mu);
      if (theory.status !== 'stable') throw new Error('stable expected');
      expect(Math.abs(simulated / theory.meanWait - 1), `ρ = ${rho}`).toBeLessThan(tol);
    }
  });
});
