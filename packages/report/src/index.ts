export { formatTable, painter } from './table.ts';
export { formatRunSummary } from './run-summary.ts';
export type { RunJson, PhaseJson, GateJson, LatencyJson, RunSummaryOptions } from './run-summary.ts';
