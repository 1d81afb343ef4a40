/**
 * The rows behind `headroom report`: everything one run's report shows, read with the store's
 * current query methods. The SQL of the report lives here and nowhere else; decoding (HDR
 * histograms, pprof artifacts) and shaping into the report's model happen in @headroom/report,
 * so the store does not depend on the packages downstream of it.
 */
import type { Store } from '../store.ts';
import type { Row } from '../schema.ts';
import { readScripted, type StoredScripted } from './scripted.ts';

/** What {@link readReportRows} reads. */
export interface ReadReportRowsOptions {
  /** How many of the slowest traced requests to read, with all spans of their traces. @default 10 */
  slowTraces?: number;
  /** How many earlier runs of the same scenario to read for the history. @default 50 */
  history?: number;
}

/** Defaults of {@link ReadReportRowsOptions}, resolved in one place. */
export const READ_REPORT_ROWS_DEFAULTS = { slowTraces: 10, history: 50 } as const satisfies Required<ReadReportRowsOptions>;

/** One earlier (or this) run of the same scenario: a point of the history. */
export interface HistoryRow {
  id: string;
  started_at: Date | null;
  git_sha: string | null;
  git_dirty: boolean | null;
  status: string | null;
  /** The last measured (non-warm-up) phase's figures. */
  phase: string | null;
  p99_ms: number | null;
  achieved_rate: number | null;
}

/** A traced request as the report needs it: the generator's sample, or the SUT's server span. */
export interface SlowRequestRow {
  trace_id: string;
  span_id: string | null;
  phase: string | null;
  request: string;
  latency_ms: number;
  status: number | null;
  error: string | null;
  /** Epoch ms the request (or its server span) started. */
  started_at_ms: number;
  /** 'generator' when the load generator sampled it, 'server' when only the SUT's span is known. */
  source: 'generator' | 'server';
}

/** Every row of one run the report shows. BLOBs (histograms) stay encoded. */
export interface ReportRows {
  run: Row<'runs'>;
  phases: Row<'phases'>[];
  series: Row<'series'>[];
  gates: Row<'gates'>[];
  profiles: Row<'profiles'>[];
  benchReps: Row<'bench_reps'>[];
  slowRequests: SlowRequestRow[];
  /** All spans of the slowest requests' traces. */
  spans: Row<'spans'>[];
  history: HistoryRow[];
  /** Per request name, check and flow rows of a scripted run (empty lists otherwise). */
  scripted: StoredScripted;
}

/** Reads the report's rows of `runId`; null when the run does not exist. */
export async function readReportRows(store: Store, runId: string, options: ReadReportRowsOptions = {}): Promise<ReportRows | null> {
  const o = { ...READ_REPORT_ROWS_DEFAULTS, ...options };
  const [run] = await store.query<Row<'runs'>>('SELECT * FROM runs WHERE id = $1', [runId]);
  if (!run) return null;
  const phases = await store.query<Row<'phases'>>('SELECT * FROM phases WHERE run_id = $1 ORDER BY ordinal, started_at', [runId]);
  const series = await store.query<Row<'series'>>('SELECT * EXCLUDE (hist) FROM series WHERE run_id = $1 ORDER BY second', [runId]);
  const gates = await store.query<Row<'gates'>>('SELECT * FROM gates WHERE run_id = $1', [runId]);
  const profiles = await store.query<Row<'profiles'>>('SELECT * FROM profiles WHERE run_id = $1 ORDER BY phase, type', [runId]);
  const benchReps = await store.query<Row<'bench_reps'>>('SELECT * FROM bench_reps WHERE run_id = $1 ORDER BY task, repetition', [runId]);
  const slowRequests = await readSlowRequests(store, runId, o.slowTraces);
  const traceIds = [...new Set(slowRequests.map((r) => r.trace_id))];
  const spans =
    traceIds.length === 0
      ? []
      : await store.query<Row<'spans'>>(
          `SELECT * FROM spans WHERE run_id = $1 AND trace_id IN (${traceIds.map((_, i) => `$${i + 2}`).join(', ')}) ORDER BY start_ms`,
          [runId, ...traceIds],
        );
  const history = await store.query<HistoryRow>(
    `SELECT r.id, r.started_at, r.git_sha, r.git_dirty, r.status, p.phase, p.p99_ms, p.achieved_rate
       FROM runs r
       LEFT JOIN (SELECT run_id, phase, p99_ms, achieved_rate,
                         row_number() OVER (PARTITION BY run_id ORDER BY ordinal DESC) AS k
                    FROM phases WHERE NOT coalesce(warmup, false)) p ON p.run_id = r.id AND p.k = 1
      WHERE r.scenario = $1 AND r.kind = $2 AND r.started_at <= $3
      ORDER BY r.started_at DESC LIMIT ${Math.max(1, Math.floor(o.history))}`,
    [run.scenario ?? '', run.kind ?? '', run.started_at instanceof Date ? run.started_at.toISOString() : String(run.started_at)],
  );
  history.reverse();
  const scripted = await readScripted(store, runId);
  return { run, phases, series, gates, profiles, benchReps, slowRequests, spans, history, scripted };
}

/**
 * The slowest traced requests: the generator's trace samples when it took any (they carry the
 * latency from the intended send), else the SUT's slowest server spans.
 */
async function readSlowRequests(store: Store, runId: string, limit: number): Promise<SlowRequestRow[]> {
  const n = Math.max(0, Math.floor(limit));
  if (n === 0) return [];
  const samples = await store.query<SlowRequestRow>(
    `SELECT trace_id, span_id, phase, request, latency_ms, status, error, started_at_ms, 'generator' AS source
       FROM trace_samples WHERE run_id = $1 ORDER BY latency_ms DESC LIMIT ${n}`,
    [runId],
  );
  if (samples.length > 0) return samples;
  // Server spans of measured phases first: warm-up is left out of profiles, so its spans have no CPU samples to join.
  return store.query<SlowRequestRow>(
    `SELECT s.trace_id, s.span_id, p.phase,
            s.name || ' ' || coalesce(json_extract_string(s.attributes, '$."url.path"'), '') AS request,
            s.duration_ms AS latency_ms, TRY_CAST(json_extract_string(s.attributes, '$."http.response.status_code"') AS INTEGER) AS status,
            CASE WHEN s.status_code = 'error' THEN 'span status error' END AS error, s.start_ms AS started_at_ms, 'server' AS source
       FROM spans s
       LEFT JOIN phases p ON p.run_id = s.run_id AND s.start_ms BETWEEN epoch_ms(p.started_at) AND epoch_ms(p.ended_at)
      WHERE s.run_id = $1 AND s.kind = 'server'
    QUALIFY row_number() OVER (PARTITION BY s.span_id ORDER BY p.ordinal DESC) = 1
      ORDER BY coalesce(p.warmup, false), s.duration_ms DESC LIMIT ${n}`,
    [runId],
  );
}
