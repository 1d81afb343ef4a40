/**
 * The report's capacity and trend screenshots in docs/report, from real runs:
 *   1. a small real history of capacity runs: scripts/make-history.ts runs
 *      packages/report/scripts/capacity-short.ts (scenarios/capacity.ts with 2-s steps, ~20 s a
 *      run) at 6 "commits", the last 3 with ORDERS_EXTRA_CPU_US of busy CPU per request in the
 *      service (a regression by construction);
 *   2. the latest run reported with `headroom report` (which computes each run's capacity
 *      analysis, as `headroom capacity` was not run): its capacity section, and the trend of the
 *      scenario's capacity headroom against the headroom budget;
 *   3. the report opened in Debian's chromium (playwright-core) at 1280×800, and the whole
 *      capacity and trend sections shot to docs/report/real-capacity.png and real-trend.png.
 * Measurements: run it under the lock, on a quiet machine (~2.5 minutes).
 *   flock /tmp/headroom-measure.lock node_modules/.bin/node packages/report/scripts/capacity-history-screenshots.ts
 *       [--out docs/report] [--work <dir, default a temp dir>] [--commits 6] [--extra-us 150]
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
    commits: { type: 'string', default: '6' },
    'extra-us': { type: 'string', default: '150' },
  },
});
const out = resolve(values.out);
const work = values.work ? resolve(values.work) : mkdtempSync(join(tmpdir(), 'headroom-shots-'));
mkdirSync(work, { recursive: true });
mkdirSync(out, { recursive: true });

/** Runs a command in the repository; exits when it fails. */
function run(argv: string[]): string {
  const r = spawnSync(process.execPath, argv, { cwd: REPO, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  if (r.status !== 0) {
    console.error(`${argv.join(' ')} exited ${r.status}\n${r.stderr}${r.stdout}`);
    process.exit(3);
  }
  return r.stdout;
}

const db = join(work, 'capacity-history.duckdb');
const commits = values.commits;
const regressAt = String(Math.floor(Number(commits) / 2));
process.stdout.write(
  run([
    'scripts/make-history.ts',
    '--scenario',
    'packages/report/scripts/capacity-short.ts',
    '--db',
    db,
    '--commits',
    commits,
    '--regress-at',
    regressAt,
    '--extra-us',
    values['extra-us'],
  ]),
);
const html = join(work, 'report.html');
run([BIN, 'report', 'orders-capacity', '-o', html, '--db', db]);
for (const path of await shootSections(readFileSync(html, 'utf8'), out, { only: ['capacity', 'trend'], prefix: 'real-', whole: true }))
  console.log(path);
console.log(`the store and the report are kept in ${work}`);
