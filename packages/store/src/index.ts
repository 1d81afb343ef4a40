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
  listRuns, readRun, readPhases, readGates, readSeries, readBenchAggregates, readBenchRepetitions, readMeasuredPhases,
  readRunKinds, runsBetween,
} from './readers/runs.ts';
export type { RunListing, StoredRun, StoredPhase, StoredGate, BenchTaskAggregate } from './readers/runs.ts';
export { writeCapacity } from './writers/capacity.ts';
export type { CapacityRecord } from './writers/capacity.ts';
export { readCapacity, readCapacityHistory } from './readers/capacity.ts';
export type { StoredCapacity } from './readers/capacity.ts';
