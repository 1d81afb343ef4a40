import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('../../cli/bin/headroom.js', import.meta.url));
const CPU = availableParallelism() - 1;
const dir = mkdtempSync(join(tmpdir(), 'headroom-bench-orphan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Running or sleeping: not gone, and not a zombie its new parent has yet to reap. */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

async function waitFor(cond: () => boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return cond();
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8'));
    return pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

describe.each(['process', 'thread'] as const)('headroom bench killed -9 (%s isolation)', (isolation) => {
  it('its pinned worker notices within about a second and exits, mid-repetition', async () => {
    const marker = join(dir, `${isolation}.pid`);
    const file = join(dir, `${isolation}.bench.ts`);
    // A repetition of a minute, synchronous: the worker's event loop is held by the measuring loop.
    // The task writes the pid of the process it runs in once it is being measured.
    writeFileSync(
      file,
      `import { writeFileSync } from 'node:fs';
import { defineBench } from '@headroom/core';
let told = false;
export default defineBench({
  name: 'orphan', cpus: [${CPU}], runs: 1, time: '60s', warmup: '0ms', isolation: '${isolation}',
  tasks: {
    spin: () => {
      if (!told) { told = true; writeFileSync(${JSON.stringify(marker)}, String(process.pid)); }
      let x = 0;
      for (let i = 0; i < 10_000; i++) x = (x * 31 + i) | 0;
      return x;
    },
  },
});\n`,
    );
    const cli = spawn(process.execPath, [CLI, 'bench', file, '--db', join(dir, `${isolation}.duckdb`)], { stdio: 'ignore' });
    let worker: number | undefined;
    try {
      expect(await waitFor(() => (worker = readPid(marker)) !== undefined, 20_000)).toBe(true);
      const pid = worker as number;
      await new Promise((r) => setTimeout(r, 200)); // well inside the measuring loop
      expect(running(pid)).toBe(true);
      cli.kill('SIGKILL');
      // Prompt: within about a second of the parent's death (3 s of tolerance for a loaded machine).
      expect(await waitFor(() => !running(pid), 3000)).toBe(true);
    } finally {
      cli.kill('SIGKILL');
      if (worker !== undefined && running(worker)) process.kill(worker, 'SIGKILL');
    }
  }, 30_000);
});
