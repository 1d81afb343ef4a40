/** slowTraces on hand-built spans and samples; offsets and order are worked out in the comments. */
import { describe, it, expect } from 'vitest';
import type { TraceSample } from '@headroom/internal';
import type { SpanRow } from '@headroom/capture';
import { slowTraces } from './slow-traces.ts';

const T1 = 't1'.padEnd(32, '0');
const span = (id: string, parent: string | null, name: string, start: number, dur: number, trace = T1): SpanRow => ({
  trace_id: trace,
  span_id: id,
  parent_span_id: parent,
  name,
  kind: parent === 'gen' ? 'server' : 'internal',
  service: 'api',
  start_ms: start,
  duration_ms: dur,
  status_code: 'unset',
  attributes: '{"url.path":"/orders"}',
  source: 'otlp',
});
const sample = (trace: string, phase: string, request: string, startedAt: number, latencyUs: number, status = 200): TraceSample => ({
  traceId: trace,
  spanId: 'gen',
  phase,
  request,
  startedAt,
  latencyUs,
  status,
  error: null,
});

describe('slowTraces', () => {
  it('lists the slowest sampled requests of a phase with their span trees', () => {
    const spans = [span('s1', 'gen', 'GET', 1002, 40), span('s2', 's1', 'db', 1010, 25), span('s3', 's1', 'render', 1005, 3)];
    const samples = [
      sample(T1, 'steady', 'GET /orders', 1000, 45_000),
      sample('t2'.padEnd(32, '0'), 'steady', 'POST /orders', 2000, 5_000, 201),
      sample('t3'.padEnd(32, '0'), 'warmup', 'GET /orders', 500, 90_000),
    ];
    const r = slowTraces(spans, samples, { limit: 2, phase: 'steady' });
    // The warmup request is the slowest but not of the phase; steady: 45 ms then 5 ms.
    expect(r.traces.map((t) => t.latency_ms)).toEqual([45, 5]);
    const root = r.traces[0]!.spans[0]!;
    // The server span started 2 ms after the intended send (1002 - 1000); its children by start: render (1005), db (1010).
    expect(root.offset_ms).toBe(2);
    expect(root.children.map((c) => c.name)).toEqual(['render', 'db']);
    expect(root.attributes).toEqual({ 'url.path': '/orders' });
    expect(r.traces[1]!.spans).toEqual([]);
  });
});
