/**
 * Which phases a capacity analysis reads, and how a measured phase becomes one analysis step.
 * Shared by the `headroom` threshold (during the run), the breakpoint search, and
 * `headroom capacity` (from the store), so all three judge the same steps the same way.
 */
import { analyzeCapacity, type CapacityAnalysis, type CapacityStep } from '@headroom/analysis';
import type { Scenario } from '@headroom/core';
import type { PhaseResult } from './aggregate.ts';

/** The least a phase row needs for the selection. */
export interface PhaseLike {
  phase: string;
  parent: string | null;
  warmup?: boolean | null;
}

/**
 * The steps of the run's last step phase (a breakpoint search must be the last phase), in
 * order; a run without steps offers its measured top-level phases instead (e.g. a few
 * constant-rate phases), in order.
 */
export function pickCapacityPhases<T extends PhaseLike>(rows: readonly T[], warmups: ReadonlySet<string> = new Set()): T[] {
  const isWarm = (r: T) => r.warmup === true || warmups.has(r.phase) || warmups.has(r.parent ?? r.phase);
  const steps = rows.filter((r) => r.parent !== null && r.phase !== r.parent && !isWarm(r));
  if (steps.length > 0) {
    const parent = steps[steps.length - 1]!.parent;
    return steps.filter((r) => r.parent === parent);
  }
  return rows.filter((r) => (r.parent === null || r.phase === r.parent) && !isWarm(r));
}

/** A phase measured in this run as an analysis step. */
export function stepOfResult(r: PhaseResult): CapacityStep {
  return {
    ...(r.offeredRate === null ? {} : { offered: r.offeredRate }),
    achieved: r.achievedRate,
    p99Ms: r.latency.p99Ms,
    errorRate: r.errorRate,
    concurrency: r.concurrency,
    ...(r.serviceCpu ? { cpuUtil: r.serviceCpu.util } : {}),
    ...(r.serviceCpu?.perRequestUs != null ? { cpuPerRequestUs: r.serviceCpu.perRequestUs } : {}),
    ...(r.generator ? { generatorLimited: r.generator.limited } : {}),
  };
}

/** The capacity options a scenario implies: its SLO, expected peak, CPU budget and CPU set (runs stored before budgets existed have none). */
export function capacityOptionsOf(
  s: Pick<Scenario, 'slo' | 'expectedPeak' | 'service'> & { budgets?: Scenario['budgets'] },
): Parameters<typeof analyzeCapacity>[1] {
  return {
    slo: { ...(s.slo.p99Ms === null ? {} : { p99Ms: s.slo.p99Ms }), ...(s.slo.errorRate === null ? {} : { errorRate: s.slo.errorRate }) },
    ...(s.expectedPeak === null ? {} : { expectedPeak: s.expectedPeak }),
    ...(s.budgets?.cpu == null ? {} : { cpuBudget: s.budgets.cpu }),
    ...(s.service ? { cpuCount: s.service.cpus.length } : {}),
  };
}

/** The capacity analysis of a finished run's results, as the `headroom` threshold reads it. */
export function capacityOfResults(results: readonly PhaseResult[], scenario: Scenario): CapacityAnalysis {
  const warmups = new Set(scenario.phases.filter((p) => p.warmup).map((p) => p.name));
  const picked = pickCapacityPhases(
    results.filter((r) => r.counts.requests > 0 && !r.cutShort),
    warmups,
  );
  return analyzeCapacity(picked.map(stepOfResult), capacityOptionsOf(scenario));
}
