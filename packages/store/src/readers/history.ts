/**
 * A scenario's history: every stored run of it as a point in time with its identity, and the
 * value of one metric per run, for trends, change points and forecasts (`headroom forecast`).
 *
 * Runs from a dirty tree and runs that did not complete are left out unless asked for; runs
 * still in progress always are. A run that lacks the metric (no capacity analysed, no such
 * phase, no runtime metrics) is skipped with the reason, never given a made-up value.
 * The `capacity` table comes from `headroom capacity`; a store without it (or without the
 * columns read here) yields no points and a note rather than an error.
 */
import type { Store } from '../store.ts';
import { endedPhaseSql, hasColumns } from './columns.ts';

/** One run of the history, oldest first. */
export interface HistoryRun {
  id: string;
  kind: string;
  status: string;
  /** Start of the run, epoch ms. */
  time: number;
  gitSha: string | null;
  gitDirty: boolean | null;
  gitBranch: string | null;
  version: string | null;
}

/** What a history can follow. Phase-less cpu-per-request and rss read the run's measured phases. */
export type HistoryMetric =
  | { kind: 'capacity' }
  | { kind: 'headroom' }
  | { kind: 'p50' | 'p99' | 'rate'; phase: string }
  | { kind: 'cpu-per-request'; phase?: string }
  | { kind: 'rss'; phase?: string }
  | { kind: 'bench'; task: string };

/** Options of {@link readScenarioHistory} and {@link readMetricHistory}. */
export interface HistoryOptions {
  /** Keep runs made from a dirty tree. @default false */
  includeDirty?: boolean;
  /** Keep runs that failed, were interrupted or aborted by a gate. @default false */
  includeFailed?: boolean;
  /** Only runs of this kind ('load' or 'bench'); undefined: both. */
  kind?: 'load' | 'bench';
}

/** The runs of a scenario that a history keeps, and how many were left out and why. */
export interface ScenarioHistory {
  runs: HistoryRun[];
  /** Stored runs of the scenario (of the kind asked for) before filtering. */
  total: number;
  excluded: { dirty: number; failed: number; running: number };
}

/** A run with the metric's value. */
export interface HistoryPoint extends HistoryRun {
  value: number;
}

/** The metric over a scenario's history. */
export interface MetricHistory extends ScenarioHistory {
  points: HistoryPoint[];
  /** Kept runs without a value, with the reason. */
  skipped: Array<{ id: string; reason: string }>;
  /** The unit of `value`: 'req/s', 'x', 'ms', 'us', 'MB', 'ns'. */
  unit: string;
  /** Notes for people about what was read and left out. */
  notes: string[];
}

interface RunRow {
  id: string;
  kind: string;
  status: string;
  started_at: Date;
  git_sha: string | null;
  git_dirty: boolean | null;
  git_branch: string | null;
  version: string | null;
}

/** Every run of `scenario`, oldest first, filtered as `options` says. */
export async function readScenarioHistory(store: Store, scenario: string, options: HistoryOptions = {}): Promise<ScenarioHistory> {
  const rows = await store.query<RunRow>(
    `SELECT id, kind, status, started_at, git_sha, git_dirty, git_branch, version FROM runs
     WHERE scenario = $1 AND ($2 IS NULL OR kind = $2) ORDER BY started_at, id`,
    [scenario, options.kind ?? null],
  );
  const excluded = { dirty: 0, failed: 0, running: 0 };
  const runs: HistoryRun[] = [];
  for (const r of rows) {
    if (r.status === 'running') {
      excluded.running++;
      continue;
    }
    if (r.status !== 'completed' && !options.includeFailed) {
      excluded.failed++;
      continue;
    }
    if (r.git_dirty === true && !options.includeDirty) {
      excluded.dirty++;
      continue;
    }
    runs.push({
      id: r.id,
      kind: r.kind,
      status: r.status,
      time: r.started_at.getTime(),
      gitSha: r.git_sha,
      gitDirty: r.git_dirty,
      gitBranch: r.git_branch,
      version: r.version,
    });
  }
  return { runs, total: rows.length, excluded };
}

/** Names of the distinct scenarios that have runs, for "did you mean" messages. */
export async function readScenarioNames(store: Store): Promise<string[]> {
  const rows = await store.query<{ scenario: string }>('SELECT DISTINCT scenario FROM runs WHERE scenario IS NOT NULL ORDER BY scenario');
  return rows.map((r) => r.scenario);
}

/** The stored (redacted, resolved) config of the scenario's most recent run, or null. */
export async function readLatestConfig(store: Store, scenario: string): Promise<unknown> {
  const [r] = await store.query<{ config: string | null }>(
    'SELECT config FROM runs WHERE scenario = $1 ORDER BY started_at DESC, id DESC LIMIT 1',
    [scenario],
  );
  if (!r?.config) return null;
  try {
    return JSON.parse(r.config) as unknown;
  } catch {
    return null;
  }
}

/** The value of `metric` for every run of the scenario's history that has one. */
export async function readMetricHistory(
  store: Store,
  scenario: string,
  metric: HistoryMetric,
  options: HistoryOptions = {},
): Promise<MetricHistory> {
  const kind = metric.kind === 'bench' ? 'bench' : 'load';
  const history = await readScenarioHistory(store, scenario, { ...options, kind });
  const notes: string[] = [];
  const { values, unit, missing } = await readValues(store, scenario, metric, notes);
  const points: HistoryPoint[] = [];
  const skipped: Array<{ id: string; reason: string }> = [];
  for (const run of history.runs) {
    const v = values.get(run.id);
    if (v === undefined || v === null || !Number.isFinite(v)) skipped.push({ id: run.id, reason: missing });
    else points.push({ ...run, value: v });
  }
  if (skipped.length > 0) notes.push(`${skipped.length} run${skipped.length === 1 ? '' : 's'} skipped: ${missing}`);
  return { ...history, points, skipped, unit, notes };
}

const PHASE_COLUMN = { p50: 'p50_ms', p99: 'p99_ms', rate: 'achieved_rate' } as const;
const PHASE_UNIT = { p50: 'ms', p99: 'ms', rate: 'req/s' } as const;

type Values = { values: Map<string, number | null>; unit: string; missing: string };

async function readValues(store: Store, scenario: string, m: HistoryMetric, notes: string[]): Promise<Values> {
  switch (m.kind) {
    case 'capacity':
    case 'headroom':
      return capacityValues(store, scenario, m.kind, notes);
    case 'p50':
    case 'p99':
    case 'rate': {
      const rows = await store.query<{ run_id: string; v: number | null }>(
        `SELECT p.run_id, p.${PHASE_COLUMN[m.kind]} AS v FROM phases p JOIN runs r ON r.id = p.run_id
         WHERE r.scenario = $1 AND p.phase = $2 AND ${await endedPhaseSql(store, 'p')}`,
        [scenario, m.phase],
      );
      return { values: toMap(rows), unit: PHASE_UNIT[m.kind], missing: `no phase "${m.phase}" measured` };
    }
    case 'rss':
      return rssValues(store, scenario, m.phase);
    case 'cpu-per-request':
      return cpuPerRequestValues(store, scenario, m.phase, notes);
    case 'bench': {
      const rows = await store.query<{ run_id: string; v: number | null }>(
        `SELECT b.run_id, median(b.median_ns) AS v FROM bench_reps b JOIN runs r ON r.id = b.run_id
         WHERE r.scenario = $1 AND b.task = $2 AND coalesce(b.status, 'ok') = 'ok' GROUP BY b.run_id`,
        [scenario, m.task],
      );
      return { values: toMap(rows), unit: 'ns', missing: `no successful repetition of task "${m.task}"` };
    }
  }
}

/** Series rows of the phase asked for, or of every measured (non-warmup) phase. */
const SERIES_OF_PHASE = `FROM series s JOIN runs r ON r.id = s.run_id
  LEFT JOIN phases p ON p.run_id = s.run_id AND p.phase = s.phase
  WHERE r.scenario = $1 AND s.phase IS NOT NULL AND (CASE WHEN $2 IS NULL THEN NOT coalesce(p.warmup, false) ELSE s.phase = $2 END)`;

async function rssValues(store: Store, scenario: string, phase: string | undefined): Promise<Values> {
  const rows = await store.query<{ run_id: string; v: number | null }>(
    `SELECT s.run_id, arg_max(s.sut_rss_mb, s.second) AS v ${SERIES_OF_PHASE} AND s.sut_rss_mb IS NOT NULL GROUP BY s.run_id`,
    [scenario, phase ?? null],
  );
  const where = phase ? `phase "${phase}"` : 'its measured phases';
  return { values: toMap(rows), unit: 'MB', missing: `no service RSS in ${where} (runtime metrics need service.capture)` };
}

async function cpuPerRequestValues(store: Store, scenario: string, phase: string | undefined, notes: string[]): Promise<Values> {
  const where = phase ? `phase "${phase}"` : 'its measured phases';
  const missing = `no service CPU time in ${where} (runtime metrics need service.capture)`;
  // A phase's own figure when the store has one (from the service's /proc), else the per-second
  // samples: CPU seconds of the service over requests completed in the same seconds.
  if (await hasColumns(store, 'phases', ['cpu_per_request_us'])) {
    const rows = await store.query<{ run_id: string; v: number | null }>(
      `SELECT p.run_id, sum(p.cpu_per_request_us * p.requests) / nullif(sum(p.requests), 0) AS v FROM phases p JOIN runs r ON r.id = p.run_id
       WHERE r.scenario = $1 AND p.cpu_per_request_us IS NOT NULL AND ${await endedPhaseSql(store, 'p')} AND (CASE WHEN $2 IS NULL THEN NOT coalesce(p.warmup, false) ELSE p.phase = $2 END)
       GROUP BY p.run_id`,
      [scenario, phase ?? null],
    );
    if (rows.some((r) => r.v !== null)) return { values: toMap(rows), unit: 'us', missing };
  }
  // The first and last second of a phase straddle its neighbours (a warm-up at another rate, the
  // idle tail) and are left out; a phase needs three seconds to give a value.
  const rows = await store.query<{ run_id: string; v: number | null }>(
    `WITH x AS (SELECT s.run_id, s.sut_cpu, s.requests, s.second,
       min(s.second) OVER (PARTITION BY s.run_id, s.phase) AS first, max(s.second) OVER (PARTITION BY s.run_id, s.phase) AS last
       ${SERIES_OF_PHASE} AND s.sut_cpu IS NOT NULL)
     SELECT run_id, sum(sut_cpu) * 1e6 / nullif(sum(requests), 0) AS v FROM x WHERE second > first AND second < last GROUP BY run_id`,
    [scenario, phase ?? null],
  );
  if (rows.length > 0)
    notes.push(
      "CPU per request from the service's per-second CPU samples over the requests of the same seconds (a phase's first and last second left out)",
    );
  return { values: toMap(rows), unit: 'us', missing };
}

async function capacityValues(store: Store, scenario: string, which: 'capacity' | 'headroom', notes: string[]): Promise<Values> {
  const column = which === 'capacity' ? 'rate' : 'headroom';
  const unit = which === 'capacity' ? 'req/s' : 'x';
  if (!(await hasColumns(store, 'capacity', ['run_id', column]))) {
    notes.push(
      `this store has no capacity results (no capacity table with a ${column} column): run headroom capacity <run> on the runs first`,
    );
    return { values: new Map(), unit, missing: 'no capacity analysed' };
  }
  const order = (await hasColumns(store, 'capacity', ['computed_at'])) ? 'c.computed_at' : 'c.run_id';
  // A run analysed more than once (or per phase) counts once: its most recent result.
  const rows = await store.query<{ run_id: string; v: number | null }>(
    `SELECT c.run_id, arg_max(c.${column}, ${order}) AS v FROM capacity c JOIN runs r ON r.id = c.run_id
     WHERE r.scenario = $1 AND c.${column} IS NOT NULL GROUP BY c.run_id`,
    [scenario],
  );
  return {
    values: toMap(rows),
    unit,
    missing:
      which === 'headroom'
        ? 'no headroom analysed (capacity without expectedPeak, or no capacity run: run headroom capacity <run> on the runs first)'
        : 'no capacity analysed (run headroom capacity <run> on the runs first)',
  };
}

function toMap(rows: ReadonlyArray<{ run_id: string; v: number | null }>): Map<string, number | null> {
  return new Map(rows.map((r) => [r.run_id, r.v === null ? null : Number(r.v)]));
}
