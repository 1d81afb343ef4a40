import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { headroom, query, tempDir } from './helpers.ts';

/** Go's benchmark text format as `go test -bench . -count 6` prints it. */
function goBench(nsPerOp: number[], extra = ''): string {
  return [
    'goos: linux',
    'goarch: amd64',
    'pkg: example.com/orders',
    'cpu: Intel(R) Xeon(R)',
    ...nsPerOp.map((v, i) => `BenchmarkEncode-8   \t 1000000\t      ${v} ns/op\t     ${48 + (i % 2)} B/op\t       2 allocs/op`),
    extra,
    'PASS',
    'ok  \texample.com/orders\t12.3s',
  ].join('\n');
}

describe('headroom bench and compare (end to end)', () => {
  it('runs a bench file in pinned fresh processes, stores reps and raw samples, and compares two bench runs', async () => {
    const dir = tempDir();
    const db = join(dir, 'h.duckdb');
    const file = join(dir, 'tiny.bench.ts');
    writeFileSync(
      file,
      `import { defineBench } from '@headroom/core';
const data = Array.from({ length: 200 }, (_, i) => (i * 7919) % 1000);
export default defineBench({
  name: 'tiny', cpus: [1], runs: 3, time: '50ms', warmup: '10ms',
  tasks: { sort: () => [...data].sort((a, b) => a - b), sum: () => data.reduce((s, v) => s + v, 0) },
});\n`,
    );
    const a = await headroom(['bench', file, '--json', '--db', db], { env: { HEADROOM_GIT_BRANCH: 'feature-x' } });
    expect(a.code, a.stderr).toBe(0);
    const out = JSON.parse(a.stdout);
    expect(out.status).toBe('completed');
    expect(out.tasks.map((t: { task: string; runs: number }) => [t.task, t.runs])).toEqual([
      ['sort', 3],
      ['sum', 3],
    ]);
    const reps = await query<{ task: string; repetition: number; pid: number; cpus: string }>(
      db,
      `SELECT task, repetition, pid, cpus FROM bench_reps WHERE run_id = '${out.runId}' ORDER BY repetition, task`,
    );
    expect(reps).toHaveLength(6);
    expect(new Set(reps.map((r) => r.pid)).size).toBe(6); // fresh process per repetition
    expect(reps.every((r) => r.cpus === '[1]')).toBe(true);
    const [{ n }] = (await query<{ n: number }>(db, `SELECT count(*) AS n FROM bench_samples WHERE run_id = '${out.runId}'`)) as [
      { n: number },
    ];
    expect(n).toBeGreaterThan(6 * 16);
    const [run] = await query<{ kind: string; status: string; git_sha: string; git_branch: string }>(
      db,
      `SELECT kind, status, git_sha, git_branch FROM runs WHERE id = '${out.runId}'`,
    );
    expect(run).toMatchObject({ kind: 'bench', status: 'completed', git_branch: 'feature-x' });

    const b = await headroom(['bench', file, '--json', '--db', db]);
    expect(b.code).toBe(0);
    const cmp = await headroom(['compare', 'latest~1', 'latest', '--json', '--db', db]);
    expect(cmp.code, cmp.stderr).toBe(0);
    const c = JSON.parse(cmp.stdout);
    const rows = c.comparisons[0].rows;
    expect(rows.map((r: { name: string }) => r.name).sort()).toEqual(['sort', 'sum']);
    // 3 runs per side can never reach p <= 0.05 (smallest exact p is 0.1): headroom must say so instead of guessing.
    expect(rows.every((r: { verdict: string }) => r.verdict === 'insufficient')).toBe(true);

    // A side with nothing in common with the other is refused, not shown as all "missing" with exit 0.
    const go = join(dir, 'go.txt');
    writeFileSync(go, goBench([100, 101, 102]));
    const none = await headroom(['compare', go, 'latest', '--json', '--db', db]);
    expect(none.code).toBe(2);
    expect(JSON.parse(none.stdout).error.code).toBe('E_COMPARE_MISMATCH');
    expect(none.stderr).toContain('no benchmark is on both sides (baseline Encode (ns/op)');
    // A range whose ends are runs of different scenarios is refused, naming both.
    const other = join(dir, 'other.bench.ts');
    writeFileSync(
      other,
      `import { defineBench } from '@headroom/core';\nexport default defineBench({ name: 'other', cpus: [1], runs: 1, time: '20ms', tasks: { noop: () => 0 } });\n`,
    );
    expect((await headroom(['bench', other, '--db', db])).code).toBe(0);
    const range = await headroom(['compare', 'latest~2..latest', 'latest', '--force', '--db', db]);
    expect(range.code).toBe(2);
    expect(range.stderr).toMatch(
      /a range spans runs of one kind and scenario, but \S+ is a bench run of "tiny" and \S+ a bench run of "other"/,
    );
    // A missing file is named as a file, not looked up as a run.
    const missing = await headroom(['compare', join(dir, 'nope.json'), 'latest', '--json', '--db', db]);
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.stdout).error.code).toBe('E_FILE_NOT_FOUND');
    expect(missing.stderr).toContain(`no file ${join(dir, 'nope.json')}`);
  });

  it('compares Go benchmark files like benchstat and fails the regression gate only on a significant slowdown', async () => {
    const dir = tempDir();
    const old = join(dir, 'old.txt');
    const slower = join(dir, 'new.txt');
    const same = join(dir, 'same.txt');
    writeFileSync(old, goBench([1000, 1010, 990, 1005, 995, 1002]));
    writeFileSync(slower, goBench([1200, 1210, 1190, 1205, 1195, 1202]));
    writeFileSync(same, goBench([1001, 1009, 991, 1004, 996, 1003]));
    const r1 = await headroom(['compare', old, slower, '--fail-on', 'regression', '--db', join(dir, 'none.duckdb')]);
    expect(r1.code).toBe(1);
    // medians 1001 → 1201 ns/op; exact two-sided p for 6 vs 6 fully separated samples = 2/C(12,6) = 0.0022.
    expect(r1.stdout).toMatch(/Encode\s.*\+19\.98% \(p=0\.002 n=6\+6\)/);
    expect(r1.stderr).toContain('regression gate failed');
    const r2 = await headroom(['compare', old, same, '--fail-on', 'regression', '--db', join(dir, 'none.duckdb')]);
    expect(r2.code).toBe(0);
    expect(r2.stdout).toMatch(/Encode\s.*~/);
    const md = await headroom(['compare', old, slower, '--markdown', '--db', join(dir, 'none.duckdb')]);
    expect(md.stdout).toContain('| Encode |');
  });

  it('compares sets of load runs with runs as the unit, and bad input exits 2 with the fix', async () => {
    const dir = tempDir();
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"unit": "ns/op", "benchmarks": {"x": ["fast"]}}');
    const r = await headroom(['compare', bad, bad, '--db', join(dir, 'none.duckdb')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/benchmarks/);
    const r2 = await headroom(['compare', 'latest~1', 'latest', '--db', join(dir, 'none.duckdb')]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/--db/);
  });

  it('checks what it compares: other scenarios need --force (or latest:<name>), failed runs never compare, one run a side fails only the labelled --max-change guard', async () => {
    const dir = tempDir();
    const db = join(dir, 'h.duckdb');
    const bench = (name: string, body: string) => {
      const file = join(dir, `${name}.bench.ts`);
      writeFileSync(
        file,
        `import { defineBench } from '@headroom/core';\nexport default defineBench({ name: '${name}', cpus: [1], runs: 2, time: '20ms', warmup: '5ms', tasks: { ${body} } });\n`,
      );
      return file;
    };
    const tiny = bench('tiny', 'sum: () => [1, 2, 3].reduce((a, b) => a + b, 0)');
    expect((await headroom(['bench', tiny, '--db', db])).code).toBe(0);
    expect((await headroom(['bench', bench('other', 'sum: () => Math.max(1, 2, 3)'), '--db', db])).code).toBe(0);
    const mixed = await headroom(['compare', 'latest~1', 'latest', '--json', '--db', db]);
    expect(mixed.code).toBe(2);
    expect(JSON.parse(mixed.stdout).error.code).toBe('E_COMPARE_MISMATCH');
    expect(mixed.stderr).toContain('different scenarios (tiny, other)');
    expect((await headroom(['compare', 'latest~1', 'latest', '--force', '--db', db])).code).toBe(0);
    expect((await headroom(['bench', tiny, '--db', db])).code).toBe(0);
    const scoped = await headroom(['compare', 'latest~1:tiny', 'latest:tiny', '--json', '--db', db]);
    expect(scoped.code, scoped.stderr).toBe(0);
    expect(JSON.parse(scoped.stdout).comparisons[0].rows[0].name).toBe('sum');

    const broken = bench('broken', "boom: () => { throw new Error('boom'); }");
    expect((await headroom(['bench', broken, '--db', db])).code).toBe(3);
    const failed = await headroom(['compare', 'latest~1', 'latest', '--scenario', 'tiny', '--db', db]);
    expect(failed.code).toBe(0); // --scenario scopes latest: both sides are tiny runs
    const withFailed = await headroom(['compare', 'latest:tiny', 'latest:broken', '--force', '--db', db]);
    expect(withFailed.code).toBe(2);
    expect(withFailed.stderr).toMatch(/run \S+ is failed, not completed/);

    const a = join(dir, 'a.json');
    const b = join(dir, 'b.json');
    writeFileSync(a, JSON.stringify({ unit: 'ms', benchmarks: { p99: [6.7] } }));
    writeFileSync(b, JSON.stringify({ unit: 'ms', benchmarks: { p99: [4680] } }));
    const unguarded = await headroom(['compare', a, b, '--fail-on', 'regression', '--db', db]);
    expect(unguarded.code).toBe(0);
    expect(unguarded.stderr).toContain('too few runs to judge significance');
    const guarded = await headroom(['compare', a, b, '--fail-on', 'regression', '--max-change', '20%', '--db', db]);
    expect(guarded.code).toBe(1);
    expect(guarded.stderr).toMatch(/p99 ms \+69\d{3}\.\d% \(beyond --max-change 20%, not a significance test\)/);
  });

  it("bench --profile: each repetition's V8 profile, of the task alone, is readable by profile top as a wall profile per task and repetition", async () => {
    const dir = tempDir();
    const db = join(dir, 'h.duckdb');
    const file = join(dir, 'prof.bench.ts');
    writeFileSync(
      file,
      `import { defineBench } from '@headroom/core';
function fib(n: number): number { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
export default defineBench({ name: 'prof', cpus: [1], runs: 1, time: '200ms', warmup: '20ms', tasks: { fib: () => fib(18) } });\n`,
    );
    const b = await headroom(['bench', file, '--profile', '--db', db]);
    expect(b.code, b.stderr).toBe(0);
    const top = await headroom(['profile', 'top', 'latest', '--type', 'wall', '--phase', 'fib#1', '--json', '--db', db]);
    expect(top.code, top.stderr).toBe(0);
    const rows = (JSON.parse(top.stdout) as { rows: { function: string; file: string; self_pct: number }[] }).rows;
    // The profile holds the task's warm-up and measurement only: fib is most of it (it was ~2% when the whole
    // worker was profiled, start-up and the TypeScript strip included), and no start-up code is in it.
    expect(rows.find((r) => r.function === 'fib')?.self_pct).toBeGreaterThan(0.7);
    expect(rows.filter((r) => /amaro|node:internal\/modules/.test(r.file))).toEqual([]);
    // Thread isolation: each repetition's worker thread profiles itself, named by task and repetition too.
    writeFileSync(file, readFileSync(file, 'utf8').replace('runs: 1,', "runs: 1, isolation: 'thread',"));
    const t = await headroom(['bench', file, '--profile', '--db', db]);
    expect(t.code, t.stderr).toBe(0);
    const ttop = await headroom(['profile', 'top', 'latest', '--type', 'wall', '--phase', 'fib#1', '--json', '--db', db]);
    expect(ttop.code, ttop.stderr).toBe(0);
    expect(
      (JSON.parse(ttop.stdout) as { rows: { function: string; self_pct: number }[] }).rows.find((r) => r.function === 'fib')?.self_pct,
    ).toBeGreaterThan(0.7);
  });
});
