/**
 * How long `headroom` takes before it does anything: --version, --help, a command's --help,
 * and `runs ls` on a small store (DuckDB opened), each as a fresh process. Prints the median
 * and range of N runs after one warm-up run (which fills Node's compile cache), with `node
 * -e ""` beside them as the floor no Node CLI can beat. Run: node bench/cli-startup.ts [--runs 15]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { hostLine } from './lib/host.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' } } });
const runs = Number(values.runs);
const bin = join(import.meta.dirname, '..', 'packages', 'cli', 'bin', 'headroom.js');
const dir = mkdtempSync(join(tmpdir(), 'headroom-startup-'));
const db = join(dir, 'h.duckdb');

function time(argv: string[]): number[] {
  const out: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, argv, { stdio: 'ignore' });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}`);
    if (i > 0) out.push(ms);
  }
  return out.sort((a, b) => a - b);
}

try {
  // A small store: an empty DuckDB file, which the first `runs ls` migrates to the current schema.
  spawnSync(
    process.execPath,
    [
      '-e',
      `import('@duckdb/node-api').then(async ({ DuckDBInstance }) => { const i = await DuckDBInstance.create(${JSON.stringify(db)}); i.closeSync(); })`,
    ],
    { stdio: 'ignore' },
  );
  const rows: [string, number[], number][] = [
    ['node -e ""', time(['-e', '']), 0],
    ['headroom --version', time([bin, '--version']), 150],
    ['headroom --help', time([bin, '--help']), 150],
    ['headroom run --help', time([bin, 'run', '--help']), 150],
    ['headroom runs ls (small store)', time([bin, 'runs', 'ls', '--db', db]), 400],
  ];
  console.log(hostLine());
  console.log(`${runs} runs each after one warm-up, wall ms`);
  console.log(`${'command'.padEnd(32)} ${'median'.padStart(7)} ${'min'.padStart(7)} ${'max'.padStart(7)}  target`);
  for (const [name, t, target] of rows) {
    const med = t[Math.floor(t.length / 2)] as number;
    console.log(
      `${name.padEnd(32)} ${med.toFixed(0).padStart(7)} ${(t[0] as number).toFixed(0).padStart(7)} ${(t[t.length - 1] as number).toFixed(0).padStart(7)}  ${target ? `< ${target} ${med < target ? 'met' : 'MISSED'}` : ''}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
