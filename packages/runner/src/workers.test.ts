import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { WorkerPlan } from '@headroom/internal';
import { WorkerPool } from './workers.ts';

const dir = mkdtempSync(join(tmpdir(), 'headroom-workers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('WorkerPool', () => {
  it('a stop sent to a worker that already exited is not an error: the exit is reported as a crash', async () => {
    // A worker that dies at once, before any message: the runner learns of it only from its exit.
    const entry = join(dir, 'dies.mjs');
    writeFileSync(entry, 'process.exit(3);\n');
    const crashes: [number, number | null][] = [];
    const pool = new WorkerPool({
      entry,
      plans: [{ index: 0 } as WorkerPlan],
      cpus: [0],
      onMessage: () => {},
      onCrash: (w, code) => crashes.push([w, code]),
    });
    // Hold the event loop while the worker exits, so the channel still reads connected and the write meets a closed pipe (EPIPE).
    const until = Date.now() + 500;
    while (Date.now() < until);
    pool.stop('test');
    await pool.exited;
    expect(crashes).toEqual([[0, 3]]);
  });

  it('a worker that sends done and exits at once is finished, not crashed', async () => {
    const entry = join(dir, 'done.mjs');
    writeFileSync(
      entry,
      `process.on('message', () => {
  for (let i = 0; i < 50; i++) process.send({ type: 'tick', pad: 'x'.repeat(100_000) });
  process.send({ type: 'done', worker: 0 }, () => process.exit(0));
});\n`,
    );
    const crashes: number[] = [];
    const seen: string[] = [];
    const pool = new WorkerPool({
      entry,
      plans: [{ index: 0 } as WorkerPlan],
      cpus: [0],
      onMessage: (m) => seen.push(m.type),
      onCrash: (w) => crashes.push(w),
    });
    pool.start([{ index: 0 } as WorkerPlan]);
    await pool.exited;
    expect(seen.at(-1)).toBe('done');
    expect(crashes).toEqual([]);
  });
});
