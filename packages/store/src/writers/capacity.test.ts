import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readCapacity, readCapacityHistory } from '../readers/capacity.ts';
import { Store } from '../store.ts';
import { writeCapacity } from './capacity.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'headroom-store-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('capacity rows', () => {
  it('moves a schema-1 file forward: the capacity table and the new phase and series columns appear', async () => {
    const file = join(dir, 'h.duckdb');
    const s = await Store.open(file);
    // Make it look like a file written before schema 5 (capacity).
    await s.exec('DROP TABLE capacity');
    await s.exec('ALTER TABLE phases DROP COLUMN concurrency');
    await s.exec('ALTER TABLE series DROP COLUMN proc_cpu');
    await s.exec('DROP TABLE phase_requests'); // schema 6 came later still
    await s.exec('DELETE FROM headroom_schema WHERE version >= 5');
    s.close();
    const again = await Store.open(file);
    const cols = await again.query<{ table_name: string; column_name: string }>(
      "SELECT table_name, column_name FROM information_schema.columns WHERE column_name IN ('concurrency', 'proc_cpu', 'headroom')",
    );
    expect(cols.map((c) => `${c.table_name}.${c.column_name}`).sort()).toEqual([
      'capacity.headroom',
      'phases.concurrency',
      'series.concurrency',
      'series.proc_cpu',
    ]);
    expect(await again.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'phase_requests'")).toHaveLength(1);
    again.close();
  });

  it('keeps one row per run phase, replacing it when analysed again, and reads it back with its run', async () => {
    const s = await Store.open(join(dir, 'h.duckdb'));
    await s.upsert('runs', [{ id: 'r1', kind: 'load', scenario: 'orders', status: 'completed', started_at: Date.now() }]);
    const base = {
      run_id: 'r1',
      phase: 'capacity',
      source: null,
      method: 'breakpoint',
      steps: 6,
      rate: 1234.5,
      bracket_lo: 1200,
      bracket_hi: 1400,
      limited_by: 'cpu',
      failing_metric: 'latency-slo',
      fraction: 0.17,
      cpu_budget: 0.6,
      cpu_budget_rate: 800,
      cpu_budget_method: 'linear-fit',
      usl_status: 'fitted',
      usl_sigma: 0.02,
      usl_kappa: 0.0001,
      usl_lambda: 900,
      usl_sigma_se: 0.001,
      usl_kappa_se: null,
      usl_lambda_se: 3,
      usl_r2: 0.99,
      usl_rse: 10,
      usl_peak_concurrency: 99,
      usl_peak_throughput: 20000,
      usl_ceiling: 45000,
      expected_peak: 500,
      headroom: 1.6,
      headroom_lo: 1.6,
      headroom_hi: 1.6,
      headroom_limited_by: 'cpu-budget',
      warnings: JSON.stringify(['w1']),
      result: JSON.stringify({ ok: true }),
    } as const;
    await writeCapacity(s, base, 1000);
    await writeCapacity(s, { ...base, rate: 1300 }, 2000);
    await writeCapacity(s, { ...base, run_id: null, phase: null, source: '/tmp/p.csv', method: 'points' }, 3000);
    const rows = await readCapacity(s, 'r1');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ rate: 1300, limited_by: 'cpu', usl_kappa_se: null, warnings: ['w1'], result: { ok: true } });
    const history = await readCapacityHistory(s, 'orders');
    expect(history.map((h) => h.rate)).toEqual([1300]);
    expect((await s.query('SELECT * FROM capacity WHERE run_id IS NULL')).length).toBe(1);
    s.close();
  });
});
