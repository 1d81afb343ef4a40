import { describe, expect, it } from 'vitest';
import { analyzeCapacity, uslPointsFromSteps } from './capacity-analysis.ts';
import type { CapacityStep } from './step-verdict.ts';
import { uslThroughput } from './usl-fit.ts';

// A closed-model phase built from a known USL curve (σ = 0.05, κ = 0.001, λ = 1000) with a
// 1-CPU service costing 50 µs of CPU per request (util = X·0.00005) and p99 = 2·R = 2·N/X
// (Little's law): every figure is known. X(16) = 16000/1.99 = 8040 (p99 3.98 ms),
// X(24) = 24000/2.702 = 8882 (p99 5.40 ms), so a 5 ms SLO breaks between N = 16 and N = 24.
const conns = [1, 2, 4, 8, 16, 24, 32];
const steps: CapacityStep[] = conns.map((n) => {
  const x = uslThroughput(n, 0.05, 0.001, 1000);
  return { achieved: x, concurrency: n, p99Ms: 2 * (n / x) * 1000, errorRate: 0, cpuUtil: x * 0.00005 };
});

describe('analyzeCapacity', () => {
  it('wires the USL fit, SLO capacity, CPU budget and headroom together', () => {
    const a = analyzeCapacity(steps, { slo: { p99Ms: 5 }, expectedPeak: 4000, cpuBudget: 0.6 });
    // USL recovered exactly from its own curve
    expect(a.usl!.sigma).toBeCloseTo(0.05, 6);
    expect(a.usl!.kappa).toBeCloseTo(0.001, 8);
    expect(a.usl!.peakConcurrency!).toBeCloseTo(Math.sqrt(0.95 / 0.001), 4);
    const [l, f] = [steps[conns.indexOf(16)]!, steps[conns.indexOf(24)]!];
    expect(a.sloCapacity).toMatchObject({
      status: 'found',
      lastPass: conns.indexOf(16),
      firstFail: conns.indexOf(24),
      failingMetric: 'latency-slo',
    });
    const t = (5 - l.p99Ms) / (f.p99Ms - l.p99Ms);
    expect(a.capacity.rate!).toBeCloseTo(l.achieved + t * (f.achieved - l.achieved), 9);
    expect(a.capacity.bracket).toEqual([l.achieved, f.achieved]);
    // the capacity (≈ 8.65k) is within 10% of the USL peak X(N* = 30.8) ≈ 9.04k and the CPU is at 44%: the USL knee binds
    expect(a.capacity.limitedBy).toBe('usl-knee');
    // CPU budget: util = 0.00005·X exactly, so 60% at 12000 req/s, above the SLO capacity
    expect(a.cpuBudgetCapacity).toMatchObject({ status: 'estimated', method: 'linear-fit', extrapolated: true });
    if (a.cpuBudgetCapacity?.status === 'estimated') expect(a.cpuBudgetCapacity.rate).toBeCloseTo(12000, 6);
    expect(a.headroom).toMatchObject({ status: 'computed', limitedBy: 'slo', bracket: [l.achieved / 4000, f.achieved / 4000] });
    if (a.headroom.status === 'computed') expect(a.headroom.value).toBeCloseTo(a.capacity.rate! / 4000, 12);
    expect(a.warnings.join('\n')).toMatch(/extrapolated beyond the highest measured step/);
  });

  it('with fewer than 3 concurrency levels keeps the SLO capacity and says the USL needs more points', () => {
    const a = analyzeCapacity([steps[0]!, steps[1]!, { achieved: 2000, p99Ms: 500, errorRate: 0 }], { slo: { p99Ms: 5 } });
    expect(a.usl).toBeNull();
    expect(a.capacity.rate).not.toBeNull();
    expect(a.warnings.join('\n')).toMatch(/USL not fitted: .*needs at least 3 distinct concurrency levels/);
  });

  it('leaves generator-limited steps out of the USL points', () => {
    expect(
      uslPointsFromSteps([{ ...steps[0]! }, { ...steps[1]!, generatorLimited: true }, { achieved: 5, p99Ms: 1, errorRate: 0 }]),
    ).toEqual([{ n: 1, x: steps[0]!.achieved }]);
  });
});
