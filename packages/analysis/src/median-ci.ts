/**
 * Medians and their distribution-free confidence intervals from order statistics.
 *
 * For a continuous distribution, the number of observations below the true median is
 * Binomial(n, 1/2), so [x(k), x(n−k+1)] covers the median with probability
 * 1 − 2·P(B ≤ k−1). We take the largest k whose coverage is at least the requested level
 * (Hollander & Wolfe, Nonparametric Statistical Methods, 2nd ed., §3.6; Conover, Practical
 * Nonparametric Statistics, 3rd ed., §3.2). The interval is conservative: its actual
 * coverage is reported. With 95% it needs n >= 6, since 2·(1/2)^5 = 0.0625 > 0.05; benchstat
 * documents the same limit ("need >= 6 samples for confidence interval at level 0.95").
 */

export interface MedianCI {
  n: number;
  /** NaN for an empty sample. */
  median: number;
  /** The interval, or null when n is too small for the requested confidence. */
  ci: { low: number; high: number; lowRank: number; highRank: number; coverage: number } | null;
  confidence: number;
  /** Why ci is null. */
  reason?: string;
}

/** The sample median (mean of the two middle values for even n); NaN when empty. */
export function median(sample: readonly number[]): number {
  if (sample.length === 0) return Number.NaN;
  const s = [...sample].sort((x, y) => x - y);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Smallest n for which an order-statistic interval reaches `confidence`: 6 for 95%, 8 for 99%. */
export function minSamplesForCI(confidence = 0.95): number {
  // need 2·2^-n <= 1 − confidence
  return Math.max(1, Math.ceil(Math.log2(2 / (1 - confidence)) - 1e-12));
}

/** Median and its order-statistic confidence interval (two-sided, at least `confidence` coverage). */
export function medianCI(sample: readonly number[], confidence = 0.95): MedianCI {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  const n = sample.length;
  const s = [...sample].sort((x, y) => x - y);
  const med = median(s);
  const need = minSamplesForCI(confidence);
  if (n < need) {
    return {
      n,
      median: med,
      ci: null,
      confidence,
      reason: `need >= ${need} samples for a ${pct(confidence)} confidence interval, have ${n}`,
    };
  }
  const tail = (1 - confidence) / 2;
  // cdf(i) = P(B <= i), B ~ Binomial(n, 1/2); accumulate pmf in log space so large n cannot underflow 2^-n.
  let logPmf = -n * Math.LN2;
  let cdf = Math.exp(logPmf);
  let k = 0; // largest k with P(B <= k-1) <= tail
  for (let i = 0; i < n / 2 && cdf <= tail * (1 + 1e-12); i++) {
    k = i + 1;
    logPmf += Math.log(n - i) - Math.log(i + 1);
    cdf += Math.exp(logPmf);
  }
  // recompute coverage exactly for the chosen k
  let lp = -n * Math.LN2;
  let below = 0;
  for (let i = 0; i < k; i++) {
    below += Math.exp(lp);
    lp += Math.log(n - i) - Math.log(i + 1);
  }
  const lowRank = k;
  const highRank = n - k + 1;
  return {
    n,
    median: med,
    confidence,
    ci: { low: s[lowRank - 1] as number, high: s[highRank - 1] as number, lowRank, highRank, coverage: 1 - 2 * below },
  };
}

function pct(x: number): string {
  return `${Number((x * 100).toPrecision(4))}%`;
}
