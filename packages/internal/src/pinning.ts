/**
 * Pinning is verified, not assumed: processes are started under `taskset`, and which CPUs
 * every thread of a process may run on is read back from /proc/<pid>/task/<tid>/status
 * (`Cpus_allowed_list`, see proc(5)). Worker threads, V8's platform threads and libuv's
 * pool all show up as tasks of the process. Load runs and bench runs share this module.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** One thread's allowed CPUs. */
export interface ThreadAffinity {
  tid: number;
  /** The thread's name (`Name:` in status), e.g. "node", "V8Worker", "libuv-worker". */
  name: string;
  cpus: number[];
}

/** The CPUs each thread of a process may run on, as stored with a run. */
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

/** Parses a kernel CPU list ("0-2,5,7-8") into sorted, distinct CPU numbers; throws on anything else. */
export function parseCpuList(list: string): number[] {
  const out = new Set<number>();
  for (const part of list.trim().split(',')) {
    if (part === '') continue;
    const [a, b] = part.split('-');
    const lo = Number(a);
    const hi = b === undefined ? lo : Number(b);
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 0 || hi < lo) throw new Error(`not a CPU list: ${JSON.stringify(list)}`);
    for (let c = lo; c <= hi; c++) out.add(c);
  }
  return [...out].sort((x, y) => x - y);
}

/** The allowed CPUs of every live thread of `pid`; threads that exit while being read are skipped; [] when the process is gone. */
export function readThreadAffinity(pid: number): ThreadAffinity[] {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const out: ThreadAffinity[] = [];
  for (const tid of tids) {
    let status: string;
    try {
      status = readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8');
    } catch {
      continue;
    }
    const list = /^Cpus_allowed_list:\s*(\S+)/m.exec(status)?.[1];
    if (list === undefined) continue;
    out.push({ tid: Number(tid), name: /^Name:\s*(.*)$/m.exec(status)?.[1]?.trim() ?? '', cpus: parseCpuList(list) });
  }
  return out.sort((a, b) => a.tid - b.tid);
}

/** Merges two observations of the same process (thread lists taken at different times). */
export function mergeAffinity(a: readonly ThreadAffinity[], b: readonly ThreadAffinity[]): ThreadAffinity[] {
  const m = new Map<number, ThreadAffinity>();
  for (const t of [...a, ...b]) m.set(t.tid, t);
  return [...m.values()].sort((x, y) => x.tid - y.tid);
}

/** Sorted union of the CPUs any thread may use. */
export function unionCpus(threads: readonly ThreadAffinity[]): number[] {
  return [...new Set(threads.flatMap((t) => t.cpus))].sort((x, y) => x - y);
}

/** True when every thread is allowed exactly the requested CPU set. */
export function pinnedTo(threads: readonly ThreadAffinity[], cpus: readonly number[]): boolean {
  const want = [...cpus].sort((x, y) => x - y).join(',');
  return threads.length > 0 && threads.every((t) => t.cpus.join(',') === want);
}

/** Reads back the pinning of `pid` under a role name; null when the process is gone. */
export function readPinning(role: string, pid: number, requested: number[]): Pinning | null {
  const threads = readThreadAffinity(pid);
  if (threads.length === 0) return null;
  return { role, pid, requested, allowed: unionCpus(threads), threads: threads.length, verified: pinnedTo(threads, requested) };
}

/**
 * Pins this process (every existing thread, and so every later one) to `cpus`. The
 * orchestrator hosts receivers, merges histograms and writes the store: on the service's
 * CPU it would steal from what is being measured. Returns false when taskset refused.
 */
export function pinSelf(cpus: readonly number[]): boolean {
  try {
    execFileSync('taskset', ['-a', '-p', '-c', cpus.join(','), String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Wraps argv so the process and every thread it creates starts pinned to `cpus`. */
export function pinned(cpus: readonly number[], argv: readonly string[]): string[] {
  return ['taskset', '-c', cpus.join(','), ...argv];
}

/** Warnings about a set of pinnings: shared CPUs between the service (or a local target, roles `target…`) and the generator, unverified masks. */
export function pinningWarnings(pins: readonly Pinning[]): string[] {
  const warnings: string[] = [];
  for (const p of pins) {
    if (!p.verified)
      warnings.push(
        `${p.role} (pid ${p.pid}) threads may run on CPUs ${p.allowed.join(',')}, not only the requested ${p.requested.join(',')}`,
      );
  }
  // The measured side: a service headroom started, or a target it found listening on this host.
  const measured = (p: Pinning): boolean => p.role === 'service' || p.role === 'target' || p.role.startsWith('target-');
  const service = pins.filter(measured).flatMap((p) => p.allowed);
  const gen = new Set(pins.filter((p) => !measured(p)).flatMap((p) => p.allowed));
  const shared = [...new Set(service)].filter((c) => gen.has(c));
  const what = pins.some((p) => p.role === 'service') ? 'service' : 'target';
  if (shared.length > 0)
    warnings.push(`${what} and load generator share CPU ${shared.join(',')}: latency and throughput include contention between them`);
  return warnings;
}
