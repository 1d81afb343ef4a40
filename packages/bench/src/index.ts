/**
 * @headroom/bench — microbenchmarks with tinybench in CPU-pinned workers: load a bench file,
 * run its tasks in interleaved repetitions, verify pinning from /proc, and produce store rows.
 */
export { loadBench } from './load-bench.ts';
export type { LoadBenchOptions } from './load-bench.ts';
export { runBench, RUN_BENCH_DEFAULTS } from './run-bench.ts';
export { benchEvents } from './bench-events.ts';
export type { RunBenchOptions, BenchEvent, BenchRunResult, RepetitionOutcome, RepetitionResult, RepetitionFailure } from './run-bench.ts';
export { thinSorted } from './measure.ts';
