/**
 * Where capture's cost goes, measured inside one run, so the host's speed swings (which
 * move whole-run throughput on this VM by ±20%) cancel out: the service from
 * bench/capture-server.ts runs with capture on under a fixed closed-loop load, `perf record`
 * (cpu-clock, call graphs) samples its CPU, and every sample is put in one category by its
 * stack: the agent's tracing, the gate, the CPU profiler, the heap profiler, runtime
 * metrics, the agent's I/O thread, or the service itself. The same is done for a run with
 * capture off, for the shares that capture changes without calling into its own code:
 * garbage collection and megamorphic inline-cache lookups.
 *
 * Needs Debian's linux-perf (`perf`). Service on CPU 0, load generator and this script on CPU 1.
 *   node_modules/.bin/node bench/capture-cost.ts [--parts cpu,heap,traces,runtime] [--hz 49] [--heap-interval 1048576] [--seconds 8] [--work 0] [--detail] [--keep dir]
 * --detail lists where each category's samples were called from; --keep leaves off.perf.data
 * and on.perf.data in dir for `perf report -i`.
 */
import { spawn, execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startCapture } from '../packages/capture/src/index.ts';
import { printTable } from './lib/table.ts';
import { captureOf, load, pinScriptToCpu1, startService } from './lib/capture-service.ts';
import { hostLine } from './lib/host.ts';

const { values: args } = parseArgs({
  options: {
    parts: { type: 'string', default: 'cpu,heap,traces,runtime' },
    seconds: { type: 'string', default: '8' },
    work: { type: 'string', default: '0' },
    sample: { type: 'string', default: '0.01' },
    hz: { type: 'string' },
    'heap-interval': { type: 'string' },
    detail: { type: 'boolean', default: false },
    keep: { type: 'string' },
  },
});
const parts = new Set(args.parts!.split(','));
process.stderr.write(`${hostLine()}\n`);
pinScriptToCpu1();

/**
 * Categories, first match wins; each tests the sample's thread name and either its whole
 * stack or only its leaf frame (code that is on every request's stack, like the gate, only
 * costs what it does itself).
 */
const CATEGORIES: [string, RegExp, 'stack' | 'leaf'][] = [
  ['agent I/O thread', /^WorkerThread$|agent-io/, 'stack'],
  [
    'CPU profiler',
    /^v8:ProfEvntProc$|CpuProfiler|ProfilerListener|SamplingEventsProcessor|TickSample|CodeEventLogger|dd::|dd_pprof|WallProfiler|ProfileGenerator|CodeEntry|InstructionStreamMap::FindEntry/,
    'stack',
  ],
  ['heap profiler', /SamplingHeapProfiler/, 'stack'],
  ['tracing (traced requests)', /@opentelemetry|agent-tracing|agent-server-spans|span-labels|runWithContext/, 'stack'],
  ['runtime metrics', /agent-runtime|EventLoopDelay|ELDHistogram|PerformanceObserver/, 'stack'],
  ['sampling gate', /gatedEmit|rawHeader|traceparentSampled/, 'leaf'],
  ['garbage collection', /^V8Worker$|Heap::CollectGarbage|Scavenger|MarkCompact|ConcurrentMarking/, 'stack'],
  ['megamorphic IC lookups', /^Builtins_\w*IC\w*Megamorphic/, 'leaf'],
];

interface Sample {
  thread: string;
  frames: string[];
}

/** Samples of `perf script`: a header line (thread name first), then one indented frame per line, leaf first. */
function parseScript(text: string): Sample[] {
  const out: Sample[] = [];
  let cur: Sample | null = null;
  for (const line of text.split('\n')) {
    if (line.trim() === '') {
      if (cur) out.push(cur);
      cur = null;
      continue;
    }
    if (!/^\s/.test(line)) {
      if (cur) out.push(cur);
      cur = { thread: line.trim().split(/\s+/)[0]!, frames: [] };
      continue;
    }
    cur?.frames.push(
      line
        .trim()
        .replace(/^\S+\s+/, '')
        .replace(/\s+\(\S+\)$/, ''),
    );
  }
  if (cur) out.push(cur);
  return out;
}

/** With --detail: per category, the JavaScript functions its samples were called from. */
const callers = new Map<string, Map<string, number>>();

function categorize(samples: Sample[]): Map<string, number> {
  callers.clear();
  const counts = new Map<string, number>(CATEGORIES.map(([k]) => [k, 0]));
  counts.set('service (the rest)', 0);
  for (const s of samples) {
    let hit = 'service (the rest)';
    for (const [name, re, scope] of CATEGORIES) {
      // Tracing only counts the frames under the server span, not the traced request's own handler.
      const frames =
        scope === 'leaf'
          ? s.frames.slice(0, 1)
          : name.startsWith('tracing')
            ? framesAbove(s.frames, /capture-server\.ts|'emit node:events/)
            : s.frames;
      if (re.test(s.thread) || frames.some((f) => re.test(f))) {
        hit = name;
        break;
      }
    }
    counts.set(hit, counts.get(hit)! + 1);
    const caller = s.frames.slice(1).find((f) => f.startsWith('JS:')) ?? '(native)';
    const m = callers.get(hit) ?? new Map<string, number>();
    m.set(caller, (m.get(caller) ?? 0) + 1);
    callers.set(hit, m);
  }
  return counts;
}

/** The frames between the leaf and the first frame matching `stop` (exclusive): what a sample was doing above it. */
function framesAbove(frames: string[], stop: RegExp): string[] {
  const i = frames.findIndex((f) => stop.test(f));
  return i < 0 ? frames : frames.slice(0, i);
}

async function measure(on: boolean): Promise<{ counts: Map<string, number>; total: number; rps: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'headroom-cost-'));
  const session = on
    ? await startCapture({
        runId: 'cost',
        artifactsDir: dir,
        serviceName: 'bench',
        capture: captureOf(args),
        onWarning: (m) => process.stderr.write(`warning: ${m}\n`),
      })
    : null;
  const { child, port } = await startService(
    ['--perf-basic-prof', '--no-logfile-per-isolate', '--logfile=/dev/null', ...(session?.nodeArgs ?? [])],
    session?.env ?? {},
    args.work!,
  );
  try {
    load(port, 3, '16');
    await session?.setPhase('steady', true);
    const data = args.keep !== undefined ? join(args.keep, `${on ? 'on' : 'off'}.perf.data`) : join(dir, 'perf.data');
    const seconds = Number(args.seconds);
    const perf = spawn(
      'perf',
      ['record', '-q', '-e', 'cpu-clock', '-F', '1999', '-g', '-p', String(child.pid), '-o', data, '--', 'sleep', String(seconds - 1)],
      { stdio: 'ignore' },
    );
    const r = load(port, seconds, '16');
    await new Promise((res) => perf.once('exit', res));
    await session?.setPhase(null, false);
    await session?.finish();
    const samples = parseScript(
      execFileSync('perf', ['script', '-i', data, '-F', 'comm,ip,sym'], {
        encoding: 'utf8',
        maxBuffer: 1 << 30,
        stdio: ['ignore', 'pipe', 'ignore'],
      }),
    );
    return { counts: categorize(samples), total: samples.length, rps: r.rps };
  } finally {
    child.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  }
}

const off = await measure(false);
const offCallers = new Map(callers);
const on = await measure(true);
if (args.detail) {
  for (const [name, side] of [
    ['megamorphic IC lookups', 'off'],
    ['megamorphic IC lookups', 'on'],
    ['tracing (traced requests)', 'on'],
    ['garbage collection', 'on'],
  ] as const) {
    const m = (side === 'off' ? offCallers : callers).get(name);
    if (!m) continue;
    process.stdout.write(`\n${name}, capture ${side}, called from:\n`);
    for (const [f, n] of [...m].sort((a, b) => b[1] - a[1]).slice(0, 10))
      process.stdout.write(`  ${String(n).padStart(5)}  ${f.slice(0, 120)}\n`);
  }
}
const pct = (n: number, total: number): string => `${((100 * n) / total).toFixed(2)}%`;
const rows = [...on.counts.keys()].map((k) => [
  k,
  pct(off.counts.get(k)!, off.total),
  pct(on.counts.get(k)!, on.total),
  `${((on.counts.get(k)! / on.total - off.counts.get(k)! / off.total) * 100).toFixed(2)}`,
]);
printTable(
  `share of the service's CPU samples (perf, ${args.seconds}s, handler work ${args.work}); capture parts: ${[...parts].join(',')}, trace sample ${args.sample}`,
  ['category', 'capture off', 'capture on', 'on − off (points)'],
  rows,
);
const direct = CATEGORIES.slice(0, 6).reduce((a, [k]) => a + on.counts.get(k)!, 0) / on.total;
const indirect = CATEGORIES.slice(6).reduce((a, [k]) => a + on.counts.get(k)! / on.total - off.counts.get(k)! / off.total, 0);
process.stdout.write(
  `\ncapture's own code: ${(direct * 100).toFixed(2)}% of the service's CPU; GC and megamorphic lookups beyond capture-off: ${(indirect * 100).toFixed(2)} points; ` +
    `estimated overhead ${((direct + Math.max(0, indirect)) * 100).toFixed(1)}% (throughput during the samples: off ${Math.round(off.rps)}, on ${Math.round(on.rps)} req/s)\n`,
);
