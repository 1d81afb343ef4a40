/**
 * `headroom merge` end to end: two real runs of one scenario against a real HTTP server, each
 * stored in its own file and marked as segment i/2 of one execution (runs.config.segment, as
 * `headroom run --segment` stores it), merged into a third store with the real CLI.
 */
import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHistogram, decodeHistogram, summarize } from '@headroom/internal';
import { Store } from '@headroom/store';
import { headroom, query, tempDir, writeScenario } from './helpers.ts';

const START = '2026-12-03T18:40:00.000Z';

let server: Server;
let port: number;
beforeAll(async () => {
  server = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  port = (server.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((res) => server.close(() => res())));

/** Marks the one run in `db` as segment `index`/`count` of an execution started at `startAt`, and optionally renames its scenario. */
async function markSegment(db: string, index: number, count: number, startAt = START, scenario?: string): Promise<void> {
  const store = await Store.open(db);
  try {
    await store.exec('UPDATE runs SET config = json_merge_patch(config, $1::JSON)', [
      JSON.stringify({ segment: { index, count, startAt, workers: 1 }, ...(scenario ? { name: scenario } : {}) }),
    ]);
    if (scenario) await store.exec('UPDATE runs SET scenario = $1', [scenario]);
  } finally {
    store.close();
  }
}

/** A copy of a store file (a second bundle made from real rows). */
function copyStore(from: string, to: string): string {
  copyFileSync(from, to);
  if (existsSync(`${from}.wal`)) copyFileSync(`${from}.wal`, `${to}.wal`);
  return to;
}

describe('headroom merge (end to end)', () => {
  it('merges two segment stores into one run: requests summed, p99 of the exact merge, gates judged; refuses what is not one execution', async () => {
    const dir = tempDir();
    const file = writeScenario(
      dir,
      'seg',
      `{
      name: 'seg',
      target: 'http://127.0.0.1:${port}', requests: [{ path: '/' }], workers: { cpus: [1] },
      phases: [{ name: 'steady', duration: '2s', rate: 40 }],
      thresholds: { 'steady.p99': '< 10s', 'steady.requests': '>= 1000000' },
    }`,
    );
    const a = join(dir, 'seg-0.duckdb');
    const b = join(dir, 'seg-1.duckdb');
    for (const db of [a, b]) {
      const r = await headroom(['run', file, '--db', db, '--json']);
      expect(r.code, r.stderr).toBe(1);
    }
    await markSegment(a, 0, 2);
    await markSegment(b, 1, 2);
    const merged = join(dir, 'merged.duckdb');
    const m = await headroom(['merge', a, b, '--db', merged, '--json']);
    // One threshold passes, one cannot: the merged run's gates are decided, exit 1.
    expect(m.code, m.stderr).toBe(1);
    const out = JSON.parse(m.stdout);
    expect(out.status).toBe('completed');
    expect(out.gates.map((g: { key: string; status: string }) => [g.key, g.status])).toEqual([
      ['steady.p99', 'passed'],
      ['steady.requests', 'failed'],
    ]);
    expect(out.segments.map((s: { index: number; bundle: string }) => [s.index, s.bundle])).toEqual([
      [0, a],
      [1, b],
    ]);

    // What each segment stored, and one histogram of both: the merged phase must be exactly it.
    const seg = async (db: string) =>
      (await query<{ requests: number; hist: Uint8Array }>(db, "SELECT requests, hist FROM phases WHERE phase = 'steady'"))[0]!;
    const [sa, sb] = [await seg(a), await seg(b)];
    const all = createHistogram();
    all.add(decodeHistogram(sa.hist));
    all.add(decodeHistogram(sb.hist));
    const exact = summarize(all);
    const steady = out.phases.find((p: { phase: string }) => p.phase === 'steady');
    expect(steady.requests).toBe(sa.requests + sb.requests);
    expect(steady.latencyMs.p99).toBe(exact.p99Ms);
    expect(steady.latencyMs.p50).toBe(exact.p50Ms);
    const [run] = await query<{ id: string; status: string; gates: string; config: string }>(
      merged,
      'SELECT id, status, gates, config FROM runs',
    );
    expect(run).toMatchObject({ id: out.runId, status: 'completed', gates: 'failed' });
    expect(JSON.parse(run!.config).segments).toMatchObject({ count: 2 });
    const [stored] = await query<{ requests: number; p99_ms: number }>(
      merged,
      `SELECT requests, p99_ms FROM phases WHERE run_id = '${out.runId}'`,
    );
    expect(stored).toEqual({ requests: sa.requests + sb.requests, p99_ms: exact.p99Ms });
    expect(await query(merged, `SELECT key, passed FROM gates WHERE run_id = '${out.runId}' ORDER BY key`)).toEqual([
      { key: 'steady.p99', passed: true },
      { key: 'steady.requests', passed: false },
    ]);

    // A segment as a `runs export` folder, and the terminal summary naming the segments.
    const exported = join(dir, 'seg-1-export');
    expect((await headroom(['runs', 'export', 'seg', '-o', exported, '--db', b])).code).toBe(0);
    const text = await headroom(['merge', a, exported, '--db', merged]);
    expect(text.code, text.stderr).toBe(1);
    expect(text.stdout).toContain(`merged 2 segments started ${START}: 0/2 `);
    expect(text.stdout).toMatch(/steady\.requests >= 1000000/);

    // A refused merge into a store that did not exist leaves none behind (exit 2: nothing ran).
    const fresh = join(dir, 'fresh.duckdb');
    expect((await headroom(['merge', a, '--db', fresh])).code).toBe(2);
    expect(existsSync(fresh)).toBe(false);

    // Refusals: exit 2, what is wrong and what to do.
    const refused = async (args: string[]) => {
      const r = await headroom(['merge', ...args, '--db', merged, '--json']);
      expect(r.code, r.stderr).toBe(2);
      // Without Node's own warnings (it warns when FORCE_COLOR is set around the tests, as Nx sets it).
      const own = r.stderr.replace(/^\(node:\d+\) Warning: .*\n\(Use `node --trace-warnings .*\n/m, '');
      return { code: JSON.parse(r.stdout).error.code as string, stderr: own };
    };
    expect(await refused([a])).toEqual({
      code: 'E_SEGMENTS_INCOMPLETE',
      stderr: `headroom: segment 1/2 is missing: merge needs every segment of the execution (found 0 in ${a})\n`,
    });
    const other = copyStore(b, join(dir, 'other.duckdb'));
    await markSegment(other, 1, 2, START, 'checkout');
    const mismatch = await refused([a, other]);
    expect(mismatch.code).toBe('E_SEGMENT_MISMATCH');
    expect(mismatch.stderr).toContain(`the segments are of different scenarios (seg: 0/2 in ${a}; checkout: 1/2 in ${other})`);
    const late = copyStore(b, join(dir, 'late.duckdb'));
    await markSegment(late, 1, 2, new Date(Date.parse(START) + 37_000).toISOString());
    const skew = await refused([a, late]);
    expect(skew.code).toBe('E_SEGMENT_SKEW');
    expect(skew.stderr).toContain('segments started 37 s apart');
    expect(skew.stderr).toContain('they did not load the target together; run them with the same --start-at');
    writeFileSync(join(dir, 'junk.duckdb'), 'not a store at all');
    expect((await refused([a, join(dir, 'junk.duckdb')])).code).toBe('E_NOT_A_STORE');
    // Two complete executions: listed, and --start-at picks one.
    const later = new Date(Date.parse(START) + 3_600_000).toISOString();
    const [a2, b2] = [copyStore(a, join(dir, 'a2.duckdb')), copyStore(b, join(dir, 'b2.duckdb'))];
    await markSegment(a2, 0, 2, later);
    await markSegment(b2, 1, 2, later);
    for (const db of [a2, b2]) {
      // The copies hold the same run ids as the originals: give them their own, as separate runs would have.
      const s = await Store.open(db);
      await s.exec("UPDATE runs SET id = id || '-2'");
      for (const t of ['phases', 'series', 'gates']) await s.exec(`UPDATE ${t} SET run_id = run_id || '-2'`);
      s.close();
    }
    const ambiguous = await refused([a, b, a2, b2]);
    expect(ambiguous.code).toBe('E_SEGMENTS_AMBIGUOUS');
    expect(ambiguous.stderr).toContain(`  ${START}  seg (segments 0, 1 of 2)`);
    const picked = await headroom(['merge', a, b, a2, b2, '--start-at', later, '--db', merged, '--json']);
    expect(picked.code, picked.stderr).toBe(1);
    expect(JSON.parse(picked.stdout).segments.map((s: { startAt: string }) => s.startAt)).toEqual([later, later]);
    expect(await query(merged, 'SELECT count(*) AS n FROM runs')).toEqual([{ n: 3 }]);
    // merge takes the instants run --start-at takes: a zone-less time is refused, not read in this machine's zone.
    const zoneless = await headroom(['merge', a, b, a2, b2, '--start-at', later.replace(/\.\d+Z$/, ''), '--db', merged]);
    expect(zoneless.code).toBe(2);
    expect(zoneless.stderr).toContain('give its time zone');
    expect(await query(merged, 'SELECT count(*) AS n FROM runs')).toEqual([{ n: 3 }]);
  }, 90_000);
});
