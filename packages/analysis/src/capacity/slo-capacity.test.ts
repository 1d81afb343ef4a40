import { describe, expect, it } from 'vitest';
import { sloCapacity } from './slo-capacity.ts';
import type { CapacityStep } from './step-verdict.ts';

// Hand-built step phases whose capacity is known by construction (worked out in each comment).
const step = (offered: number, achieved: number, p99Ms: number, errorRate = 0, extra: Partial<CapacityStep> = {}): CapacityStep => ({
  offered,
  achieved,
  p99Ms,
  errorRate,
  ...extra,
});
const slo = { p99Ms: 20, errorRate: 0.001 };

describe('sloCapacity', () => {
  it('interpolates on p99 between the last passing and first failing step', () => {
    // L = 300 req/s at 15 ms, F = 400 req/s at 40 ms, SLO 20 ms: t = (20−15)/(40−15) = 0.2 → 300 + 0.2·100 = 320
    const r = sloCapacity([step(100, 100, 10), step(200, 200, 12), step(300, 300, 15), step(400, 400, 40), step(500, 480, 80)], slo);
    expect(r.status).toBe('found');
    expect(r.rate).toBeCloseTo(320, 9);
    expect(r.bracket).toEqual([300, 400]);
    expect(r.limitedBy).toBe('latency-slo');
    expect(r.failingMetric).toBe('latency-slo');
    expect([r.lastPass, r.firstFail]).toEqual([2, 3]);
    expect(r.fraction).toBeCloseTo(0.2, 12);
  });

  it('interpolates on the error rate when errors fail first', () => {
    // errors 0.05% → 0.45% between 1000 and 2000 req/s, SLO 0.1%: t = 0.0005/0.004 = 0.125 → 1125
    const r = sloCapacity([step(1000, 1000, 5, 0.0005), step(2000, 2000, 6, 0.0045)], slo);
    expect(r.rate).toBeCloseTo(1125, 9);
    expect(r.limitedBy).toBe('error-slo');
  });

  it('takes the metric that crossed first when several fail, and names CPU when the CPU was saturated', () => {
    // achieved/offered 0.995 → 0.8, threshold 0.95: t = 0.045/0.195 = 0.2308; p99 15 → 100: t = 5/85 = 0.0588 → latency first
    const steps = [step(1000, 1000, 10), step(2000, 1990, 15, 0, { cpuUtil: 0.7 }), step(3000, 2400, 100, 0, { cpuUtil: 0.99 })];
    const r = sloCapacity(steps, slo);
    expect(r.failingMetric).toBe('latency-slo');
    expect(r.rate).toBeCloseTo(1990 + (5 / 85) * 410, 9);
    expect(r.limitedBy).toBe('cpu');
    // with no latency SLO the offered rate is what fails
    const t = sloCapacity(steps, { errorRate: 0.001 });
    expect(t.failingMetric).toBe('throughput');
    expect(t.rate).toBeCloseTo(1990 + (0.045 / 0.195) * 410, 6);
  });

  it('reports the generator, never the service, when the generator was limited at the failing step', () => {
    const r = sloCapacity([step(1000, 1000, 5), step(2000, 1500, 5, 0, { generatorLimited: true, cpuUtil: 0.3 })], slo);
    expect(r.limitedBy).toBe('generator');
    expect(r.warnings.join(' ')).toMatch(/capacity is the generator's, not the service's/);
  });

  it('says none-reached with an open bracket when every step passed', () => {
    const r = sloCapacity([step(100, 100, 1), step(200, 199, 2)], slo);
    expect(r).toMatchObject({ status: 'none-reached', rate: 199, bracket: [199, null], limitedBy: 'none-reached' });
    const g = sloCapacity([step(100, 100, 1), step(200, 199, 2, 0, { generatorLimited: true })], slo);
    expect(g.limitedBy).toBe('generator');
  });

  it('says below-first-step with rate 0 when the first step already failed', () => {
    const r = sloCapacity([step(100, 100, 50), step(200, 150, 90)], slo);
    expect(r).toMatchObject({ status: 'below-first-step', rate: 0, bracket: [0, 100], limitedBy: 'latency-slo' });
    expect(r.warnings.join(' ')).toMatch(/start the search at a lower rate/);
  });

  it('does not interpolate downwards when throughput fell at the failing step; the bracket tops at the rate not carried', () => {
    const r = sloCapacity([step(1000, 1000, 10), step(2000, 900, 300)], slo);
    expect(r.rate).toBe(1000);
    expect(r.bracket).toEqual([1000, 2000]);
  });

  it('names the USL knee when the capacity sits at the fitted peak and CPU is not saturated', () => {
    const steps = [
      step(1000, 1000, 10, 0, { cpuUtil: 0.5 }),
      step(2000, 1990, 15, 0, { cpuUtil: 0.6 }),
      step(3000, 2100, 100, 0, { cpuUtil: 0.62 }),
    ];
    expect(sloCapacity(steps, slo, { uslPeakThroughput: 2150 }).limitedBy).toBe('usl-knee');
    expect(sloCapacity(steps, slo, { uslPeakThroughput: 5000 }).limitedBy).toBe('latency-slo');
  });

  it('warns when a step passes after the first failure and keeps the first failure', () => {
    const r = sloCapacity([step(100, 100, 10), step(200, 200, 30), step(300, 300, 15)], slo);
    expect(r.firstFail).toBe(1);
    expect(r.warnings.join(' ')).toMatch(/step 3 passed after step 2 failed/);
  });

  it('judges closed-model steps (no offered rate) on latency and errors only', () => {
    const closed = (achieved: number, p99Ms: number): CapacityStep => ({ achieved, p99Ms, errorRate: 0 });
    const r = sloCapacity([closed(500, 5), closed(900, 10), closed(1000, 30)], slo);
    expect(r.rate).toBeCloseTo(900 + 0.5 * 100, 9);
  });

  it('returns no-steps for an empty phase', () => {
    expect(sloCapacity([], slo)).toMatchObject({ status: 'no-steps', rate: null });
  });
});
