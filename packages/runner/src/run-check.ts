/**
 * `headroom check`: runs a scenario (N times when asked: repeated runs are the unit of
 * comparison) and its bench file, or takes stored runs, finds the baseline by git, and
 * evaluates every check: the scenario's thresholds, the SLO at the expected peak, budgets,
 * and regressions against the baseline (phases and bench task medians), with the profile
 * diff as evidence when something regressed.
 */
import {
  budgetChecks,
  checksPassed,
  median,
  profileDiff,
  regressionChecks,
  sloAtPeak,
  type CheckResult,
  type DiffRow,
  type PeakPhase,
  type RegressionCheckOptions,
  type RegressionPhase,
} from '@headroom/analysis';
import { ExitCode, allowedCpus, isLatencyMetric, type ExitCodeValue, type Scenario, type ThresholdMetric } from '@headroom/core';
import { Store, readFunctionRows, readGates, readMeasuredPhases, readRun, type StoredPhase } from '@headroom/store';
import type { Sink } from './bus.ts';
import { baselineChecks, preResolveBaseline, resolveBaseline } from './check-baseline.ts';
import { benchChecks, benchRunsAt, checkBenchOf, resolveCheckRef, splitByKind, type CheckBench } from './check-bench.ts';
import { budgetMeasures, headroomOf } from './check-budgets.ts';
import { loadScenario } from './load-scenario.ts';
import { runBenchFile } from './run-bench.ts';
import { runScenario } from './run-load.ts';

/** Options of {@link runCheck}. */
export interface RunCheckOptions {
  /** The store file: runs are folded into it, then the check reads it. */
  db: string;
  /** Judge these stored runs (load runs of the scenario, and runs of its bench) instead of running the scenario. */
  runs?: readonly string[];
  /** Run the scenario (and its bench file) this many times. @default 1 */
  repeat?: number;
  /** A git ref (merge base with HEAD), a sha, or run refs (ids, latest~N, bench runs too; comma-separated). */
  baseline?: string;
  /** A missing baseline fails the check instead of being a note. @default false */
  requireBaseline?: boolean;
  /** The non-statistical guard for too few runs; null turns it off. @default 0.2 */
  maxChange?: number | null;
  /** Significant changes smaller than this fraction never fail. @default 0.01 */
  noiseFloor?: number;
  /** Significance level. @default 0.05 */
  alpha?: number;
  signal?: AbortSignal;
  /** Aborting (after `signal`) stops the runs at once. */
  urgent?: AbortSignal;
  log?(line: string): void;
  /** Sinks for each run (live progress). */
  sinks?: () => readonly Sink[];
}

/** Functions that moved most between baseline and candidate CPU profiles. */
export interface CheckEvidence {
  baselineRun: string;
  candidateRun: string;
  movers: DiffRow[];
}

/** Everything `check` found. */
export interface CheckOutcome {
  scenario: string;
  expectedPeak: number | null;
  /** The candidate's load runs. */
  candidateRuns: string[];
  /** The name of the scenario's bench, null when it names none. */
  bench: string | null;
  /** The candidate's bench runs (the scenario's bench file, run with the check or taken from --runs). */
  candidateBenchRuns: string[];
  /** The commit the candidate runs were made from (first run's), and whether the tree was dirty. */
  candidateSha: string | null;
  candidateDirty: boolean | null;
  baselineRuns: string[];
  baselineBenchRuns: string[];
  baselineSha: string | null;
  /** The baseline's capacity headroom (median over its runs) when the scenario budgets headroom, for "was 1.30x at a1b2c3d". */
  baselineHeadroom: number | null;
  /** Why there is no baseline, when there is none. */
  baselineNote: string | null;
  checks: CheckResult[];
  evidence: CheckEvidence | null;
  status: 'passed' | 'failed' | 'run-failed';
  /** Set when a run itself failed (stored, with its data). */
  runError: string | null;
  exitCode: ExitCodeValue;
}

const DEFAULT_MAX_CHANGE = 0.2;

/** Runs (or reads) the candidate, resolves the baseline and evaluates every check. */
export async function runCheck(file: string, options: RunCheckOptions): Promise<CheckOutcome> {
  const scenario = await loadScenario(file);
  // Counted before a run pins headroom to the generator's CPUs (which would hide the others).
  const bench = await checkBenchOf(scenario, allowedCpus());
  const candidate: Candidate = { runs: [], benchRuns: [], runError: null };
  // The baseline is resolved against the store as it is before this check's runs: latest~N
  // means the runs that were there, never the candidate's own.
  const baseline = await preResolveBaseline(options.db, scenario, bench, options.baseline);
  if (!options.runs || options.runs.length === 0) await runCandidate(scenario, bench, candidate, options);
  // The runs are folded into the store by now; judging only reads it.
  const store = await Store.open(options.db, { readOnly: true });
  try {
    if (options.runs?.length) {
      const ids = await Promise.all(options.runs.map((ref) => resolveCheckRef(store, ref, scenario.name, bench)));
      const split = await splitByKind(store, ids);
      candidate.runs.push(...split.load);
      candidate.benchRuns.push(...split.bench);
      if (bench && split.bench.length === 0 && split.load[0])
        candidate.benchRuns.push(...(await benchRunsAt(store, bench, (await readRun(store, split.load[0]))?.gitSha ?? null, [])));
    }
    return await judge(store, scenario, bench, candidate, baseline, options);
  } finally {
    store.close();
  }
}

interface Candidate {
  runs: string[];
  benchRuns: string[];
  runError: string | null;
}

/** Runs the scenario N times, then its bench file N times; stops at the first run that failed. */
async function runCandidate(scenario: Scenario, bench: CheckBench | null, c: Candidate, options: RunCheckOptions): Promise<void> {
  const log = options.log ?? (() => {});
  const n = options.repeat ?? 1;
  for (let i = 1; i <= n && !options.signal?.aborted; i++) {
    if (n > 1) log(`check: run ${i} of ${n}`);
    const o = await runScenario(scenario, {
      db: options.db,
      log,
      sinks: options.sinks?.() ?? [],
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.urgent ? { urgent: options.urgent } : {}),
    });
    c.runs.push(o.runId);
    if (o.status === 'failed' || o.status === 'interrupted') {
      c.runError = o.error ?? `run ${o.runId} ${o.status}`;
      return;
    }
  }
  // The bench runs after the load, never beside it: both would share the machine's CPUs.
  for (let i = 1; bench && i <= n && !options.signal?.aborted; i++) {
    if (n > 1) log(`check: bench ${bench.name}, run ${i} of ${n}`);
    const o = await runBenchFile(bench.file, {
      db: options.db,
      log,
      cpus: bench.cpus,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    c.benchRuns.push(o.runId);
    if (o.status === 'failed' || o.status === 'interrupted') {
      c.runError = `bench run ${o.runId} ${o.status}`;
      return;
    }
  }
}

async function judge(
  store: Store,
  scenario: Scenario,
  bench: CheckBench | null,
  candidate: Candidate,
  baseline: string | undefined,
  options: RunCheckOptions,
): Promise<CheckOutcome> {
  const candidateRuns = candidate.runs;
  const first = await readRun(store, candidateRuns[0] ?? '');
  const base = await resolveBaseline(store, scenario, bench, [...candidateRuns, ...candidate.benchRuns], baseline);
  const candPhases = await readMeasuredPhases(store, candidateRuns);
  const basePhases = base.runs.length ? await readMeasuredPhases(store, base.runs) : [];
  const maxChange = options.maxChange === undefined ? DEFAULT_MAX_CHANGE : options.maxChange;
  const stats: RegressionCheckOptions = {
    maxChange,
    ...(options.noiseFloor === undefined ? {} : { noiseFloor: options.noiseFloor }),
    ...(options.alpha === undefined ? {} : { alpha: options.alpha }),
  };
  const checks: CheckResult[] = [
    ...(await thresholdChecks(store, candidateRuns)),
    ...(scenario.expectedPeak === null
      ? []
      : sloAtPeak(candPhases.map(peakPhase), { p99Ms: scenario.slo.p99Ms, errorRate: scenario.slo.errorRate }, scenario.expectedPeak)),
    ...budgetChecks(scenario.budgets, await budgetMeasures(store, scenario, candidateRuns, candPhases)),
    ...baselineChecks(base, options.requireBaseline ?? false),
    ...(base.runs.length
      ? regressionChecks(topLevel(basePhases).map(regressionPhase), topLevel(candPhases).map(regressionPhase), stats)
      : []),
    ...(bench && (base.runs.length || base.benchRuns.length)
      ? await benchChecks(store, bench, base.benchRuns, candidate.benchRuns, stats)
      : []),
  ];
  const regressed = checks.some((c) => c.group === 'regression' && c.verdict === 'failed');
  const evidence = regressed && base.runs[0] && candidateRuns[0] ? await profileEvidence(store, base.runs[0], candidateRuns[0]) : null;
  const runError = candidate.runError;
  const baseHeadroom = scenario.budgets.headroom && base.runs.length ? await Promise.all(base.runs.map((id) => headroomOf(store, id))) : [];
  const measured = baseHeadroom.filter((h): h is number => h !== null);
  const status = runError ? 'run-failed' : checksPassed(checks) ? 'passed' : 'failed';
  return {
    scenario: scenario.name,
    expectedPeak: scenario.expectedPeak,
    candidateRuns,
    bench: bench?.name ?? null,
    candidateBenchRuns: candidate.benchRuns,
    candidateSha: first?.gitSha ?? null,
    candidateDirty: first?.gitDirty ?? null,
    baselineRuns: base.runs,
    baselineBenchRuns: base.benchRuns,
    baselineSha: base.sha,
    baselineHeadroom: measured.length ? median(measured) : null,
    baselineNote: base.note,
    checks,
    evidence,
    status,
    runError,
    exitCode: status === 'run-failed' ? ExitCode.runFailed : status === 'failed' ? ExitCode.gateFailed : ExitCode.ok,
  };
}

async function thresholdChecks(store: Store, runs: readonly string[]): Promise<CheckResult[]> {
  const byKey = new Map<string, { expression: string; metric: string; values: (number | null)[]; failed: number }>();
  for (const id of runs) {
    for (const g of await readGates(store, id)) {
      const k = `${g.key} ${g.expression}`;
      const e = byKey.get(k) ?? { expression: g.expression as string, metric: g.metric as string, values: [], failed: 0 };
      e.values.push(g.value);
      if (!g.passed) e.failed++;
      byKey.set(k, e);
    }
  }
  return [...byKey].map(([name, e]) => {
    // The median over runs, as the SLO check reports it (with 2 runs the lower value next to "failed in 1 of 2" read as a pass).
    const vals = e.values.filter((v): v is number => v !== null);
    const value = vals.length ? median(vals) : null;
    return {
      name,
      group: 'threshold' as const,
      value,
      limit: e.expression,
      unit: thresholdUnit(e.metric),
      verdict: value === null ? ('no-data' as const) : e.failed > 0 ? ('failed' as const) : ('passed' as const),
      detail: runs.length > 1 ? `failed in ${e.failed} of ${runs.length} runs` : e.failed ? 'failed' : 'passed',
    };
  });
}

/** The unit a threshold's value is stored in: latency metrics in ms, rates as ratios, headroom as a multiple. */
function thresholdUnit(metric: string): string {
  if (isLatencyMetric(metric as ThresholdMetric)) return 'ms';
  if (metric === 'errorRate') return 'ratio';
  return metric === 'headroom' ? 'x' : '';
}

function topLevel(phases: readonly StoredPhase[]): StoredPhase[] {
  return phases.filter((p) => p.phase === p.parent);
}

function peakPhase(p: StoredPhase): PeakPhase {
  return {
    runId: p.run_id as string,
    phase: p.phase as string,
    offeredRate: p.offered_rate,
    achievedRate: p.achieved_rate ?? 0,
    p99Ms: p.p99_ms ?? Number.NaN,
    errorRate: p.error_rate ?? 0,
    requests: p.requests ?? 0,
  };
}

function regressionPhase(p: StoredPhase): RegressionPhase {
  const cpu = (p as { cpu_per_request_us?: number | null }).cpu_per_request_us;
  return {
    runId: p.run_id as string,
    phase: p.phase as string,
    achievedRate: p.achieved_rate,
    p50Ms: p.p50_ms,
    p99Ms: p.p99_ms,
    ...(cpu === undefined ? {} : { cpuPerRequestUs: cpu }),
  };
}

async function profileEvidence(store: Store, baselineRun: string, candidateRun: string): Promise<CheckEvidence | null> {
  const [b, c] = await Promise.all([readFunctionRows(store, baselineRun), readFunctionRows(store, candidateRun)]);
  if (!b.some((r) => r.type === 'cpu') || !c.some((r) => r.type === 'cpu')) return null;
  return { baselineRun, candidateRun, movers: profileDiff(b, c, { type: 'cpu', limit: 5 }).rows };
}
