import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { REPO, alive, freePort, headroom, ordersService, query, runPids, tempDir, writeScenario } from './helpers.ts';

const FIXTURES = join(REPO, 'packages/cli/test/fixtures');

describe('headroom run (end to end, real service, real DuckDB)', () => {
  it('runs the quickstart shape: closed then open phase, JSON result, rows in DuckDB, identity and verified pinning', async () => {
    const dir = tempDir();
    const db = join(dir, 'h.duckdb');
    const port = await freePort();
    const file = writeScenario(
      dir,
      'quick',
      `{
      name: 'quick-e2e',
      ${ordersService(port)},
      target: 'http://127.0.0.1:${port}',
      requests: [
        { name: 'list', path: '/orders?limit=5', weight: 3, headers: { Authorization: 'Bearer s3cret' } },
        { name: 'create', method: 'POST', path: '/orders', json: { sku: 'b2', qty: 1 } },
      ],
      workers: { cpus: [1] },
      phases: [
        { name: 'warmup', duration: '1s', connections: 4 },
        { name: 'steady', duration: '2s', rate: 200 },
      ],
      thresholds: { 'steady.p99': '< 2s', 'errors.rate': '< 1%', 'steady.rate': '>= 150' },
    }`,
    );
    const r = await headroom(['run', file, '--json', '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.runId).toMatch(/^\d{8}-\d{6}-[0-9a-f]{4}$/);
    expect(out.status).toBe('completed');
    const steady = out.phases.find((p: { phase: string }) => p.phase === 'steady');
    const warmup = out.phases.find((p: { phase: string }) => p.phase === 'warmup');
    expect(warmup.requests).toBeGreaterThan(50);
    expect(warmup.offeredRate).toBeNull();
    // Open model: 200 req/s for 2 s, with tolerance for scheduling.
    expect(steady.requests).toBeGreaterThanOrEqual(360);
    expect(steady.requests).toBeLessThanOrEqual(440);
    expect(steady.offeredRate).toBe(200);
    for (const k of ['p50', 'p90', 'p99', 'p999', 'max']) expect(steady.latencyMs[k]).toBeGreaterThan(0);
    expect(steady.latencyMs.p50).toBeLessThanOrEqual(steady.latencyMs.p99);
    expect(out.gates.map((g: { status: string }) => g.status)).toEqual(['passed', 'passed', 'passed']);
    // The hypervisor's steal on each side's CPUs (0 on bare metal), read from /proc/stat per phase.
    for (const side of ['generator', 'service']) {
      expect(steady.hostSteal[side]).toBeGreaterThanOrEqual(0);
      expect(steady.hostSteal[side]).toBeLessThanOrEqual(1);
    }

    const [run] = await query<Record<string, unknown>>(db, `SELECT * FROM runs WHERE id = '${out.runId}'`);
    expect(run?.['status']).toBe('completed');
    expect(run?.['gates']).toBe('passed');
    expect(String(run?.['node_version'])).toMatch(/^v24\./);
    expect(run?.['git_sha']).toMatch(/^[0-9a-f]{40}$/);
    expect(typeof run?.['git_dirty']).toBe('boolean');
    expect(run?.['cpu_model']).toBeTruthy();
    expect(String(run?.['config'])).not.toContain('s3cret');
    expect(String(run?.['config'])).toContain('[redacted]');
    const pins = JSON.parse(String(run?.['pinning'])) as { role: string; allowed: number[]; verified: boolean }[];
    expect(pins.find((p) => p.role === 'service')?.allowed).toEqual([0]);
    expect(pins.find((p) => p.role === 'worker-0')?.allowed).toEqual([1]);
    // headroom itself (receivers, merging, DuckDB) stays off the service's CPU.
    expect(pins.find((p) => p.role === 'orchestrator')?.allowed).toEqual([1]);
    expect(pins.every((p) => p.verified)).toBe(true);
    const phases = await query<{ phase: string; requests: number; hist: Uint8Array; steal_generator: number; steal_service: number }>(
      db,
      `SELECT phase, requests, hist, steal_generator, steal_service FROM phases WHERE run_id = '${out.runId}' ORDER BY ordinal`,
    );
    expect(phases.map((p) => p.phase)).toEqual(['warmup', 'steady']);
    expect([phases[1]?.steal_generator, phases[1]?.steal_service]).toEqual([steady.hostSteal.generator, steady.hostSteal.service]);
    expect(phases[1]?.requests).toBe(steady.requests);
    expect(phases[1]?.hist.length).toBeGreaterThan(10);
    const series = await query<{ second: number; requests: number; steal_generator: number | null }>(
      db,
      `SELECT second, requests, steal_generator FROM series WHERE run_id = '${out.runId}' ORDER BY second`,
    );
    expect(series.length).toBeGreaterThanOrEqual(3);
    expect(series.filter((x) => x.steal_generator !== null).length).toBeGreaterThanOrEqual(2);
    expect(series.reduce((s, x) => s + x.requests, 0)).toBe(warmup.requests + steady.requests);
    const gates = await query(db, `SELECT * FROM gates WHERE run_id = '${out.runId}'`);
    expect(gates).toHaveLength(3);
    for (const pid of await runPids(db, out.runId)) expect(alive(pid)).toBe(false);

    const ls = await headroom(['runs', 'ls', '--db', db]);
    expect(ls.code).toBe(0);
    expect(ls.stdout).toContain(out.runId);
    const show = await headroom(['runs', 'show', 'latest', '--db', db]);
    expect(show.stdout).toContain('steady');
    const sql = await headroom(['runs', 'sql', 'select count(*) as n from phases', '--json', '--db', db]);
    expect(JSON.parse(sql.stdout)).toEqual([{ n: '2' }]);
  });

  it('reports every validation problem at once with its path, exits 2 and starts nothing', async () => {
    const dir = tempDir();
    const db = join(dir, 'h.duckdb');
    const file = writeScenario(
      dir,
      'bad',
      `{
      name: 'bad',
      target: 'http://127.0.0.1:1',
      requests: [{ path: 'no-slash' }],
      phases: [
        { name: 'a', duration: '30 sec', connections: 2 },
        { name: 'b', rate: { from: 100, to: 500, step: 0 }, stepDuration: '1s' },
      ],
      thresholds: { 'nope.p99': '< 5ms' },
    } as any`,
    );
    const r = await headroom(['run', file, '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('requests[0].path');
    expect(r.stderr).toContain('phases[0].duration: "30 sec" is not a duration');
    expect(r.stderr).toMatch(/250ms.*30s.*2m/);
    expect(r.stderr).toContain('phases[1].rate.step: must be > 0');
    expect(r.stderr).toContain('thresholds["nope.p99"]: no phase named "nope"');
    expect(existsSync(db) ? await query(db, 'SELECT * FROM runs') : []).toHaveLength(0);
  });

  it('a service that exits at start: names the command, its exit code and its last output; exit 3; stored as failed', async () => {
    const dir = tempDir();
    const db = join(dir, 'h.duckdb');
    const port = await freePort();
    const file = writeScenario(
      dir,
      'boom',
      `{
      name: 'boom',
      service: { command: ['node', '-e', "console.error('boom: missing DATABASE_URL'); process.exit(4)"], ready: 'http://127.0.0.1:${port}/', cpus: [0] },
      target: 'http://127.0.0.1:${port}', requests: [{ path: '/' }], workers: { cpus: [1] },
      phases: [{ name: 'steady', duration: '1s', rate: 10 }],
    }`,
    );
    const r = await headroom(['run', file, '--db', db]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('exited with code 4');
    expect(r.stderr).toContain('boom: missing DATABASE_URL');
    expect(r.stderr).toContain('-e');
    const runs = await query<{ status: string; error: string }>(db, 'SELECT status, error FROM runs');
    expect(runs).toHaveLength(1);
    expect(runs[0]?.status).toBe('failed');
    expect(runs[0]?.error).toContain('exited with code 4');
  });

  it('a service that never gets ready times out with exit 3 and is stopped', async () => {
    const dir = tempDir();
    const db = join(dir, 'h.duckdb');
    const port = await freePort();
    const file = writeScenario(
      dir,
      'slow',
      `{
      name: 'never-ready',
      service: { command: ['node', ${JSON.stringify(join(FIXTURES, 'never-ready.ts'))}], env: { PORT: '${port}' }, ready: 'http://127.0.0.1:${port}/health', readyTimeout: '1500ms', cpus: [0] },
      target: 'http://127.0.0.1:${port}', requests: [{ path: '/' }], workers: { cpus: [1] },
      phases: [{ name: 'steady', duration: '1s', rate: 10 }],
    }`,
    );
    const r = await headroom(['run', file, '--db', db]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/not ready at http:\/\/127\.0\.0\.1:\d+\/health within 1500ms \(last: HTTP 503\)/);
    expect(r.stderr).toContain('readyTimeout');
    await sleep(200);
    const probe = await fetch(`http://127.0.0.1:${port}/health`).then(
      () => 'up',
      () => 'down',
    );
    expect(probe).toBe('down');
  });

  it('a service that dies mid-run: the run is stored as failed with what was measured, exit 3, no orphans', async () => {
    const dir = tempDir();
    const db = join(dir, 'h.duckdb');
    const port = await freePort();
    const file = writeScenario(
      dir,
      'dies',
      `{
      name: 'dies',
      service: { command: ['node', ${JSON.stringify(join(FIXTURES, 'dies-after.ts'))}], env: { PORT: '${port}', DIE_AFTER_MS: '4500' }, ready: 'http://127.0.0.1:${port}/', cpus: [0] },
      target: 'http://127.0.0.1:${port}', requests: [{ path: '/' }], workers: { cpus: [1] },
      phases: [{ name: 'steady', duration: '10s', rate: 100 }],
    }`,
    );
    const started = Date.now();
    const r = await headroom(['run', file, '--json', '--db', db]);
    expect(r.code).toBe(3);
    // It dies ~2 s into a 10 s phase: the run must stop then, not run out the phase.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(r.stderr).toContain('the service died during the run');
    expect(r.stderr).toContain('fatal: out of widgets');
    const out = JSON.parse(r.stdout);
    expect(out.status).toBe('failed');
    const [run] = await query<{ status: string }>(db, `SELECT status FROM runs WHERE id = '${out.runId}'`);
    expect(run?.status).toBe('failed');
    const [ph] = await query<{ requests: number; ok: number }>(db, `SELECT requests, ok FROM phases WHERE run_id = '${out.runId}'`);
    expect(ph?.ok).toBeGreaterThan(100);
    const series = await query(db, `SELECT * FROM series WHERE run_id = '${out.runId}'`);
    expect(series.length).toBeGreaterThan(0);
    for (const pid of await runPids(db, out.runId)) expect(alive(pid)).toBe(false);
  });

  it('a target that refuses connections: errors counted by kind, run stored, exit 3', async () => {
    const dir = tempDir();
    const db = join(dir, 'h.duckdb');
    const port = await freePort();
    const file = writeScenario(
      dir,
      'refused',
      `{
      name: 'refused', target: 'http://127.0.0.1:${port}', requests: [{ path: '/' }], workers: { cpus: [1] },
      phases: [{ name: 'steady', duration: '2s', rate: 50 }],
    }`,
    );
    const r = await headroom(['run', file, '--json', '--db', db]);
    expect(r.code, r.stderr).toBe(3);
    const out = JSON.parse(r.stdout);
    const steady = out.phases.find((p: { phase: string }) => p.phase === 'steady');
    expect(steady.errorsByKind.refused).toBeGreaterThan(0);
    expect(steady.errors).toBe(steady.requests);
    expect(out.error).toContain('failed to connect');
    const [ph] = await query<{ errors_by_kind: string }>(db, `SELECT errors_by_kind FROM phases WHERE run_id = '${out.runId}'`);
    expect(JSON.parse(ph?.errors_by_kind ?? '{}').refused).toBeGreaterThan(0);
  });

  it('Ctrl-C stops the load, stores the partial run as interrupted, stops the service, exits 130', async () => {
    const dir = tempDir();
    const db = join(dir, 'h.duckdb');
    const port = await freePort();
    const file = writeScenario(
      dir,
      'long',
      `{
      name: 'long', ${ordersService(port)}, target: 'http://127.0.0.1:${port}', requests: [{ path: '/health' }], workers: { cpus: [1] },
      phases: [{ name: 'steady', duration: '60s', rate: 100 }],
    }`,
    );
    const r = await headroom(['run', file, '--json', '--db', db], {
      // Interrupt 2.5 s into the load, as a user pressing Ctrl-C would.
      onSpawn: (child) => {
        child.stderr?.on('data', (d: Buffer) => {
          if (String(d).includes('service ready')) setTimeout(() => child.kill('SIGINT'), 3500);
        });
      },
    });
    expect(r.code).toBe(130);
    const out = JSON.parse(r.stdout);
    expect(out.status).toBe('interrupted');
    const [run] = await query<{ status: string }>(db, `SELECT status FROM runs WHERE id = '${out.runId}'`);
    expect(run?.status).toBe('interrupted');
    const [ph] = await query<{ requests: number }>(db, `SELECT requests FROM phases WHERE run_id = '${out.runId}'`);
    expect(ph?.requests).toBeGreaterThan(100);
    expect(ph?.requests).toBeLessThan(1500);
    await sleep(300);
    for (const pid of await runPids(db, out.runId)) expect(alive(pid)).toBe(false);
    expect(
      await fetch(`http://127.0.0.1:${port}/health`).then(
        () => 'up',
        () => 'down',
      ),
    ).toBe('down');
  });

  it('a failing threshold exits 1 and is stored with its measured value', async () => {
    const dir = tempDir();
    const db = join(dir, 'h.duckdb');
    const port = await freePort();
    const file = writeScenario(
      dir,
      'gate',
      `{
      name: 'gate', ${ordersService(port)}, target: 'http://127.0.0.1:${port}', requests: [{ path: '/health' }], workers: { cpus: [1] },
      phases: [{ name: 'steady', duration: '2s', rate: 100 }],
      thresholds: { 'steady.rate': '>= 100k', 'steady.p99': '< 10s' },
    }`,
    );
    const r = await headroom(['run', file, '--db', db]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ steady\.rate >= 100k/);
    expect(r.stdout).toMatch(/✓ steady\.p99 < 10s/);
    const gates = await query<{ key: string; passed: boolean; value: number }>(db, 'SELECT key, passed, value FROM gates ORDER BY key');
    expect(gates.map((g) => [g.key, g.passed])).toEqual([
      ['steady.p99', true],
      ['steady.rate', false],
    ]);
    expect(gates[1]?.value).toBeGreaterThan(50);
  });
});
