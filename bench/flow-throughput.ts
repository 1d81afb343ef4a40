/**
 * Scripted flows against nginx, side by side in one run (issue 14, item 7): a 3-request flow
 * (POST /login answering a token, then two GETs carrying it as a bearer header, which nginx
 * checks) run by headroom's scripted engine and by Artillery 2, each pinned to the same CPU,
 * and headroom's static fast path sending the same three requests as a fixed mix. nginx is
 * pinned to CPU 0, every generator to CPU 1.
 *
 * Open model for both flow engines: `--rate` flow iterations a second for `--seconds`
 * (3 requests each). Reported per engine: achieved req/s over the time it really took (an
 * engine that falls behind its schedule takes longer than --seconds), CPU per request (GNU
 * time for Artillery, the worker's own per-second CPU for headroom), p99, and what it did
 * not send on time (headroom: late sends and dropped iterations).
 *
 * Artillery is not a dependency of headroom: install it for this benchmark only, outside the repo:
 *   mkdir -p /tmp/artillery-bench && cd /tmp/artillery-bench &&
 *   PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --ignore-scripts artillery@2
 *
 *   node_modules/.bin/node bench/flow-throughput.ts [--rate 1500] [--fast-rate 8000] [--seconds 5] [--artillery /tmp/artillery-bench]
 *     [--node-args=--cpu-prof] [--skip-artillery]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { validateScenario } from '@headroom/core';
import { createHistogram, importDefault, mergeEncoded, summarize } from '@headroom/internal';
import { planWorkers } from '@headroom/load';
import { printHost } from './lib/host.ts';
import { startNginx } from './lib/nginx.ts';
import { pinned } from './lib/pin.ts';
import { ms, printTable } from './lib/table.ts';
import { runPlans } from './lib/worker-harness.ts';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '1500' },
    'fast-rate': { type: 'string', default: '8000' },
    seconds: { type: 'string', default: '5' },
    artillery: { type: 'string', default: '/tmp/artillery-bench' },
    'skip-artillery': { type: 'boolean', default: false },
    /** Extra Node flags for headroom's workers, e.g. `--node-args=--cpu-prof` or `--node-args=--trace-gc`. */
    'node-args': { type: 'string', default: '' },
  },
});
const rate = Number(values.rate);
/** Flows a second for headroom's second flow run: past 10x what Artillery sustains here (~940 req/s, issue 14). */
const fastRate = Number(values['fast-rate']);
const seconds = Number(values.seconds);
const nodeArgs = values['node-args'] === '' ? [] : values['node-args'].split(' ');
const SUT_CPU = [0];
const GEN_CPU = [1];
const TOKEN = 't0k3n-abc';
const LOCATIONS = `
    location = /login { default_type application/json; return 200 '{"token":"${TOKEN}"}'; }
    location /api/ { if ($http_authorization != "Bearer ${TOKEN}") { return 401; } default_type application/json; return 200 '{"ok":true}'; }`;

interface Row {
  engine: string;
  rps: number;
  wallS: number;
  cpuUsPerReq: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  errors: number;
  behind: string;
}

const dir = mkdtempSync(join(tmpdir(), 'headroom-flow-bench-'));

/** A headroom scenario file (flows need a file: the worker imports it), validated and planned as the runner does. */
async function headroomRun(name: string, body: string): Promise<Row> {
  const file = join(dir, `${name.replace(/[^\w]+/g, '-')}.ts`);
  writeFileSync(file, `import { defineScenario } from '@headroom/core';\nexport default defineScenario(${body});\n`);
  const { value: raw } = await importDefault(file, { kind: 'scenario', example: 'export default defineScenario({...})' });
  const scenario = validateScenario(raw, { file, cpuCount: 2 });
  const plans = planWorkers(scenario, 1, Date.now() + 2000);
  const res = await runPlans(plans, { cpus: GEN_CPU, nodeArgs });
  if (res.fatal !== null) throw new Error(res.fatal);
  const end = res.phaseEnds.find((e) => e.phase === 'load')!;
  const hist = createHistogram();
  mergeEncoded(hist, end.hist);
  const cpuS = res.ticks.filter((t) => t.phase === 'load').reduce((s, t) => s + t.cpu, 0);
  const wallS = (end.endedAt - end.startedAt) / 1000;
  const dropped = (end.flows ?? []).reduce((s, f) => s + f.dropped, 0);
  // Late shares are of arrivals: with flows, the iterations started (their later requests follow responses, on no schedule).
  const sends = end.flows !== undefined ? end.offered : end.requests;
  const failed = (end.flows ?? []).reduce((s, f) => s + f.failed, 0);
  for (const w of res.warnings) process.stdout.write(`  ${name}: ${w}\n`);
  return {
    engine: name,
    rps: end.requests / wallS,
    wallS,
    cpuUsPerReq: (cpuS * 1e6) / end.requests,
    p50Ms: summarize(hist).p50Ms,
    p99Ms: summarize(hist).p99Ms,
    requests: end.requests,
    errors: Object.values(end.errors).reduce((a, b) => a + (b ?? 0), 0) + failed,
    behind:
      end.offered > 0 || dropped > 0
        ? `${pct(end.lateBeyondResolution, sends)} of ${end.flows !== undefined ? 'iterations started' : 'sends'} >2ms late (${pct(end.lateSends, sends)} >1ms), ${dropped} dropped`
        : '-',
  };
}

function pct(n: number, of: number): string {
  return `${((100 * n) / Math.max(1, of)).toFixed(2)}%`;
}

/**
 * Artillery 2 running the same flow, pinned, under GNU time; its JSON report gives requests and
 * p99. Its start-up alone takes seconds of CPU here, so the CPU of a run with one arrival is
 * measured first and taken off: CPU per request is the load's, not the start-up's.
 */
async function artilleryRun(url: string): Promise<Row> {
  const idle = await artilleryOnce(url, 1, 1);
  const load = await artilleryOnce(url, seconds, rate);
  const cpuS = load.cpuS - idle.cpuS;
  return { ...load.row, cpuUsPerReq: (cpuS * 1e6) / Math.max(1, load.row.requests) };
}

async function artilleryOnce(url: string, seconds: number, rate: number): Promise<{ row: Row; cpuS: number }> {
  const bin = join(values.artillery, 'node_modules/artillery/bin/run');
  if (!existsSync(bin)) throw new Error(`Artillery not found at ${bin}: see the install line at the top of this file`);
  const config = join(dir, 'artillery.yml');
  const report = join(dir, 'artillery.json');
  writeFileSync(
    config,
    `config:
  target: "${url}"
  phases:
    - duration: ${seconds}
      arrivalRate: ${rate}
scenarios:
  - flow:
      - post:
          url: "/login"
          json: { user: "u" }
          capture: { json: "$.token", as: "token" }
      - get:
          url: "/api/a"
          headers: { authorization: "Bearer {{ token }}" }
      - get:
          url: "/api/b"
          headers: { authorization: "Bearer {{ token }}" }
`,
  );
  const [cmd, args] = pinned(GEN_CPU, ['/usr/bin/time', '-f', 'RUSAGE %U %S %e', process.execPath, bin, 'run', '--output', report, config]);
  const err = await new Promise<string>((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ARTILLERY_DISABLE_TELEMETRY: 'true' } });
    let e = '';
    child.stderr.on('data', (d: Buffer) => (e += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(e) : reject(new Error(`artillery exited ${code}: ${e.slice(-2000)}`))));
  });
  const m = /RUSAGE ([\d.]+) ([\d.]+) ([\d.]+)/.exec(err);
  const cpuS = m ? Number(m[1]) + Number(m[2]) : NaN;
  const elapsedS = m ? Number(m[3]) : NaN;
  const agg = (
    JSON.parse(readFileSync(report, 'utf8')) as {
      aggregate: {
        counters: Record<string, number>;
        summaries: Record<string, { p50: number; p99: number }>;
        firstCounterAt?: number;
        lastCounterAt?: number;
      };
    }
  ).aggregate;
  const requests = agg.counters['http.requests'] ?? 0;
  const responses = agg.counters['http.responses'] ?? 0;
  const ok = agg.counters['http.codes.200'] ?? 0;
  // The time the load really took: from the first to the last counter Artillery recorded (start-up excluded).
  const wallS =
    agg.firstCounterAt !== undefined && agg.lastCounterAt !== undefined ? (agg.lastCounterAt - agg.firstCounterAt) / 1000 : elapsedS;
  return {
    cpuS,
    row: {
      engine: 'artillery 2',
      rps: responses / wallS,
      wallS,
      cpuUsPerReq: (cpuS * 1e6) / Math.max(1, requests),
      p50Ms: agg.summaries['http.response_time']?.p50 ?? NaN,
      p99Ms: agg.summaries['http.response_time']?.p99 ?? NaN,
      requests: responses,
      errors: responses - ok + (agg.counters['vusers.failed'] ?? 0),
      behind: `took ${wallS.toFixed(1)}s for ${seconds}s of arrivals (process ${elapsedS.toFixed(1)}s incl. start-up)`,
    },
  };
}

printHost();
const nginx = await startNginx(SUT_CPU, undefined, { locations: LOCATIONS });
const rows: Row[] = [];
try {
  const flow = `{
    name: 'flow', target: '${nginx.url}',
    flows: { login: async (vu) => {
      const r = await vu.post('/login', { json: { user: 'u' }, name: 'login' });
      const headers = { authorization: 'Bearer ' + r.json().token };
      await vu.get('/api/a', { headers, name: 'a' });
      await vu.get('/api/b', { headers, name: 'b' });
    } },`;
  rows.push(
    await headroomRun(
      'headroom flow',
      `${flow} phases: [{ name: 'warmup', duration: '2s', rate: ${rate}, connections: 32, maxVus: 512, warmup: true }, { name: 'load', duration: '${seconds}s', rate: ${rate}, connections: 32, maxVus: 512 }] }`,
    ),
  );
  rows.push(
    await headroomRun(
      `headroom flow @${fastRate}/s`,
      `${flow} phases: [{ name: 'warmup', duration: '2s', rate: ${fastRate}, connections: 256, maxVus: 2048, warmup: true }, { name: 'load', duration: '${seconds}s', rate: ${fastRate}, connections: 256, maxVus: 2048 }] }`,
    ),
  );
  rows.push(
    await headroomRun(
      'headroom static',
      `{ name: 'static', target: '${nginx.url}',
        requests: [{ method: 'POST', path: '/login', json: { user: 'u' } }, { path: '/api/a', headers: { authorization: 'Bearer ${TOKEN}' } }, { path: '/api/b', headers: { authorization: 'Bearer ${TOKEN}' } }],
        phases: [{ name: 'load', duration: '${seconds}s', rate: ${rate * 30}, connections: 64 }] }`,
    ),
  );
  if (!values['skip-artillery']) rows.push(await artilleryRun(nginx.url));
} finally {
  await nginx.stop();
  rmSync(dir, { recursive: true, force: true });
}
printTable(
  `3-request flow (login → token → 2 GETs with it), open model: ${rate} flows/s (${rate * 3} req/s), and ${fastRate} flows/s for ${seconds}s; static: the same 3 requests at ${rate * 30 * 1} req/s offered; nginx on CPU ${SUT_CPU.join(',')}, every generator on CPU ${GEN_CPU.join(',')}`,
  ['engine', 'req/s', 'took s', 'CPU µs/req', 'p50 ms', 'p99 ms', 'requests', 'errors', 'behind schedule'],
  rows.map((r) => [
    r.engine,
    Math.round(r.rps),
    r.wallS.toFixed(1),
    r.cpuUsPerReq.toFixed(1),
    ms(r.p50Ms),
    ms(r.p99Ms),
    r.requests,
    r.errors,
    r.behind,
  ]),
);
const art = rows.find((r) => r.engine === 'artillery 2');
const best = rows.find((r) => r.engine === `headroom flow @${fastRate}/s`);
if (art !== undefined && best !== undefined)
  process.stdout.write(
    `\nheadroom flows / Artillery: ${(best.rps / art.rps).toFixed(1)}x req/s, ${(art.cpuUsPerReq / best.cpuUsPerReq).toFixed(1)}x less CPU per request (target >= 10x, on schedule)\n`,
  );
