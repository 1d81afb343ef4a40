export { formatTable, painter } from './table.ts';
export { formatRunSummary } from './run-summary.ts';
export type { RunJson, PhaseJson, GateJson, LatencyJson, RunSummaryOptions } from './run-summary.ts';
export { formatCompareText } from './compare-text.ts';
export type { FormatCompareTextOptions } from './compare-text.ts';
export { formatCompareMarkdown } from './compare-markdown.ts';
export { formatCompareValue, formatMedianCell, formatDeltaCell, formatPct, formatP } from './compare-values.ts';
export { formatMs, formatNs, formatCount, formatRate, formatPercent } from './units.ts';
export { formatBenchSummary } from './bench-table.ts';
export type { BenchSummaryInput } from './bench-table.ts';
export { toRunJson } from './run-json.ts';
export { toMergeJson, formatMergeSummary } from './merge-summary.ts';
export type { MergeJson } from './merge-summary.ts';
export { ProgressSink } from './progress-sink.ts';
export type { ProgressSinkOptions } from './progress-sink.ts';
export { scriptedPhases } from './scripted-phases.ts';
export type { ScriptedPhase } from './scripted-summary.ts';
export { formatRunList, formatRunShow, formatSqlRows, formatTransfer } from './runs-text.ts';
export type { RunShowInput } from './runs-text.ts';
export { formatProfileTop } from './profile/profile-top-text.ts';
export { formatProfileDiff } from './profile/profile-diff-text.ts';
export { formatSlowTraces } from './profile/slow-traces-text.ts';
export { formatProfileValue, formatShare, formatLocation } from './profile/profile-values.ts';
export { checkSummary } from './check/check-summary.ts';
export { formatCheckText, formatCheckMarkdown, formatCheckValue } from './check/check-text.ts';
export { formatCheckJUnit, xmlEscape } from './check/junit.ts';
export type {
  ReportData,
  ReportRun,
  ReportPinning,
  ReportGate,
  ReportPhase,
  ReportLatency,
  PhaseBand,
  RedSeries,
  SpectrumCurve,
  LatencySpectrum,
  CapacityStep,
  CapacityData,
  UslFit,
  ResourceSeries,
  TrendPoint,
  TrendData,
  FlameGraph,
  WaterfallSpan,
  SlowRequest,
  BenchTask,
} from './data/report-data.ts';
export { buildReportData, BUILD_REPORT_DATA_DEFAULTS } from './data/build-report-data.ts';
export type { BuildReportDataOptions } from './data/build-report-data.ts';
export { renderHtmlReport, reportCsp } from './html/render-html.ts';
export { renderMarkdownReport, escapeMarkdown } from './markdown/render-markdown.ts';
export { escapeHtml, jsonForScript } from './html/escape.ts';
export { formatMetric, formatSignedMetric } from './units.ts';
export { formatForecastText } from './forecast-text.ts';
export type { FormatForecastTextOptions } from './forecast-text.ts';
export { formatForecastMarkdown } from './forecast-markdown.ts';
export { FORECAST_REPORT_DEFAULTS } from './forecast-parts.ts';
export type { ForecastReportInput, ForecastRunInfo } from './forecast-parts.ts';
export { formatLeakReport } from './leak-text.ts';
export type { LeakReportInput } from './leak-text.ts';
export { toCapacityJson } from './capacity-json.ts';
export type { CapacityJson } from './capacity-json.ts';
export { formatCapacityText } from './capacity-text.ts';
export type { FormatCapacityOptions } from './capacity-text.ts';
export { withCapacity, withForecast, withHeadroomTrend } from './data/analyses.ts';
export type { ReportCapacity } from './data/analyses.ts';
