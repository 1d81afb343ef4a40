import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../store.ts';
import { readReportRows } from './report-data.ts';

const T0 = Date.parse('2026-12-01T10:00:00Z');

describe('readReportRows', () => {
  const dir = mkdtempSync(join(tmpdir(), 'headroom-report-rows-'));
  let store: Store;

  beforeAll(async () => {
    store = await Store.open(join(dir, 'db.duckdb'));
    const run = (id: string, at: number) => ({
      id,
      kind: 'load',
      scenario: 'orders',
      status: 'completed',
      started_at: at,
      ended_at: at + 20_000,
      git_sha: `sha-${id}`,
      git_dirty: false,
    });
    await store.upsert('runs', [
      run('r1', T0 - 86_400_000),
      run('r2', T0),
      run('r3', T0 + 86_400_000),
      { ...run('x', T0), scenario: 'other' },
    ]);
    await store.upsert('phases', [
      { run_id: 'r1', phase: 'steady', ordinal: 1, warmup: false, p99_ms: 9, achieved_rate: 100 },
      { run_id: 'r2', phase: 'warmup', ordinal: 0, warmup: true, started_at: T0, ended_at: T0 + 5000, p99_ms: 99 },
      {
        run_id: 'r2',
        phase: 'steady',
        ordinal: 1,
        warmup: false,
        started_at: T0 + 5000,
        ended_at: T0 + 20_000,
        p99_ms: 7,
        achieved_rate: 100,
      },
      { run_id: 'r3', phase: 'steady', ordinal: 1, warmup: false, p99_ms: 8, achieved_rate: 100 },
    ]);
    await store.upsert('series', [
      { run_id: 'r2', second: 1, phase: 'warmup', requests: 10 },
      { run_id: 'r2', second: 0, phase: 'warmup', requests: 5 },
    ]);
    const span = (id: string, at: number, ms: number, kind = 'server', parent: string | null = null) => ({
      run_id: 'r2',
      trace_id: `t-${id.slice(0, 1)}`,
      span_id: id,
      parent_span_id: parent,
      name: 'GET',
      kind,
      service: 'orders',
      start_ms: at,
      duration_ms: ms,
      status_code: 'unset',
      attributes: JSON.stringify({ 'url.path': '/orders', 'http.response.status_code': 200 }),
      source: 'otlp',
    });
    // The slowest span is in warm-up; measured phases come first. `a2` is a child of `a1`.
    await store.append('spans', [
      span('w1', T0 + 1000, 500),
      span('a1', T0 + 6000, 40),
      span('a2', T0 + 6001, 30, 'internal', 'a1'),
      span('b1', T0 + 7000, 60),
    ]);
  });
  afterAll(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the run, its phases in order and its series by second', async () => {
    const rows = (await readReportRows(store, 'r2'))!;
    expect(rows.run.id).toBe('r2');
    expect(rows.phases.map((p) => p.phase)).toEqual(['warmup', 'steady']);
    expect(rows.series.map((s) => s.second)).toEqual([0, 1]);
  });

  it('takes the slowest server spans of measured phases first, with their phase and their traces’ spans', async () => {
    const rows = (await readReportRows(store, 'r2', { slowTraces: 3 }))!;
    expect(rows.slowRequests.map((r) => [r.span_id, r.phase, r.latency_ms, r.request, r.status, r.source])).toEqual([
      ['b1', 'steady', 60, 'GET /orders', 200, 'server'],
      ['a1', 'steady', 40, 'GET /orders', 200, 'server'],
      ['w1', 'warmup', 500, 'GET /orders', 200, 'server'],
    ]);
    expect(rows.spans.map((s) => s.span_id).sort()).toEqual(['a1', 'a2', 'b1', 'w1']);
  });

  it('reads the history of the scenario up to this run, oldest first, with the last measured phase', async () => {
    const rows = (await readReportRows(store, 'r2'))!;
    expect(rows.history.map((h) => [h.id, h.phase, h.p99_ms])).toEqual([
      ['r1', 'steady', 9],
      ['r2', 'steady', 7],
    ]);
  });

  it('returns null for an unknown run', async () => {
    expect(await readReportRows(store, 'nope')).toBeNull();
  });
});
