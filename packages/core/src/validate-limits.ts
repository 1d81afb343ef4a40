/**
 * Limits a scenario must stay within before anything starts: durations Node's timers can
 * hold, step plans of a sane size, and connection counts each worker's open-file limit allows.
 */
import { readFileSync } from 'node:fs';
import type { Checker } from './checker.ts';
import type { Phase } from './scenario.ts';

/** Longest duration Node's timers can hold (2^31 - 1 ms, about 24.8 days); longer ones fire at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;
/** Most steps a step phase may have: each step is a sub-phase with its own rows and histogram. */
export const MAX_STEPS = 1000;
/** Shortest step: a step shorter than a second has no whole second of data. */
export const MIN_STEP_MS = 1000;
/** Most connections a scenario may open in one phase, whatever the limits say. */
export const MAX_CONNECTIONS = 100_000;
/** File descriptors a worker needs beside its connections (stdio, IPC, timers, DNS, modules). */
const FD_RESERVE = 64;

/** The soft limit on open files of this process (`ulimit -n`), from /proc; 1024 when unknown. */
export function openFileLimit(): number {
  try {
    const m = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    if (m?.[1] === 'unlimited') return Number.MAX_SAFE_INTEGER;
    if (m?.[1]) return Number(m[1]);
  } catch {
    /* not Linux */
  }
  return 1024;
}

/** A duration Node's timers can hold, at least `minMs` (a duration of 0 is refused where `minMs` > 0). */
export function timerDuration(c: Checker, v: unknown, path: string, minMs = 0): number | undefined {
  const ms = c.duration(v, path);
  if (ms === undefined) return undefined;
  if (ms > MAX_TIMER_MS)
    return c.add(path, `${String(v)} is longer than timers can hold (about 24.8 days)`, 'split a long soak into several runs');
  if (ms < minMs) return c.add(path, `must be at least ${minMs >= 1000 ? `${minMs / 1000}s` : `${minMs}ms`}, got ${String(v)}`);
  return ms;
}

/** The whole run fits a timer, and each worker's share of connections fits its open-file limit. */
export function checkLimits(c: Checker, phases: Phase[], raw: unknown, workers: number, fdLimit: number): void {
  // Paths name the phase as written (invalid phases are not in `phases`).
  const at = (name: string): number => (Array.isArray(raw) ? raw.findIndex((r) => (r as { name?: unknown } | null)?.name === name) : -1);
  const total = phases.reduce((s, p) => s + p.durationMs, 0);
  if (total > MAX_TIMER_MS)
    c.add('phases', `last ${Math.round(total / 86_400_000)} days in total, longer than timers can hold (about 24.8 days)`, 'split the run');
  phases.forEach((p) => {
    const path = `phases[${at(p.name)}].connections`;
    const connections = p.model === 'closed-steps' ? Math.max(...p.levels) : p.connections;
    if (connections > MAX_CONNECTIONS) {
      c.add(path, `${connections} connections is more than ${MAX_CONNECTIONS}`, 'use fewer connections, or more load generators');
      return;
    }
    const perWorker = Math.ceil(connections / Math.max(1, workers));
    if (perWorker + FD_RESERVE > fdLimit) {
      c.add(
        path,
        `${perWorker} connections per worker need more open files than the limit (ulimit -n = ${fdLimit})`,
        `raise it (ulimit -n ${perWorker + FD_RESERVE * 2}) or use fewer connections or more workers`,
      );
    }
  });
}
