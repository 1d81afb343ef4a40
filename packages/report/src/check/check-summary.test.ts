import type { CheckResult } from '@headroom/analysis';
import type { CheckOutcome } from '@headroom/runner';
import { describe, expect, it } from 'vitest';
import { checkSummary } from './check-summary.ts';

const check = (c: Partial<CheckResult>): CheckResult => ({
  name: '',
  group: 'budget',
  value: null,
  limit: '',
  unit: '',
  verdict: 'passed',
  detail: '',
  ...c,
});

describe('checkSummary', () => {
  it("reads as the issue's example: p99 at the peak, headroom with the baseline's, the largest change with its p, the verdict", () => {
    const o: CheckOutcome = {
      scenario: 'orders',
      expectedPeak: 1500,
      candidateRuns: ['r1'],
      bench: null,
      candidateBenchRuns: [],
      candidateSha: 'e4f5a6b7c8',
      candidateDirty: false,
      baselineRuns: ['b1'],
      baselineBenchRuns: [],
      baselineSha: 'a1b2c3d4e5',
      baselineHeadroom: 1.3,
      baselineNote: null,
      checks: [
        check({ name: 'slo p99 at peak', group: 'slo-at-peak', value: 18, unit: 'ms', limit: '<= 50ms' }),
        check({ name: 'headroom', value: 1.55, unit: 'x', limit: '>= 1.3' }),
        check({ name: 'regression peak cpu/request', group: 'regression', value: -12, unit: '%', detail: '-12.0% (n=6+6, p=0.002)' }),
      ],
      evidence: null,
      status: 'passed',
      runError: null,
      exitCode: 0,
    };
    expect(checkSummary(o)).toBe(
      'Release candidate e4f5a6b: p99 at the 1,500 req/s peak 18.0ms (SLO 50ms); capacity headroom at the 1,500 req/s peak 1.55x (was 1.30x at a1b2c3d; budget >= 1.3); largest change peak cpu/request −12.0% (p = 0.002) vs a1b2c3d; all 3 checks passed.',
    );
  });
});
