import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from './store.ts';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.ts';
import { newRunId, resolveRunRef } from './run-ref.ts';
import { readMeasuredPhases, readPhases, readRunChecks } from './readers/runs.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'headroom-store-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('Store', () => {
  it('creates the schema at the current version in a real DuckDB file and reopens it without re-migrating', async () => {
    const file = join(dir, 'h.duckdb');
    const s = await Store.open(file);
    const v = await s.query<{ version: number }>('SELECT version FROM headroom_schema ORDER BY version');
    expect(v.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(v.at(-1)?.version).toBe(SCHEMA_VERSION);
    s.close();
    const again = await Store.open(file);
    expect((await again.query('SELECT * FROM headroom_schema')).length).toBe(MIGRATIONS.length);
    again.close();
  });

  it('moves a version-1 file forward: phases gain the failed_* columns, old rows keep their data', async () => {
    const file = join(dir, 'v1.duckdb');
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const inst = await DuckDBInstance.create(file);
    const conn = await inst.connect();
    await conn.run('CREATE TABLE headroom_schema (version INTEGER PRIMARY KEY, description VARCHAR, applied_at TIMESTAMP)');
    for (const st of MIGRATIONS[0]!.statements) await conn.run(st);
    await conn.run("INSERT INTO headroom_schema VALUES (1, 'v1', now())");
    await conn.run("INSERT INTO phases (run_id, phase, requests) VALUES ('old', 'steady', 7)");
    conn.closeSync();
    inst.closeSync();
    const s = await Store.open(file);
    const rows = await s.query<{ requests: number; failed_p99_ms: number | null }>('SELECT requests, failed_p99_ms FROM phases');
    expect(rows).toEqual([{ requests: 7, failed_p99_ms: null }]);
    s.close();
  });

  it('moves a schema-6 file forward: phases gain partial (null for old rows, read as not partial)', async () => {
    const file = join(dir, 'v6.duckdb');
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const inst = await DuckDBInstance.create(file);
    const c = await inst.connect();
    await c.run('CREATE TABLE headroom_schema (version INTEGER PRIMARY KEY, description VARCHAR, applied_at TIMESTAMP)');
    for (const m of MIGRATIONS.filter((x) => x.version <= 6)) {
      for (const st of m.statements) await c.run(st);
      await c.run(`INSERT INTO headroom_schema VALUES (${m.version}, 'old', now())`);
    }
    await c.run("INSERT INTO runs (id, kind, scenario, status, started_at) VALUES ('old', 'load', 's', 'completed', now())");
    await c.run("INSERT INTO phases (run_id, phase, parent, requests) VALUES ('old', 'steady', 'steady', 7)");
    c.closeSync();
    inst.closeSync();
    // A reader of the unmigrated file (read-only: no migration) still reads and compares its phases.
    const ro = await Store.open(file, { readOnly: true });
    expect((await readPhases(ro, 'old')).map((p) => [p.requests, p.partial])).toEqual([[7, false]]);
    expect((await readMeasuredPhases(ro, ['old'])).length).toBe(1);
    expect((await readRunChecks(ro, ['old']))[0]?.requests).toBe(7);
    ro.close();
    const s = await Store.open(file);
    expect(await s.query('SELECT requests, partial FROM phases')).toEqual([{ requests: 7, partial: null }]);
    expect((await readPhases(s, 'old'))[0]?.partial).toBe(false);
    s.close();
  });

  it('moves a schema-1 file forward: runs gain git_branch (null for the old rows), new runs store it', async () => {
    const file = join(dir, 'old.duckdb');
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const inst = await DuckDBInstance.create(file);
    const c = await inst.connect();
    // Schema 1's other tables, the runs table as schema 1 shipped it (with its index), and one run in it.
    await c.run('CREATE TABLE headroom_schema (version INTEGER PRIMARY KEY, description VARCHAR, applied_at TIMESTAMP)');
    for (const st of MIGRATIONS[0]!.statements.filter((x) => !/TABLE IF NOT EXISTS runs |ON runs /.test(x))) await c.run(st);
    await c.run("INSERT INTO headroom_schema VALUES (1, 'v1', now())");
    await c.run(
      'CREATE TABLE runs (id VARCHAR PRIMARY KEY, kind VARCHAR, scenario VARCHAR, status VARCHAR, started_at TIMESTAMP, git_sha VARCHAR)',
    );
    await c.run('CREATE INDEX runs_scenario ON runs (scenario, started_at)');
    await c.run("INSERT INTO runs VALUES ('old', 'load', 's', 'completed', now(), 'abc')");
    c.closeSync();
    inst.closeSync();
    const s = await Store.open(file);
    const rows = await s.query<{ id: string; git_branch: string | null }>('SELECT id, git_branch FROM runs');
    expect(rows).toEqual([{ id: 'old', git_branch: null }]);
    expect((await s.query<{ version: number }>('SELECT max(version) AS version FROM headroom_schema'))[0]?.version).toBe(SCHEMA_VERSION);
    s.close();
  });

  it('round-trips typed rows through the appender: timestamps, JSON, blobs, nulls', async () => {
    const s = await Store.open(join(dir, 'h.duckdb'));
    const started = new Date('2026-11-21T10:00:00.123Z');
    await s.upsert('runs', [
      { id: 'r1', kind: 'load', scenario: 's', status: 'running', started_at: started, config: JSON.stringify({ a: 1 }) },
    ]);
    await s.upsert('runs', [
      { id: 'r1', kind: 'load', scenario: 's', status: 'completed', started_at: started, ended_at: started.getTime() + 5000 },
    ]);
    await s.append('phases', [{ run_id: 'r1', phase: 'steady', requests: 12345678901, p99_ms: 12.5, hist: new Uint8Array([1, 2, 3]) }]);
    const runs = await s.query<{ status: string; started_at: Date; ended_at: Date; config: string | null }>('SELECT * FROM runs');
    expect(runs).toHaveLength(1);
    expect(runs[0]?.status).toBe('completed');
    expect(runs[0]?.started_at.getTime()).toBe(started.getTime());
    expect((runs[0]?.ended_at.getTime() ?? 0) - started.getTime()).toBe(5000);
    const ph = await s.query<{ requests: number; p99_ms: number; hist: Uint8Array; errors: number | null }>('SELECT * FROM phases');
    expect(ph[0]?.requests).toBe(12345678901);
    expect(ph[0]?.p99_ms).toBe(12.5);
    expect([...(ph[0]?.hist ?? [])]).toEqual([1, 2, 3]);
    expect(ph[0]?.errors).toBeNull();
    s.close();
  });

  it('resolves latest, latest~N and id prefixes, and says how to list runs when nothing matches', async () => {
    const s = await Store.open(join(dir, 'h.duckdb'));
    const ids = [0, 1, 2].map((i) => newRunId(new Date(Date.UTC(2026, 0, 1, 0, 0, i))));
    for (const [i, id] of ids.entries())
      await s.upsert('runs', [{ id, kind: 'load', scenario: 'a', status: 'completed', started_at: Date.UTC(2026, 0, 1, 0, 0, i) }]);
    expect(await resolveRunRef(s, 'latest')).toBe(ids[2]);
    expect(await resolveRunRef(s, 'latest~2')).toBe(ids[0]);
    expect(await resolveRunRef(s, ids[1] as string)).toBe(ids[1]);
    await expect(resolveRunRef(s, 'latest~3')).rejects.toThrow(/headroom runs ls/);
    await expect(resolveRunRef(s, 'nope')).rejects.toThrow(/no run "nope"/);
    await expect(resolveRunRef(s, 'latest', { kind: 'bench' })).rejects.toThrow(/kind bench/);
    s.close();
  });

  it('refuses a second writer with an error that names the fix', async () => {
    const file = join(dir, 'h.duckdb');
    const s = await Store.open(file);
    s.close();
    // DuckDB locks across processes, not within one; check the message shape through a child process.
    const { spawnSync, spawn } = await import('node:child_process');
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `
      const { DuckDBInstance } = await import('@duckdb/node-api');
      const i = await DuckDBInstance.create(${JSON.stringify(file)}); await i.connect();
      console.log('locked'); setTimeout(() => {}, 20000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'], cwd: process.cwd() },
    );
    await new Promise<void>((res) => holder.stdout.once('data', () => res()));
    try {
      await expect(Store.open(file)).rejects.toThrow(/another headroom process.*--db/s);
    } finally {
      holder.kill('SIGKILL');
    }
    void spawnSync;
  });
  it("appends by the file's physical column order: a migrated file has its later columns at the end", async () => {
    const file = join(dir, 'order.duckdb');
    const s = await Store.open(file);
    // As in a file migrated from schema 1: failed_hist moved to the end of phases.
    await s.exec('ALTER TABLE phases DROP COLUMN failed_hist');
    await s.exec('ALTER TABLE phases ADD COLUMN failed_hist BLOB');
    s.close();
    const again = await Store.open(file);
    await again.append('phases', [{ run_id: 'r', phase: 'steady', requests: 5, cut_short: true, failed_hist: new Uint8Array([7]) }]);
    const [row] = await again.query<{ requests: number; cut_short: boolean; failed_hist: Uint8Array }>(
      'SELECT requests, cut_short, failed_hist FROM phases',
    );
    expect(row?.requests).toBe(5);
    expect(row?.cut_short).toBe(true);
    expect([...(row?.failed_hist ?? [])]).toEqual([7]);
    again.close();
  });
});
