import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort, headroom, ordersService, query, tempDir, writeScenario } from './helpers.ts';

describe('step loads and gates (end to end)', () => {
  it('reports each step as its own sub-phase and gates a single step', async () => {
    const dir = tempDir();
    const db = join(dir, 'h.duckdb');
    const port = await freePort();
    const file = writeScenario(
      dir,
      'steps',
      `{
      name: 'steps',
      ${ordersService(port)},
      target: 'http://127.0.0.1:${port}', requests: [{ path: '/health' }], workers: { cpus: [1] },
      phases: [{ name: 'steps', rate: { from: 100, to: 300, step: 100 }, stepDuration: '1s' }],
      slo: { p99: '1s' }, expectedPeak: 100,
      thresholds: { 'steps@200.rate': '>= 150', headroom: '>= 2' },
    }`,
    );
    const r = await headroom(['run', file, '--json', '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    const names = out.phases.map((p: { phase: string }) => p.phase);
    expect(names).toEqual(expect.arrayContaining(['steps@100', 'steps@200', 'steps@300', 'steps']));
    const step = (n: string) => out.phases.find((p: { phase: string }) => p.phase === n);
    // Each step offers its own rate for 1 s.
    expect(step('steps@100').requests).toBeGreaterThanOrEqual(90);
    expect(step('steps@100').requests).toBeLessThanOrEqual(110);
    expect(step('steps@300').requests).toBeGreaterThanOrEqual(270);
    expect(step('steps@300').requests).toBeLessThanOrEqual(330);
    expect(step('steps').requests).toBe(step('steps@100').requests + step('steps@200').requests + step('steps@300').requests);
    const headroomGate = out.gates.find((g: { key: string }) => g.key === 'headroom');
    // Every step met the SLO: the capacity is at least the last step's achieved rate (~300/s), over expectedPeak 100.
    expect(headroomGate.value).toBeGreaterThan(2.8);
    expect(headroomGate.value).toBeLessThanOrEqual(3.01);
    const rows = await query<{ phase: string; parent: string; offered_rate: number }>(
      db,
      "SELECT phase, parent, offered_rate FROM phases WHERE phase LIKE 'steps@%' ORDER BY offered_rate",
    );
    expect(rows.map((x) => [x.phase, x.parent, x.offered_rate])).toEqual([
      ['steps@100', 'steps', 100],
      ['steps@200', 'steps', 200],
      ['steps@300', 'steps', 300],
    ]);
  });

  it('abortOnFail stops the run early after its delay, stores it as aborted and exits 1', async () => {
    const dir = tempDir();
    const db = join(dir, 'h.duckdb');
    const port = await freePort();
    const file = writeScenario(
      dir,
      'abort',
      `{
      name: 'abort',
      ${ordersService(port)},
      target: 'http://127.0.0.1:${port}', requests: [{ path: '/nope' }], workers: { cpus: [1] },
      phases: [{ name: 'steady', duration: '30s', rate: 100 }],
      thresholds: { 'steady.errorRate': { threshold: '< 1%', abortOnFail: true, delayAbortEval: '2s' } },
    }`,
    );
    const started = Date.now();
    const r = await headroom(['run', file, '--json', '--db', db]);
    expect(r.code).toBe(1);
    expect(Date.now() - started).toBeLessThan(15_000);
    const out = JSON.parse(r.stdout);
    expect(out.status).toBe('aborted');
    expect(out.gates[0]).toMatchObject({ key: 'steady.errorRate', status: 'failed', aborted: true, value: 1 });
    const [run] = await query<{ status: string; gates: string }>(db, 'SELECT status, gates FROM runs');
    expect(run).toEqual({ status: 'aborted', gates: 'failed' });
    const [ph] = await query<{ requests: number; errors_by_kind: string }>(db, 'SELECT requests, errors_by_kind FROM phases');
    expect(ph?.requests).toBeGreaterThan(150);
    expect(JSON.parse(ph?.errors_by_kind ?? '{}').http_4xx).toBe(ph?.requests);
  });
});
