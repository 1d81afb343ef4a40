/**
 * The typed message protocol between the orchestrator (runner) and load worker
 * processes. Messages are unions tagged by `type`; histograms cross as encoded bytes
 * (see histogram.ts). Workers run under `taskset`, talk over Node's IPC channel with
 * `serialization: 'advanced'` so Uint8Array survives intact.
 */
import type { DataSpec, FlowSpec, Phase, Request, Tls } from '@headroom/core';

/** Errors by kind: non-2xx by status class, and transport failures (`tls`: a handshake or TLS record that failed). */
export type ErrorKind = 'http_1xx' | 'http_3xx' | 'http_4xx' | 'http_5xx' | 'timeout' | 'refused' | 'reset' | 'closed' | 'tls' | 'other';
export type ErrorCounts = Partial<Record<ErrorKind, number>>;

/** What one worker must do: its share of every phase. */
export interface WorkerPlan {
  /** This worker's number among the run's local workers, 0…count−1 (its CPUs, its messages). */
  index: number;
  /** The run's local workers. */
  count: number;
  /**
   * The share of the whole scenario's load this worker carries: stripe `index` of `count`.
   * Open-model arrivals are interleaved (stripe i takes global arrivals i, i+count, i+2·count …),
   * and so are connections, VU ids and unique data rows. A run of the whole scenario has one
   * stripe per worker ({index, count} as above). In segment s of n with w local workers, worker j
   * is stripe s + n·j of n·w: segment s holds exactly the global arrivals ≡ s (mod n), whatever w
   * each segment has, so the n segments together offer exactly the whole scenario.
   */
  stripe: { index: number; count: number };
  engine: 'headroom' | 'autocannon';
  /** Between events: wait in the kernel ('sleep') or keep the event loop turning ('poll'); see core's WorkersInput.idle. */
  idle: 'sleep' | 'poll';
  target: string;
  /** TLS options of an https:// target (file paths: each worker reads the PEM files itself); null or absent for http://. */
  tls?: Tls | null;
  requests: Request[];
  /** Phases with this worker's stripe of connections already applied; rates are the whole scenario's. */
  phases: Phase[];
  timeoutMs: number;
  /** Fraction of requests that carry a W3C traceparent header. */
  traceSample: number;
  /** Epoch ms at which phase 0 starts, the same for every worker, so seconds line up. */
  startAt: number;
  /**
   * Flows, data, checks or dynamic requests: the worker imports the scenario file for its
   * functions and runs the scripted engine. Absent or null: the static fast path.
   */
  script?: WorkerScript | null;
}

/** What the scripted engine needs besides the scenario module's functions. */
export interface WorkerScript {
  /** Absolute path of the scenario file. */
  file: string;
  flows: FlowSpec[];
  data: DataSpec[];
  /** Seed of the VUs' random streams. */
  seed: number;
}

/** One request name's share of a phase: counts and both histograms, encoded. Summed over names they give the phase's. */
export interface NameEnd {
  name: string;
  requests: number;
  ok: number;
  errors: ErrorCounts;
  hist: Uint8Array;
  serviceHist: Uint8Array;
}

/** Pass and fail counts of one check over a phase. */
export interface CheckEnd {
  name: string;
  passes: number;
  fails: number;
}

/** One flow over a phase: iterations started, failed (threw), dropped (no VU free), their durations, first error messages. */
export interface FlowEnd {
  name: string;
  iterations: number;
  failed: number;
  dropped: number;
  /** Duration of completed iterations (µs), encoded. */
  hist: Uint8Array;
  /** The first few distinct messages of iterations that threw, with how often each came. */
  messages: { message: string; count: number }[];
}

export type RunnerToWorker =
  | { type: 'start'; plan: WorkerPlan }
  /** Stop sending now, report what was measured, then exit. */
  | { type: 'stop'; reason: string }
  /**
   * End a (step) phase early, as a breakpoint search does once it has decided: its steps not yet
   * begun never start, a step still within its sending time stops at once (its requests in flight
   * dropped: it is cut short), a step whose sending time is over drains as it would have. Then the
   * phase reports as ended; a worker with no phase left to run is done.
   */
  | { type: 'end-phase'; phase: string };

/** Counters shared by a one-second tick and a phase total. */
export interface Counts {
  /** Completed requests (any outcome). */
  requests: number;
  /** 2xx responses. */
  ok: number;
  errors: ErrorCounts;
  /**
   * Open model: sends the generator itself let leave more than 1ms late (its timers, its CPU,
   * being descheduled), counted from when the arrival could first have gone out: its intended
   * time, or when a connection freed up if every one was busy then.
   */
  lateSends: number;
  /** Open model: of those, sends later than twice the generator's timer resolution (2 ms): it was held up, not just ticking. */
  lateBeyondResolution: number;
  /** Open model: the generator's worst own send lag, µs. */
  maxLagUs: number;
  /**
   * Open model: arrivals that found every pooled connection busy on the service and waited for
   * one. This is the service's queue, not the generator's lateness; the wait counts in latency.
   */
  queuedSends: number;
  /** Open model: the longest such wait, µs. */
  maxQueueUs: number;
  /** Open model: arrivals scheduled in the interval. */
  offered: number;
  bytesRead: number;
}

export interface WorkerTick extends Counts {
  type: 'tick';
  worker: number;
  /** Whole seconds since plan.startAt; ticks of all workers with the same second are merged. */
  second: number;
  /** Phase or sub-phase name (`steps@500`) this second belongs to. */
  phase: string;
  /** Latency from intended send time (open model; equal to service time in the closed model), encoded. */
  hist: Uint8Array;
  /** Latency from actual send (service time), encoded. */
  serviceHist: Uint8Array;
  /** Time to failure (from the intended send) of requests that got no response, encoded; absent when none failed. */
  failedHist?: Uint8Array;
  /** Worker process CPU use over the second, 0..1 of one core. */
  cpu: number;
  /**
   * The generator's own floor this second: the median lateness, in µs, of its precise-timer
   * wake-ups (open model, arrivals at least 1 ms apart); null when it had none.
   */
  wakeDelayUs?: number | null;
}

export interface WorkerPhaseEnd extends Counts {
  type: 'phase-end';
  worker: number;
  phase: string;
  /** Parent phase for a step's sub-phase, else the phase itself. */
  parent: string;
  /** Offered rate for open phases (req/s, whole run), null for closed. */
  offeredRate: number | null;
  startedAt: number;
  endedAt: number;
  hist: Uint8Array;
  serviceHist: Uint8Array;
  /** Time to failure of requests that got no response, encoded; absent when none failed. */
  failedHist?: Uint8Array;
  /** Per request name; absent from workers that predate it. */
  names?: NameEnd[];
  /** Per check (scripted engine). */
  checks?: CheckEnd[];
  /** Per flow (scripted engine). */
  flows?: FlowEnd[];
}

/** A request sent with traceparent: its ids and what the generator measured. */
export interface TraceSample {
  traceId: string;
  spanId: string;
  phase: string;
  request: string;
  /** Epoch ms of the intended send. */
  startedAt: number;
  latencyUs: number;
  status: number;
  error: ErrorKind | null;
}

export type WorkerToRunner =
  | { type: 'ready'; worker: number; pid: number }
  | WorkerTick
  | WorkerPhaseEnd
  | { type: 'traces'; worker: number; samples: TraceSample[] }
  | { type: 'warning'; worker: number; message: string }
  | { type: 'done'; worker: number }
  | { type: 'fatal'; worker: number; message: string };
