/**
 * Headroom: how many times the expected production peak the service can carry, i.e.
 * min(SLO-bounded capacity, CPU-budget capacity) / expectedPeak, with the bracket carried
 * through the same min. The `headroom` threshold of a scenario compares this value. With a CPU
 * budget set that the steps cannot estimate, there is no headroom (a gate on it fails as no data).
 */
import type { CpuBudgetCapacity } from './cpu-budget.ts';
import type { SloCapacity } from './slo-capacity.ts';

/** Headroom over the expected peak, or why there is none. */
export type Headroom =
  | {
      status: 'computed';
      /** capacity / expectedPeak; 1.5 means 50% more traffic than the expected peak fits. */
      value: number;
      /** [low, high] over the SLO bracket; high null when no step failed and no CPU budget caps it. */
      bracket: [number, number | null];
      /** Which capacity is the lower one. */
      limitedBy: 'slo' | 'cpu-budget';
      capacity: number;
      expectedPeak: number;
      /** True when the binding capacity is only a lower bound (no step failed the SLO). */
      lowerBound: boolean;
    }
  | { status: 'unavailable'; reason: string };

/** Combines the two capacities into the headroom over `expectedPeak` (req/s). */
export function headroom(slo: SloCapacity, cpu: CpuBudgetCapacity | null, expectedPeak: number | undefined): Headroom {
  if (expectedPeak === undefined) return { status: 'unavailable', reason: 'the scenario has no expectedPeak' };
  if (!(expectedPeak > 0)) throw new RangeError(`expectedPeak must be > 0, got ${expectedPeak}`);
  if (slo.rate === null || slo.bracket === null) return { status: 'unavailable', reason: 'no SLO-bounded capacity (no steps)' };
  // A CPU budget the steps could not estimate may be the lower capacity: the headroom is then not known.
  if (cpu?.status === 'unavailable') return { status: 'unavailable', reason: `no CPU-budget capacity (${cpu.reason})` };
  const cpuRate = cpu?.status === 'estimated' ? cpu.rate : Number.POSITIVE_INFINITY;
  const capacity = Math.min(slo.rate, cpuRate);
  const limitedBy = cpuRate < slo.rate ? 'cpu-budget' : 'slo';
  const [lo, hi] = slo.bracket;
  const top = Math.min(hi ?? Number.POSITIVE_INFINITY, cpuRate);
  return {
    status: 'computed',
    value: capacity / expectedPeak,
    bracket: [Math.min(lo, cpuRate) / expectedPeak, Number.isFinite(top) ? top / expectedPeak : null],
    limitedBy,
    capacity,
    expectedPeak,
    lowerBound: limitedBy === 'slo' && slo.status === 'none-reached',
  };
}
