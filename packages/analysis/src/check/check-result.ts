/**
 * One named check of `headroom check`: what was measured, against what limit, and the
 * verdict. Expected outcomes are data: a failed check is a result, not an exception.
 */

/** passed / failed, 'no-data' when there was nothing to judge (fails), 'note' when it informs but cannot fail. */
export type CheckVerdict = 'passed' | 'failed' | 'no-data' | 'note';

/** Which family a check belongs to (JUnit's classname, the report's grouping). */
export type CheckGroup = 'threshold' | 'slo-at-peak' | 'budget' | 'regression' | 'baseline';

/** One check with its evidence. */
export interface CheckResult {
  /** Stable name, e.g. `steady.p99 < 50ms`, `slo p99 at peak`, `regression steady p99`. */
  name: string;
  group: CheckGroup;
  /** The measured value (in `unit`), null when there was none. */
  value: number | null;
  /** The limit as written, e.g. `< 50ms`, `>= 1.3`, `significant and > 1%`. */
  limit: string;
  unit: string;
  verdict: CheckVerdict;
  /** One sentence of evidence: where the value came from, p-values, what to look at. */
  detail: string;
}

/** Exit verdict of a set of checks: failed when any check failed or had no data. */
export function checksPassed(checks: readonly CheckResult[]): boolean {
  return checks.every((c) => c.verdict === 'passed' || c.verdict === 'note');
}
