/**
 * Soak: does anything grow with time at a constant load? Runs the real `headroom run`
 * (orchestrator, pinned worker, the bundled orders service with capture on: cpu + heap
 * profiles, traces at 0.01, runtime metrics) at a constant open-model rate, once per engine
 * (headroom, then autocannon), and prints per interval (a minute by default) the generator's
 * CPU (% of a core, and µs per request at the offered rate), the orchestrator's CPU (it shares
 * the worker's CPU), and the RSS of headroom (the orchestrator), the load workers and the
 * service, all read from /proc. Nothing may grow
 * beyond noise, and at 1,000 req/s the headroom engine's CPU per request must be no higher
 * than autocannon's (issue 16, item 10: it once grew from 36% to 74% of a core in 55 s).
 *
 * The service runs on CPU 0, the orchestrator and the worker on CPU 1 (the scenario pins them,
 * the run verifies it). µs per request divides the worker's CPU time in an interval by the
 * arrivals offered in it; the run's achieved totals are printed after the table as a check.
 *
 * `wrk-paced` (in --engines, on by default) is the floor any evenly paced generator pays on this
 * host: wrk (C, no JavaScript) on one connection with 1 ms of think time after each response,
 * so that, like the open model at ~1,000 req/s, it sleeps between requests and is woken once by
 * its timer and once by the response (~800 req/s here). It loads the same service, started
 * without capture (the generator's CPU per request is what is compared). autocannon paces
 * differently: each connection sends its per-second quota back to back and then idles until
 * its 1-second interval resets the count (autocannon lib/httpClient.js: `rateInterval`,
 * `reqsMadeThisSecond`), so it is woken far less than once per request.
 *
 * --wrk2 <bin> adds wrk2 (github.com/giltene/wrk2, a build of it at <bin>), the open-model C peer: the
 * same rate and the open model's default 64 connections against the same service without capture,
 * each connection on its own even schedule on wrk's 1 ms timers. Its CPU per request covers its
 * 10-s calibration too (it runs 10 s longer); one row for the whole run.
 *
 * --baseline <checkout> adds a first run of the headroom engine from another checkout of
 * headroom (its packages/cli and packages/load), for before/after figures from one invocation.
 *
 *   node_modules/.bin/node bench/load-soak.ts [--minutes 10] [--rate 1000] [--every 60] [--engines headroom,autocannon] [--baseline <dir>] [--wrk2 <bin>]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { printHost } from './lib/host.ts';
import { freePort, waitForHttp } from './lib/net.ts';
import { runWrk2, runWrkPaced, type PeerResult } from './lib/peers.ts';
import { cmdline, cpuUs, descendants, rssMb } from './lib/proc.ts';
import { printTable } from './lib/table.ts';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    rate: { type: 'string', default: '1000' },
    every: { type: 'string', default: '60' },
    engines: { type: 'string', default: 'headroom,autocannon,wrk-paced' },
    baseline: { type: 'string' },
    wrk2: { type: 'string' },
  },
});
const seconds = Math.round(Number(values.minutes) * 60);
const rate = Number(values.rate);
const every = Number(values.every);
const CLI = fileURLToPath(new URL('../packages/cli/bin/headroom.js', import.meta.url));
const SERVICE = fileURLToPath(new URL('../examples/orders/server.ts', import.meta.url));

interface Row {
  at: number;
  genCpu: number;
  genUsPerReq: number;
  headroomCpu: number;
  rssHeadroom: number;
  rssWorkers: number;
  rssService: number;
}
interface Soak {
  engine: string;
  rows: Row[];
  requests: number;
  errors: number;
  p99Ms: number;
  status: string;
  warnings: string[];
}

const whole = (v: number): string => (Number.isNaN(v) ? '—' : v.toFixed(0));
const sum = (xs: (number | null)[]): number => xs.reduce<number>((a, b) => a + (b ?? 0), 0);

async function soak(engine: string, dir: string, cli = CLI, label = engine): Promise<Soak> {
  const port = await freePort();
  const file = join(dir, `soak-${label.replaceAll(/\W/g, '_')}.ts`);
  writeFileSync(
    file,
    `export default ${JSON.stringify(
      {
        name: `soak-${engine}`,
        service: {
          command: ['node', SERVICE],
          env: { PORT: String(port) },
          ready: `http://127.0.0.1:${port}/health`,
          cpus: [0],
          capture: { cpu: true, heap: true, traces: { sample: 0.01 }, runtime: true },
        },
        target: `http://127.0.0.1:${port}`,
        requests: [{ name: 'list', method: 'GET', path: '/orders?limit=10' }],
        workers: { cpus: [1], engine },
        phases: [{ name: 'soak', duration: `${seconds}s`, rate }],
      },
      null,
      2,
    )};\n`,
  );
  const child = spawn(process.execPath, [cli, 'run', file, '--db', join(dir, 'soak.duckdb'), '--json'], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<number | null>((r) => child.on('exit', r));
  const root = child.pid!;
  const rows: Row[] = [];
  // Wait for the worker, then sample every `every` seconds until the phase is over.
  let workers: number[] = [];
  while (workers.length === 0 && child.exitCode === null) {
    await new Promise((r) => setTimeout(r, 100));
    workers = descendants(root).filter((p) => cmdline(p).includes('worker-main'));
  }
  const service = (): number[] => descendants(root).filter((p) => !workers.includes(p) && cmdline(p).includes(SERVICE));
  let prev = sum(workers.map(cpuUs));
  let prevRoot = cpuUs(root) ?? 0;
  const t0 = Date.now();
  for (let k = 1; k * every <= seconds; k++) {
    await new Promise((r) => setTimeout(r, t0 + k * every * 1000 - Date.now()));
    const cpu = sum(workers.map(cpuUs));
    const used = cpu - prev;
    prev = cpu;
    const rootCpu = cpuUs(root) ?? prevRoot;
    const rootUsed = rootCpu - prevRoot;
    prevRoot = rootCpu;
    rows.push({
      at: k * every,
      genCpu: used / (every * 1e6),
      genUsPerReq: used / (rate * every),
      headroomCpu: rootUsed / (every * 1e6),
      rssHeadroom: rssMb(root) ?? NaN,
      rssWorkers: sum(workers.map(rssMb)),
      rssService: sum(service().map(rssMb)),
    });
  }
  const code = await exited;
  if (code !== 0 && code !== 1) throw new Error(`headroom run exited ${code}: ${err}`);
  const r = JSON.parse(out) as {
    status: string;
    warnings: string[];
    phases: { requests: number; errors: number; latencyMs: { p99: number } }[];
  };
  const p = r.phases[0]!;
  return { engine: label, rows, requests: p.requests, errors: p.errors, p99Ms: p.latencyMs.p99, status: r.status, warnings: r.warnings };
}

/** wrk paced by think time (see the header). */
const soakWrkPaced = (): Promise<Soak> =>
  soakC(
    (url) => runWrkPaced(url, 1, 1, seconds, [1]),
    (w) => `wrk-paced (${Math.round(w.rps)} req/s)`,
  );

/** wrk2 at the soak's rate (see the header). */
const soakWrk2 = (bin: string): Promise<Soak> =>
  soakC(
    (url) => runWrk2(bin, url, 64, rate, seconds, [1]),
    (w) => `wrk2 (${Math.round(w.rps)} req/s)`,
  );

/** A C peer against the service without capture: one row for the whole run, from the peer's own totals and its CPU time. */
async function soakC(peer: (url: string) => Promise<PeerResult>, label: (w: PeerResult) => string): Promise<Soak> {
  const port = await freePort();
  const service = spawn('taskset', ['-c', '0', process.execPath, SERVICE], {
    env: { ...process.env, PORT: String(port) },
    stdio: 'ignore',
  });
  try {
    await waitForHttp(`http://127.0.0.1:${port}/health`, 15_000);
    const w = await peer(`http://127.0.0.1:${port}/orders?limit=10`);
    const row: Row = {
      at: seconds,
      genCpu: (w.cpuUsPerReq * w.rps) / 1e6,
      genUsPerReq: w.cpuUsPerReq,
      headroomCpu: NaN,
      rssHeadroom: NaN,
      rssWorkers: NaN,
      rssService: rssMb(service.pid!) ?? NaN,
    };
    return {
      engine: label(w),
      rows: [row],
      requests: Math.round(w.rps * seconds),
      errors: 0,
      p99Ms: w.p99Ms,
      status: 'completed',
      warnings: [],
    };
  } finally {
    service.kill('SIGTERM');
  }
}

printHost();
process.stdout.write(
  `soak: open model ${rate} req/s for ${seconds}s per engine, orders service with capture (cpu, heap, traces 0.01, runtime) on CPU 0; orchestrator and worker on CPU 1\n`,
);
const dir = mkdtempSync(join(tmpdir(), 'headroom-soak-'));
try {
  const results: Soak[] = [];
  if (values.baseline !== undefined)
    results.push(await soak('headroom', dir, join(values.baseline, 'packages/cli/bin/headroom.js'), 'headroom (baseline)'));
  for (const engine of values.engines!.split(',')) results.push(engine === 'wrk-paced' ? await soakWrkPaced() : await soak(engine, dir));
  if (values.wrk2 !== undefined) results.push(await soakWrk2(values.wrk2));
  printTable(
    `per ${every} s`,
    ['engine', 'at s', 'gen % core', 'gen µs/req', 'headroom % core', 'RSS headroom MB', 'RSS workers MB', 'RSS service MB'],
    results.flatMap((s) =>
      s.rows.map((r) => [
        s.engine,
        r.at,
        (100 * r.genCpu).toFixed(1),
        r.genUsPerReq.toFixed(1),
        Number.isNaN(r.headroomCpu) ? '—' : (100 * r.headroomCpu).toFixed(1),
        whole(r.rssHeadroom),
        whole(r.rssWorkers),
        whole(r.rssService),
      ]),
    ),
  );
  const median = (xs: number[]): number => {
    const s = [...xs].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
  };
  printTable(
    'summary',
    ['engine', 'status', 'requests', 'errors', 'p99 ms', 'median µs/req', 'first→last µs/req', 'RSS growth MB h/w/s'],
    results.map((s) => {
      const f = s.rows[0]!;
      const l = s.rows.at(-1)!;
      return [
        s.engine,
        s.status,
        s.requests,
        s.errors,
        s.p99Ms.toFixed(2),
        median(s.rows.map((r) => r.genUsPerReq)).toFixed(1),
        `${f.genUsPerReq.toFixed(1)}→${l.genUsPerReq.toFixed(1)}`,
        `${whole(l.rssHeadroom - f.rssHeadroom)}/${whole(l.rssWorkers - f.rssWorkers)}/${whole(l.rssService - f.rssService)}`,
      ];
    }),
  );
  for (const s of results) for (const w of s.warnings) process.stdout.write(`warning (${s.engine}): ${w}\n`);
  const h = results.find((s) => s.engine === 'headroom');
  const a = results.find((s) => s.engine === 'autocannon');
  if (h && a) {
    const hm = median(h.rows.map((r) => r.genUsPerReq));
    const am = median(a.rows.map((r) => r.genUsPerReq));
    process.stdout.write(`headroom / autocannon CPU per request: ${(hm / am).toFixed(2)}x (target ≤ 1): ${hm <= am ? 'met' : 'NOT met'}\n`);
  }
  const c = results.find((s) => s.engine.startsWith('wrk-paced'));
  if (h && c) {
    const hm = median(h.rows.map((r) => r.genUsPerReq));
    const cm = c.rows[0]!.genUsPerReq;
    process.stdout.write(`headroom / wrk paced (C, woken per request) CPU per request: ${(hm / cm).toFixed(2)}x\n`);
  }
  const w2 = results.find((s) => s.engine.startsWith('wrk2'));
  if (h && w2) {
    const hm = median(h.rows.map((r) => r.genUsPerReq));
    process.stdout.write(
      `headroom / wrk2 (C, open model, even schedule) CPU per request: ${(hm / w2.rows[0]!.genUsPerReq).toFixed(2)}x; p99 ${h.p99Ms.toFixed(2)} vs ${w2.p99Ms.toFixed(2)} ms\n`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
