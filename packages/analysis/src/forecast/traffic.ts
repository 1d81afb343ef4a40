/**
 * Traffic growth: headroom shrinks when the peak grows even if the code does not change.
 * The peak is either compounding growth from a known peak (`{ peak: 1500, growth: '4%/month' }`)
 * or the trend of observed peaks (`--traffic peaks.csv`, `time,rate`), fitted by OLS on ln(rate)
 * so that it compounds too (a straight line in log space is a constant growth rate).
 *
 * Forecast headroom = forecast capacity / forecast peak. When both carry uncertainty, each
 * interval is taken at level 1 − (1 − L)/2 and the ratio's interval is [C_low / P_high,
 * C_high / P_low]: by Bonferroni's inequality it covers with probability at least L.
 */
import { olsFit, olsPredict } from './ols.ts';
import { DAY_MS } from './series.ts';
import type { Projection, SeriesPoint } from './series.ts';

/** Where the traffic peak comes from. */
export type TrafficInput =
  /** Compounding growth from `peak` (req/s) at time `since` (epoch ms; default: the last run). */
  | { peak: number; growth: string; since?: number }
  /** Observed peaks (req/s) over time, e.g. Prometheus `max_over_time` exported as CSV. */
  | { observed: readonly SeriesPoint[] };

/** A projected traffic peak. `uncertain` is false for a growth rate the user states. */
export interface TrafficProjection extends Projection {
  uncertain: boolean;
  /** Peak at the start of the forecast (req/s). */
  peakNow: number;
  /** Growth per month as a fraction (0.04 = 4%/month), central estimate. */
  growthPerMonth: number;
}

/** Average month of the Gregorian calendar: 365.25 / 12 days. */
const MONTH_DAYS = 365.25 / 12;
const PERIOD_DAYS: Record<string, number> = { day: 1, week: 7, month: MONTH_DAYS, year: 365.25 };
const GROWTH_RE = /^(-?\d+(?:\.\d+)?)%\s*\/\s*(day|week|month|year)$/;

/** Parses "4%/month" into the compounding growth per day, as ln(1 + g) per day. */
export function parseGrowth(text: string): { logPerDay: number; perMonth: number } {
  const m = GROWTH_RE.exec(text.trim());
  if (!m || Number(m[1]) <= -100) {
    throw new RangeError(`"${text}" is not a growth rate: write a percentage per day, week, month or year, e.g. "4%/month"`);
  }
  const logPerDay = Math.log1p(Number(m[1]) / 100) / (PERIOD_DAYS[m[2] as string] as number);
  return { logPerDay, perMonth: Math.expm1(logPerDay * MONTH_DAYS) };
}

/** Projects the traffic peak from `asOf` (epoch ms, usually the last run). */
export function projectTraffic(input: TrafficInput, asOf: number): TrafficProjection {
  if ('peak' in input) {
    if (!(input.peak > 0)) throw new RangeError(`traffic peak must be > 0, got ${input.peak}`);
    const g = parseGrowth(input.growth);
    const since = input.since ?? asOf;
    const at = (x: number) => input.peak * Math.exp(g.logPerDay * ((x - since) / DAY_MS));
    return { uncertain: false, peakNow: at(asOf), growthPerMonth: g.perMonth, center: at, interval: (x) => ({ low: at(x), high: at(x) }) };
  }
  const pts = input.observed;
  if (pts.length < 4) throw new RangeError(`a traffic trend needs at least 4 observed peaks, got ${pts.length}`);
  if (pts.some((p) => !(p.value > 0))) throw new RangeError('observed traffic peaks must all be > 0');
  const origin = (pts[0] as SeriesPoint).time;
  const day = (x: number) => (x - origin) / DAY_MS;
  const fit = olsFit(
    pts.map((p) => day(p.time)),
    pts.map((p) => Math.log(p.value)),
  );
  const center = (x: number) => Math.exp(fit.intercept + fit.slope * day(x));
  return {
    uncertain: true,
    peakNow: center(asOf),
    growthPerMonth: Math.expm1(fit.slope * MONTH_DAYS),
    center,
    interval: (x, level) => {
      const pi = olsPredict(fit, day(x), level);
      return { low: Math.exp(pi.low), high: Math.exp(pi.high) };
    },
  };
}

/** Headroom = capacity / peak, with the interval described above. */
export function headroomProjection(capacity: Projection, peak: TrafficProjection): Projection {
  return {
    center: (x) => capacity.center(x) / peak.center(x),
    interval: (x, level) => {
      if (!peak.uncertain) {
        const c = capacity.interval(x, level);
        const p = peak.center(x);
        return { low: c.low / p, high: c.high / p };
      }
      const each = 1 - (1 - level) / 2;
      const c = capacity.interval(x, each);
      const p = peak.interval(x, each);
      return { low: c.low / p.high, high: c.high / p.low };
    },
  };
}
