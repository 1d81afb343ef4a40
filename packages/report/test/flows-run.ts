/**
 * A real scripted run for the report's tests, set up as the CLI's flows e2e test sets up its
 * own: a local HTTP server in this process, a flows scenario in a temp folder, the real
 * `headroom run` into a temp DuckDB file, read back through the store (the folder is removed then).
 *
 * - `session` logs in and reads /data twice (20 ms each), so in the open phase its 2 VUs cannot
 *   keep up with 100 arrivals a second and arrivals are dropped;
 * - `fragile` reads /banner, whose body is markup, and fails every iteration: one in three
 *   throws with the body in its message (an HTML-injection attempt that must stay text in the
 *   report), the others parse it as JSON, which throws a SyntaxError. The first one throws the
 *   rarer message, so "most frequent first" differs from the order they were kept in;
 * - `tail` is never finished: a flow kills its own worker 2.5 s into it (after its first
 *   progress rows), so the run fails and `tail` is stored partial, with no flow rows.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readReportRows, Store, type ReportRows, type Row } from '@headroom/store';
import { REPO } from './capture-run.ts';

const BIN = join(REPO, 'packages/cli/bin/headroom.js');
/** The body /banner answers with: what a hostile or broken upstream could send. */
export const BANNER = '<img src=x onerror=alert(1)><script>alert(2)</script>';

/** What the flows run left in the store. */
export interface FlowsRun {
  rows: ReportRows;
  /** `phase_flows` as stored, queried with SQL (not through the report's reader). */
  flows: Omit<Row<'phase_flows'>, 'hist'>[];
  /** The exit code of `headroom run`. */
  code: number | null;
  stderr: string;
}

function scenario(url: string): string {
  return `import { defineScenario } from '@headroom/core';
// Set at the first iteration of this worker: warmup (1 s) and steady (2 s) come before tail.
let first = 0;
let fragile = 0;
export default defineScenario({
  name: 'report-flows',
  target: '${url}',
  workers: { cpus: [1] },
  flows: {
    session: { weight: 3, fn: async (vu) => {
      if (first === 0) first = Date.now();
      else if (Date.now() - first > 5500) process.kill(process.pid, 'SIGKILL');
      const r = await vu.post('/login', { json: { user: 'u' + vu.id }, name: 'login' });
      const auth = { authorization: 'Bearer ' + r.json().token };
      await vu.get('/data', { headers: auth, name: 'data' });
      await vu.get('/data', { headers: auth, name: 'data' });
    } },
    fragile: async (vu) => {
      const r = await vu.get('/banner', { name: 'banner' });
      if (fragile++ % 3 === 0) throw new Error('upstream said ' + r.text());
      r.json();
    },
  },
  phases: [
    { name: 'warmup', duration: '1s', connections: 2 },
    { name: 'steady', duration: '2s', rate: 100, connections: 1, maxVus: 2 },
    { name: 'tail', duration: '20s', connections: 2 },
  ],
});
`;
}

/** The real CLI, asynchronously: the server it loads lives in this process's event loop. */
function runCli(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: REPO,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

/** Runs the flows scenario against a server of its own and returns what the store holds of it. */
export async function flowsRun(): Promise<FlowsRun> {
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/login') {
      req.resume();
      req.on('end', () => res.end(JSON.stringify({ token: 't' })));
    } else if (path === '/data') setTimeout(() => res.end('{"id":1}'), 20);
    else if (path === '/banner') res.end(BANNER);
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const dir = mkdtempSync(join(tmpdir(), 'headroom-report-flows-'));
  const db = join(dir, 'run.duckdb');
  const file = join(dir, 'flows.ts');
  writeFileSync(file, scenario(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  let r: { code: number | null; stderr: string };
  try {
    r = await runCli(['run', file, '--db', db]);
  } finally {
    server.close();
  }
  const store = await Store.open(db, { readOnly: true });
  try {
    const [run] = await store.query<{ id: string }>('SELECT id FROM runs');
    const rows = await readReportRows(store, run!.id);
    const flows = await store.query<FlowsRun['flows'][number]>(
      'SELECT * EXCLUDE (hist) FROM phase_flows WHERE run_id = $1 ORDER BY phase, flow',
      [run!.id],
    );
    return { rows: rows!, flows, code: r.code, stderr: r.stderr };
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
