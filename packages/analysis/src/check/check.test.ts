import { describe, expect, it } from 'vitest';
import { checksPassed } from './check-result.ts';
import { regressionChecks, type RegressionPhase } from './regressions.ts';
import { sloAtPeak, type PeakPhase } from './slo-at-peak.ts';

const phase = (runId: string, p: Partial<PeakPhase>): PeakPhase => ({
  runId,
  phase: 'steady',
  offeredRate: 1000,
  achievedRate: 1000,
  p99Ms: 5,
  errorRate: 0,
  requests: 10_000,
  ...p,
});

describe('sloAtPeak', () => {
  it('judges the lowest offered rate at or above the peak, median over runs', () => {
    const phases = [
      phase('a', { phase: 'steps@1000', offeredRate: 1000, p99Ms: 12 }),
      phase('a', { phase: 'steps@1500', offeredRate: 1500, p99Ms: 40 }),
      phase('a', { phase: 'steps@2000', offeredRate: 2000, p99Ms: 90 }),
      phase('b', { phase: 'steps@1500', offeredRate: 1500, p99Ms: 60 }),
      phase('c', { phase: 'steps@1500', offeredRate: 1500, p99Ms: 45, errorRate: 0.002 }),
      phase('c', { phase: 'warm', offeredRate: null, p99Ms: 1 }),
    ];
    const [p99, err] = sloAtPeak(phases, { p99Ms: 50, errorRate: 0.001 }, 1500);
    expect(p99).toMatchObject({ value: 45, verdict: 'passed', limit: '<= 50ms' }); // median of 40, 60, 45
    expect(p99?.detail).toContain('steps@1500 at 1500 req/s offered, median of 3 runs');
    expect(err).toMatchObject({ value: 0, verdict: 'passed' }); // median of 0, 0, 0.002
    expect(sloAtPeak(phases, { p99Ms: 44, errorRate: null }, 1500)[0]?.verdict).toBe('failed');
  });
  it('is no-data, which fails, when nothing was offered at the peak', () => {
    const [p99] = sloAtPeak([phase('a', { offeredRate: 500 })], { p99Ms: 50, errorRate: null }, 1500);
    expect(p99?.verdict).toBe('no-data');
    expect(checksPassed([p99!])).toBe(false);
  });
});

describe('regressionChecks', () => {
  const runs = (side: string, n: number, p99: (i: number) => number): RegressionPhase[] =>
    Array.from({ length: n }, (_, i) => ({ runId: `${side}${i}`, phase: 'steady', achievedRate: 1000, p50Ms: 1, p99Ms: p99(i) }));
  it('fails a significant slowdown beyond the floor with repeated runs (A/B), passes an A/A', () => {
    const base = runs('a', 6, (i) => 10 + i * 0.1);
    const slow = regressionChecks(
      base,
      runs('b', 6, (i) => 12 + i * 0.1),
    );
    const p99 = slow.find((c) => c.name === 'regression steady p99');
    // 6 vs 6 fully separated: exact two-sided p = 2 / C(12,6) = 0.0022
    expect(p99).toMatchObject({ verdict: 'failed' });
    // medians 10.25 → 12.25 ms: +19.5%
    expect(p99?.detail).toMatch(/\+19\.5% \(n=6\+6, p=0\.002\)/);
    const same = regressionChecks(
      base,
      runs('b', 6, (i) => 10.05 + ((i * 7) % 6) * 0.1),
    );
    expect(same.every((c) => c.verdict === 'passed')).toBe(true);
  });
  it('with one run a side: the max-change guard (labelled) fails a large worsening, a small one passes with a note that it cannot judge', () => {
    const big = regressionChecks(
      runs('a', 1, () => 6.7),
      runs('b', 1, () => 4680),
    ).find((c) => c.name === 'regression steady p99');
    expect(big?.verdict).toBe('failed');
    expect(big?.detail).toContain('max-change guard');
    const small = regressionChecks(
      runs('a', 1, () => 10),
      runs('b', 1, () => 11),
    ).find((c) => c.name === 'regression steady p99');
    expect(small?.verdict).toBe('passed');
    expect(small?.detail).toContain('too few runs to judge significance');
    expect(
      regressionChecks(
        runs('a', 1, () => 10),
        runs('b', 1, () => 11),
        { maxChange: null },
      ).find((c) => c.name === 'regression steady p99')?.verdict,
    ).toBe('note');
  });
  it('with enough runs for a test, statistics decide: a large but noisy (not significant) change passes despite the guard', () => {
    const p99 = [10, 30, 12, 28];
    const later = [14, 40, 11, 45]; // medians 20 -> 27 ms (+35%), overlapping: not significant with 4+4
    const c = regressionChecks(
      runs('a', 4, (i) => p99[i]!),
      runs('b', 4, (i) => later[i]!),
    ).find((x) => x.name === 'regression steady p99');
    expect(c?.verdict).toBe('passed');
    expect(c?.detail).toMatch(/\+35\.0% \(n=4\+4, p=0\.[2-9]/);
  });
});
