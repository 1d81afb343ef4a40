import { describe, expect, it } from 'vitest';
import { fullReportData } from '../../test/fixture.ts';
import type { ReportRows } from '@headroom/store';
import { withCapacity, withForecast, withHeadroomTrend } from './analyses.ts';

type ReportRowsRun = ReportRows['run'];
import type { ReportData } from './report-data.ts';

describe('report sections from the analyses', () => {
  it('draws the stored capacity result: rate, bracket, binding limit, CPU budget, USL fit, headroom', () => {
    const base = fullReportData();
    const data: ReportData = { ...base, capacity: { ...base.capacity!, capacity: null, usl: null, headroom: null } };
    const row = {
      rate: 5031,
      bracket_lo: 4994,
      bracket_hi: 5486,
      limited_by: 'latency-slo',
      cpu_budget: 0.6,
      cpu_budget_rate: 4469,
      usl_status: 'fitted',
      usl_sigma: 0.02,
      usl_kappa: 0.001,
      usl_lambda: 900,
      usl_r2: 0.99,
      usl_peak_concurrency: 31,
      usl_peak_throughput: 12000,
      expected_peak: 1700,
      headroom: 2.63,
    } as unknown as Parameters<typeof withCapacity>[1][number];
    const c = withCapacity(data, [row]).capacity!;
    expect(c.capacity).toEqual({ rate: 5031, bracket: [4994, 5486], limitedBy: 'latency-slo' });
    expect([c.cpuBudget, c.cpuBudgetCapacity, c.headroom, c.expectedPeak]).toEqual([0.6, 4469, 2.63, 1700]);
    expect(c.usl).toMatchObject({ sigma: 0.02, kappa: 0.001, lambda: 900, peakConcurrency: 31 });
    expect(withCapacity(data, [])).toBe(data);
  });

  it('marks the change point of a history with a level shift and draws the forecast band to the horizon', () => {
    const base = fullReportData();
    const day = 86_400_000;
    const t0 = Date.parse('2026-09-01T00:00:00Z');
    // 10 runs at ~10 ms, then 10 at ~20 ms: one change point at index 10.
    const points = Array.from({ length: 20 }, (_, i) => ({
      runId: `r${i}`,
      time: new Date(t0 + i * day).toISOString(),
      sha: null,
      value: (i < 10 ? 10 : 20) + ((i * 7) % 5) * 0.1,
    }));
    const data: ReportData = {
      ...base,
      trend: { metric: 'p99 steady', unit: 'ms', points, changePoints: [], forecast: null, budget: null, summary: null },
    };
    const t = withForecast(data).trend!;
    expect(t.changePoints.map((c) => c.index)).toEqual([10]);
    expect(t.changePoints[0]!.changePct).toBeGreaterThan(90);
    expect(t.forecast?.time[0]).toBe(points[19]!.time);
    expect(Date.parse(t.forecast!.time[1]!) - Date.parse(points[19]!.time)).toBeCloseTo(90 * day, -5);
    expect(t.forecast!.low[1]!).toBeLessThanOrEqual(t.forecast!.value[1]!);
  });

  it('draws no forecast from a history of runs minutes apart (the change point still), and says why', () => {
    const base = fullReportData();
    const t0 = Date.parse('2026-12-02T07:10:00Z');
    // 8 runs 13 s apart, p99 ~2 ms then ~150 ms from the 5th (a real make-history.ts history had this shape).
    const points = Array.from({ length: 8 }, (_, i) => ({
      runId: `r${i}`,
      time: new Date(t0 + i * 13_000).toISOString(),
      sha: `sha${i}`,
      value: (i < 4 ? 2 : 150) + ((i * 7) % 5) * 0.1,
    }));
    const data: ReportData = {
      ...base,
      trend: { metric: 'p99 steady', unit: 'ms', points, changePoints: [], forecast: null, budget: null, summary: null },
    };
    const t = withForecast(data).trend!;
    expect(t.changePoints.map((c) => c.index)).toEqual([4]);
    expect(t.forecast).toBeNull();
    expect(t.summary).toMatch(
      /^Change point: \+\d+% at run 5 \(sha4\)\. No forecast: the 8 runs span 91 s, too short to extrapolate 90d ahead/,
    );
  });

  it('a capacity run draws its headroom run by run against the headroom budget from the stored config', () => {
    const base = fullReportData();
    const history = [0, 1, 2].map((i) => ({
      id: `r${i}`,
      started_at: new Date(Date.parse('2026-12-02T07:00:00Z') + i * 60_000),
      git_sha: `abcdef${i}`,
      git_dirty: false,
      status: 'completed',
      phase: 'capacity@1000',
      p99_ms: 5,
      achieved_rate: 1000,
    }));
    const run = { ...({} as ReportRowsRun), config: JSON.stringify({ budgets: { headroom: { op: '>=', value: 1.3 } } }) };
    const t = withHeadroomTrend(
      base,
      { run, history },
      new Map([
        ['r0', 3.1],
        ['r2', 2.2],
      ]),
    ).trend!;
    expect(t).toMatchObject({ metric: 'capacity headroom', unit: 'x', budget: 1.3 });
    expect(t.points.map((p) => [p.runId, p.value, p.sha])).toEqual([
      ['r0', 3.1, 'abcdef0'],
      ['r2', 2.2, 'abcdef2'],
    ]);
    // one run with a headroom is no trend: the p99 trend stays
    expect(withHeadroomTrend(base, { run, history }, new Map([['r0', 3.1]]))).toBe(base);
  });
});
