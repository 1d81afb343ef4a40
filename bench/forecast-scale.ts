/**
 * How long `headroom forecast` takes on long histories: the whole analysis of one series
 * (E-Divisive change points with 199 permutations per test, the level-shift check, the trend,
 * the crossing search and the summary), on seeded synthetic histories of a run a day:
 *   steps   — three level shifts then a slow decline, noise SD 2% (a typical history)
 *   noise   — no change at all (one failing permutation test)
 *   trend   — a steady decline over the whole history (worst case: E-Divisive cuts it into
 *             many stairs, each one tested, then the level-shift check drops them again)
 * Prints the host, then median / min / max of `--reps` timed runs per case and size.
 *
 * `--store 1000` then measures the whole command: a DuckDB store is filled (through the store's
 * run-record writer and typed appender) with that many runs of one scenario, a run a day with the
 * 'steps' shape as a phase's p99, and `headroom forecast <scenario> --metric p99:steady --json`
 * is timed as a user runs it (a fresh process: startup, store open, history read, analysis,
 * JSON), next to the history read and the analysis alone, in-process.
 *
 *   node_modules/.bin/node bench/forecast-scale.ts [--sizes 250,500,1000,2000] [--reps 7] [--store 1000]
 * Run it under `flock /tmp/headroom-measure.lock` so that nothing else competes for the CPU.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DAY_MS, eDivisive, forecastSeries, seededRandom } from '@headroom/analysis';
import type { SeriesPoint } from '@headroom/analysis';
import { Store, beginRun, finishRun, readMetricHistory } from '@headroom/store';
import { hostLine } from './lib/host.ts';
import { printTable } from './lib/table.ts';

const { values } = parseArgs({
  options: { sizes: { type: 'string', default: '250,500,1000,2000' }, reps: { type: 'string', default: '7' }, store: { type: 'string' } },
});
const sizes = values.sizes.split(',').map(Number);
const reps = Number(values.reps);

type Shape = 'steps' | 'noise' | 'trend';
function history(shape: Shape, n: number, seed: number): SeriesPoint[] {
  const r = seededRandom(seed);
  const t0 = Date.UTC(2024, 0, 1);
  return Array.from({ length: n }, (_, i) => {
    const g = Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
    const f = i / n;
    const level =
      shape === 'noise'
        ? 1.5
        : shape === 'trend'
          ? 1.8 - 0.5 * f
          : f < 0.3
            ? 1.3
            : f < 0.55
              ? 1.45
              : f < 0.8
                ? 1.38
                : 1.6 - 0.4 * (f - 0.8);
    return { time: t0 + i * DAY_MS, value: level * (1 + 0.02 * g), sha: (0x1000000 + i * 7919).toString(16) };
  });
}

function time(fn: () => void): { median: number; min: number; max: number } {
  fn(); // warm-up (JIT)
  const ms: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return { median: ms[ms.length >> 1] as number, min: ms[0] as number, max: ms.at(-1) as number };
}

console.log(hostLine());
console.log(`load average at start (1 min): ${loadavg()[0]?.toFixed(2)} — other work on the machine widens min–max`);
const rows: string[][] = [];
for (const shape of ['steps', 'noise', 'trend'] as const) {
  for (const n of sizes) {
    const pts = history(shape, n, n);
    let result = forecastSeries(pts, { budget: 1.3, horizon: '90d' });
    const whole = time(() => {
      result = forecastSeries(pts, { budget: 1.3, horizon: '90d' });
    });
    let found = 0;
    const ed = time(() => {
      found = eDivisive(pts.map((p) => p.value)).length;
    });
    rows.push([
      shape,
      String(n),
      String(found),
      String(result.changePoints.length),
      whole.median.toFixed(1),
      `${whole.min.toFixed(1)}–${whole.max.toFixed(1)}`,
      ed.median.toFixed(1),
    ]);
  }
}
console.log(`load average at end (1 min): ${loadavg()[0]?.toFixed(2)}`);
printTable(
  `forecastSeries on synthetic histories (199 permutations per test, ${reps} timed runs after a warm-up; ms)`,
  ['history', 'points', 'E-Divisive cps', 'reported cps', 'whole median', 'min–max', 'E-Divisive alone'],
  rows,
);

/** Fills a store with `n` runs of scenario 'scale' (a run a day, p99 of 'steady' shaped like the 'steps' history). */
async function fillStore(db: string, n: number): Promise<void> {
  const store = await Store.open(db);
  try {
    for (const p of history('steps', n, n)) {
      const id = `run-${String(p.time)}`;
      await beginRun(store, {
        id,
        kind: 'load',
        scenario: 'scale',
        file: '/scale.ts',
        startedAt: p.time,
        gitSha: p.sha ?? null,
        gitDirty: false,
        gitBranch: 'main',
        version: '0.1.0',
        host: 'h',
        cpuModel: 'cpu',
        cpuCount: 2,
        nodeVersion: process.version,
        serviceCpus: [0],
        workerCpus: [1],
        config: { name: 'scale' },
      });
      await store.append('phases', [
        { run_id: id, phase: 'warmup', ordinal: 0, warmup: true, p99_ms: 50 },
        { run_id: id, phase: 'steady', ordinal: 1, warmup: false, p99_ms: 10 * p.value, achieved_rate: 1000 },
      ]);
      await finishRun(store, id, { status: 'completed', endedAt: p.time + 60_000, error: null, warnings: [], gates: null, pinning: [] });
    }
  } finally {
    store.close();
  }
}

async function timeAsync(fn: () => Promise<void>): Promise<{ median: number; min: number; max: number }> {
  await fn();
  const ms: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return { median: ms[ms.length >> 1] as number, min: ms[0] as number, max: ms.at(-1) as number };
}

if (values.store !== undefined) {
  const n = Number(values.store);
  const dir = mkdtempSync(join(tmpdir(), 'headroom-forecast-scale-'));
  try {
    const db = join(dir, 'scale.duckdb');
    const filled = performance.now();
    await fillStore(db, n);
    console.log(`\nfilled a store with ${n} runs in ${((performance.now() - filled) / 1000).toFixed(1)}s`);
    const bin = resolve(import.meta.dirname, '../packages/cli/bin/headroom.js');
    let out = '';
    const command = await timeAsync(async () => {
      const r = spawnSync(process.execPath, [bin, 'forecast', 'scale', '--metric', 'p99:steady', '--budget', '13', '--json', '--db', db], {
        encoding: 'utf8',
      });
      if (r.status !== 0) throw new Error(`headroom forecast exited ${r.status}: ${r.stderr}`);
      out = r.stdout;
    });
    const j = JSON.parse(out) as { points: number; changePoints: unknown[] };
    const store = await Store.open(db, { readOnly: true });
    let pts: SeriesPoint[] = [];
    const read = await timeAsync(async () => {
      pts = (await readMetricHistory(store, 'scale', { kind: 'p99', phase: 'steady' })).points.map((p) => ({
        time: p.time,
        value: p.value,
        sha: p.gitSha ?? '',
      }));
    });
    const analysis = await timeAsync(async () => {
      forecastSeries(pts, { budget: 13, horizon: '90d', direction: 'above' });
    });
    store.close();
    printTable(
      `headroom forecast on a store of ${n} runs (${reps} timed runs after a warm-up; ms)`,
      ['step', 'median', 'min–max'],
      [
        ['whole command (new process)', command.median.toFixed(0), `${command.min.toFixed(0)}–${command.max.toFixed(0)}`],
        ['history read (in-process)', read.median.toFixed(1), `${read.min.toFixed(1)}–${read.max.toFixed(1)}`],
        ['analysis (in-process)', analysis.median.toFixed(1), `${analysis.min.toFixed(1)}–${analysis.max.toFixed(1)}`],
      ],
    );
    console.log(`points ${j.points}, change points ${j.changePoints.length}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
