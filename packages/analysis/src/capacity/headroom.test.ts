import { describe, expect, it } from 'vitest';
import type { CpuBudgetCapacity } from './cpu-budget.ts';
import { headroom } from './headroom.ts';
import type { SloCapacity } from './slo-capacity.ts';

const slo: SloCapacity = {
  status: 'found',
  rate: 320,
  bracket: [300, 400],
  limitedBy: 'latency-slo',
  failingMetric: 'latency-slo',
  lastPass: 2,
  firstFail: 3,
  fraction: 0.2,
  warnings: [],
};
const cpu = (rate: number): CpuBudgetCapacity => ({
  status: 'estimated',
  rate,
  budget: 0.6,
  method: 'linear-fit',
  steps: [0, 1],
  extrapolated: false,
  fit: null,
  cpuPerRequestUs: null,
  warnings: [],
});

describe('headroom', () => {
  it('divides the lower capacity by the expected peak and carries the bracket through the same min', () => {
    expect(headroom(slo, cpu(5500), 200)).toMatchObject({
      status: 'computed',
      value: 1.6,
      bracket: [1.5, 2],
      limitedBy: 'slo',
      lowerBound: false,
    });
    expect(headroom(slo, cpu(350), 200)).toMatchObject({ value: 1.6, bracket: [1.5, 1.75], limitedBy: 'slo' });
    expect(headroom(slo, cpu(250), 200)).toMatchObject({ value: 1.25, bracket: [1.25, 1.25], limitedBy: 'cpu-budget' });
    expect(headroom(slo, null, 200)).toMatchObject({ value: 1.6, bracket: [1.5, 2] });
  });

  it('marks a lower bound when no step failed, and leaves the top open unless a CPU budget caps it', () => {
    const none: SloCapacity = { ...slo, status: 'none-reached', rate: 500, bracket: [500, null], limitedBy: 'none-reached' };
    expect(headroom(none, null, 250)).toMatchObject({ value: 2, bracket: [2, null], lowerBound: true });
    expect(headroom(none, cpu(1000), 250)).toMatchObject({ value: 2, bracket: [2, 4], lowerBound: true });
  });

  it('is unavailable without an expected peak', () => {
    expect(headroom(slo, null, undefined)).toMatchObject({ status: 'unavailable' });
  });

  it('is unavailable when a CPU budget is set and the steps cannot estimate it: the CPU may be the lower capacity', () => {
    // Before, the SLO capacity alone made the headroom, and a headroom gate passed without the budget it names.
    const reason = 'no step measured CPU time per request';
    expect(headroom(slo, { status: 'unavailable', reason }, 200)).toEqual({
      status: 'unavailable',
      reason: `no CPU-budget capacity (${reason})`,
    });
  });
});
