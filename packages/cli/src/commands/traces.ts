import { UsageError } from '@headroom/core';
import { slowTraces, type SpanRow } from '@headroom/capture';
import { resolveRunRef, type Store } from '@headroom/store';
import type { Output } from '../output.ts';

/** `headroom traces slow <run>`: the slowest sampled requests with the service's span tree. */
export async function tracesCommand(args: string[], store: Store, out: Output, values: Record<string, string | boolean | undefined>): Promise<number> {
  const [sub, ref] = args;
  if (sub !== 'slow' || !ref) throw new UsageError('usage: headroom traces slow <run> [--limit N] [--phase P]');
  const id = await resolveRunRef(store, ref);
  const spans = await store.query<SpanRow>('SELECT * FROM spans WHERE run_id = $1', [id]);
  const samples = await store.query<{ trace_id: string; span_id: string; phase: string; request: string; started_at_ms: number; latency_ms: number; status: number; error: string | null }>(
    'SELECT * FROM trace_samples WHERE run_id = $1', [id]);
  if (samples.length === 0) throw new UsageError(`run ${id} has no sampled requests; set trace: { sample: 0.01 } in the scenario (and service.capture.traces for server spans)`);
  const r = slowTraces(spans, samples.map((s) => ({
    trace_id: s.trace_id, span_id: s.span_id, phase: s.phase, request: s.request, started_at: s.started_at_ms,
    latency_us: s.latency_ms * 1000, status: s.status, error: s.error,
  })), {
    ...(values['limit'] !== undefined ? { limit: Number(values['limit']) } : {}),
    ...(typeof values['phase'] === 'string' ? { phase: values['phase'] } : {}),
  });
  if (out.json) out.resultJson({ runId: id, traces: r.traces }); else out.result(r.text);
  return 0;
}
