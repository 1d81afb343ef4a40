import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, REPO, freePort, headroom, query, tempDir, writeScenario } from './helpers.ts';
import { pidsMatching, running, waitGone, waitLiveSeconds } from './processes.ts';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ORPHAN = join(REPO, 'packages/cli/test/fixtures/spawns-orphan.ts');

/** A 12-second open phase against a service that leaves a child in its own session; `tag` marks that child. */
function longScenario(name: string, port: number, tag: string): string {
  return writeScenario(
    dir,
    name,
    `{
    name: '${name}',
    service: { command: ['node', ${JSON.stringify(ORPHAN)}], env: { PORT: '${port}', SLEEP_TAG: '${tag}' }, ready: 'http://127.0.0.1:${port}/health', cpus: [0] },
    target: 'http://127.0.0.1:${port}', requests: [{ path: '/' }], workers: { cpus: [1] },
    phases: [{ name: 'steady', duration: '12s', rate: 100 }],
  }`,
  );
}

function start(
  args: string[],
  node = process.execPath,
): { child: ChildProcess; done: Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> } {
  const child = spawn(node, [BIN, ...args], { cwd: REPO, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => {
    stdout += d;
  });
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  return { child, done: new Promise((res) => child.on('exit', (code, signal) => res({ code, signal, stdout, stderr }))) };
}

describe('nothing lost, nothing left running (kill -9, signals, readers during a run)', () => {
  it('kill -9 of headroom: service, its orphaned child and workers exit on their own; the run is abandoned with what it wrote (at most ~2 s lost); readers never waited', async () => {
    const db = join(dir, 'kill9.duckdb');
    const port = await freePort();
    const tag = `3601.${port}`;
    const { child, done } = start(['run', longScenario('kill9', port, tag), '--db', db]);
    const live = await waitLiveSeconds(db, 4);
    const pids = [...(live.run.pinning as { pid: number }[]).map((p) => p.pid), ...pidsMatching(`sleep ${tag}`), ...pidsMatching(ORPHAN)];
    expect(pidsMatching(`sleep ${tag}`)).toHaveLength(1);
    expect(pids.length).toBeGreaterThanOrEqual(5); // orchestrator, service, worker, the orphan, the supervisor (its argv names the service file)

    // Readers while the run writes: none waits for it.
    const t0 = Date.now();
    const [ls, show, sql] = await Promise.all([
      headroom(['runs', 'ls', '--db', db]),
      headroom(['runs', 'show', 'latest', '--json', '--db', db]),
      headroom(['runs', 'sql', 'select count(*) as n from runs', '--json', '--db', db]),
    ]);
    expect(Date.now() - t0).toBeLessThan(8000);
    expect(ls.code, ls.stderr).toBe(0);
    expect(ls.stdout).toMatch(new RegExp(`${live.run.id}\\s+load\\s+kill9\\s+running`));
    expect(show.code, show.stderr).toBe(0);
    const shown = JSON.parse(show.stdout);
    expect(shown.run.status).toBe('running');
    expect(shown.progress.requests).toBeGreaterThan(100);
    expect(sql.code, sql.stderr).toBe(0);

    const before = await waitLiveSeconds(db, 6);
    const startAt = before.run.startedAt.getTime();
    child.kill('SIGKILL');
    const killedAt = Date.now();
    await done;
    expect(await waitGone(pids, 5000)).toEqual([]);

    const [run] = await query<{ status: string; error: string }>(db, `SELECT status, error FROM runs WHERE id = '${live.run.id}'`);
    expect(run?.status).toBe('abandoned');
    expect(run?.error).toMatch(/ended without finishing/);
    const [series] = await query<{ n: number; last: number; requests: number }>(
      db,
      `SELECT count(*) AS n, max(second) AS last, sum(requests) AS requests FROM series WHERE run_id = '${live.run.id}'`,
    );
    // Load starts ~2 s after the run begins; seconds of load completed when it was killed vs seconds stored.
    const loadSeconds = Math.floor((killedAt - startAt - 2000) / 1000);
    const lost = loadSeconds - (series?.n ?? 0);
    console.log(`kill -9 after ${loadSeconds} s of load: ${series?.n} seconds stored, ${lost} lost`);
    expect(lost).toBeLessThanOrEqual(2);
    expect(series?.requests).toBeGreaterThan(300);
  }, 60_000);

  for (const sig of ['SIGHUP', 'SIGTERM'] as const) {
    it(`${sig} is handled like Ctrl-C: interrupted, exit 130, stored, nothing left`, async () => {
      const db = join(dir, `${sig}.duckdb`);
      const port = await freePort();
      const tag = `3602.${port}`;
      const { child, done } = start(['run', longScenario(`sig-${sig}`, port, tag), '--json', '--db', db]);
      const live = await waitLiveSeconds(db, 2);
      const pids = [...(live.run.pinning as { pid: number }[]).map((p) => p.pid), ...pidsMatching(`sleep ${tag}`), ...pidsMatching(ORPHAN)];
      child.kill(sig);
      const r = await done;
      expect(r.code, r.stderr).toBe(130);
      expect(JSON.parse(r.stdout).status).toBe('interrupted');
      expect(await waitGone(pids, 3000)).toEqual([]);
      const [run] = await query<{ status: string }>(db, `SELECT status FROM runs WHERE id = '${live.run.id}'`);
      expect(run?.status).toBe('interrupted');
    }, 40_000);
  }

  it('a second Ctrl-C stops at once and the run is still recorded as interrupted', async () => {
    const db = join(dir, 'twice.duckdb');
    const port = await freePort();
    const tag = `3603.${port}`;
    const { child, done } = start(['run', longScenario('twice', port, tag), '--db', db]);
    const live = await waitLiveSeconds(db, 2);
    const pids = [...(live.run.pinning as { pid: number }[]).map((p) => p.pid), ...pidsMatching(`sleep ${tag}`), ...pidsMatching(ORPHAN)];
    child.kill('SIGINT');
    child.kill('SIGINT');
    const t0 = Date.now();
    const r = await done;
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(r.code, r.stderr).toBe(130);
    expect(await waitGone(pids, 3000)).toEqual([]);
    const [run] = await query<{ status: string }>(db, `SELECT status FROM runs WHERE id = '${live.run.id}'`);
    expect(run?.status).toBe('interrupted');
  }, 40_000);

  it('under an older Node, the re-run headroom gets the signals of the wrapper, and stops when the wrapper is killed -9', async () => {
    const oldNode = '/usr/bin/node';
    for (const how of ['SIGTERM', 'SIGKILL'] as const) {
      const db = join(dir, `wrapper-${how}.duckdb`);
      const port = await freePort();
      const tag = `3604.${port}`;
      const { child, done } = start(['run', longScenario(`wrap-${how}`, port, tag), '--db', db], oldNode);
      const live = await waitLiveSeconds(db, 2);
      const pids = [...(live.run.pinning as { pid: number }[]).map((p) => p.pid), ...pidsMatching(`sleep ${tag}`), ...pidsMatching(ORPHAN)];
      expect(pids).not.toContain(child.pid);
      child.kill(how);
      await done;
      expect(await waitGone(pids, 6000), how).toEqual([]);
      const [run] = await query<{ status: string }>(db, `SELECT status FROM runs WHERE id = '${live.run.id}'`);
      expect(run?.status, how).toBe('interrupted');
    }
  }, 60_000);

  it('through npx: kill -9 of npx (npm runs headroom under an `sh -c` that lives on) stops the run as interrupted', async () => {
    for (const how of ['SIGKILL'] as const) {
      const db = join(dir, `npx-${how}.duckdb`);
      const port = await freePort();
      const tag = `3605.${port}`;
      const npx = spawn('npx', ['--no-install', 'headroom', 'run', longScenario(`npx-${how}`, port, tag), '--db', db], {
        cwd: REPO,
        env: { ...process.env, NO_COLOR: '1' },
        stdio: 'ignore',
      });
      const exited = new Promise((res) => npx.on('exit', res));
      const live = await waitLiveSeconds(db, 2);
      const pids = [...(live.run.pinning as { pid: number }[]).map((p) => p.pid), ...pidsMatching(`sleep ${tag}`), ...pidsMatching(ORPHAN)];
      npx.kill(how);
      await exited;
      // Before, headroom (under npm's `sh -c`, which lives on) ran the phase to its end and stored it as completed.
      expect(await waitGone(pids, 8000), how).toEqual([]);
      const [run] = await query<{ status: string }>(db, `SELECT status FROM runs WHERE id = '${live.run.id}'`);
      expect(run?.status, how).toBe('interrupted');
    }
  }, 60_000);

  it('a port already in use is refused before the service starts, naming the port and the process', async () => {
    const db = join(dir, 'port.duckdb');
    const squatter = createServer();
    await new Promise<void>((r) => squatter.listen(0, '127.0.0.1', r));
    const port = (squatter.address() as { port: number }).port;
    const tag = `3605.${port}`;
    const r = await headroom(['run', longScenario('port', port, tag), '--json', '--db', db]);
    squatter.close();
    expect(r.code, r.stderr).toBe(3);
    const out = JSON.parse(r.stdout);
    expect(out.error).toMatch(new RegExp(`port ${port} of service.ready .* already in use by pid ${process.pid} \\(.*node`));
    expect(pidsMatching(`sleep ${tag}`)).toEqual([]);
    const [run] = await query<{ status: string }>(db, `SELECT status FROM runs WHERE id = '${out.runId}'`);
    expect(run?.status).toBe('failed');
  });

  it('at the end of a normal run the service child that left its session is stopped too', async () => {
    const db = join(dir, 'normal.duckdb');
    const port = await freePort();
    const tag = `3606.${port}`;
    const file = writeScenario(
      dir,
      'normal',
      `{
      name: 'normal',
      service: { command: ['node', ${JSON.stringify(ORPHAN)}], env: { PORT: '${port}', SLEEP_TAG: '${tag}' }, ready: 'http://127.0.0.1:${port}/health', cpus: [0] },
      target: 'http://127.0.0.1:${port}', requests: [{ path: '/' }], workers: { cpus: [1] }, phases: [{ name: 'steady', duration: '1s', rate: 50 }],
    }`,
    );
    const r = await headroom(['run', file, '--json', '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    expect(pidsMatching(`sleep ${tag}`).filter(running)).toEqual([]);
    expect(pidsMatching(ORPHAN).filter(running)).toEqual([]);
  });
});
