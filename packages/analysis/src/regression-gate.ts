/**
 * The benchmark regression gate of `headroom check`: fails when a benchmark got worse with
 * statistical significance (p <= alpha) AND by more than the noise floor. Improvements, '~',
 * 'insufficient' and 'missing' pass; a change that is significant but inside the noise
 * floor passes too (tiny, real changes are not worth a red build).
 */
import type { BenchmarkComparison, Comparison } from './compare.ts';

export interface RegressionGateOptions {
  /** Relative worsening that is tolerated. @default the comparison's own noiseFloor */
  noiseFloor?: number;
}

export interface Regression {
  name: string;
  unit: string;
  deltaPct: number;
  p: number;
  baselineMedian: number;
  candidateMedian: number;
}

export type RegressionGateResult =
  | { status: 'passed'; regressions: [] ; checked: number }
  | { status: 'failed'; regressions: Regression[]; checked: number };

function isRegression(r: BenchmarkComparison, alpha: number, noiseFloor: number): boolean {
  return r.verdict === 'slower' && r.p !== null && r.p <= alpha && r.deltaPct !== null && Math.abs(r.deltaPct) / 100 > noiseFloor;
}

/** Applies the gate to one comparison or several (e.g. one per unit). */
export function regressionGate(comparison: Comparison | readonly Comparison[], options: RegressionGateOptions = {}): RegressionGateResult {
  const list: readonly Comparison[] = Array.isArray(comparison) ? comparison : [comparison as Comparison];
  const regressions: Regression[] = [];
  let checked = 0;
  for (const c of list) {
    const floor = options.noiseFloor ?? c.noiseFloor;
    for (const r of c.rows) {
      checked++;
      if (!isRegression(r, c.alpha, floor)) continue;
      regressions.push({
        name: r.name, unit: r.unit, deltaPct: r.deltaPct as number, p: r.p as number,
        baselineMedian: (r.baseline as { median: number }).median, candidateMedian: (r.candidate as { median: number }).median,
      });
    }
  }
  return regressions.length === 0 ? { status: 'passed', regressions: [], checked } : { status: 'failed', regressions, checked };
}
