/** The identity of a process that owns a spool, and whether it is still running. */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { SpoolOwner } from './codec.ts';

function startTicks(pid: number): number | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(text.slice(text.lastIndexOf(')') + 2).split(' ')[19]);
  } catch {
    return null;
  }
}

/** This process, as a spool owner. */
export function thisProcess(): SpoolOwner {
  return { pid: process.pid, start: startTicks(process.pid) ?? 0, host: hostname() };
}

/** True while the owner still runs; a spool from another host is assumed live (it cannot be checked). */
export function ownerAlive(o: SpoolOwner): boolean {
  if (o.host !== hostname()) return true;
  return startTicks(o.pid) === o.start;
}
