import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHistogram, encodeHistogram, recordUs, summarize } from '@headroom/internal';
import { Store, exportRuns, readGates, readPhases, readRun, writeRunRows } from '@headroom/store';
import { mergeSegments } from './merge-segments.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'headroom-merge-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const START = '2026-12-03T18:40:00.000Z';
const THRESHOLDS = [
  { key: 'steady.p99', scope: 'steady', metric: 'p99', op: '<', value: 1000, expression: '< 1s', abortOnFail: false, delayAbortEvalMs: 0 },
  {
    key: 'steady.requests',
    scope: 'steady',
    metric: 'requests',
    op: '>=',
    value: 1e9,
    expression: '>= 1e9',
    abortOnFail: false,
    delayAbortEvalMs: 0,
  },
];

function hist(values: readonly number[]): Uint8Array {
  const h = createHistogram();
  for (const v of values) recordUs(h, v);
  return encodeHistogram(h);
}

/** Writes segment `index`/`count` of one execution into the store at `file`, its latencies `values` (µs). */
async function segmentStore(file: string, index: number, count: number, values: number[], o: { status?: string; error?: string } = {}) {
  const store = await Store.open(file);
  const id = `seg-${index}`;
  const config = {
    name: 'orders',
    phases: [{ name: 'steady', warmup: false }],
    thresholds: THRESHOLDS,
    segment: { index, count, startAt: START, workers: 1 },
  };
  await writeRunRows(store, {
    run: {
      id,
      kind: 'load',
      scenario: 'orders',
      status: o.status ?? 'completed',
      error: o.error ?? null,
      started_at: Date.parse(START) - 2000,
      ended_at: Date.parse(START) + 5000 + index,
      host: `pod-${index}`,
      git_sha: 'abc',
      config: JSON.stringify(config),
      warnings: JSON.stringify([`w${index}`]),
      pinning: JSON.stringify([{ role: 'worker-0', pid: 10 + index, requested: [1], allowed: [1], threads: 1, verified: true }]),
    },
    phases: [
      {
        run_id: id,
        phase: 'steady',
        parent: 'steady',
        ordinal: 0,
        model: 'open',
        warmup: false,
        started_at: Date.parse(START),
        ended_at: Date.parse(START) + 5000,
        duration_s: 5,
        offered_rate: 50,
        achieved_rate: values.length / 5,
        requests: values.length,
        ok: values.length,
        errors: 0,
        errors_by_kind: '{}',
        hist: hist(values),
        service_hist: hist(values),
        partial: false,
      },
    ],
    series: [{ run_id: id, second: 0, phase: 'steady', requests: values.length, ok: values.length, hist: hist(values) }],
    requests: [],
    checks: [],
    flows: [],
    gates: [],
    traceSamples: [0, 1].map((k) => ({
      run_id: id,
      trace_id: `${index}${k}`.padStart(32, 'a'),
      span_id: `${index}${k}`.padStart(16, 'b'),
      phase: 'steady',
      request: 'GET /',
      started_at_ms: Date.parse(START) + k,
      latency_ms: (values[k] ?? 0) / 1000,
      status: 200,
      error: null,
    })),
    spans: [
      {
        run_id: id,
        trace_id: `${index}0`.padStart(32, 'a'),
        span_id: `${index}9`.padStart(16, 'c'),
        parent_span_id: `${index}0`.padStart(16, 'b'),
        name: 'GET /',
        kind: 'SERVER',
        service: 'orders',
        start_ms: Date.parse(START),
        duration_ms: 1,
        status_code: 'UNSET',
        attributes: JSON.stringify({ 'http.route': '/' }),
        source: 'otlp',
      },
    ],
  });
  store.close();
}

describe('mergeSegments', () => {
  it('merges a store file and an export folder into one stored run: exact p99, gates judged, segments named', async () => {
    const a = Array.from({ length: 250 }, (_, i) => 1000 + i * 37);
    const b = Array.from({ length: 150 }, (_, i) => 800 + i * 91);
    await segmentStore(join(dir, 'seg-0.duckdb'), 0, 2, a);
    await segmentStore(join(dir, 'seg-1.duckdb'), 1, 2, b);
    // Segment 1 travels as a `runs export` folder.
    const s1 = await Store.open(join(dir, 'seg-1.duckdb'));
    await exportRuns(s1, ['seg-1'], join(dir, 'seg-1-export'));
    s1.close();
    const out = await Store.open(join(dir, 'merged.duckdb'));
    try {
      const m = await mergeSegments([join(dir, 'seg-0.duckdb'), join(dir, 'seg-1-export')], { store: out });
      expect(m.status).toBe('completed');
      expect(m.exitCode).toBe(1);
      expect(m.gates.map((g) => [g.key, g.status])).toEqual([
        ['steady.p99', 'passed'],
        ['steady.requests', 'failed'],
      ]);
      expect(m.segments.map((s) => [s.index, s.runId, s.host])).toEqual([
        [0, 'seg-0', 'pod-0'],
        [1, 'seg-1', 'pod-1'],
      ]);
      const h = createHistogram();
      for (const v of [...a, ...b]) recordUs(h, v);
      const [p] = await readPhases(out, m.runId, { histograms: true });
      expect(p).toMatchObject({ requests: 400, offered_rate: 100, p99_ms: summarize(h).p99Ms, p50_ms: summarize(h).p50Ms });
      const run = await readRun(out, m.runId);
      expect(run).toMatchObject({
        status: 'completed',
        gates: 'failed',
        host: 'pod-0, pod-1',
        warnings: ['segment 0/2: w0', 'segment 1/2: w1'],
      });
      expect(run?.config).toMatchObject({ name: 'orders', segments: { count: 2, runs: ['seg-0', 'seg-1'], hosts: ['pod-0', 'pod-1'] } });
      expect((run?.config as { segment?: unknown }).segment).toBeUndefined();
      expect(run?.pinning).toEqual([
        expect.objectContaining({ role: 'segment-0/worker-0', pid: 10 }),
        expect.objectContaining({ role: 'segment-1/worker-0', pid: 11 }),
      ]);
      expect((await readGates(out, m.runId)).map((g) => g.passed)).toEqual([true, false]);
      const [s] = await out.query<{ requests: number; p99_ms: number }>('SELECT requests, p99_ms FROM series WHERE run_id = $1', [m.runId]);
      expect(s).toEqual({ requests: 400, p99_ms: summarize(h).p99Ms });
      // The traced requests and spans of both segments (one through its export folder) are the merged run's.
      const traced = await out.query<{ trace_id: string; latency_ms: number }>(
        'SELECT trace_id, latency_ms FROM trace_samples WHERE run_id = $1 ORDER BY trace_id',
        [m.runId],
      );
      expect(traced.map((t) => t.trace_id.slice(-2))).toEqual(['00', '01', '10', '11']);
      expect(traced.map((t) => t.latency_ms)).toEqual([a[0]! / 1000, a[1]! / 1000, b[0]! / 1000, b[1]! / 1000]);
      const spans = await out.query<{ span_id: string; attributes: string }>(
        'SELECT span_id, attributes FROM spans WHERE run_id = $1 ORDER BY span_id',
        [m.runId],
      );
      expect(spans.map((x) => [x.span_id.slice(-2), JSON.parse(String(x.attributes))])).toEqual([
        ['09', { 'http.route': '/' }],
        ['19', { 'http.route': '/' }],
      ]);
    } finally {
      out.close();
    }
  });

  it('a failed segment makes the merged run failed, with its error, and no gates (exit 3)', async () => {
    await segmentStore(join(dir, 'a.duckdb'), 0, 2, [1000]);
    await segmentStore(join(dir, 'b.duckdb'), 1, 2, [2000], { status: 'failed', error: 'the service died' });
    const out = await Store.open(join(dir, 'merged.duckdb'));
    try {
      const m = await mergeSegments([join(dir, 'a.duckdb'), join(dir, 'b.duckdb')], { store: out });
      expect(m).toMatchObject({ status: 'failed', exitCode: 3, gates: [], error: 'segment 1/2 (run seg-1): the service died' });
    } finally {
      out.close();
    }
  });

  it('refuses what is not a bundle, and a missing segment, writing nothing', async () => {
    await segmentStore(join(dir, 'a.duckdb'), 0, 2, [1000]);
    writeFileSync(join(dir, 'junk.duckdb'), 'not a store');
    const out = await Store.open(join(dir, 'merged.duckdb'));
    try {
      await expect(mergeSegments([join(dir, 'a.duckdb'), join(dir, 'junk.duckdb')], { store: out })).rejects.toMatchObject({ exitCode: 2 });
      await expect(mergeSegments([join(dir, 'a.duckdb'), join(dir, 'nowhere')], { store: out })).rejects.toMatchObject({
        code: 'E_FILE_NOT_FOUND',
      });
      await expect(mergeSegments([join(dir, 'a.duckdb')], { store: out })).rejects.toMatchObject({ code: 'E_SEGMENTS_INCOMPLETE' });
      expect(await out.query('SELECT id FROM runs')).toEqual([]);
    } finally {
      out.close();
    }
  });
});
