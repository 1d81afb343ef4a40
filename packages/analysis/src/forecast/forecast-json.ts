/**
 * The `--json` contract of `headroom forecast`:
 *   { points: n, changePoints: [{ index, time, sha, before, after, changePct, p }],
 *     trend: { from, slopePerDay, method }, forecast: { horizon, value, low, high },
 *     crossing: { time, low, high } | null, summary }
 * Times are ISO 8601 (UTC). low/high are at the first requested level (80% by default).
 * With basis 'index', slopePerDay is null, slopePerRelease is added, and crossing times are
 * release indices. A crossing that is not inside the horizon is null; the summary says why.
 */
import type { ForecastResult } from './forecast.ts';
import type { SeriesPoint } from './series.ts';

/** The machine-readable forecast, as scripts rely on it. */
export interface ForecastJson {
  points: number;
  changePoints: Array<{ index: number; time: string; sha: string | null; before: number; after: number; changePct: number; p: number }>;
  trend: { from: string; slopePerDay: number | null; slopePerRelease?: number; method: string } | null;
  forecast: { horizon: string; value: number; low: number; high: number } | null;
  crossing: { time: string | number; low: string | number | null; high: string | number | null } | null;
  summary: string;
}

/** Maps a forecast result onto the JSON contract. */
export function forecastJson(r: ForecastResult): ForecastJson {
  const iso = (t: number) => new Date(t).toISOString();
  const byTime = r.trend?.basis !== 'index';
  const x = (v: number) => (byTime ? iso(v) : v);
  const iv = r.forecast?.intervals[0];
  const c = r.crossing;
  return {
    points: r.points.length,
    changePoints: r.changePoints.map((cp) => ({
      index: cp.index,
      time: iso(cp.time),
      sha: cp.sha,
      before: cp.before,
      after: cp.after,
      changePct: cp.changePct,
      p: cp.p,
    })),
    trend: r.trend
      ? {
          from: iso((r.points[r.trend.fromIndex] as SeriesPoint).time),
          slopePerDay: byTime ? r.trend.slope : null,
          ...(byTime ? {} : { slopePerRelease: r.trend.slope }),
          method: r.trend.method,
        }
      : null,
    forecast: r.forecast && iv ? { horizon: r.forecast.horizon, value: r.forecast.value, low: iv.low, high: iv.high } : null,
    crossing:
      c?.status === 'crosses' ? { time: x(c.at), low: c.low === null ? null : x(c.low), high: c.high === null ? null : x(c.high) } : null,
    summary: r.summary,
  };
}
