/**
 * The npm (or npx) process headroom was started through, if any. npm runs a package's bin
 * through `sh -c`, which outlives npm: when npm is killed, headroom's own parent is still alive.
 * A run watches this ancestor too, so it stops as interrupted rather than going on unattended.
 * Linux /proc only.
 */
import { readFileSync } from 'node:fs';

/** A process named by its pid and start time (pids are reused). */
export interface Ancestor {
  pid: number;
  start: number;
}

/** How far up the parent chain npm may be (npm → sh → the Node-24 re-run wrapper → headroom). */
const MAX_DEPTH = 4;

function stat(pid: number): { ppid: number; start: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may contain spaces or parentheses itself.
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(rest[1]), start: Number(rest[19]) };
  } catch {
    return null;
  }
}

function isNpm(pid: number): boolean {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    // npm retitles itself `npm exec headroom …` (one string); before that, `node …/npm-cli.js …` or `…/npx-cli.js …`.
    return /^(npm|npx)( |$)/.test(argv[0] ?? '') || argv.slice(0, 2).some((a) => /(^|\/)(npm|npx)(-cli\.js)?$/.test(a));
  } catch {
    return false;
  }
}

/** The nearest npm or npx among this process's ancestors, or null when it was not started through one. */
export function npmAncestor(pid: number = process.pid): Ancestor | null {
  let current = stat(pid);
  for (let depth = 0; current && current.ppid > 1 && depth < MAX_DEPTH; depth++) {
    const parent = current.ppid;
    const s = stat(parent);
    if (!s) return null;
    if (isNpm(parent)) return { pid: parent, start: s.start };
    current = s;
  }
  return null;
}

/** True while `a` is still the same process. */
export function ancestorAlive(a: Ancestor): boolean {
  return stat(a.pid)?.start === a.start;
}
