/**
 * The slowest traced requests with their span waterfalls: each request's spans laid out by
 * depth and start, offsets from the request's start (the intended send when the generator
 * sampled it, so time queued before the service saw the request shows as a gap).
 */
import type { ReportRows } from '@headroom/store';
import type { SlowRequest, WaterfallSpan } from './report-data.ts';

type SpanRow = ReportRows['spans'][number];

/** A slow request plus the server span ids whose CPU samples belong to it. */
export type SlowRequestWithSpans = SlowRequest & { spanIds: string[] };

function phaseAt(rows: ReportRows, atMs: number): string | null {
  for (const p of rows.phases) {
    const from = p.started_at instanceof Date ? p.started_at.getTime() : p.started_at;
    const to = p.ended_at instanceof Date ? p.ended_at.getTime() : p.ended_at;
    if (from !== null && to !== null && atMs >= from && atMs <= to) return p.phase;
  }
  return null;
}

function detail(s: SpanRow): string {
  let attrs: Record<string, unknown> = {};
  try {
    attrs = JSON.parse(s.attributes ?? '{}') as Record<string, unknown>;
  } catch {
    /* none */
  }
  return Object.entries(attrs)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
}

function waterfall(spans: SpanRow[], t0: number): WaterfallSpan[] {
  const ids = new Set(spans.map((s) => s.span_id));
  const children = new Map<string | null, SpanRow[]>();
  for (const s of spans) {
    const parent = s.parent_span_id && ids.has(s.parent_span_id) && s.parent_span_id !== s.span_id ? s.parent_span_id : null;
    const list = children.get(parent) ?? [];
    list.push(s);
    children.set(parent, list);
  }
  const out: WaterfallSpan[] = [];
  const walk = (parent: string | null, depth: number): void => {
    for (const s of (children.get(parent) ?? []).sort((a, b) => (a.start_ms ?? 0) - (b.start_ms ?? 0))) {
      out.push({
        name: s.name ?? '',
        kind: s.kind ?? '',
        service: s.service ?? '',
        depth,
        offsetMs: (s.start_ms ?? t0) - t0,
        durationMs: s.duration_ms ?? 0,
        error: s.status_code === 'error',
        detail: detail(s),
      });
      if (s.span_id) walk(s.span_id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

/** The slowest traced requests of a run, slowest first. */
export function slowRequestsOf(rows: ReportRows): SlowRequestWithSpans[] {
  const byTrace = new Map<string, SpanRow[]>();
  for (const s of rows.spans) {
    const list = byTrace.get(s.trace_id ?? '') ?? [];
    list.push(s);
    byTrace.set(s.trace_id ?? '', list);
  }
  return rows.slowRequests.map((r) => {
    const spans = byTrace.get(r.trace_id) ?? [];
    return {
      traceId: r.trace_id,
      phase: r.phase ?? phaseAt(rows, r.started_at_ms),
      request: r.request,
      latencyMs: r.latency_ms,
      status: r.status,
      error: r.error,
      source: r.source,
      spans: waterfall(spans, r.started_at_ms),
      spanIds: spans.filter((s) => s.kind === 'server' && s.span_id).map((s) => s.span_id!.toLowerCase()),
    };
  });
}
