import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Store } from '@headroom/store';
import { freePort, headroom, ordersService, query, tempDir, writeScenario } from './helpers.ts';

const dir = tempDir();
const mnt = join(dir, 'ro');
afterAll(() => {
  try {
    execFileSync('umount', [mnt]);
  } catch {
    /* not mounted */
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('readers never wait, and a read-only store is readable (end to end)', () => {
  it('a store that does not exist: every command that reads runs says E_NO_STORE and creates nothing', async () => {
    const missing = join(dir, 'none', 'h.duckdb');
    mkdirSync(join(dir, 'none'));
    for (const args of [
      ['runs', 'ls'],
      ['capacity', 'latest'],
      ['report', 'latest', '-o', join(dir, 'none', 'r.html')],
      ['forecast', 'x'],
    ]) {
      const r = await headroom([...args, '--json', '--db', missing]);
      expect([args.join(' '), r.code]).toEqual([args.join(' '), 2]);
      expect(JSON.parse(r.stdout).error.code).toBe('E_NO_STORE');
      expect(existsSync(missing), args.join(' ')).toBe(false);
    }
  });

  it('a long runs sql does not block a new run: both finish, the run is stored', async () => {
    const db = join(dir, 'h.duckdb');
    await query(db, 'SELECT 1');
    const port = await freePort();
    const file = writeScenario(
      dir,
      'short',
      `{ name: 'short', ${ordersService(port)}, target: 'http://127.0.0.1:${port}', requests: [{ path: '/health' }], workers: { cpus: [1] }, phases: [{ name: 'steady', duration: '2s', rate: 50 }] }`,
    );
    const t0 = Date.now();
    const sqlP = headroom(['runs', 'sql', 'select sum(range % 7) as s from range(3000000000)', '--json', '--db', db]).then((r) => ({
      ...r,
      ms: Date.now() - t0,
    }));
    await new Promise((r) => setTimeout(r, 300));
    const run = await headroom(['run', file, '--json', '--db', db]);
    const sql = await sqlP;
    console.log(`runs sql took ${sql.ms} ms; the run took ${Date.now() - t0} ms from the same start`);
    expect(sql.code, sql.stderr).toBe(0);
    expect(run.code, run.stderr).toBe(0);
    const { runId } = JSON.parse(run.stdout);
    const [row] = await query<{ status: string }>(db, `SELECT status FROM runs WHERE id = '${runId}'`);
    expect(row?.status).toBe('completed');
  }, 60_000);

  it.runIf(process.getuid?.() === 0)('runs ls, show and sql work on a store on a read-only file system', async () => {
    mkdirSync(mnt, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=32m', 'tmpfs', mnt]);
    const db = join(mnt, 'h.duckdb');
    const store = await Store.open(db);
    await store.upsert('runs', [
      {
        id: '20261202-000000-abcd',
        kind: 'load',
        scenario: 'ro',
        status: 'completed',
        started_at: Date.now() - 5000,
        ended_at: Date.now(),
      },
    ]);
    await store.upsert('phases', [{ run_id: '20261202-000000-abcd', phase: 'steady', ordinal: 0, requests: 42, p99_ms: 3 }]);
    store.close();
    execFileSync('mount', ['-o', 'remount,ro', mnt]);
    const ls = await headroom(['runs', 'ls', '--db', db]);
    expect(ls.code, ls.stderr).toBe(0);
    expect(ls.stdout).toContain('20261202-000000-abcd');
    const show = await headroom(['runs', 'show', 'latest', '--json', '--db', db]);
    expect(show.code, show.stderr).toBe(0);
    expect(JSON.parse(show.stdout).phases[0].requests).toBe(42);
    const sql = await headroom(['runs', 'sql', 'select sum(requests) as n from phases', '--json', '--db', db]);
    expect(sql.code, sql.stderr).toBe(0);
    expect(JSON.parse(sql.stdout)).toEqual([{ n: '42' }]);
  });
});
