/**
 * Typed readers of runs and what they measured. Every command that shows or analyses
 * stored runs reads through here; the SQL stays in this package.
 */
import { listValue, type DuckDBListValue } from '@duckdb/node-api';
import type { Row } from '../schema.ts';
import type { Store } from '../store.ts';
import { endedPhaseSql } from './columns.ts';

/** One line of `runs ls`. */
export interface RunListing {
  id: string;
  kind: string;
  scenario: string;
  status: string;
  gates: string | null;
  startedAt: Date;
  /** Wall seconds from start to end; null while running. */
  seconds: number | null;
  gitSha: string | null;
  gitDirty: boolean | null;
}

/** A run's identity and outcome, JSON columns parsed. */
export interface StoredRun {
  id: string;
  kind: string;
  scenario: string;
  file: string | null;
  status: string;
  gates: string | null;
  startedAt: Date;
  endedAt: Date | null;
  gitSha: string | null;
  gitDirty: boolean | null;
  gitBranch: string | null;
  version: string | null;
  host: string | null;
  cpuModel: string | null;
  cpuCount: number | null;
  nodeVersion: string | null;
  serviceCpus: number[] | null;
  workerCpus: number[] | null;
  pinning: unknown[];
  error: string | null;
  warnings: string[];
  config: unknown;
}

/** A stored phase row (histograms left out unless asked for). */
export type StoredPhase = Omit<Row<'phases'>, 'hist' | 'service_hist'> & { hist?: Uint8Array | null; service_hist?: Uint8Array | null };
/** A stored gate outcome. */
export type StoredGate = Omit<Row<'gates'>, 'run_id'>;
/** Per-task aggregate of a bench run's repetitions. */
export interface BenchTaskAggregate {
  task: string;
  repetitions: number;
  medianNs: number;
  minNs: number;
  maxNs: number;
}

/** The most recent runs first. */
export async function listRuns(store: Store, limit: number): Promise<RunListing[]> {
  type Listed = Pick<Row<'runs'>, 'gates' | 'git_sha' | 'git_dirty'> & {
    id: string;
    kind: string;
    scenario: string;
    status: string;
    started_at: Date;
    secs: number | null;
  };
  const rows = await store.query<Listed>(
    'SELECT id, kind, scenario, status, gates, started_at, epoch(ended_at) - epoch(started_at) AS secs, git_sha, git_dirty FROM runs ORDER BY started_at DESC, id DESC LIMIT $1',
    [Math.max(1, Math.floor(limit))],
  );
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    scenario: r.scenario,
    status: r.status,
    gates: r.gates,
    startedAt: r.started_at,
    seconds: r.secs,
    gitSha: r.git_sha,
    gitDirty: r.git_dirty,
  }));
}

/** One run by id, or null. */
export async function readRun(store: Store, id: string): Promise<StoredRun | null> {
  const [r] = await store.query<Row<'runs'>>('SELECT * FROM runs WHERE id = $1', [id]);
  return r ? toStoredRun(r) : null;
}

/** A `runs` row (from the table, or from a run's spool with epoch-ms times) as a StoredRun; `status` overrides the row's. */
export function toStoredRun(r: Partial<Row<'runs'>>, status?: string): StoredRun {
  const date = (v: unknown): Date | null => (v === null || v === undefined ? null : v instanceof Date ? v : new Date(v as number));
  return {
    id: r.id as string,
    kind: r.kind as string,
    scenario: r.scenario as string,
    file: r.file ?? null,
    status: status ?? (r.status as string),
    gates: r.gates ?? null,
    startedAt: date(r.started_at) as Date,
    endedAt: date(r.ended_at),
    gitSha: r.git_sha ?? null,
    gitDirty: r.git_dirty ?? null,
    gitBranch: r.git_branch ?? null,
    version: r.version ?? null,
    host: r.host ?? null,
    cpuModel: r.cpu_model ?? null,
    cpuCount: r.cpu_count ?? null,
    nodeVersion: r.node_version ?? null,
    serviceCpus: parseJsonColumn(r.service_cpus, null),
    workerCpus: parseJsonColumn(r.worker_cpus, null),
    pinning: parseJsonColumn(r.pinning, []),
    error: r.error ?? null,
    warnings: parseJsonColumn(r.warnings, []),
    config: parseJsonColumn(r.config, null),
  };
}

/**
 * Phases of a run in order; `histograms` adds the encoded HDR histograms. A phase the run never
 * finished (killed while it ran) has `partial` true: its figures are up to its last whole second.
 */
export async function readPhases(store: Store, id: string, options: { histograms?: boolean } = {}): Promise<StoredPhase[]> {
  const cols = options.histograms ? '* EXCLUDE (run_id)' : '* EXCLUDE (hist, service_hist, run_id)';
  const rows = await store.query<StoredPhase>(`SELECT ${cols} FROM phases WHERE run_id = $1 ORDER BY ordinal, started_at`, [id]);
  return rows.map((p) => ({ ...p, partial: p.partial === true }));
}

/** Gate outcomes of a run. */
export async function readGates(store: Store, id: string): Promise<StoredGate[]> {
  return store.query<StoredGate>('SELECT * EXCLUDE (run_id) FROM gates WHERE run_id = $1', [id]);
}

/** Per-second series of a run, in order (histograms left out). */
export async function readSeries(store: Store, id: string): Promise<Omit<Row<'series'>, 'hist'>[]> {
  return store.query<Omit<Row<'series'>, 'hist'>>('SELECT * EXCLUDE (hist) FROM series WHERE run_id = $1 ORDER BY second', [id]);
}

/** Per-task medians over a bench run's successful repetitions. */
export async function readBenchAggregates(store: Store, id: string): Promise<BenchTaskAggregate[]> {
  const rows = await store.query<{ task: string; repetitions: number; median_ns: number; min_ns: number; max_ns: number }>(
    "SELECT task, count(*) AS repetitions, median(median_ns) AS median_ns, min(median_ns) AS min_ns, max(median_ns) AS max_ns FROM bench_reps WHERE run_id = $1 AND coalesce(status, 'ok') = 'ok' GROUP BY task ORDER BY task",
    [id],
  );
  return rows.map((r) => ({ task: r.task, repetitions: r.repetitions, medianNs: r.median_ns, minNs: r.min_ns, maxNs: r.max_ns }));
}

/** Successful bench repetitions of the given runs (one row per task and repetition). */
export async function readBenchRepetitions(store: Store, ids: readonly string[]): Promise<Row<'bench_reps'>[]> {
  return store.query<Row<'bench_reps'>>(
    "SELECT * FROM bench_reps WHERE list_contains($1, run_id) AND coalesce(status, 'ok') = 'ok' ORDER BY run_id, task, repetition",
    [list(ids)],
  );
}

/** Measured (non-warmup) phases of the given runs, in run and phase order. */
export async function readMeasuredPhases(store: Store, ids: readonly string[]): Promise<StoredPhase[]> {
  return store.query<StoredPhase>(
    `SELECT * EXCLUDE (hist, service_hist) FROM phases p WHERE list_contains($1, run_id) AND NOT coalesce(warmup, false) AND ${await endedPhaseSql(store, 'p')} ORDER BY run_id, ordinal`,
    [list(ids)],
  );
}

/** What a comparison checks of each run: kind, scenario, status, and how much it measured. */
export interface RunCheck {
  id: string;
  kind: string;
  scenario: string;
  status: string;
  measuredPhases: string[];
  requests: number;
  benchReps: number;
}

/** Kind, scenario, status, measured phase names and request / repetition counts of each run, in the order given. */
export async function readRunChecks(store: Store, ids: readonly string[]): Promise<RunCheck[]> {
  // A phase the run never finished is not a measurement of it (the run is not usable either; see analysis/comparable).
  const ended = await endedPhaseSql(store, 'p');
  const rows = await store.query<{
    id: string;
    kind: string;
    scenario: string;
    status: string;
    phases: string[] | null;
    requests: number | null;
    reps: number | null;
  }>(
    `SELECT r.id, r.kind, r.scenario, r.status,
       (SELECT list(p.phase ORDER BY p.phase) FROM phases p WHERE p.run_id = r.id AND NOT coalesce(p.warmup, false) AND p.phase = p.parent AND ${ended}) AS phases,
       (SELECT sum(p.requests) FROM phases p WHERE p.run_id = r.id AND NOT coalesce(p.warmup, false) AND p.phase = p.parent AND ${ended}) AS requests,
       (SELECT count(*) FROM bench_reps b WHERE b.run_id = r.id AND coalesce(b.status, 'ok') = 'ok') AS reps
     FROM runs r WHERE list_contains($1, r.id)`,
    [list(ids)],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    return r
      ? [
          {
            id,
            kind: r.kind,
            scenario: r.scenario,
            status: r.status,
            measuredPhases: r.phases ?? [],
            requests: r.requests ?? 0,
            benchReps: r.reps ?? 0,
          },
        ]
      : [];
  });
}

/** The distinct (kind, scenario) pairs among the given runs. */
export async function readRunKinds(store: Store, ids: readonly string[]): Promise<{ kind: string; scenario: string }[]> {
  return store.query<{ kind: string; scenario: string }>(
    'SELECT DISTINCT kind, scenario FROM runs WHERE list_contains($1, id) ORDER BY kind, scenario',
    [list(ids)],
  );
}

/** Ids of every run of a scenario or bench, oldest first ([] when there is none). */
export async function runsOfScenario(store: Store, scenario: string): Promise<string[]> {
  return (await store.query<{ id: string }>('SELECT id FROM runs WHERE scenario = $1 ORDER BY started_at', [scenario])).map((r) => r.id);
}

/** Completed runs of a scenario made from a clean tree at a commit (sha or sha prefix), oldest first. */
export async function runsAtCommit(store: Store, scenario: string, sha: string): Promise<string[]> {
  const rows = await store.query<{ id: string }>(
    "SELECT id FROM runs WHERE scenario = $1 AND starts_with(git_sha, $2) AND status IN ('completed', 'aborted') AND NOT coalesce(git_dirty, false) ORDER BY started_at",
    [scenario, sha],
  );
  return rows.map((r) => r.id);
}

/** Every run of `from`'s kind and scenario started between `from` and `to` (inclusive), oldest first. */
export async function runsBetween(store: Store, from: string, to: string): Promise<string[]> {
  const rows = await store.query<{ id: string }>(
    `SELECT r.id FROM runs r, runs a, runs b WHERE a.id = $1 AND b.id = $2 AND r.kind = a.kind AND r.scenario = a.scenario
     AND r.started_at BETWEEN least(a.started_at, b.started_at) AND greatest(a.started_at, b.started_at) ORDER BY r.started_at`,
    [from, to],
  );
  return rows.map((r) => r.id);
}

function list(ids: readonly string[]): DuckDBListValue {
  return listValue([...ids]);
}

/** A JSON column as read back (DuckDB gives JSON as text): parsed, or `fallback` when empty, null or not JSON. */
export function parseJsonColumn<T>(v: unknown, fallback: T): T {
  if (v === null || v === undefined || v === '') return fallback;
  if (typeof v !== 'string') return v as T;
  try {
    return JSON.parse(v) as T;
  } catch {
    return fallback;
  }
}
