/**
 * The messages between the two processes of capture: the agent inside the service and the
 * receiver inside the runner. Both sides import this file; neither imports the other.
 */

/** One second of the SUT's runtime, measured inside the SUT by the agent. */
export interface RuntimeSample {
  second_epoch: number;
  /** Fraction of one core. */
  cpu: number;
  rss_mb: number;
  heap_used_mb: number;
  /** Event-loop utilisation, 0..1. */
  elu: number;
  eld_p99_ms: number;
  gc_ms: number;
}

/** What the runner's session sends the agent over the control stream. */
export type ControlMessage = { type: 'phase'; seq: number; phase: string | null; measured: boolean } | { type: 'finish'; seq: number };

/** What the agent posts back to the receiver. */
export type AgentMessage =
  | { type: 'hello'; pid: number; node: string; profiling: boolean; tracing: boolean }
  | { type: 'ack'; seq: number }
  | { type: 'runtime'; samples: RuntimeSample[] }
  | { type: 'warning'; message: string };

/** Configuration handed to the agent through HEADROOM_CAPTURE (JSON). */
export interface AgentConfig {
  url: string;
  /** This run's secret for the control endpoints (GET /control, POST /agent): other local processes cannot post into the run. */
  token: string;
  runId: string;
  serviceName: string;
  cpu: boolean;
  heap: boolean;
  /** Trace sample ratio, or null when tracing is off. */
  traceSample: number | null;
  runtime: boolean;
  /** Pyroscope flush interval while a measured phase runs. */
  flushIntervalMs: number;
  /** Wall sampling interval, µs. */
  wallIntervalMicros: number;
  /** Mean bytes allocated between heap samples. */
  heapIntervalBytes: number;
  /** Read the thread's CPU clock at every wall sample (a CPU-time view beside wall time). */
  collectCpuTime: boolean;
}
