import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { parseCpuList, pinned, pinningWarnings, readPinning } from './cpus.ts';

describe('CPU sets', () => {
  it('parses kernel CPU lists', () => {
    expect(parseCpuList('0-2,5')).toEqual([0, 1, 2, 5]);
    expect(parseCpuList('1\n')).toEqual([1]);
  });

  it('reads back the CPUs every thread of a real pinned Node process may use', async () => {
    const argv = pinned([1], [process.execPath, '-e', 'setTimeout(() => {}, 5000)']);
    const child = spawn(argv[0] as string, argv.slice(1), { stdio: 'ignore' });
    try {
      await sleep(400);
      const pin = readPinning('service', child.pid as number, [1]);
      expect(pin?.allowed).toEqual([1]);
      expect(pin?.threads).toBeGreaterThan(1); // Node's own threads (libuv pool, V8 platform) are pinned too
      expect(pin?.verified).toBe(true);
      expect(readPinning('service', child.pid as number, [0])?.verified).toBe(false);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('warns when service and generator share a CPU', () => {
    const w = pinningWarnings([
      { role: 'service', pid: 1, requested: [0], allowed: [0], threads: 7, verified: true },
      { role: 'worker-0', pid: 2, requested: [0, 1], allowed: [0, 1], threads: 7, verified: true },
    ]);
    expect(w.join('\n')).toContain('share CPU 0');
  });
});
