/**
 * A SampleSet is one side of a comparison: one number per independent run (a bench
 * repetition, a load run, a `go test -bench` line), per benchmark, all in one unit.
 */

export interface SampleSet {
  /** Shown as the column header: a file name, a run id, "baseline". */
  label: string;
  /** 'ns/op', 'ms', 'req/s', 'B/op', 'allocs/op', 'MB/s' … */
  unit: string;
  /** Benchmark name → one value per independent run. */
  benchmarks: ReadonlyMap<string, readonly number[]> | Readonly<Record<string, readonly number[]>>;
}

/** The benchmarks of a set as [name, values] pairs, in insertion order. */
export function sampleEntries(set: SampleSet): [string, readonly number[]][] {
  const b = set.benchmarks;
  return b instanceof Map ? [...b.entries()] : Object.entries(b as Record<string, readonly number[]>);
}

/**
 * Whether a bigger number is better in this unit: throughput units ("req/s", "ops/s",
 * "MB/s", anything per second or starting with "ops"). Times, sizes and counts per op
 * (ns/op, ms, B/op, allocs/op) are lower-is-better.
 */
export function isHigherBetter(unit: string): boolean {
  const u = unit.trim().toLowerCase();
  return /\/s(ec)?$/.test(u) || /^ops?\b/.test(u) || u === 'hz' || u.endsWith('per second');
}
