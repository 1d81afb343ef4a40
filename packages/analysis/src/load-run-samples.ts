/**
 * Turns stored runs into SampleSets so that comparisons use runs as the unit of observation
 * (never individual requests, which are not independent within a run).
 */
import type { SampleSet } from './sample-set.ts';

/** One phase of one load run, as the store keeps it. */
export interface LoadPhaseRow {
  run_id?: string;
  phase: string;
  achieved_rate: number | null;
  p50_ms: number | null;
  p99_ms: number | null;
}

/**
 * Per-phase rows of several load runs → one SampleSet per unit: `req/s` holds
 * `<phase> req/s`, `ms` holds `<phase> p50` and `<phase> p99`, one value per run (null values
 * are skipped). Compare two sides with compareSets(). A single run per side yields verdict
 * 'insufficient' with a "single run" reason: a difference, never a significance claim.
 */
export function loadRunSamples(rows: readonly LoadPhaseRow[], label = 'runs'): SampleSet[] {
  const rate = new Map<string, number[]>();
  const lat = new Map<string, number[]>();
  const push = (m: Map<string, number[]>, k: string, v: number | null) => {
    if (v === null || !Number.isFinite(v)) return;
    let l = m.get(k);
    if (!l) m.set(k, (l = []));
    l.push(v);
  };
  for (const r of rows) {
    push(rate, `${r.phase} req/s`, r.achieved_rate);
    push(lat, `${r.phase} p50`, r.p50_ms);
    push(lat, `${r.phase} p99`, r.p99_ms);
  }
  return [
    { label, unit: 'req/s', benchmarks: rate },
    { label, unit: 'ms', benchmarks: lat },
  ];
}

/** One repetition of a bench task, as stored in `bench_reps`. */
export interface BenchRepSampleRow {
  task: string;
  median_ns: number;
  mean_ns?: number;
}

/**
 * bench_reps rows of one or more bench runs → a SampleSet in ns/op with one value per
 * repetition (each repetition ran in a fresh process, so repetitions are independent).
 * Uses each repetition's median per-iteration time by default: tinybench times every
 * iteration, so a repetition's mean carries the occasional GC pause or preemption of
 * milliseconds, and measured 5-10× noisier across repetitions than the median on a busy
 * 2-CPU host. Pass 'mean_ns' for Go-like mean ns/op.
 */
export function benchRepSamples(
  rows: readonly BenchRepSampleRow[],
  label = 'bench',
  statistic: 'mean_ns' | 'median_ns' = 'median_ns',
): SampleSet {
  const m = new Map<string, number[]>();
  for (const r of rows) {
    const v = r[statistic];
    if (v === undefined || !Number.isFinite(v)) continue;
    let l = m.get(r.task);
    if (!l) m.set(r.task, (l = []));
    l.push(v);
  }
  return { label, unit: 'ns/op', benchmarks: m };
}
