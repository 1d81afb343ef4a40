/**
 * Is a change point a level shift, or just a piece of a trend? E-Divisive sees any change of
 * distribution, and a steady decline is one: given enough points it cuts a slope into stairs.
 * A forecast must fit the trend since the last *level shift*, so each change point is checked
 * against the model "one line plus a step" over the span between its neighbours:
 *   y = β₀ + β₁·x + δ·[i ≥ c] + ε.
 * The statistic is the step's t value. By the Frisch–Waugh–Lovell theorem (Davidson &
 * MacKinnon, Econometric Theory and Methods, §2.4) it needs only the residuals r of the line:
 *   Σr_s² = n₁(1 − n₁/m) − Q_c²/Sxx,  δ = R_c / Σr_s²,  RSS = Σr² − R_c²/Σr_s²,
 * with n₁ points at or after c, Q_c and R_c the sums of (x − x̄) and of r over them — O(1) per c.
 *
 * The location was chosen by the data (E-Divisive put it where the series looks most like a
 * step), so the plain t test would be far too willing (the sup-t problem: Andrews 1993,
 * Econometrica 61(4)). The null distribution is therefore that of the *largest* |t| over all
 * locations, from permuting the line's residuals (Freedman & Lane 1983, J. Bus. Econ. Stat.
 * 1(4)), seeded. The weakest change point is dropped first and its neighbours re-tested, as in
 * the merge step of Hunter (Fleming et al., ICPE 2023), at alpha divided by the number still
 * standing (Bonferroni).
 */
import { seededRandom } from '../stats/seeded-random.ts';

/** Options of {@link keepLevelShifts}. */
export interface LevelShiftOptions {
  /** Family-wise level over the change points tested. @default 0.05 */
  alpha?: number;
  /** Permutations of the residuals. @default 199 */
  permutations?: number;
  /** @default 1 */
  seed?: number;
  /** Fewest points on either side of a step. @default 3 */
  minSegment?: number;
}

export const LEVEL_SHIFT_DEFAULTS = { alpha: 0.05, permutations: 199, seed: 1, minSegment: 3 } as const;

/**
 * Permutation p-value of a step at `c` in ys[start, end) on top of a common line in xs:
 * P(max over locations of |t| under permuted residuals ≥ |t| at c).
 */
export function levelShiftP(
  xs: readonly number[],
  ys: readonly number[],
  start: number,
  c: number,
  end: number,
  options: Omit<LevelShiftOptions, 'alpha'> = {},
): number {
  const o = { ...LEVEL_SHIFT_DEFAULTS, ...options };
  const m = end - start;
  if (m < 2 * o.minSegment || c - start < 1 || end - c < 1) return 1;
  const dx = new Float64Array(m);
  const r = new Float64Array(m);
  residualsOfLine(xs, ys, start, end, dx, r);
  let sxx = 0;
  for (const d of dx) sxx += d * d;
  if (sxx === 0) return 1;
  const observed = stepT(dx, sxx, r, c - start);
  if (!(observed > 0)) return 1;
  const random = seededRandom(o.seed);
  const perm = Float64Array.from(r);
  let exceed = 0;
  for (let k = 0; k < o.permutations; k++) {
    for (let i = m - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const t = perm[i] as number;
      perm[i] = perm[j] as number;
      perm[j] = t;
    }
    // Permuted residuals are no longer orthogonal to x: take them off the line again.
    const rr = reResidualize(dx, sxx, perm);
    if (maxStepT(dx, sxx, rr, o.minSegment) >= observed) exceed++;
  }
  return (1 + exceed) / (o.permutations + 1);
}

/**
 * Drops the change points that a line through their neighbourhood explains, weakest first,
 * until every remaining one is a significant step at alpha / (number remaining).
 * Returns the kept indices in order.
 */
export function keepLevelShifts(
  xs: readonly number[],
  ys: readonly number[],
  indices: readonly number[],
  options: LevelShiftOptions = {},
): number[] {
  const o = { ...LEVEL_SHIFT_DEFAULTS, ...options };
  const kept = [...indices].sort((a, b) => a - b);
  // A p-value depends only on (start, c, end): after a drop only the neighbours need new ones.
  const memo = new Map<string, number>();
  for (;;) {
    let weakest = -1;
    let weakestP = o.alpha / kept.length;
    for (let k = 0; k < kept.length; k++) {
      const start = k === 0 ? 0 : (kept[k - 1] as number);
      const end = k === kept.length - 1 ? ys.length : (kept[k + 1] as number);
      const key = `${start},${kept[k]},${end}`;
      let p = memo.get(key);
      if (p === undefined) memo.set(key, (p = levelShiftP(xs, ys, start, kept[k] as number, end, o)));
      if (p > weakestP) {
        weakestP = p;
        weakest = k;
      }
    }
    if (weakest < 0) return kept;
    kept.splice(weakest, 1);
  }
}

/** dx = x − x̄ and r = residuals of the OLS line over [start, end). */
function residualsOfLine(
  xs: readonly number[],
  ys: readonly number[],
  start: number,
  end: number,
  dx: Float64Array,
  r: Float64Array,
): void {
  const m = end - start;
  let xm = 0;
  let ym = 0;
  for (let i = start; i < end; i++) {
    xm += xs[i] as number;
    ym += ys[i] as number;
  }
  xm /= m;
  ym /= m;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < m; i++) {
    dx[i] = (xs[start + i] as number) - xm;
    sxx += (dx[i] as number) ** 2;
    sxy += (dx[i] as number) * ((ys[start + i] as number) - ym);
  }
  const b = sxx > 0 ? sxy / sxx : 0;
  for (let i = 0; i < m; i++) r[i] = (ys[start + i] as number) - ym - b * (dx[i] as number);
}

function reResidualize(dx: Float64Array, sxx: number, v: Float64Array): Float64Array {
  let mean = 0;
  let sxv = 0;
  for (let i = 0; i < v.length; i++) {
    mean += v[i] as number;
    sxv += (dx[i] as number) * (v[i] as number);
  }
  mean /= v.length;
  const b = sxv / sxx;
  return v.map((vi, i) => vi - mean - b * (dx[i] as number));
}

/** |t| of a step at local index c (points c… on the high side) given line residuals r. */
function stepT(dx: Float64Array, sxx: number, r: Float64Array, c: number): number {
  let rss0 = 0;
  let q = 0;
  let rc = 0;
  for (let i = 0; i < r.length; i++) {
    rss0 += (r[i] as number) ** 2;
    if (i >= c) {
      q += dx[i] as number;
      rc += r[i] as number;
    }
  }
  return tFromSums(r.length, r.length - c, q, rc, rss0, sxx);
}

/** Largest |t| over the steps with at least `minSegment` points on each side: one pass from the end. */
function maxStepT(dx: Float64Array, sxx: number, r: Float64Array, minSegment: number): number {
  const m = r.length;
  let rss0 = 0;
  for (const v of r) rss0 += v * v;
  let q = 0;
  let rc = 0;
  let top = 0;
  for (let c = m - 1; c >= minSegment; c--) {
    q += dx[c] as number;
    rc += r[c] as number;
    if (m - c >= minSegment) top = Math.max(top, tFromSums(m, m - c, q, rc, rss0, sxx));
  }
  return top;
}

function tFromSums(m: number, n1: number, q: number, rc: number, rss0: number, sxx: number): number {
  const srs = n1 * (1 - n1 / m) - (q * q) / sxx;
  if (srs <= 1e-12 * m) return 0;
  const rss = rss0 - (rc * rc) / srs;
  if (!(rss > 0)) return rc === 0 ? 0 : Number.POSITIVE_INFINITY;
  return Math.abs(rc / srs) / Math.sqrt(rss / (m - 3) / srs);
}
