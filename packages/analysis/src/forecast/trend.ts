/**
 * The trend of a metric since its last change point (a level shift is not a trend): a line
 * fitted by OLS or Theil–Sen over time (slope per day) or over the release index (slope per
 * release), and its projection with prediction intervals.
 *
 * OLS intervals are the exact t-based prediction intervals under independent normal errors.
 * Theil–Sen has no standard prediction interval; its projection reuses the OLS formula with the
 * residual SD around the Theil–Sen line (an approximation, said so in the method name's docs).
 */
import { olsFit, predictionSe } from './ols.ts';
import type { OlsFit } from './ols.ts';
import { DAY_MS } from './series.ts';
import type { Projection, SeriesPoint } from './series.ts';
import { studentTCritical } from '../stats/student-t.ts';
import { theilSen } from './theil-sen.ts';

/** How the line is fitted: least squares (exact intervals) or Theil–Sen (robust slope, approximate intervals). */
export type TrendMethod = 'ols' | 'theil-sen';
/** What the slope is per: a day of wall-clock time, or a release (one point). */
export type TrendBasis = 'time' | 'index';

/** Options of {@link fitTrend}. */
export interface TrendOptions {
  /** @default 'ols' */
  method?: TrendMethod;
  /** @default 'time' */
  basis?: TrendBasis;
}

export const TREND_DEFAULTS = { method: 'ols', basis: 'time' } as const;

/** Fewest points a trend is fitted on. */
export const MIN_TREND_POINTS = 4;

/** A fitted trend and its projection (x = epoch ms for basis 'time', the release index for 'index'). */
export interface Trend {
  method: TrendMethod;
  basis: TrendBasis;
  /** Index (in the whole series) of the first point the line is fitted on. */
  fromIndex: number;
  n: number;
  /** Change of the metric per day (basis 'time') or per release (basis 'index'). */
  slope: number;
  /** OLS standard error of the slope (for Theil–Sen: of the OLS slope on the same points). */
  slopeSe: number;
  residualSd: number;
  projection: Projection;
}

/**
 * Fits the trend of `points[fromIndex…]` (which must be sorted by time). Throws RangeError
 * with fewer than {@link MIN_TREND_POINTS} points or when all x coincide.
 */
export function fitTrend(points: readonly SeriesPoint[], fromIndex: number, options: TrendOptions = {}): Trend {
  const o = { ...TREND_DEFAULTS, ...options };
  const seg = points.slice(fromIndex);
  if (seg.length < MIN_TREND_POINTS) throw new RangeError(`a trend needs at least ${MIN_TREND_POINTS} points, got ${seg.length}`);
  const origin = o.basis === 'time' ? (seg[0] as SeriesPoint).time : 0;
  // x in days since the trend's first point keeps the sums well conditioned.
  const toX = (x: number) => (o.basis === 'time' ? (x - origin) / DAY_MS : x);
  const xs = seg.map((p, i) => (o.basis === 'time' ? toX(p.time) : fromIndex + i));
  const ys = seg.map((p) => p.value);
  const ols = olsFit(xs, ys);
  const line = o.method === 'ols' ? ols : theilSen(xs, ys);
  const model: OlsFit = { ...ols, slope: line.slope, intercept: line.intercept, residualSd: line.residualSd };
  const t = new Map<number, number>();
  const critical = (level: number) => {
    let c = t.get(level);
    if (c === undefined) t.set(level, (c = studentTCritical(level, model.df)));
    return c;
  };
  const projection: Projection = {
    center: (x) => model.intercept + model.slope * toX(x),
    interval: (x, level) => {
      const c = model.intercept + model.slope * toX(x);
      const half = critical(level) * predictionSe(model, toX(x));
      return { low: c - half, high: c + half };
    },
  };
  return {
    method: o.method,
    basis: o.basis,
    fromIndex,
    n: seg.length,
    slope: line.slope,
    slopeSe: ols.slopeSe,
    residualSd: line.residualSd,
    projection,
  };
}
