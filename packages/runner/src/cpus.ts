import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

/** The CPUs each thread of a process may run on, read back from /proc (pinning is verified, not assumed). */
export interface Pinning {
  role: string;
  pid: number;
  /** Requested CPU set. */
  requested: number[];
  /** Union of Cpus_allowed_list over all threads. */
  allowed: number[];
  threads: number;
  /** True when every thread's allowed set equals the requested set. */
  verified: boolean;
}

/** Parses a kernel CPU list such as "0-2,5" into [0,1,2,5]. */
export function parseCpuList(list: string): number[] {
  const out: number[] = [];
  for (const part of list.trim().split(',')) {
    if (!part) continue;
    const [a, b] = part.split('-').map(Number);
    if (a === undefined || Number.isNaN(a)) continue;
    for (let c = a; c <= (b ?? a); c++) out.push(c);
  }
  return out;
}

/** Reads every thread's allowed CPUs of `pid`; null when the process is gone. */
export function readPinning(role: string, pid: number, requested: number[]): Pinning | null {
  let tids: string[];
  try { tids = readdirSync(`/proc/${pid}/task`); } catch { return null; }
  const all = new Set<number>();
  let verified = true;
  let threads = 0;
  const want = [...requested].sort((a, b) => a - b).join(',');
  for (const tid of tids) {
    let status: string;
    try { status = readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8'); } catch { continue; }
    const m = /^Cpus_allowed_list:\s*(.+)$/m.exec(status);
    if (!m) continue;
    threads++;
    const cpus = parseCpuList(m[1] as string);
    cpus.forEach((c) => all.add(c));
    if (cpus.join(',') !== want) verified = false;
  }
  return { role, pid, requested, allowed: [...all].sort((a, b) => a - b), threads, verified: verified && threads > 0 };
}

/**
 * Pins this process (every existing thread, and so every later one) to `cpus`. The
 * orchestrator hosts receivers, merges histograms and writes the store: on the service's
 * CPU it would steal from what is being measured. Returns false when taskset refused.
 */
export function pinSelf(cpus: number[]): boolean {
  try {
    execFileSync('taskset', ['-a', '-p', '-c', cpus.join(','), String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Wraps argv so the process and every thread it creates starts pinned to `cpus`. */
export function pinned(cpus: number[], argv: string[]): string[] {
  return ['taskset', '-c', cpus.join(','), ...argv];
}

/** Warnings about a set of pinnings: shared CPUs between service and generator, unverified masks. */
export function pinningWarnings(pins: Pinning[]): string[] {
  const warnings: string[] = [];
  for (const p of pins) {
    if (!p.verified) warnings.push(`${p.role} (pid ${p.pid}) threads may run on CPUs ${p.allowed.join(',')}, not only the requested ${p.requested.join(',')}`);
  }
  const service = pins.filter((p) => p.role === 'service').flatMap((p) => p.allowed);
  const gen = new Set(pins.filter((p) => p.role !== 'service').flatMap((p) => p.allowed));
  const shared = [...new Set(service)].filter((c) => gen.has(c));
  if (shared.length > 0) warnings.push(`service and load generator share CPU ${shared.join(',')}: latency and throughput include contention between them`);
  return warnings;
}
