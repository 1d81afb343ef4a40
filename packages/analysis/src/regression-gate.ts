/**
 * The benchmark regression gate of `headroom check`: fails when a benchmark got worse with
 * statistical significance (p <= alpha) AND by more than the noise floor. Improvements, '~',
 * 'insufficient' and 'missing' pass; a change that is significant but inside the noise
 * floor passes too (tiny, real changes are not worth a red build).
 */
import { isFromZero, type BenchmarkComparison, type Comparison } from './compare.ts';

export interface RegressionGateOptions {
  /** Relative worsening that is tolerated. @default the comparison's own noiseFloor */
  noiseFloor?: number;
  /**
   * A non-statistical guard where significance cannot be judged (too few runs, e.g. one a
   * side): a worsening larger than this fraction fails there. Off unless given. @default undefined
   */
  maxChange?: number;
}

export interface Regression {
  name: string;
  unit: string;
  /** null when the baseline's median is 0 (a change from 0, e.g. 0 → 1 allocs/op: beyond any floor). */
  deltaPct: number | null;
  /** The test's p (for a max-change failure on one run a side it is 1: never significant; null when untestable). */
  p: number | null;
  /** 'significant': p <= alpha and beyond the noise floor; 'max-change': worse by more than the guard. */
  reason: 'significant' | 'max-change';
  baselineMedian: number;
  candidateMedian: number;
}

export type RegressionGateResult =
  | { status: 'passed'; regressions: []; checked: number; unjudged: number }
  | { status: 'failed'; regressions: Regression[]; checked: number; unjudged: number };

function isRegression(r: BenchmarkComparison, alpha: number, noiseFloor: number): boolean {
  return r.verdict === 'slower' && r.p !== null && r.p <= alpha && worsening(r) > noiseFloor;
}

/**
 * The change in the worse direction, as a fraction (0 when it got better or is unknown);
 * Infinity for a worse change from a median of 0 (0 → 1 allocs/op), which no floor tolerates.
 */
function worsening(r: BenchmarkComparison): number {
  if (r.deltaPct === null) return isFromZero(r) && r.candidate!.median > 0 !== r.higherIsBetter ? Infinity : 0;
  const worse = r.higherIsBetter ? -r.deltaPct : r.deltaPct;
  return Math.max(0, worse / 100);
}

/** Applies the gate to one comparison or several (e.g. one per unit). */
export function regressionGate(comparison: Comparison | readonly Comparison[], options: RegressionGateOptions = {}): RegressionGateResult {
  const list: readonly Comparison[] = Array.isArray(comparison) ? comparison : [comparison as Comparison];
  const regressions: Regression[] = [];
  let checked = 0;
  let unjudged = 0;
  for (const c of list) {
    const floor = options.noiseFloor ?? c.noiseFloor;
    for (const r of c.rows) {
      checked++;
      if (r.verdict === 'insufficient') unjudged++;
      const significant = isRegression(r, c.alpha, floor);
      // The guard stands in for the test only where there is none: with enough runs, statistics decide.
      const guard = options.maxChange !== undefined && r.verdict === 'insufficient' && worsening(r) > options.maxChange;
      if (!significant && !guard) continue;
      regressions.push({
        name: r.name,
        unit: r.unit,
        deltaPct: r.deltaPct,
        p: significant ? (r.p as number) : r.p,
        reason: significant ? 'significant' : 'max-change',
        baselineMedian: (r.baseline as { median: number }).median,
        candidateMedian: (r.candidate as { median: number }).median,
      });
    }
  }
  return regressions.length === 0
    ? { status: 'passed', regressions: [], checked, unjudged }
    : { status: 'failed', regressions, checked, unjudged };
}
