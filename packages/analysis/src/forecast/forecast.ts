/**
 * The forecast of one series (a scenario's history, or `--series file.csv`): change points,
 * the trend since the last one, the value at the horizon with its interval, and when the
 * metric crosses its budget — optionally as capacity divided by a growing traffic peak.
 */
import { median } from '../median-ci.ts';
import { findCrossing } from './crossing.ts';
import type { BudgetDirection, Crossing } from './crossing.ts';
import { E_DIVISIVE_DEFAULTS, eDivisive } from './e-divisive.ts';
import type { EDivisiveOptions } from './e-divisive.ts';
import { parseHorizon } from './horizon.ts';
import { keepLevelShifts } from './level-shift.ts';
import { DAY_MS } from './series.ts';
import type { Projection, SeriesPoint } from './series.ts';
import { forecastSummary } from './summary.ts';
import type { SummaryOptions } from './summary.ts';
import { projectTraffic, headroomProjection } from './traffic.ts';
import type { TrafficInput, TrafficProjection } from './traffic.ts';
import { MIN_TREND_POINTS, fitTrend } from './trend.ts';
import type { Trend, TrendBasis, TrendMethod } from './trend.ts';

/** Options of {@link forecastSeries}. */
export interface ForecastOptions {
  /** How far ahead: "90d", "12w", "1y", or "10r" (releases, with basis 'index'). @default '90d' */
  horizon?: string;
  /** The budget whose crossing is sought; none → no crossing. */
  budget?: number;
  /** Which side of the budget is bad. @default 'below' */
  direction?: BudgetDirection;
  /** @default 'ols' */
  method?: TrendMethod;
  /** Slope per day ('time') or per release ('index'). @default 'time' */
  basis?: TrendBasis;
  /** Interval levels; the first is the one the JSON contract and the summary show. @default [0.8, 0.95] */
  levels?: readonly number[];
  /** Options of the change point detection. @default E_DIVISIVE_DEFAULTS */
  changePoints?: EDivisiveOptions;
  /** Traffic growth: the series is then capacity (req/s), and the forecast is of headroom = capacity / peak. */
  traffic?: TrafficInput;
  /** How the summary names and formats the metric. */
  summary?: SummaryOptions;
}

export const FORECAST_DEFAULTS = { horizon: '90d', direction: 'below', method: 'ols', basis: 'time', levels: [0.8, 0.95] } as const;

/** Years a crossing is searched for before the trend counts as never reaching the budget. */
export const CROSSING_SEARCH_YEARS = 100;

/** A change point as reported: levels are the medians of the segments on either side. */
export interface ChangePointReport {
  /** Index of the first point of the new level. */
  index: number;
  time: number;
  sha: string | null;
  /** Median of the segment before (from the previous change point). */
  before: number;
  /** Median of the segment after (up to the next change point). */
  after: number;
  /** (after − before) / before, in %. */
  changePct: number;
  p: number;
}

/** The value at the horizon, with intervals at every requested level. */
export interface HorizonForecast {
  horizon: string;
  /** x at the horizon: epoch ms (basis 'time') or release index (basis 'index'). */
  at: number;
  value: number;
  intervals: Array<{ level: number; low: number; high: number }>;
}

/** Everything {@link forecastSeries} found; `forecastJson` turns it into the `--json` contract. */
export interface ForecastResult {
  points: readonly SeriesPoint[];
  changePoints: ChangePointReport[];
  /** Null when fewer than MIN_TREND_POINTS points follow the last change point. */
  trend: Trend | null;
  forecast: HorizonForecast | null;
  /** Null without a budget or without a trend. */
  crossing: Crossing | null;
  budget: number | null;
  direction: BudgetDirection;
  traffic: TrafficProjection | null;
  /** Notes for people: why there is no trend, what was skipped. */
  notes: string[];
  summary: string;
}

/** Analyses `points` (any order; sorted by time here). */
export function forecastSeries(input: readonly SeriesPoint[], options: ForecastOptions = {}): ForecastResult {
  const o = { ...FORECAST_DEFAULTS, ...options };
  const points = [...input].sort((a, b) => a.time - b.time);
  const horizon = parseHorizon(o.horizon);
  if ((horizon.unit === 'releases') !== (o.basis === 'index')) {
    throw new RangeError(
      `horizon "${o.horizon}" does not fit basis '${o.basis}': use days/weeks/years with 'time', releases ("10r") with 'index'`,
    );
  }
  const notes: string[] = [];
  const values = points.map((p) => p.value);
  const found = eDivisive(values, o.changePoints);
  // Keep the level shifts; drop the change points that are steps of a trend (level-shift.ts).
  const xs = points.map((p, i) => (o.basis === 'time' ? (p.time - (points[0] as SeriesPoint).time) / DAY_MS : i));
  const cpo = { ...E_DIVISIVE_DEFAULTS, ...o.changePoints };
  const kept = new Set(
    keepLevelShifts(
      xs,
      values,
      found.map((c) => c.index),
      {
        alpha: cpo.pValue,
        permutations: cpo.permutations,
        seed: cpo.seed,
        minSegment: cpo.minSegment,
      },
    ),
  );
  const dropped = found.length - kept.size;
  if (dropped > 0)
    notes.push(`${dropped} change point${dropped === 1 ? '' : 's'} inside a trend (no significant step beyond the line) not reported`);
  const changePoints = reportChangePoints(
    points,
    found.filter((c) => kept.has(c.index)),
  );
  const from = changePoints.at(-1)?.index ?? 0;
  const base = { points, changePoints, budget: o.budget ?? null, direction: o.direction, notes };
  if (points.length - from < MIN_TREND_POINTS) {
    notes.unshift(
      from === 0
        ? `no trend: ${points.length} point${points.length === 1 ? '' : 's'}, at least ${MIN_TREND_POINTS} are needed`
        : `no trend: ${points.length - from} point${points.length - from === 1 ? '' : 's'} since the last change point, at least ${MIN_TREND_POINTS} are needed`,
    );
    const partial = { ...base, trend: null, forecast: null, crossing: null, traffic: null };
    return { ...partial, summary: forecastSummary(partial, o.summary) };
  }
  const trend = fitTrend(points, from, { method: o.method, basis: o.basis });
  const last = points.at(-1) as SeriesPoint;
  const lastX = o.basis === 'time' ? last.time : points.length - 1;
  const traffic = o.traffic ? projectTraffic(o.traffic, last.time) : null;
  if (traffic && o.basis !== 'time') throw new RangeError("traffic growth needs basis 'time'");
  const projection: Projection = traffic ? headroomProjection(trend.projection, traffic) : trend.projection;
  const at = horizon.unit === 'time' ? lastX + horizon.ms : lastX + horizon.releases;
  if (horizon.unit === 'time') {
    const span = last.time - (points[from] as SeriesPoint).time;
    if (span < horizon.ms * MIN_SPAN_OF_HORIZON)
      notes.push(
        `the trend's ${points.length - from} runs span ${formatSpan(span)}: a forecast ${o.horizon} ahead extrapolates ${Math.round(horizon.ms / Math.max(span, 1)).toLocaleString('en-US')}x beyond them; read it as where the line goes, not a prediction (the HTML report shows none below a tenth of the horizon; --per release trends per release)`,
      );
  }
  const forecast: HorizonForecast = {
    horizon: o.horizon,
    at,
    value: projection.center(at),
    intervals: o.levels.map((level) => ({ level, ...projection.interval(at, level) })),
  };
  const crossing =
    o.budget === undefined
      ? null
      : findCrossing(projection, {
          budget: o.budget,
          direction: o.direction,
          from: lastX,
          horizonEnd: at,
          level: o.levels[0] ?? 0.8,
          step: o.basis === 'time' ? DAY_MS : 1,
          searchEnd: o.basis === 'time' ? lastX + CROSSING_SEARCH_YEARS * 365.25 * DAY_MS : lastX + 100 * (at - lastX),
        });
  const partial = { ...base, trend, forecast, crossing, traffic };
  return { ...partial, summary: forecastSummary(partial, o.summary) };
}

/**
 * A history must span at least this share of the horizon for its forecast to be more than where
 * the line goes: a trend of runs made minutes apart says nothing about 90 days ahead. Shorter ones
 * get a note here, and the report draws no forecast for them.
 */
export const MIN_SPAN_OF_HORIZON = 1 / 10;

/** A duration in the largest unit that keeps it readable: 55_000 → "55 s", 5_400_000 → "1.5 h", 3 days → "3.0 d". */
export function formatSpan(ms: number): string {
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)} min`;
  if (ms < 2 * DAY_MS) return `${(ms / 3_600_000).toFixed(1)} h`;
  return `${(ms / DAY_MS).toFixed(1)} d`;
}

function reportChangePoints(points: readonly SeriesPoint[], found: ReadonlyArray<{ index: number; p: number }>): ChangePointReport[] {
  const bounds = [0, ...found.map((c) => c.index), points.length];
  const values = points.map((p) => p.value);
  return found.map((c, i) => {
    const before = median(values.slice(bounds[i], bounds[i + 1]));
    const after = median(values.slice(bounds[i + 1], bounds[i + 2]));
    const p = points[c.index] as SeriesPoint;
    return { index: c.index, time: p.time, sha: p.sha ?? null, before, after, changePct: ((after - before) / before) * 100, p: c.p };
  });
}
