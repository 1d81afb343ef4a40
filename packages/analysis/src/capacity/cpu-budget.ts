/**
 * CPU-budget capacity: the throughput at which the service's CPU would reach a budget share of
 * its CPU set (the "CPU below 60% at peak" rule of thumb), from its measured CPU per request.
 *
 * Two methods; the result says which it used:
 * - `linear-fit` (default, needs CPU utilisation at ≥ 2 step rates): least squares line
 *   util = idle + perReqPerS·X over the usable steps, capacity = (budget − idle)/perReqPerS. The
 *   intercept absorbs CPU that does not scale with load (timers, GC of idle heaps, the agent).
 * - `median-cpu-per-request` (needs cpuPerRequestUs and the CPU set size): capacity =
 *   budget·cpuCount·10⁶/median(cpuPerRequestUs), which assumes no idle CPU.
 * Usable steps: CPU measured, below the saturation share (a saturated CPU no longer says what
 * a request costs), and achieved > 0. A step where the generator could not keep its schedule
 * counts too: the service's CPU at the rate it actually served is measured all the same.
 */
import { median } from '../median-ci.ts';
import type { CapacityStep } from './step-verdict.ts';

/** Options of {@link cpuBudgetCapacity}. */
export interface CpuBudgetOptions {
  /** Budget as a share of the service's CPU set, 0..1 (`budgets: { cpu: '60%' }` → 0.6). */
  budget: number;
  /** Number of CPUs in the service's CPU set; needed by the median method. @default undefined */
  cpuCount?: number;
  /** @default 'linear-fit' when CPU utilisation is available at ≥ 2 rates, else 'median-cpu-per-request' */
  method?: 'linear-fit' | 'median-cpu-per-request';
  /** Steps at or above this CPU share are not used. @default 0.95 */
  cpuSaturation?: number;
}

/** The CPU-budget capacity, or why there is none. */
export type CpuBudgetCapacity =
  | {
      status: 'estimated';
      rate: number;
      budget: number;
      method: 'linear-fit' | 'median-cpu-per-request';
      /** Indexes of the steps used. */
      steps: number[];
      /** True when the rate lies beyond the highest rate measured among those steps. */
      extrapolated: boolean;
      /** linear-fit: CPU share at zero load, share per req/s, and R² of the line. */
      fit: { idle: number; perRequestPerSecond: number; r2: number } | null;
      /** median method: the median CPU per request, µs. */
      cpuPerRequestUs: number | null;
      warnings: string[];
    }
  | { status: 'unavailable'; reason: string };

/** Estimates the CPU-budget capacity; see the module comment. */
export function cpuBudgetCapacity(steps: readonly CapacityStep[], options: CpuBudgetOptions): CpuBudgetCapacity {
  const { budget } = options;
  if (!(budget > 0 && budget <= 1)) throw new RangeError(`budget must be a share in (0, 1], got ${budget}`);
  const saturation = options.cpuSaturation ?? 0.95;
  const saturated = steps.filter((s) => s.cpuUtil !== undefined && s.cpuUtil >= saturation).length;
  const usable = steps.flatMap((s, i) => (s.achieved > 0 && !(s.cpuUtil !== undefined && s.cpuUtil >= saturation) ? [i] : []));
  const leftOut = saturated > 0 ? ` (${saturated} of ${steps.length} steps at or above ${pct(saturation)} CPU left out)` : '';
  const withUtil = usable.filter((i) => steps[i]!.cpuUtil !== undefined);
  const distinctRates = new Set(withUtil.map((i) => steps[i]!.achieved)).size;
  const method = options.method ?? (distinctRates >= 2 ? 'linear-fit' : 'median-cpu-per-request');
  const maxRate = (idx: number[]) => Math.max(...idx.map((i) => steps[i]!.achieved));
  if (method === 'linear-fit') {
    if (distinctRates < 2)
      return {
        status: 'unavailable',
        reason: `a line needs CPU utilisation at 2 or more rates below ${pct(saturation)} CPU; have ${distinctRates}${leftOut}`,
      };
    const xs = withUtil.map((i) => steps[i]!.achieved);
    const ys = withUtil.map((i) => steps[i]!.cpuUtil!);
    const mx = mean(xs);
    const my = mean(ys);
    const sxy = xs.reduce((s, x, k) => s + (x - mx) * (ys[k]! - my), 0);
    const sxx = xs.reduce((s, x) => s + (x - mx) ** 2, 0);
    const slope = sxy / sxx;
    const idle = my - slope * mx;
    if (!(slope > 0))
      return {
        status: 'unavailable',
        reason: 'CPU utilisation does not rise with throughput across the steps; no CPU cost per request to extrapolate',
      };
    const syy = ys.reduce((s, y) => s + (y - my) ** 2, 0);
    const r2 = syy > 0 ? (sxy * sxy) / (sxx * syy) : 1;
    const warnings: string[] = [];
    if (idle >= budget) warnings.push(`the CPU share at zero load (${pct(idle)}) already exceeds the budget ${pct(budget)}`);
    const rate = Math.max(0, (budget - idle) / slope);
    return {
      status: 'estimated',
      rate,
      budget,
      method,
      steps: withUtil,
      extrapolated: rate > maxRate(withUtil),
      fit: { idle, perRequestPerSecond: slope, r2 },
      cpuPerRequestUs: null,
      warnings,
    };
  }
  const cpuCount = options.cpuCount;
  if (!(cpuCount !== undefined && cpuCount > 0))
    return { status: 'unavailable', reason: "the median-cpu-per-request method needs the size of the service's CPU set (cpuCount)" };
  const withCost = usable.filter((i) => (steps[i]!.cpuPerRequestUs ?? 0) > 0);
  if (withCost.length === 0) return { status: 'unavailable', reason: `no step measured CPU time per request${leftOut}` };
  const us = median(withCost.map((i) => steps[i]!.cpuPerRequestUs!));
  const rate = (budget * cpuCount * 1e6) / us;
  return {
    status: 'estimated',
    rate,
    budget,
    method,
    steps: withCost,
    extrapolated: rate > maxRate(withCost),
    fit: null,
    cpuPerRequestUs: us,
    warnings: [],
  };
}

function mean(v: readonly number[]): number {
  return v.reduce((s, x) => s + x, 0) / v.length;
}

function pct(v: number): string {
  return `${Number((v * 100).toPrecision(3))}%`;
}
