import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TABLES, type TableName } from '../schema.ts';
import { Store } from '../store.ts';
import { beginRun, finishRun } from './run-record.ts';
import { exportRuns, importRuns } from './transfer.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'headroom-transfer-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Every row of every table for the run, as JSON text: a lossless round trip keeps this identical. */
async function dump(store: Store, id: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of Object.keys(TABLES) as TableName[]) {
    const key = table === 'runs' ? 'id' : 'run_id';
    const cols = Object.keys(TABLES[table].columns)
      .map((c) => `"${c}"`)
      .join(', ');
    const { rows } = await store.userQuery(`SELECT ${cols} FROM ${table} WHERE ${key} = '${id}' ORDER BY ALL`);
    out[table] = JSON.stringify(rows);
  }
  return out;
}

describe('runs export / import', () => {
  it('round-trips every table a run has rows in, histograms included, and import is idempotent', async () => {
    const a = await Store.open(join(dir, 'a.duckdb'));
    await beginRun(a, {
      id: 'r1',
      kind: 'load',
      scenario: 'orders',
      file: '/s.ts',
      startedAt: 1_700_000_000_123,
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
      config: { name: "o'rders" },
    });
    await finishRun(a, 'r1', {
      status: 'completed',
      endedAt: 1_700_000_010_456,
      error: null,
      warnings: ['w'],
      gates: 'passed',
      pinning: [{ role: 'service' }],
    });
    await a.append('phases', [
      {
        run_id: 'r1',
        phase: 'steady',
        ordinal: 1,
        requests: 12345678901,
        p99_ms: 1.25,
        hist: new Uint8Array([1, 2, 3, 255]),
        service_hist: new Uint8Array([9]),
      },
    ]);
    await a.append('series', [{ run_id: 'r1', second: 0, phase: 'steady', requests: 1000, hist: new Uint8Array([4, 5]) }]);
    await a.append('bench_samples', [{ run_id: 'r1', task: 't', repetition: 1, sample_index: 0, ns: 12.5 }]);
    await a.append('spans', [
      { run_id: 'r1', trace_id: 't', span_id: 's', name: 'GET /', attributes: '{"k":1}', start_ms: 1.5, duration_ms: 2.5 },
    ]);
    await beginRun(a, {
      id: 'other',
      kind: 'load',
      scenario: 'x',
      file: '/x.ts',
      startedAt: 1,
      gitSha: null,
      gitDirty: null,
      gitBranch: null,
      version: '0.1.0',
      host: 'h',
      cpuModel: 'c',
      cpuCount: 2,
      nodeVersion: 'v24',
      serviceCpus: null,
      workerCpus: [1],
      config: {},
    });
    const before = await dump(a, 'r1');
    const exported = await exportRuns(a, ['r1'], join(dir, 'base'));
    a.close();
    expect(exported.rows).toEqual({ runs: 1, phases: 1, series: 1, bench_samples: 1, spans: 1 });
    expect(readdirSync(join(dir, 'base')).sort()).toEqual([
      'bench_samples.parquet',
      'phases.parquet',
      'runs.parquet',
      'series.parquet',
      'spans.parquet',
    ]);

    const b = await Store.open(join(dir, 'b.duckdb'));
    expect((await importRuns(b, join(dir, 'base'))).runs).toEqual(['r1']);
    expect(await dump(b, 'r1')).toEqual(before);
    await importRuns(b, join(dir, 'base'));
    expect(await dump(b, 'r1')).toEqual(before);
    expect((await b.query('SELECT id FROM runs')).length).toBe(1); // 'other' was not exported
    await expect(importRuns(b, join(dir, 'nothing'))).rejects.toThrow(/no runs.parquet/);
    b.close();
  });
});
