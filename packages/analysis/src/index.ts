/**
 * @headroom/analysis — pure statistics for comparing runs: exact Mann-Whitney U with ties,
 * order-statistic median intervals, benchstat-style comparisons, the regression gate, and
 * sample-file parsing. No I/O.
 */
export { mannWhitneyU, minAchievableP, rankSumDistribution, MANN_WHITNEY_DEFAULTS } from './mann-whitney.ts';
export type { MannWhitneyOptions, MannWhitneyResult } from './mann-whitney.ts';
export { median, medianCI, minSamplesForCI } from './median-ci.ts';
export type { MedianCI } from './median-ci.ts';
export { geomean } from './geomean.ts';
export { erfc, normalUpperTail } from './normal.ts';
export { isHigherBetter, sampleEntries } from './sample-set.ts';
export type { SampleSet } from './sample-set.ts';
export { compare, compareSets, COMPARE_DEFAULTS } from './compare.ts';
export type { CompareOptions, Comparison, BenchmarkComparison, SideSummary, GeomeanRow, Verdict } from './compare.ts';
export { regressionGate } from './regression-gate.ts';
export type { RegressionGateOptions, RegressionGateResult, Regression } from './regression-gate.ts';
export { parseSampleFile } from './parse-sample-file.ts';
export { parseGoBench } from './parse-go-bench.ts';
export { loadRunSamples, benchRepSamples } from './load-run-samples.ts';
export type { LoadPhaseRow, BenchRepSampleRow } from './load-run-samples.ts';
export { summarizeBenchTasks } from './bench-summary.ts';
export type { BenchRepetitionInput, BenchTaskSummary } from './bench-summary.ts';
