/**
 * `headroom capacity`: the capacity analysis of a stored run (its breakpoint or step phase) or
 * of a capacity planner's own points, stored in the `capacity` table. Reads and writes through
 * the store's typed API; the models are analysis', the rendering report's.
 */
import {
  analyzeCapacity,
  judgeStep,
  type CapacityAnalysis,
  type CapacityStep,
  type CapacityPoint,
  type UslPoint,
} from '@headroom/analysis';
import { UsageError, type Scenario } from '@headroom/core';
import {
  readCapacity,
  readPhases,
  readRun,
  resolveRunRef,
  writeCapacity,
  type CapacityRecord,
  type StoredPhase,
  type Store,
} from '@headroom/store';
import { failureFromAnswers } from './breakpoint-live.ts';
import { formatShare, STEAL_WARN_SHARE } from './host-steal.ts';
import { capacityOptionsOf, pickCapacityPhases } from './capacity-steps.ts';

/** One step as `headroom capacity` shows it. */
export interface CapacityStepRow {
  phase: string;
  /** req/s offered (open model); null for closed-model steps. */
  offered: number | null;
  achieved: number;
  /** Mean requests in flight at the service (N = X·R); for a points file, its concurrency. */
  concurrency: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
  serviceP50Ms: number | null;
  serviceP99Ms: number | null;
  errorRate: number;
  /** Service CPU as a share of its CPU set, from /proc. */
  cpuUtil: number | null;
  cpuPerRequestUs: number | null;
  generatorLimited: boolean;
  /** Arrivals that waited for a free connection (the service's queue). */
  queuedSends: number | null;
  pass: boolean;
  failures: string[];
}

/** What `headroom capacity` computed, before rendering. */
export interface RunCapacity {
  runId: string | null;
  /** The run's scenario, or the points file. */
  source: string;
  phase: string | null;
  steps: CapacityStepRow[];
  analysis: CapacityAnalysis;
  expectedPeak: number | null;
}

/** Options of {@link capacityOfRun}. */
export interface CapacityOfRunOptions {
  /** Store the result in the `capacity` table. @default true */
  write?: boolean;
}

/** Analyses a stored run's capacity phase and stores the result. */
export async function capacityOfRun(store: Store, ref: string, runOptions: CapacityOfRunOptions = {}): Promise<RunCapacity> {
  const id = await resolveRunRef(store, ref);
  const run = await readRun(store, id);
  if (!run) throw new UsageError(`run ${id} disappeared from ${store.path}`, 'E_RUN_NOT_FOUND');
  if (run.kind !== 'load') throw new UsageError(`run ${id} is a ${run.kind} run; capacity needs a load run with steps`, 'E_RUN_NOT_FOUND');
  const config = run.config as Scenario;
  const all = await readPhases(store, id, { histograms: true });
  const options = capacityOptionsOf(config);
  // A step cut short by the breakpoint search whose answers already fail the SLO whatever the rest would have
  // done (the stop's own evidence): it stays in as a failing step, the bound above the capacity.
  const failedCut = new Map<string, string>();
  for (const p of all) {
    if (p.cut_short !== true || p.phase === null || p.phase === p.parent || !p.hist) continue;
    const parent = config.phases?.find((c) => c.name === p.parent);
    const stepMs = parent && 'stepDurationMs' in parent ? parent.stepDurationMs : undefined;
    const failure =
      stepMs === undefined
        ? null
        : failureFromAnswers({ phase: p.phase, offeredRate: p.offered_rate, hist: p.hist, errors: p.errors ?? 0 }, stepMs, options.slo);
    if (failure) failedCut.set(p.phase, failure.counted);
  }
  // A step the run never finished (killed mid-step: its row is partial) is not a measurement at its rate.
  const phases = all.filter((p) => (p.requests ?? 0) > 0 && (p.cut_short !== true || failedCut.has(p.phase ?? '')) && p.partial !== true);
  const picked = pickCapacityPhases(phases.map((p) => ({ ...p, phase: p.phase as string })));
  if (picked.length === 0) throw new UsageError(`run ${id} has no measured phases to analyse`, 'E_RUN_NOT_FOUND');
  const steps = picked.map(stepOfStored);
  const analysis = analyzeCapacity(steps, options);
  for (const [phase, counted] of failedCut)
    analysis.warnings.push(
      `${phase} was cut short by the breakpoint search and stays in as a failing step: its answers already fail the SLO (${counted})`,
    );
  const cut = all.filter((p) => p.cut_short === true && p.phase !== p.parent && !failedCut.has(p.phase ?? ''));
  if (cut.length > 0)
    analysis.warnings.push(`${cut.map((p) => p.phase).join(', ')} was cut short by the breakpoint search and is left out`);
  const stolen = stolenSteps(picked);
  if (stolen !== null) analysis.warnings.push(stolen);
  const unfinished = all.filter((p) => p.partial === true && p.phase !== p.parent);
  if (unfinished.length > 0)
    analysis.warnings.push(`${unfinished.map((p) => p.phase).join(', ')} never finished (the run stopped while it ran) and is left out`);
  const parent = picked[0]!.parent !== picked[0]!.phase ? picked[0]!.parent : null;
  const rows = picked.map((p, i) => rowOfStored(p, steps[i]!, options.slo));
  const result: RunCapacity = {
    runId: id,
    source: run.scenario,
    phase: parent,
    steps: rows,
    analysis,
    expectedPeak: config.expectedPeak ?? null,
  };
  if (options.expectedPeak === undefined) result.analysis.warnings.push('the scenario has no expectedPeak, so there is no headroom');
  if (runOptions.write !== false) await writeCapacity(store, recordOf(result, 'breakpoint', options.cpuBudget ?? null));
  return result;
}

/**
 * Steps during which the hypervisor took more than STEAL_WARN_SHARE of the service's or the
 * generator's CPUs (steal time, host-steal.ts): their latencies and throughput hold the host's
 * pauses, so a step that failed may have failed for the host. null when there are none.
 */
export function stolenSteps(steps: readonly StoredPhase[]): string | null {
  const hit = steps.filter((p) => Math.max(p.steal_generator ?? 0, p.steal_service ?? 0) > STEAL_WARN_SHARE);
  if (hit.length === 0) return null;
  return (
    `the hypervisor took more than ${100 * STEAL_WARN_SHARE}% of the generator's or the service's CPUs during ${hit
      .map((p) => `${p.phase} (${formatShare(p.steal_generator)} / ${formatShare(p.steal_service)})`)
      .join(', ')}: ` +
    `their figures hold the host's pauses, so a limit found there may be the host's; rerun on a quieter or dedicated host before acting on it`
  );
}

/**
 * The capacity analysis of a stored run as the `capacity` table's record, computed now and not
 * stored: what a reader (the report) draws when `headroom capacity <run>` was never run.
 */
export async function capacityRecordOfRun(store: Store, id: string): Promise<CapacityRecord> {
  const result = await capacityOfRun(store, id, { write: false });
  const config = (await readRun(store, id))?.config as Scenario;
  return recordOf(result, 'breakpoint', capacityOptionsOf(config).cpuBudget ?? null);
}

/**
 * Each run's capacity headroom over the expected peak: its stored capacity analysis, or the
 * analysis computed now (not stored). Runs without capacity steps or headroom are left out.
 */
export async function headroomByRun(store: Store, ids: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const id of ids) {
    const stored = (await readCapacity(store, id))[0];
    let h = stored?.headroom ?? null;
    if (!stored) {
      const phases = await readPhases(store, id);
      // A run with no step phase has no capacity to analyse: not an error, just no point.
      if (phases.filter((p) => p.parent && p.parent !== p.phase && (p.requests ?? 0) > 0 && p.partial !== true).length >= 2)
        h = (await capacityRecordOfRun(store, id)).headroom;
    }
    if (h !== null && Number.isFinite(h)) out.set(id, h);
  }
  return out;
}

/** Options of {@link capacityOfPoints}. */
export interface CapacityOfPointsOptions {
  /** Latency SLO judged against the file's p99_ms column. @default none */
  sloP99Ms?: number;
  expectedPeak?: number;
  /** The store to record the result in. @default not stored */
  store?: Store | null;
}

/** Fits a capacity planner's own (concurrency, throughput[, p99]) points; stored with run_id null. */
export async function capacityOfPoints(
  points: readonly CapacityPoint[],
  file: string,
  options: CapacityOfPointsOptions = {},
): Promise<RunCapacity> {
  const sorted = [...points].sort((a, b) => a.n - b.n);
  const steps: CapacityStep[] = sorted.map((p) => ({ achieved: p.x, p99Ms: p.p99Ms ?? 0, errorRate: 0, concurrency: p.n }));
  const slo = options.sloP99Ms === undefined ? {} : { p99Ms: options.sloP99Ms };
  if (options.sloP99Ms !== undefined && sorted.some((p) => p.p99Ms === undefined))
    throw new UsageError(`${file}: --slo-p99 needs a p99_ms column`, 'E_OPTION_VALUE');
  const uslPoints: UslPoint[] = sorted.map((p) => ({ n: p.n, x: p.x }));
  const analysis = analyzeCapacity(steps, {
    slo,
    uslPoints,
    ...(options.expectedPeak === undefined ? {} : { expectedPeak: options.expectedPeak }),
  });
  const rows: CapacityStepRow[] = sorted.map((p, i) => {
    const v = judgeStep(steps[i]!, slo);
    return {
      phase: `N=${p.n}`,
      offered: null,
      achieved: p.x,
      concurrency: p.n,
      p50Ms: null,
      p99Ms: p.p99Ms ?? null,
      serviceP50Ms: null,
      serviceP99Ms: null,
      errorRate: 0,
      cpuUtil: null,
      cpuPerRequestUs: null,
      generatorLimited: false,
      queuedSends: null,
      pass: v.pass,
      failures: v.failures,
    };
  });
  const result: RunCapacity = { runId: null, source: file, phase: null, steps: rows, analysis, expectedPeak: options.expectedPeak ?? null };
  if (options.store) await writeCapacity(options.store, recordOf(result, 'points', null));
  return result;
}

function stepOfStored(p: StoredPhase): CapacityStep {
  return {
    ...(p.offered_rate === null ? {} : { offered: p.offered_rate }),
    achieved: p.achieved_rate ?? 0,
    p99Ms: p.p99_ms ?? Number.POSITIVE_INFINITY, // no response measured: the latency SLO cannot have held
    errorRate: p.error_rate ?? 0,
    ...(p.concurrency === null ? {} : { concurrency: p.concurrency }),
    ...(p.cpu_util === null ? {} : { cpuUtil: p.cpu_util }),
    ...(p.cpu_per_request_us === null ? {} : { cpuPerRequestUs: p.cpu_per_request_us }),
    ...(p.gen_limited === null ? {} : { generatorLimited: p.gen_limited }),
  };
}

function rowOfStored(p: StoredPhase, step: CapacityStep, slo: Parameters<typeof judgeStep>[1]): CapacityStepRow {
  const v = judgeStep(step, slo);
  return {
    phase: p.phase as string,
    offered: p.offered_rate,
    achieved: step.achieved,
    concurrency: p.concurrency,
    p50Ms: p.p50_ms,
    p99Ms: p.p99_ms,
    serviceP50Ms: p.svc_p50_ms,
    serviceP99Ms: p.svc_p99_ms,
    errorRate: step.errorRate,
    cpuUtil: p.cpu_util,
    cpuPerRequestUs: p.cpu_per_request_us,
    generatorLimited: p.gen_limited === true,
    queuedSends: p.queued_sends,
    pass: v.pass,
    failures: v.failures,
  };
}

function recordOf(r: RunCapacity, method: 'breakpoint' | 'points', cpuBudget: number | null): CapacityRecord {
  const a = r.analysis;
  const cpu = a.cpuBudgetCapacity?.status === 'estimated' ? a.cpuBudgetCapacity : null;
  const h = a.headroom.status === 'computed' ? a.headroom : null;
  return {
    run_id: r.runId,
    phase: r.phase,
    source: r.source,
    method,
    steps: r.steps.length,
    rate: a.capacity.rate,
    bracket_lo: a.capacity.bracket?.[0] ?? null,
    bracket_hi: a.capacity.bracket?.[1] ?? null,
    limited_by: a.capacity.limitedBy,
    failing_metric: a.sloCapacity.failingMetric,
    fraction: a.sloCapacity.fraction,
    cpu_budget: cpuBudget,
    cpu_budget_rate: cpu?.rate ?? null,
    cpu_budget_method: cpu?.method ?? null,
    usl_status: a.uslFit.status,
    usl_sigma: a.usl?.sigma ?? null,
    usl_kappa: a.usl?.kappa ?? null,
    usl_lambda: a.usl?.lambda ?? null,
    usl_sigma_se: a.usl?.sigmaSE ?? null,
    usl_kappa_se: a.usl?.kappaSE ?? null,
    usl_lambda_se: a.usl?.lambdaSE ?? null,
    usl_r2: a.usl?.r2 ?? null,
    usl_rse: a.usl?.residualStandardError ?? null,
    usl_peak_concurrency: a.usl?.peakConcurrency ?? null,
    usl_peak_throughput: a.usl?.peakThroughput ?? null,
    usl_ceiling: a.usl?.ceiling ?? null,
    expected_peak: r.expectedPeak,
    headroom: h?.value ?? null,
    headroom_lo: h?.bracket[0] ?? null,
    headroom_hi: h?.bracket[1] ?? null,
    headroom_limited_by: h?.limitedBy ?? null,
    warnings: JSON.stringify(a.warnings),
    result: JSON.stringify({ steps: r.steps, capacity: a.capacity }),
  };
}
