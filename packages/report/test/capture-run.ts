/**
 * A real capture run for the report's tests: the quickstart with CPU/heap profiles and traces
 * on, run with the real `headroom` CLI into a temp store, then read back as ReportData.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Store, resolveRunRef } from '@headroom/store';
import { readReportRows, type ReportRows } from '@headroom/store';

export const REPO = resolve(import.meta.dirname, '../../..');
const BIN = join(REPO, 'packages/cli/bin/headroom.js');
export const CAPTURE_SCENARIO = 'packages/report/scripts/quickstart-capture.ts';

/** Runs the capture scenario (or reuses HEADROOM_REPORT_TEST_DB) and returns the rows of its latest run. */
export async function captureRunRows(): Promise<ReportRows> {
  let db = process.env['HEADROOM_REPORT_TEST_DB'];
  if (!db) {
    db = join(mkdtempSync(join(tmpdir(), 'headroom-report-run-')), 'run.duckdb');
    const r = spawnSync(process.execPath, [BIN, 'run', CAPTURE_SCENARIO, '--db', db], {
      cwd: REPO,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    // Exit 1 is a failed threshold (the quickstart's p99 gate on a busy machine): the run is stored and reportable.
    if (r.status !== 0 && r.status !== 1) throw new Error(`headroom run failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  const store = await Store.open(db, { readOnly: true });
  try {
    const rows = await readReportRows(store, await resolveRunRef(store, 'latest'));
    if (!rows) throw new Error(`no run in ${db}`);
    return rows;
  } finally {
    store.close();
  }
}
