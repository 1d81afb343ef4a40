/**
 * @headroom/analysis — pure statistics for comparing runs (exact Mann-Whitney U with ties,
 * order-statistic median intervals, benchstat-style comparisons, the regression gate, and
 * sample-file parsing; capacity models: the USL fit, SLO-bounded and CPU-budget capacity,
 * headroom, the breakpoint stop rule and queueing formulas (the seeded Poisson arrivals the load
 * generator uses live in @headroom/internal); forecasting across runs (E-Divisive change points,
 * trends with prediction intervals, budget crossings, traffic growth, leak slopes); profile and
 * trace aggregation (top, diff, slow traces). No I/O.
 */
export { mannWhitneyU, minAchievableP, rankSumDistribution, MANN_WHITNEY_DEFAULTS } from './mann-whitney.ts';
export type { MannWhitneyOptions, MannWhitneyResult } from './mann-whitney.ts';
export { median, medianCI, minSamplesForCI } from './median-ci.ts';
export type { MedianCI } from './median-ci.ts';
export { geomean } from './geomean.ts';
export { erfc, normalUpperTail } from './normal.ts';
export { isHigherBetter, sampleEntries } from './sample-set.ts';
export type { SampleSet } from './sample-set.ts';
export { compare, compareSets, isFromZero, COMPARE_DEFAULTS } from './compare.ts';
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
// Trends, change points and forecasts across runs (issue 11).
export { forecastSeries, formatSpan, FORECAST_DEFAULTS, CROSSING_SEARCH_YEARS, MIN_SPAN_OF_HORIZON } from './forecast/forecast.ts';
export type { ForecastOptions, ForecastResult, ChangePointReport, HorizonForecast } from './forecast/forecast.ts';
export { forecastJson } from './forecast/forecast-json.ts';
export type { ForecastJson } from './forecast/forecast-json.ts';
export { forecastSummary } from './forecast/summary.ts';
export type { SummaryOptions } from './forecast/summary.ts';
export { eDivisive, E_DIVISIVE_DEFAULTS } from './forecast/e-divisive.ts';
export type { EDivisiveOptions, DetectedChangePoint } from './forecast/e-divisive.ts';
export { keepLevelShifts, levelShiftP, LEVEL_SHIFT_DEFAULTS } from './forecast/level-shift.ts';
export type { LevelShiftOptions } from './forecast/level-shift.ts';
export { fitTrend, TREND_DEFAULTS, MIN_TREND_POINTS } from './forecast/trend.ts';
export type { Trend, TrendOptions, TrendMethod, TrendBasis } from './forecast/trend.ts';
export { findCrossing } from './forecast/crossing.ts';
export type { Crossing, CrossingOptions, BudgetDirection } from './forecast/crossing.ts';
export { parseHorizon } from './forecast/horizon.ts';
export type { Horizon } from './forecast/horizon.ts';
export { parseGrowth, projectTraffic, headroomProjection } from './forecast/traffic.ts';
export type { TrafficInput, TrafficProjection } from './forecast/traffic.ts';
export { detectLeak, LEAK_DEFAULTS } from './forecast/leak.ts';
export type { LeakOptions, LeakVerdict, MemorySample } from './forecast/leak.ts';
export { parseSeriesCsv, SERIES_CSV_DEFAULTS } from './forecast/series-csv.ts';
export type { SeriesCsvOptions, ParsedSeries } from './forecast/series-csv.ts';
export { olsFit, olsPredict, olsSlopeInterval, predictionSe } from './forecast/ols.ts';
export type { OlsFit, Interval } from './forecast/ols.ts';
export { theilSen } from './forecast/theil-sen.ts';
export type { TheilSenFit } from './forecast/theil-sen.ts';
export { studentTCdf, studentTQuantile, studentTCritical } from './stats/student-t.ts';
export { seededRandom } from './stats/seeded-random.ts';
export { DAY_MS, isoDate } from './forecast/series.ts';
export type { SeriesPoint, Projection, Bounds } from './forecast/series.ts';
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
export { comparabilityProblems } from './comparable.ts';
export type { RunFacts, ComparabilityProblem } from './comparable.ts';
export { checksPassed } from './check/check-result.ts';
export type { CheckResult, CheckVerdict, CheckGroup } from './check/check-result.ts';
export { sloAtPeak } from './check/slo-at-peak.ts';
export type { PeakPhase, PeakSlo } from './check/slo-at-peak.ts';
export { regressionChecks, REGRESSION_CHECK_DEFAULTS } from './check/regressions.ts';
export type { RegressionPhase, RegressionCheckOptions } from './check/regressions.ts';
export { benchRegressionChecks } from './check/bench-regressions.ts';
export { budgetChecks } from './check/budgets.ts';
export type { BudgetLimits, BudgetMeasures } from './check/budgets.ts';
