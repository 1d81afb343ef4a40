/**
 * Where the in-process CPU profiler's cost goes: the same service with capture off and with
 * capture on (the parts chosen), loaded one after the other from CPU 1 (the services on CPU 0),
 * reporting the CPU per request of each thread (by name, from /proc/<pid>/task/<tid>/schedstat)
 * and, with --perf, Linux perf's top symbols of each service (cpu-clock, both started with
 * --perf-basic-prof so JIT frames have names).
 * Run: node bench/capture-where.ts [--parts cpu] [--hz 49] [--duration 10] [--perf] [--top 25]
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PERF_NODE_FLAGS, startCapture, type CaptureSession } from '../packages/capture/src/index.ts';
import { captureOf, load, pinScriptToCpu1, startService } from './lib/capture-service.ts';
import { hostLine } from './lib/host.ts';
import { threadCpuNs } from './lib/proc.ts';

const { values: args } = parseArgs({
  options: {
    parts: { type: 'string', default: 'cpu' },
    sample: { type: 'string', default: '0.01' },
    hz: { type: 'string' },
    'heap-interval': { type: 'string' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '5' },
    connections: { type: 'string', default: '16' },
    perf: { type: 'boolean', default: false },
    top: { type: 'string', default: '25' },
    rounds: { type: 'string', default: '2' },
  },
});
const log = (m: string) => process.stderr.write(`${m}\n`);
log(hostLine());
pinScriptToCpu1();

interface Side {
  mode: 'off' | 'on';
  perThread: Map<string, number>;
  requests: number;
  rps: number;
  /** perf samples by `dso symbol`. */
  samples: Map<string, number>;
}

async function measure(mode: 'off' | 'on'): Promise<Side> {
  let session: CaptureSession | null = null;
  let dir = '';
  if (mode === 'on') {
    dir = await mkdtemp(join(tmpdir(), 'headroom-where-'));
    session = await startCapture({
      runId: 'where',
      artifactsDir: dir,
      serviceName: 'bench',
      capture: captureOf(args),
      onWarning: (m) => log(`  warning: ${m}`),
    });
  }
  const env: Record<string, string> = { ...(session?.env ?? {}) };
  if (args.perf) env['NODE_OPTIONS'] = [process.env['NODE_OPTIONS'] ?? '', ...PERF_NODE_FLAGS].join(' ').trim();
  const { child, port } = await startService(session?.nodeArgs ?? [], env, '0');
  const pid = child.pid!;
  try {
    await session?.setPhase('warmup', false);
    load(port, Number(args.warmup), args.connections!);
    await session?.setPhase('steady', true);
    const before = threadCpuNs(pid);
    const data = join(tmpdir(), `headroom-where-${mode}-${process.pid}.data`);
    const perf = args.perf
      ? spawn('perf', ['record', '-q', '-e', 'cpu-clock', '-F', '999', '-p', String(pid), '-o', data], { stdio: 'ignore' })
      : null;
    const m = load(port, Number(args.duration), args.connections!);
    if (perf) {
      perf.kill('SIGINT');
      await new Promise((r) => perf.once('exit', r));
    }
    const after = threadCpuNs(pid);
    const perThread = new Map<string, number>();
    for (const [k, v] of after) perThread.set(k, v - (before.get(k) ?? 0));
    const samples = new Map<string, number>();
    if (perf) {
      const report = execFileSync(
        'perf',
        ['report', '-i', data, '--stdio', '-n', '--no-children', '--sort', 'comm,dso,sym', '--percent-limit', '0'],
        {
          encoding: 'utf8',
          maxBuffer: 256 << 20,
          stdio: ['ignore', 'pipe', 'ignore'],
        },
      );
      for (const line of report.split('\n')) {
        // "     4.62%          1234  MainThread  node                 [.] Builtins_LoadIC"
        const f = /^\s*[\d.]+%\s+(\d+)\s+(\S+)\s+(\[JIT\] tid \d+|\S+)\s+\[[.k]\]\s+(.*)$/.exec(line);
        if (!f) continue;
        // JIT frames carry the thread id in their dso name: drop it so sides compare.
        const key = `${f[2]} ${f[3]!.startsWith('[JIT]') ? '[JIT]' : f[3]} ${f[4]!.trim()}`;
        samples.set(key, (samples.get(key) ?? 0) + Number(f[1]));
      }
      await rm(data, { force: true });
    }
    await session?.setPhase(null, false);
    return { mode, perThread, requests: m.requests, rps: m.rps, samples };
  } finally {
    if (session) await session.finish();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}

// Rounds alternate the order (off on, on off, …) so drift in the host's speed falls on both sides alike.
const sides: Record<'off' | 'on', Side[]> = { off: [], on: [] };
for (let r = 0; r < Number(args.rounds); r++)
  for (const mode of r % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const)) sides[mode].push(await measure(mode));
function sum(list: Side[]): { perThread: Map<string, number>; samples: Map<string, number>; requests: number; rps: number } {
  const perThread = new Map<string, number>();
  const samples = new Map<string, number>();
  for (const s of list) {
    for (const [k, v] of s.perThread) perThread.set(k, (perThread.get(k) ?? 0) + v);
    for (const [k, v] of s.samples) samples.set(k, (samples.get(k) ?? 0) + v);
  }
  return { perThread, samples, requests: list.reduce((t, s) => t + s.requests, 0), rps: list.reduce((t, s) => t + s.rps, 0) / list.length };
}
const off = sum(sides.off);
const on = sum(sides.on);
type Sum = typeof off;
process.stdout.write(
  `parts ${args.parts}, ${args.rounds} rounds × ${args.duration}s each side, off ${off.rps.toFixed(0)} req/s, on ${on.rps.toFixed(0)} req/s (mean)\n\n`,
);
process.stdout.write(`${'thread'.padEnd(18)} ${'off µs/req'.padStart(10)} ${'on µs/req'.padStart(10)} ${'change'.padStart(8)}\n`);
const names = [...new Set([...off.perThread.keys(), ...on.perThread.keys()])];
const per = (s: Sum, k: string) => (s.perThread.get(k) ?? 0) / 1000 / Math.max(1, s.requests);
let tOff = 0;
let tOn = 0;
for (const k of names.sort((a, b) => per(on, b) - per(on, a))) {
  const a = per(off, k);
  const b = per(on, k);
  tOff += a;
  tOn += b;
  if (a < 0.005 && b < 0.005) continue;
  process.stdout.write(
    `${k.padEnd(18)} ${a.toFixed(3).padStart(10)} ${b.toFixed(3).padStart(10)} ${(b - a >= 0 ? '+' : '') + (b - a).toFixed(3)}\n`,
  );
}
process.stdout.write(
  `${'all threads'.padEnd(18)} ${tOff.toFixed(3).padStart(10)} ${tOn.toFixed(3).padStart(10)} ${((tOn / tOff - 1) * 100).toFixed(1)}%\n`,
);
if (args.perf) {
  // perf samples per 1,000 requests (at 999 Hz one sample is ~1 ms of CPU): the symbols whose share grew most with capture on.
  const rate = (s: Sum, k: string) => ((s.samples.get(k) ?? 0) * 1000) / Math.max(1, s.requests);
  const keys = [...new Set([...off.samples.keys(), ...on.samples.keys()])];
  const diffs = keys.map((k) => ({ k, off: rate(off, k), on: rate(on, k) })).sort((a, b) => b.on - b.off - (a.on - a.off));
  const total = (s: Sum) => keys.reduce((t, k) => t + rate(s, k), 0);
  process.stdout.write(
    `\nperf samples per 1,000 requests: off ${total(off).toFixed(2)}, on ${total(on).toFixed(2)}; symbols that grew most\n`,
  );
  for (const d of diffs.slice(0, Number(args.top)))
    process.stdout.write(
      `${(d.on - d.off >= 0 ? '+' : '') + (d.on - d.off).toFixed(3)}  ${d.off.toFixed(3).padStart(7)} → ${d.on.toFixed(3).padStart(7)}  ${d.k}\n`,
    );
  process.stdout.write(`symbols that shrank most\n`);
  for (const d of diffs.slice(-8).reverse())
    process.stdout.write(`${(d.on - d.off).toFixed(3)}  ${d.off.toFixed(3).padStart(7)} → ${d.on.toFixed(3).padStart(7)}  ${d.k}\n`);
}
