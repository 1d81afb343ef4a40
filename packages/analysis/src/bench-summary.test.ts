import { describe, expect, it } from 'vitest';
import { summarizeBenchTasks } from './bench-summary.ts';

describe('summarizeBenchTasks', () => {
  it('takes the median of repetition medians, its CI from order statistics, CV and ops/s; failed repetitions counted apart', () => {
    const reps = [10, 11, 12, 13, 14, 15, 16, 17, 18, 19].map((m) => ({ task: 'a', status: 'ok' as const, medianNs: m * 100 }));
    reps.push({ task: 'a', status: 'failed' as const } as never);
    const [a, b] = summarizeBenchTasks(['a', 'b'], reps);
    expect(a).toMatchObject({ task: 'a', runs: 10, failed: 1, medianNs: 1450 });
    // n = 10: the 95% order-statistic interval is (x(2), x(9)) (binomial, P = 0.9785), see median-ci.test.ts.
    expect([a?.ciLowNs, a?.ciHighNs]).toEqual([1100, 1800]);
    // sample sd of 1000..1900 step 100 = 302.77; mean 1450 → 20.88 %
    expect(a?.cvPct).toBeCloseTo(20.88, 2);
    expect(a?.opsPerSec).toBeCloseTo(1e9 / 1450, 6);
    expect(b).toEqual({ task: 'b', runs: 0, failed: 0, medianNs: null, ciLowNs: null, ciHighNs: null, cvPct: null, opsPerSec: null });
  });
});
