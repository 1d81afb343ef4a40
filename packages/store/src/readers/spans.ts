/** Typed reader of the spans the service reported during a run (table `spans`). */
import type { SpanRow } from '@headroom/capture';
import type { Store } from '../store.ts';

/** Which spans; every filter is optional. */
export interface SpanFilter {
  /** Only spans of this kind ('server', 'client', 'internal', …). */
  kind?: string;
}

const SPANS_SQL = `SELECT trace_id, span_id, parent_span_id, name, kind, service, start_ms, duration_ms, status_code, attributes, source
  FROM spans WHERE run_id = $1 AND ($2::VARCHAR IS NULL OR kind = $2)`;

/** The spans of a run, as capture received them. */
export async function readSpans(store: Store, runId: string, filter: SpanFilter = {}): Promise<SpanRow[]> {
  return store.query<SpanRow>(SPANS_SQL, [runId, filter.kind ?? null]);
}
