import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, freePort, headroom, tempDir } from './helpers.ts';

/** The bundled orders service on CPU 0, with `extraUs` of CPU work per request (0: the release as it was). */
function scenario(dir: string, file: string, port: number, extraUs: number, extra = '', more = ''): string {
  const path = join(dir, file);
  const orders = join(REPO, 'examples/orders/server.ts');
  writeFileSync(
    path,
    `import { defineScenario } from '@headroom/core';
export default defineScenario({
  name: 'release', target: 'http://127.0.0.1:${port}',
  service: { command: ['node', ${JSON.stringify(orders)}], env: { PORT: '${port}', ORDERS_EXTRA_CPU_US: '${extraUs}' }, ready: 'http://127.0.0.1:${port}/health', cpus: [0] },
  workers: { cpus: [1] },
  requests: [{ method: 'GET', path: '/orders?limit=5' }],
  phases: [{ name: 'warmup', duration: '2s', rate: 300, warmup: true }, { name: 'steady', duration: '3s', rate: 300 }],
  slo: { p99: '250ms', errorRate: '1%' }, expectedPeak: 300,${more}
  thresholds: { 'steady.p99': ${extra || "'< 250ms'"} },
});\n`,
  );
  return path;
}

interface CheckJson {
  status: string;
  candidateRuns: string[];
  checks: { name: string; group: string; verdict: string; value: number | null; detail: string }[];
}

describe('headroom check (end to end, real runs of the bundled service)', () => {
  it('passes a clean release, passes an A/A, catches an injected slowdown with repeated runs, and writes JUnit', async () => {
    const dir = tempDir();
    const db = join(dir, 'h.duckdb');
    const port = await freePort();
    const same = scenario(dir, 'same.ts', port, 0);
    const base = await headroom(['check', same, '--repeat', '4', '--json', '--db', db]);
    expect(base.code, base.stderr).toBe(0);
    const b = JSON.parse(base.stdout) as CheckJson;
    expect(b.candidateRuns).toHaveLength(4);
    expect(b.checks.find((c) => c.name === 'slo p99 at peak')).toMatchObject({ verdict: 'passed' });
    expect(b.checks.find((c) => c.name === 'baseline')).toMatchObject({ verdict: 'note' });
    const baseline = b.candidateRuns.join(',');

    // A/A: the same code again, 4 runs a side; a 10% noise floor keeps run-to-run jitter of a 2-s phase from counting.
    const aa = await headroom(['check', same, '--repeat', '4', '--baseline', baseline, '--noise-floor', '10%', '--json', '--db', db]);
    expect(aa.code, aa.stdout).toBe(0);
    const a = JSON.parse(aa.stdout) as CheckJson;
    expect(a.checks.filter((c) => c.group === 'regression').length).toBeGreaterThanOrEqual(3);

    // The release under test spends 400 µs more CPU on every request.
    const slow = scenario(dir, 'slow.ts', port, 400);
    const junit = join(dir, 'check.xml');
    const r = await headroom([
      'check',
      slow,
      '--repeat',
      '4',
      '--baseline',
      baseline,
      '--noise-floor',
      '10%',
      '--junit',
      junit,
      '--json',
      '--db',
      db,
    ]);
    expect(r.code, r.stdout).toBe(1);
    const s = JSON.parse(r.stdout) as CheckJson;
    const p50 = s.checks.find((c) => c.name === 'regression steady p50');
    expect(p50?.verdict).toBe('failed');
    // 4 vs 4 runs fully separated: exact two-sided Mann-Whitney p = 2 / C(8,4) = 0.029
    expect(p50?.detail).toMatch(/n=4\+4, p=0\.029/);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(/<testsuite name="headroom check release" tests="\d+" failures="[1-9]\d*" errors="0"/);
    expect(xml).toMatch(/<failure message="regression steady p50: \+\d+\.\d%, limit not significantly worse/);
  }, 240_000);

  it('a failing threshold is exit 1 with the numbers in JUnit; a missing baseline is a note, or a failure with --require-baseline', async () => {
    const dir = tempDir();
    const db = join(dir, 'h.duckdb');
    const port = await freePort();
    const tight = scenario(dir, 'tight.ts', port, 0, "'< 1us'");
    const junit = join(dir, 'check.xml');
    const r = await headroom(['check', tight, '--junit', junit, '--db', db]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/✗ steady\.p99 < 1us/);
    expect(r.stdout).toMatch(/Release candidate .*1 of \d+ checks failed \(steady\.p99 < 1us\)/);
    expect(readFileSync(junit, 'utf8')).toMatch(/<failure message="steady\.p99 &lt; 1us: [\d.]+(µs|ms), limit &lt; 1us" type="failed">/);
    const missing = await headroom(['check', tight, '--runs', 'latest', '--baseline', 'main', '--require-baseline', '--json', '--db', db]);
    expect(missing.code).toBe(1);
    const m = JSON.parse(missing.stdout) as CheckJson;
    expect(m.checks.find((c) => c.name === 'baseline')).toMatchObject({ verdict: 'failed' });
    // Budgets: the service's RSS and CPU per request, from /proc, against limits it cannot meet.
    const budget = scenario(dir, 'budget.ts', port, 0, '', "\n  budgets: { rss: '< 1MB', cpuPerRequest: '< 1us' },");
    const b = await headroom(['check', budget, '--junit', junit, '--json', '--db', db]);
    expect(b.code, b.stderr).toBe(1);
    const bj = JSON.parse(b.stdout) as CheckJson;
    const rss = bj.checks.find((c) => c.name === 'rss');
    expect(rss?.verdict).toBe('failed');
    expect(rss?.value).toBeGreaterThan(10); // a Node service's RSS, MB
    expect(bj.checks.find((c) => c.name === 'cpu per request at peak')?.verdict).toBe('failed');
    expect(readFileSync(junit, 'utf8')).toMatch(/<failure message="rss: [\d.]+MB, limit &lt; 1MB" type="failed">/);
    const bad = await headroom(['check', tight, '--repeat', 'x', '--db', db]);
    expect(bad.code).toBe(2);
  }, 120_000);
});
