/**
 * The shapes a forecast works on: one point per run (or per row of a user's CSV), and a
 * projection of a metric into the future with its intervals.
 */

/** One observation of a metric: a run's capacity, headroom, p99, or a row of `--series file.csv`. */
export interface SeriesPoint {
  /** Epoch milliseconds. */
  time: number;
  value: number;
  /** Git commit of the run, when known. */
  sha?: string;
}

/** A central interval of a projected value. */
export interface Bounds {
  low: number;
  high: number;
}

/**
 * A metric projected over x: epoch milliseconds for a time-based trend, the release index
 * for an index-based one.
 */
export interface Projection {
  /** The central estimate at x. */
  center(x: number): number;
  /** The prediction interval of a new observation at x, at `level` (0.8 = 80%). */
  interval(x: number, level: number): Bounds;
}

/** Milliseconds per day. */
export const DAY_MS = 86_400_000;

/** 2026-11-30: the UTC date of an epoch-ms time. */
export function isoDate(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}
