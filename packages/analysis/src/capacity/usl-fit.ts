/**
 * The Universal Scalability Law (Gunther, Guerrilla Capacity Planning, Springer 2007, ch. 4):
 *
 *   X(N) = λ·N / (1 + σ·(N − 1) + κ·N·(N − 1))
 *
 * N is concurrency (clients, connections, threads), X throughput, λ the throughput of one
 * client with no interference, σ the contention (the serial fraction: queueing for a shared
 * resource) and κ the coherency cost (crosstalk: every pair of clients paying to agree).
 *
 * Fitted by nonlinear least squares, σ in [0, 1] and κ ≥ 0 (the bounds R's `usl` package
 * gives nlxb), from several starting points; the lowest residual sum of squares wins.
 * Standard errors are the asymptotic ones of nonlinear regression, √diag(s²·(JᵀJ)⁻¹) with
 * s² = RSS/(n − 3) and J the model's Jacobian at the solution (Bates & Watts, Nonlinear
 * Regression Analysis and Its Applications, 1988, §2.3; R's `nls` summary and R `usl` do the
 * same). Confidence intervals are estimate ± t(1 − α/2, n − 3)·SE (Wald intervals: they can
 * reach below a bound, which says the data cannot tell the parameter from 0).
 */
import { ValidationError, type ValidationIssue } from '@headroom/core';
import { levenbergMarquardt, type LevenbergMarquardtOptions } from './levenberg-marquardt.ts';
import { invert, normalEquations } from './small-matrix.ts';
import { studentTQuantile } from '../stats/student-t.ts';

/** One measurement: throughput x at concurrency n. */
export interface UslPoint {
  n: number;
  x: number;
}

/** Options of {@link fitUsl}. */
export interface FitUslOptions {
  /** Two-sided confidence level of the parameter intervals. @default 0.95 */
  confidence?: number;
  /** Passed to each Levenberg–Marquardt descent. @default LEVENBERG_MARQUARDT_DEFAULTS */
  solver?: LevenbergMarquardtOptions;
}

export const FIT_USL_DEFAULTS = { confidence: 0.95 } as const;

/** A fitted parameter with its uncertainty; se and ci are null with fewer than 4 points (no residual df). */
export interface UslParameter {
  value: number;
  se: number | null;
  ci: [number, number] | null;
  /** True when the estimate sits on its bound (σ or κ at 0, σ at 1). */
  atBound: boolean;
}

/** A successful fit. */
export interface UslFitted {
  status: 'fitted';
  sigma: UslParameter;
  kappa: UslParameter;
  lambda: UslParameter;
  r2: number;
  /** √(RSS/(n − 3)); null with exactly 3 points. */
  residualStandardError: number | null;
  degreesOfFreedom: number;
  confidence: number;
  /** N* = √((1 − σ)/κ), where throughput peaks; null when κ = 0 (no retrograde region). */
  peakConcurrency: number | null;
  /** X(N*); null when κ = 0. */
  peakThroughput: number | null;
  /** λ/σ, the asymptote throughput approaches when κ = 0; null when σ = 0. */
  ceiling: number | null;
  /** Plain-language caveats: bounds hit, extrapolated peak. */
  notes: string[];
  iterations: number;
  starts: number;
  points: UslPoint[];
}

/** Fewer than 3 distinct concurrency levels: three parameters cannot be fitted. */
export interface UslTooFewPoints {
  status: 'too-few-points';
  message: string;
  points: UslPoint[];
}

/** No start converged; the data are returned so the caller can print them. */
export interface UslNotConverged {
  status: 'not-converged';
  message: string;
  points: UslPoint[];
  /** The best point reached, for diagnosis. */
  best: { sigma: number; kappa: number; lambda: number; rss: number } | null;
}

export type UslFit = UslFitted | UslTooFewPoints | UslNotConverged;

/** X(N) under the USL. */
export function uslThroughput(n: number, sigma: number, kappa: number, lambda: number): number {
  return (lambda * n) / (1 + sigma * (n - 1) + kappa * n * (n - 1));
}

// Parameter order inside the solver: [sigma, kappa, lambda].
function jacobian(points: readonly UslPoint[], [s, k, l]: readonly number[]): number[][] {
  return points.map(({ n }) => {
    const d = 1 + s! * (n - 1) + k! * n * (n - 1);
    return [(-l! * n * (n - 1)) / (d * d), (-l! * n * n * (n - 1)) / (d * d), n / d];
  });
}

/** Starting points: a linearisation, R usl's default start, and a grid scaled to the data. */
function startingPoints(points: readonly UslPoint[]): number[][] {
  const lambdaMax = Math.max(...points.map((p) => p.x / p.n));
  const first = points.reduce((a, b) => (b.n < a.n ? b : a));
  const lambda1 = first.x / first.n;
  const starts: number[][] = [[0.01, 0.0001, lambdaMax]]; // R usl usl.solve.nlxb's start
  // Gunther's linearisation (GCaP §5.5): with C = X/(λN), N/C − 1 = σ(N − 1) + κN(N − 1),
  // a linear least-squares problem in σ and κ once λ is guessed.
  let s11 = 0,
    s12 = 0,
    s22 = 0,
    b1 = 0,
    b2 = 0;
  for (const { n, x } of points) {
    if (x <= 0) continue;
    const y = (n * lambda1) / x - 1;
    const u = n - 1;
    const v = n * (n - 1);
    s11 += u * u;
    s12 += u * v;
    s22 += v * v;
    b1 += u * y;
    b2 += v * y;
  }
  const det = s11 * s22 - s12 * s12;
  if (det > 0) starts.push([Math.max(0, (b1 * s22 - b2 * s12) / det), Math.max(0, (s11 * b2 - s12 * b1) / det), lambda1]);
  const nMax = Math.max(...points.map((p) => p.n));
  for (const sigma of [0, 0.05, 0.3]) {
    for (const kappa of [0, 0.1 / (nMax * nMax), 1 / (nMax * nMax)]) starts.push([sigma, kappa, lambdaMax]);
  }
  return starts;
}

/** Fits the USL to (concurrency, throughput) points; see the module comment for the method. */
export function fitUsl(points: readonly UslPoint[], options: FitUslOptions = {}): UslFit {
  const confidence = options.confidence ?? FIT_USL_DEFAULTS.confidence;
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  const issues: ValidationIssue[] = [];
  for (const [i, p] of points.entries()) {
    if (!(Number.isFinite(p.n) && p.n > 0))
      issues.push({ path: `points[${i}].n`, message: `concurrency must be a number > 0, got ${p.n}` });
    if (!(Number.isFinite(p.x) && p.x >= 0))
      issues.push({ path: `points[${i}].x`, message: `throughput must be a number >= 0, got ${p.x}` });
  }
  if (issues.length > 0) throw new ValidationError('USL points', issues);
  const data = [...points];
  // A level where nothing completed says nothing about how throughput scales.
  const distinct = new Set(data.filter((p) => p.x > 0).map((p) => p.n)).size;
  if (distinct < 3) {
    return {
      status: 'too-few-points',
      points: data,
      message: `the USL has 3 parameters and needs at least 3 distinct concurrency levels with throughput > 0; got ${distinct}`,
    };
  }
  const problem = {
    observed: data.map((p) => p.x),
    predict: ([s, k, l]: readonly number[]) => data.map(({ n }) => uslThroughput(n, s!, k!, l!)),
    jacobian: (p: readonly number[]) => jacobian(data, p),
    lower: [0, 0, 0],
    upper: [1, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY],
  };
  const starts = startingPoints(data);
  const runs = starts.map((s) => levenbergMarquardt(problem, s, options.solver));
  const converged = runs.filter((r) => r.converged && Number.isFinite(r.rss));
  const bestAny = [...runs].filter((r) => Number.isFinite(r.rss)).sort((a, b) => a.rss - b.rss)[0];
  if (converged.length === 0) {
    return {
      status: 'not-converged',
      points: data,
      message: `the USL fit did not converge from any of ${starts.length} starting points`,
      best: bestAny ? { sigma: bestAny.params[0]!, kappa: bestAny.params[1]!, lambda: bestAny.params[2]!, rss: bestAny.rss } : null,
    };
  }
  const best = converged.sort((a, b) => a.rss - b.rss)[0]!;
  return summarise(
    data,
    best.params,
    best.rss,
    confidence,
    runs.reduce((s, r) => s + r.iterations, 0),
    starts.length,
  );
}

function summarise(data: UslPoint[], params: number[], rss: number, confidence: number, iterations: number, starts: number): UslFitted {
  const [sigma, kappa, lambda] = params as [number, number, number];
  const n = data.length;
  const df = n - 3;
  const mean = data.reduce((s, p) => s + p.x, 0) / n;
  const tss = data.reduce((s, p) => s + (p.x - mean) ** 2, 0);
  const s2 = df > 0 ? rss / df : null;
  const { jtj } = normalEquations(jacobian(data, params), new Array<number>(n).fill(0));
  const cov = s2 === null ? null : invert(jtj);
  const t = df > 0 ? studentTQuantile(1 - (1 - confidence) / 2, df) : null;
  const param = (j: number, value: number, atBound: boolean): UslParameter => {
    const v = cov?.[j]?.[j];
    const se = s2 !== null && v !== undefined && v >= 0 ? Math.sqrt(v * s2) : null;
    return { value, se, ci: se !== null && t !== null ? [value - t * se, value + t * se] : null, atBound };
  };
  const notes: string[] = [];
  let peakConcurrency: number | null = null;
  let peakThroughput: number | null = null;
  if (kappa > 0 && sigma < 1) {
    peakConcurrency = Math.sqrt((1 - sigma) / kappa);
    peakThroughput = uslThroughput(peakConcurrency, sigma, kappa, lambda);
    const nMax = Math.max(...data.map((p) => p.n));
    if (peakConcurrency > nMax)
      notes.push(`the peak at N* = ${fmt(peakConcurrency)} lies beyond the highest measured concurrency ${fmt(nMax)}: extrapolated`);
  } else {
    notes.push('κ = 0: no retrograde region; throughput keeps rising towards its ceiling and never peaks');
  }
  const ceiling = sigma > 0 ? lambda / sigma : null;
  if (sigma === 0) notes.push('σ = 0: no contention measured, so there is no finite ceiling λ/σ');
  if (s2 === null) notes.push('exactly 3 points for 3 parameters: the curve passes through them and there are no standard errors');
  return {
    status: 'fitted',
    sigma: param(0, sigma, sigma === 0 || sigma === 1),
    kappa: param(1, kappa, kappa === 0),
    lambda: param(2, lambda, false),
    r2: tss > 0 ? 1 - rss / tss : 1,
    residualStandardError: s2 === null ? null : Math.sqrt(s2),
    degreesOfFreedom: df,
    confidence,
    peakConcurrency,
    peakThroughput,
    ceiling,
    notes,
    iterations,
    starts,
    points: data,
  };
}

function fmt(v: number): string {
  return Number(v.toPrecision(3)).toString();
}
