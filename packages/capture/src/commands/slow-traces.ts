/**
 * `headroom traces slow`: the slowest sampled requests as the load generator measured them,
 * each with the span tree the SUT reported for the same trace id.
 */
import type { TraceSample } from '@headroom/internal';
import type { SpanRow } from '../types.ts';

/** A trace sample as the generator sends it (camelCase) or as the store keeps it (snake_case). */
export type TraceSampleInput = TraceSample | {
  trace_id: string; span_id: string; phase: string; request: string; started_at: number; latency_us: number;
  status: number; error: string | null;
};

export interface SlowTracesOptions {
  /** @default 10 */
  limit?: number;
  /** Only requests of this phase. */
  phase?: string;
}

export interface SpanNode {
  span_id: string; name: string; kind: string; service: string;
  /** Start relative to the request's intended send, ms. */
  offset_ms: number;
  duration_ms: number; status_code: string; attributes: Record<string, unknown>; children: SpanNode[];
}

export interface SlowTrace {
  trace_id: string; phase: string; request: string; latency_ms: number; status: number; error: string | null;
  started_at: number; spans: SpanNode[];
}

export interface SlowTracesResult { traces: SlowTrace[]; text: string }

function normalise(s: TraceSampleInput): Omit<SlowTrace, 'spans'> {
  if ('traceId' in s) {
    return { trace_id: s.traceId, phase: s.phase, request: s.request, latency_ms: s.latencyUs / 1000, status: s.status, error: s.error, started_at: s.startedAt };
  }
  return { trace_id: s.trace_id, phase: s.phase, request: s.request, latency_ms: s.latency_us / 1000, status: s.status, error: s.error, started_at: s.started_at };
}

function tree(spans: SpanRow[], t0: number): SpanNode[] {
  const nodes = new Map<string, SpanNode>();
  for (const s of spans) {
    let attributes: Record<string, unknown> = {};
    try { attributes = JSON.parse(s.attributes) as Record<string, unknown>; } catch { /* keep empty */ }
    nodes.set(s.span_id, { span_id: s.span_id, name: s.name, kind: s.kind, service: s.service, offset_ms: s.start_ms - t0,
      duration_ms: s.duration_ms, status_code: s.status_code, attributes, children: [] });
  }
  const roots: SpanNode[] = [];
  for (const s of spans) {
    const n = nodes.get(s.span_id)!;
    const parent = s.parent_span_id ? nodes.get(s.parent_span_id) : undefined;
    (parent && parent !== n ? parent.children : roots).push(n);
  }
  const byStart = (a: SpanNode, b: SpanNode) => a.offset_ms - b.offset_ms;
  const sortAll = (ns: SpanNode[]) => { ns.sort(byStart); for (const n of ns) sortAll(n.children); };
  sortAll(roots);
  return roots;
}

function render(nodes: SpanNode[], indent: string, lines: string[]): void {
  nodes.forEach((n, i) => {
    const last = i === nodes.length - 1;
    const route = typeof n.attributes['url.path'] === 'string' ? ` ${n.attributes['url.path']}` : '';
    lines.push(`${indent}${last ? '└─' : '├─'} ${n.name}${route} (${n.kind}, ${n.service}) +${n.offset_ms.toFixed(1)}ms ${n.duration_ms.toFixed(1)}ms${n.status_code === 'error' ? ' ERROR' : ''}`);
    render(n.children, indent + (last ? '   ' : '│  '), lines);
  });
}

/** The `limit` slowest sampled requests with their span trees, as data and as text. */
export function slowTraces(spans: readonly SpanRow[], samples: readonly TraceSampleInput[], options: SlowTracesOptions = {}): SlowTracesResult {
  const byTrace = new Map<string, SpanRow[]>();
  for (const s of spans) {
    const list = byTrace.get(s.trace_id);
    if (list) list.push(s);
    else byTrace.set(s.trace_id, [s]);
  }
  const picked = samples.map(normalise).filter((s) => options.phase === undefined || s.phase === options.phase)
    .sort((a, b) => b.latency_ms - a.latency_ms).slice(0, options.limit ?? 10);
  const traces = picked.map((s) => ({ ...s, spans: tree(byTrace.get(s.trace_id) ?? [], s.started_at) }));
  const lines: string[] = [];
  traces.forEach((t, i) => {
    lines.push(`${i + 1}. ${t.latency_ms.toFixed(1)}ms  ${t.request}  phase ${t.phase}  ${t.error ?? `status ${t.status}`}  trace ${t.trace_id}`);
    if (t.spans.length === 0) lines.push('   (no spans received for this trace: is tracing on in the SUT?)');
    render(t.spans, '   ', lines);
  });
  return { traces, text: lines.length > 0 ? lines.join('\n') : 'no sampled requests' };
}
