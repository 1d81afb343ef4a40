/**
 * What the capture benchmarks (capture-overhead.ts, capture-cost.ts) share: the service
 * from bench/capture-server.ts started on CPU 0, autocannon loading its JSON route from
 * CPU 1, and the capture parts chosen on the command line.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CaptureOptions } from '../../packages/capture/src/index.ts';

const SERVER = fileURLToPath(new URL('../capture-server.ts', import.meta.url));
const AUTOCANNON = fileURLToPath(new URL('../../node_modules/autocannon/autocannon.js', import.meta.url));

/** Pins this script (it hosts the capture receivers) off the service's CPU. */
export function pinScriptToCpu1(): void {
  execFileSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
}

/** The command-line options the capture benchmarks share (parseArgs strings). */
export interface CaptureArgs {
  parts?: string;
  sample?: string;
  hz?: string;
  'heap-interval'?: string;
  /** Who takes the CPU profile: 'agent' (in-process, the default) or 'perf'. */
  profiler?: string;
}

/** The capture config for `--parts cpu,heap,traces,runtime`, `--sample`, `--hz`, `--heap-interval` and `--profiler`. */
export function captureOf(args: CaptureArgs): CaptureOptions['capture'] {
  const parts = new Set((args.parts ?? '').split(','));
  return {
    cpu: parts.has('cpu'),
    ...(args.hz === undefined ? {} : { cpuHz: Number(args.hz) }),
    cpuProfiler: args.profiler === 'perf' ? 'perf' : 'agent',
    heap: parts.has('heap'),
    ...(args['heap-interval'] === undefined ? {} : { heapIntervalBytes: Number(args['heap-interval']) }),
    traces: parts.has('traces') ? { sample: Number(args.sample) } : null,
    runtime: parts.has('runtime'),
  };
}

/** Starts the service on CPU 0 with `nodeArgs` and `env` (capture's), `work` busy-loop rounds per request. */
export function startService(
  nodeArgs: string[],
  env: Record<string, string>,
  work: string,
): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn('taskset', ['-c', '0', process.execPath, ...nodeArgs, SERVER], {
    env: { ...process.env, WORK: work, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      const m = /listening (\d+)/.exec(String(d));
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.once('exit', (c) => reject(new Error(`server exited ${c}`)));
  });
}

export interface LoadResult {
  rps: number;
  p99: number;
  errors: number;
  requests: number;
}

/** autocannon's command line; with `rate`, an overall rate in req/s (autocannon -R) instead of as fast as it can. */
function autocannonArgs(port: number, seconds: number, connections: string, rate?: string): string[] {
  return [
    '-c',
    '1',
    process.execPath,
    AUTOCANNON,
    '-j',
    '-c',
    connections,
    '-d',
    String(seconds),
    ...(rate === undefined ? [] : ['-R', rate]),
    `http://127.0.0.1:${port}/orders?limit=10`,
  ];
}

function parseResult(out: string): LoadResult {
  const r = JSON.parse(out) as { requests: { average: number; total: number }; latency: { p99: number }; errors: number; non2xx: number };
  return { rps: r.requests.average, p99: r.latency.p99, errors: r.errors + r.non2xx, requests: r.requests.total };
}

/** Closed-loop load for `seconds` from CPU 1, waiting for it. */
export function load(port: number, seconds: number, connections: string, rate?: string): LoadResult {
  return parseResult(
    execFileSync('taskset', autocannonArgs(port, seconds, connections, rate), {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'ignore'],
    }),
  );
}

/** The same load, without blocking (to load several services at once). */
export function loadAsync(port: number, seconds: number, connections: string, rate?: string): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('taskset', autocannonArgs(port, seconds, connections, rate), { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout!.on('data', (d) => {
      out += String(d);
    });
    child.once('exit', () => {
      try {
        resolve(parseResult(out));
      } catch (e) {
        reject(e as Error);
      }
    });
  });
}
