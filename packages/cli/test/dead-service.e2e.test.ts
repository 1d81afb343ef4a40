import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { faultServer, type Fault } from './fault-servers.ts';
import { alive, freePort, headroom, query, runPids, tempDir, writeScenario } from './helpers.ts';

const dir = tempDir();
const db = join(dir, 'h.duckdb');
const servers: { close(): void }[] = [];
afterAll(() => {
  for (const s of servers) s.close();
  rmSync(dir, { recursive: true, force: true });
});

/** One 1-second open phase with a p99 gate against `target`. */
function scenario(name: string, target: string): string {
  return writeScenario(
    dir,
    name,
    `{
    name: '${name}', target: '${target}', requests: [{ path: '/' }], workers: { cpus: [1] }, timeout: '300ms',
    phases: [{ name: 'warmup', duration: '1s', rate: 20 }, { name: 'steady', duration: '1s', rate: 50 }],
    thresholds: { 'steady.p99': '< 50ms', 'steady.rate': '>= 45' },
  }`,
  );
}

describe('a dead service never passes a gate (end to end, raw-socket servers)', () => {
  const cases: [Fault | 'refused', string][] = [
    ['refused', 'refused'],
    ['reset', 'reset|closed'],
    ['garbage', 'other|closed'],
    ['silent', 'timeout'],
    ['http500', 'http_5xx'],
  ];
  for (const [fault, kinds] of cases) {
    it(`every request ${fault}: status failed, exit 3, the p99 gate is no-data, rows in DuckDB, no worker left`, async () => {
      let port: number;
      if (fault === 'refused') port = await freePort();
      else {
        const f = await faultServer(fault);
        servers.push(f.server);
        port = f.port;
      }
      const r = await headroom(['run', scenario(`dead-${fault}`, `http://127.0.0.1:${port}`), '--json', '--db', db]);
      expect(r.code, r.stderr).toBe(3);
      const out = JSON.parse(r.stdout);
      expect(out.status).toBe('failed');
      expect(out.error).toMatch(fault === 'refused' ? /failed to connect/ : /every request of phase steady failed/);
      const steady = out.phases.find((p: { phase: string }) => p.phase === 'steady');
      expect(steady.requests).toBeGreaterThan(20);
      // Achieved counts answers (any status), as wrk does: requests that got none are errors, not throughput.
      if (fault === 'http500') expect(steady.achievedRate).toBeGreaterThan(20);
      else expect(steady.achievedRate).toBe(0);
      expect(
        Object.keys(steady.errorsByKind).every((k) => new RegExp(`^(${kinds})$`).test(k)),
        JSON.stringify(steady.errorsByKind),
      ).toBe(true);
      // The gate is not a pass at 0 µs: no successful requests means no data.
      // Nor does the throughput gate pass on the load offered: rate counts successful responses.
      expect(out.gates).toEqual([
        expect.objectContaining({ key: 'steady.p99', status: 'no-data', value: null }),
        expect.objectContaining({ key: 'steady.rate', status: 'failed', value: 0 }),
      ]);
      if (fault !== 'http500') {
        // Failed requests keep their time to failure apart from latency.
        expect(steady.failedMs.max).toBeGreaterThan(0);
        if (fault === 'silent') expect(steady.failedMs.p50).toBeGreaterThanOrEqual(250);
      }
      const [run] = await query<{ status: string; error: string; gates: string }>(
        db,
        `SELECT status, error, gates FROM runs WHERE id = '${out.runId}'`,
      );
      expect(run).toMatchObject({ status: 'failed', gates: 'failed' });
      const [ph] = await query<{ ok: number; requests: number; failed_p99_ms: number | null; p99_ms: number | null }>(
        db,
        `SELECT ok, requests, failed_p99_ms, p99_ms FROM phases WHERE run_id = '${out.runId}' AND phase = 'steady'`,
      );
      expect(ph?.ok).toBe(0);
      if (fault !== 'http500') {
        // No response, no latency: null in the JSON and the store, never a 0 ms that reads as fast.
        expect(steady.latencyMs).toBeNull();
        expect(ph?.p99_ms).toBeNull();
      }
      expect(ph?.requests).toBe(steady.requests);
      if (fault !== 'http500') expect(ph?.failed_p99_ms).toBeGreaterThan(0);
      const [g] = await query<{ passed: boolean; reason: string }>(
        db,
        `SELECT passed, reason FROM gates WHERE run_id = '${out.runId}' AND key = 'steady.p99'`,
      );
      expect(g).toEqual({ passed: false, reason: expect.stringMatching(/no successful requests in steady/) });
      for (const pid of await runPids(db, out.runId)) expect(alive(pid)).toBe(false);
    }, 30_000);
  }

  it('an unresolvable host is found before any load starts: exit 3 naming the host, stored as failed', async () => {
    const t0 = Date.now();
    const r = await headroom(['run', scenario('dead-dns', 'http://no-such-host.invalid:8080'), '--json', '--db', db]);
    expect(r.code, r.stderr).toBe(3);
    const out = JSON.parse(r.stdout);
    expect(out.error).toMatch(/target host "no-such-host.invalid".*does not resolve/);
    expect(out.phases).toEqual([]);
    expect(Date.now() - t0).toBeLessThan(15_000);
    const [run] = await query<{ status: string; pinning: string | null }>(db, `SELECT status, pinning FROM runs WHERE id = '${out.runId}'`);
    expect(run?.status).toBe('failed');
  });
});
