/**
 * Every row a load run measured, histograms included: what `headroom merge` reads from each
 * segment run to combine them exactly (the other readers leave the encoded histograms out).
 */
import type { Row } from '../schema.ts';
import type { Store } from '../store.ts';
import { hasColumns } from './columns.ts';

/** A run's phase, per-second, per-name, check and flow rows, as stored (JSON columns as text, histograms as bytes). */
export interface MeasuredRows {
  /** In phase order. */
  phases: Row<'phases'>[];
  /** In second order. */
  series: Row<'series'>[];
  requests: Row<'phase_requests'>[];
  checks: Row<'phase_checks'>[];
  flows: Row<'phase_flows'>[];
  /** The requests the generator sent with a W3C traceparent, with their latency (`trace.sample`). */
  traceSamples: Row<'trace_samples'>[];
  /** Spans received from the service (OTLP or the capture agent). */
  spans: Row<'spans'>[];
}

/** The measured rows of run `id` (lists empty where it has none). */
export async function readMeasuredRows(store: Store, id: string): Promise<MeasuredRows> {
  const [phases, series] = await Promise.all([
    store.query<Row<'phases'>>('SELECT * FROM phases WHERE run_id = $1 ORDER BY ordinal, started_at', [id]),
    store.query<Row<'series'>>('SELECT * FROM series WHERE run_id = $1 ORDER BY second', [id]),
  ]);
  // A store opened read-only is not migrated: one from before schema 6 has no scripted tables.
  const [traceSamples, spans] = await Promise.all([
    (await hasColumns(store, 'trace_samples', ['run_id']))
      ? store.query<Row<'trace_samples'>>('SELECT * FROM trace_samples WHERE run_id = $1 ORDER BY started_at_ms', [id])
      : [],
    (await hasColumns(store, 'spans', ['run_id']))
      ? store.query<Row<'spans'>>('SELECT * FROM spans WHERE run_id = $1 ORDER BY start_ms', [id])
      : [],
  ]);
  if (!(await hasColumns(store, 'phase_requests', ['run_id'])))
    return { phases, series, requests: [], checks: [], flows: [], traceSamples, spans };
  const [requests, checks, flows] = await Promise.all([
    store.query<Row<'phase_requests'>>('SELECT * FROM phase_requests WHERE run_id = $1 ORDER BY phase, requests DESC, name', [id]),
    store.query<Row<'phase_checks'>>('SELECT * FROM phase_checks WHERE run_id = $1 ORDER BY phase, name', [id]),
    store.query<Row<'phase_flows'>>('SELECT * FROM phase_flows WHERE run_id = $1 ORDER BY phase, flow', [id]),
  ]);
  return { phases, series, requests, checks, flows, traceSamples, spans };
}
