import { describe, expect, it } from 'vitest';
import type { CapacityJson } from './capacity-json.ts';
import { formatCapacityText } from './capacity-text.ts';

const base: CapacityJson = {
  runId: 'r1',
  source: 'orders',
  phase: 'capacity',
  steps: [
    {
      phase: 'capacity@500',
      offered: 500,
      achieved: 499,
      concurrency: 0.6,
      p50Ms: 0.4,
      p99Ms: 3,
      serviceP50Ms: 0.4,
      serviceP99Ms: 2.9,
      errorRate: 0,
      cpuUtil: 0.21,
      cpuPerRequestUs: 410,
      generatorLimited: false,
      queuedSends: 0,
      pass: true,
      failures: [],
    },
  ],
  capacity: { rate: 2345, bracket: [2000, 2500], limitedBy: 'cpu', failingMetric: 'latency-slo', interpolation: 0.69 },
  cpuBudgetCapacity: {
    rate: 1400,
    budget: 0.6,
    method: 'linear-fit',
    extrapolated: false,
    cpuPerRequestUs: null,
    fit: { idle: 0.02, perRequestPerSecond: 0.0004, r2: 0.998 },
  },
  usl: {
    sigma: 0.05,
    kappa: 0,
    lambda: 900,
    sigmaSE: 0.01,
    kappaSE: null,
    lambdaSE: 10,
    sigmaCI: [0.03, 0.07],
    kappaCI: null,
    lambdaCI: [880, 920],
    r2: 0.99,
    residualStandardError: 12,
    peakConcurrency: null,
    peakThroughput: null,
    ceiling: 18000,
  },
  headroom: { value: 0.9333, bracket: [0.9333, 0.9333], limitedBy: 'cpu-budget', expectedPeak: 1500, lowerBound: false },
  warnings: ['w'],
};

describe('formatCapacityText', () => {
  it('names the limit, the interpolation, the budget method, κ = 0 without a peak, and headroom with its bracket', () => {
    const t = formatCapacityText(base);
    expect(t).toMatch(/SLO-bounded capacity\s+2,345\/s\s+\[2,000\/s, 2,500\/s\]\s+limited by cpu/);
    expect(t).toContain('latency-slo crossed its limit 69% of the way');
    expect(t).toContain('1,400/s at 60% CPU  (line through CPU vs throughput, R² 0.998, 2.0% CPU at zero load)');
    expect(t).toContain('κ = 0: no retrograde region, no peak; ceiling λ/σ 18,000/s');
    expect(t).toMatch(/headroom\s+0\.933× the expected peak 1,500\/s\s+\[0\.933, 0\.933\]\s+\(CPU budget is the lower\)/);
    expect(t).toContain('capacity@500    500/s');
  });

  it('says when nothing failed and when there is no USL fit or no expected peak', () => {
    const t = formatCapacityText({
      ...base,
      capacity: { ...base.capacity, limitedBy: 'none-reached', interpolation: null, failingMetric: null },
      usl: null,
      headroom: null,
      cpuBudgetCapacity: null,
    });
    expect(t).toContain('every step passed: the capacity is at least the last step');
    expect(t).toContain('none (see warnings)');
    expect(t).toContain('none (needs expectedPeak)');
  });
});
