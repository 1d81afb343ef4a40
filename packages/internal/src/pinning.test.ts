import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { parseCpuList, pinned, pinnedTo, pinningWarnings, readPinning, readThreadAffinity } from './pinning.ts';

const twoCpus = availableParallelism() >= 2;

describe('CPU lists', () => {
  it('parses kernel CPU lists and refuses anything else', () => {
    expect(parseCpuList('0-2,5,7-8\n')).toEqual([0, 1, 2, 5, 7, 8]);
    expect(parseCpuList('3')).toEqual([3]);
    expect(parseCpuList('1,1,0')).toEqual([0, 1]);
    expect(() => parseCpuList('a-b')).toThrow(/not a CPU list/);
    expect(() => parseCpuList('3-1')).toThrow(/not a CPU list/);
  });
});

describe('read-back from /proc', () => {
  it('reads every thread of this process', () => {
    const threads = readThreadAffinity(process.pid);
    expect(threads.length).toBeGreaterThan(1);
    expect(threads.some((t) => t.tid === process.pid)).toBe(true);
    expect(readThreadAffinity(2 ** 22 + 12345)).toEqual([]);
    expect(readPinning('gone', 2 ** 22 + 12345, [0])).toBeNull();
  });

  it('pinnedTo requires every thread to have exactly the set', () => {
    expect(
      pinnedTo(
        [
          { tid: 1, name: 'a', cpus: [1] },
          { tid: 2, name: 'b', cpus: [1] },
        ],
        [1],
      ),
    ).toBe(true);
    expect(
      pinnedTo(
        [
          { tid: 1, name: 'a', cpus: [1] },
          { tid: 2, name: 'b', cpus: [0, 1] },
        ],
        [1],
      ),
    ).toBe(false);
    expect(pinnedTo([], [1])).toBe(false);
  });

  it.runIf(twoCpus)('reads back the CPUs every thread of a real pinned Node process may use (needs 2 CPUs)', async () => {
    // The child says "ready" once its event loop runs, so its libuv and V8 threads exist: no fixed sleep.
    const argv = pinned([1], [process.execPath, '-e', 'process.stdout.write("ready\\n"); setTimeout(() => {}, 10000)']);
    const child = spawn(argv[0] as string, argv.slice(1), { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      await once(child.stdout, 'data');
      const pin = readPinning('service', child.pid as number, [1]);
      expect(pin?.allowed).toEqual([1]);
      expect(pin?.threads).toBeGreaterThan(1); // Node's own threads (libuv pool, V8 platform) are pinned too
      expect(pin?.verified).toBe(true);
      expect(readPinning('service', child.pid as number, [0])?.verified).toBe(false);
    } finally {
      child.kill('SIGKILL');
    }
  });
});

describe('pinning warnings', () => {
  it('warns when service and generator share a CPU, and when a mask is not the requested one', () => {
    const w = pinningWarnings([
      { role: 'service', pid: 1, requested: [0], allowed: [0], threads: 7, verified: true },
      { role: 'worker-0', pid: 2, requested: [1], allowed: [0, 1], threads: 7, verified: false },
    ]);
    expect(w).toHaveLength(2);
    expect(w.join('\n')).toContain('share CPU 0');
    expect(w.join('\n')).toContain('worker-0 (pid 2) threads may run on CPUs 0,1');
    expect(pinningWarnings([{ role: 'service', pid: 1, requested: [0], allowed: [0], threads: 7, verified: true }])).toEqual([]);
  });

  it('a target found on this host counts as the measured side, not as a generator', () => {
    const target = { role: 'target', pid: 1, requested: [0], allowed: [0], threads: 1, verified: true };
    const nginxWorker = { role: 'target-2', pid: 3, requested: [0], allowed: [0], threads: 1, verified: true };
    const worker = (cpus: number[]) => ({ role: 'worker-0', pid: 2, requested: cpus, allowed: cpus, threads: 7, verified: true });
    expect(pinningWarnings([target, nginxWorker, worker([1])])).toEqual([]);
    expect(pinningWarnings([target, nginxWorker, worker([0, 1])])).toEqual([
      'target and load generator share CPU 0: latency and throughput include contention between them',
    ]);
  });
});
