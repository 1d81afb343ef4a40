export { Store, DEFAULT_DB } from './store.ts';
export type { OpenStoreOptions, JsonValue } from './store.ts';
export { TABLES } from './schema.ts';
export type { TableName, Row, ColumnType } from './schema.ts';
export { MIGRATIONS, SCHEMA_VERSION } from './migrations.ts';
export type { Migration } from './migrations.ts';
export { newRunId, resolveRunRef } from './run-ref.ts';
export type { ResolveRunOptions } from './run-ref.ts';
export { beginRun, finishRun, setRunPinning } from './writers/run-record.ts';
export type { RunBegin, RunEnd } from './writers/run-record.ts';
export {
  listRuns,
  readRun,
  readPhases,
  readGates,
  readSeries,
  readBenchAggregates,
  readBenchRepetitions,
  readMeasuredPhases,
  readRunKinds,
  readRunChecks,
  runsBetween,
  runsOfScenario,
  runsAtCommit,
  parseJsonColumn,
} from './readers/runs.ts';
export type { RunListing, StoredRun, StoredPhase, StoredGate, BenchTaskAggregate, RunCheck } from './readers/runs.ts';
export { readScripted } from './readers/scripted.ts';
export type { StoredScripted } from './readers/scripted.ts';
export { readProfiles, readFunctionRows } from './readers/profiles.ts';
export type { ProfileFilter } from './readers/profiles.ts';
export { readSpans } from './readers/spans.ts';
export type { SpanFilter } from './readers/spans.ts';
export { readTraceSamples } from './readers/trace-samples.ts';
export { exportRuns, importRuns } from './writers/transfer.ts';
export { openBundle } from './bundle.ts';
export type { Bundle, OpenBundleOptions } from './bundle.ts';
export { readSegmentRuns } from './readers/segments.ts';
export { readMeasuredRows } from './readers/run-rows.ts';
export type { MeasuredRows } from './readers/run-rows.ts';
export { writeRunRows } from './writers/run-rows.ts';
export type { RunRows } from './writers/run-rows.ts';
export type { TransferResult } from './writers/transfer.ts';
export { readReportRows, READ_REPORT_ROWS_DEFAULTS } from './readers/report-data.ts';
export type { ReadReportRowsOptions, ReportRows, HistoryRow, SlowRequestRow } from './readers/report-data.ts';
export { RunSpool, spoolDir } from './spool/run-spool.ts';
export type { RowWriter } from './spool/run-spool.ts';
export { foldSpools, readSpools } from './spool/fold.ts';
export type { FoldResult, ReadSpool, ReadSpoolsOptions } from './spool/fold.ts';
export { readLiveRuns, liveListing } from './readers/live-runs.ts';
export type { LiveRun } from './readers/live-runs.ts';
export { writeError } from './spool/write-error.ts';
export { readScenarioHistory, readMetricHistory, readScenarioNames, readLatestConfig } from './readers/history.ts';
export type { HistoryRun, HistoryMetric, HistoryOptions, HistoryPoint, MetricHistory, ScenarioHistory } from './readers/history.ts';
export { readPhaseMemory, readPhaseNames } from './readers/memory.ts';
export type { PhaseMemory } from './readers/memory.ts';
export { writeCapacity } from './writers/capacity.ts';
export type { CapacityRecord } from './writers/capacity.ts';
export { readCapacity, readCapacityHistory } from './readers/capacity.ts';
export type { StoredCapacity } from './readers/capacity.ts';
