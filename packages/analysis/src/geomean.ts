/**
 * Geometric mean: exp(mean(ln x)). The right average for ratios (benchstat's geomean row,
 * SPEC's summary score), because a 2× and a 0.5× change cancel out.
 * Returns NaN for an empty list or any value that is not > 0.
 */
export function geomean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  let sum = 0;
  for (const v of values) {
    if (!(v > 0) || !Number.isFinite(v)) return Number.NaN;
    sum += Math.log(v);
  }
  return Math.exp(sum / values.length);
}
