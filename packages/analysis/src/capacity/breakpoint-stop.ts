/**
 * The breakpoint search's stop rule, for the runner: after each step, stop the phase once the
 * service is past its limit, i.e. the last `after` steps in a row failed (k6's breakpoint
 * executor stops at the first threshold crossing; two in a row keeps one noisy step from ending
 * the search early).
 */
import { judgeStep, type CapacitySlo, type CapacityStep, type StepFailure, type StepVerdictOptions } from './step-verdict.ts';

/**
 * `'slo'` is `{ slo: true, after: 2 }`. With `slo: false` only the offered rate counts
 * (achieved below 95% of offered), not the latency and error SLOs.
 */
export type StopWhen = 'slo' | { slo: boolean; after?: number };

export const STOP_WHEN_DEFAULTS = { slo: true, after: 2 } as const;

/** Continue, or stop with the reason. */
export type BreakpointDecision =
  { stop: false; consecutiveFailures: number } | { stop: true; consecutiveFailures: number; failures: StepFailure[]; reason: string };

/**
 * Decides after a step whether to end the phase. `steps` are the steps measured so far, in
 * order, the newest last. With `stopWhen` undefined the phase runs all its steps.
 */
export function breakpointDecision(
  steps: readonly CapacityStep[],
  slo: CapacitySlo,
  stopWhen: StopWhen | undefined,
  options: StepVerdictOptions = {},
): BreakpointDecision {
  if (stopWhen === undefined) return { stop: false, consecutiveFailures: 0 };
  const rule = stopWhen === 'slo' ? STOP_WHEN_DEFAULTS : { ...STOP_WHEN_DEFAULTS, ...stopWhen };
  if (!(Number.isInteger(rule.after) && rule.after >= 1)) throw new RangeError(`stopWhen.after must be an integer >= 1, got ${rule.after}`);
  const judged = { ...slo, ...(rule.slo ? {} : { p99Ms: undefined, errorRate: undefined }) };
  let run = 0;
  const seen = new Set<StepFailure>();
  for (let i = steps.length - 1; i >= 0; i--) {
    const v = judgeStep(steps[i]!, judged, options);
    if (v.pass) break;
    run++;
    v.failures.forEach((f) => seen.add(f));
  }
  if (run < rule.after) return { stop: false, consecutiveFailures: run };
  const failures = [...seen];
  return {
    stop: true,
    consecutiveFailures: run,
    failures,
    reason: `${failures.join(', ')} failed in ${run} consecutive step${run === 1 ? '' : 's'}`,
  };
}
