/**
 * Typed reader of the requests the load generator sent with a traceparent (table
 * `trace_samples`), returned as the generator produced them: core's TraceSample.
 */
import type { ErrorKind, TraceSample } from '@headroom/internal';
import type { Store } from '../store.ts';

const TRACE_SAMPLES_SQL = `SELECT trace_id, span_id, phase, request, started_at_ms, latency_ms, status, error
  FROM trace_samples WHERE run_id = $1 ORDER BY started_at_ms`;

interface TraceSampleRecord {
  trace_id: string;
  span_id: string;
  phase: string;
  request: string;
  started_at_ms: number;
  latency_ms: number;
  status: number;
  error: string | null;
}

/** The sampled requests of a run, in the order they were sent. */
export async function readTraceSamples(store: Store, runId: string): Promise<TraceSample[]> {
  const rows = await store.query<TraceSampleRecord>(TRACE_SAMPLES_SQL, [runId]);
  return rows.map((r) => ({
    traceId: r.trace_id,
    spanId: r.span_id,
    phase: r.phase,
    request: r.request,
    startedAt: r.started_at_ms,
    latencyUs: r.latency_ms * 1000,
    status: r.status,
    error: r.error as ErrorKind | null,
  }));
}
