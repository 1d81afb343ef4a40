/**
 * The report's model: everything the HTML and Markdown reports show, as plain JSON-safe data.
 * Every section but the run's identity is optional; a renderer leaves out what is absent.
 * Times are ISO strings or epoch ms, latencies ms, rates requests/s.
 */
import type { ScriptedPhase } from '../scripted-summary.ts';

/** The run's identity. */
export interface ReportRun {
  id: string;
  kind: string;
  scenario: string;
  status: string;
  /** 'passed' | 'failed' | null when no gates ran. */
  gates: string | null;
  startedAt: string | null;
  endedAt: string | null;
  durationS: number | null;
  gitSha: string | null;
  gitDirty: boolean | null;
  version: string | null;
  host: string | null;
  cpuModel: string | null;
  cpuCount: number | null;
  nodeVersion: string | null;
  serviceCpus: number[] | null;
  workerCpus: number[] | null;
  error: string | null;
}

/** Which CPUs one process was allowed, as verified during the run. */
export interface ReportPinning {
  role: string;
  pid: number;
  requested: number[];
  allowed: number[];
  verified: boolean;
}

/** One gate (threshold or check) with its outcome. */
export interface ReportGate {
  key: string;
  expression: string;
  value: number | null;
  threshold: number | null;
  passed: boolean;
  reason: string | null;
}

/** Percentiles of one phase, ms. */
export interface ReportLatency {
  p50: number | null;
  p90: number | null;
  p99: number | null;
  p999: number | null;
  max: number | null;
}

/** One phase's figures. */
export interface ReportPhase {
  name: string;
  parent: string | null;
  model: string | null;
  warmup: boolean;
  durationS: number | null;
  offeredRate: number | null;
  achievedRate: number | null;
  requests: number;
  errors: number;
  errorRate: number | null;
  errorsByKind: Record<string, number>;
  lateSends: number | null;
  /** From the intended send time (coordinated omission corrected). */
  latency: ReportLatency;
  /** From the actual send (service time). */
  serviceTime: ReportLatency;
  /** The run stopped while this phase ran: its figures are up to its last whole second (optional: data built before schema 7). */
  partial?: boolean;
  /** The hypervisor's steal over the phase on the generator's and the service's CPUs, 0..1 (optional: data built before schema 8). */
  steal?: { generator: number | null; service: number | null };
}

/** A span of seconds that belongs to one phase, drawn as a band behind time series. */
export interface PhaseBand {
  phase: string;
  from: number;
  to: number;
}

/** Requests, errors and duration per second. Arrays are aligned on `seconds`. */
export interface RedSeries {
  seconds: number[];
  requests: number[];
  /** Errors per second by kind ('status 5xx', 'timeout', …). */
  errorsByKind: Record<string, number[]>;
  p50: (number | null)[];
  p90: (number | null)[];
  p99: (number | null)[];
  bands: PhaseBand[];
}

/** One latency percentile spectrum: x = 1/(1−q) (HdrHistogram's percentile plot), y = ms. */
export interface SpectrumCurve {
  x: number[];
  ms: number[];
  count: number;
}

/** A phase's spectra: corrected and service time, so coordinated omission shows as the gap. */
export interface LatencySpectrum {
  phase: string;
  corrected: SpectrumCurve | null;
  serviceTime: SpectrumCurve | null;
}

/** One capacity step: offered load and what the service did with it. */
export interface CapacityStep {
  phase: string;
  offeredRate: number | null;
  concurrency: number | null;
  achievedRate: number | null;
  p99: number | null;
  serviceP99: number | null;
  errorRate: number | null;
  /** Service CPU utilisation over the step, 0..1 of its CPU set. */
  cpu: number | null;
  /** Stopped early by the breakpoint search (`phases.cut_short`). @default false */
  cutShort?: boolean;
}

/** The USL fit X(N) = λN / (1 + σ(N−1) + κN(N−1)). */
export interface UslFit {
  sigma: number;
  kappa: number;
  lambda: number;
  r2: number | null;
  peakConcurrency: number | null;
  peakThroughput: number | null;
}

/** Capacity: steps, the SLO-bounded capacity and its bracket, the USL fit, the CPU budget. */
export interface CapacityData {
  steps: CapacityStep[];
  sloP99: number | null;
  capacity: { rate: number; bracket: [number, number]; limitedBy: string } | null;
  cpuBudget: number | null;
  cpuBudgetCapacity: number | null;
  usl: UslFit | null;
  expectedPeak: number | null;
  headroom: number | null;
}

/** The service's resource use per second (USE). Arrays are aligned on `seconds`; null = not sampled. */
export interface ResourceSeries {
  seconds: number[];
  /** 0..1 of the service's CPU set. */
  cpu: (number | null)[];
  rssMb: (number | null)[];
  heapMb: (number | null)[];
  /** Event-loop utilisation, 0..1. */
  elu: (number | null)[];
  eventLoopDelayP99Ms: (number | null)[];
  gcMs: (number | null)[];
  bands: PhaseBand[];
}

/** A point of the scenario's history. */
export interface TrendPoint {
  runId: string;
  time: string;
  sha: string | null;
  value: number;
}

/** The scenario's history of one metric, with change points and forecast when known. */
export interface TrendData {
  metric: string;
  unit: string;
  points: TrendPoint[];
  changePoints: { index: number; changePct: number }[];
  forecast: { time: string[]; value: number[]; low: number[]; high: number[] } | null;
  budget: number | null;
  summary: string | null;
}

/**
 * A flame graph as a pre-order list of frames: frame i has name `names[name[i]]` (defined in
 * `files[name[i]]`), depth
 * `depth[i]` (roots 0) and value `total[i]` (self `self[i]`). A frame's children follow it,
 * so x offsets are sums of earlier siblings' totals. `baseline` holds the baseline side's
 * totals for a differential flame graph (both sides as shares of their own totals).
 */
export interface FlameGraph {
  id: string;
  title: string;
  phase: string;
  type: string;
  unit: string;
  names: string[];
  /** `file:line` of each name. */
  files: string[];
  name: number[];
  depth: number[];
  total: number[];
  self: number[];
  /** The sum of the roots. */
  sum: number;
  baseline?: { total: number[]; self: number[]; sum: number; runId: string };
}

/** A span in a trace waterfall. Offsets are ms from the request's start. */
export interface WaterfallSpan {
  name: string;
  kind: string;
  service: string;
  depth: number;
  offsetMs: number;
  durationMs: number;
  error: boolean;
  detail: string;
}

/** One of the slowest traced requests. */
export interface SlowRequest {
  traceId: string;
  phase: string | null;
  request: string;
  latencyMs: number;
  status: number | null;
  error: string | null;
  source: 'generator' | 'server';
  spans: WaterfallSpan[];
}

/** A benchmark task's median over repetitions, with its order-statistic CI. */
export interface BenchTask {
  task: string;
  repetitions: number;
  medianNs: number;
  ci: { low: number; high: number; confidence: number } | null;
  note: string | null;
  baseline?: { medianNs: number; deltaPct: number; p: number | null; significant: boolean } | null;
}

/** Everything a report shows. */
export interface ReportData {
  /** headroom's report format; bumped when a field changes meaning. */
  format: 1;
  generatedAt: string;
  run: ReportRun;
  baselineRunId?: string | null;
  summary?: string;
  /** The scenario's SLO, drawn as a line on latency charts. */
  slo?: { p99: number | null; errorRate: number | null };
  pinning?: ReportPinning[];
  warnings?: string[];
  gates?: ReportGate[];
  phases?: ReportPhase[];
  /** Per top-level phase of a scripted run: its requests by name, checks and flows (as `headroom run --json` has them). */
  scripted?: ScriptedPhase[];
  red?: RedSeries;
  spectra?: LatencySpectrum[];
  capacity?: CapacityData;
  resources?: ResourceSeries;
  trend?: TrendData;
  flameGraphs?: FlameGraph[];
  slowRequests?: SlowRequest[];
  /** Flame graph id of the CPU samples of the slowest requests' spans, when the join found any. */
  slowRequestsFlameId?: string | null;
  bench?: BenchTask[];
}
