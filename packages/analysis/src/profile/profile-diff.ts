/**
 * `headroom profile diff`: per-function change between two runs, each side normalised by its
 * own busy total (so a run that simply did more work does not look like a regression, and a run
 * that waited more does not dilute every function), the way Pyroscope's diff view compares
 * shares; biggest movers first. Idle is compared apart.
 */
import type { FunctionRow } from '@headroom/capture/profile';
import { aggregateFunctions, type IdleShare } from './aggregate-functions.ts';
import type { FrameKind } from './pseudo-frames.ts';

/** Which profiles to compare and how many rows. */
export interface ProfileDiffOptions {
  /** @default 'cpu' */
  type?: string;
  /** Only this phase on both sides; all phases summed when omitted. */
  phase?: string;
  /** @default 20 */
  limit?: number;
}

/** One function on both sides. Shares are of each side's busy total, 0..1. */
export interface DiffRow {
  function: string;
  file: string;
  line: number;
  kind: FrameKind;
  base_self_pct: number;
  cand_self_pct: number;
  delta_self_pct: number;
  base_total_pct: number;
  cand_total_pct: number;
  delta_total_pct: number;
  status: 'added' | 'removed' | 'changed';
}

/** The movers, and each side's totals and idle. */
export interface ProfileDiffResult {
  type: string;
  /** Busy (non-idle) totals of each side. */
  baseTotal: number;
  candTotal: number;
  baseIdle: IdleShare;
  candIdle: IdleShare;
  unit: string;
  rows: DiffRow[];
}

/** Per-function difference of candidate vs baseline, sorted by |Δ self share|. */
export function profileDiff(
  baseRows: readonly FunctionRow[],
  candRows: readonly FunctionRow[],
  options: ProfileDiffOptions = {},
): ProfileDiffResult {
  const type = options.type ?? 'cpu';
  const pick = { type, ...(options.phase === undefined ? {} : { phase: options.phase }) };
  const base = aggregateFunctions(baseRows, pick);
  const cand = aggregateFunctions(candRows, pick);
  const rows: DiffRow[] = [];
  for (const key of new Set([...base.functions.keys(), ...cand.functions.keys()])) {
    const b = base.functions.get(key);
    const c = cand.functions.get(key);
    const any = (c ?? b)!;
    rows.push({
      function: any.function,
      file: any.file,
      line: any.line,
      kind: any.kind,
      base_self_pct: b?.self_pct ?? 0,
      cand_self_pct: c?.self_pct ?? 0,
      delta_self_pct: (c?.self_pct ?? 0) - (b?.self_pct ?? 0),
      base_total_pct: b?.total_pct ?? 0,
      cand_total_pct: c?.total_pct ?? 0,
      delta_total_pct: (c?.total_pct ?? 0) - (b?.total_pct ?? 0),
      status: !b ? 'added' : !c ? 'removed' : 'changed',
    });
  }
  rows.sort((x, y) => Math.abs(y.delta_self_pct) - Math.abs(x.delta_self_pct) || Math.abs(y.delta_total_pct) - Math.abs(x.delta_total_pct));
  return {
    type,
    baseTotal: base.busyTotal,
    candTotal: cand.busyTotal,
    baseIdle: base.idle,
    candIdle: cand.idle,
    unit: base.unit || cand.unit,
    rows: rows.slice(0, options.limit ?? 20),
  };
}
