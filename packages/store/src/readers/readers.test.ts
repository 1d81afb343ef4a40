/** The typed readers against a real DuckDB store in memory. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TraceSample } from '@headroom/internal';
import { Store } from '../store.ts';
import { readFunctionRows, readProfiles } from './profiles.ts';
import { readSpans } from './spans.ts';
import { readTraceSamples } from './trace-samples.ts';

let store: Store;
// A phase name with a quote: a reader that built SQL by pasting strings would break or match wrongly here.
const QUOTED = "o'brien";

beforeAll(async () => {
  store = await Store.open(':memory:');
  const profile = (run_id: string, phase: string, type: string) => ({
    run_id,
    phase,
    type,
    path: `/p/${phase}.${type}.pb.gz`,
    sample_type: type,
    unit: 'nanoseconds',
    total: 10,
  });
  await store.append('profiles', [
    profile('r1', 'steady', 'cpu'),
    profile('r1', 'steady', 'wall'),
    profile('r1', QUOTED, 'cpu'),
    profile('r2', 'steady', 'cpu'),
  ]);
  const fn = (run_id: string, phase: string, type: string, name: string) => ({
    run_id,
    phase,
    type,
    function: name,
    file: '/a.ts',
    line: 3,
    self: 1,
    total: 2,
    unit: 'nanoseconds',
  });
  await store.append('profile_functions', [
    fn('r1', 'steady', 'cpu', 'a'),
    fn('r1', 'steady', 'wall', 'a'),
    fn('r1', QUOTED, 'cpu', 'b'),
    fn('r2', 'steady', 'cpu', 'c'),
  ]);
  const span = (run_id: string, span_id: string, kind: string) => ({
    run_id,
    trace_id: 't'.repeat(32),
    span_id,
    parent_span_id: null,
    name: 'GET',
    kind,
    service: 'svc',
    start_ms: 1000.5,
    duration_ms: 2.25,
    status_code: 'unset',
    attributes: '{"url.path":"/x"}',
    source: 'otlp',
  });
  await store.append('spans', [span('r1', 's1', 'server'), span('r1', 's2', 'internal'), span('r2', 's3', 'server')]);
  await store.append('trace_samples', [
    {
      run_id: 'r1',
      trace_id: 'b'.repeat(32),
      span_id: '2'.repeat(16),
      phase: 'steady',
      request: 'GET /x',
      started_at_ms: 2000,
      latency_ms: 1.5,
      status: 200,
      error: null,
    },
    {
      run_id: 'r1',
      trace_id: 'a'.repeat(32),
      span_id: '1'.repeat(16),
      phase: 'steady',
      request: 'GET /y',
      started_at_ms: 1000,
      latency_ms: 30,
      status: 0,
      error: 'timeout',
    },
  ]);
});
afterAll(() => store.close());

describe('profile readers', () => {
  it('read one run, filtered by phase and type through bound parameters', async () => {
    expect((await readProfiles(store, 'r1')).map((p) => `${p.phase}/${p.type}`)).toEqual([`${QUOTED}/cpu`, 'steady/cpu', 'steady/wall']);
    expect((await readProfiles(store, 'r1', { type: 'cpu', phase: QUOTED })).map((p) => p.path)).toEqual([`/p/${QUOTED}.cpu.pb.gz`]);
    expect(await readProfiles(store, 'r1', { phase: "x' OR '1'='1" })).toEqual([]);
    const rows = await readFunctionRows(store, 'r1', { type: 'cpu' });
    expect(rows.map((r) => r.function).sort()).toEqual(['a', 'b']);
    expect(rows[0]).toEqual({
      phase: expect.any(String),
      type: 'cpu',
      function: expect.any(String),
      file: '/a.ts',
      line: 3,
      self: 1,
      total: 2,
      unit: 'nanoseconds',
    });
  });
});

describe('span and trace-sample readers', () => {
  it('return spans as capture received them, optionally of one kind', async () => {
    expect((await readSpans(store, 'r1')).map((s) => s.span_id).sort()).toEqual(['s1', 's2']);
    const [server] = await readSpans(store, 'r1', { kind: 'server' });
    expect(server).toEqual({
      trace_id: 't'.repeat(32),
      span_id: 's1',
      parent_span_id: null,
      name: 'GET',
      kind: 'server',
      service: 'svc',
      start_ms: 1000.5,
      duration_ms: 2.25,
      status_code: 'unset',
      attributes: '{"url.path":"/x"}',
      source: 'otlp',
    });
  });

  it('return trace samples as the generator produced them (core TraceSample), in send order', async () => {
    const expected: TraceSample[] = [
      {
        traceId: 'a'.repeat(32),
        spanId: '1'.repeat(16),
        phase: 'steady',
        request: 'GET /y',
        startedAt: 1000,
        latencyUs: 30_000,
        status: 0,
        error: 'timeout',
      },
      {
        traceId: 'b'.repeat(32),
        spanId: '2'.repeat(16),
        phase: 'steady',
        request: 'GET /x',
        startedAt: 2000,
        latencyUs: 1_500,
        status: 200,
        error: null,
      },
    ];
    expect(await readTraceSamples(store, 'r1')).toEqual(expected);
    expect(await readTraceSamples(store, 'nope')).toEqual([]);
  });
});
