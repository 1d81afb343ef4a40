/**
 * The measures `headroom check` judges the scenario's budgets by, per candidate run: capacity
 * headroom (the capacity analysis of the run), the service's CPU and CPU per request at the
 * expected peak, its highest RSS; and the forecast of headroom from the scenario's history.
 */
import { forecastSeries, type BudgetMeasures } from '@headroom/analysis';
import type { Scenario } from '@headroom/core';
import { readMetricHistory, readSeries, type StoredPhase, type Store } from '@headroom/store';
import { capacityOfRun } from './capacity-of-run.ts';

/** A run's capacity headroom over the expected peak (its capacity analysis, not stored); null when it has none. */
export async function headroomOf(store: Store, id: string): Promise<number | null> {
  try {
    const c = await capacityOfRun(store, id, { write: false });
    return c.analysis.headroom.status === 'computed' ? c.analysis.headroom.value : null;
  } catch {
    return null; // no measured phases to analyse: the budget reports no-data
  }
}

/** Per candidate run: capacity headroom, the service's CPU and CPU per request at the peak, its highest RSS; and the forecast headroom. */
export async function budgetMeasures(
  store: Store,
  scenario: Scenario,
  runs: readonly string[],
  phases: readonly StoredPhase[],
): Promise<BudgetMeasures> {
  const b = scenario.budgets;
  const m: BudgetMeasures = { headroom: [], cpuAtPeak: [], cpuPerRequestUs: [], rssMb: [], forecastHeadroom: null };
  for (const id of runs) {
    if (b.headroom) m.headroom.push(await headroomOf(store, id));
    const peak =
      scenario.expectedPeak === null
        ? undefined
        : atPeak(
            phases.filter((p) => p.run_id === id),
            scenario.expectedPeak,
          );
    const extra = peak as (StoredPhase & { cpu_util?: number | null; cpu_per_request_us?: number | null }) | undefined;
    m.cpuAtPeak.push(extra?.cpu_util ?? null);
    m.cpuPerRequestUs.push(extra?.cpu_per_request_us ?? null);
    if (b.rssMb !== null) {
      const series = await readSeries(store, id);
      const rss = series
        .map((s) => (s as { proc_rss_mb?: number | null }).proc_rss_mb ?? s.sut_rss_mb)
        .filter((v): v is number => typeof v === 'number');
      m.rssMb.push(rss.length ? Math.max(...rss) : null);
    }
  }
  if (b.forecastHeadroom) {
    const history = await readMetricHistory(store, scenario.name, { kind: 'headroom' });
    const f = forecastSeries(
      history.points.map((p) => ({ time: p.time, value: p.value, ...(p.gitSha ? { sha: p.gitSha } : {}) })),
      {
        horizon: `${b.forecastHeadroom.horizonDays}d`,
      },
    );
    if (f.forecast) {
      const i80 = f.forecast.intervals.find((i) => i.level === 0.8);
      m.forecastHeadroom = { value: f.forecast.value, low: i80?.low ?? f.forecast.value, points: f.trend?.n ?? history.points.length };
    } else {
      m.forecastNote = `no forecast of headroom: ${[...history.notes, ...f.notes].join('; ') || 'too few runs with capacity'}`;
    }
  }
  return m;
}

/** The open-model phase or step at or above the peak with the lowest offered rate. */
function atPeak(phases: readonly StoredPhase[], peak: number): StoredPhase | undefined {
  return phases
    .filter((p) => p.offered_rate !== null && p.offered_rate >= peak * 0.999 && (p.requests ?? 0) > 0)
    .sort((a, b) => (a.offered_rate as number) - (b.offered_rate as number))[0];
}
