/**
 * Ordinary least squares for one predictor, with the textbook standard errors and the
 * prediction interval for a new observation (Draper & Smith, Applied Regression Analysis,
 * 3rd ed., §1.4 and §3.1):
 *   ŷ(x₀) ± t(1 − α/2; n − 2) · s · √(1 + 1/n + (x₀ − x̄)² / Sxx)
 * Sums are taken about the means (two passes), which keeps the digits that the one-pass
 * formulas lose when x is large (epoch times), as NIST's StRD checks demand.
 */
import { studentTCritical } from '../stats/student-t.ts';

/** A fitted line y = intercept + slope·x with what its intervals need. */
export interface OlsFit {
  n: number;
  slope: number;
  intercept: number;
  /** Standard error of the slope. */
  slopeSe: number;
  /** Standard error of the intercept. */
  interceptSe: number;
  /** Residual standard deviation s = √(RSS / (n − 2)). */
  residualSd: number;
  rSquared: number;
  /** Residual sum of squares. */
  rss: number;
  /** Degrees of freedom of the residuals, n − 2. */
  df: number;
  xMean: number;
  /** Σ(x − x̄)². */
  sxx: number;
}

/** A value with its central interval at `level`. */
export interface Interval {
  value: number;
  low: number;
  high: number;
  level: number;
}

/** Fits y = a + b·x by least squares; needs at least 3 points and two distinct x. */
export function olsFit(x: readonly number[], y: readonly number[]): OlsFit {
  const n = x.length;
  if (n !== y.length) throw new RangeError(`x and y differ in length (${n} vs ${y.length})`);
  if (n < 3) throw new RangeError(`a line with intervals needs at least 3 points, got ${n}`);
  let xMean = 0;
  let yMean = 0;
  for (let i = 0; i < n; i++) {
    xMean += x[i] as number;
    yMean += y[i] as number;
  }
  xMean /= n;
  yMean /= n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] as number) - xMean;
    const dy = (y[i] as number) - yMean;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx === 0) throw new RangeError('all x are equal: no slope can be fitted');
  const slope = sxy / sxx;
  const intercept = yMean - slope * xMean;
  let rss = 0;
  for (let i = 0; i < n; i++) {
    const r = (y[i] as number) - intercept - slope * (x[i] as number);
    rss += r * r;
  }
  const df = n - 2;
  const s2 = rss / df;
  return {
    n,
    slope,
    intercept,
    rss,
    df,
    xMean,
    sxx,
    slopeSe: Math.sqrt(s2 / sxx),
    interceptSe: Math.sqrt(s2 * (1 / n + (xMean * xMean) / sxx)),
    residualSd: Math.sqrt(s2),
    rSquared: syy === 0 ? 1 : 1 - rss / syy,
  };
}

/** The fitted value at x₀ with the prediction interval of a new observation there. */
export function olsPredict(fit: OlsFit, x0: number, level: number): Interval {
  const value = fit.intercept + fit.slope * x0;
  const half = studentTCritical(level, fit.df) * predictionSe(fit, x0);
  return { value, low: value - half, high: value + half, level };
}

/** Standard error of a new observation at x₀: s·√(1 + 1/n + (x₀ − x̄)²/Sxx). */
export function predictionSe(fit: OlsFit, x0: number): number {
  const d = x0 - fit.xMean;
  return fit.residualSd * Math.sqrt(1 + 1 / fit.n + (d * d) / fit.sxx);
}

/** The slope with its confidence interval at `level` (t with n − 2 degrees of freedom). */
export function olsSlopeInterval(fit: OlsFit, level: number): Interval {
  const half = studentTCritical(level, fit.df) * fit.slopeSe;
  return { value: fit.slope, low: fit.slope - half, high: fit.slope + half, level };
}
