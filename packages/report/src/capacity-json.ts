/** The `--json` document of `headroom capacity` (the README's contract), from the runner's result. */
import type { LimitedBy, UslSummary } from '@headroom/analysis';
import type { CapacityStepRow, RunCapacity } from '@headroom/runner';

/** What `headroom capacity --json` prints. */
export interface CapacityJson {
  runId: string | null;
  /** The run's scenario, or the points file. */
  source: string;
  /** The analysed step phase, when the run had one. */
  phase: string | null;
  steps: CapacityStepRow[];
  /** SLO-bounded capacity, req/s; bracket [last passing, first failing step] (top null: nothing failed). */
  capacity: {
    rate: number | null;
    bracket: [number, number | null] | null;
    limitedBy: LimitedBy | null;
    failingMetric: string | null;
    interpolation: number | null;
  };
  /** The rate at which the service's CPU reaches the scenario's cpu budget. */
  cpuBudgetCapacity: {
    rate: number;
    budget: number;
    method: string;
    extrapolated: boolean;
    /** median-cpu-per-request: the median, µs. */
    cpuPerRequestUs: number | null;
    /** linear-fit: CPU share at zero load, CPU share per req/s, R². */
    fit: { idle: number; perRequestPerSecond: number; r2: number } | null;
  } | null;
  usl: UslSummary | null;
  /** capacity / expectedPeak (the lower of the SLO and CPU-budget capacities), with its bracket. */
  headroom: {
    value: number;
    bracket: [number, number | null];
    limitedBy: 'slo' | 'cpu-budget';
    expectedPeak: number;
    lowerBound: boolean;
  } | null;
  warnings: string[];
}

/** Converts a capacity result to its JSON document. */
export function toCapacityJson(r: RunCapacity): CapacityJson {
  const a = r.analysis;
  const cpu = a.cpuBudgetCapacity?.status === 'estimated' ? a.cpuBudgetCapacity : null;
  const h = a.headroom.status === 'computed' ? a.headroom : null;
  return {
    runId: r.runId,
    source: r.source,
    phase: r.phase,
    steps: r.steps,
    capacity: { ...a.capacity, failingMetric: a.sloCapacity.failingMetric, interpolation: a.sloCapacity.fraction },
    cpuBudgetCapacity: cpu && {
      rate: cpu.rate,
      budget: cpu.budget,
      method: cpu.method,
      extrapolated: cpu.extrapolated,
      cpuPerRequestUs: cpu.cpuPerRequestUs,
      fit: cpu.fit,
    },
    usl: a.usl,
    headroom: h && { value: h.value, bracket: h.bracket, limitedBy: h.limitedBy, expectedPeak: h.expectedPeak, lowerBound: h.lowerBound },
    warnings: a.warnings,
  };
}
