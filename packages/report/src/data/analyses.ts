/**
 * Fills the report's capacity and trend sections from the analyses: the capacity result of
 * the run, stored or computed for the report (SLO-bounded capacity with its bracket, binding limit, CPU budget, USL
 * fit, headroom) and a forecast of the scenario's history (change points and the band from
 * the last run to the horizon). Sections without data are left as they are.
 */
import { forecastSeries } from '@headroom/analysis';
import type { CapacityRecord } from '@headroom/store';
import type { ReportData } from './report-data.ts';

/** The fields of a capacity result the report draws: a stored row, or one computed for the report and not stored. */
export type ReportCapacity = Pick<
  CapacityRecord,
  | 'rate'
  | 'bracket_lo'
  | 'bracket_hi'
  | 'limited_by'
  | 'cpu_budget'
  | 'cpu_budget_rate'
  | 'usl_status'
  | 'usl_sigma'
  | 'usl_kappa'
  | 'usl_lambda'
  | 'usl_r2'
  | 'usl_peak_concurrency'
  | 'usl_peak_throughput'
  | 'expected_peak'
  | 'headroom'
>;

/** The report with the run's capacity result (the newest first) drawn into its capacity section. */
export function withCapacity(data: ReportData, rows: readonly ReportCapacity[]): ReportData {
  const c = rows[0];
  if (!c || !data.capacity || c.rate === null) return data;
  const num = (v: number | null | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const usl =
    c.usl_status === 'fitted' && c.usl_sigma !== null && c.usl_kappa !== null && c.usl_lambda !== null
      ? {
          sigma: c.usl_sigma,
          kappa: c.usl_kappa,
          lambda: c.usl_lambda,
          r2: num(c.usl_r2),
          peakConcurrency: num(c.usl_peak_concurrency),
          peakThroughput: num(c.usl_peak_throughput),
        }
      : data.capacity.usl;
  return {
    ...data,
    capacity: {
      ...data.capacity,
      capacity: { rate: c.rate, bracket: [c.bracket_lo ?? c.rate, c.bracket_hi ?? c.rate], limitedBy: c.limited_by ?? 'unknown' },
      cpuBudget: num(c.cpu_budget),
      cpuBudgetCapacity: num(c.cpu_budget_rate),
      usl,
      expectedPeak: num(c.expected_peak) ?? data.capacity.expectedPeak,
      headroom: num(c.headroom),
    },
  };
}

/** The report with change points and the forecast band of its history (the trend section's own metric), 90 days ahead. */
export function withForecast(data: ReportData, horizon = '90d'): ReportData {
  const t = data.trend;
  if (!t || t.points.length < 4) return data;
  const f = forecastSeries(
    t.points.map((p) => ({ time: Date.parse(p.time), value: p.value, ...(p.sha ? { sha: p.sha } : {}) })),
    { horizon, ...(t.budget === null ? {} : { budget: t.budget }) },
  );
  const last = t.points[t.points.length - 1]!;
  const band = f.forecast?.intervals.find((i) => i.level === 0.8);
  return {
    ...data,
    trend: {
      ...t,
      changePoints: f.changePoints.map((c) => ({ index: c.index, changePct: c.changePct })),
      forecast:
        f.forecast && band
          ? {
              time: [last.time, new Date(f.forecast.at).toISOString()],
              value: [last.value, f.forecast.value],
              low: [last.value, band.low],
              high: [last.value, band.high],
            }
          : t.forecast,
      summary: f.summary || t.summary,
    },
  };
}
