/**
 * A SampleSet is one side of a comparison: one number per independent run (a bench
 * repetition, a load run, a `go test -bench` line), per benchmark, all in one unit.
 */

export interface SampleSet {
  /** Shown as the column header: a file name, a run id, "baseline". */
  label: string;
  /** 'ns/op', 'ms', 'req/s', 'B/op', 'allocs/op', 'MB/s' … */
  unit: string;
  /** Whether a bigger number is better, as the sample file states it (`better`); from the unit when absent (isHigherBetter). */
  higherIsBetter?: boolean;
  /** Benchmark name → one value per independent run. */
  benchmarks: ReadonlyMap<string, readonly number[]> | Readonly<Record<string, readonly number[]>>;
}

/** The benchmarks of a set as [name, values] pairs, in insertion order. */
export function sampleEntries(set: SampleSet): [string, readonly number[]][] {
  const b = set.benchmarks;
  return b instanceof Map ? [...b.entries()] : Object.entries(b as Record<string, readonly number[]>);
}

/** Per a unit of time: "/s", "/sec", "/min", "/hour", "per second" … */
const PER_TIME = /(\/|\bper\s+)(s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?)$/;
/** Rates named by their initials or in Hz: qps, rps, tps, iops, ops, Hz, kHz. */
const RATE_NAMES = /^((q|r|t|io)ps|ops?\b.*|[kmg]?hz)$/;

/**
 * Whether a bigger number is better in this unit: rates ("req/s", "ops/min", "MB/s", "qps",
 * "rps", "Hz", anything per unit of time). Times, sizes and counts per op (ns/op, ms, B/op,
 * allocs/op) are lower-is-better. A sample file can say which it is (`better`).
 */
export function isHigherBetter(unit: string): boolean {
  const u = unit.trim().toLowerCase();
  return PER_TIME.test(u) || RATE_NAMES.test(u);
}
