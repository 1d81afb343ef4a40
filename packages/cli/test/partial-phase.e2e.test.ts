import type { ChildProcess } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeHistogram } from '@headroom/internal';
import { spoolDir } from '@headroom/store';
import { REPO, freePort, headroom, query, tempDir, writeScenario } from './helpers.ts';
import { pidsMatching, running, waitGone, waitLiveSeconds } from './processes.ts';

const dir = tempDir();
const SERVER = join(REPO, 'packages/cli/test/fixtures/fixed-cost.ts');
const RATE = 200;
/** CPU time the service spends on each request (spun on its own CPU clock). */
const COST_US = 300;

/** A 2 s phase, then `steady` at RATE req/s for `steady`, against a real local service. */
function scenario(name: string, port: number, steady: string): string {
  return writeScenario(
    dir,
    name,
    `{
    name: '${name}',
    service: { command: ['node', ${JSON.stringify(SERVER)}], env: { PORT: '${port}', COST_US: '${COST_US}' }, ready: 'http://127.0.0.1:${port}/health', cpus: [0] },
    target: 'http://127.0.0.1:${port}', requests: [{ path: '/' }], workers: { cpus: [1] },
    phases: [{ name: 'first', duration: '2s', rate: ${RATE} }, { name: 'steady', duration: '${steady}', rate: ${RATE} }],
  }`,
  );
}

interface ShownPhase {
  phase: string;
  requests: number;
  errors: number;
  partial: boolean;
  started_at: string;
  p99_ms: number;
  cpu_per_request_us: number | null;
}

/** The phases `runs show --json` gives for a run that ended abandoned. */
async function showPhases(db: string, id: string): Promise<ShownPhase[]> {
  const show = await headroom(['runs', 'show', id, '--json', '--db', db]);
  expect(show.code, show.stderr).toBe(0);
  const shown = JSON.parse(show.stdout) as { run: { status: string }; phases: ShownPhase[] };
  expect(shown.run.status).toBe('abandoned');
  return shown.phases.map((p) => ({
    phase: p.phase,
    requests: Number(p.requests),
    errors: Number(p.errors),
    partial: p.partial,
    started_at: new Date(p.started_at).toISOString(),
    p99_ms: p.p99_ms,
    cpu_per_request_us: p.cpu_per_request_us,
  }));
}

describe('the phase running when headroom dies is kept, marked partial', () => {
  it('kill -9 five seconds into a 20 s phase: the abandoned run has the phase up to its last second, with its histogram, marked partial', async () => {
    const db = join(dir, 'kill9.duckdb');
    const port = await freePort();
    const file = scenario('partial-kill9', port, '20s');
    let child: ChildProcess | undefined;
    const done = headroom(['run', file, '--db', db], { onSpawn: (c) => (child = c) });
    // 2 s of `first`, then about 5 s of `steady` (series rows trail the load by a second or two).
    const live = await waitLiveSeconds(db, 7, 30_000);

    // While it runs, `runs show` already has the running phase as it stands.
    const during = await headroom(['runs', 'show', live.run.id, '--json', '--db', db]);
    expect(during.code, during.stderr).toBe(0);
    const runningSteady = (JSON.parse(during.stdout).phases as ShownPhase[]).find((p) => p.phase === 'steady');
    expect(runningSteady?.partial).toBe(true);
    expect(runningSteady?.requests).toBeGreaterThan(RATE * 3);
    // The running phases are rewritten whole beside the spool each second, not appended to it: a few KB however long the run.
    const provisional = join(spoolDir(db), `${live.run.id}.jsonl.provisional`);
    expect(statSync(provisional).size).toBeLessThan(64 * 1024);

    const pids = (live.run.pinning as { pid: number }[]).map((p) => p.pid);
    expect(pids.length).toBeGreaterThanOrEqual(3); // orchestrator, service, worker
    child?.kill('SIGKILL');
    const killedAt = Date.now();
    expect((await done).signal).toBe('SIGKILL');
    expect(await waitGone(pids, 5000)).toEqual([]);
    expect(pidsMatching(file).filter(running)).toEqual([]);

    // Readers (runs ls / show open the store read-only) already see the dead run as abandoned, from its spool.
    const ls = await headroom(['runs', 'ls', '--db', db]);
    expect(ls.code, ls.stderr).toBe(0);
    expect(ls.stdout).toMatch(new RegExp(`${live.run.id}\\s+load\\s+partial-kill9\\s+abandoned`));
    const fromSpool = await showPhases(db, live.run.id);
    // The next headroom that opens the store for writing folds it in: spool, provisional rows and reserve are gone.
    expect(await query(db, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    expect(readdirSync(spoolDir(db)).filter((f) => f.startsWith(live.run.id))).toEqual([]);
    const stored = await showPhases(db, live.run.id);
    expect(stored).toEqual(fromSpool);

    const [first, steady, ...rest] = stored;
    expect(rest).toEqual([]);
    // The phase that ended is stored as it always was.
    expect(first).toMatchObject({ phase: 'first', partial: false });
    expect(first?.requests).toBeGreaterThan(RATE * 2 * 0.9);
    expect(first?.requests).toBeLessThanOrEqual(RATE * 2 + 1);
    // The one that was running: every request up to its last whole second. Arrivals are even at
    // RATE, so it had sent RATE × elapsed when killed; at most the second in progress is lost.
    expect(steady).toMatchObject({ phase: 'steady', partial: true, errors: 0 });
    const elapsedS = (killedAt - new Date(steady?.started_at as string).getTime()) / 1000;
    const sent = RATE * elapsedS;
    const requests = steady?.requests ?? 0;
    console.log(
      `kill -9 ${elapsedS.toFixed(2)} s into steady: ${requests} requests stored of ~${Math.round(sent)} sent (${Math.round(sent - requests)} lost)`,
    );
    expect(elapsedS).toBeGreaterThan(4);
    expect(requests).toBeLessThanOrEqual(sent + 1);
    // One second's worth, plus 0.2 s for the last tick to cross from the worker and be written.
    expect(sent - requests).toBeLessThanOrEqual(RATE * 1.2);
    expect(steady?.p99_ms).toBeGreaterThan(COST_US / 1000);
    // The service's CPU over the phase so far, from its /proc tree: at least the spin it does per request.
    expect(steady?.cpu_per_request_us).toBeGreaterThan(COST_US * 0.8);

    // The histogram is stored, decodes, and holds every request counted.
    const [row] = await query<{ hist: Uint8Array; service_hist: Uint8Array }>(
      db,
      `SELECT hist, service_hist FROM phases WHERE run_id = '${live.run.id}' AND phase = 'steady'`,
    );
    expect(decodeHistogram(row?.hist as Uint8Array).totalCount).toBe(requests);
    expect(decodeHistogram(row?.service_hist as Uint8Array).totalCount).toBe(requests);

    const text = await headroom(['runs', 'show', live.run.id, '--db', db]);
    expect(text.stdout).toMatch(/^steady \(partial\)/m);
    expect(text.stdout).toMatch(/\(partial\) steady never ended \(the run is abandoned\)/);
    expect(text.stdout).not.toMatch(/^first \(partial\)/m);
  }, 90_000);

  it('a worker killed mid-phase: the run fails, and its summary, --json and store keep the phase it never finished, marked partial', async () => {
    const db = join(dir, 'worker.duckdb');
    const port = await freePort();
    const run = headroom(['run', scenario('partial-worker', port, '20s'), '--json', '--db', db]);
    const live = await waitLiveSeconds(db, 5, 30_000);
    const worker = (live.run.pinning as { role: string; pid: number }[]).find((p) => p.role === 'worker-0');
    expect(worker).toBeDefined();
    process.kill(worker?.pid as number, 'SIGKILL');
    const r = await run;
    expect(r.code, r.stderr).toBe(3);
    const out = JSON.parse(r.stdout) as {
      runId: string;
      status: string;
      error: string;
      phases: { phase: string; requests: number; partial: boolean }[];
    };
    expect(out.status).toBe('failed');
    expect(out.error).toMatch(/load worker 0 exited \(SIGKILL\)/);
    expect(out.phases.map((p) => [p.phase, p.partial])).toEqual([
      ['first', false],
      ['steady', true],
    ]);
    expect(out.phases[1]?.requests).toBeGreaterThan(RATE * 2);
    const rows = await query<{ phase: string; requests: number; partial: boolean }>(
      db,
      `SELECT phase, requests, partial FROM phases WHERE run_id = '${out.runId}' ORDER BY ordinal`,
    );
    expect(rows.map((p) => [p.phase, Number(p.requests), p.partial])).toEqual(out.phases.map((p) => [p.phase, p.requests, p.partial]));
  }, 60_000);

  it('a run that finishes has one row per phase, none partial, each the merged result the run reported', async () => {
    const db = join(dir, 'normal.duckdb');
    const port = await freePort();
    const r = await headroom(['run', scenario('partial-normal', port, '3s'), '--json', '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      runId: string;
      phases: { phase: string; requests: number; partial: boolean; latencyMs: { p99: number } }[];
    };
    expect(out.phases.map((p) => [p.phase, p.partial])).toEqual([
      ['first', false],
      ['steady', false],
    ]);
    const rows = await query<{ phase: string; requests: number; p99_ms: number; partial: boolean; hist: Uint8Array }>(
      db,
      `SELECT phase, requests, p99_ms, partial, hist FROM phases WHERE run_id = '${out.runId}' ORDER BY ordinal`,
    );
    expect(rows.map((p) => [p.phase, p.requests, p.p99_ms, p.partial])).toEqual(
      out.phases.map((p) => [p.phase, p.requests, p.latencyMs.p99, false]),
    );
    for (const p of rows) expect(decodeHistogram(p.hist).totalCount).toBe(p.requests);
    expect(rows.find((p) => p.phase === 'steady')?.requests).toBeGreaterThan(RATE * 3 * 0.9);
    const text = await headroom(['runs', 'show', out.runId, '--db', db]);
    expect(text.stdout).not.toMatch(/\(partial\)/);
  }, 60_000);
});
