/**
 * @headroom/analysis — pure statistics for comparing runs: exact Mann-Whitney U with ties,
 * order-statistic median intervals, benchstat-style comparisons, the regression gate, and
 * sample-file parsing; capacity models: the USL fit, SLO-bounded and CPU-budget capacity,
 * headroom, the breakpoint stop rule and queueing formulas. No I/O. (The seeded Poisson
 * arrivals the load generator uses live in @headroom/internal.)
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
export { fitUsl, uslThroughput, FIT_USL_DEFAULTS } from './capacity/usl-fit.ts';
export type { FitUslOptions, UslFit, UslFitted, UslNotConverged, UslParameter, UslPoint, UslTooFewPoints } from './capacity/usl-fit.ts';
export { levenbergMarquardt, LEVENBERG_MARQUARDT_DEFAULTS } from './capacity/levenberg-marquardt.ts';
export type { LeastSquaresProblem, LevenbergMarquardtOptions, LevenbergMarquardtResult } from './capacity/levenberg-marquardt.ts';
export { studentTCdf, studentTQuantile } from './capacity/student-t.ts';
export { judgeStep, STEP_VERDICT_DEFAULTS } from './capacity/step-verdict.ts';
export type { CapacitySlo, CapacityStep, StepFailure, StepVerdict, StepVerdictOptions } from './capacity/step-verdict.ts';
export { sloCapacity, SLO_CAPACITY_DEFAULTS } from './capacity/slo-capacity.ts';
export type { LimitedBy, SloCapacity, SloCapacityOptions } from './capacity/slo-capacity.ts';
export { cpuBudgetCapacity } from './capacity/cpu-budget.ts';
export type { CpuBudgetCapacity, CpuBudgetOptions } from './capacity/cpu-budget.ts';
export { headroom } from './capacity/headroom.ts';
export type { Headroom } from './capacity/headroom.ts';
export { breakpointDecision, STOP_WHEN_DEFAULTS } from './capacity/breakpoint-stop.ts';
export type { BreakpointDecision, StopWhen } from './capacity/breakpoint-stop.ts';
export { parsePointsCsv } from './capacity/parse-points-csv.ts';
export type { CapacityPoint } from './capacity/parse-points-csv.ts';
export { md1, mg1, mm1 } from './capacity/queueing.ts';
export type { QueueFigures } from './capacity/queueing.ts';
export { analyzeCapacity, uslPointsFromSteps } from './capacity/capacity-analysis.ts';
export type { CapacityAnalysis, CapacityAnalysisOptions, UslSummary } from './capacity/capacity-analysis.ts';
