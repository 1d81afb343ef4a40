/**
 * Regressions of a scenario's bench file against the baseline: per task, the median ns/op
 * compared with `compare`'s statistics for bench runs. The unit of observation is the
 * repetition (each ran in a fresh process, so repetitions are independent), pooled over the
 * bench runs of a side, exactly as `headroom compare` pools them. A task regressed when it is
 * significantly slower (Mann-Whitney U, p <= alpha) and beyond the noise floor; where one
 * repetition a side allows no test, the max-change guard stands in, labelled as such.
 */
import { compare } from '../compare.ts';
import { benchRepSamples, type BenchRepSampleRow } from '../load-run-samples.ts';
import { regressionGate } from '../regression-gate.ts';
import type { CheckResult } from './check-result.ts';
import { comparisonCheck, REGRESSION_CHECK_DEFAULTS, type RegressionCheckOptions, type SampleAdvice } from './regressions.ts';

const REPETITIONS_ADVICE: SampleAdvice = {
  unit: 'repetitions',
  how: "raise the bench file's runs (6 or more a side) for a statistical verdict",
};

/**
 * One check per task present on both sides, named `regression bench <task> median`.
 * `baseline` and `candidate` are the `bench_reps` rows of each side's bench runs (successful
 * repetitions only; a failed repetition has no median).
 */
export function benchRegressionChecks(
  baseline: readonly BenchRepSampleRow[],
  candidate: readonly BenchRepSampleRow[],
  options: RegressionCheckOptions = {},
): CheckResult[] {
  const o = { ...REGRESSION_CHECK_DEFAULTS, ...options };
  const c = compare(benchRepSamples(baseline, 'baseline'), benchRepSamples(candidate, 'candidate'), {
    alpha: o.alpha,
    noiseFloor: o.noiseFloor,
  });
  const out: CheckResult[] = [];
  for (const row of c.rows) {
    if (!row.baseline || !row.candidate) continue;
    const gate = regressionGate(
      { ...c, rows: [row] },
      { noiseFloor: o.noiseFloor, ...(o.maxChange === null ? {} : { maxChange: o.maxChange }) },
    );
    const check = comparisonCheck({ ...row, name: `bench ${row.name} median` }, gate.regressions[0]?.reason ?? null, o, REPETITIONS_ADVICE);
    out.push(check);
  }
  return out;
}
