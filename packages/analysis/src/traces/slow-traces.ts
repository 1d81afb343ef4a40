/**
 * `headroom traces slow`: the slowest sampled requests as the load generator measured them,
 * each with the span tree the service reported for the same trace id.
 */
import type { TraceSample } from '@headroom/internal';
import type { SpanRow } from '@headroom/capture';
import { spanTree, type SpanNode } from './span-tree.ts';

/** How many and which requests. */
export interface SlowTracesOptions {
  /** @default 10 */
  limit?: number;
  /** Only requests of this phase. */
  phase?: string;
}

/** One sampled request and the spans of its trace. */
export interface SlowTrace {
  trace_id: string;
  phase: string;
  request: string;
  latency_ms: number;
  status: number;
  error: string | null;
  /** Epoch ms of the intended send. */
  started_at: number;
  /** Root spans (usually the service's server span), earliest first. */
  spans: SpanNode[];
}

/** The slowest sampled requests, slowest first. */
export interface SlowTracesResult {
  traces: SlowTrace[];
}

/** The `limit` slowest sampled requests with their span trees. */
export function slowTraces(spans: readonly SpanRow[], samples: readonly TraceSample[], options: SlowTracesOptions = {}): SlowTracesResult {
  const byTrace = new Map<string, SpanRow[]>();
  for (const s of spans) {
    const list = byTrace.get(s.trace_id);
    if (list) list.push(s);
    else byTrace.set(s.trace_id, [s]);
  }
  const picked = samples
    .filter((s) => options.phase === undefined || s.phase === options.phase)
    .sort((a, b) => b.latencyUs - a.latencyUs)
    .slice(0, options.limit ?? 10);
  const traces = picked.map((s) => ({
    trace_id: s.traceId,
    phase: s.phase,
    request: s.request,
    latency_ms: s.latencyUs / 1000,
    status: s.status,
    error: s.error,
    started_at: s.startedAt,
    spans: spanTree(byTrace.get(s.traceId) ?? [], s.startedAt),
  }));
  return { traces };
}
