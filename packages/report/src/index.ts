export { formatTable, painter } from './table.ts';
export { formatRunSummary } from './run-summary.ts';
export type { RunJson, PhaseJson, GateJson, LatencyJson, RunSummaryOptions } from './run-summary.ts';
export { formatCompareText } from './compare-text.ts';
export type { FormatCompareTextOptions } from './compare-text.ts';
export { formatCompareMarkdown } from './compare-markdown.ts';
export { formatCompareValue, formatMedianCell, formatDeltaCell, formatPct, formatP } from './compare-values.ts';
