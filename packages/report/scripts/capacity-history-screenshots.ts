/**
 * The report's capacity and trend screenshots in docs/report, from real runs:
 *   1. a real capacity run: packages/report/scripts/capacity-short.ts (scenarios/capacity.ts
 *      with 2-s steps; ~20 s), reported with `headroom report` (which computes the capacity
 *      analysis when `headroom capacity` was not run);
 *   2. a small real history: scripts/make-history.ts (orders-history run at 8 "commits", the
 *      last 4 with ORDERS_EXTRA_CPU_US of busy CPU per request; ~105 s), its latest run reported;
 *   3. both reports opened in Debian's chromium (playwright-core) at 1280×800, and the whole
 *      capacity and trend sections shot to docs/report/real-capacity.png and real-trend.png.
 * Measurements: run it under the lock, on a quiet machine.
 *   flock /tmp/headroom-measure.lock node_modules/.bin/node packages/report/scripts/capacity-history-screenshots.ts
 *       [--out docs/report] [--work <dir, default a temp dir>] [--commits 8] [--extra-us 1500] [--only capacity|trend]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { shootSections } from './shoot-sections.ts';

const REPO = resolve(import.meta.dirname, '../../..');
const BIN = join(REPO, 'packages/cli/bin/headroom.js');
const { values } = parseArgs({
  options: {
    out: { type: 'string', default: 'docs/report' },
    work: { type: 'string' },
    commits: { type: 'string', default: '8' },
    'extra-us': { type: 'string', default: '1500' },
    only: { type: 'string' },
  },
});
const only = values.only;
if (only !== undefined && only !== 'capacity' && only !== 'trend') {
  console.error('--only takes capacity or trend');
  process.exit(2);
}
const out = resolve(values.out);
const work = values.work ? resolve(values.work) : mkdtempSync(join(tmpdir(), 'headroom-shots-'));
mkdirSync(work, { recursive: true });
mkdirSync(out, { recursive: true });

/** Runs a command in the repository; exits when it fails (exit 1, a failed gate, is a complete run: its data is real). */
function run(argv: string[], env: Record<string, string> = {}): string {
  const r = spawnSync(process.execPath, argv, { cwd: REPO, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  if (r.status !== 0 && r.status !== 1) {
    console.error(`${argv.join(' ')} exited ${r.status}\n${r.stderr}${r.stdout}`);
    process.exit(3);
  }
  return r.stdout;
}

if (only !== 'trend') {
  const capacityDb = join(work, 'capacity.duckdb');
  const { runId } = JSON.parse(run([BIN, 'run', 'packages/report/scripts/capacity-short.ts', '--db', capacityDb, '--json'])) as {
    runId: string;
  };
  console.log(`capacity run ${runId} in ${capacityDb}`);
  const capacityHtml = join(work, 'capacity.html');
  run([BIN, 'report', runId, '-o', capacityHtml, '--db', capacityDb]);
  for (const path of await shootSections(readFileSync(capacityHtml, 'utf8'), out, { only: ['capacity'], prefix: 'real-', whole: true }))
    console.log(path);
}

if (only !== 'capacity') {
  const historyDb = join(work, 'history.duckdb');
  const commits = values.commits;
  process.stdout.write(
    run([
      'scripts/make-history.ts',
      '--db',
      historyDb,
      '--commits',
      commits,
      '--regress-at',
      String(Math.floor(Number(commits) / 2)),
      '--extra-us',
      values['extra-us'],
    ]),
  );
  const historyHtml = join(work, 'history.html');
  run([BIN, 'report', 'orders-history', '-o', historyHtml, '--db', historyDb]);
  for (const path of await shootSections(readFileSync(historyHtml, 'utf8'), out, { only: ['trend'], prefix: 'real-', whole: true }))
    console.log(path);
}
console.log(`reports and stores kept in ${work}`);
