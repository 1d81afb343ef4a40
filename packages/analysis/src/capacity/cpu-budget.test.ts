import { describe, expect, it } from 'vitest';
import { cpuBudgetCapacity } from './cpu-budget.ts';
import type { CapacityStep } from './step-verdict.ts';

// A service that costs 100 µs of CPU per request on a 1-CPU set with 5% idle CPU:
// util = 0.05 + 1e-4·X, so a 60% budget is reached at (0.6 − 0.05)/1e-4 = 5500 req/s.
const s = (achieved: number, cpuUtil: number, extra: Partial<CapacityStep> = {}): CapacityStep => ({
  achieved,
  p99Ms: 1,
  errorRate: 0,
  cpuUtil,
  ...extra,
});

describe('cpuBudgetCapacity', () => {
  it('fits utilisation against throughput and solves for the budget (linear-fit)', () => {
    const steps = [1000, 2000, 3000, 4000].map((x) => s(x, 0.05 + 1e-4 * x));
    steps.push(s(9000, 0.99)); // saturated: no longer says what a request costs, left out
    // Generator-limited: the service's CPU at the rate it served is still measured, so it counts (on the same line).
    steps.push(s(4500, 0.5, { generatorLimited: true }));
    const r = cpuBudgetCapacity(steps, { budget: 0.6 });
    expect(r.status).toBe('estimated');
    if (r.status !== 'estimated') return;
    expect(r.method).toBe('linear-fit');
    expect(r.rate).toBeCloseTo(5500, 6);
    expect(r.fit!.idle).toBeCloseTo(0.05, 12);
    expect(r.fit!.perRequestPerSecond).toBeCloseTo(1e-4, 15);
    expect(r.fit!.r2).toBeCloseTo(1, 12);
    expect(r.steps).toEqual([0, 1, 2, 3, 5]);
    expect(r.extrapolated).toBe(true);
    // Saturated steps are named when too few are left.
    const saturated = [s(1000, 0.2), s(2000, 0.97), s(3000, 0.99)];
    expect(cpuBudgetCapacity(saturated, { budget: 0.6, method: 'linear-fit' })).toEqual({
      status: 'unavailable',
      reason: 'a line needs CPU utilisation at 2 or more rates below 95% CPU; have 1 (2 of 3 steps at or above 95% CPU left out)',
    });
    expect(cpuBudgetCapacity(saturated, { budget: 0.6, cpuCount: 1 })).toEqual({
      status: 'unavailable',
      reason: 'no step measured CPU time per request (2 of 3 steps at or above 95% CPU left out)',
    });
  });

  it('uses the median CPU per request and the CPU set size (median-cpu-per-request)', () => {
    // median(90, 100, 130) = 100 µs, 2 CPUs, 60%: 0.6·2·10⁶/100 = 12000 req/s
    const steps = [90, 100, 130].map((us, i) => ({ achieved: 1000 * (i + 1), p99Ms: 1, errorRate: 0, cpuPerRequestUs: us }));
    const r = cpuBudgetCapacity(steps, { budget: 0.6, cpuCount: 2 });
    expect(r).toMatchObject({ status: 'estimated', method: 'median-cpu-per-request', cpuPerRequestUs: 100 });
    if (r.status === 'estimated') expect(r.rate).toBeCloseTo(12000, 9);
  });

  it('says why when it cannot estimate', () => {
    expect(cpuBudgetCapacity([s(1000, 0.2)], { budget: 0.6 })).toMatchObject({
      status: 'unavailable',
      reason: expect.stringMatching(/cpuCount/),
    });
    expect(cpuBudgetCapacity([s(1000, 0.2)], { budget: 0.6, method: 'linear-fit' })).toMatchObject({
      status: 'unavailable',
      reason: expect.stringMatching(/2 or more rates/),
    });
    expect(cpuBudgetCapacity([s(1000, 0.5), s(2000, 0.4)], { budget: 0.6 })).toMatchObject({
      status: 'unavailable',
      reason: expect.stringMatching(/does not rise/),
    });
    expect(() => cpuBudgetCapacity([], { budget: 60 })).toThrow(RangeError);
  });

  it('warns when idle CPU alone exceeds the budget', () => {
    // util = 0.7 + 0.0005·X: 70% idle CPU against a 60% budget
    const r = cpuBudgetCapacity([s(100, 0.75), s(200, 0.8)], { budget: 0.6 });
    expect(r).toMatchObject({ status: 'estimated', rate: 0 });
    if (r.status === 'estimated') expect(r.warnings[0]).toMatch(/already exceeds the budget/);
  });
});
