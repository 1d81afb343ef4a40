/**
 * `headroom check`: runs a scenario (N times when asked: repeated runs are the unit of
 * comparison) or takes stored runs, finds the baseline by git, and evaluates every check:
 * the scenario's thresholds, the SLO at the expected peak, and regressions against the
 * baseline, with the profile diff as evidence when something regressed.
 */
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  budgetChecks,
  checksPassed,
  forecastSeries,
  profileDiff,
  regressionChecks,
  sloAtPeak,
  type BudgetMeasures,
  type CheckResult,
  type DiffRow,
  type PeakPhase,
  type RegressionPhase,
} from '@headroom/analysis';
import { ExitCode, isLatencyMetric, type ExitCodeValue, type Scenario, type ThresholdMetric } from '@headroom/core';
import {
  Store,
  readFunctionRows,
  readGates,
  readMeasuredPhases,
  readMetricHistory,
  readRun,
  readSeries,
  resolveRunRef,
  runsAtCommit,
  type StoredPhase,
} from '@headroom/store';
import type { Sink } from './bus.ts';
import { capacityOfRun } from './capacity-of-run.ts';
import { gitMergeBase } from './identity.ts';
import { loadScenario } from './load-scenario.ts';
import { runScenario } from './run-load.ts';

/** Options of {@link runCheck}. */
export interface RunCheckOptions {
  /** The store file: runs are folded into it, then the check reads it. */
  db: string;
  /** Judge these stored runs instead of running the scenario. */
  runs?: readonly string[];
  /** Run the scenario this many times. @default 1 */
  repeat?: number;
  /** A git ref (merge base with HEAD), a sha, or run refs (ids, latest~N; comma-separated). */
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
  candidateRuns: string[];
  /** The commit the candidate runs were made from (first run's), and whether the tree was dirty. */
  candidateSha: string | null;
  candidateDirty: boolean | null;
  baselineRuns: string[];
  baselineSha: string | null;
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
  const log = options.log ?? (() => {});
  const scenario = await loadScenario(file);
  const candidateRuns: string[] = [];
  let runError: string | null = null;
  // The baseline is resolved against the store as it is before this check's runs: latest~N
  // means the runs that were there, never the candidate's own.
  const baseline = await preResolveBaseline(options.db, scenario, options.baseline);
  if (!options.runs || options.runs.length === 0) {
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
      candidateRuns.push(o.runId);
      if (o.status === 'failed' || o.status === 'interrupted') {
        runError = o.error ?? `run ${o.runId} ${o.status}`;
        break;
      }
    }
  }
  // The runs are folded into the store by now; judging only reads it.
  const store = await Store.open(options.db, { readOnly: true });
  try {
    for (const ref of options.runs ?? []) candidateRuns.push(await resolveRunRef(store, ref, { scenario: scenario.name }));
    return await judge(store, scenario, candidateRuns, runError, baseline, options);
  } finally {
    store.close();
  }
}

async function judge(
  store: Store,
  scenario: Scenario,
  candidateRuns: string[],
  runError: string | null,
  baseline: string | undefined,
  options: RunCheckOptions,
): Promise<CheckOutcome> {
  const first = await readRun(store, candidateRuns[0] ?? '');
  const base = await resolveBaseline(store, scenario, candidateRuns, baseline);
  const candPhases = await readMeasuredPhases(store, candidateRuns);
  const basePhases = base.runs.length ? await readMeasuredPhases(store, base.runs) : [];
  const maxChange = options.maxChange === undefined ? DEFAULT_MAX_CHANGE : options.maxChange;
  const checks: CheckResult[] = [
    ...(await thresholdChecks(store, candidateRuns)),
    ...(scenario.expectedPeak === null
      ? []
      : sloAtPeak(candPhases.map(peakPhase), { p99Ms: scenario.slo.p99Ms, errorRate: scenario.slo.errorRate }, scenario.expectedPeak)),
    ...budgetChecks(scenario.budgets, await budgetMeasures(store, scenario, candidateRuns, candPhases)),
    ...baselineChecks(base, options.requireBaseline ?? false),
    ...(base.runs.length
      ? regressionChecks(topLevel(basePhases).map(regressionPhase), topLevel(candPhases).map(regressionPhase), {
          maxChange,
          ...(options.noiseFloor === undefined ? {} : { noiseFloor: options.noiseFloor }),
          ...(options.alpha === undefined ? {} : { alpha: options.alpha }),
        })
      : []),
  ];
  const regressed = checks.some((c) => c.group === 'regression' && c.verdict === 'failed');
  const evidence = regressed && base.runs[0] && candidateRuns[0] ? await profileEvidence(store, base.runs[0], candidateRuns[0]) : null;
  const status = runError ? 'run-failed' : checksPassed(checks) ? 'passed' : 'failed';
  return {
    scenario: scenario.name,
    expectedPeak: scenario.expectedPeak,
    candidateRuns,
    candidateSha: first?.gitSha ?? null,
    candidateDirty: first?.gitDirty ?? null,
    baselineRuns: base.runs,
    baselineSha: base.sha,
    baselineNote: base.note,
    checks,
    evidence,
    status,
    runError,
    exitCode: status === 'run-failed' ? ExitCode.runFailed : status === 'failed' ? ExitCode.gateFailed : ExitCode.ok,
  };
}

interface Baseline {
  runs: string[];
  sha: string | null;
  note: string | null;
}

async function resolveBaseline(
  store: Store,
  scenario: Scenario,
  candidates: readonly string[],
  ref: string | undefined,
): Promise<Baseline> {
  if (ref === undefined) return { runs: [], sha: null, note: 'no --baseline given: regressions were not checked' };
  const exclude = (ids: string[]) => ids.filter((id) => !candidates.includes(id));
  const refs = ref.split(',').map((r) => r.trim());
  if (refs.every((r) => /^latest(~\d+)?(:.+)?$/.test(r) || /^\d{8}-\d{6}/.test(r))) {
    const ids = await Promise.all(refs.map((r) => resolveRunRef(store, r, { scenario: scenario.name })));
    const run = await readRun(store, ids[0] as string);
    return { runs: exclude(ids), sha: run?.gitSha ?? null, note: null };
  }
  const sha = gitMergeBase(dirname(scenario.file), ref) ?? (/^[0-9a-f]{7,40}$/.test(ref) ? ref : null);
  if (sha === null) return { runs: [], sha: null, note: `baseline "${ref}" is neither a git ref known here, a sha, nor a run` };
  const runs = exclude(await runsAtCommit(store, scenario.name, sha));
  const note =
    runs.length === 0
      ? `no stored runs of ${scenario.name} at ${sha.slice(0, 8)} (the merge base with ${ref}); import them (headroom runs import) or run the scenario there first`
      : null;
  return { runs, sha, note };
}

function baselineChecks(b: Baseline, required: boolean): CheckResult[] {
  if (b.note === null) return [];
  return [
    {
      name: 'baseline',
      group: 'baseline',
      value: null,
      limit: 'runs of the baseline commit',
      unit: '',
      verdict: required ? 'failed' : 'note',
      detail: b.note,
    },
  ];
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
    const vals = e.values.filter((v): v is number => v !== null).sort((a, b) => a - b);
    const value = vals.length ? (vals[Math.floor((vals.length - 1) / 2)] as number) : null;
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

/** Per candidate run: capacity headroom, the service's CPU and CPU per request at the peak, its highest RSS; and the forecast headroom. */
async function budgetMeasures(
  store: Store,
  scenario: Scenario,
  runs: readonly string[],
  phases: readonly StoredPhase[],
): Promise<BudgetMeasures> {
  const b = scenario.budgets;
  const m: BudgetMeasures = { headroom: [], cpuAtPeak: [], cpuPerRequestUs: [], rssMb: [], forecastHeadroom: null };
  for (const id of runs) {
    if (b.headroom) {
      let h: number | null = null;
      try {
        const c = await capacityOfRun(store, id, { write: false });
        h = c.analysis.headroom.status === 'computed' ? c.analysis.headroom.value : null;
      } catch {
        h = null; // no measured phases to analyse: the budget reports no-data
      }
      m.headroom.push(h);
    }
    const peak =
      scenario.expectedPeak === null
        ? undefined
        : atPeak(
            phases.filter((p) => p.run_id === id),
            scenario.expectedPeak,
          );
    const extra = peak as (StoredPhase & { cpu_util?: number | null; cpu_per_request_us?: number | null }) | undefined;
    m.cpuAtPeak.push(extra?.cpu_util ?? null);
    m.cpuPerRequestUs.push(extra?.cpu_per_request_us ?? null);
    if (b.rssMb !== null) {
      const series = await readSeries(store, id);
      const rss = series
        .map((s) => (s as { proc_rss_mb?: number | null }).proc_rss_mb ?? s.sut_rss_mb)
        .filter((v): v is number => typeof v === 'number');
      m.rssMb.push(rss.length ? Math.max(...rss) : null);
    }
  }
  if (b.forecastHeadroom) {
    const history = await readMetricHistory(store, scenario.name, { kind: 'headroom' });
    const f = forecastSeries(
      history.points.map((p) => ({ time: p.time, value: p.value, ...(p.gitSha ? { sha: p.gitSha } : {}) })),
      {
        horizon: `${b.forecastHeadroom.horizonDays}d`,
      },
    );
    if (f.forecast) {
      const i80 = f.forecast.intervals.find((i) => i.level === 0.8);
      m.forecastHeadroom = { value: f.forecast.value, low: i80?.low ?? f.forecast.value, points: f.trend?.n ?? history.points.length };
    } else {
      m.forecastNote = `no forecast of headroom: ${[...history.notes, ...f.notes].join('; ') || 'too few runs with capacity'}`;
    }
  }
  return m;
}

/** The open-model phase or step at or above the peak with the lowest offered rate. */
function atPeak(phases: readonly StoredPhase[], peak: number): StoredPhase | undefined {
  return phases
    .filter((p) => p.offered_rate !== null && p.offered_rate >= peak * 0.999 && (p.requests ?? 0) > 0)
    .sort((a, b) => (a.offered_rate as number) - (b.offered_rate as number))[0];
}

/** Run refs in --baseline (latest~N, ids) become run ids before the check runs anything; git refs and shas stay as they are. */
async function preResolveBaseline(db: string, scenario: Scenario, ref: string | undefined): Promise<string | undefined> {
  if (ref === undefined) return undefined;
  const refs = ref.split(',').map((r) => r.trim());
  if (!refs.every((r) => /^latest(~\d+)?(:.+)?$/.test(r)) || !existsSync(db)) return ref;
  const store = await Store.open(db, { readOnly: true });
  try {
    return (await Promise.all(refs.map((r) => resolveRunRef(store, r, { scenario: scenario.name })))).join(',');
  } finally {
    store.close();
  }
}
