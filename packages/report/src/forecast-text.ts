/**
 * The terminal forecast: the history as a compact table with change points marked, the trend,
 * the forecast and the crossing, the notes, and the one summary sentence last. Rows are numbered
 * from 0 as the JSON's `index` and the releases of a per-release trend are.
 */
import { formatTable, painter } from './table.ts';
import { allNotes, changeText, historyRows, outlookLines, timeFormatter } from './forecast-parts.ts';
import type { ForecastReportInput } from './forecast-parts.ts';
import { formatMetric } from './units.ts';

/** Options of {@link formatForecastText}. */
export interface FormatForecastTextOptions {
  /** ANSI colours. @default false */
  color?: boolean;
}

/** Renders a forecast for the terminal. */
export function formatForecastText(input: ForecastReportInput, options: FormatForecastTextOptions = {}): string {
  const paint = painter(options.color ?? false);
  const r = input.result;
  const when = timeFormatter(r.points);
  const fromRuns = input.runs !== undefined;
  const header = ['i', 'time', 'sha', ...(fromRuns ? ['branch'] : []), 'value', 'change', ...(fromRuns ? ['run'] : [])];
  const rows = historyRows(input).map((row) => {
    if (row.kind === 'gap')
      return ['', paint('dim', `… ${row.count} more`), '', ...(fromRuns ? [''] : []), '', '', ...(fromRuns ? [''] : [])];
    const p = row.point;
    const flags = row.run ? `${row.run.dirty ? '+dirty' : ''}${row.run.status !== 'completed' ? ` ${row.run.status}` : ''}` : '';
    const trendStart = r.trend && r.trend.fromIndex === row.index && row.index > 0 && !row.change ? paint('dim', 'trend from here') : '';
    return [
      String(row.index),
      when(p.time),
      p.sha ? p.sha.slice(0, 7) : '-',
      ...(fromRuns ? [row.run?.branch ?? '-'] : []),
      formatMetric(p.value, input.unit),
      row.change ? paint('yellow', `◀ change ${changeText(row.change, input.unit)}`) : trendStart,
      ...(fromRuns ? [`${row.run?.id ?? ''}${flags}`] : []),
    ];
  });
  const right = header.map((h) => h === 'i' || h === 'value');
  const out = [
    paint(
      'bold',
      `${input.title} — ${r.points.length} point${r.points.length === 1 ? '' : 's'}, ${r.changePoints.length} change point${r.changePoints.length === 1 ? '' : 's'}`,
    ),
    '',
  ];
  if (r.points.length > 0) out.push(formatTable(header, rows, { rightAlign: right }), '');
  const outlook = outlookLines(input);
  if (outlook.length > 0) out.push(...outlook.map(([label, text]) => `${label.padEnd(10)}${text}`), '');
  const notes = allNotes(input);
  if (notes.length > 0) out.push(...notes.map((n) => paint('dim', `note: ${n}`)), '');
  out.push(r.summary);
  return out.join('\n');
}
