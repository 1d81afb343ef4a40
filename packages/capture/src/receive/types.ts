/** The runner-facing types of a capture session and the rows it hands back. */
import type { Capture } from '@headroom/core';
import type { RuntimeSample } from '../protocol.ts';
import type { FunctionRow, ProfileRow } from '../profile/rows.ts';
import type { PerfSetup } from '../perf/perf-check.ts';

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
  /**
   * Called with each batch of spans as it is received (one OTLP export request, up to the
   * span cap), during the run and until `finish` resolves. Spans are not kept by the session:
   * without this callback they are only counted.
   */
  onSpans?(spans: SpanRow[]): void;
  /**
   * Called with a measured phase's profile rows once the phase has ended and the agent has
   * pushed its last profiles (its files are written by then), so that they can be stored while
   * the run goes on: a run killed in a later phase keeps them. Those rows are then not in
   * `finish`'s result, which holds the rest (the last phase, perf's profiles, any phase whose
   * switch the agent did not confirm). Without this callback everything comes from `finish`.
   */
  onPhaseProfiles?(rows: Pick<CaptureResult, 'profiles' | 'functions'>): void;
  /**
   * Called with the running measured phase's profile rows as they stand, shortly after each of
   * its profile pushes (the agent pushes every 10 s); the files they name are written by then and
   * rewritten at the phase's end. Stored as provisional rows, they are what a run killed in this
   * phase keeps of its profile.
   */
  onRunningProfiles?(rows: Pick<CaptureResult, 'profiles' | 'functions'>): void;
  /** What {@link checkPerf} found; needed when `capture.cpuProfiler` is 'perf'. */
  perf?: PerfSetup;
  /** How perf walks stacks: 'fp' (frame pointers, right for Node's JIT code) or 'dwarf'. @default 'fp' */
  perfCallGraph?: 'fp' | 'dwarf';
}

/** A live capture: receivers listening, ready to hand the SUT its agent and environment. */
export interface CaptureSession {
  receivers: { pyroscope: string; otlp: string };
  /** Put before the script in a `node` SUT command: `['--import', '<abs>/agent.ts']`. */
  nodeArgs: string[];
  /** Environment for the SUT (receiver URLs, sampling, OTEL_* …). */
  env: Record<string, string>;
  /**
   * Tells the session the service's pid once it runs: with `cpuProfiler: 'perf'`, perf starts
   * recording it, itself pinned to `cpus` (the generator's). Does nothing otherwise.
   */
  attach(pid: number, cpus: readonly number[]): void;
  /**
   * Called at each phase / step start; `null` between phases. Profiles cover measured phases only.
   * `durationMs`, the phase's planned length, ends a perf profile's phase even when no later mark comes.
   */
  setPhase(phase: string | null, measured: boolean, durationMs?: number): Promise<void>;
  /** Flushes agent and receivers, writes the artifacts not yet handed to `onPhaseProfiles`, stops the receivers. */
  finish(): Promise<CaptureResult>;
}

/** Everything captured for the run, as rows ready for the store. */
export interface CaptureResult {
  profiles: ProfileRow[];
  functions: FunctionRow[];
  /** Spans received and handed to `onSpans` over the run (those over the cap are not counted). */
  spanCount: number;
  runtime: RuntimeSample[];
  warnings: string[];
  /** The first profile file that could not be written (disk full, unwritable folder); its rows are kept. */
  artifactError?: { code: string; path: string; message: string };
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

/** Defaults resolved in one place. */
export const CAPTURE_DEFAULTS = {
  /** Largest request body the receivers accept. */
  maxBodyBytes: 32 * 1024 * 1024,
  /** Bytes all receivers together may be receiving at once; beyond it a request gets 503 with Retry-After. */
  maxReceivingBytes: 64 * 1024 * 1024,
  /** Largest decompressed body. */
  maxInflatedBytes: 128 * 1024 * 1024,
  /** Spans a run accepts before new ones are dropped with a warning. */
  maxSpans: 1_000_000,
  flushIntervalMs: 10_000,
  /**
   * CPU profile samples a second. Pyroscope samples at 100 Hz, Parca at 19 Hz; measured with
   * bench/capture-cost.ts (perf) on a 2-core EPYC VM, the CPU profiler took 1.3-2.7% of the
   * service's CPU at 100 Hz, 0.7% at 49 Hz and 0.45% at 19 Hz. 49 Hz keeps ~490 samples per
   * busy core in a 10 s phase (a function at 5% of the CPU is then seen within ±1 point, one
   * binomial standard deviation) and, being odd, does not run in lockstep with 10 ms timers.
   */
  cpuHz: 49,
  /**
   * Mean bytes allocated between heap samples. Pyroscope's and V8's default is 512 KiB (0.8-1.1%
   * of the service's CPU in the same measurement); 1 MiB took 0.64%, and still samples a
   * service that allocates 100 MB/s about 100 times a second.
   */
  heapIntervalBytes: 1024 * 1024,
  /** CPU time beside wall time at each CPU-profile sample (its cost was within noise of none). */
  collectCpuTime: true,
  /** How long setPhase waits for the agent to acknowledge. */
  phaseAckTimeoutMs: 5_000,
  /** From a running phase's profile push to the snapshot of its profiles (the flush's other pushes join it). */
  snapshotDelayMs: 500,
  /** How long finish waits for the agent to flush. */
  finishTimeoutMs: 15_000,
} as const;
