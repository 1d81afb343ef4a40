import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { validateScenario, type ScenarioInput } from '@headroom/core';
import { isLocalTarget, placeWorkers, targetPinnings } from './target-placement.ts';

const twoCpus = availableParallelism() >= 2;
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

/** A real HTTP server in its own process, started under `taskset -c <cpus>`; resolves its pid and port. */
function pinnedServer(cpus: string): Promise<{ pid: number; port: number }> {
  // process.stdout.write, not console.log: with FORCE_COLOR set (CI) console.log colours a number and the port would not parse.
  const code =
    "require('http').createServer((q,r)=>r.end('ok')).listen(0,'127.0.0.1',function(){process.stdout.write(this.address().port+'\\n')})";
  const child = spawn('taskset', ['-c', cpus, process.execPath, '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', (d: Buffer) => resolve({ pid: child.pid!, port: Number(d.toString().trim()) }));
    child.once('exit', (c) => reject(new Error(`server exited ${c}`)));
  });
}

const scenario = (target: string, extra: Partial<ScenarioInput> = {}) =>
  validateScenario(
    { name: 'p', target, requests: [{ path: '/' }], phases: [{ name: 's', duration: '1s', rate: 10 }], ...extra },
    { file: 'x.ts', cpuCount: 2 },
  );

describe.runIf(twoCpus)('placeWorkers (a real listening process pinned with taskset)', () => {
  it('finds the process on CPU 0 through /proc and moves default workers to CPU 1, naming pid, command and CPUs', async () => {
    const { pid, port } = await pinnedServer('0');
    const before = scenario(`http://127.0.0.1:${port}`);
    expect(before.workers).toMatchObject({ cpus: [0, 1], count: 2 });
    const { scenario: s, placement } = placeWorkers(before, { cpuCount: 2 });
    expect(s.workers).toMatchObject({ cpus: [1], count: 1 });
    expect(placement).toMatchObject({ status: 'found', cpus: [0], workerCpus: [1], moved: true, warning: null });
    if (placement.status !== 'found') throw new Error('unreachable');
    expect(placement.note).toMatch(
      new RegExp(`^target: pid ${pid} \\(.*node -e .*\\) on CPU 0; workers on CPU 1 \\(moved off the target by default\\)$`),
    );
    expect(targetPinnings(placement)).toEqual([
      { role: 'target', pid, requested: [0], allowed: [0], threads: expect.any(Number), verified: true },
    ]);
    // localhost names the same host.
    expect(placeWorkers(scenario(`http://localhost:${port}`), { cpuCount: 2 }).scenario.workers.cpus).toEqual([1]);
  });

  it('leaves workers.cpus the scenario gave, and warns when they share the target CPU', async () => {
    const { port } = await pinnedServer('0');
    const { scenario: s, placement } = placeWorkers(scenario(`http://127.0.0.1:${port}`, { workers: { cpus: [0] } }), { cpuCount: 2 });
    expect(s.workers.cpus).toEqual([0]);
    expect(placement).toMatchObject({ status: 'found', moved: false });
    expect(placement.status === 'found' && placement.warning).toMatch(/^workers.cpus 0 share CPU 0 with the target \(pid \d+/);
  });

  it('a target that may run on every CPU: workers unchanged, a warning that says to pin it or use a service block', async () => {
    const { pid, port } = await pinnedServer('0,1');
    const { scenario: s, placement } = placeWorkers(scenario(`http://127.0.0.1:${port}`), { cpuCount: 2 });
    expect(s.workers.cpus).toEqual([0, 1]);
    expect(placement.status).toBe('unknown');
    if (placement.status !== 'unknown') throw new Error('unreachable');
    expect(placement.warning).toContain(`pid ${pid}`);
    expect(placement.warning).toContain('may run on every CPU (0,1)');
    expect(placement.warning).toMatch(/taskset .* or start it from a service block/);
  });
});

describe('placeWorkers without a local listener', () => {
  it('skips remote hosts, service blocks and ports nobody listens on', () => {
    expect(isLocalTarget('http://127.0.0.1:1')).toBe(true);
    expect(isLocalTarget('https://[::1]:8443')).toBe(true);
    expect(isLocalTarget('http://localhost')).toBe(true);
    expect(isLocalTarget('http://10.0.0.1:80')).toBe(false);
    expect(placeWorkers(scenario('http://10.0.0.1:80')).placement).toEqual({ status: 'skipped' });
    expect(placeWorkers(scenario('http://127.0.0.1:9')).placement).toEqual({ status: 'skipped' });
    const svc = scenario('http://127.0.0.1:9', { service: { command: ['node', 's.ts'], ready: 'http://127.0.0.1:9/' } });
    expect(placeWorkers(svc).placement).toEqual({ status: 'skipped' });
  });
});
