import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store, beginRun, finishRun } from '@headroom/store';
import type { RunBegin } from '@headroom/store';
import { headroom, tempDir } from './helpers.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 5);

/** A seeded normal deviate stream (Park–Miller LCG + Box–Muller): the same CSV every time. */
function gaussian(seed: number): () => number {
  let s = seed;
  const u = () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

/**
 * Known by construction: headroom 1.30 for 30 runs (every 3 days), a release lifts it to 1.55
 * on day 90, then it declines 0.002/day, so the true crossing of 1.3 is day 90 + 0.25/0.002 =
 * day 215 (2026-08-08). Noise SD 0.02.
 */
function shiftThenDeclineCsv(seed: number): string {
  const g = gaussian(seed);
  const rows = Array.from({ length: 60 }, (_, i) => {
    const day = 3 * i;
    const truth = i < 30 ? 1.3 : 1.55 - 0.002 * (day - 90);
    return `${new Date(T0 + day * DAY).toISOString().slice(0, 10)},${(truth + 0.02 * g()).toFixed(4)},c${(1000 + i).toString(16)}`;
  });
  return ['time,value,sha', ...rows].join('\n');
}

describe('headroom forecast --series (end to end)', () => {
  it('finds the level shift and dates the crossing of a series whose true crossing is known', async () => {
    const dir = tempDir();
    const file = join(dir, 'headroom.csv');
    writeFileSync(file, shiftThenDeclineCsv(7));
    const r = await headroom(['forecast', '--series', file, '--budget', '1.3', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j)).toEqual(['points', 'changePoints', 'trend', 'forecast', 'crossing', 'summary']);
    expect(j.points).toBe(60);
    expect(j.changePoints.map((c: { index: number; sha: string }) => [c.index, c.sha])).toEqual([[30, 'c406']]);
    expect(j.changePoints[0].changePct).toBeGreaterThan(10);
    expect(j.trend.from).toBe('2026-04-05T00:00:00.000Z');
    expect(j.trend.slopePerDay).toBeLessThan(0);
    const trueCrossing = T0 + 215 * DAY;
    expect(Math.abs(Date.parse(j.crossing.time) - trueCrossing) / DAY).toBeLessThan(21);
    expect(Date.parse(j.crossing.low)).toBeLessThan(Date.parse(j.crossing.time));
    expect(Date.parse(j.crossing.high)).toBeGreaterThan(Date.parse(j.crossing.time));
    expect(j.summary).toMatch(/falls below the 1\.30 budget on 2026-0[78]-\d\d \(80%: /);

    const text = await headroom(['forecast', '--series', file, '--budget', '1.3']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/30 +2026-04-05 +c406 +1\.\d+ +◀ change/);
    expect(text.stdout).toMatch(/crossing +below 1\.3 on 2026-0[78]/);
    const md = await headroom(['forecast', '--series', file, '--budget', '1.3', '--markdown']);
    expect(md.stdout).toContain('| 30 | 2026-04-05 | `c406` | 1.');
    expect(md.stdout).toMatch(/\*\*change 1\.[23]\d* → 1\.4\d* \(\+1\d\.\d%, p=0\.00\d+\)\*\*/);
  });

  it('--direction above: the same series mirrored (2.6 - v, a latency-like rise) crosses 1.3 from below on the same day', async () => {
    const dir = tempDir();
    const file = join(dir, 'rising.csv');
    const [head, ...rows] = shiftThenDeclineCsv(7).split('\n');
    writeFileSync(
      file,
      [head, ...rows.map((r) => r.split(',')).map(([t, v, sha]) => `${t},${(2.6 - Number(v)).toFixed(4)},${sha}`)].join('\n'),
    );
    const r = await headroom(['forecast', '--series', file, '--budget', '1.3', '--direction', 'above', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(Math.abs(Date.parse(j.crossing.time) - (T0 + 215 * DAY)) / DAY).toBeLessThan(21);
    expect(j.summary).toMatch(/rises above the 1\.30 budget on 2026-0[78]-\d\d/);
    // Without it, a rising series is read as breaking the budget from below: already past, which is wrong here.
    const wrong = JSON.parse((await headroom(['forecast', '--series', file, '--budget', '1.3', '--json'])).stdout);
    expect(wrong.summary).not.toMatch(/rises above/);
  });

  it('exits 2 with the line number of a value that is not a number', async () => {
    const dir = tempDir();
    const file = join(dir, 'bad.csv');
    writeFileSync(file, 'time,value\n2026-01-01,1.2\n2026-01-02,1.3\n2026-01-03,n/a\n2026-01-04,1.1\n');
    const r = await headroom(['forecast', '--series', file, '--json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('line 4: value "n/a" is not a number');
    expect(JSON.parse(r.stdout).error.code).toBe('E_VALIDATION');
  });

  it('says how many points a trend needs when there are too few, and exits 0', async () => {
    const dir = tempDir();
    const file = join(dir, 'few.csv');
    writeFileSync(file, 'time,value\n2026-01-01,1.2\n2026-01-08,1.3\n2026-01-15,1.25\n');
    const r = await headroom(['forecast', '--series', file, '--budget', '1', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ points: 3, trend: null, forecast: null, crossing: null });
    expect(j.summary).toContain('no trend: 3 points, at least 4 are needed');
    expect(r.stderr).toContain('note: no trend: 3 points, at least 4 are needed');
  });

  it('with --traffic, forecasts headroom = capacity / peak: flat capacity against peaks growing 10%/month runs out when theory says', async () => {
    const dir = tempDir();
    const capacity = join(dir, 'capacity.csv');
    const peaks = join(dir, 'peaks.csv');
    // Capacity 2000 req/s, unchanged; observed peaks 1000 req/s on 2026-03-01 growing 10% a month
    // (compounding daily): headroom 2.0 then falls below 1.3 after ln(2/1.3)/ln(1.1) = 4.52 months = 137.6 days.
    const g = gaussian(5);
    const day = (d: number) => new Date(Date.UTC(2026, 2, 1) + d * DAY).toISOString().slice(0, 10);
    writeFileSync(
      capacity,
      ['time,value', ...Array.from({ length: 10 }, (_, i) => `${day(6 * i - 54)},${(2000 * (1 + 0.01 * g())).toFixed(1)}`)].join('\n'),
    );
    const perDay = Math.log(1.1) / (365.25 / 12);
    writeFileSync(
      peaks,
      [
        'time,rate',
        ...Array.from({ length: 12 }, (_, i) => `${day(5 * i - 55)},${(1000 * Math.exp(perDay * (5 * i - 55))).toFixed(2)}`),
      ].join('\n'),
    );
    const r = await headroom(['forecast', '--series', capacity, '--traffic', peaks, '--budget', '1.3', '--horizon', '1y', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.changePoints).toEqual([]);
    const expected = Date.UTC(2026, 2, 1) + 137.6 * DAY;
    expect(Math.abs(Date.parse(j.crossing.time) - expected) / DAY).toBeLessThan(10);
    expect(j.summary).toMatch(/10\.0%\/month traffic growth it falls below the 1\.30 budget/);
  });

  it('turns bad arguments into usage errors (exit 2, E_OPTION_VALUE)', async () => {
    const dir = tempDir();
    const file = join(dir, 'h.csv');
    writeFileSync(file, shiftThenDeclineCsv(1));
    for (const args of [
      ['--horizon', '3 months'],
      ['--horizon', '90d', '--per', 'release'],
      ['--traffic', file],
    ]) {
      const r = await headroom(['forecast', '--series', file, ...args, '--json']);
      expect(r.code, args.join(' ')).toBe(2);
      expect(JSON.parse(r.stdout).error.code, args.join(' ')).toMatch(/E_OPTION_VALUE|E_VALIDATION/);
    }
    const metric = await headroom(['forecast', 'orders', '--metric', 'p99', '--db', join(dir, 'none.duckdb')]);
    expect(metric.code).toBe(2);
    expect(metric.stderr).toContain('p99 needs a phase, e.g. p99:steady');
  });
});

describe('headroom forecast <scenario> (end to end, store-backed)', () => {
  const begin = (id: string, day: number, o: Partial<RunBegin> = {}): RunBegin => ({
    id,
    kind: 'load',
    scenario: 'orders',
    file: '/scenarios/orders.ts',
    startedAt: T0 + day * DAY,
    gitSha: `${(0xa000 + day).toString(16)}beef`,
    gitDirty: false,
    gitBranch: 'main',
    version: '0.1.0',
    host: 'h',
    cpuModel: 'EPYC',
    cpuCount: 2,
    nodeVersion: 'v24',
    serviceCpus: [0],
    workerCpus: [1],
    config: { name: 'orders', slo: { p99Ms: 12 } },
    ...o,
  });

  it("follows a phase's p99 over clean completed runs, marks the regression, and takes the budget from the scenario's SLO", async () => {
    const dir = tempDir();
    const db = join(dir, 'h.duckdb');
    const store = await Store.open(db);
    const g = gaussian(3);
    const runs: Array<{ id: string; day: number; p99: number; dirty?: boolean; status?: string }> = [];
    for (let i = 0; i < 14; i++) runs.push({ id: `r${String(i).padStart(2, '0')}`, day: 2 * i, p99: (i < 7 ? 5 : 8) * (1 + 0.02 * g()) });
    runs.push({ id: 'rdirty', day: 9, p99: 40, dirty: true }, { id: 'rfail', day: 11, p99: 90, status: 'failed' });
    for (const r of runs) {
      await beginRun(store, begin(r.id, r.day, { gitDirty: r.dirty ?? false }));
      await store.append('phases', [
        { run_id: r.id, phase: 'warmup', ordinal: 0, warmup: true, p99_ms: 30 },
        { run_id: r.id, phase: 'steady', ordinal: 1, warmup: false, p99_ms: r.p99, achieved_rate: 1000 },
      ]);
      await finishRun(store, r.id, {
        status: r.status ?? 'completed',
        endedAt: T0 + r.day * DAY + 30_000,
        error: null,
        warnings: [],
        gates: null,
        pinning: [],
      });
    }
    store.close();

    const j = await headroom(['forecast', 'orders', '--metric', 'p99:steady', '--json', '--db', db]);
    expect(j.code, j.stderr).toBe(0);
    const out = JSON.parse(j.stdout);
    expect(out.points).toBe(14);
    expect(out.changePoints.map((c: { index: number; sha: string }) => [c.index, c.sha])).toEqual([[7, 'a00ebeef']]);
    expect(out.changePoints[0].changePct).toBeGreaterThan(50);
    expect(out.trend.from).toBe(new Date(T0 + 14 * DAY).toISOString());
    expect(j.stderr).toContain("budget 12.0ms from the scenario's slo.p99");
    expect(j.stderr).toContain('runs left out: 1 from a dirty tree (--include-dirty), 1 not completed (--include-failed)');
    expect(out.summary).toMatch(
      /^p99 of steady went from 5\.\d+ms \(a000bee, 2026-01-05\) to 8\.\d+ms \(a01abee, 2026-01-31\); it changed from 5\.\d+ms to 8\.\d+ms \(\+\d+\.\d%\)/,
    );

    const text = await headroom(['forecast', 'orders', '--metric', 'p99:steady', '--db', db]);
    expect(text.stdout).toMatch(/7 +2026-01-19 +a00ebee +main +\d\.\d\dms +◀ change 5\.\d+ms → 8\.\d+ms/);
    expect(text.stdout).toContain('r07');

    const all = await headroom([
      'forecast',
      'orders',
      '--metric',
      'p99:steady',
      '--include-dirty',
      '--include-failed',
      '--json',
      '--db',
      db,
    ]);
    expect(JSON.parse(all.stdout).points).toBe(16);

    const missing = await headroom(['forecast', 'payments', '--db', db, '--json']);
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.stdout).error).toMatchObject({ code: 'E_NO_RUNS' });
    expect(missing.stderr).toContain('scenarios with runs: orders');

    const noCapacity = await headroom(['forecast', 'orders', '--db', db]);
    expect(noCapacity.code).toBe(0);
    expect(noCapacity.stdout).toContain('run headroom capacity <run> on the runs first');
  });

  it('--leak reports a memory slope within a run: a steady 6 MB/hour growth over an hour is a suspected leak, flat memory is not', async () => {
    const dir = tempDir();
    const db = join(dir, 'h.duckdb');
    const store = await Store.open(db);
    const g = gaussian(11);
    await beginRun(store, begin('soak', 0));
    await store.append('phases', [{ run_id: 'soak', phase: 'soak', parent: 'soak', ordinal: 0, warmup: false, duration_s: 3600 }]);
    // RSS grows 6 MB/hour with a GC-like sawtooth and noise; the used heap stays flat.
    await store.append(
      'series',
      Array.from({ length: 3600 }, (_, s) => ({
        run_id: 'soak',
        second: s,
        phase: 'soak',
        sut_rss_mb: 120 + (6 * s) / 3600 + 2 * ((s % 37) / 37) + 0.3 * g(),
        sut_heap_mb: 40 + 3 * ((s % 53) / 53) + 0.3 * g(),
      })),
    );
    await finishRun(store, 'soak', { status: 'completed', endedAt: T0 + 3_600_000, error: null, warnings: [], gates: null, pinning: [] });
    store.close();
    const r = await headroom(['forecast', '--leak', 'soak', '--json', '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({
      run: 'soak',
      phase: 'soak',
      durationS: 3600,
      rss: { status: 'suspected-leak' },
      heap: { status: 'no-leak' },
    });
    expect(j.rss.mbPerHour).toBeGreaterThan(5);
    expect(j.rss.mbPerHour).toBeLessThan(7);
    expect(j.rss.low).toBeLessThan(6);
    expect(j.rss.high).toBeGreaterThan(6);
    const text = await headroom(['forecast', '--leak', 'latest', '--db', db]);
    expect(text.stdout).toMatch(/RSS +\+\d\.\d\d MB\/hour \(95%: .*SUSPECTED LEAK/);
    const bad = await headroom(['forecast', '--leak', 'soak', '--phase', 'steady', '--db', db]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('its phases: soak');
  });
});
