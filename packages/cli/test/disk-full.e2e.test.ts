import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, headroom, ordersService, query, tempDir, writeScenario } from './helpers.ts';
import { running } from './processes.ts';

const dir = tempDir();
const mnt = join(dir, 'small-disk');
afterAll(() => {
  try {
    execFileSync('umount', [mnt]);
  } catch {
    /* not mounted */
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('disk full (end to end, a 16 MB tmpfs)', () => {
  it.runIf(process.getuid?.() === 0)(
    'the run still ends: summary and --json, failed with E_DISK_FULL, nothing hangs, what fitted is stored once space is back',
    async () => {
      mkdirSync(mnt, { recursive: true });
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', mnt]);
      const db = join(mnt, 'h.duckdb');
      await query(db, 'SELECT 1'); // the store exists before the disk fills
      // Leave ~200 KB: the run's reserve (64 KB) and a couple of seconds of trace samples.
      const fs = statfsSync(mnt);
      const filler = join(mnt, 'filler');
      writeFileSync(filler, Buffer.alloc(Math.max(0, fs.bavail * fs.bsize - 200 * 1024)));
      const port = await freePort();
      const file = writeScenario(
        dir,
        'full',
        `{
      name: 'full', ${ordersService(port, ', capture: { cpu: true }')},
      target: 'http://127.0.0.1:${port}', requests: [{ path: '/orders?limit=5' }], workers: { cpus: [1] }, trace: { sample: 1 },
      phases: [{ name: 'steady', duration: '5s', rate: 400 }],
    }`,
      );
      const t0 = Date.now();
      const r = await headroom(['run', file, '--json', '--db', db]);
      expect(Date.now() - t0).toBeLessThan(45_000);
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).not.toMatch(/unexpected error/);
      const out = JSON.parse(r.stdout);
      expect(out.status).toBe('failed');
      expect(out.error).toMatch(/no space left on the disk holding .*\.jsonl/);
      expect(out.phases.find((p: { phase: string }) => p.phase === 'steady').requests).toBeGreaterThan(1500);
      const pids = (out.pinning as { pid: number }[]).map((p) => p.pid);
      expect(pids.length).toBeGreaterThanOrEqual(3);
      expect(pids.filter(running)).toEqual([]);

      // Space is back: the next open folds in what the run had written, with its final status.
      rmSync(filler);
      const [run] = await query<{ status: string; error: string }>(db, `SELECT status, error FROM runs WHERE id = '${out.runId}'`);
      expect(run?.status).toBe('failed');
      expect(run?.error).toMatch(/no space left/);
      const [n] = await query<{ series: number; samples: number }>(
        db,
        `SELECT (SELECT count(*) FROM series WHERE run_id = '${out.runId}') AS series, (SELECT count(*) FROM trace_samples WHERE run_id = '${out.runId}') AS samples`,
      );
      expect(n?.samples).toBeGreaterThan(100);
      console.log(`disk full: ${n?.series} seconds and ${n?.samples} trace samples kept`);
    },
    60_000,
  );
});
