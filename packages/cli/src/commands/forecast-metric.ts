/**
 * `--metric` of `headroom forecast`: which value of each run the history follows, its name in
 * the summary, which side of a budget is bad, and the budget the scenario itself sets for it
 * (read from the resolved config stored with the scenario's latest run).
 */
import { UsageError } from '@headroom/core';
import type { BudgetDirection } from '@headroom/analysis';
import type { HistoryMetric } from '@headroom/store';

/** A parsed `--metric`. */
export interface ForecastMetric {
  metric: HistoryMetric;
  /** The start of the summary sentence: "Capacity headroom", "p99 of steady". */
  label: string;
  /** Headroom, capacity and rate are bad when they fall; latency, CPU, memory and bench times when they rise. */
  direction: BudgetDirection;
}

export const METRIC_FORMS =
  'headroom, capacity, p99:<phase>, p50:<phase>, rate:<phase>, cpu-per-request[:<phase>], rss[:<phase>] or bench:<task>';

/** Parses `--metric`; a UsageError (E_OPTION_VALUE) names the accepted forms. */
export function parseForecastMetric(text: string): ForecastMetric {
  const i = text.indexOf(':');
  const name = i < 0 ? text : text.slice(0, i);
  const arg = i < 0 ? undefined : text.slice(i + 1);
  const bad = (why: string) =>
    new UsageError(`headroom forecast: --metric ${why}; use ${METRIC_FORMS}; got ${JSON.stringify(text)}`, 'E_OPTION_VALUE');
  if (arg === '') throw bad(`"${name}:" needs a name after the colon`);
  switch (name) {
    case 'headroom':
    case 'capacity':
      if (arg !== undefined) throw bad(`${name} takes no phase (it is per run)`);
      return name === 'headroom'
        ? { metric: { kind: 'headroom' }, label: 'Capacity headroom', direction: 'below' }
        : { metric: { kind: 'capacity' }, label: 'Capacity', direction: 'below' };
    case 'p99':
    case 'p50':
    case 'rate':
      if (arg === undefined) throw bad(`${name} needs a phase, e.g. ${name}:steady`);
      return {
        metric: { kind: name, phase: arg },
        label: name === 'rate' ? `Achieved rate of ${arg}` : `${name} of ${arg}`,
        direction: name === 'rate' ? 'below' : 'above',
      };
    case 'cpu-per-request':
    case 'rss':
      return {
        metric: arg === undefined ? { kind: name } : { kind: name, phase: arg },
        label: `${name === 'rss' ? 'Service RSS' : 'CPU per request'}${arg === undefined ? '' : ` of ${arg}`}`,
        direction: 'above',
      };
    case 'bench':
      if (arg === undefined) throw bad('bench needs a task, e.g. bench:parse');
      return { metric: { kind: 'bench', task: arg }, label: `Median of ${arg}`, direction: 'above' };
    default:
      throw bad(`"${name}" is not a metric`);
  }
}

/**
 * The budget a scenario sets for the metric, in the metric's unit, with where it came from:
 * `budgets.headroom` (x), `slo.p99`/`slo.p50` (ms), `budgets.cpuPerRequest` (µs), `budgets.rss` (MB).
 * Reads the resolved config as stored; fields a store does not have yet are simply absent.
 */
export function scenarioBudget(config: unknown, m: HistoryMetric): { value: number; source: string } | null {
  const c = (config ?? {}) as { budgets?: Record<string, unknown>; slo?: Record<string, unknown> };
  const num = (v: unknown): number | null => {
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    if (v && typeof v === 'object' && typeof (v as { value?: unknown }).value === 'number') return (v as { value: number }).value;
    if (typeof v === 'string') {
      const n = Number.parseFloat(v.replace(/^[<>=\s]+/, ''));
      return Number.isFinite(n) ? n : null;
    }
    return null;
  };
  const from = (v: unknown, source: string) => {
    const n = num(v);
    return n === null ? null : { value: n, source };
  };
  switch (m.kind) {
    case 'headroom':
      return from(c.budgets?.['headroom'], "the scenario's budgets.headroom");
    case 'p99':
      return from(c.slo?.['p99Ms'], "the scenario's slo.p99");
    case 'p50':
      return from(c.slo?.['p50Ms'], "the scenario's slo.p50");
    case 'cpu-per-request':
      return from(c.budgets?.['cpuPerRequestUs'], "the scenario's budgets.cpuPerRequest");
    case 'rss':
      return from(c.budgets?.['rssMb'], "the scenario's budgets.rss");
    default:
      return null;
  }
}

/** The scenario's `traffic` from its stored config, when it has one. */
export function scenarioTraffic(config: unknown): { peak: number; growth: string } | null {
  const t = (config as { traffic?: { peak?: unknown; growth?: unknown } } | null)?.traffic;
  return t && typeof t.peak === 'number' && typeof t.growth === 'string' ? { peak: t.peak, growth: t.growth } : null;
}
