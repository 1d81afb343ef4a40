/**
 * E-Divisive change points (Matteson & James 2014) with the hierarchical bisection and the
 * permutation test as MongoDB runs them in its performance CI (Daly et al., "The Use of
 * Change Point Detection to Identify Software Performance Regressions in a Continuous
 * Integration System", ICPE 2020):
 *   1. in every segment between the change points found so far, find the split with the
 *      largest q̂ (energy-scan.ts); the candidate is the largest over all segments;
 *   2. shuffle the points inside each segment (R times, seeded), take the largest q̂ any
 *      shuffled segment reaches; p = (1 + #{shuffled ≥ observed}) / (R + 1), which is never
 *      0 (Phipson & Smyth 2010, "Permutation p-values should never be zero");
 *   3. accept the candidate when p ≤ the significance level and repeat; stop at the first
 *      candidate that is not significant.
 *
 * Scale: E-Divisive is quadratic with a distance matrix (and the original also maximises over
 * the segment end κ, which makes it cubic). Here κ is the segment's end, as in MongoDB's code,
 * and each scan is O(L log L) exactly (no window, no approximation), so R = 199 permutations
 * of 1,000 points cost a few milliseconds per accepted change point. The last, failing test
 * stops as soon as its p-value can no longer reach the level.
 *
 * A single outlier is not a change point: every segment must hold `minSegment` points (3 by
 * default), so one wild point cannot form a segment of its own, and with α = 1 a single point
 * inside a segment adds about as much to the cross term as to the within term of Ê.
 *
 * Points inside a segment are treated as exchangeable, so a steady trend is itself a change of
 * distribution and gets cut into stairs (level-shift.ts tells those apart), and a step against
 * a trend that brings the series back to levels it had before is not seen at all.
 */
import { EnergyScanner, denseRanks } from './energy-scan.ts';
import { seededRandom, shuffleInPlace } from '../stats/seeded-random.ts';

/** Options of {@link eDivisive}. */
export interface EDivisiveOptions {
  /** Significance level of the permutation test. @default 0.05 */
  pValue?: number;
  /** Permutations per test; the smallest reachable p is 1/(permutations + 1). @default 199 */
  permutations?: number;
  /** Seed of the permutations, so the same series always gives the same change points. @default 1 */
  seed?: number;
  /** Fewest points a segment may hold. @default 3 */
  minSegment?: number;
  /** Stop after this many change points. @default Infinity */
  maxChangePoints?: number;
}

export const E_DIVISIVE_DEFAULTS = {
  pValue: 0.05,
  permutations: 199,
  seed: 1,
  minSegment: 3,
  maxChangePoints: Number.POSITIVE_INFINITY,
} as const;

/** A change point: `index` is the first point of the new regime. */
export interface DetectedChangePoint {
  index: number;
  /** q̂ of the split when it was accepted. */
  qhat: number;
  /** Permutation p-value of the split when it was accepted. */
  p: number;
}

interface Segment {
  start: number;
  end: number;
  rankCount: number;
  best: { index: number; qhat: number };
}

/** Change points of `series`, ordered by index. */
export function eDivisive(series: readonly number[], options: EDivisiveOptions = {}): DetectedChangePoint[] {
  const o = { ...E_DIVISIVE_DEFAULTS, ...options };
  if (!(o.pValue > 0 && o.pValue < 1)) throw new RangeError(`pValue must be in (0, 1), got ${o.pValue}`);
  if (1 / (o.permutations + 1) > o.pValue) {
    throw new RangeError(`${o.permutations} permutations cannot reach p ≤ ${o.pValue}; use at least ${Math.ceil(1 / o.pValue) - 1}`);
  }
  if (!(o.minSegment >= 2)) throw new RangeError(`minSegment must be at least 2, got ${o.minSegment}`);
  const n = series.length;
  const values = Float64Array.from(series);
  const ranks = new Int32Array(n);
  const scanner = new EnergyScanner(n);
  const random = seededRandom(o.seed);

  const makeSegment = (start: number, end: number): Segment => {
    const rankCount = denseRanks(values, start, end, ranks);
    const order = Int32Array.from({ length: end - start }, (_, i) => start + i);
    const split = scanner.best(values, ranks, order, rankCount, o.minSegment);
    return { start, end, rankCount, best: { index: split.index < 0 ? -1 : start + split.index, qhat: split.qhat } };
  };

  const segments: Segment[] = [makeSegment(0, n)];
  const found: DetectedChangePoint[] = [];
  while (found.length < o.maxChangePoints) {
    let at = -1;
    for (let i = 0; i < segments.length; i++) {
      const s = segments[i] as Segment;
      if (s.best.index >= 0 && (at < 0 || s.best.qhat > (segments[at] as Segment).best.qhat)) at = i;
    }
    if (at < 0) break;
    const candidate = (segments[at] as Segment).best;
    const p = permutationP(candidate.qhat, segments, values, ranks, scanner, random, o);
    if (p === null) break;
    found.push({ index: candidate.index, qhat: candidate.qhat, p });
    const s = segments[at] as Segment;
    segments.splice(at, 1, makeSegment(s.start, candidate.index), makeSegment(candidate.index, s.end));
  }
  return found.sort((a, b) => a.index - b.index);
}

/** The permutation p-value of `observed`, or null as soon as it cannot be ≤ the level. */
function permutationP(
  observed: number,
  segments: readonly Segment[],
  values: Float64Array,
  ranks: Int32Array,
  scanner: EnergyScanner,
  random: () => number,
  o: Required<EDivisiveOptions>,
): number | null {
  const R = o.permutations;
  const orders = segments
    .filter((s) => s.end - s.start >= 2 * o.minSegment)
    .map((s) => ({ s, order: Int32Array.from({ length: s.end - s.start }, (_, i) => s.start + i) }));
  const maxExceed = Math.floor(o.pValue * (R + 1)) - 1; // p ≤ level ⇔ exceed ≤ this
  let exceed = 0;
  for (let r = 0; r < R; r++) {
    let top = Number.NEGATIVE_INFINITY;
    for (const { s, order } of orders) {
      shuffleInPlace(order, random);
      const q = scanner.best(values, ranks, order, s.rankCount, o.minSegment).qhat;
      if (q > top) top = q;
    }
    if (top >= observed && ++exceed > maxExceed) return null;
  }
  return (1 + exceed) / (R + 1);
}
