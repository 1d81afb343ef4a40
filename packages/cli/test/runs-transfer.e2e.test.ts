import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { headroom, query, tempDir, writeScenario } from './helpers.ts';

describe('headroom runs export / import (end to end)', () => {
  it("carries a scenario's runs to a fresh store through Parquet, where compare uses them as the baseline", async () => {
    const dir = tempDir();
    const main = join(dir, 'main.duckdb');
    const pr = join(dir, 'pr.duckdb');
    const file = join(dir, 'tiny.bench.ts');
    writeFileSync(
      file,
      `import { defineBench } from '@headroom/core';\nexport default defineBench({ name: 'tiny', cpus: [1], runs: 2, time: '20ms', warmup: '5ms', tasks: { sum: () => [1, 2, 3].reduce((a, b) => a + b, 0) } });\n`,
    );
    expect((await headroom(['bench', file, '--db', main])).code).toBe(0);
    const exp = await headroom(['runs', 'export', 'tiny', '-o', join(dir, 'base'), '--json', '--db', main]);
    expect(exp.code, exp.stderr).toBe(0);
    const e = JSON.parse(exp.stdout);
    expect(e.runs).toHaveLength(1);
    expect(e.rows).toMatchObject({ runs: 1, bench_reps: 2 });
    expect(e.rows.bench_samples).toBeGreaterThan(2);

    expect((await headroom(['bench', file, '--db', pr])).code).toBe(0);
    const imp = await headroom(['runs', 'import', join(dir, 'base'), '--db', pr]);
    expect(imp.code, imp.stderr).toBe(0);
    expect(imp.stdout).toContain('imported 1 run from');
    const [{ n }] = (await query<{ n: number }>(pr, `SELECT count(*) AS n FROM bench_samples WHERE run_id = '${e.runs[0]}'`)) as [
      { n: number },
    ];
    expect(n).toBe(e.rows.bench_samples);
    const cmp = await headroom(['compare', e.runs[0], 'latest', '--json', '--db', pr]);
    expect(cmp.code, cmp.stderr).toBe(0);
    expect(JSON.parse(cmp.stdout).comparisons[0].rows[0].name).toBe('sum');
    const bad = await headroom(['runs', 'import', join(dir, 'nowhere'), '--db', pr]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('no runs.parquet');

    // The folder reused for another export (a load run: no bench tables) keeps none of the bench export's files,
    // and importing it adds no row of a run it does not name.
    const load = writeScenario(
      dir,
      'refused',
      `{ name: 'refused', target: 'http://127.0.0.1:1', requests: [{ path: '/' }], phases: [{ name: 's', duration: '1s', rate: 5 }] }`,
    );
    expect((await headroom(['run', load, '--db', main])).code).toBe(3);
    expect((await headroom(['runs', 'export', 'refused', '-o', join(dir, 'base'), '--db', main])).code).toBe(0);
    expect(existsSync(join(dir, 'base', 'bench_samples.parquet'))).toBe(false);
    const fresh = join(dir, 'fresh.duckdb');
    expect((await headroom(['runs', 'import', join(dir, 'base'), '--db', fresh])).code).toBe(0);
    expect(await query<{ n: number }>(fresh, 'SELECT count(*) AS n FROM bench_samples')).toEqual([{ n: 0 }]);
    // A damaged file (a truncated CI artifact) is bad input naming the file, not an unexpected error.
    mkdirSync(join(dir, 'broken'));
    writeFileSync(join(dir, 'broken', 'runs.parquet'), 'x');
    const broken = await headroom(['runs', 'import', join(dir, 'broken'), '--json', '--db', fresh]);
    expect(broken.code).toBe(2);
    expect(JSON.parse(broken.stdout).error.code).toBe('E_BAD_EXPORT');
    expect(broken.stderr).toContain(`${join(dir, 'broken', 'runs.parquet')} is not a readable Parquet file`);
  }, 60_000);
});
