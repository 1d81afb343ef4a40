/**
 * Two-sided Mann-Whitney U test (Wilcoxon rank-sum test).
 *
 * Sources:
 * - Mann, H. B. & Whitney, D. R. (1947). On a test of whether one of two random variables
 *   is stochastically larger than the other. Ann. Math. Statist. 18(1), 50-60: the U statistic.
 * - Bergmann, R., Ludbrook, J. & Spooren, W. (2000). Different outcomes of the Wilcoxon-
 *   Mann-Whitney test from different statistics packages. The American Statistician 54(1),
 *   72-77: with ties, the exact p-value must come from the permutation distribution of the
 *   statistic over the actual mid-ranks, not from the untied table or a normal approximation.
 * - Hollander, M. & Wolfe, D. A. (1999). Nonparametric Statistical Methods (2nd ed.), §4.1:
 *   the large-sample approximation with the tie-corrected variance
 *   Var(U) = n1·n2/12 · [(N+1) − Σ(t³−t) / (N(N−1))] and a continuity correction of 1/2.
 *
 * The exact distribution is counted with a dynamic programme over tie groups: doubling every
 * mid-rank makes all rank sums integers, so counts and the "at least as extreme" comparison
 * are exact. The two-sided p-value is P(|R − E[R]| ≥ |r_obs − E[R]|) under the permutation
 * distribution, which stays correct when ties make that distribution asymmetric.
 */
import { normalUpperTail } from './normal.ts';

export interface MannWhitneyOptions {
  /** Use the exact permutation distribution while n1 + n2 <= this. @default 50 */
  exactMaxN?: number;
}

export interface MannWhitneyResult {
  /** U of the first sample: pairs (a_i > b_j) plus half the tied pairs. */
  u: number;
  /** Two-sided p-value. */
  p: number;
  method: 'exact' | 'normal';
}

export const MANN_WHITNEY_DEFAULTS = { exactMaxN: 50 } as const;

interface Ranked {
  /** Doubled mid-rank sum of sample a (an integer). */
  rankSum2: number;
  /** Tie groups in the pooled sample: size and doubled mid-rank. */
  groups: { size: number; rank2: number }[];
}

function rank(a: readonly number[], b: readonly number[]): Ranked {
  const pooled = [...a.map((v) => ({ v, first: true })), ...b.map((v) => ({ v, first: false }))];
  pooled.sort((x, y) => x.v - y.v);
  const groups: Ranked['groups'] = [];
  let rankSum2 = 0;
  for (let i = 0; i < pooled.length;) {
    let j = i;
    while (j + 1 < pooled.length && (pooled[j + 1] as { v: number }).v === (pooled[i] as { v: number }).v) j++;
    const size = j - i + 1;
    // positions i+1 .. j+1 (1-based): mid-rank (i+1 + j+1)/2, doubled: i + j + 2
    const rank2 = i + j + 2;
    for (let k = i; k <= j; k++) if ((pooled[k] as { first: boolean }).first) rankSum2 += rank2;
    groups.push({ size, rank2 });
    i = j + 1;
  }
  return { rankSum2, groups };
}

/** Mann-Whitney U test of a against b, two-sided. Both samples need at least one value. */
export function mannWhitneyU(a: readonly number[], b: readonly number[], options: MannWhitneyOptions = {}): MannWhitneyResult {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('mannWhitneyU needs at least one value in each sample');
  for (const v of [...a, ...b]) if (!Number.isFinite(v)) throw new RangeError(`mannWhitneyU needs finite numbers, got ${v}`);
  const n = n1 + n2;
  const ranked = rank(a, b);
  const u = ranked.rankSum2 / 2 - (n1 * (n1 + 1)) / 2;
  const exactMaxN = options.exactMaxN ?? MANN_WHITNEY_DEFAULTS.exactMaxN;
  if (n <= exactMaxN) return { u, p: exactP(n1, ranked), method: 'exact' };
  return { u, p: normalP(n1, n2, u, ranked.groups), method: 'normal' };
}

/** Exact two-sided p from the permutation distribution of the (doubled) rank sum of a. */
function exactP(n1: number, ranked: Ranked): number {
  const counts = rankSumDistribution(n1, ranked.groups);
  const n = ranked.groups.reduce((s, g) => s + g.size, 0);
  const center2 = n1 * (n + 1); // doubled E[R1] = n1(N+1)/2
  const dev = Math.abs(ranked.rankSum2 - center2);
  let extreme = 0;
  let total = 0;
  counts.forEach((c, s) => {
    total += c;
    if (Math.abs(s - center2) >= dev) extreme += c;
  });
  return Math.min(1, extreme / total);
}

/**
 * counts[s] = number of ways to pick n1 of the N pooled observations whose doubled mid-ranks
 * sum to s. Per tie group of size t, choosing j members contributes C(t, j) ways and j·rank2.
 * Counts are doubles: exact below 2^53 (C(50, 25) ≈ 1.3e14), relative error only above.
 */
export function rankSumDistribution(n1: number, groups: readonly { size: number; rank2: number }[]): Float64Array {
  const n = groups.reduce((s, g) => s + g.size, 0);
  const maxS = n1 * 2 * n;
  const width = maxS + 1;
  let dp = new Float64Array((n1 + 1) * width);
  dp[0] = 1;
  let taken = 0;
  let hi = 0; // largest sum reachable so far: the loops skip the empty tail
  for (const g of groups) {
    const next = new Float64Array(dp.length);
    const reach = Math.min(n1, taken);
    for (let k = 0; k <= reach; k++) {
      for (let s = 0; s <= hi; s++) {
        const c = dp[k * width + s] as number;
        if (c === 0) continue;
        let ways = 1; // C(size, j), built incrementally
        for (let j = 0; j <= g.size && k + j <= n1; j++) {
          if (j > 0) ways = (ways * (g.size - j + 1)) / j;
          const idx = (k + j) * width + s + j * g.rank2;
          next[idx] = (next[idx] as number) + c * ways;
        }
      }
    }
    dp = next;
    taken += g.size;
    hi = Math.min(maxS, hi + g.size * g.rank2);
  }
  return dp.slice(n1 * width, (n1 + 1) * width);
}

function normalP(n1: number, n2: number, u: number, groups: readonly { size: number }[]): number {
  const n = n1 + n2;
  const tieSum = groups.reduce((s, g) => s + (g.size ** 3 - g.size), 0);
  const variance = ((n1 * n2) / 12) * (n + 1 - tieSum / (n * (n - 1)));
  if (variance <= 0) return 1; // every value tied: no evidence of a difference
  const z = Math.max(0, Math.abs(u - (n1 * n2) / 2) - 0.5) / Math.sqrt(variance);
  return Math.min(1, 2 * normalUpperTail(z));
}

/**
 * The smallest two-sided p-value the exact test can produce with these sample sizes:
 * 2 / C(n1+n2, n1), reached when the samples do not overlap at all (ties only raise it).
 * When it exceeds alpha, no outcome can be significant: 3 vs 3 gives 0.1, 4 vs 4 gives 0.029.
 */
export function minAchievableP(n1: number, n2: number): number {
  if (n1 === 0 || n2 === 0) return 1;
  let c = 1;
  for (let i = 1; i <= Math.min(n1, n2); i++) c = (c * (n1 + n2 - Math.min(n1, n2) + i)) / i;
  return Math.min(1, 2 / c);
}
