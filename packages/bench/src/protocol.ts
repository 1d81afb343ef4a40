/**
 * Messages between the bench orchestrator and a pinned bench worker process (Node IPC with
 * `serialization: 'advanced'`, so Float64Array samples cross intact). Unions tagged by `type`.
 *
 * Process isolation: ready → run → result → release (the process exits).
 * Thread isolation: ready → (run → result → release)* → exit; each run is a fresh piscina
 * worker thread inside the one pinned host process.
 * The orchestrator reads /proc/<pid>/task/* at `ready` and again at `result`, while every
 * thread that measured is still alive.
 */

/** One measurement: one task, one repetition. */
export interface MeasureJob {
  file: string;
  task: string;
  timeMs: number;
  warmupMs: number;
  /** At most this many per-iteration samples come back (evenly thinned by rank). */
  sampleCap: number;
  /**
   * Write a V8 CPU profile (.cpuprofile) of the task's warm-up and measurement to this path: the
   * profiler runs from just before them to just after, so the worker's start-up (Node, the
   * TypeScript strip, the bench file's imports) is not in it.
   */
  profile?: string;
}

/** What a worker measured in one repetition (the orchestrator adds pid and pinning to it). */
export interface MeasuredStats {
  status: 'ok';
  /** Iterations measured: samples × batch. */
  iterations: number;
  /**
   * Iterations timed together per sample: 1 when one iteration outlasts 100 clock reads, or the
   * task has beforeEach/afterEach or is async; else enough for a batch to outlast them, and a
   * sample is the batch's time / batch.
   */
  batch: number;
  meanNs: number;
  medianNs: number;
  minNs: number;
  maxNs: number;
  sdNs: number;
  opsPerSec: number;
  /** Per-iteration latencies in ns (a batch's mean when batch > 1), sorted ascending (tinybench keeps them sorted), thinned to sampleCap. */
  samples: Float64Array;
  /** True when samples were thinned from `iterations / batch` values. */
  thinned: boolean;
  /** Worker thread id in thread isolation; 0 for the main thread. */
  threadId: number;
  /** What one clock read costs (or its resolution, if larger), in ns: the floor of an iteration timed alone. */
  clockNs: number;
  /** Wall time of warm-up + measurement, hooks included (`time` and `warmup` count only the timed iterations). */
  wallMs: number;
  /**
   * CPU time of the measuring thread / wall time, over warm-up + measurement. Near 1 when the
   * task had its CPU to itself; lower when something else ran on the bench CPU (preemption).
   */
  cpuShare: number;
  /** Involuntary context switches of the worker process during the measurement (0 in thread isolation: not per thread). */
  involuntarySwitches: number;
}

export type Measurement = MeasuredStats | { status: 'failed'; error: string };

export type ParentToBenchWorker = { type: 'run'; job: MeasureJob } | { type: 'release' } | { type: 'exit' };

export type BenchWorkerToParent = { type: 'ready'; pid: number } | { type: 'result'; measurement: Measurement };
