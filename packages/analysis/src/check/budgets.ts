/**
 * The scenario's budgets as checks: capacity headroom over the expected peak, the service's
 * CPU and CPU per request at the peak, its resident memory, and the forecast headroom at a
 * horizon. Each is measured per candidate run and judged on the median over runs (runs are
 * the unit); a budget with nothing to measure it is no-data, which fails.
 */
import { median } from '../median-ci.ts';
import type { CheckResult } from './check-result.ts';

/** The budgets as the validated scenario holds them. */
export interface BudgetLimits {
  headroom: { op: '>=' | '>'; value: number } | null;
  /** Share of the service's CPU set, 0..1. */
  cpu: number | null;
  cpuPerRequestUs: number | null;
  rssMb: number | null;
  forecastHeadroom: { horizonDays: number; min: number } | null;
}

/** What each candidate run measured for the budgets (null where it measured nothing). */
export interface BudgetMeasures {
  /** Capacity headroom over the expected peak, per run. */
  headroom: (number | null)[];
  /** Service CPU at the expected peak, share of its CPU set, per run. */
  cpuAtPeak: (number | null)[];
  /** Service CPU µs per request at the expected peak, per run. */
  cpuPerRequestUs: (number | null)[];
  /** Highest service RSS during the run, MB, per run. */
  rssMb: (number | null)[];
  /** Forecast headroom at the horizon (value and the 80% interval's low end), from the scenario's history. */
  forecastHeadroom: { value: number; low: number; points: number } | null;
  /** Why there is no forecast, when there is none. */
  forecastNote?: string;
}

function med(values: readonly (number | null)[]): number | null {
  const v = values.filter((x): x is number => x !== null && Number.isFinite(x));
  return v.length ? median(v) : null;
}

function check(
  name: string,
  value: number | null,
  limit: string,
  unit: string,
  ok: (v: number) => boolean,
  detail: string,
  none: string,
): CheckResult {
  return {
    name,
    group: 'budget',
    value,
    limit,
    unit,
    verdict: value === null ? 'no-data' : ok(value) ? 'passed' : 'failed',
    detail: value === null ? none : detail,
  };
}

/** One check per budget the scenario sets. */
export function budgetChecks(b: BudgetLimits, m: BudgetMeasures): CheckResult[] {
  const runs = (n: number) => (n > 1 ? `median of ${n} runs` : 'one run');
  const out: CheckResult[] = [];
  if (b.headroom) {
    const { op, value } = b.headroom;
    out.push(
      check(
        'headroom',
        med(m.headroom),
        `${op} ${value}`,
        'x',
        (v) => (op === '>=' ? v >= value : v > value),
        `capacity / expectedPeak, ${runs(m.headroom.length)}`,
        'no capacity measured: the scenario needs a step phase through its capacity (headroom capacity reads it) and expectedPeak',
      ),
    );
  }
  if (b.cpu !== null) {
    const limit = b.cpu;
    out.push(
      check(
        'cpu at peak',
        med(m.cpuAtPeak),
        `< ${(limit * 100).toFixed(0)}%`,
        'ratio',
        (v) => v < limit,
        `service CPU at the expected peak (share of its CPU set), ${runs(m.cpuAtPeak.length)}`,
        'no service CPU at the expected peak: needs a service block and a phase offering expectedPeak',
      ),
    );
  }
  if (b.cpuPerRequestUs !== null) {
    const limit = b.cpuPerRequestUs;
    out.push(
      check(
        'cpu per request at peak',
        med(m.cpuPerRequestUs),
        `< ${limit}us`,
        'us',
        (v) => v < limit,
        `service CPU time per request at the expected peak, ${runs(m.cpuPerRequestUs.length)}`,
        'no service CPU per request at the expected peak',
      ),
    );
  }
  if (b.rssMb !== null) {
    const limit = b.rssMb;
    out.push(
      check(
        'rss',
        med(m.rssMb),
        `< ${limit}MB`,
        'MB',
        (v) => v < limit,
        `highest service RSS during the run, ${runs(m.rssMb.length)}`,
        'no service RSS sampled (needs a service block)',
      ),
    );
  }
  if (b.forecastHeadroom) {
    const f = m.forecastHeadroom;
    const { min, horizonDays } = b.forecastHeadroom;
    out.push(
      check(
        `forecast headroom in ${horizonDays}d`,
        f ? f.value : null,
        `>= ${min}`,
        'x',
        (v) => v >= min,
        f ? `trend of ${f.points} runs since the last change point; 80% interval low end ${f.low.toFixed(2)}x` : '',
        m.forecastNote ?? 'no forecast: needs at least 4 runs with capacity in the scenario history',
      ),
    );
  }
  return out;
}
