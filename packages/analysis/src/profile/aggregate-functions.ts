/**
 * Per-function sums of a run's function table for one profile type, with idle set apart:
 * shares are of the busy total (everything but `(idle)`), and idle is reported as its own share
 * of everything sampled.
 */
import type { FunctionRow } from '@headroom/capture/profile';
import { frameKind, type FrameKind } from './pseudo-frames.ts';

/** One function, summed over the phases asked for. */
export interface FunctionShare {
  function: string;
  file: string;
  line: number;
  self: number;
  total: number;
  /** self / busy total, 0..1. */
  self_pct: number;
  /** total / busy total, 0..1. */
  total_pct: number;
  unit: string;
  kind: FrameKind;
}

/** The idle part of a profile: its value and its share of everything sampled. */
export interface IdleShare {
  self: number;
  /** idle / (busy + idle), 0..1. */
  share: number;
}

/** Functions keyed by name and file, the busy total, and idle apart. */
export interface AggregatedFunctions {
  functions: Map<string, FunctionShare>;
  /** Sum of self over every non-idle row: the denominator of the shares. */
  busyTotal: number;
  idle: IdleShare;
  unit: string;
}

/** Which rows to sum. */
export interface AggregateFunctionsOptions {
  /** @default 'cpu' */
  type?: string;
  /** Only this phase; all phases summed when omitted. */
  phase?: string;
}

/** Sums rows of the same function (across phases, when no phase is given). */
export function aggregateFunctions(rows: readonly FunctionRow[], options: AggregateFunctionsOptions = {}): AggregatedFunctions {
  const type = options.type ?? 'cpu';
  const functions = new Map<string, FunctionShare>();
  let idle = 0;
  let unit = '';
  for (const r of rows) {
    if (r.type !== type || (options.phase !== undefined && r.phase !== options.phase)) continue;
    unit ||= r.unit;
    const kind = frameKind(r.function);
    if (kind === 'idle') {
      idle += r.self;
      continue;
    }
    const key = `${r.function}\0${r.file}`;
    const a = functions.get(key);
    if (a) {
      a.self += r.self;
      a.total += r.total;
    } else
      functions.set(key, {
        function: r.function,
        file: r.file,
        line: r.line,
        self: r.self,
        total: r.total,
        self_pct: 0,
        total_pct: 0,
        unit: r.unit,
        kind,
      });
  }
  // Self values partition the samples, so their sum is the profile's (busy) total.
  let busyTotal = 0;
  for (const f of functions.values()) busyTotal += f.self;
  for (const f of functions.values()) {
    f.self_pct = busyTotal > 0 ? f.self / busyTotal : 0;
    f.total_pct = busyTotal > 0 ? f.total / busyTotal : 0;
  }
  const all = busyTotal + idle;
  return { functions, busyTotal, idle: { self: idle, share: all > 0 ? idle / all : 0 }, unit };
}
