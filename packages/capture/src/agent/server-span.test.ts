import { describe, expect, it } from 'vitest';
import { context, trace, ROOT_CONTEXT, SpanStatusCode } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  InMemorySpanExporter,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { decodeTracesProto } from '../receive/otlp-decode.ts';
import { parseTraceparent, ServerSpan, withSpanActive } from './server-span.ts';

const TRACE = '0af7651916cd43dd8448eb211c80319c';
const PARENT = 'b7ad6b7169203331';

describe('parseTraceparent (W3C Trace Context, section 3.2)', () => {
  it('reads the ids, the flags and the tracestate of a valid header', () => {
    const sc = parseTraceparent(`00-${TRACE}-${PARENT}-01`, 'congo=t61rcWkgMzE');
    expect(sc).toMatchObject({ traceId: TRACE, spanId: PARENT, traceFlags: 1, isRemote: true });
    expect(sc?.traceState?.get('congo')).toBe('t61rcWkgMzE');
  });

  it('rejects what the spec says to ignore', () => {
    for (const bad of [
      `ff-${TRACE}-${PARENT}-01`, // version ff is invalid
      `00-${'0'.repeat(32)}-${PARENT}-01`, // all-zero trace id
      `00-${TRACE}-${'0'.repeat(16)}-01`, // all-zero parent id
      `00-${TRACE.toUpperCase()}-${PARENT}-01`, // upper-case hex
      `00-${TRACE}-${PARENT}-01-extra`, // version 00 has exactly four fields
      `00-${TRACE}-${PARENT}`,
    ])
      expect(parseTraceparent(bad, undefined), bad).toBeNull();
  });

  it('accepts a later version with more fields, reading the first four', () => {
    expect(parseTraceparent(`01-${TRACE}-${PARENT}-00-what-the-future-adds`, undefined)?.traceFlags).toBe(0);
  });
});

describe('ServerSpan', () => {
  const exporter = new InMemorySpanExporter();
  const processor = new SimpleSpanProcessor({ exporter });
  const resource = resourceFromAttributes({ 'service.name': 'orders' });
  const sink = { processor, resource, scope: { name: '@headroom/capture' } };

  it('goes through the SDK processor and OTLP serializer as the child of its remote parent', async () => {
    exporter.reset();
    const span = new ServerSpan(sink, 'GET', parseTraceparent(`00-${TRACE}-${PARENT}-01`, undefined), { 'url.path': '/orders' });
    span.setAttribute('http.response.status_code', 503);
    span.setAttributes({ 'not.a.value': { nested: true } as never, '': 'no key', 'mixed.array': [1, 'a'] as never });
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'overloaded' });
    span.setStatus({ code: SpanStatusCode.UNSET });
    expect(span.isRecording()).toBe(true);
    span.end();
    span.setAttribute('late', 1);
    span.end();
    expect(span.isRecording()).toBe(false);
    await processor.forceFlush();
    expect(exporter.getFinishedSpans()).toEqual([span]);

    const [row] = decodeTracesProto(ProtobufTraceSerializer.serializeRequest([span])!, 'unknown');
    expect(row).toMatchObject({
      trace_id: TRACE,
      parent_span_id: PARENT,
      span_id: span.spanContext().spanId,
      name: 'GET',
      kind: 'server',
      service: 'orders',
      status_code: 'error',
    });
    expect(JSON.parse(row!.attributes)).toEqual({ 'url.path': '/orders', 'http.response.status_code': 503 });
    expect(Math.abs(row!.start_ms - Date.now())).toBeLessThan(5_000);
    // Started and ended within this test: milliseconds, not µs or ns (a unit slip would be 1000x off).
    expect(row!.duration_ms).toBeGreaterThanOrEqual(0);
    expect(row!.duration_ms).toBeLessThan(5_000);
  });

  it('starts a new trace without a parent, with fresh valid ids each time', () => {
    const a = new ServerSpan(sink, 'GET', null, {});
    const b = new ServerSpan(sink, 'GET', null, {});
    expect(a.spanContext().traceId).toMatch(/^[\da-f]{32}$/);
    expect(a.spanContext().spanId).toMatch(/^[\da-f]{16}$/);
    expect(a.spanContext().traceId).not.toBe(b.spanContext().traceId);
    expect(a.spanContext().spanId).not.toBe(b.spanContext().spanId);
    expect(a.parentSpanContext).toBeUndefined();
  });

  it('records the end time it is given, and its duration from the start', () => {
    const span = new ServerSpan(sink, 'GET', null, {});
    const end = span.startTime[0] * 1000 + span.startTime[1] / 1e6 + 1500;
    span.end(end);
    expect(span.duration[0]).toBe(1);
    expect(span.duration[1]).toBeGreaterThan(499_000_000);
    expect(span.duration[1]).toBeLessThan(501_000_000);
  });

  it("is the active span for the handler, so the service's own SDK spans become its children", async () => {
    const manager = new AsyncLocalStorageContextManager().enable();
    context.setGlobalContextManager(manager);
    const provider = new TracerProvider({
      sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(0) }),
      spanProcessors: [processor],
    });
    try {
      exporter.reset();
      const server = new ServerSpan(sink, 'GET', null, {});
      const active = withSpanActive(ROOT_CONTEXT, server);
      context.with(active, () => {
        expect(trace.getActiveSpan()).toBe(server);
        // A derived context keeps the server span and adds the new value.
        const key = Symbol('k');
        const derived = context.active().setValue(key, 7);
        expect(trace.getSpan(derived)).toBe(server);
        expect(derived.getValue(key)).toBe(7);
        provider.getTracer('service').startActiveSpan('db query', (child) => child.end());
      });
      server.end();
      await processor.forceFlush();
      const [child] = exporter.getFinishedSpans().filter((s) => s.name === 'db query');
      expect(child?.parentSpanContext?.spanId).toBe(server.spanContext().spanId);
      expect(child?.spanContext().traceId).toBe(server.spanContext().traceId);
    } finally {
      context.disable();
      await provider.forceFlush();
    }
  });
});
