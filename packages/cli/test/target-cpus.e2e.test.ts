import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { headroom, query, tempDir, writeScenario } from './helpers.ts';

const dir = tempDir();
const db = join(dir, 'h.duckdb');
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** A real HTTP server in its own process under `taskset -c 0`; resolves its pid and port. */
function serverOnCpu0(): Promise<{ pid: number; port: number }> {
  // process.stdout.write, not console.log: with FORCE_COLOR set (CI) console.log colours a number and the port would not parse.
  const code =
    "require('http').createServer((q,r)=>r.end('ok')).listen(0,'127.0.0.1',function(){process.stdout.write(this.address().port+'\\n')})";
  const child = spawn('taskset', ['-c', '0', process.execPath, '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve) =>
    child.stdout!.once('data', (d: Buffer) => resolve({ pid: child.pid!, port: Number(d.toString().trim()) })),
  );
}

describe.runIf(availableParallelism() >= 2)('no service block, target on this host (real CLI)', () => {
  it('finds the target on CPU 0, runs the workers on CPU 1, says so, and stores the target with the pinning', async () => {
    const { pid, port } = await serverOnCpu0();
    const file = writeScenario(
      dir,
      'local-target',
      `{ name: 'local-target', target: 'http://127.0.0.1:${port}', requests: [{ path: '/' }], phases: [{ name: 'steady', duration: '1s', rate: 50 }] }`,
    );
    const r = await headroom(['run', file, '--json', '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      new RegExp(`target: pid ${pid} \\(.*node -e .*\\) on CPU 0; workers on CPU 1 \\(moved off the target by default\\)`),
    );
    expect(r.stderr).not.toMatch(/share CPU/);
    const out = JSON.parse(r.stdout);
    const [run] = await query<{ worker_cpus: string; pinning: string }>(
      db,
      `SELECT worker_cpus, pinning FROM runs WHERE id = '${out.runId}'`,
    );
    expect(JSON.parse(run!.worker_cpus)).toEqual([1]);
    const pins = JSON.parse(run!.pinning) as { role: string; pid: number; allowed: number[] }[];
    expect(pins.find((p) => p.role === 'target')).toMatchObject({ pid, allowed: [0] });
    expect(pins.find((p) => p.role === 'worker-0')).toMatchObject({ allowed: [1] });
    expect(pins.find((p) => p.role === 'orchestrator')).toMatchObject({ allowed: [1] });
  }, 30_000);
});
