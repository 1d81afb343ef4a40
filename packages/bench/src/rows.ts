/**
 * Store rows for a bench run, as plain objects in the column names of the `bench_reps` and
 * `bench_samples` tables (the CLI inserts them into DuckDB). Failed repetitions produce no rows.
 * Samples per repetition are capped at RunBenchOptions.sampleCap (default 10 000, evenly
 * thinned by rank), so a nanosecond-fast task cannot produce millions of rows.
 */
import type { RepetitionOutcome, RepetitionResult } from './run-bench.ts';

export interface BenchRepRow {
  run_id: string;
  task: string;
  repetition: number;
  pid: number;
  /** JSON array of the CPUs the worker's threads were allowed, e.g. "[1]". */
  cpus: string;
  iterations: number;
  mean_ns: number;
  median_ns: number;
  min_ns: number;
  max_ns: number;
  sd_ns: number;
  ops_per_s: number;
}

export interface BenchSampleRow {
  run_id: string;
  task: string;
  repetition: number;
  /** Rank of the sample within its repetition (samples are sorted ascending). */
  sample_index: number;
  ns: number;
}

function ok(outcomes: readonly RepetitionOutcome[]): RepetitionResult[] {
  return outcomes.filter((o): o is RepetitionResult => o.status === 'ok');
}

/** One bench_reps row per successful repetition. */
export function benchRepRows(runId: string, outcomes: readonly RepetitionOutcome[]): BenchRepRow[] {
  return ok(outcomes).map((r) => ({
    run_id: runId, task: r.task, repetition: r.repetition, pid: r.pid, cpus: JSON.stringify(r.cpus),
    iterations: r.iterations, mean_ns: r.meanNs, median_ns: r.medianNs, min_ns: r.minNs, max_ns: r.maxNs,
    sd_ns: r.sdNs, ops_per_s: r.opsPerSec,
  }));
}

/** One bench_samples row per kept sample. */
export function benchSampleRows(runId: string, outcomes: readonly RepetitionOutcome[]): BenchSampleRow[] {
  const rows: BenchSampleRow[] = [];
  for (const r of ok(outcomes)) {
    r.samples.forEach((ns, i) => rows.push({ run_id: runId, task: r.task, repetition: r.repetition, sample_index: i, ns }));
  }
  return rows;
}
