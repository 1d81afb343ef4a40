/**
 * What the text and Markdown forecasts share: which history rows a compact table shows, and
 * the sentences for the trend, the forecast and the crossing, so both say the same thing.
 */
import { isoDate } from '@headroom/analysis';
import type { ForecastResult, SeriesPoint } from '@headroom/analysis';
import { formatMetric } from './units.ts';

/** A stored run behind a point of the history, when the series came from the store. */
export interface ForecastRunInfo {
  id: string;
  branch: string | null;
  dirty: boolean | null;
  status: string;
}

/** What a forecast report shows. */
export interface ForecastReportInput {
  /** "orders-api: headroom", or the series file's name. */
  title: string;
  /** The metric's unit ('ms', 'us', 'ns', 'req/s', 'MB', 'x', or '' for a user's series). */
  unit: string;
  /** Unit of the forecast, the budget and the crossing when it differs: 'x' for capacity over a traffic peak. @default unit */
  forecastUnit?: string;
  result: ForecastResult;
  /** The run of each point, in the order of `result.points`; absent for `--series`. */
  runs?: readonly ForecastRunInfo[];
  /** Notes from reading the history (runs left out or skipped); the result's own notes are added. */
  notes?: readonly string[];
  /** Most history rows the table shows; the rest are summarised as "… n more". @default 16 */
  maxRows?: number;
}

export const FORECAST_REPORT_DEFAULTS = { maxRows: 16 } as const;

/** One row of the history table, or a gap standing for the rows left out. */
export type HistoryRow =
  | {
      kind: 'point';
      index: number;
      point: SeriesPoint;
      run: ForecastRunInfo | undefined;
      change: ForecastResult['changePoints'][number] | undefined;
    }
  | { kind: 'gap'; count: number };

/**
 * The rows of a compact history: the first two and last five points, each change point with
 * the point before it, and the first point of the trend; everything between becomes a gap.
 */
export function historyRows(input: ForecastReportInput): HistoryRow[] {
  const pts = input.result.points;
  const maxRows = input.maxRows ?? FORECAST_REPORT_DEFAULTS.maxRows;
  const changes = new Map(input.result.changePoints.map((c) => [c.index, c]));
  const keep = new Set<number>();
  if (pts.length <= maxRows) pts.forEach((_, i) => keep.add(i));
  else {
    for (const i of [0, 1, pts.length - 5, pts.length - 4, pts.length - 3, pts.length - 2, pts.length - 1]) keep.add(i);
    for (const c of input.result.changePoints) {
      keep.add(c.index - 1);
      keep.add(c.index);
    }
    if (input.result.trend) keep.add(input.result.trend.fromIndex);
  }
  const rows: HistoryRow[] = [];
  let gap = 0;
  pts.forEach((point, index) => {
    if (!keep.has(index)) {
      gap++;
      return;
    }
    if (gap > 0) rows.push({ kind: 'gap', count: gap });
    gap = 0;
    rows.push({ kind: 'point', index, point, run: input.runs?.[index], change: changes.get(index) });
  });
  if (gap > 0) rows.push({ kind: 'gap', count: gap });
  return rows;
}

/** "2026-11-30", or with the time of day when several points share a day. */
export function timeFormatter(points: readonly SeriesPoint[]): (t: number) => string {
  const days = new Set(points.map((p) => isoDate(p.time)));
  const withTime = days.size < points.length;
  return (t) => (withTime ? new Date(t).toISOString().slice(0, 16).replace('T', ' ') : isoDate(t));
}

/** "+18.2% (p=0.005)" */
export function changeText(c: ForecastResult['changePoints'][number], unit: string): string {
  return `${formatMetric(c.before, unit)} → ${formatMetric(c.after, unit)} (${c.changePct >= 0 ? '+' : ''}${c.changePct.toFixed(1)}%, p=${c.p.toPrecision(2)})`;
}

/** A slope with enough digits to read: "-0.0031x/day", "+1.2ms/release". */
export function slopeText(slope: number, unit: string, per: 'day' | 'release'): string {
  const scaled = unit === 'ms' || unit === 'us' || unit === 'ns';
  const body = scaled
    ? formatMetric(Math.abs(slope), unit)
    : `${Number(Math.abs(slope).toPrecision(3))}${unit === 'x' ? 'x' : unit === '' ? '' : ` ${unit}`}`;
  return `${slope < 0 ? '-' : '+'}${body}/${per}`;
}

/** The trend, forecast, traffic and crossing as [label, text] pairs of plain text (no markup). */
export function outlookLines(input: ForecastReportInput): Array<[string, string]> {
  const r = input.result;
  const fmt = (v: number) => formatMetric(v, input.forecastUnit ?? input.unit);
  const lines: Array<[string, string]> = [];
  const t = r.trend;
  if (!t) return lines;
  const per = t.basis === 'time' ? 'day' : 'release';
  const when = (x: number) => (t.basis === 'time' ? isoDate(x) : `release ${Math.ceil(x)}`);
  const from = r.points[t.fromIndex] as SeriesPoint;
  lines.push([
    'trend',
    `${slopeText(t.slope, input.unit, per)} (${t.method === 'ols' ? 'OLS' : 'Theil–Sen'}, ${t.n} points since ${isoDate(from.time)}${t.fromIndex > 0 ? ', the last change point' : ''})`,
  ]);
  const f = r.forecast;
  if (f) {
    const ivs = f.intervals.map((iv) => `${Number((iv.level * 100).toPrecision(4))}%: ${fmt(iv.low)} … ${fmt(iv.high)}`).join('; ');
    lines.push(['forecast', `${fmt(f.value)} in ${f.horizon} (${when(f.at)}; ${ivs})`]);
  }
  if (r.traffic) {
    lines.push([
      'traffic',
      `peak ${formatMetric(r.traffic.peakNow, 'req/s')} now, growing ${(r.traffic.growthPerMonth * 100).toFixed(1)}%/month${r.traffic.uncertain ? ' (fitted to the observed peaks)' : ''}: headroom = capacity / peak`,
    ]);
  }
  const c = r.crossing;
  const budget = r.budget === null ? null : fmt(r.budget);
  if (budget === null || c === null) lines.push(['budget', 'none given, so no crossing date (--budget X)']);
  else if (c.status === 'crosses') {
    const range =
      c.high === null ? `from ${when(c.low ?? c.at)}, no latest date at this uncertainty` : `${when(c.low ?? c.at)} … ${when(c.high)}`;
    lines.push(['crossing', `${r.direction} ${budget} on ${when(c.at)} (${Number((c.level * 100).toPrecision(4))}%: ${range})`]);
  } else if (c.status === 'not-within-horizon')
    lines.push(['crossing', `not within the horizon${c.at === null ? '' : ` (the trend reaches ${budget} on ${when(c.at)})`}`]);
  else if (c.status === 'never-at-this-trend') lines.push(['crossing', `never at this trend (it moves away from ${budget})`]);
  else lines.push(['crossing', `already ${r.direction} ${budget}`]);
  return lines;
}

/** Notes from the history and from the analysis, without repeats. */
export function allNotes(input: ForecastReportInput): string[] {
  return [...new Set([...(input.notes ?? []), ...input.result.notes])];
}
