/**
 * The SLO at the expected peak: p99 and error rate of the phase (or step) that offered the
 * expected peak rate, or the lowest offered rate above it, checked against the scenario's
 * SLO. With repeated runs the value is the median over runs (runs are the unit).
 */
import { median } from '../median-ci.ts';
import type { CheckResult } from './check-result.ts';

/** A measured phase or step of one run, as the check needs it. */
export interface PeakPhase {
  runId: string;
  phase: string;
  /** Offered rate in req/s; null for closed-model phases (they never count as "at a rate"). */
  offeredRate: number | null;
  achievedRate: number;
  p99Ms: number;
  errorRate: number;
  requests: number;
}

/** The SLO the scenario states. */
export interface PeakSlo {
  p99Ms: number | null;
  errorRate: number | null;
}

/** Checks p99 and the error rate at `expectedPeak` against the SLO. */
export function sloAtPeak(phases: readonly PeakPhase[], slo: PeakSlo, expectedPeak: number): CheckResult[] {
  if (slo.p99Ms === null && slo.errorRate === null) return [];
  // Per run, the open-model phase or step at or above the peak with the lowest offered rate.
  const byRun = new Map<string, PeakPhase>();
  for (const p of phases) {
    if (p.offeredRate === null || p.offeredRate < expectedPeak * 0.999 || p.requests === 0) continue;
    const best = byRun.get(p.runId);
    if (!best || p.offeredRate < (best.offeredRate as number)) byRun.set(p.runId, p);
  }
  const picked = [...byRun.values()];
  const where =
    picked.length === 0
      ? ''
      : `${picked[0]?.phase} at ${Math.round(picked[0]?.offeredRate ?? 0)} req/s offered${picked.length > 1 ? `, median of ${picked.length} runs` : ''}`;
  const none = `no open-model phase or step offered ≥ ${expectedPeak} req/s (expectedPeak); add a constant phase at the peak or a step phase through it`;
  const out: CheckResult[] = [];
  if (slo.p99Ms !== null) {
    const v = picked.length ? median(picked.map((p) => p.p99Ms)) : null;
    out.push({
      name: 'slo p99 at peak',
      group: 'slo-at-peak',
      value: v,
      limit: `<= ${slo.p99Ms}ms`,
      unit: 'ms',
      verdict: v === null ? 'no-data' : v <= slo.p99Ms ? 'passed' : 'failed',
      detail: v === null ? none : where,
    });
  }
  if (slo.errorRate !== null) {
    const v = picked.length ? median(picked.map((p) => p.errorRate)) : null;
    out.push({
      name: 'slo error rate at peak',
      group: 'slo-at-peak',
      value: v,
      limit: `<= ${(slo.errorRate * 100).toPrecision(3)}%`,
      unit: 'ratio',
      verdict: v === null ? 'no-data' : v <= slo.errorRate ? 'passed' : 'failed',
      detail: v === null ? none : where,
    });
  }
  return out;
}
