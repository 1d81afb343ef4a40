/**
 * Builds a history for `headroom forecast` from real runs of the bundled orders service:
 * scenarios/orders-history.ts is run once per "commit", and from `--regress-at` on the service
 * gets ORDERS_EXTRA_CPU_US of busy CPU per request (a regression by construction). Every run
 * is a real, complete `headroom run` (service started and pinned, load, runtime metrics,
 * stored); only the commits are simulated: one checkout, with the sha and branch each run
 * records named through $HEADROOM_GIT_SHA and $HEADROOM_GIT_BRANCH (invented shas, clean tree).
 * The runs are minutes apart, not releases apart, so read the trend per release (`--per release`).
 *
 *   flock /tmp/headroom-measure.lock node_modules/.bin/node scripts/make-history.ts [--db results/orders-history.duckdb]
 *       [--commits 12] [--regress-at 6] [--extra-us 400] [--scenario scenarios/orders-history.ts]
 * then: headroom forecast orders-history --metric cpu-per-request --per release --db results/orders-history.duckdb
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const REPO = resolve(import.meta.dirname, '..');
const BIN = join(REPO, 'packages/cli/bin/headroom.js');
const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'results/orders-history.duckdb' },
    commits: { type: 'string', default: '12' },
    'regress-at': { type: 'string', default: '6' },
    'extra-us': { type: 'string', default: '400' },
    keep: { type: 'boolean', default: false },
    // Another scenario of the bundled orders service (e.g. a capacity scenario, for a history of headroom).
    scenario: { type: 'string', default: 'scenarios/orders-history.ts' },
  },
});
const commits = Number(values.commits);
const regressAt = Number(values['regress-at']);
const extraUs = Number(values['extra-us']);
if (!(commits >= 4) || !(regressAt >= 0) || !(extraUs >= 0)) {
  console.error('usage: make-history.ts [--db file] [--commits n>=4] [--regress-at i] [--extra-us us] [--keep]');
  process.exit(2);
}
const db = resolve(values.db);
// A fresh history unless asked to add to one.
if (!values.keep) for (const f of [db, `${db}.wal`]) rmSync(f, { force: true });

const t0 = performance.now();
for (let i = 0; i < commits; i++) {
  const sha = createHash('sha1').update(`orders-history-example-commit-${i}`).digest('hex');
  const extra = i >= regressAt ? extraUs : 0;
  const started = performance.now();
  const r = spawnSync(process.execPath, [BIN, 'run', values.scenario, '--db', db, '--json'], {
    cwd: REPO,
    encoding: 'utf8',
    env: {
      ...process.env,
      NO_COLOR: '1',
      HEADROOM_GIT_SHA: sha,
      HEADROOM_GIT_BRANCH: 'main',
      HEADROOM_GIT_DIRTY: '0',
      ORDERS_EXTRA_CPU_US: String(extra),
    },
  });
  const secs = ((performance.now() - started) / 1000).toFixed(1);
  // Exit 1 is a failed threshold: the run is complete and its data is real.
  if (r.status !== 0 && r.status !== 1) {
    console.error(`commit ${i + 1}/${commits} (${sha.slice(0, 7)}): headroom run exited ${r.status}\n${r.stderr}`);
    process.exit(3);
  }
  const run = JSON.parse(r.stdout) as { runId: string };
  console.log(`commit ${i + 1}/${commits} ${sha.slice(0, 7)}  ORDERS_EXTRA_CPU_US=${extra}  run ${run.runId}  ${secs}s`);
}
console.log(`${commits} runs in ${((performance.now() - t0) / 1000).toFixed(0)}s, stored in ${db}`);
console.log(`next: headroom forecast orders-history --metric cpu-per-request --per release --db ${values.db}`);
