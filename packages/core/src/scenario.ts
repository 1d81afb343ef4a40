/**
 * The scenario contract: what users write (`ScenarioInput`, via `defineScenario`)
 * and what the rest of headroom consumes after validation (`Scenario`).
 */

/** A duration string: "500us", "250ms", "30s", "2m", "1h". */
export type Duration = `${number}${'us' | 'µs' | 'ms' | 's' | 'm' | 'h'}`;
/** A percentage string: "0.1%". */
export type Percent = `${number}%`;
/** A count: 2000, "2k", "1.5M". */
export type Count = number | `${number}${'' | 'k' | 'M'}`;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

/** One request of the mix. */
export interface RequestInput {
  /** Label in results. @default `${method} ${path}` */
  name?: string;
  /** @default 'GET' */
  method?: HttpMethod;
  path: string;
  headers?: Record<string, string>;
  /** JSON body; sets content-type: application/json. */
  json?: unknown;
  /** Raw body. */
  body?: string;
  /** Relative weight in the mix. @default 1 */
  weight?: number;
}

/** Open-model rate: constant, linear ramp `{from, to}` over `duration`, or steps `{from, to, step}`. */
export type RateInput = Count | { from: Count; to: Count } | { from: Count; to: Count; step: Count };

export interface PhaseInput {
  name: string;
  /** Required except for step phases, whose length is steps × stepDuration. */
  duration?: Duration;
  /** Closed model: number of connections each looping send→wait. Open model: connection pool size. */
  connections?: Count;
  /** Closed model only: pause between a response and the next send. @default '0ms' */
  thinkTime?: Duration;
  /** Open model arrival rate in requests per second. */
  rate?: RateInput;
  /** Step phases: how long each step lasts. */
  stepDuration?: Duration;
  /** Leave this phase out of thresholds, comparisons and profiles (e.g. warm-up). @default true when name is 'warmup' */
  warmup?: boolean;
}

export interface CaptureInput {
  /** CPU profile (wall time with CPU time). @default false */
  cpu?: boolean;
  /** Heap (allocation) profile. @default false */
  heap?: boolean;
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
}

/** A threshold: an expression such as "< 50ms", or with k6-style abort options. */
export type ThresholdInput =
  | string
  | { threshold: string; abortOnFail?: boolean; delayAbortEval?: Duration };

/** Production traffic: the peak now (req/s) and its growth, `'4%/month'`. */
export interface TrafficInput {
  peak: Count;
  growth: GrowthRate;
}

/** A compounding growth rate: `'4%/month'`, `'0.5%/week'`, `'30%/year'`, `'-1%/month'`. */
export type GrowthRate = `${number}%/${'day' | 'week' | 'month' | 'year'}`;

export interface ScenarioInput {
  name: string;
  service?: ServiceInput;
  /** Base URL of the target, http://127.0.0.1:PORT or http://[::1]:PORT. */
  target: string;
  requests: RequestInput[];
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
  path: string;
  headers: Record<string, string>;
  body: string | null;
  weight: number;
}

interface PhaseBase {
  name: string;
  warmup: boolean;
  durationMs: number;
  connections: number;
}
export interface ClosedPhase extends PhaseBase { model: 'closed'; thinkTimeMs: number }
export interface ConstantPhase extends PhaseBase { model: 'constant'; rate: number }
export interface RampPhase extends PhaseBase { model: 'ramp'; from: number; to: number }
export interface StepsPhase extends PhaseBase { model: 'steps'; from: number; to: number; step: number; stepDurationMs: number }
/** A validated phase, tagged by its load model. */
export type Phase = ClosedPhase | ConstantPhase | RampPhase | StepsPhase;
export type LoadModel = Phase['model'];

export interface Threshold {
  /** As written, e.g. 'steady.p99'. */
  key: string;
  /** Phase name, sub-phase (`steps@500`), or 'run' for the whole measured run. */
  scope: string;
  metric: ThresholdMetric;
  op: '<' | '<=' | '>' | '>=' | '==';
  /** In the metric's base unit: ms for latency, fraction for rates of errors, req/s, counts. */
  value: number;
  /** As written, e.g. '< 50ms'. */
  expression: string;
  abortOnFail: boolean;
  delayAbortEvalMs: number;
}
export type ThresholdMetric =
  | 'p50' | 'p75' | 'p90' | 'p95' | 'p99' | 'p999' | 'max' | 'mean'
  | 'rate' | 'requests' | 'errors' | 'errorRate' | 'lateSends' | 'headroom';

export interface Capture { cpu: boolean; heap: boolean; traces: { sample: number } | null; runtime: boolean }

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

/** A scenario after validation: units resolved, defaults applied. */
export interface Scenario {
  name: string;
  /** Absolute path of the file it came from. */
  file: string;
  service: Service | null;
  target: string;
  requests: Request[];
  workers: { cpus: number[]; count: number; engine: 'headroom' | 'autocannon' };
  phases: Phase[];
  timeoutMs: number;
  slo: { p50Ms: number | null; p95Ms: number | null; p99Ms: number | null; errorRate: number | null };
  expectedPeak: number | null;
  /** Peak req/s and its growth as written (`'4%/month'`); null when the scenario has none. */
  traffic: { peak: number; growth: string } | null;
  thresholds: Threshold[];
  trace: { sample: number };
  /** Extra secret names (the input's `redact`), lower-cased. */
  redact: string[];
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
