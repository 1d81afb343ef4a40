/**
 * The whole capacity analysis of one step or breakpoint phase, as `headroom capacity --json`
 * reports it: SLO-bounded capacity and its binding limit, CPU-budget capacity, the USL fit in
 * its native variable (concurrency), headroom over the expected peak, and every warning.
 * Pure: the caller reads the steps from the store and renders or stores the result.
 */
import { cpuBudgetCapacity, type CpuBudgetCapacity } from './cpu-budget.ts';
import { headroom, type Headroom } from './headroom.ts';
import { sloCapacity, type LimitedBy, type SloCapacity } from './slo-capacity.ts';
import type { CapacitySlo, CapacityStep, StepVerdictOptions } from './step-verdict.ts';
import { fitUsl, type UslFit, type UslPoint } from './usl-fit.ts';

/** Options of {@link analyzeCapacity}. */
export interface CapacityAnalysisOptions extends StepVerdictOptions {
  slo: CapacitySlo;
  /** Production peak, req/s; without it there is no headroom. @default undefined */
  expectedPeak?: number;
  /** CPU budget as a share of the service's CPU set (`budgets: { cpu: '60%' }` → 0.6). @default undefined (no CPU-budget capacity) */
  cpuBudget?: number;
  /** Size of the service's CPU set, for the median CPU-per-request method. @default undefined */
  cpuCount?: number;
  /** Points to fit the USL to; by default each step's (concurrency, achieved). @default derived from steps */
  uslPoints?: readonly UslPoint[];
  /** Confidence level of the USL parameter intervals. @default 0.95 */
  confidence?: number;
  /** CPU share that counts as saturated. @default 0.95 */
  cpuSaturation?: number;
}

/** The `usl` object of the JSON contract. */
export interface UslSummary {
  sigma: number;
  kappa: number;
  lambda: number;
  sigmaSE: number | null;
  kappaSE: number | null;
  lambdaSE: number | null;
  sigmaCI: [number, number] | null;
  kappaCI: [number, number] | null;
  lambdaCI: [number, number] | null;
  r2: number;
  residualStandardError: number | null;
  peakConcurrency: number | null;
  peakThroughput: number | null;
  ceiling: number | null;
}

/** Everything `headroom capacity` reports about one phase, except the run id and the step table. */
export interface CapacityAnalysis {
  capacity: { rate: number | null; bracket: [number, number | null] | null; limitedBy: LimitedBy | null };
  /** The SLO-bounded capacity with how it was found (steps used, interpolation fraction). */
  sloCapacity: SloCapacity;
  cpuBudgetCapacity: CpuBudgetCapacity | null;
  usl: UslSummary | null;
  /** The full fit result, including why there is none. */
  uslFit: UslFit;
  headroom: Headroom;
  warnings: string[];
}

/** USL points from steps: (mean concurrency, achieved rate) of steps that measured concurrency and where the generator kept up. */
export function uslPointsFromSteps(steps: readonly CapacityStep[]): UslPoint[] {
  return steps.flatMap((s) =>
    s.concurrency !== undefined && s.concurrency > 0 && !s.generatorLimited ? [{ n: s.concurrency, x: s.achieved }] : [],
  );
}

/** Runs every capacity model over a phase's steps. */
export function analyzeCapacity(steps: readonly CapacityStep[], options: CapacityAnalysisOptions): CapacityAnalysis {
  const warnings: string[] = [];
  const uslFit = fitUsl(
    options.uslPoints ?? uslPointsFromSteps(steps),
    options.confidence === undefined ? {} : { confidence: options.confidence },
  );
  let usl: UslSummary | null = null;
  if (uslFit.status === 'fitted') {
    const { sigma, kappa, lambda } = uslFit;
    usl = {
      sigma: sigma.value,
      kappa: kappa.value,
      lambda: lambda.value,
      sigmaSE: sigma.se,
      kappaSE: kappa.se,
      lambdaSE: lambda.se,
      sigmaCI: sigma.ci,
      kappaCI: kappa.ci,
      lambdaCI: lambda.ci,
      r2: uslFit.r2,
      residualStandardError: uslFit.residualStandardError,
      peakConcurrency: uslFit.peakConcurrency,
      peakThroughput: uslFit.peakThroughput,
      ceiling: uslFit.ceiling,
    };
    warnings.push(...uslFit.notes.map((n) => `USL: ${n}`));
  } else if (uslFit.status === 'too-few-points') {
    const bound = options.uslPoints === undefined ? steps.filter((s) => s.generatorLimited).length : 0;
    const why = bound > 0 ? ` (${bound} of ${steps.length} steps left out: the generator could not keep their schedule)` : '';
    warnings.push(`USL not fitted: ${uslFit.message}${why}; the SLO-bounded capacity stands on its own`);
  } else {
    const data = uslFit.points.map((p) => `(${p.n}, ${p.x})`).join(' ');
    warnings.push(`USL not fitted: ${uslFit.message}; data (concurrency, throughput): ${data}`);
  }
  const slo = sloCapacity(steps, options.slo, {
    ...(options.minAchievedRatio === undefined ? {} : { minAchievedRatio: options.minAchievedRatio }),
    ...(options.cpuSaturation === undefined ? {} : { cpuSaturation: options.cpuSaturation }),
    uslPeakThroughput: usl?.peakThroughput ?? null,
  });
  warnings.push(...slo.warnings);
  let cpu: CpuBudgetCapacity | null = null;
  if (options.cpuBudget !== undefined) {
    cpu = cpuBudgetCapacity(steps, {
      budget: options.cpuBudget,
      ...(options.cpuCount === undefined ? {} : { cpuCount: options.cpuCount }),
      ...(options.cpuSaturation === undefined ? {} : { cpuSaturation: options.cpuSaturation }),
    });
    if (cpu.status === 'estimated') {
      warnings.push(...cpu.warnings);
      if (cpu.extrapolated)
        warnings.push(`the CPU-budget capacity ${Math.round(cpu.rate)} req/s is extrapolated beyond the highest measured step`);
    } else {
      warnings.push(`no CPU-budget capacity: ${cpu.reason}`);
    }
  }
  return {
    capacity: { rate: slo.rate, bracket: slo.bracket, limitedBy: slo.limitedBy },
    sloCapacity: slo,
    cpuBudgetCapacity: cpu,
    usl,
    uslFit,
    headroom: headroom(slo, cpu, options.expectedPeak),
    warnings,
  };
}
