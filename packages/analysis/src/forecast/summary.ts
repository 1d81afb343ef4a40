/**
 * The one-sentence summary of a forecast, in the style capacity planners read:
 * "Capacity headroom went from 1.30x (a1b2c3d, 2026-09-01) to 1.55x (e4f5a6b, 2026-11-30);
 *  at the current trend it falls below the 1.3x budget on 2027-04-12 (80%: 2027-03-01 … 2027-06-20)".
 * A pure function of the result, so every renderer (text, Markdown, JSON) says the same thing.
 */
import type { ForecastResult } from './forecast.ts';
import { isoDate } from './series.ts';
import type { SeriesPoint } from './series.ts';

/** How the summary names and formats the metric. */
export interface SummaryOptions {
  /** The metric's name at the start of the sentence. @default 'The metric' */
  label?: string;
  /** Formats a value of the metric (and the budget). @default 3 significant digits */
  format?: (value: number) => string;
}

/** Builds the summary sentence of `r`. */
export function forecastSummary(r: Omit<ForecastResult, 'summary'>, options: SummaryOptions = {}): string {
  const fmt = options.format ?? ((v: number) => v.toPrecision(3));
  const label = options.label ?? 'The metric';
  const pts = r.points;
  const first = pts[0];
  const last = pts.at(-1);
  if (!first || !last) return `${label}: no points`;
  const basis = r.trend?.basis ?? 'time';
  const when = (x: number) => (basis === 'time' ? isoDate(x) : `release ${Math.ceil(x)}`);
  const parts = [
    pts.length === 1
      ? `${label} is ${fmt(first.value)} (${where(first)})`
      : `${label} went from ${fmt(first.value)} (${where(first)}) to ${fmt(last.value)} (${where(last)})`,
  ];
  const cp = r.changePoints.at(-1);
  if (cp) {
    const sign = cp.changePct >= 0 ? '+' : '';
    parts.push(
      `it changed from ${fmt(cp.before)} to ${fmt(cp.after)} (${sign}${cp.changePct.toFixed(1)}%) at ${where(pts[cp.index] as SeriesPoint)}`,
    );
  }
  if (!r.trend || !r.forecast) {
    parts.push(r.notes[0] ?? 'no trend');
    return parts.join('; ');
  }
  const trendName = r.traffic
    ? `the current trend and ${(r.traffic.growthPerMonth * 100).toFixed(1)}%/month traffic growth`
    : 'the current trend';
  const iv = r.forecast.intervals[0];
  const ivText = iv ? `, ${pct(iv.level)}: ${fmt(iv.low)} … ${fmt(iv.high)}` : '';
  const bad = r.direction === 'below' ? 'falls below' : 'rises above';
  const good = r.direction === 'below' ? 'stays above' : 'stays below';
  const c = r.crossing;
  const budget = r.budget === null ? '' : fmt(r.budget);
  if (c === null) {
    parts.push(`at ${trendName} it will be ${fmt(r.forecast.value)} in ${r.forecast.horizon} (${when(r.forecast.at)}${ivText})`);
  } else if (c.status === 'crosses') {
    const range =
      c.high === null
        ? `${pct(c.level)}: from ${when(c.low ?? c.at)}, with no latest date at this uncertainty`
        : `${pct(c.level)}: ${when(c.low ?? c.at)} … ${when(c.high)}`;
    parts.push(`at ${trendName} it ${bad} the ${budget} budget on ${when(c.at)} (${range})`);
  } else if (c.status === 'not-within-horizon') {
    const later = c.at === null ? '' : `; it would cross on ${when(c.at)}`;
    parts.push(
      `at ${trendName} it ${good} the ${budget} budget through the ${r.forecast.horizon} horizon (${fmt(r.forecast.value)} then${ivText})${later}`,
    );
  } else if (c.status === 'never-at-this-trend') {
    const per = basis === 'time' ? 'day' : 'release';
    parts.push(
      `at ${trendName} (${r.trend.slope >= 0 ? '+' : ''}${r.trend.slope.toPrecision(2)}/${per}) it never ${bad.split(' ')[0]} ${bad.split(' ')[1]} the ${budget} budget`,
    );
  } else {
    parts.push(`the trend is already ${r.direction} the ${budget} budget`);
  }
  return parts.join('; ');
}

function where(p: SeriesPoint): string {
  return p.sha ? `${p.sha.slice(0, 7)}, ${isoDate(p.time)}` : isoDate(p.time);
}

function pct(level: number): string {
  return `${Number((level * 100).toPrecision(4))}%`;
}
