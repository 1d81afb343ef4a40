/**
 * Theil–Sen line: the slope is the median of the slopes of all pairs with distinct x
 * (Theil 1950; Sen 1968, JASA 63(324), "Estimates of the regression coefficient based on
 * Kendall's tau"), the intercept the median of y − slope·x (Conover, Practical Nonparametric
 * Statistics, 3rd ed., §5.5). It tolerates up to ~29% of wild points, where one bad run can
 * swing an OLS slope. O(n²) pairs: 500k for n = 1000, sorted in a Float64Array.
 */
import { median } from '../median-ci.ts';

/** A robust line y = intercept + slope·x. */
export interface TheilSenFit {
  n: number;
  slope: number;
  intercept: number;
  /** Residual standard deviation around the line, √(Σr² / (n − 2)). */
  residualSd: number;
}

/** Fits the Theil–Sen line; needs at least 2 points with distinct x. */
export function theilSen(x: readonly number[], y: readonly number[]): TheilSenFit {
  const n = x.length;
  if (n !== y.length) throw new RangeError(`x and y differ in length (${n} vs ${y.length})`);
  const slopes = new Float64Array((n * (n - 1)) / 2);
  let k = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = (x[j] as number) - (x[i] as number);
      if (dx !== 0) slopes[k++] = ((y[j] as number) - (y[i] as number)) / dx;
    }
  }
  if (k === 0) throw new RangeError('Theil–Sen needs two points with distinct x');
  const used = slopes.subarray(0, k).sort();
  const mid = k >> 1;
  const slope = k % 2 === 1 ? (used[mid] as number) : ((used[mid - 1] as number) + (used[mid] as number)) / 2;
  const intercept = median(x.map((xi, i) => (y[i] as number) - slope * xi));
  let rss = 0;
  for (let i = 0; i < n; i++) {
    const r = (y[i] as number) - intercept - slope * (x[i] as number);
    rss += r * r;
  }
  return { n, slope, intercept, residualSd: n > 2 ? Math.sqrt(rss / (n - 2)) : Number.NaN };
}
