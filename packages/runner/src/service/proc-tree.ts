/**
 * What /proc says about processes: a process's parent, group and start time, and the
 * processes descending from one, so a service's children can be stopped even when they
 * left its process group or session. Linux only, like taskset.
 */
import { readFileSync, readdirSync } from 'node:fs';

/** One process as /proc/<pid>/stat describes it. */
export interface ProcStat {
  pid: number;
  ppid: number;
  pgrp: number;
  /** Start time in clock ticks since boot: with the pid, it names a process uniquely (pids are reused). */
  start: number;
}

/** Reads /proc/<pid>/stat; null when the process is gone. */
export function procStat(pid: number): ProcStat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) is in parentheses and may contain spaces or parentheses itself.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { pid, ppid: Number(rest[1]), pgrp: Number(rest[2]), start: Number(rest[19]) };
}

/** Every process now running. */
export function allProcs(): ProcStat[] {
  const out: ProcStat[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = procStat(Number(name));
    if (s) out.push(s);
  }
  return out;
}

/** Processes whose parent chain leads to `root`, or that are in process group `pgrp` (root itself excluded). */
export function descendantsOf(root: number, pgrp: number = root): ProcStat[] {
  const procs = allProcs();
  const children = new Map<number, ProcStat[]>();
  for (const p of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const found = new Map<number, ProcStat>();
  const stack = [root];
  while (stack.length > 0) {
    for (const c of children.get(stack.pop() as number) ?? [])
      if (!found.has(c.pid)) {
        found.set(c.pid, c);
        stack.push(c.pid);
      }
  }
  for (const p of procs) if (p.pgrp === pgrp && p.pid !== root) found.set(p.pid, p);
  return [...found.values()];
}

/** True while the process `s` names is still the same process (its pid was not reused). */
export function stillRunning(s: ProcStat): boolean {
  return procStat(s.pid)?.start === s.start;
}

/** The command line of a process, spaces between arguments; null when unreadable. */
export function commandLine(pid: number): string | null {
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return (
      raw
        .split('\0')
        .filter((a) => a !== '')
        .join(' ') || null
    );
  } catch {
    return null;
  }
}
