/** The peers headroom is measured against: wrk (Debian `wrk`) and bare autocannon, both pinned. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface PeerResult { rps: number; p50Ms: number; p95Ms: number | null; p99Ms: number; p999Ms: number | null }

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} exited ${code}: ${out}`))));
  });
}

/** wrk's latency unit suffixes to ms. */
function wrkMs(v: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(v.trim());
  if (!m) return NaN;
  const n = Number(m[1]);
  return m[2] === 'us' ? n / 1000 : m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : n * 60000;
}

/** `wrk -t1 -cN -dDs --latency url` pinned to `cpus`. */
export async function runWrk(url: string, connections: number, seconds: number, cpus: number[]): Promise<PeerResult> {
  const out = await run('taskset', ['-c', cpus.join(','), 'wrk', '-t1', `-c${connections}`, `-d${seconds}s`, '--latency', url]);
  const pct = (p: string) => wrkMs(new RegExp(`^\\s*${p}%\\s+(\\S+)`, 'm').exec(out)?.[1] ?? '');
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN);
  return { rps, p50Ms: pct('50'), p95Ms: null, p99Ms: pct('99'), p999Ms: null };
}

const BARE = fileURLToPath(new URL('./autocannon-bare.ts', import.meta.url));

/** Bare autocannon (its API, nothing of headroom's) in its own process pinned to `cpus`. */
export async function runAutocannon(opts: { url: string; connections: number; seconds: number; overallRate?: number }, cpus: number[]): Promise<PeerResult> {
  const out = await run('taskset', ['-c', cpus.join(','), process.execPath, BARE, JSON.stringify(opts)]);
  const r = JSON.parse(out) as { requests: { average: number; total: number }; duration: number; latency: Record<string, number> };
  const l = r.latency;
  return { rps: r.requests.total / r.duration, p50Ms: l['p50'] ?? NaN, p95Ms: null, p99Ms: l['p99'] ?? NaN, p999Ms: l['p99_9'] ?? NaN };
}
