/**
 * SLO-bounded capacity: the highest throughput at which the service still meets its SLO,
 * from a step or breakpoint phase, and the limit that bound it.
 *
 * How (the README repeats this):
 * 1. Steps are judged in order ({@link judgeStep}). The first failing step F and the step
 *    before it, L (the last passing one), bracket the capacity: [achieved(L), achieved(F)].
 *    A pass after F is not trusted (conservative) and produces a warning.
 * 2. For each metric that failed at F, the fraction t ∈ [0, 1) of the way from L to F where it
 *    crossed its threshold is found by linear interpolation of the metric between the two steps:
 *    p99: t = (slo − p99_L)/(p99_F − p99_L); error rate likewise; the offered rate on the ratio
 *    achieved/offered against 95%. The metric that crossed first (smallest t) is the failing one.
 * 3. capacity = achieved_L + t·(achieved_F − achieved_L). When the service delivered no more at F
 *    than at L (throughput fell), capacity = achieved_L and the bracket's top is F's offered rate,
 *    the rate it could not carry.
 * 4. The binding limit names the cause: the generator when F was generator-limited (the capacity
 *    is then the generator's, not the service's); the service's CPU when it used ≥ 95% of its CPU
 *    set at F; the USL knee when a USL peak throughput is given and the capacity is within 10% of
 *    it; otherwise the failing metric itself.
 */
import { judgeStep, type CapacitySlo, type CapacityStep, type StepFailure, type StepVerdictOptions } from './step-verdict.ts';

/** What ran out first. */
export type LimitedBy = 'latency-slo' | 'error-slo' | 'throughput' | 'cpu' | 'usl-knee' | 'generator' | 'none-reached';

/** Options of {@link sloCapacity}. */
export interface SloCapacityOptions extends StepVerdictOptions {
  /** CPU share of the service's CPU set at which the CPU counts as saturated. @default 0.95 */
  cpuSaturation?: number;
  /** Peak throughput X(N*) of a USL fit of the same service, when there is one. @default null */
  uslPeakThroughput?: number | null;
  /** The capacity is at the USL knee when within this share of the USL peak. @default 0.1 */
  uslKneeTolerance?: number;
}

export const SLO_CAPACITY_DEFAULTS = { cpuSaturation: 0.95, uslPeakThroughput: null, uslKneeTolerance: 0.1 } as const;

/**
 * The SLO-bounded capacity. `found`: bracketed by a passing and a failing step. `none-reached`:
 * every step passed, capacity ≥ the last step (bracket top null). `below-first-step`: the first
 * step already failed, rate 0 and bracket [0, first step]. `no-steps`: nothing to judge.
 */
export interface SloCapacity {
  status: 'found' | 'none-reached' | 'below-first-step' | 'no-steps';
  /** req/s; null only for no-steps. */
  rate: number | null;
  bracket: [number, number | null] | null;
  limitedBy: LimitedBy | null;
  /** Which SLO or rate broke at the first failing step (the cause may be deeper: see limitedBy). */
  failingMetric: StepFailure | null;
  /** Indexes into the steps. */
  lastPass: number | null;
  firstFail: number | null;
  /** Interpolation fraction t between lastPass and firstFail. */
  fraction: number | null;
  warnings: string[];
}

function crossing(metric: StepFailure, l: CapacityStep, f: CapacityStep, slo: CapacitySlo, minRatio: number): number {
  const frac = (lv: number, fv: number, threshold: number) => (fv === lv ? 0 : Math.min(1, Math.max(0, (threshold - lv) / (fv - lv))));
  if (metric === 'latency-slo') return frac(l.p99Ms, f.p99Ms, slo.p99Ms!);
  if (metric === 'error-slo') return frac(l.errorRate, f.errorRate, slo.errorRate!);
  const ratio = (s: CapacityStep) => (s.offered !== undefined && s.offered > 0 ? s.achieved / s.offered : 1);
  return frac(ratio(l), ratio(f), minRatio);
}

/** SLO-bounded capacity of a step phase; see the module comment for the method. */
export function sloCapacity(steps: readonly CapacityStep[], slo: CapacitySlo, options: SloCapacityOptions = {}): SloCapacity {
  const opt = { ...SLO_CAPACITY_DEFAULTS, ...options };
  const minRatio = options.minAchievedRatio ?? 0.95;
  const warnings: string[] = [];
  const base = { failingMetric: null, lastPass: null, firstFail: null, fraction: null, warnings };
  if (steps.length === 0) return { status: 'no-steps', rate: null, bracket: null, limitedBy: null, ...base };
  const verdicts = steps.map((s) => judgeStep(s, slo, options));
  const f = verdicts.findIndex((v) => !v.pass);
  steps.forEach((s, i) => {
    if (s.generatorLimited && (f === -1 || i < f))
      warnings.push(`step ${i + 1}: the generator could not keep its schedule; figures of this step may understate the service`);
  });
  if (f === -1) {
    const last = steps[steps.length - 1]!;
    const generator = last.generatorLimited === true;
    if (generator)
      warnings.push(
        'every step passed but the generator was the limit at the last step: the service capacity is higher than the generator could test',
      );
    return {
      status: 'none-reached',
      rate: last.achieved,
      bracket: [last.achieved, null],
      limitedBy: generator ? 'generator' : 'none-reached',
      ...base,
      lastPass: steps.length - 1,
    };
  }
  const F = steps[f]!;
  const failures = verdicts[f]!.failures;
  const later = verdicts.findIndex((v, i) => i > f && v.pass);
  if (later !== -1)
    warnings.push(`step ${later + 1} passed after step ${f + 1} failed; the capacity is taken at the first failure (conservative)`);
  const cause = (metric: StepFailure, rate: number): LimitedBy => {
    if (F.generatorLimited) return 'generator';
    if (F.cpuUtil !== undefined && F.cpuUtil >= opt.cpuSaturation) return 'cpu';
    const peak = opt.uslPeakThroughput;
    if (peak !== null && peak > 0 && rate >= (1 - opt.uslKneeTolerance) * peak) return 'usl-knee';
    return metric;
  };
  if (F.generatorLimited)
    warnings.push(
      `step ${f + 1} failed while the generator could not keep its schedule: this capacity is the generator's, not the service's`,
    );
  if (f === 0) {
    const metric = failures[0]!;
    warnings.push('the first step already failed the SLO: start the search at a lower rate');
    return {
      status: 'below-first-step',
      rate: 0,
      bracket: [0, F.achieved],
      limitedBy: cause(metric, 0),
      ...base,
      failingMetric: metric,
      firstFail: 0,
    };
  }
  const L = steps[f - 1]!;
  let metric = failures[0]!;
  let t = Number.POSITIVE_INFINITY;
  for (const m of failures) {
    const tm = crossing(m, L, F, slo, minRatio);
    if (tm < t) [metric, t] = [m, tm];
  }
  const rising = F.achieved > L.achieved;
  const rate = rising ? L.achieved + t * (F.achieved - L.achieved) : L.achieved;
  const top = rising ? F.achieved : Math.max(L.achieved, F.offered ?? L.achieved);
  return {
    status: 'found',
    rate,
    bracket: [L.achieved, top],
    limitedBy: cause(metric, rate),
    failingMetric: metric,
    lastPass: f - 1,
    firstFail: f,
    fraction: t,
    warnings,
  };
}
