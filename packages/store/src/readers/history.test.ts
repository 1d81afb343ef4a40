import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../store.ts';
import { beginRun, finishRun, type RunBegin } from '../writers/run-record.ts';
import { readLatestConfig, readMetricHistory, readScenarioHistory } from './history.ts';
import { readPhaseMemory, readPhaseNames } from './memory.ts';

let dir: string;
let store: Store;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'headroom-history-'));
  store = await Store.open(join(dir, 'h.duckdb'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 8, 1);

async function run(id: string, day: number, o: Partial<RunBegin> & { status?: string } = {}): Promise<void> {
  await beginRun(store, {
    id,
    kind: 'load',
    scenario: 'orders',
    file: '/s.ts',
    startedAt: T0 + day * DAY,
    gitSha: `sha${id}`,
    gitDirty: false,
    gitBranch: 'main',
    version: '0.1.0',
    host: 'h',
    cpuModel: 'EPYC',
    cpuCount: 2,
    nodeVersion: 'v24',
    serviceCpus: [0],
    workerCpus: [1],
    config: { name: 'orders', day },
    ...o,
  });
  if (o.status !== 'running') {
    await finishRun(store, id, {
      status: o.status ?? 'completed',
      endedAt: T0 + day * DAY + 60_000,
      error: null,
      warnings: [],
      gates: null,
      pinning: [],
    });
  }
}

describe('scenario history', () => {
  it('keeps completed clean runs oldest first; dirty, failed and running runs are counted and left out unless asked', async () => {
    await run('c', 2);
    await run('a', 0);
    await run('d', 3, { gitDirty: true });
    await run('e', 4, { status: 'failed' });
    await run('f', 5, { status: 'running' });
    await run('x', 1, { scenario: 'other' });
    const h = await readScenarioHistory(store, 'orders');
    expect(h.runs.map((r) => r.id)).toEqual(['a', 'c']);
    expect(h.runs[0]).toMatchObject({
      gitSha: 'shaa',
      gitBranch: 'main',
      gitDirty: false,
      version: '0.1.0',
      status: 'completed',
      time: T0,
    });
    expect(h).toMatchObject({ total: 5, excluded: { dirty: 1, failed: 1, running: 1 } });
    const all = await readScenarioHistory(store, 'orders', { includeDirty: true, includeFailed: true });
    expect(all.runs.map((r) => r.id)).toEqual(['a', 'c', 'd', 'e']);
    expect(await readLatestConfig(store, 'orders')).toEqual({ name: 'orders', day: 5 });
  });

  it("reads a phase's p99 and achieved rate, RSS at the end of a phase and CPU per request; runs without them are skipped with the reason", async () => {
    for (const [i, id] of ['r1', 'r2', 'r3'].entries()) await run(id, i);
    await store.append('phases', [
      { run_id: 'r1', phase: 'warmup', ordinal: 0, warmup: true, p99_ms: 50, achieved_rate: 10 },
      { run_id: 'r1', phase: 'steady', ordinal: 1, warmup: false, p99_ms: 4, achieved_rate: 1000 },
      { run_id: 'r2', phase: 'steady', ordinal: 1, warmup: false, p99_ms: 5, achieved_rate: 990 },
    ]);
    // r1: warm-up seconds (ignored without a phase), then three steady seconds; RSS at the end is the last second's.
    await store.append('series', [
      { run_id: 'r1', second: 0, phase: 'warmup', requests: 10, sut_cpu: 0.9, sut_rss_mb: 60 },
      { run_id: 'r1', second: 1, phase: 'steady', requests: 1000, sut_cpu: 0.2, sut_rss_mb: 80 },
      { run_id: 'r1', second: 2, phase: 'steady', requests: 1000, sut_cpu: 0.3, sut_rss_mb: 82 },
      { run_id: 'r1', second: 3, phase: 'steady', requests: 1000, sut_cpu: 0.1, sut_rss_mb: 81 },
      { run_id: 'r2', second: 1, phase: 'steady', requests: 990 },
    ]);
    const p99 = await readMetricHistory(store, 'orders', { kind: 'p99', phase: 'steady' });
    expect(p99.points.map((p) => [p.id, p.value])).toEqual([
      ['r1', 4],
      ['r2', 5],
    ]);
    expect(p99.skipped).toEqual([{ id: 'r3', reason: 'no phase "steady" measured' }]);
    expect(p99.notes).toEqual(['1 run skipped: no phase "steady" measured']);
    expect((await readMetricHistory(store, 'orders', { kind: 'rate', phase: 'steady' })).points.map((p) => p.value)).toEqual([1000, 990]);
    const rss = await readMetricHistory(store, 'orders', { kind: 'rss' });
    expect(rss.points.map((p) => [p.id, p.value])).toEqual([['r1', 81]]);
    expect(rss.unit).toBe('MB');
    expect((await readMetricHistory(store, 'orders', { kind: 'rss', phase: 'warmup' })).points.map((p) => p.value)).toEqual([60]);
    // The steady phase's middle second: 0.3 CPU seconds over 1000 requests = 300 µs per request (its first and
    // last second straddle the neighbouring phases and are left out; the warm-up is not a measured phase).
    const cpu = await readMetricHistory(store, 'orders', { kind: 'cpu-per-request' });
    expect(cpu.points.map((p) => p.id)).toEqual(['r1']);
    expect(cpu.points[0]?.value).toBeCloseTo(300, 9);
    expect(cpu.skipped.map((s) => s.id)).toEqual(['r2', 'r3']);
  });

  it("reads a bench task's median over its successful repetitions from bench runs only", async () => {
    await run('b1', 0, { kind: 'bench' });
    await run('b2', 1, { kind: 'bench' });
    await run('l1', 2);
    await store.append('bench_reps', [
      { run_id: 'b1', task: 'sort', repetition: 1, median_ns: 100, status: 'ok' },
      { run_id: 'b1', task: 'sort', repetition: 2, median_ns: 300, status: 'ok' },
      { run_id: 'b1', task: 'sort', repetition: 3, median_ns: 200, status: 'ok' },
      { run_id: 'b1', task: 'sort', repetition: 4, status: 'failed' },
      { run_id: 'b2', task: 'sort', repetition: 1, median_ns: 250, status: 'ok' },
    ]);
    const h = await readMetricHistory(store, 'orders', { kind: 'bench', task: 'sort' });
    expect(h.points.map((p) => [p.id, p.value])).toEqual([
      ['b1', 200],
      ['b2', 250],
    ]);
    expect(h.unit).toBe('ns');
  });

  it('says why there are no points before anything was analysed, and reads capacity and headroom from the capacity table', async () => {
    await run('r1', 0);
    await run('r2', 1);
    const none = await readMetricHistory(store, 'orders', { kind: 'headroom' });
    expect(none.points).toEqual([]);
    expect(none.notes[0]).toMatch(/2 runs skipped: no headroom analysed/);
    // Rows as `headroom capacity` writes them: one per analysed phase; re-analysis adds a newer row.
    await store.exec(`INSERT INTO capacity (run_id, phase, computed_at, rate, headroom) VALUES ('r1', 'steps', TIMESTAMP '2026-09-01 10:00:00', 1900, 1.27),
      ('r1', 'steps', TIMESTAMP '2026-09-02 10:00:00', 2000, 1.33), ('r2', 'steps', TIMESTAMP '2026-09-02 11:00:00', 2100, NULL)`);
    const cap = await readMetricHistory(store, 'orders', { kind: 'capacity' });
    expect(cap.points.map((p) => [p.id, p.value])).toEqual([
      ['r1', 2000],
      ['r2', 2100],
    ]);
    const head = await readMetricHistory(store, 'orders', { kind: 'headroom' });
    expect(head.points.map((p) => [p.id, p.value])).toEqual([['r1', 1.33]]);
    expect(head.skipped.map((s) => s.id)).toEqual(['r2']);
  });
});

describe('phase memory', () => {
  it("reads the longest measured phase's RSS and heap per second (a step phase with its steps), or the phase named", async () => {
    await run('m', 0);
    await store.append('phases', [
      { run_id: 'm', phase: 'warmup', parent: 'warmup', ordinal: 0, warmup: true, duration_s: 100 },
      { run_id: 'm', phase: 'steady', parent: 'steady', ordinal: 1, warmup: false, duration_s: 20 },
      { run_id: 'm', phase: 'steps@100', parent: 'steps', ordinal: 2, warmup: false, duration_s: 15 },
      { run_id: 'm', phase: 'steps@200', parent: 'steps', ordinal: 3, warmup: false, duration_s: 15 },
    ]);
    await store.append('series', [
      { run_id: 'm', second: 1, phase: 'steady', sut_rss_mb: 50, sut_heap_mb: 10 },
      { run_id: 'm', second: 21, phase: 'steps@100', sut_rss_mb: 60, sut_heap_mb: 12 },
      { run_id: 'm', second: 22, phase: 'steps@100' },
      { run_id: 'm', second: 40, phase: 'steps@200', sut_rss_mb: 61, sut_heap_mb: 13 },
    ]);
    expect(await readPhaseMemory(store, 'm')).toEqual({
      phase: 'steps',
      durationS: 30,
      samples: [
        { second: 21, rssMb: 60, heapMb: 12 },
        { second: 40, rssMb: 61, heapMb: 13 },
      ],
    });
    expect((await readPhaseMemory(store, 'm', 'steady'))?.samples).toEqual([{ second: 1, rssMb: 50, heapMb: 10 }]);
    expect(await readPhaseMemory(store, 'm', 'nope')).toBeNull();
    expect(await readPhaseNames(store, 'm')).toEqual(['warmup', 'steady', 'steps']);
  });
});
