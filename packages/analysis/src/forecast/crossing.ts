/**
 * When a projected metric crosses its budget. The central line gives the date; the interval of
 * dates is where the prediction-interval bounds cross (the earliest where the bound on the bad
 * side does, the latest where the bound on the good side does) — the inverse-prediction
 * interval of calibration (Draper & Smith, Applied Regression Analysis, 3rd ed., §3.2), found
 * numerically so the same code serves a capacity trend divided by a growing traffic peak.
 */
import type { Projection } from './series.ts';

/** Which side of the budget is bad: headroom falls 'below', p99 or RSS rises 'above'. */
export type BudgetDirection = 'below' | 'above';

/** When the metric crosses its budget. x values are epoch ms (time basis) or release indices. */
export type Crossing =
  | { status: 'crosses'; at: number; low: number | null; high: number | null; level: number }
  /** The central line crosses after the horizon (`at`), or not within the search span (null). */
  | { status: 'not-within-horizon'; at: number | null }
  /** The trend moves away from the budget (or is flat): no crossing within the search span. */
  | { status: 'never-at-this-trend' }
  /** The latest projected value is already on the bad side. */
  | { status: 'already-past' };

/** Options of {@link findCrossing}. */
export interface CrossingOptions {
  budget: number;
  direction: BudgetDirection;
  /** x of the last observation: the search starts there. */
  from: number;
  /** x at the end of the horizon. */
  horizonEnd: number;
  /** x at which the search gives up (the result is then 'never-at-this-trend'). */
  searchEnd: number;
  /** Grid step of the search in x units (a day, a release). */
  step: number;
  /** Interval level of the dates. */
  level: number;
}

/** Finds the crossing of `projection` with the budget. */
export function findCrossing(projection: Projection, o: CrossingOptions): Crossing {
  const past = (v: number) => (o.direction === 'below' ? v < o.budget : v > o.budget);
  const center = (x: number) => projection.center(x);
  if (past(center(o.from))) return { status: 'already-past' };
  const at = firstPast(center, past, o);
  if (at === null) return { status: 'never-at-this-trend' };
  if (at > o.horizonEnd) return { status: 'not-within-horizon', at };
  const badBound = (x: number) => (o.direction === 'below' ? projection.interval(x, o.level).low : projection.interval(x, o.level).high);
  const goodBound = (x: number) => (o.direction === 'below' ? projection.interval(x, o.level).high : projection.interval(x, o.level).low);
  return { status: 'crosses', at, low: firstPast(badBound, past, o), high: firstPast(goodBound, past, o), level: o.level };
}

/** First x in [from, searchEnd] where f is past the budget: grid scan, then bisection to step/10⁴. */
function firstPast(f: (x: number) => number, past: (v: number) => boolean, o: CrossingOptions): number | null {
  if (past(f(o.from))) return o.from;
  let prev = o.from;
  for (let x = o.from + o.step; x <= o.searchEnd + o.step; x += o.step) {
    const xx = Math.min(x, o.searchEnd);
    if (past(f(xx))) {
      let lo = prev;
      let hi = xx;
      while (hi - lo > o.step * 1e-4) {
        const mid = 0.5 * (lo + hi);
        if (past(f(mid))) hi = mid;
        else lo = mid;
      }
      return hi;
    }
    prev = xx;
    if (xx === o.searchEnd) break;
  }
  return null;
}
