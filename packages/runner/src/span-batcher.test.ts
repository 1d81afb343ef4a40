import { describe, expect, it } from 'vitest';
import type { SpanRow } from '@headroom/capture';
import { SpanBatcher } from './span-batcher.ts';

const span = (id: string): SpanRow => ({
  trace_id: 't',
  span_id: id,
  parent_span_id: null,
  name: 'GET /',
  kind: 'server',
  service: 's',
  start_ms: 0,
  duration_ms: 1,
  status_code: 'unset',
  attributes: '{}',
  source: 'otlp',
});
const spans = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => span(`${prefix}${i}`));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('SpanBatcher', () => {
  it('sends a batch as soon as it is full, holding no more than one batch', () => {
    const out: string[][] = [];
    const b = new SpanBatcher((batch) => out.push(batch.map((s) => s.span_id)), { maxSpans: 4, maxDelayMs: 60_000 });
    b.add(spans('a', 3));
    expect(out).toEqual([]);
    expect(b.size).toBe(3);
    b.add(spans('b', 2));
    expect(out).toEqual([['a0', 'a1', 'a2', 'b0', 'b1']]);
    expect(b.size).toBe(0);
    b.add(spans('c', 9));
    expect(out.at(-1)).toHaveLength(9);
    expect(b.size).toBe(0);
  });

  it('sends what waits a delay after the first span, and once only', async () => {
    const out: { at: number; ids: string[] }[] = [];
    const b = new SpanBatcher((batch) => out.push({ at: Date.now(), ids: batch.map((s) => s.span_id) }), {
      maxSpans: 100,
      maxDelayMs: 150,
    });
    const t0 = Date.now();
    b.add(spans('a', 1));
    await sleep(50);
    b.add(spans('b', 1));
    b.add([]);
    await sleep(400);
    expect(out.map((o) => o.ids)).toEqual([['a0', 'b0']]);
    expect(out[0]!.at - t0).toBeGreaterThanOrEqual(140);
    // Nothing waiting: no timer, nothing sent.
    b.add([]);
    await sleep(200);
    expect(out).toHaveLength(1);
  });

  it('flush sends what waits now, and the timer it replaces sends nothing more', async () => {
    const out: string[][] = [];
    const b = new SpanBatcher((batch) => out.push(batch.map((s) => s.span_id)), { maxSpans: 100, maxDelayMs: 100 });
    b.add(spans('a', 2));
    b.flush();
    b.flush();
    expect(out).toEqual([['a0', 'a1']]);
    await sleep(250);
    expect(out).toHaveLength(1);
  });
});
