/**
 * Fills the report's capacity and trend sections from the analyses: the capacity result of
 * the run, stored or computed for the report (SLO-bounded capacity with its bracket, binding limit, CPU budget, USL
 * fit, headroom) and a forecast of the scenario's history (change points and the band from
 * the last run to the horizon). Sections without data are left as they are.
 */
import { forecastSeries, formatSpan, MIN_SPAN_OF_HORIZON } from '@headroom/analysis';
import type { CapacityRecord, ReportRows } from '@headroom/store';
import type { ReportData } from './report-data.ts';
import { trendOf } from './sections-from-rows.ts';

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

/**
 * The trend of a capacity scenario: its capacity headroom over the expected peak run by run
 * (`headroom` holds each run's, from its capacity analysis), against the scenario's headroom
 * budget. Left as it is (the p99 trend) when fewer than two runs have a headroom.
 */
export function withHeadroomTrend(
  data: ReportData,
  rows: Pick<ReportRows, 'run' | 'history'>,
  headroom: ReadonlyMap<string, number>,
): ReportData {
  const t = trendOf(rows.history, { metric: 'capacity headroom', unit: 'x', value: (h) => headroom.get(h.id) ?? null });
  return t ? { ...data, trend: { ...t, budget: headroomBudget(rows.run.config) } } : data;
}

/** The resolved scenario's `budgets.headroom.value`, from the run's stored config (JSON). */
function headroomBudget(config: unknown): number | null {
  try {
    const c = (typeof config === 'string' ? JSON.parse(config) : config) as { budgets?: { headroom?: { value?: unknown } | null } } | null;
    const v = c?.budgets?.headroom?.value;
    return typeof v === 'number' ? v : null;
  } catch {
    return null; // a config that is not JSON has no budget to draw
  }
}

/** The report with change points and the forecast band of its history (the trend section's own metric), 90 days ahead. */
export function withForecast(data: ReportData, horizon = '90d'): ReportData {
  const t = data.trend;
  if (!t || t.points.length < 4) return data;
  const f = forecastSeries(
    t.points.map((p) => ({ time: Date.parse(p.time), value: p.value, ...(p.sha ? { sha: p.sha } : {}) })),
    // A latency budget is broken from above, a capacity or headroom budget from below.
    { horizon, ...(t.budget === null ? {} : { budget: t.budget, direction: t.unit === 'ms' ? 'above' : 'below' }) },
  );
  const last = t.points[t.points.length - 1]!;
  const spanMs = Date.parse(last.time) - Date.parse(t.points[0]!.time);
  const horizonMs = f.forecast ? f.forecast.at - Date.parse(last.time) : 0;
  // Change points are drawn whatever the span; the forecast only from a history long enough for it.
  const tooShort = f.forecast !== null && spanMs < horizonMs * MIN_SPAN_OF_HORIZON;
  const band = f.forecast?.intervals.find((i) => i.level === 0.8);
  const changes = f.changePoints.map(
    (c) => `${c.changePct >= 0 ? '+' : '−'}${Math.abs(c.changePct).toFixed(0)}% at run ${c.index + 1}${c.sha ? ` (${c.sha})` : ''}`,
  );
  return {
    ...data,
    trend: {
      ...t,
      changePoints: f.changePoints.map((c) => ({ index: c.index, changePct: c.changePct })),
      forecast:
        f.forecast && band && !tooShort
          ? {
              time: [last.time, new Date(f.forecast.at).toISOString()],
              value: [last.value, f.forecast.value],
              low: [last.value, band.low],
              high: [last.value, band.high],
            }
          : t.forecast,
      summary: tooShort
        ? `${changes.length ? `Change point${changes.length === 1 ? '' : 's'}: ${changes.join(', ')}. ` : ''}No forecast: the ${t.points.length} runs span ${formatSpan(spanMs)}, too short to extrapolate ${horizon} ahead (the report forecasts from a history spanning at least a tenth of the horizon; \`headroom forecast --per release\` trends per release).`
        : f.summary || t.summary,
    },
  };
}
