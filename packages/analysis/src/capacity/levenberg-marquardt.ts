/**
 * Levenberg–Marquardt for small nonlinear least-squares problems with box bounds.
 *
 * Minimises ½·Σ(yᵢ − f(xᵢ; p))². Each iteration solves (JᵀJ + μ·diag(JᵀJ))·δ = Jᵀr, Marquardt's
 * scaled damping, so parameters of very different sizes (κ ≈ 1e-4 next to λ ≈ 1e3) are handled
 * alike (Marquardt 1963, J. SIAM 11(2):431; Nocedal & Wright, Numerical Optimization, §10.3).
 * Bounds are kept by an active set plus projection: a parameter sitting on a bound is frozen
 * for that iteration when its gradient, or the step solved for it, points out of the box (the
 * step is then solved again without it), and every trial point is projected into the box
 * (cf. the projected LM of Kanzow, Yamashita & Fukushima 2004, J. Comput. Appl. Math. 172:375).
 * A step is accepted only when it lowers the cost. The damped normal equations are solved after
 * Jacobi scaling, so a badly scaled JᵀJ is not mistaken for a singular one.
 */
import { normalEquations, solveScaled } from './small-matrix.ts';

/** A model to fit: predictions and their derivatives with respect to each parameter. */
export interface LeastSquaresProblem {
  /** Observed values yᵢ. */
  observed: readonly number[];
  /** Model values f(xᵢ; p) for every observation. */
  predict(params: readonly number[]): number[];
  /** ∂f(xᵢ; p)/∂pⱼ, one row per observation. */
  jacobian(params: readonly number[]): number[][];
  lower: readonly number[];
  upper: readonly number[];
}

/** Options of {@link levenbergMarquardt}. */
export interface LevenbergMarquardtOptions {
  /** Iteration cap. @default 500 */
  maxIterations?: number;
  /** Converged when an accepted step lowers the cost by less than this fraction. @default 1e-14 */
  costTolerance?: number;
  /** …and moves every parameter by less than this fraction of its size. @default 1e-10 */
  stepTolerance?: number;
}

export const LEVENBERG_MARQUARDT_DEFAULTS: Required<LevenbergMarquardtOptions> = {
  maxIterations: 500,
  costTolerance: 1e-14,
  stepTolerance: 1e-10,
};

/** Where one LM descent ended. */
export interface LevenbergMarquardtResult {
  params: number[];
  /** Residual sum of squares Σ(yᵢ − f)². */
  rss: number;
  iterations: number;
  converged: boolean;
  /** Why it stopped: 'small-step', 'zero-residual', 'no-descent' (damping maxed out at a minimum), 'max-iterations', 'non-finite'. */
  reason: 'small-step' | 'zero-residual' | 'no-descent' | 'max-iterations' | 'non-finite';
}

const MU_MAX = 1e16;

/**
 * Solves the damped system over the free parameters; a free parameter on a bound whose step
 * would leave the box is frozen and the system solved again. Returns the full step (0 for
 * frozen parameters), or null when the system is singular.
 */
function dampedStep(
  jtj: number[][],
  jtr: number[],
  mu: number,
  free: boolean[],
  p: readonly number[],
  lower: readonly number[],
  upper: readonly number[],
): number[] | null {
  for (;;) {
    const idx = free.flatMap((f, j) => (f ? [j] : []));
    const full = new Array<number>(p.length).fill(0);
    if (idx.length === 0) return full;
    const a = idx.map((j) => idx.map((k) => jtj[j]![k]! + (j === k ? mu * Math.max(jtj[j]![j]!, 1e-300) : 0)));
    const d = solveScaled(
      a,
      idx.map((j) => jtr[j]!),
    );
    if (!d) return null;
    idx.forEach((j, q) => (full[j] = d[q]!));
    const leaving = idx.filter((j) => (p[j]! <= lower[j]! && full[j]! < 0) || (p[j]! >= upper[j]! && full[j]! > 0));
    if (leaving.length === 0) return full;
    leaving.forEach((j) => (free[j] = false));
  }
}

/** Runs bounded LM from `start` (projected into the bounds first). */
export function levenbergMarquardt(
  problem: LeastSquaresProblem,
  start: readonly number[],
  options: LevenbergMarquardtOptions = {},
): LevenbergMarquardtResult {
  const opt = { ...LEVENBERG_MARQUARDT_DEFAULTS, ...options };
  const project = (p: readonly number[]) => p.map((v, j) => Math.min(problem.upper[j]!, Math.max(problem.lower[j]!, v)));
  const residuals = (p: readonly number[]) => problem.predict(p).map((f, i) => problem.observed[i]! - f);
  const sumSq = (r: readonly number[]) => r.reduce((s, v) => s + v * v, 0);

  let p = project(start);
  let r = residuals(p);
  let rss = sumSq(r);
  if (!Number.isFinite(rss)) return { params: p, rss, iterations: 0, converged: false, reason: 'non-finite' };
  let mu = 1e-3;
  for (let iter = 1; iter <= opt.maxIterations; iter++) {
    if (rss === 0) return { params: p, rss, iterations: iter - 1, converged: true, reason: 'zero-residual' };
    const { jtj, jtr } = normalEquations(problem.jacobian(p), r);
    // jtr is −½∇cost: a positive entry means increasing that parameter lowers the cost.
    const free = p.map((v, j) => !((v <= problem.lower[j]! && jtr[j]! <= 0) || (v >= problem.upper[j]! && jtr[j]! >= 0)));
    if (!free.some(Boolean)) return { params: p, rss, iterations: iter, converged: true, reason: 'small-step' };
    let accepted = false;
    while (mu <= MU_MAX) {
      const step = dampedStep(jtj, jtr, mu, [...free], p, problem.lower, problem.upper);
      if (!step) {
        mu *= 10;
        continue;
      }
      const next = project(p.map((v, j) => v + step[j]!));
      const rNext = residuals(next);
      const rssNext = sumSq(rNext);
      if (Number.isFinite(rssNext) && rssNext < rss) {
        const smallStep = next.every((v, j) => Math.abs(v - p[j]!) <= opt.stepTolerance * (Math.abs(p[j]!) + opt.stepTolerance));
        const smallGain = rss - rssNext <= opt.costTolerance * rss;
        p = next;
        r = rNext;
        rss = rssNext;
        mu = Math.max(mu / 10, 1e-12);
        accepted = true;
        if (smallStep || smallGain) return { params: p, rss, iterations: iter, converged: true, reason: 'small-step' };
        break;
      }
      mu *= 10;
    }
    // No damping found a lower cost: along every free direction the cost rises, i.e. a minimum
    // to working precision.
    if (!accepted) return { params: p, rss, iterations: iter, converged: true, reason: 'no-descent' };
  }
  return { params: p, rss, iterations: opt.maxIterations, converged: false, reason: 'max-iterations' };
}
