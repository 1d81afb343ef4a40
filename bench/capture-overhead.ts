/**
 * Overhead of capture on a Node HTTP service: the same closed-loop load (autocannon, fixed
 * connections) against bench/capture-server.ts with capture off and on (cpu + heap profiles,
 * traces at sample 0.01, runtime metrics). Each repetition starts a fresh off and on server and
 * loads them in alternation (off/on/off/on…, first side swapped every rep); the services are
 * pinned to CPU 0, the generator (and this script, which hosts the receivers) to CPU 1.
 * With --design paired (default) both servers are loaded at the same time, sharing CPU 0, so
 * whatever else the machine does hits both alike (throughput is then per half a CPU); with
 * --design alternate they are loaded one after the other, each with CPU 0 to itself.
 * Reports medians of throughput, p99 and the service's CPU time per request (from
 * /proc/<pid>/stat; steadier than throughput on a shared machine), and the median of the paired
 * on/off ratios with its distribution-free 95% interval (order statistics, as benchstat gives):
 * a cost target is met when the interval's far end is inside it.
 * With --profiler perf the CPU profile is taken by Linux perf from outside (as
 * `service.capture.cpu: { profiler: 'perf' }` does: the service gets --perf-basic-prof, perf runs
 * on CPU 1 with this script), and the CPU time of the perf processes per second is reported too.
 * Run: node bench/capture-overhead.ts [--reps 5] [--slices 2] [--duration 5] [--parts cpu,heap,traces,runtime] [--hz 49]
 *   [--heap-interval 1048576] [--profiler agent|perf] [--design paired|alternate] [--work N] [--rate N] [--json]
 * With --rate N each service is loaded at N req/s instead of as fast as it answers (see below).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { medianCI } from '../packages/analysis/src/median-ci.ts';
import { PERF_NODE_FLAGS, checkPerf, startCapture, type CaptureSession } from '../packages/capture/src/index.ts';
import { captureOf, load as loadSync, loadAsync as loadAsyncOn, pinScriptToCpu1, startService } from './lib/capture-service.ts';
import { hostLine, stealCell, withSteal, type BenchSteal } from './lib/host.ts';
import { threadCpuNs } from './lib/proc.ts';

const { values: args } = parseArgs({
  options: {
    reps: { type: 'string', default: '5' },
    duration: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '5' },
    slices: { type: 'string', default: '2' },
    work: { type: 'string', default: '0' },
    design: { type: 'string', default: 'paired' },
    connections: { type: 'string', default: '16' },
    rate: { type: 'string' },
    parts: { type: 'string', default: 'cpu,heap,traces,runtime' },
    sample: { type: 'string', default: '0.01' },
    hz: { type: 'string' },
    'heap-interval': { type: 'string' },
    profiler: { type: 'string', default: 'agent' },
    json: { type: 'boolean', default: false },
  },
});
const REPS = Number(args.reps);
const byPerf = args.profiler === 'perf';
if (args.profiler !== 'agent' && !byPerf) throw new Error(`--profiler: 'agent' or 'perf', not ${args.profiler}`);
const perfSetup = byPerf ? checkPerf() : undefined;
const parts = new Set(args.parts!.split(','));
const log = (m: string) => process.stderr.write(`${m}\n`);

// This script hosts the receivers: keep it off the service's CPU.
log(hostLine());
pinScriptToCpu1();

interface Measure {
  mode: 'off' | 'on';
  rps: number;
  p99: number;
  errors: number;
  cpuUsPerReq: number;
  mainUsPerReq: number;
  /** CPU µs per request of each thread, by thread name (from schedstat, ns resolution). */
  threads: Map<string, number>;
  slice: number;
}

/**
 * utime + stime in µs, from /proc/<pid>/stat (fields 14 and 15, clock ticks of 1/100 s): of the
 * whole process, or with `main` of its main thread only (/proc/<pid>/task/<pid>/stat). A Node
 * service's throughput is bound by its main thread; the profiler's and the agent's own threads
 * run beside it, on other cores where the host has them (here they share CPU 0).
 */
function cpuUs(pid: number, main = false): number {
  const stat = readFileSync(main ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * 10_000;
}

// With --rate each service gets that many requests a second (autocannon -R: each connection
// sends its share of a second's quota, then waits), so the services idle between requests, as
// in an open-model test at a moderate rate, and capture's per-second costs weigh on each request.
const load = (port: number, seconds: number) => loadSync(port, seconds, args.connections!, args.rate);
const loadAsync = (port: number, seconds: number) => loadAsyncOn(port, seconds, args.connections!, args.rate);

interface Server {
  mode: 'off' | 'on';
  child: ChildProcess;
  port: number;
  session: CaptureSession | null;
  dir: string;
}

async function startMode(mode: 'off' | 'on'): Promise<Server> {
  let session: CaptureSession | null = null;
  let dir = '';
  if (mode === 'on') {
    dir = await mkdtemp(join(tmpdir(), 'headroom-overhead-'));
    session = await startCapture({
      runId: 'overhead',
      artifactsDir: dir,
      serviceName: 'bench',
      capture: captureOf(args),
      onWarning: (m) => log(`  warning: ${m}`),
      ...(perfSetup ? { perf: perfSetup, perfCallGraph: 'fp' as const } : {}),
    });
  }
  const env = { ...(session?.env ?? {}) };
  if (session && perfSetup) env['NODE_OPTIONS'] = [process.env['NODE_OPTIONS'] ?? '', ...PERF_NODE_FLAGS].join(' ').trim();
  const { child, port } = await startService(session?.nodeArgs ?? [], env, args.work!);
  // perf runs where the runner would put it: with this script, on CPU 1.
  session?.attach(child.pid!, [1]);
  return { mode, child, port, session, dir };
}

async function stopMode(s: Server): Promise<void> {
  if (s.session) {
    const t = performance.now();
    const r = await s.session.finish();
    log(
      `  capture: ${r.profiles.length} profile rows, ${r.functions.length} function rows, ${r.spanCount} spans, ${r.runtime.length} runtime samples; finish took ${(performance.now() - t).toFixed(0)} ms`,
    );
  }
  s.child.kill('SIGTERM');
  await new Promise((r) => s.child.once('exit', r));
  if (s.dir) await rm(s.dir, { recursive: true, force: true });
}

/** The perf processes this script started (children named perf), for their own CPU time. */
function perfPids(): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid && comm.startsWith('perf')) out.push(Number(name));
    } catch {
      /* gone */
    }
  }
  return out;
}

/** CPU time of all threads of `pid` in µs, from /proc/<pid>/task/<tid>/schedstat (ns; perf's few ms a second are below stat's 10 ms ticks). */
function schedCpuUs(pid: number): number {
  let ns = 0;
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`))
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
  } catch {
    /* gone */
  }
  return ns / 1000;
}

function threadsPerReq(before: Map<string, number>, after: Map<string, number>, requests: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k, v] of after) out.set(k, (v - (before.get(k) ?? 0)) / 1000 / Math.max(1, requests));
  return out;
}

/** perf's CPU seconds per second of load, per slice. */
const perfCpuPerS: number[] = [];

/** Loads every server at once; each gets a fair share of CPU 0, so their CPU costs compare at the same instants. */
async function measureTogether(servers: Server[]): Promise<Measure[]> {
  const cpu0 = servers.map((s) => cpuUs(s.child.pid!));
  const main0 = servers.map((s) => cpuUs(s.child.pid!, true));
  const threads0 = servers.map((s) => threadCpuNs(s.child.pid!));
  const perfs = byPerf ? perfPids() : [];
  const perf0 = perfs.reduce((t, p) => t + schedCpuUs(p), 0);
  const ms = await Promise.all(servers.map((s) => loadAsync(s.port, Number(args.duration))));
  if (byPerf) perfCpuPerS.push((perfs.reduce((t, p) => t + schedCpuUs(p), 0) - perf0) / 1e6 / Number(args.duration));
  const slice = nextSlice++;
  return servers.map((s, i) => ({
    mode: s.mode,
    rps: ms[i]!.rps,
    p99: ms[i]!.p99,
    errors: ms[i]!.errors,
    cpuUsPerReq: (cpuUs(s.child.pid!) - cpu0[i]!) / Math.max(1, ms[i]!.requests),
    mainUsPerReq: (cpuUs(s.child.pid!, true) - main0[i]!) / Math.max(1, ms[i]!.requests),
    threads: threadsPerReq(threads0[i]!, threadCpuNs(s.child.pid!), ms[i]!.requests),
    slice,
  }));
}

/** Slices measured together share a number: off and on of one slice form a pair. */
let nextSlice = 0;

function measure(s: Server, slice: number): Measure {
  const cpu0 = cpuUs(s.child.pid!);
  const main0 = cpuUs(s.child.pid!, true);
  const threads0 = threadCpuNs(s.child.pid!);
  const m = load(s.port, Number(args.duration));
  const per = (us: number) => us / Math.max(1, m.requests);
  return {
    mode: s.mode,
    rps: m.rps,
    p99: m.p99,
    errors: m.errors,
    cpuUsPerReq: per(cpuUs(s.child.pid!) - cpu0),
    mainUsPerReq: per(cpuUs(s.child.pid!, true) - main0),
    threads: threadsPerReq(threads0, threadCpuNs(s.child.pid!), m.requests),
    slice,
  };
}

/**
 * One repetition: a fresh off server and a fresh on server, both alive, loaded one at a time in
 * alternation, so that whatever else the machine does at that moment hits both sides alike.
 */
async function rep(i: number): Promise<Measure[]> {
  const order: ('off' | 'on')[] = i % 2 === 0 ? ['off', 'on'] : ['on', 'off'];
  const servers: Server[] = [];
  for (const mode of order) servers.push(await startMode(mode));
  try {
    // Warm up side by side too, so neither server sits idle while the other warms up.
    for (const s of servers) await s.session?.setPhase('warmup', false);
    if (args.design === 'paired') await Promise.all(servers.map((s) => loadAsync(s.port, Number(args.warmup))));
    else for (const s of servers) load(s.port, Number(args.warmup));
    for (const s of servers) await s.session?.setPhase('steady', true);
    const out: Measure[] = [];
    for (let k = 0; k < Number(args.slices); k++) {
      if (args.design === 'paired') out.push(...(await measureTogether(servers)));
      else {
        const slice = nextSlice++;
        for (const s of servers) out.push(measure(s, slice));
      }
    }
    for (const s of servers) await s.session?.setPhase(null, false);
    return out;
  } finally {
    for (const s of servers) await stopMode(s);
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
};

const results: Measure[] = [];
/** The host's steal during each rep, by the slices it measured. */
const stealOfSlice = new Map<number, BenchSteal>();
for (let i = 0; i < REPS; i++) {
  const { value, steal } = await withSteal(() => rep(i));
  for (const m of value) {
    results.push(m);
    stealOfSlice.set(m.slice, steal);
    log(
      `rep ${i + 1} ${m.mode.padEnd(3)} ${m.rps.toFixed(0).padStart(7)} req/s  p99 ${m.p99.toFixed(2)} ms  ${m.cpuUsPerReq.toFixed(1)} µs CPU/req (main thread ${m.mainUsPerReq.toFixed(1)})  errors ${m.errors}  steal gen/svc ${stealCell(steal)}`,
    );
  }
}
const summary = (['off', 'on'] as const).map((mode) => {
  const rs = results.filter((r) => r.mode === mode);
  return {
    mode,
    rps: median(rs.map((r) => r.rps)),
    p99: median(rs.map((r) => r.p99)),
    cpuUsPerReq: median(rs.map((r) => r.cpuUsPerReq)),
    mainUsPerReq: median(rs.map((r) => r.mainUsPerReq)),
    runs: rs.length,
  };
});
const [off, on] = summary as [(typeof summary)[0], (typeof summary)[0]];
// Paired: on/off of the same slice, measured at the same time (paired) or back to back
// (alternate), so drift in the host's speed cancels out of each ratio.
const pairs = [...new Set(results.map((r) => r.slice))].map((k) => {
  const a = results.find((r) => r.slice === k && r.mode === 'off')!;
  const b = results.find((r) => r.slice === k && r.mode === 'on')!;
  const steal = stealOfSlice.get(k)!;
  return { rps: b.rps / a.rps, cpu: b.cpuUsPerReq / a.cpuUsPerReq, main: b.mainUsPerReq / a.mainUsPerReq, steal };
});
/** Pairs measured while the host took at most 2% of either CPU: the figures this VM gives when it is left alone. */
const CALM = 0.02;
const calm = pairs.filter((x) => x.steal.generator <= CALM && x.steal.service <= CALM);
// Where the change goes: per thread name, the median over pairs of (on − off) µs per request.
const threadNames = [...new Set(results.flatMap((r) => [...r.threads.keys()]))];
const threadChanges = threadNames
  .map((name) => {
    const ds = [...new Set(results.map((r) => r.slice))].map((k) => {
      const a = results.find((r) => r.slice === k && r.mode === 'off')!;
      const b = results.find((r) => r.slice === k && r.mode === 'on')!;
      return { off: a.threads.get(name) ?? 0, on: b.threads.get(name) ?? 0 };
    });
    return { name, off: median(ds.map((d) => d.off)), on: median(ds.map((d) => d.on)), change: median(ds.map((d) => d.on - d.off)) };
  })
  .filter((t) => Math.abs(t.off) >= 0.005 || Math.abs(t.on) >= 0.005)
  .sort((a, b) => b.on - a.on);
const pairedRps = (median(pairs.map((x) => x.rps)) - 1) * 100;
const pairedCpu = (median(pairs.map((x) => x.cpu)) - 1) * 100;
const pairedMain = (median(pairs.map((x) => x.main)) - 1) * 100;
// A distribution-free 95% interval for each median paired ratio (order statistics, as benchstat
// reports): a target such as "under 5%" is met when the interval's high end is under it. The two
// slices of a rep share their server processes, so the interval is somewhat too narrow.
const ciOf = (xs: number[]) => {
  const r = medianCI(xs).ci;
  return r === null ? null : { low: (r.low - 1) * 100, high: (r.high - 1) * 100, coverage: r.coverage };
};
const pairedCi = { rps: ciOf(pairs.map((x) => x.rps)), cpu: ciOf(pairs.map((x) => x.cpu)), main: ciOf(pairs.map((x) => x.main)) };
const ciText = (c: ReturnType<typeof ciOf>) => (c === null ? '' : ` [${sign(c.low)}, ${sign(c.high)}]`);
const sign = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(2)}%`;
const report = {
  reps: REPS,
  work: Number(args.work),
  design: args.design,
  parts: [...parts],
  profiler: args.profiler,
  perfCpuPerSecond: byPerf ? median(perfCpuPerS) : null,
  durationS: Number(args.duration),
  connections: Number(args.connections),
  traceSample: Number(args.sample),
  off,
  on,
  throughputChangePct: (on.rps / off.rps - 1) * 100,
  p99ChangePct: (on.p99 / off.p99 - 1) * 100,
  cpuPerRequestChangePct: (on.cpuUsPerReq / off.cpuUsPerReq - 1) * 100,
  pairedThroughputChangePct: pairedRps,
  pairedCpuPerRequestChangePct: pairedCpu,
  mainThreadCpuPerRequestChangePct: (on.mainUsPerReq / off.mainUsPerReq - 1) * 100,
  pairedMainThreadCpuPerRequestChangePct: pairedMain,
  pairedCi95: pairedCi,
  calmPairs: calm.length,
  calmPairedThroughputChangePct: calm.length === 0 ? null : (median(calm.map((x) => x.rps)) - 1) * 100,
  calmPairedCpuPerRequestChangePct: calm.length === 0 ? null : (median(calm.map((x) => x.cpu)) - 1) * 100,
  threads: threadChanges,
  runs: results.map((r) => ({ ...r, threads: Object.fromEntries(r.threads) })),
};
if (args.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
else {
  process.stdout.write(
    `design ${args.design}, parts: ${[...parts].join(',')}, cpu profiler ${args.profiler}, trace sample ${args.sample}, handler work ${args.work}, ${REPS} reps × ${args.slices} slices × ${args.duration}s per mode, ${args.connections} connections${args.rate === undefined ? '' : `, ${args.rate} req/s each`}\n`,
  );
  process.stdout.write(`capture off: median ${off.rps.toFixed(0)} req/s, p99 ${off.p99.toFixed(2)} ms (${off.runs} runs)\n`);
  process.stdout.write(`capture on:  median ${on.rps.toFixed(0)} req/s, p99 ${on.p99.toFixed(2)} ms (${on.runs} runs)\n`);
  process.stdout.write(
    `change: throughput ${report.throughputChangePct.toFixed(2)}%, p99 ${report.p99ChangePct.toFixed(2)}%, ` +
      `service CPU per request ${report.cpuPerRequestChangePct.toFixed(2)}% (${off.cpuUsPerReq.toFixed(1)} → ${on.cpuUsPerReq.toFixed(1)} µs), ` +
      `main thread ${report.mainThreadCpuPerRequestChangePct.toFixed(2)}% (${off.mainUsPerReq.toFixed(1)} → ${on.mainUsPerReq.toFixed(1)} µs)\n`,
  );
  process.stdout.write(
    `median of ${pairs.length} paired on/off ratios [95% interval]: throughput ${sign(pairedRps)}${ciText(pairedCi.rps)}, service CPU per request ${sign(pairedCpu)}${ciText(pairedCi.cpu)}, main thread ${sign(pairedMain)}${ciText(pairedCi.main)}\n`,
  );
  process.stdout.write(
    calm.length === 0
      ? `no pair was measured with the host's steal at or under ${100 * CALM}% of both CPUs\n`
      : `the ${calm.length} of ${pairs.length} pairs with the host's steal at or under ${100 * CALM}% of both CPUs: throughput ${sign(report.calmPairedThroughputChangePct!)}, service CPU per request ${sign(report.calmPairedCpuPerRequestChangePct!)}\n`,
  );
  process.stdout.write(
    `by thread (median over pairs, µs per request): ${threadChanges.map((t) => `${t.name} ${t.off.toFixed(3)} → ${t.on.toFixed(3)} (${t.change >= 0 ? '+' : ''}${t.change.toFixed(3)})`).join(', ')}\n`,
  );
  if (report.perfCpuPerSecond !== null)
    process.stdout.write(
      `perf record's own CPU (on CPU 1, not the service's): median ${(report.perfCpuPerSecond * 1e6).toFixed(0)} µs per second of load (${perfCpuPerS.length} slices)\n`,
    );
}
