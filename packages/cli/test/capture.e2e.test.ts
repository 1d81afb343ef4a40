import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, renameSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readSpools } from '@headroom/store';
import { freePort, headroom, ordersService, query, tempDir, writeScenario } from './helpers.ts';
import { waitGone, waitLiveSeconds } from './processes.ts';

/** Server spans the run's spool holds now. */
function spooledServerSpans(db: string, runId: string): number {
  const spool = readSpools(db).find((s) => s.runId === runId);
  let n = 0;
  for (const op of spool?.ops ?? [])
    if (op.op === 'append' && op.table === 'spans') n += op.rows.filter((r) => (r as { kind?: string }).kind === 'server').length;
  return n;
}

/** Profile rows the run's spool holds now, by phase and type. */
function spooledProfiles(db: string, runId: string): { phase: string; type: string; path: string }[] {
  const spool = readSpools(db).find((s) => s.runId === runId);
  const rows: { phase: string; type: string; path: string }[] = [];
  for (const op of spool?.ops ?? []) if (op.op === 'append' && op.table === 'profiles') rows.push(...(op.rows as typeof rows));
  return rows;
}

describe('capture through headroom run (end to end)', () => {
  it('stores a decodable profile whose top functions include the heavy route, and joins generator and server spans', async () => {
    // A 4 s phase at the 49 Hz default holds ~200 wall samples, too few to be sure one lands in the
    // heavy route (it missed once); the scenario asks for 100 Hz, which also exercises cpu: { hz }.
    const dir = tempDir();
    const db = join(dir, 'h.duckdb');
    const port = await freePort();
    const file = writeScenario(
      dir,
      'cap',
      `{
      name: 'cap-e2e',
      ${ordersService(port, ', capture: { cpu: { hz: 100 }, heap: true, traces: { sample: 0.05 } }')},
      target: 'http://127.0.0.1:${port}',
      requests: [{ path: '/orders?limit=10', weight: 3 }, { name: 'report', path: '/report', weight: 2 }],
      workers: { cpus: [1] },
      trace: { sample: 0.1 },
      phases: [{ name: 'warmup', duration: '1s', connections: 2 }, { name: 'steady', duration: '4s', rate: 300 }],
    }`,
    );
    const r = await headroom(['run', file, '--json', '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    const { runId } = JSON.parse(r.stdout);

    // Profiles: only the measured phase, as gzipped pprof files on disk.
    const profiles = await query<{ phase: string; type: string; path: string }>(
      db,
      `SELECT phase, type, path FROM profiles WHERE run_id = '${runId}'`,
    );
    expect(new Set(profiles.map((p) => p.phase))).toEqual(new Set(['steady']));
    expect(profiles.map((p) => p.type)).toEqual(expect.arrayContaining(['cpu', 'wall']));
    const cpuPath = profiles.find((p) => p.type === 'cpu')?.path as string;
    expect(existsSync(cpuPath)).toBe(true);
    expect(gunzipSync(readFileSync(cpuPath)).length).toBeGreaterThan(100);
    // A run whose files are elsewhere (imported from another machine): a clear error, not an unexpected one.
    renameSync(cpuPath, `${cpuPath}.away`);
    const away = await headroom(['profile', 'export', runId, '--format', 'speedscope', '-o', join(dir, 's.json'), '--json', '--db', db]);
    renameSync(`${cpuPath}.away`, cpuPath);
    expect(away.code).toBe(2);
    expect(JSON.parse(away.stdout).error.code).toBe('E_NO_PROFILE');
    expect(away.stderr).toContain('is not on this machine');

    const top = await headroom(['profile', 'top', runId, '--phase', 'steady', '--type', 'wall', '--limit', '60', '--json', '--db', db]);
    expect(top.code, top.stderr).toBe(0);
    expect(JSON.parse(top.stdout).rows.map((x: { function: string }) => x.function)).toContain('buildSalesReport');
    // A phase with no profile (warm-up is never profiled) is E_NO_PROFILE naming the phases that have one, in top and in diff,
    // whose side without the profile would otherwise read as every function removed.
    const none = await headroom(['profile', 'top', runId, '--phase', 'warmup', '--json', '--db', db]);
    expect(none.code).toBe(2);
    expect(JSON.parse(none.stdout).error.code).toBe('E_NO_PROFILE');
    expect(none.stderr).toContain(
      `run ${runId} has no cpu profile for phase warmup; its cpu profiles are of phase steady: try --phase steady`,
    );
    const diffNone = await headroom(['profile', 'diff', runId, runId, '--phase', 'warmup', '--json', '--db', db]);
    expect(diffNone.code).toBe(2);
    expect(JSON.parse(diffNone.stdout).error.code).toBe('E_NO_PROFILE');
    const diffSelf = await headroom(['profile', 'diff', runId, runId, '--phase', 'steady', '--json', '--db', db]);
    expect(diffSelf.code, diffSelf.stderr).toBe(0);
    expect(JSON.parse(diffSelf.stdout).rows.every((x: { delta_self_pct: number }) => x.delta_self_pct === 0)).toBe(true);

    const exported = join(dir, 'steady.pb.gz');
    const ex = await headroom(['profile', 'export', runId, '--phase', 'steady', '--format', 'pprof', '-o', exported, '--db', db]);
    expect(ex.code, ex.stderr).toBe(0);
    expect(readFileSync(exported).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));

    // The generator's sampled requests join the service's server spans by trace id.
    const joined = await query<{ n: number }>(
      db,
      `SELECT count(*) AS n FROM trace_samples t JOIN spans s
      ON s.trace_id = t.trace_id AND s.run_id = t.run_id AND s.parent_span_id = t.span_id WHERE t.run_id = '${runId}' AND s.kind = 'server'`,
    );
    expect(joined[0]?.n).toBeGreaterThan(20);
    const slow = await headroom(['traces', 'slow', runId, '--limit', '3', '--json', '--db', db]);
    expect(slow.code, slow.stderr).toBe(0);
    const traces = JSON.parse(slow.stdout).traces as { latency_ms: number; spans: unknown[] }[];
    expect(traces).toHaveLength(3);
    expect(traces[0]?.spans.length).toBeGreaterThan(0);
    // A phase name with a typo is not "nothing sampled": exit 2 naming the phases that have some.
    const typo = await headroom(['traces', 'slow', runId, '--phase', 'stedy', '--db', db]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/no sampled requests in phase "stedy"; its phases with some: .*steady/);
    // Span attributes keep the response status (a name with "code" in it that is no secret).
    const [status] = await query<{ n: number }>(
      db,
      `SELECT count(*) AS n FROM spans WHERE run_id = '${runId}' AND attributes LIKE '%status_code%' AND attributes NOT LIKE '%status_code":"[redacted]%'`,
    );
    expect(status?.n).toBeGreaterThan(0);

    // Runtime metrics of the service land in the per-second series.
    const rt = await query<{ n: number }>(db, `SELECT count(*) AS n FROM series WHERE run_id = '${runId}' AND sut_rss_mb > 0`);
    expect(rt[0]?.n).toBeGreaterThanOrEqual(3);
  });

  it('kill -9 of headroom mid-run: the abandoned run keeps the spans received until then', async () => {
    const dir = tempDir();
    const db = join(dir, 'h.duckdb');
    const port = await freePort();
    const RATE = 100;
    const file = writeScenario(
      dir,
      'cap-kill9',
      `{
      name: 'cap-kill9',
      ${ordersService(port, ', capture: { traces: { sample: 1 } }')},
      target: 'http://127.0.0.1:${port}',
      requests: [{ path: '/orders?limit=10' }],
      workers: { cpus: [1] },
      phases: [{ name: 'steady', duration: '30s', rate: ${RATE} }],
    }`,
    );
    let child: ChildProcess | undefined;
    const done = headroom(['run', file, '--db', db], { onSpawn: (c) => (child = c) });
    const live = await waitLiveSeconds(db, 5, 30_000);
    // The agent exports every second and the runner passes spans on within another: they are in the spool mid-run.
    for (const end = Date.now() + 5000; spooledServerSpans(db, live.run.id) < RATE * 2 && Date.now() < end;)
      await new Promise((r) => setTimeout(r, 100));
    const spooled = spooledServerSpans(db, live.run.id);
    expect(spooled).toBeGreaterThanOrEqual(RATE * 2);
    const pids = (live.run.pinning as { pid: number }[]).map((p) => p.pid);
    child?.kill('SIGKILL');
    expect((await done).signal).toBe('SIGKILL');
    expect(await waitGone(pids, 5000)).toEqual([]);

    // The next headroom that opens the store folds the spool in: the run is abandoned, with its spans.
    const [run] = await query<{ status: string }>(db, `SELECT status FROM runs WHERE id = '${live.run.id}'`);
    expect(run?.status).toBe('abandoned');
    const [stored] = await query<{ server: number; requests: number }>(
      db,
      `SELECT (SELECT count(*) FROM spans WHERE run_id = '${live.run.id}' AND kind = 'server') AS server,
        (SELECT sum(requests) FROM series WHERE run_id = '${live.run.id}') AS requests`,
    );
    const server = Number(stored?.server);
    console.log(
      `kill -9 mid-run: ${server} server spans stored (${spooled} seen in the spool before the kill), ${stored?.requests} requests in the series`,
    );
    expect(server).toBeGreaterThanOrEqual(spooled);
    // Every request is traced (sample 1): the server spans trail the stored requests by the export and batch delays only.
    expect(server).toBeGreaterThan(Number(stored?.requests) - RATE * 4);
    expect(server).toBeLessThanOrEqual(Number(stored?.requests) + RATE * 3);
  }, 90_000);

  it("kill -9 in the second measured phase: the abandoned run keeps the first phase's CPU and heap profiles, files and function tables", async () => {
    // The first phase ended ~2 s before the kill: its profiles were written when the agent confirmed the switch.
    const { profiles, cpuFunctions } = await killWithProfiles(
      "{ name: 'first', duration: '3s', rate: 200 }, { name: 'second', duration: '30s', rate: 200 }",
      5,
      (db, runId) => spooledProfiles(db, runId).length >= 2,
    );
    expect(new Set(profiles.map((p) => p.phase))).toEqual(new Set(['first']));
    // ~3 s of a busy service at 49 Hz: well over 50 wall samples' worth of time (ns) in the first phase.
    expect(Number(profiles.find((p) => p.type === 'wall')?.total)).toBeGreaterThan(1e9);
    expect(await cpuFunctions('first')).toBeGreaterThan(5);
  }, 90_000);

  it('kill -9 in a long single phase: the abandoned run keeps its profile up to the last push (every 10 s)', async () => {
    // The agent's first flush comes ~10 s into the phase; its snapshot is written half a second later.
    const { profiles, cpuFunctions } = await killWithProfiles("{ name: 'soak', duration: '60s', rate: 200 }", 11, (db) =>
      spoolProvisional(db),
    );
    expect(new Set(profiles.map((p) => p.phase))).toEqual(new Set(['soak']));
    // One flush: about 10 s of wall time (between 5 and 20 s), not the whole 60 s phase.
    const wall = Number(profiles.find((p) => p.type === 'wall')?.total);
    expect(wall).toBeGreaterThan(5e9);
    expect(wall).toBeLessThan(20e9);
    expect(await cpuFunctions('soak')).toBeGreaterThan(5);
  }, 90_000);
});

/**
 * Runs the orders service with CPU and heap capture through `phases`, kills headroom (-9) once
 * the run has `liveSeconds` and `ready` holds (or 8 s later), and returns the abandoned run's
 * profile rows (each file checked to decode to something) and its CPU function-table counts.
 */
async function killWithProfiles(
  phases: string,
  liveSeconds: number,
  ready: (db: string, runId: string) => boolean,
): Promise<{ profiles: { phase: string; type: string; total: number }[]; cpuFunctions: (phase: string) => Promise<number> }> {
  const dir = tempDir();
  const db = join(dir, 'h.duckdb');
  const port = await freePort();
  const file = writeScenario(
    dir,
    'cap-kill9-profiles',
    `{
      name: 'cap-kill9-profiles',
      ${ordersService(port, ', capture: { cpu: true, heap: true }')},
      target: 'http://127.0.0.1:${port}',
      requests: [{ path: '/orders?limit=10' }, { path: '/report' }],
      workers: { cpus: [1] },
      phases: [${phases}],
    }`,
  );
  let child: ChildProcess | undefined;
  const done = headroom(['run', file, '--db', db], { onSpawn: (c) => (child = c) });
  const live = await waitLiveSeconds(db, liveSeconds, 40_000);
  const runId = live.run.id;
  for (const end = Date.now() + 8000; !ready(db, runId) && Date.now() < end;) await new Promise((r) => setTimeout(r, 100));
  expect(ready(db, runId), 'the profiles to keep were not written before the kill').toBe(true);
  const pids = (live.run.pinning as { pid: number }[]).map((p) => p.pid);
  child?.kill('SIGKILL');
  expect((await done).signal).toBe('SIGKILL');
  expect(await waitGone(pids, 5000)).toEqual([]);

  const [run] = await query<{ status: string }>(db, `SELECT status FROM runs WHERE id = '${runId}'`);
  expect(run?.status).toBe('abandoned');
  const profiles = await query<{ phase: string; type: string; path: string; total: number }>(
    db,
    `SELECT phase, type, path, total FROM profiles WHERE run_id = '${runId}' ORDER BY type, sample_type`,
  );
  console.log(
    `kill -9 after ${liveSeconds} s: stored profiles ${profiles.map((p) => `${p.phase}/${p.type} ${Number(p.total)}`).join(', ')}`,
  );
  expect(new Set(profiles.map((p) => p.type))).toEqual(new Set(['cpu', 'wall', 'heap', 'inuse_objects']));
  for (const p of profiles) expect(gunzipSync(readFileSync(p.path)).length, p.path).toBeGreaterThan(100);
  const cpuFunctions = async (phase: string): Promise<number> => {
    const [fns] = await query<{ n: number }>(
      db,
      `SELECT count(*) AS n FROM profile_functions WHERE run_id = '${runId}' AND phase = '${phase}' AND type = 'cpu'`,
    );
    return Number(fns?.n);
  };
  return { profiles, cpuFunctions };
}

/** Whether a running run's spool has provisional profile rows beside it. */
function spoolProvisional(db: string): boolean {
  const dir = join(dirname(db), `.${basename(db)}.spool`);
  return existsSync(dir) && readdirSync(dir).some((n) => n.endsWith('.provisional-profiles'));
}
