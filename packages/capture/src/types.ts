import type { Capture } from '@headroom/core';

/** What the runner asks for when it starts capturing for one run. */
export interface CaptureOptions {
  runId: string;
  /** `results/<run-id>/`; profiles are written under `<artifactsDir>/profiles/`. */
  artifactsDir: string;
  capture: Capture;
  /** Reported as `service.name` in spans and as the Pyroscope application name. */
  serviceName: string;
  /**
   * Real servers to forward the received data to, as well as keeping it.
   * When unset, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT / OTEL_EXPORTER_OTLP_ENDPOINT and
   * PYROSCOPE_SERVER_ADDRESS from the runner's environment are used.
   */
  forward?: { pyroscopeUrl?: string; otlpEndpoint?: string };
  /** Called for every problem that does not stop the run (agent failed, garbage received…). */
  onWarning?(message: string): void;
  /** Called once a second per runtime sample the agent sends. */
  onRuntimeSample?(sample: RuntimeSample): void;
}

/** A live capture: receivers listening, ready to hand the SUT its agent and environment. */
export interface CaptureSession {
  receivers: { pyroscope: string; otlp: string };
  /** Put before the script in a `node` SUT command: `['--import', '<abs>/agent.ts']`. */
  nodeArgs: string[];
  /** Environment for the SUT (receiver URLs, sampling, OTEL_* …). */
  env: Record<string, string>;
  /** Called at each phase / step start; `null` between phases. Profiles cover measured phases only. */
  setPhase(phase: string | null, measured: boolean): Promise<void>;
  /** Flushes agent and receivers, writes artifacts, stops the receivers. */
  finish(): Promise<CaptureResult>;
}

/** Everything captured for the run, as rows ready for the store. */
export interface CaptureResult {
  profiles: ProfileRow[];
  functions: FunctionRow[];
  spans: SpanRow[];
  runtime: RuntimeSample[];
  warnings: string[];
  /** The first profile file that could not be written (disk full, unwritable folder); its rows are kept. */
  artifactError?: { code: string; path: string; message: string };
}

/** One merged profile of one phase, one sample type. */
export interface ProfileRow {
  phase: string;
  /** 'cpu' | 'wall' | 'heap', or the pprof sample type name for other types. */
  type: string;
  /** Gzipped pprof file under artifactsDir. */
  path: string;
  sample_type: string;
  unit: string;
  total: number;
}

/** Self and total of one function in one profile (phase × type). */
export interface FunctionRow {
  phase: string;
  type: string;
  function: string;
  file: string;
  line: number;
  self: number;
  total: number;
  unit: string;
}

/** One span as received over OTLP. */
export interface SpanRow {
  trace_id: string;
  span_id: string;
  parent_span_id: string | null;
  name: string;
  /** 'server' | 'client' | 'internal' | 'producer' | 'consumer' | 'unspecified' */
  kind: string;
  service: string;
  /** Epoch ms. */
  start_ms: number;
  duration_ms: number;
  /** 'unset' | 'ok' | 'error' */
  status_code: string;
  /** JSON object of the span's attributes. */
  attributes: string;
  source: 'otlp';
}

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
export type ControlMessage =
  | { type: 'phase'; seq: number; phase: string | null; measured: boolean }
  | { type: 'finish'; seq: number };

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
}

/** Defaults resolved in one place. */
export const CAPTURE_DEFAULTS = {
  /** Largest request body the receivers accept. */
  maxBodyBytes: 32 * 1024 * 1024,
  /** Bytes all receivers together may be receiving at once; beyond it a request gets 503 with Retry-After. */
  maxReceivingBytes: 64 * 1024 * 1024,
  /** Largest decompressed body. */
  maxInflatedBytes: 128 * 1024 * 1024,
  /** Spans kept in memory before new ones are dropped with a warning. */
  maxSpans: 1_000_000,
  flushIntervalMs: 10_000,
  /** 100 Hz, Pyroscope's default. */
  wallIntervalMicros: 10_000,
  /** How long setPhase waits for the agent to acknowledge. */
  phaseAckTimeoutMs: 5_000,
  /** How long finish waits for the agent to flush. */
  finishTimeoutMs: 15_000,
} as const;
