/**
 * Pinning is verified, not assumed: read which CPUs every thread of a process may run on,
 * from /proc/<pid>/task/<tid>/status (`Cpus_allowed_list`, see proc(5)). Worker threads,
 * V8's platform threads and libuv's pool all show up as tasks of the process.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface ThreadAffinity {
  tid: number;
  /** The thread's name (`Name:` in status), e.g. "node", "V8Worker", "libuv-worker". */
  name: string;
  cpus: number[];
}

/** Parses a kernel CPU list ("0-2,5,7-8") into sorted CPU numbers. */
export function parseCpuList(list: string): number[] {
  const out = new Set<number>();
  for (const part of list.trim().split(',')) {
    if (part === '') continue;
    const [a, b] = part.split('-');
    const lo = Number(a);
    const hi = b === undefined ? lo : Number(b);
    if (!Number.isInteger(lo) || !Number.isInteger(hi)) throw new Error(`not a CPU list: ${JSON.stringify(list)}`);
    for (let c = lo; c <= hi; c++) out.add(c);
  }
  return [...out].sort((x, y) => x - y);
}

/**
 * The allowed CPUs of every live thread of `pid`. Threads that exit while being read are
 * skipped. Returns [] when the process is gone.
 */
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
