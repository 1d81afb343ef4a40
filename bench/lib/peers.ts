/** The peers headroom is measured against: wrk (Debian `wrk`) and bare autocannon, both pinned. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pinned } from './pin.ts';

export interface PeerResult {
  rps: number;
  p50Ms: number;
  p95Ms: number | null;
  p99Ms: number;
  p999Ms: number | null;
  /** Generator CPU time (user + system) per request, µs: efficiency, robust to other load on the box. */
  cpuUsPerReq: number;
}

/** Runs argv pinned, under GNU time for its CPU use; resolves stdout and CPU seconds. */
function run(cpus: number[], argv: string[]): Promise<{ out: string; cpuS: number }> {
  const [cmd, args] = pinned(cpus, ['/usr/bin/time', '-f', 'RUSAGE %U %S', ...argv]);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      const m = /RUSAGE ([\d.]+) ([\d.]+)/.exec(err);
      if (code === 0) resolve({ out, cpuS: m ? Number(m[1]) + Number(m[2]) : NaN });
      else reject(new Error(`${argv[0]} exited ${code}: ${err}`));
    });
  });
}

/** wrk's latency unit suffixes to ms. */
function wrkMs(v: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(v.trim());
  if (!m) return NaN;
  const n = Number(m[1]);
  return m[2] === 'us' ? n / 1000 : m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : n * 60000;
}

/** wrk's `--latency` percentiles ("50%"); wrk2 prints three decimals ("50.000%") and 99.9 too. */
const WRK_LABELS = { p50: '50', p99: '99', p999: null };
const WRK2_LABELS = { p50: '50.000', p99: '99.000', p999: '99.900' };

/** wrk's or wrk2's `--latency` report and its CPU seconds as a PeerResult. */
function wrkResult(out: string, cpuS: number, labels: { p50: string; p99: string; p999: string | null } = WRK_LABELS): PeerResult {
  const pct = (p: string) => wrkMs(new RegExp(`^\\s*${p.replace('.', '\\.')}%\\s+(\\S+)`, 'm').exec(out)?.[1] ?? '');
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN);
  const total = Number(/(\d+) requests in/.exec(out)?.[1] ?? NaN);
  const p999Ms = labels.p999 === null ? null : pct(labels.p999);
  return { rps, p50Ms: pct(labels.p50), p95Ms: null, p99Ms: pct(labels.p99), p999Ms, cpuUsPerReq: (cpuS * 1e6) / total };
}

/** `wrk -t1 -cN -dDs --latency url` pinned to `cpus`. */
export async function runWrk(url: string, connections: number, seconds: number, cpus: number[]): Promise<PeerResult> {
  const { out, cpuS } = await run(cpus, ['wrk', '-t1', `-c${connections}`, `-d${seconds}s`, '--latency', url]);
  return wrkResult(out, cpuS);
}

const BARE = fileURLToPath(new URL('./autocannon-bare.ts', import.meta.url));

/** Bare autocannon (its API, nothing of headroom's) in its own process pinned to `cpus`. */
export async function runAutocannon(
  opts: { url: string; connections: number; seconds: number; overallRate?: number },
  cpus: number[],
): Promise<PeerResult> {
  const { out, cpuS } = await run(cpus, [process.execPath, BARE, JSON.stringify(opts)]);
  const r = JSON.parse(out) as { requests: { average: number; total: number }; duration: number; latency: Record<string, number> };
  const l = r.latency;
  // Includes node's start-up (~0.1-0.2 s of CPU): a small bias against autocannon in this column.
  return {
    rps: r.requests.total / r.duration,
    p50Ms: l['p50'] ?? NaN,
    p95Ms: null,
    p99Ms: l['p99'] ?? NaN,
    p999Ms: l['p99_9'] ?? NaN,
    cpuUsPerReq: (cpuS * 1e6) / r.requests.total,
  };
}

/**
 * wrk paced by think time: each of `connections` connections waits `delayMs` after every
 * response (wrk's Lua `delay()` hook; whole ms, wrk's timers have 1 ms resolution). Not an
 * open model, but a C generator that, like the open model at a moderate rate, sleeps between
 * requests and is woken for each response: what the kernel and the hypervisor charge a
 * generator per request at that rate, with no JavaScript in it.
 */
export async function runWrkPaced(url: string, connections: number, delayMs: number, seconds: number, cpus: number[]): Promise<PeerResult> {
  const dir = mkdtempSync(join(tmpdir(), 'headroom-wrk-'));
  const script = join(dir, 'paced.lua');
  writeFileSync(script, `function delay()\n  return ${Math.round(delayMs)}\nend\n`);
  try {
    const { out, cpuS } = await run(cpus, ['wrk', '-t1', `-c${connections}`, `-d${seconds}s`, '--latency', '-s', script, url]);
    return wrkResult(out, cpuS);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * wrk2 (Gil Tene's fork of wrk, github.com/giltene/wrk2) at a constant rate: the open-model
 * peer. Each connection sends on its own schedule (rate / connections, on wrk's 1 ms timers)
 * and latency counts from when a request should have gone out (its coordinated-omission
 * correction). Not a Debian package and not built by this project: pass the path of a `wrk`
 * built from that repository. wrk2 calibrates for its first 10 s and then starts its histograms
 * afresh, so it runs 10 s longer than `seconds`; its CPU per request covers the whole run.
 */
export async function runWrk2(
  bin: string,
  url: string,
  connections: number,
  rate: number,
  seconds: number,
  cpus: number[],
): Promise<PeerResult> {
  const { out, cpuS } = await run(cpus, [bin, '-t1', `-c${connections}`, `-d${seconds + 10}s`, `-R${rate}`, '--latency', url]);
  // From the recorded (corrected) histogram.
  const r = wrkResult(out, cpuS, WRK2_LABELS);
  if (!Number.isFinite(r.p50Ms)) throw new Error(`${bin} printed no wrk2 latency distribution (is it wrk2?):\n${out}`);
  return r;
}
