import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { processTree, readProcTree } from './proc-tree.ts';

describe('readProcTree', () => {
  it('sums a process tree: a shell whose child burns CPU, read as the parent', async () => {
    // sh → node child that burns 0.6 s of CPU (by its own CPU clock, so a busy machine only slows it), says so, then sleeps.
    const script = 'while (process.cpuUsage().user + process.cpuUsage().system < 600000); console.log("spun"); setTimeout(() => {}, 5000)';
    const child = spawn('sh', ['-c', `${process.execPath} -e '${script}' & wait`], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    await new Promise<void>((resolve) =>
      child.stdout.on('data', (d) => {
        out += d;
        if (out.includes('spun')) resolve();
      }),
    );
    const pid = child.pid as number;
    const tree = processTree(pid);
    expect(tree[0]).toBe(pid);
    expect(tree.length).toBeGreaterThanOrEqual(2);
    const r = readProcTree(pid);
    child.kill('SIGKILL');
    for (const p of tree.slice(1)) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    expect(r).not.toBeNull();
    // The child burnt 0.6 CPU-seconds plus its start-up (ticks are 10 ms).
    expect(r!.cpuSeconds).toBeGreaterThanOrEqual(0.59);
    expect(r!.cpuSeconds).toBeLessThan(1.2);
    expect(r!.processes).toBe(tree.length);
    expect(r!.threads).toBeGreaterThanOrEqual(r!.processes + 4); // node runs several threads
    expect(r!.rssMb).toBeGreaterThan(20); // node alone is ~40 MB resident
    expect(r!.voluntarySwitches + r!.involuntarySwitches).toBeGreaterThan(0);
  });

  it('is null for a process that does not exist', () => {
    expect(readProcTree(2 ** 22 + 7)).toBeNull();
  });
});
