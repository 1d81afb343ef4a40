/**
 * Regressions against the baseline: per measured phase, throughput, p50, p99 (and CPU per
 * request where both sides have it) compared with `compare`'s statistics, runs as the unit.
 * A regression is significant (Mann-Whitney U, p <= alpha) and beyond the noise floor. Where
 * significance cannot be judged (too few runs), the max-change guard fails a worsening larger
 * than it, labelled as such; without a guard the check says it cannot judge.
 */
import { compareSets, isFromZero, type BenchmarkComparison } from '../compare.ts';
import { regressionGate } from '../regression-gate.ts';
import type { SampleSet } from '../sample-set.ts';
import type { CheckResult } from './check-result.ts';

/** One measured phase of one run. */
export interface RegressionPhase {
  runId: string;
  phase: string;
  achievedRate: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
  /** Service CPU microseconds per request, when measured. */
  cpuPerRequestUs?: number | null;
}

/** Options of {@link regressionChecks}. */
export interface RegressionCheckOptions {
  /** @default 0.05 */
  alpha?: number;
  /** @default 0.01 */
  noiseFloor?: number;
  /** Non-statistical guard for data too small to test; null turns it off. @default 0.2 */
  maxChange?: number | null;
}

export const REGRESSION_CHECK_DEFAULTS = { alpha: 0.05, noiseFloor: 0.01, maxChange: 0.2 } as const;

/** The metrics compared, with their units: one SampleSet per unit, one value per run. */
const METRICS: readonly [unit: string, suffix: string, pick: (r: RegressionPhase) => number | null | undefined][] = [
  ['req/s', 'throughput', (r) => r.achievedRate],
  ['ms', 'p50', (r) => r.p50Ms],
  ['ms', 'p99', (r) => r.p99Ms],
  ['us/req', 'cpu/request', (r) => r.cpuPerRequestUs],
];

function sets(rows: readonly RegressionPhase[], label: string): SampleSet[] {
  const units = new Map<string, Map<string, number[]>>();
  for (const [unit, suffix, pick] of METRICS) {
    const b = units.get(unit) ?? new Map<string, number[]>();
    units.set(unit, b);
    for (const r of rows) {
      const v = pick(r);
      if (v === null || v === undefined || !Number.isFinite(v)) continue;
      const k = `${r.phase} ${suffix}`;
      b.set(k, [...(b.get(k) ?? []), v]);
    }
  }
  return [...units].map(([unit, benchmarks]) => ({ label, unit, benchmarks }));
}

/** One check per phase metric present on both sides. */
export function regressionChecks(
  baseline: readonly RegressionPhase[],
  candidate: readonly RegressionPhase[],
  options: RegressionCheckOptions = {},
): CheckResult[] {
  const o = { ...REGRESSION_CHECK_DEFAULTS, ...options };
  const comparisons = compareSets(sets(baseline, 'baseline'), sets(candidate, 'candidate'), { alpha: o.alpha, noiseFloor: o.noiseFloor });
  const out: CheckResult[] = [];
  for (const c of comparisons) {
    for (const row of c.rows) {
      if (!row.baseline || !row.candidate) continue;
      const gate = regressionGate(
        { ...c, rows: [row] },
        { noiseFloor: o.noiseFloor, ...(o.maxChange === null ? {} : { maxChange: o.maxChange }) },
      );
      out.push(comparisonCheck(row, gate.regressions[0]?.reason ?? null, o, RUNS_ADVICE));
    }
  }
  return out;
}

/** What a sample is, and how to get more of them, in the words of a check's detail. */
export interface SampleAdvice {
  /** The unit of observation, plural: `runs`, `repetitions`. */
  unit: string;
  /** How to get enough of them for a statistical verdict. */
  how: string;
}

const RUNS_ADVICE: SampleAdvice = { unit: 'runs', how: 'repeat runs (--repeat 6 or more a side) for a statistical verdict' };

/**
 * One compared row as a regression check: failed when the gate failed it (significant and
 * beyond the floor, or beyond the max-change guard where significance cannot be judged).
 * `advice` says how to get enough samples when there are too few.
 */
export function comparisonCheck(
  r: BenchmarkComparison,
  failedBy: 'significant' | 'max-change' | null,
  o: { alpha: number; noiseFloor: number; maxChange: number | null },
  advice: SampleAdvice,
): CheckResult {
  const n = `n=${r.baseline?.n ?? 0}+${r.candidate?.n ?? 0}`;
  const delta = r.deltaPct === null ? (isFromZero(r) ? 'from 0' : '?') : `${r.deltaPct >= 0 ? '+' : ''}${r.deltaPct.toFixed(1)}%`;
  const p = r.p === null ? '' : `, p=${r.p < 0.001 ? r.p.toExponential(1) : r.p.toFixed(3)}`;
  const unjudged = r.verdict === 'insufficient';
  const detail =
    failedBy === 'max-change'
      ? `${delta} (${n}): worse by more than the ${((o.maxChange ?? 0) * 100).toFixed(0)}% max-change guard; too few ${advice.unit} for a significance test`
      : unjudged
        ? `${delta} (${n}): too few ${advice.unit} to judge significance; ${advice.how}`
        : `${delta} (${n}${p})${r.withinNoise ? ', within the noise floor' : ''}`;
  const unit = r.unit;
  return {
    name: `regression ${r.name}`,
    group: 'regression',
    value: r.deltaPct,
    unit: '%',
    limit: `not significantly worse (p <= ${o.alpha}) by > ${(o.noiseFloor * 100).toFixed(0)}%${o.maxChange === null ? '' : `; never > ${(o.maxChange * 100).toFixed(0)}% worse`}`,
    verdict: failedBy ? 'failed' : unjudged && o.maxChange === null ? 'note' : 'passed',
    detail: `${detail}; baseline ${fmt(r.baseline?.median, unit)}, candidate ${fmt(r.candidate?.median, unit)}`,
  };
}

function fmt(v: number | undefined, unit: string): string {
  return v === undefined ? '-' : `${Number(v.toPrecision(4))} ${unit}`;
}
