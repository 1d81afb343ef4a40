import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../store.ts';
import { beginRun, finishRun, setRunPinning, type RunBegin } from '../writers/run-record.ts';
import { listRuns, readBenchAggregates, readMeasuredPhases, readRun, readRunKinds, runsBetween } from './runs.ts';

let dir: string;
let store: Store;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'headroom-readers-'));
  store = await Store.open(join(dir, 'h.duckdb'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const begin = (id: string, at: number, o: Partial<RunBegin> = {}): RunBegin => ({
  id,
  kind: 'load',
  scenario: 'orders',
  file: '/s.ts',
  startedAt: at,
  gitSha: 'abc',
  gitDirty: false,
  gitBranch: 'main',
  version: '0.1.0',
  host: 'h',
  cpuModel: 'EPYC',
  cpuCount: 2,
  nodeVersion: 'v24',
  serviceCpus: [0],
  workerCpus: [1],
  config: { name: 'orders' },
  ...o,
});

describe('run record', () => {
  it('begins as running and finishes with status, error, warnings, gates and pinning', async () => {
    await beginRun(store, begin('r1', 1_000_000));
    expect((await readRun(store, 'r1'))?.status).toBe('running');
    await setRunPinning(store, 'r1', [{ role: 'service', pid: 1 }]);
    expect((await readRun(store, 'r1'))?.pinning).toEqual([{ role: 'service', pid: 1 }]);
    await finishRun(store, 'r1', { status: 'failed', endedAt: 1_005_500, error: 'boom', warnings: ['w1'], gates: 'failed', pinning: [] });
    const r = await readRun(store, 'r1');
    expect(r).toMatchObject({
      gitBranch: 'main',
      status: 'failed',
      error: 'boom',
      warnings: ['w1'],
      gates: 'failed',
      serviceCpus: [0],
      workerCpus: [1],
      config: { name: 'orders' },
    });
    expect((r?.endedAt?.getTime() ?? 0) - (r?.startedAt.getTime() ?? 0)).toBe(5500);
    expect(await readRun(store, 'nope')).toBeNull();
  });
});

describe('readers', () => {
  it('list, kinds, ranges and measured phases, with ids bound as a list (a quote in an id cannot break the query)', async () => {
    await beginRun(store, begin('a', 1000));
    await beginRun(store, begin('b', 2000));
    await beginRun(store, begin('c', 3000, { kind: 'bench', scenario: 'ser' }));
    await beginRun(store, begin("d'x", 4000));
    expect((await listRuns(store, 2)).map((r) => r.id)).toEqual(["d'x", 'c']);
    expect(await runsBetween(store, 'a', "d'x")).toEqual(['a', 'b', "d'x"]);
    expect(await readRunKinds(store, ['a', 'c'])).toEqual([
      { kind: 'bench', scenario: 'ser' },
      { kind: 'load', scenario: 'orders' },
    ]);
    await store.append('phases', [
      { run_id: 'a', phase: 'warm', ordinal: 0, warmup: true, p99_ms: 9 },
      { run_id: 'a', phase: 'steady', ordinal: 1, warmup: false, p99_ms: 3 },
      { run_id: "d'x", phase: 'steady', ordinal: 1, warmup: false, p99_ms: 4 },
    ]);
    expect((await readMeasuredPhases(store, ['a', "d'x"])).map((p) => [p.run_id, p.phase, p.p99_ms])).toEqual([
      ['a', 'steady', 3],
      ["d'x", 'steady', 4],
    ]);
    await store.append('bench_reps', [
      { run_id: 'c', task: 't', repetition: 1, median_ns: 10, status: 'ok' },
      { run_id: 'c', task: 't', repetition: 2, median_ns: 30, status: 'ok' },
      { run_id: 'c', task: 't', repetition: 3, median_ns: 20, status: 'ok' },
      { run_id: 'c', task: 't', repetition: 4, status: 'failed' },
    ]);
    expect(await readBenchAggregates(store, 'c')).toEqual([{ task: 't', repetitions: 3, medianNs: 20, minNs: 10, maxNs: 30 }]);
  });
});
