import { describe, expect, it } from 'vitest';
import { breakpointDecision } from './breakpoint-stop.ts';
import type { CapacityStep } from './step-verdict.ts';

const ok: CapacityStep = { offered: 100, achieved: 100, p99Ms: 5, errorRate: 0 };
const slow: CapacityStep = { offered: 200, achieved: 200, p99Ms: 80, errorRate: 0 };
const behind: CapacityStep = { offered: 300, achieved: 250, p99Ms: 5, errorRate: 0 };
const slo = { p99Ms: 50, errorRate: 0.001 };

describe('breakpointDecision', () => {
  it("stops after 2 consecutive failures with stopWhen: 'slo'", () => {
    expect(breakpointDecision([ok, slow], slo, 'slo')).toEqual({ stop: false, consecutiveFailures: 1 });
    const d = breakpointDecision([ok, slow, behind], slo, 'slo');
    expect(d).toMatchObject({ stop: true, consecutiveFailures: 2 });
    if (d.stop) {
      expect(d.failures).toEqual(['throughput', 'latency-slo']);
      expect(d.reason).toBe('throughput, latency-slo failed in 2 consecutive steps');
    }
  });

  it('resets the count when a step passes in between', () => {
    expect(breakpointDecision([slow, ok, slow], slo, 'slo')).toEqual({ stop: false, consecutiveFailures: 1 });
  });

  it('honours after: N', () => {
    expect(breakpointDecision([slow], slo, { slo: true, after: 1 }).stop).toBe(true);
    expect(breakpointDecision([slow, slow], slo, { slo: true, after: 3 }).stop).toBe(false);
    expect(() => breakpointDecision([slow], slo, { slo: true, after: 0 })).toThrow(RangeError);
  });

  it('with slo: false counts only the offered rate', () => {
    expect(breakpointDecision([slow, slow], slo, { slo: false }).stop).toBe(false);
    expect(breakpointDecision([behind, behind], slo, { slo: false }).stop).toBe(true);
  });

  it('never stops without stopWhen', () => {
    expect(breakpointDecision([slow, slow, slow], slo, undefined).stop).toBe(false);
  });
});
