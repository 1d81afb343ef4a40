/**
 * headroom inside a cpuset that does not start at CPU 0, as in a Kubernetes pod under the static
 * CPU manager or `docker run --cpuset-cpus`: a real cgroup v1 cpuset holding only the machine's
 * last CPU. Before, the default CPU sets were counted from CPU 0, and taskset refused to pin a
 * worker there (EINVAL): the run failed. Needs root and a writable cpuset hierarchy; skipped,
 * saying so, where there is none.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, query, tempDir, writeScenario } from './helpers.ts';

const ROOT = '/sys/fs/cgroup/cpuset';
const usable = (() => {
  try {
    accessSync(ROOT, constants.W_OK);
    return availableParallelism() >= 2 && readFileSync(join(ROOT, 'cpuset.cpus'), 'utf8').trim() !== '';
  } catch {
    return false;
  }
})();
const group = join(ROOT, `headroom-e2e-${process.pid}`);
const cpu = availableParallelism() - 1;
let server: Server;
let port = 0;

beforeAll(async () => {
  if (!usable) return;
  mkdirSync(group);
  writeFileSync(join(group, 'cpuset.cpus'), String(cpu));
  writeFileSync(join(group, 'cpuset.mems'), readFileSync(join(ROOT, 'cpuset.mems'), 'utf8').trim());
  server = createServer((_q, s) => s.end('ok'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as { port: number }).port;
});
afterAll(async () => {
  if (!usable) return;
  await new Promise<void>((r) => server.close(() => r()));
  rmdirSync(group);
});

/** `headroom <args>` started inside the cpuset (the shell joins it, then execs Node). */
function inCpuset(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((res) => {
    const child = spawn('sh', ['-c', `echo $$ > ${group}/tasks && exec "$0" "$@"`, process.execPath, BIN, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => res({ code, stdout, stderr }));
  });
}

describe.skipIf(!usable)(`headroom in a cpuset of CPU ${cpu} only (cgroup v1, as a pod's)`, () => {
  it('defaults the workers to the CPU it may use, and the run completes', async () => {
    const dir = tempDir();
    const db = join(dir, 'h.duckdb');
    writeScenario(
      dir,
      'pod',
      `{ name: 'pod', target: 'http://127.0.0.1:${port}', requests: [{ method: 'GET', path: '/' }], phases: [{ name: 'steady', duration: '1s', rate: 50 }] }`,
    );
    const r = await inCpuset(['run', 'pod.ts', '--json', '--db', db], dir);
    expect(r.code, r.stderr).toBe(0);
    const [run] = await query<{ worker_cpus: string; status: string }>(db, 'SELECT worker_cpus, status FROM runs');
    expect(run!.status).toBe('completed');
    expect(JSON.parse(run!.worker_cpus)).toEqual([cpu]);
    expect(JSON.parse(r.stdout).pinning.filter((p: { role: string }) => p.role.startsWith('worker'))).toEqual([
      expect.objectContaining({ allowed: [cpu] }),
    ]);
  }, 30_000);

  it('refuses a CPU set outside it before anything starts, naming the CPUs it may use', async () => {
    const dir = tempDir();
    writeScenario(
      dir,
      'pod0',
      `{ name: 'pod0', target: 'http://127.0.0.1:${port}', requests: [{ method: 'GET', path: '/' }], workers: { cpus: [0] },
         phases: [{ name: 'steady', duration: '1s', rate: 50 }] }`,
    );
    const r = await inCpuset(['run', 'pod0.ts', '--db', join(dir, 'h.duckdb')], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`workers.cpus[0]: CPU 0 is not one headroom may use here: it may run on CPUs ${cpu}`);
  }, 30_000);
});
