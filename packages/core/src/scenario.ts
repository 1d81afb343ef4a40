/**
 * The scenario contract: what users write (`ScenarioInput`, via `defineScenario`)
 * and what the rest of headroom consumes after validation (`Scenario`).
 */
import type { DataSourceInput, DataSpec } from './data/data-source.ts';
import type { Checks, DataRow, FlowFn, FlowInput, RequestContext } from './flow.ts';

/** A duration string: "500us", "250ms", "30s", "2m", "1h". */
export type Duration = `${number}${'us' | 'µs' | 'ms' | 's' | 'm' | 'h'}`;
/** A percentage string: "0.1%". */
export type Percent = `${number}%`;
/** A count: 2000, "2k", "1.5M". */
export type Count = number | `${number}${'' | 'k' | 'M'}`;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

/**
 * One request of the mix. `path`, `headers` and `json` may be functions of a small context
 * (iteration, VU id, data rows, seeded random); such requests, and requests with checks, are
 * sent by the scripted engine instead of the static fast path.
 */
export interface RequestInput {
  /** Label in results. @default `${method} ${path}` (`${method} requests[i]` when path is a function) */
  name?: string;
  /** @default 'GET' */
  method?: HttpMethod;
  path: string | ((ctx: RequestContext) => string);
  headers?: Record<string, string> | ((ctx: RequestContext) => Record<string, string>);
  /** JSON body; sets content-type: application/json. */
  json?: unknown;
  /** Raw body. */
  body?: string;
  /** Relative weight in the mix. @default 1 */
  weight?: number;
  /** Checks on each response, counted per name and phase: `{ 'status is 200': (r) => r.status === 200 }`. */
  check?: Checks;
}

/** Open-model rate: constant, linear ramp `{from, to}` over `duration`, or steps `{from, to, step}`. */
export type RateInput = Count | { from: Count; to: Count } | { from: Count; to: Count; step: Count };

/** Closed-model connections: a fixed number, or steps `{from, to, step}` or a list `[1, 2, 4, 8]`, one sub-phase each. */
export type ConnectionsInput = Count | { from: Count; to: Count; step: Count } | Count[];

/**
 * Breakpoint search: end a step phase once the service is past its limit. `'slo'` is
 * `{ slo: true, after: 2 }`: stop after the SLO (p99, error rate) or the offered rate
 * (achieved < 95% of offered) failed in `after` consecutive steps. `slo: false` judges the
 * offered rate only.
 */
export type StopWhenInput = 'slo' | { slo?: boolean; after?: number };

/** How open-model arrivals are spaced: evenly (wrk2's schedule) or as a seeded Poisson process. */
export type ArrivalsInput = 'even' | 'poisson';

/** Budgets the service must stay within; `headroom check` reads those other than headroom and cpu. */
export interface BudgetsInput {
  /** Lowest acceptable headroom over expectedPeak: `'>= 1.3'` or `1.3`. */
  headroom?: string | number;
  /** Service CPU at the peak as a share of its CPU set: `'< 60%'` or `'60%'`; gives the CPU-budget capacity. */
  cpu?: string;
  /** Service CPU time per request: `'< 120us'` or `'120us'`. */
  cpuPerRequest?: string;
  /** Service resident memory: `'< 512MB'` or `'512MB'` (KB, MB, GB). */
  rss?: string;
  /** Forecast headroom: at least `min` times the forecast peak `horizon` from now (`'90d'`, `'12w'`). */
  forecastHeadroom?: { horizon: string; min: number };
}

export interface PhaseInput {
  name: string;
  /** Required except for step phases, whose length is steps × stepDuration. */
  duration?: Duration;
  /** Closed model: number of connections each looping send→wait, or steps of them. Open model: connection pool size. */
  connections?: ConnectionsInput;
  /** Closed model only: pause between a response and the next send. @default '0ms' */
  thinkTime?: Duration;
  /** Open model arrival rate in requests per second. */
  rate?: RateInput;
  /** Step phases: how long each step lasts. */
  stepDuration?: Duration;
  /** Step phases: stop once the service is past its limit (breakpoint search). Only on the last phase. @default undefined (run every step) */
  stopWhen?: StopWhenInput;
  /** Open model: overrides the scenario's `arrivals` for this phase. */
  arrivals?: ArrivalsInput;
  /** Leave this phase out of thresholds, comparisons and profiles (e.g. warm-up). @default true when name is 'warmup' */
  warmup?: boolean;
  /**
   * Open model with flows: the most VUs the phase may grow to when every VU is busy at an
   * arrival (k6's maxVUs; `connections` are the VUs allocated up front, k6's preAllocatedVUs).
   * An arrival that finds all of them busy is dropped and counted. @default connections
   */
  maxVus?: Count;
}

export interface CaptureInput {
  /**
   * CPU profile (wall time with CPU time). `{ hz }` sets the sampling rate; more samples resolve
   * smaller functions in a short phase and cost the service more CPU (README, "Capture").
   * `profiler: 'perf'` samples the service from outside with Linux `perf` instead of the in-process
   * agent: CPU time of every thread and child process, native and kernel frames included, in any
   * language (README, "CPU profiles with perf").
   * `callGraph` (perf only): how perf walks stacks, `'fp'` by frame pointers (Node's JIT code keeps
   * them) or `'dwarf'` from a copy of the stack and the binaries' unwind tables (C/C++/Rust built
   * without frame pointers, e.g. Debian's nginx); default `'fp'` for a `node` command, else `'dwarf'`.
   * @default false; `true` samples at 49 Hz with the in-process agent
   */
  cpu?: boolean | { hz?: number; profiler?: CpuProfiler; callGraph?: PerfCallGraph };
  /**
   * Heap (allocation) profile. `{ intervalBytes }`: mean bytes allocated between samples
   * (V8's sampling heap profiler); smaller sees rarer allocations and costs more.
   * @default false; `true` samples every 1 MiB allocated on average
   */
  heap?: boolean | { intervalBytes?: number };
  /** Server traces through OpenTelemetry; `sample` is the fraction of requests traced. `true` = `{ sample: 0.01 }`. Requests sent with a sampled traceparent are always traced. */
  traces?: boolean | { sample?: number };
  /** Per-second runtime metrics (CPU, RSS, heap, event loop, GC). @default true when any capture is on */
  runtime?: boolean;
}

export interface ServiceInput {
  /** argv of the service under test; `node` is replaced by the Node that runs headroom. */
  command: string[];
  cwd?: string;
  env?: Record<string, string>;
  /** URL polled until it answers 2xx. */
  ready: string;
  /** @default '10s' */
  readyTimeout?: Duration;
  /** The service's CPU set. @default [0] */
  cpus?: number[];
  capture?: CaptureInput;
  /** Grace period between SIGTERM and SIGKILL at stop. @default '5s' */
  stopTimeout?: Duration;
}

export interface WorkersInput {
  /** The load generator's CPU set. @default all CPUs but the service's, or [1] */
  cpus?: number[];
  /** Number of generator processes. @default one per CPU in `cpus` */
  count?: number;
  /** 'headroom' (raw keep-alive sockets, µs timing) or 'autocannon' (reference). @default 'headroom' */
  engine?: 'headroom' | 'autocannon';
  /**
   * What a worker does between events. 'sleep' waits in the kernel (its CPU is free for others);
   * 'poll' keeps its event loop turning and checks the schedule every turn, so its CPU never
   * goes idle: on a VM, where waking an idle CPU costs tens to hundreds of µs, every response is
   * read and every arrival sent without that wake-up, at the price of a whole core per worker
   * (the generator's CPU figures then show the poll, not its work). Open model, headroom engine.
   * @default 'sleep'
   */
  idle?: 'sleep' | 'poll';
}

/** A threshold: an expression such as "< 50ms", or with k6-style abort options. */
export type ThresholdInput = string | { threshold: string; abortOnFail?: boolean; delayAbortEval?: Duration };

/** Production traffic: the peak now (req/s) and its growth, `'4%/month'`. */
export interface TrafficInput {
  peak: Count;
  growth: GrowthRate;
}

/** A compounding growth rate: `'4%/month'`, `'0.5%/week'`, `'30%/year'`, `'-1%/month'`. */
export type GrowthRate = `${number}%/${'day' | 'week' | 'month' | 'year'}`;

/**
 * TLS options of an `https://` target. File paths are relative to the scenario file and
 * hold PEM text; they are read when the run starts and never stored.
 */
export interface TlsInput {
  /** CA certificate(s) the target's certificate must chain to, instead of Node's bundled roots. @default Node's roots */
  ca?: string | string[];
  /** Accept any certificate (self-signed test services); the connection is still encrypted. @default false */
  insecure?: boolean;
  /** Client certificate for mutual TLS (with `key`). */
  cert?: string;
  /** Private key of `cert` (unencrypted PEM). */
  key?: string;
  /** Server name sent as SNI and checked against the certificate. @default the URL's host when it is a name (an IP address sends no SNI) */
  servername?: string;
  /** Resume TLS sessions on reconnect (a full handshake only on the first connection). @default true */
  resume?: boolean;
  /**
   * Key-exchange groups offered, colon-separated OpenSSL names (`'X25519'`, `'X25519:P-256'`).
   * @default Node's (its OpenSSL 3.5 also offers the X25519MLKEM768 hybrid, which costs more per handshake)
   */
  groups?: string;
}

/** A target with options: `{ url: 'https://127.0.0.1:8443', tls: { insecure: true } }`. */
export interface TargetInput {
  /** Base URL: http:// or https://, host and port. */
  url: string;
  /** TLS options; only with an https:// URL. */
  tls?: TlsInput;
}

export interface ScenarioInput {
  name: string;
  service?: ServiceInput;
  /** Base URL of the target (http://127.0.0.1:PORT, https://[::1]:PORT), or `{ url, tls }` for TLS options. */
  target: string | TargetInput;
  /** The request mix. Required unless `flows` is given (a scenario has one or the other). */
  requests?: RequestInput[];
  /**
   * User flows: async functions over a per-VU client, chosen by weight each iteration.
   * `{ checkout: async (vu) => { … } }` or `{ checkout: { fn, weight: 3 } }`.
   */
  flows?: Record<string, FlowFn | FlowInput>;
  /** Test data: `{ users: csv('users.csv'), ids: json('ids.json'), skus: ['a1', 'b2'] }`; `vu.data.users` is the current row. */
  data?: Record<string, DataSourceInput | readonly DataRow[]>;
  workers?: WorkersInput;
  phases: PhaseInput[];
  /** Per-request timeout; a request slower than this counts as a timeout error. @default '10s' */
  timeout?: Duration;
  slo?: { p50?: Duration; p95?: Duration; p99?: Duration; errorRate?: Percent };
  /** Requests per second the service must carry in production. */
  expectedPeak?: Count;
  /**
   * Production traffic and how fast it grows, for forecasts: headroom = capacity / peak, with the
   * peak compounding at `growth` (`'4%/month'`; per day, week, month or year) from the latest run.
   */
  traffic?: TrafficInput;
  /** Open-model arrivals: `'even'` (wrk2's schedule) or `'poisson'` (random, as real traffic). @default 'even' */
  arrivals?: ArrivalsInput;
  /** Seed of the Poisson arrivals: the same seed offers the same bursts. @default 1 */
  seed?: number;
  /** CPU, memory and headroom budgets (`budgets: { cpu: '< 60%', headroom: '>= 1.3' }`). */
  budgets?: BudgetsInput;
  /**
   * Live figures for other tools while the run goes: `prometheus: { listen: '127.0.0.1:9464' }` serves
   * the run's counters, latency histogram and CPU at `/metrics` in Prometheus' text format;
   * `prometheusRemoteWrite: { url }` pushes them every second.
   */
  outputs?: OutputsInput;
  /**
   * A bench file (`defineBench`) that belongs to this scenario, relative to the scenario file:
   * `headroom check` runs it with the scenario and checks each task's median against the
   * baseline's. @default none
   */
  bench?: string;
  /** Gates: `'<phase>.<metric>': '<op> <value>'`, e.g. `'steady.p99': '< 50ms'`. */
  thresholds?: Record<string, ThresholdInput | ThresholdInput[]>;
  /** W3C trace context: fraction of requests sent with a `traceparent` header. @default 0 */
  trace?: { sample: number };
  /**
   * More names whose values are secrets, on top of the built-in ones (token, key, secret,
   * password, auth, session…): header names, query parameters, env vars and JSON body
   * fields with these names (case-insensitive) are stored as `[redacted]`. @default []
   */
  redact?: string[];
}

/** Typed identity function: gives editors the schema; validation happens when headroom loads the file. */
export function defineScenario(input: ScenarioInput): ScenarioInput {
  return input;
}

// ---------------------------------------------------------------- resolved form

export interface Request {
  name: string;
  method: HttpMethod;
  /** As written; for a dynamic path, a placeholder (the function lives in the scenario module). */
  path: string;
  headers: Record<string, string>;
  body: string | null;
  weight: number;
  /** Some of path, headers, json is a function: built per send by the scripted engine. @default false */
  dynamic?: boolean;
  /** Names of the request's checks. @default [] */
  checks?: string[];
}

/** A validated flow: its name and weight (the function lives in the scenario module). */
export interface FlowSpec {
  name: string;
  weight: number;
}

interface PhaseBase {
  name: string;
  warmup: boolean;
  durationMs: number;
  connections: number;
  /** Open model with flows: the most VUs (k6's maxVUs). @default connections */
  maxVus?: number;
}
/** The resolved breakpoint rule of a step phase. */
export interface StopWhen {
  slo: boolean;
  after: number;
}
/** Open-model arrival spacing, with the Poisson seed. */
export interface Arrivals {
  kind: 'even' | 'poisson';
  seed: number;
}
export interface ClosedPhase extends PhaseBase {
  model: 'closed';
  thinkTimeMs: number;
}
/** `arrivals` absent means even (phases built in code rather than validated). */
export interface ConstantPhase extends PhaseBase {
  model: 'constant';
  rate: number;
  arrivals?: Arrivals;
}
export interface RampPhase extends PhaseBase {
  model: 'ramp';
  from: number;
  to: number;
}
export interface StepsPhase extends PhaseBase {
  model: 'steps';
  from: number;
  to: number;
  step: number;
  stepDurationMs: number;
  stopWhen?: StopWhen | null;
  arrivals?: Arrivals;
}
/** Closed-model steps: one sub-phase per connection count; `connections` is the smallest (it bounds the worker count). */
export interface ClosedStepsPhase extends PhaseBase {
  model: 'closed-steps';
  levels: number[];
  stepDurationMs: number;
  thinkTimeMs: number;
  stopWhen: StopWhen | null;
}
/** A validated phase, tagged by its load model. */
export type Phase = ClosedPhase | ConstantPhase | RampPhase | StepsPhase | ClosedStepsPhase;
export type LoadModel = Phase['model'];

export interface Threshold {
  /** As written, e.g. 'steady.p99'. */
  key: string;
  /** Phase name, sub-phase (`steps@500`), or 'run' for the whole measured run. */
  scope: string;
  metric: ThresholdMetric;
  /** Only the requests of this name (`steady{name:report}.p99`). @default undefined (all requests) */
  request?: string;
  /** checkRate of this check only (`checks{check:has id}.rate`). @default undefined (all checks) */
  check?: string;
  op: '<' | '<=' | '>' | '>=' | '==';
  /** In the metric's base unit: ms for latency, fraction for rates of errors, req/s, counts. */
  value: number;
  /** As written, e.g. '< 50ms'. */
  expression: string;
  abortOnFail: boolean;
  delayAbortEvalMs: number;
}
export type ThresholdMetric =
  | 'p50'
  | 'p75'
  | 'p90'
  | 'p95'
  | 'p99'
  | 'p999'
  | 'max'
  | 'mean'
  | 'rate'
  | 'requests'
  | 'errors'
  | 'errorRate'
  | 'lateSends'
  | 'headroom'
  | 'checkRate';

/** Who takes CPU profiles: the agent inside a Node service (@pyroscope/nodejs), or Linux `perf` from outside. */
export type CpuProfiler = 'agent' | 'perf';

/** How perf walks a sample's stack: frame pointers, or DWARF unwind tables over a copy of the stack. */
export type PerfCallGraph = 'fp' | 'dwarf';

export interface Capture {
  cpu: boolean;
  /** CPU sampling rate when set by the scenario; capture resolves the default. */
  cpuHz?: number;
  /** Who samples the CPU profile. @default 'agent' */
  cpuProfiler?: CpuProfiler;
  /** perf's stack walking when set by the scenario; the runner picks by the command otherwise. */
  cpuCallGraph?: PerfCallGraph;
  heap: boolean;
  /** Mean bytes allocated between heap samples when set by the scenario; capture resolves the default. */
  heapIntervalBytes?: number;
  traces: { sample: number } | null;
  runtime: boolean;
}

export interface Service {
  command: string[];
  cwd: string;
  env: Record<string, string>;
  ready: string;
  readyTimeoutMs: number;
  cpus: number[];
  capture: Capture;
  stopTimeoutMs: number;
}

/** Resolved TLS options of an https:// target: absolute file paths, defaults applied. */
export interface Tls {
  /** Absolute paths of CA files; [] means Node's bundled roots. */
  ca: string[];
  insecure: boolean;
  cert: string | null;
  key: string | null;
  /** SNI and the name checked against the certificate; null sends no SNI and checks the URL's host. */
  servername: string | null;
  resume: boolean;
  /** Key-exchange groups offered (OpenSSL names joined by ':'); null leaves Node's default. */
  groups?: string | null;
}

/** A scenario after validation: units resolved, defaults applied. */
export interface Scenario {
  name: string;
  /** Absolute path of the file it came from. */
  file: string;
  service: Service | null;
  /** Base URL (http:// or https://), without a trailing slash. */
  target: string;
  /** TLS options when the target is https://, else null. */
  tls: Tls | null;
  requests: Request[];
  /** Flows by weight; [] for a request mix. */
  flows: FlowSpec[];
  /** Data sources; [] when none. */
  data: DataSpec[];
  /** Whether workers must import the scenario file (flows, dynamic requests, checks or data): the scripted engine. */
  scripted: boolean;
  /** Seed of the VUs' random streams (and Poisson arrivals). */
  seed: number;
  workers: {
    cpus: number[];
    count: number;
    engine: 'headroom' | 'autocannon';
    idle: 'sleep' | 'poll';
    /**
     * Which of cpus and count validation chose because the file left them out: the runner may
     * then move the workers off the CPUs a local target runs on. Absent means both were given.
     */
    auto?: { cpus: boolean; count: boolean };
  };
  phases: Phase[];
  timeoutMs: number;
  slo: { p50Ms: number | null; p95Ms: number | null; p99Ms: number | null; errorRate: number | null };
  expectedPeak: number | null;
  /** Peak req/s and its growth as written (`'4%/month'`); null when the scenario has none. */
  traffic: { peak: number; growth: string } | null;
  budgets: Budgets;
  /** Where live figures go; null when the scenario names none. */
  outputs: { prometheus: { host: string; port: number; lingerMs: number } | null; prometheusRemoteWrite: { url: string } | null };
  /** Absolute path of the scenario's bench file; null when it names none. */
  bench: string | null;
  thresholds: Threshold[];
  trace: { sample: number };
  /** Extra secret names (the input's `redact`), lower-cased. */
  redact: string[];
}

/** Resolved budgets; null where the scenario sets none. */
export interface Budgets {
  headroom: { op: '>=' | '>'; value: number } | null;
  /** Share of the service's CPU set, 0..1. */
  cpu: number | null;
  cpuPerRequestUs: number | null;
  rssMb: number | null;
  forecastHeadroom: { horizonDays: number; min: number } | null;
}

/** One step of a step phase: its sub-phase name and what it offers (a rate, or a number of connections). */
export interface SubPhase {
  name: string;
  rate: number | null;
  connections: number | null;
}

/** The steps of a step phase, open or closed, in order; [] for other phases. */
export function subPhases(p: Phase): SubPhase[] {
  if (p.model === 'steps') return stepRates(p).map((rate) => ({ name: subPhaseName(p.name, rate), rate, connections: null }));
  if (p.model === 'closed-steps') return p.levels.map((c) => ({ name: `${p.name}@c${c}`, rate: null, connections: c }));
  return [];
}

/** Length of a step phase's steps, as the rates each step offers. */
export function stepRates(p: StepsPhase): number[] {
  const rates: number[] = [];
  for (let r = p.from; p.from <= p.to ? r <= p.to + 1e-9 : r >= p.to - 1e-9; r += p.from <= p.to ? p.step : -p.step) rates.push(r);
  return rates;
}

/** Name under which step `rate` of a step phase is reported: `steps@500`. */
export function subPhaseName(phase: string, rate: number): string {
  return `${phase}@${rate}`;
}

/** `outputs`: live figures for other tools while a run goes. */
export interface OutputsInput {
  /**
   * A Prometheus scrape endpoint: `listen` is `host:port` (`'127.0.0.1:9464'`); `linger` keeps it
   * serving the final figures this long after the run ends, so a scraper gets them. @default linger '0s'
   */
  prometheus?: { listen: string; linger?: Duration };
  /** Push the same figures every second to a Prometheus remote-write receiver: `{ url: 'http://127.0.0.1:9090/api/v1/write' }`. */
  prometheusRemoteWrite?: { url: string };
}
