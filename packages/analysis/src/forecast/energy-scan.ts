/**
 * The E-Divisive statistic q̂ at every split of a segment, in O(L log L) instead of O(L²).
 *
 * Matteson & James (2014, JASA 109(505), "A nonparametric approach for multiple change point
 * analysis of multivariate data", eq. 3–4) split a segment into X = z[0, τ) and Y = z[τ, L)
 * (κ fixed at the segment's end, as MongoDB's implementation does: Daly et al., ICPE 2020) and
 * score the split by
 *   Ê = 2/(mn)·Σ|Xi − Yj| − C(m,2)⁻¹·Σ_{i<k}|Xi − Xk| − C(n,2)⁻¹·Σ_{j<k}|Yj − Yk|,
 *   q̂ = mn/(m + n) · Ê,            with m = τ, n = L − τ and α = 1.
 * For univariate data the three sums need no distance matrix: with W(S) the sum of |a − b|
 * over the pairs of S, the cross sum is W(z) − W(X) − W(Y), and W of every prefix (and
 * suffix) follows by adding one point at a time, Σ_{y∈S}|x − y| = x·c₋ − s₋ + s₊ − x·c₊,
 * where the counts and sums below and above x come from Fenwick trees over the ranks of the
 * values. That makes each scan — and so each permutation of the significance test — O(L log L).
 */

/** The best split of one segment: `index` is the first point of the second part. */
export interface EnergySplit {
  index: number;
  qhat: number;
}

/** Scratch space reused across scans of segments up to `capacity` points long. */
export class EnergyScanner {
  readonly #count: Float64Array;
  readonly #sum: Float64Array;
  readonly #prefix: Float64Array;
  readonly #suffix: Float64Array;

  constructor(capacity: number) {
    this.#count = new Float64Array(capacity + 1);
    this.#sum = new Float64Array(capacity + 1);
    this.#prefix = new Float64Array(capacity + 1);
    this.#suffix = new Float64Array(capacity + 1);
  }

  /**
   * Best split of the sequence values[order[0]], …, values[order[L−1]] with at least `minSize`
   * points on each side. `ranks[i]` is the dense rank (1-based, ties equal) of values[i] among
   * the segment and `rankCount` the number of distinct ranks. Returns index −1 when no split fits.
   */
  best(values: Float64Array, ranks: Int32Array, order: Int32Array, rankCount: number, minSize: number): EnergySplit {
    const L = order.length;
    if (L < 2 * minSize) return { index: -1, qhat: Number.NEGATIVE_INFINITY };
    this.#within(values, ranks, order, rankCount, this.#prefix, false);
    this.#within(values, ranks, order, rankCount, this.#suffix, true);
    const total = this.#prefix[L] as number;
    let best: EnergySplit = { index: -1, qhat: Number.NEGATIVE_INFINITY };
    for (let tau = minSize; tau <= L - minSize; tau++) {
      const m = tau;
      const n = L - tau;
      const wx = this.#prefix[tau] as number;
      const wy = this.#suffix[tau] as number;
      const cross = total - wx - wy;
      const e = (2 * cross) / (m * n) - (m > 1 ? (2 * wx) / (m * (m - 1)) : 0) - (n > 1 ? (2 * wy) / (n * (n - 1)) : 0);
      const q = ((m * n) / (m + n)) * e;
      if (q > best.qhat) best = { index: tau, qhat: q };
    }
    return best;
  }

  /** out[k] = W of the first k points (or, reversed, of the points from k to the end). */
  #within(values: Float64Array, ranks: Int32Array, order: Int32Array, K: number, out: Float64Array, reversed: boolean): void {
    const L = order.length;
    const count = this.#count;
    const sum = this.#sum;
    count.fill(0, 0, K + 1);
    sum.fill(0, 0, K + 1);
    let w = 0;
    let totalSum = 0;
    if (reversed) out[L] = 0;
    else out[0] = 0;
    for (let step = 0; step < L; step++) {
      const pos = reversed ? L - 1 - step : step;
      const idx = order[pos] as number;
      const x = values[idx] as number;
      const r = ranks[idx] as number;
      let cLe = 0;
      let sLe = 0;
      for (let i = r; i > 0; i -= i & -i) {
        cLe += count[i] as number;
        sLe += sum[i] as number;
      }
      // Equal values sit in cLe and add x − x = 0, so ties need no special case.
      w += x * cLe - sLe + (totalSum - sLe) - x * (step - cLe);
      totalSum += x;
      for (let i = r; i <= K; i += i & -i) {
        count[i] = (count[i] as number) + 1;
        sum[i] = (sum[i] as number) + x;
      }
      if (reversed) out[pos] = w;
      else out[pos + 1] = w;
    }
  }
}

/** Dense 1-based ranks of values[start, end) written into ranks[start, end); returns the number of distinct values. */
export function denseRanks(values: Float64Array, start: number, end: number, ranks: Int32Array): number {
  const idx = Array.from({ length: end - start }, (_, i) => start + i).sort((a, b) => (values[a] as number) - (values[b] as number));
  let rank = 0;
  let prev = Number.NaN;
  for (const i of idx) {
    const v = values[i] as number;
    if (v !== prev) {
      rank++;
      prev = v;
    }
    ranks[i] = rank;
  }
  return rank;
}
