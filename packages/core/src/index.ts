export { ExitCode, ERROR_CODES, HeadroomError, ValidationError, UsageError, RunFailedError, InterruptedError } from './errors.ts';
export type { ExitCodeValue, ErrorCode, UsageCode, ValidationIssue } from './errors.ts';
export { parseDuration, parseCount, parsePercent, formatDuration } from './units.ts';
export { allowedCpus, formatCpuList, parseCpuList, resolveAllowedCpus } from './allowed-cpus.ts';
export type { Parsed } from './units.ts';
export { Checker, join as joinPath } from './checker.ts';
export { defineScenario, stepRates, subPhaseName, subPhases } from './scenario.ts';
export { csv, json, rows, readDataFile } from './data/data-source.ts';
export type { DataOptions, DataPick, DataExhausted, DataSourceInput, DataSpec } from './data/data-source.ts';
export { parseCsv } from './data/parse-csv.ts';
export type { CsvResult } from './data/parse-csv.ts';
export type { Vu, VuResponse, VuRequestOptions, FlowFn, FlowInput, Checks, CheckFn, DataRow, RequestContext } from './flow.ts';
export { MAX_REQUEST_NAMES } from './validate-requests.ts';
export type {
  ScenarioInput,
  TrafficInput,
  GrowthRate,
  RequestInput,
  PhaseInput,
  RateInput,
  ConnectionsInput,
  StopWhenInput,
  ArrivalsInput,
  BudgetsInput,
  OutputsInput,
  Budgets,
  StopWhen,
  Arrivals,
  ClosedStepsPhase,
  SubPhase,
  ServiceInput,
  TargetInput,
  TlsInput,
  Tls,
  WorkersInput,
  CaptureInput,
  ThresholdInput,
  Scenario,
  Request,
  FlowSpec,
  Phase,
  ClosedPhase,
  ConstantPhase,
  RampPhase,
  StepsPhase,
  LoadModel,
  Service,
  Capture,
  CpuProfiler,
  PerfCallGraph,
  Threshold,
  ThresholdMetric,
  Duration,
  Percent,
  Count,
  HttpMethod,
} from './scenario.ts';
export { validateScenario, SCENARIO_DEFAULTS } from './validate-scenario.ts';
export { segmentIssues, MAX_SEGMENTS } from './segment.ts';
export type { Segment, SegmentRecord } from './segment.ts';
export { checkTarget, TLS_DEFAULTS } from './validate-target.ts';
export type { ValidateScenarioOptions } from './validate-scenario.ts';
export { PHASE_DEFAULTS } from './validate-phases.ts';
export { BUDGET_FORMS } from './validate-budgets.ts';
export { parseThresholdKey, parseThresholdExpression, isLatencyMetric } from './threshold.ts';
export type { ThresholdKey } from './threshold.ts';
export { defineBench, validateBench, BENCH_DEFAULTS } from './bench.ts';
export type { BenchInput, Bench, BenchFn, TaskInput, ValidateBenchOptions } from './bench.ts';
