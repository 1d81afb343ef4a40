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
 *   node_modules/.bin/node bench/forecast-scale.ts [--sizes 250,500,1000,2000] [--reps 7]
 * Run it under `flock /tmp/headroom-measure.lock` so that nothing else competes for the CPU.
 */
import { execFileSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { DAY_MS, eDivisive, forecastSeries, seededRandom } from '@headroom/analysis';
import type { SeriesPoint } from '@headroom/analysis';
import { printTable } from './lib/table.ts';

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '250,500,1000,2000' }, reps: { type: 'string', default: '7' } } });
const sizes = values.sizes.split(',').map(Number);
const reps = Number(values.reps);

function host(): string {
  let model = 'unknown CPU';
  try {
    model = /Model name:\s*(.+)/.exec(execFileSync('lscpu', { encoding: 'utf8' }))?.[1]?.trim() ?? model;
  } catch {
    // lscpu missing: keep "unknown CPU"
  }
  return `${model}, ${availableParallelism()} cores, Node ${process.version}, ${new Date().toISOString()}`;
}

type Shape = 'steps' | 'noise' | 'trend';
function history(shape: Shape, n: number, seed: number): SeriesPoint[] {
  const r = seededRandom(seed);
  const t0 = Date.UTC(2024, 0, 1);
  return Array.from({ length: n }, (_, i) => {
    const g = Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
    const f = i / n;
    const level = shape === 'noise' ? 1.5
      : shape === 'trend' ? 1.8 - 0.5 * f
      : f < 0.3 ? 1.3 : f < 0.55 ? 1.45 : f < 0.8 ? 1.38 : 1.6 - 0.4 * (f - 0.8);
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

console.log(`host: ${host()}`);
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
      shape, String(n), String(found), String(result.changePoints.length),
      whole.median.toFixed(1), `${whole.min.toFixed(1)}–${whole.max.toFixed(1)}`, ed.median.toFixed(1),
    ]);
  }
}
console.log(`load average at end (1 min): ${loadavg()[0]?.toFixed(2)}`);
printTable(`forecastSeries on synthetic histories (199 permutations per test, ${reps} timed runs after a warm-up; ms)`,
  ['history', 'points', 'E-Divisive cps', 'reported cps', 'whole median', 'min–max', 'E-Divisive alone'], rows);
