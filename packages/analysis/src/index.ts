/**
 * @headroom/analysis — pure statistics for comparing runs: exact Mann-Whitney U with ties,
 * order-statistic median intervals, benchstat-style comparisons, the regression gate, and
 * sample-file parsing; profile and trace aggregation (top, diff, slow traces). No I/O.
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
export { profileTop, PROFILE_TOP_DEFAULTS } from './profile/profile-top.ts';
export type { ProfileTopOptions, ProfileTopResult } from './profile/profile-top.ts';
export { profileDiff } from './profile/profile-diff.ts';
export type { ProfileDiffOptions, ProfileDiffResult, DiffRow } from './profile/profile-diff.ts';
export { aggregateFunctions } from './profile/aggregate-functions.ts';
export type { AggregateFunctionsOptions, AggregatedFunctions, FunctionShare, IdleShare } from './profile/aggregate-functions.ts';
export { frameKind } from './profile/pseudo-frames.ts';
export type { FrameKind } from './profile/pseudo-frames.ts';
export { pickProfile } from './profile/pick-profile.ts';
export type { PickProfileOptions, PickedProfile } from './profile/pick-profile.ts';
export { slowSpanProfile, slowestSpanIds } from './profile/slow-span-profile.ts';
export type { SlowSpanProfileOptions, SlowSpanProfileResult } from './profile/slow-span-profile.ts';
export { exportProfile, toSpeedscope } from './profile/export-profile.ts';
export type { ExportFormat, ExportProfileResult } from './profile/export-profile.ts';
export { slowTraces } from './traces/slow-traces.ts';
export type { SlowTracesOptions, SlowTracesResult, SlowTrace } from './traces/slow-traces.ts';
export { spanTree } from './traces/span-tree.ts';
export type { SpanNode } from './traces/span-tree.ts';
