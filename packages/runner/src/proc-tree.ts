/**
 * The service's resource use read from /proc, for any language and with no agent: its whole
 * process tree (the service and every descendant), summed. Linux only (proc(5)).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Counters of a process tree at one moment; CPU and switches are cumulative. */
export interface ProcTreeReading {
  /** performance.now() of the reading. */
  atMs: number;
  /** user + system CPU seconds of the live processes. */
  cpuSeconds: number;
  rssMb: number;
  threads: number;
  voluntarySwitches: number;
  involuntarySwitches: number;
  processes: number;
}

let units: { ticks: number; page: number } | null = null;
/** Clock ticks per second and page size (getconf; 100 and 4096 when getconf is missing). */
function sysUnits(): { ticks: number; page: number } {
  if (units) return units;
  const get = (name: string, fallback: number) => {
    try {
      return Number(execFileSync('getconf', [name], { encoding: 'utf8' }).trim()) || fallback;
    } catch {
      return fallback;
    }
  };
  units = { ticks: get('CLK_TCK', 100), page: get('PAGESIZE', 4096) };
  return units;
}

/** Parses /proc/<pid>/stat after the command name (which may hold spaces and parentheses). */
function statFields(pid: number): string[] | null {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return s.slice(s.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/**
 * Pids of `root` and all its descendants, from each thread's /proc/<pid>/task/<tid>/children
 * (a few reads for a small tree), or from every process's parent when the kernel lacks that file.
 */
export function processTree(root: number): number[] {
  const out: number[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    out.push(pid);
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      let text: string;
      try {
        text = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT' && pid === root && tid === String(root)) return treeByParent(root);
        continue;
      }
      for (const c of text.split(' ')) if (c.trim() !== '') stack.push(Number(c));
    }
  }
  return out;
}

function treeByParent(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const f = statFields(pid);
    if (!f) continue;
    const list = children.get(Number(f[1])) ?? [];
    list.push(pid);
    children.set(Number(f[1]), list);
  }
  const out: number[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    out.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** Reads the tree's counters, or null when the root process is gone. */
export function readProcTree(root: number): ProcTreeReading | null {
  const { ticks, page } = sysUnits();
  const r: ProcTreeReading = {
    atMs: performance.now(),
    cpuSeconds: 0,
    rssMb: 0,
    threads: 0,
    voluntarySwitches: 0,
    involuntarySwitches: 0,
    processes: 0,
  };
  for (const pid of processTree(root)) {
    // Fields after the name, 0-based (proc(5) numbers them from 1 with pid and comm first):
    // utime 14 → 11, stime 15 → 12, num_threads 20 → 17, rss 24 → 21.
    const f = statFields(pid);
    if (!f) continue;
    r.cpuSeconds += (Number(f[11]) + Number(f[12])) / ticks;
    r.threads += Number(f[17]);
    r.rssMb += (Number(f[21]) * page) / 1048576;
    r.processes++;
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      r.voluntarySwitches += Number(/^voluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      r.involuntarySwitches += Number(/^nonvoluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1] ?? 0);
    } catch {
      /* exited between the two reads */
    }
  }
  return r.processes === 0 ? null : r;
}
