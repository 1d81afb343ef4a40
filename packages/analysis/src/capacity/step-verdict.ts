/**
 * Whether one load step met the SLO, shared by the SLO-bounded capacity and the breakpoint
 * stop rule so that both judge a step the same way.
 */

/** One step of a step or breakpoint phase, as measured. */
export interface CapacityStep {
  /** Offered rate in req/s (open model). Omit for closed-model steps, which have no schedule to miss. */
  offered?: number;
  /** Achieved (completed) rate in req/s. */
  achieved: number;
  /** 99th percentile latency in ms (corrected for coordinated omission in the open model). */
  p99Ms: number;
  /** Share of requests that failed, 0..1. */
  errorRate: number;
  /** Service CPU as a share of its CPU set, 0..1 (1 = every CPU of the set busy). */
  cpuUtil?: number;
  /** Service CPU time per completed request, µs. */
  cpuPerRequestUs?: number;
  /**
   * The generator itself was the bottleneck during the step: its CPU saturated or it sent late
   * because of its own timers/event loop. Time spent waiting for a free connection while every
   * connection is busy on the service is the service's doing and must NOT set this.
   */
  generatorLimited?: boolean;
  /** Mean requests in flight (Little's law N = X·R), for a USL fit of open-model steps. */
  concurrency?: number;
}

/** The service level objective a step is judged by; an absent field is not checked. */
export interface CapacitySlo {
  p99Ms?: number;
  /** Share 0..1. */
  errorRate?: number;
}

/** What a failing step broke: its latency SLO, its error SLO, or its offered rate. */
export type StepFailure = 'latency-slo' | 'error-slo' | 'throughput';

/** Options of {@link judgeStep}. */
export interface StepVerdictOptions {
  /** A step keeps its offered rate when achieved ≥ this share of offered (k6 and wrk2 users use 95%). @default 0.95 */
  minAchievedRatio?: number;
}

export const STEP_VERDICT_DEFAULTS: Required<StepVerdictOptions> = { minAchievedRatio: 0.95 };

/** The verdict on one step: pass, or the list of what failed (in the order latency, errors, throughput). */
export interface StepVerdict {
  pass: boolean;
  failures: StepFailure[];
}

/** Judges a step: p99 ≤ slo.p99Ms, errorRate ≤ slo.errorRate, achieved ≥ minAchievedRatio·offered. */
export function judgeStep(step: CapacityStep, slo: CapacitySlo, options: StepVerdictOptions = {}): StepVerdict {
  const ratio = options.minAchievedRatio ?? STEP_VERDICT_DEFAULTS.minAchievedRatio;
  const failures: StepFailure[] = [];
  if (slo.p99Ms !== undefined && !(step.p99Ms <= slo.p99Ms)) failures.push('latency-slo');
  if (slo.errorRate !== undefined && !(step.errorRate <= slo.errorRate)) failures.push('error-slo');
  if (step.offered !== undefined && step.offered > 0 && !(step.achieved >= ratio * step.offered)) failures.push('throughput');
  return { pass: failures.length === 0, failures };
}
