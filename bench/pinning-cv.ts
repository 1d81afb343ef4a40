/**
 * Does CPU pinning make microbenchmark repetitions more repeatable? Measures the coefficient
 * of variation (sd / mean) across repetitions of one task, 2×2:
 *   pinned (taskset -c <last CPU>) vs unpinned (every CPU allowed)
 *   × the other CPU idle vs loaded by a busy-loop process pinned to CPU 0.
 * Each repetition is a fresh process (headroom's process isolation). Conditions alternate in
 * rounds so slow drift of the machine spreads over all four.
 *
 *   node_modules/.bin/node bench/pinning-cv.ts [--rounds 4] [--runs 5]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadBench, runBench, type RepetitionResult } from '@headroom/bench';
import { printHost } from './lib/host.ts';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '4' }, runs: { type: 'string', default: '5' } } });
const rounds = Number(values.rounds);
const runs = Number(values.runs);
const cpuCount = availableParallelism();
if (cpuCount < 2) throw new Error('needs at least 2 CPUs: one for the load, one for the bench');
const benchCpu = cpuCount - 1;
const all = Array.from({ length: cpuCount }, (_, i) => i);

printHost();
const workload = await loadBench(fileURLToPath(new URL('./pinning-workload.ts', import.meta.url)));

function startBusyLoop(): Promise<ChildProcess> {
  const child = spawn('taskset', ['-c', '0', process.execPath, '-e', 'process.send("up"); for (;;) {}'], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('message', () => resolve(child));
  });
}

async function stopBusyLoop(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

type Key = `${'pinned' | 'unpinned'}/${'idle' | 'loaded'}`;
const results = new Map<Key, RepetitionResult[]>();
const loads: number[] = [];

for (let round = 1; round <= rounds; round++) {
  for (const other of ['idle', 'loaded'] as const) {
    const busy = other === 'loaded' ? await startBusyLoop() : undefined;
    try {
      for (const pin of ['pinned', 'unpinned'] as const) {
        const cpus = pin === 'pinned' ? [benchCpu] : all;
        const r = await runBench({ ...workload, runs, cpus });
        const ok = r.repetitions.filter((x): x is RepetitionResult => x.status === 'ok');
        const key: Key = `${pin}/${other}`;
        results.set(key, [...(results.get(key) ?? []), ...ok]);
        loads.push(loadavg()[0] ?? 0);
        process.stderr.write(`round ${round}/${rounds} ${key}: ${ok.length} repetitions\n`);
      }
    } finally {
      if (busy) await stopBusyLoop(busy);
    }
  }
}

const cv = (xs: number[]) => {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1));
  return (sd / mean) * 100;
};
const med = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const cell = (key: Key, stat: 'medianNs' | 'meanNs') => {
  const reps = results.get(key) ?? [];
  const xs = reps.map((r) => r[stat]);
  const share = med(reps.map((r) => r.cpuShare)) * 100;
  return `${cv(xs).toFixed(1)}% (${(med(xs) / 1000).toFixed(1)}µs, cpu ${share.toFixed(0)}%, n=${xs.length})`;
};

console.log(
  `\nCoefficient of variation across repetitions of ${workload.tasks[0]}, each in a fresh process; bench CPU ${benchCpu}, load = busy loop on CPU 0.`,
);
console.log(
  `${rounds} rounds × ${runs} repetitions per condition; 1-min load average during the runs: ${Math.min(...loads).toFixed(2)}-${Math.max(...loads).toFixed(2)}.\n`,
);
for (const stat of ['medianNs', 'meanNs'] as const) {
  console.log(
    `CV of each repetition's ${stat === 'medianNs' ? 'median' : 'mean'} per-iteration time (brackets: median over repetitions of that time and of the worker's CPU share)`,
  );
  const rows = [
    ['', 'other CPU idle', 'other CPU loaded'],
    ...(['pinned', 'unpinned'] as const).map((p) => [p, cell(`${p}/idle`, stat), cell(`${p}/loaded`, stat)]),
  ];
  const w = [0, 1, 2].map((i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(w[i] ?? 0)).join('   '));
  console.log('');
}
