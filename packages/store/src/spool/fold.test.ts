import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../store.ts';
import { readLiveRuns } from '../readers/live-runs.ts';
import { readMeasuredPhases, readPhases, readRunChecks } from '../readers/runs.ts';
import { RunSpool } from './run-spool.ts';
import { readSpools } from './fold.ts';

let dir: string;
let db: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'headroom-spool-'));
  db = join(dir, 'h.duckdb');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const run = (id: string) => ({ id, kind: 'load', scenario: 's', status: 'running', started_at: Date.now(), config: '{}' });

describe('run spools', () => {
  it('a finished run folds into the store with every row, blobs intact, and its spool is removed', async () => {
    const spool = RunSpool.create(db, run('r1'));
    await spool.upsert('series', [{ run_id: 'r1', second: 0, requests: 5, hist: new Uint8Array([1, 2, 3]) }]);
    await spool.upsert('series', [{ run_id: 'r1', second: 0, requests: 7, hist: new Uint8Array([4]) }]); // same key: last wins
    await spool.append('trace_samples', [{ run_id: 'r1', trace_id: 't', latency_ms: 1.5 }]);
    spool.updateRun({ status: 'completed', ended_at: Date.now() });
    const store = await Store.open(db);
    expect(await store.query('SELECT id, status FROM runs')).toEqual([{ id: 'r1', status: 'completed' }]);
    const [s] = await store.query<{ requests: number; hist: Uint8Array }>('SELECT requests, hist FROM series');
    expect(s?.requests).toBe(7);
    expect([...(s?.hist ?? [])]).toEqual([4]);
    expect(await store.query('SELECT latency_ms FROM trace_samples')).toEqual([{ latency_ms: 1.5 }]);
    store.close();
    expect(existsSync(spool.path)).toBe(false);
  });

  it('a live run is listed from its spool and left alone by an open; a dead one is folded as abandoned', async () => {
    const spool = RunSpool.create(db, run('live'));
    await spool.upsert('series', [{ run_id: 'live', second: 0, requests: 10, errors: 1 }]);
    (await Store.open(db)).close();
    expect(existsSync(spool.path)).toBe(true);
    const [l] = readLiveRuns(db);
    expect(l).toMatchObject({ alive: true, seconds: 1, requests: 10, errors: 1 });
    expect(l?.run.status).toBe('running');

    // The same spool, as if written by a process that no longer runs (pid 2^22 + 1 cannot exist), with a torn last line.
    const text = readFileSync(spool.path, 'utf8').replace(`"pid":${process.pid}`, '"pid":4194305');
    writeFileSync(spool.path, text);
    appendFileSync(spool.path, '{"op":"upsert","table":"series","rows":[{"run_id":"live","sec');
    // Readers, which never fold, already see it as abandoned rather than running.
    expect(readLiveRuns(db)[0]).toMatchObject({ alive: false, run: { status: 'abandoned' } });
    const store = await Store.open(db);
    const [r] = await store.query<{ status: string; error: string }>('SELECT status, error FROM runs');
    expect(r?.status).toBe('abandoned');
    expect(r?.error).toMatch(/pid 4194305\) ended without finishing/);
    expect(await store.query('SELECT requests FROM series')).toEqual([{ requests: 10 }]);
    store.close();
  });

  it('spans spooled batch by batch while a run goes: readers of its progress skip them, a dead run folds with all of them', async () => {
    const spool = RunSpool.create(db, run('spans'));
    const span = (i: number) => ({ run_id: 'spans', trace_id: 't', span_id: `s${i}`, name: 'GET /', kind: 'server', start_ms: i });
    for (let b = 0; b < 200; b++) {
      await spool.append(
        'spans',
        Array.from({ length: 50 }, (_, i) => span(b * 50 + i)),
      );
      if (b % 20 === 0) await spool.upsert('series', [{ run_id: 'spans', second: b / 20, requests: 100 }]);
    }
    const all = readSpools(db)[0]!.ops.filter((op) => op.op === 'append' && op.table === 'spans');
    expect(all).toHaveLength(200);
    const progress = readSpools(db, { tables: ['series'] })[0]!;
    expect(progress.ops.map((op) => (op.op === 'owner' ? 'owner' : op.table))).toEqual(['owner', 'runs', ...Array(10).fill('series')]);
    expect(readLiveRuns(db)[0]).toMatchObject({ alive: true, seconds: 10, requests: 1000 });

    writeFileSync(spool.path, readFileSync(spool.path, 'utf8').replace(`"pid":${process.pid}`, '"pid":4194305'));
    const store = await Store.open(db);
    expect(await store.query('SELECT status FROM runs')).toEqual([{ status: 'abandoned' }]);
    const rows = await store.query<{ n: number; paired: boolean }>(
      "SELECT count(*) AS n, bool_and(span_id = 's' || CAST(start_ms AS INTEGER)) AS paired FROM spans WHERE run_id = 'spans'",
    );
    expect(rows).toEqual([{ n: 10_000, paired: true }]);
    store.close();
  });

  it('folding twice (a crash between commit and unlink) does not double rows', async () => {
    const spool = RunSpool.create(db, run('r2'));
    await spool.append('gates', [{ run_id: 'r2', key: 'k' }]);
    spool.updateRun({ status: 'completed' });
    const copy = readFileSync(spool.path, 'utf8');
    (await Store.open(db)).close();
    writeFileSync(spool.path, copy);
    const store = await Store.open(db);
    expect(await store.query("SELECT count(*) AS n FROM gates WHERE run_id = 'r2'")).toEqual([{ n: 1 }]);
    store.close();
  });

  it("a phase's provisional rows are replaced by its row at its end; a dead run keeps the last ones, marked partial and left out of comparisons", async () => {
    const phase = (name: string, requests: number, partial: boolean) => ({
      run_id: 'p',
      phase: name,
      parent: name,
      requests,
      partial,
      hist: new Uint8Array([requests]),
    });
    const spool = RunSpool.create(db, run('p'));
    spool.replaceProvisional('phases', [phase('steady', 100, true)]);
    spool.replaceProvisional('phases', [phase('steady', 200, true)]);
    await spool.upsert('phases', [phase('steady', 1000, false)]);
    // Written before the next rewrite dropped it, the stale provisional row of the ended phase is still in the file.
    spool.replaceProvisional('phases', [phase('steady', 300, true), phase('cool', 50, true)]);
    const provisional = `${spool.path}.provisional`;
    expect(readFileSync(provisional, 'utf8').split('\n').length).toBe(2); // one line, replaced, not appended
    // The live view shows the phase in progress as it stands, and the ended one as it ended.
    expect(readLiveRuns(db)[0]?.phases.map((p) => [p.phase, p.requests, p.partial])).toEqual([
      ['steady', 1000, false],
      ['cool', 50, true],
    ]);
    writeFileSync(spool.path, readFileSync(spool.path, 'utf8').replace(`"pid":${process.pid}`, '"pid":4194305'));
    const store = await Store.open(db);
    expect((await readPhases(store, 'p')).map((p) => [p.phase, p.requests, p.partial])).toEqual([
      ['steady', 1000, false],
      ['cool', 50, true],
    ]);
    const [cool] = await store.query<{ hist: Uint8Array }>("SELECT hist FROM phases WHERE phase = 'cool'");
    expect([...(cool?.hist ?? [])]).toEqual([50]);
    expect((await readMeasuredPhases(store, ['p'])).map((p) => p.phase)).toEqual(['steady']);
    expect((await readRunChecks(store, ['p']))[0]).toMatchObject({ status: 'abandoned', measuredPhases: ['steady'], requests: 1000 });
    store.close();
    expect(existsSync(spool.path)).toBe(false);
    expect(existsSync(provisional)).toBe(false);
  });

  it("the running phase's provisional profile rows are kept when the run dies in it, and dropped for a phase whose own rows were appended", async () => {
    const prof = (phase: string, total: number) => ({
      run_id: 'k',
      phase,
      type: 'cpu',
      path: `/r/${phase}.cpu.pb.gz`,
      sample_type: 'cpu',
      unit: 'nanoseconds',
      total,
    });
    const fn = (phase: string, name: string) => ({
      run_id: 'k',
      phase,
      type: 'cpu',
      function: name,
      file: 'f.js',
      line: 1,
      self: 1,
      total: 2,
      unit: 'nanoseconds',
    });
    const spool = RunSpool.create(db, run('k'));
    spool.replaceProvisionalProfiles([prof('first', 10)], [fn('first', 'a'), fn('first', 'b')]);
    await spool.append('profiles', [prof('first', 30)]); // the first phase ended: its own rows
    await spool.append('profile_functions', [fn('first', 'a')]);
    // Killed after the second phase's first push, before the first phase's provisional rows were replaced:
    spool.replaceProvisionalProfiles([prof('second', 20)], [fn('second', 'c'), fn('second', 'd')]);
    spool.replaceProvisional('phases', [{ run_id: 'k', phase: 'second', parent: 'second', requests: 5, partial: true }]);
    expect(existsSync(`${spool.path}.provisional-profiles`)).toBe(true);
    writeFileSync(spool.path, readFileSync(spool.path, 'utf8').replace(`"pid":${process.pid}`, '"pid":4194305'));
    const store = await Store.open(db);
    expect(await store.query("SELECT status FROM runs WHERE id = 'k'")).toEqual([{ status: 'abandoned' }]);
    expect(await store.query('SELECT phase, total FROM profiles ORDER BY phase')).toEqual([
      { phase: 'first', total: 30 },
      { phase: 'second', total: 20 },
    ]);
    expect(await store.query('SELECT phase, function FROM profile_functions ORDER BY phase, function')).toEqual([
      { phase: 'first', function: 'a' },
      { phase: 'second', function: 'c' },
      { phase: 'second', function: 'd' },
    ]);
    expect((await readPhases(store, 'k')).map((p) => [p.phase, p.requests, p.partial])).toEqual([['second', 5, true]]);
    store.close();
    expect(existsSync(`${spool.path}.provisional-profiles`)).toBe(false);
  });
});
