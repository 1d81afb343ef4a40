/**
 * `headroom compare` for profiles: per-function change between two runs, each side normalised
 * by its own total (so a run that simply did more work does not look like a regression), the
 * way Pyroscope's diff view compares shares; biggest movers first.
 */
import type { FunctionRow } from '../types.ts';
import { aggregateFunctions, location } from './profile-top.ts';
import { pct, table } from './format.ts';

export interface ProfileDiffOptions {
  /** @default 'cpu' */
  type?: string;
  /** Only this phase on both sides; all phases summed when omitted. */
  phase?: string;
  /** @default 20 */
  limit?: number;
}

export interface DiffRow {
  function: string;
  file: string;
  line: number;
  /** Share of the side's total, 0..1. */
  base_self_pct: number;
  cand_self_pct: number;
  delta_self_pct: number;
  base_total_pct: number;
  cand_total_pct: number;
  delta_total_pct: number;
  status: 'added' | 'removed' | 'changed';
}

export interface ProfileDiffResult { type: string; baseTotal: number; candTotal: number; unit: string; rows: DiffRow[]; text: string }

/** Per-function difference of candidate vs baseline, sorted by |Δ self share|. */
export function profileDiff(baseRows: readonly FunctionRow[], candRows: readonly FunctionRow[], options: ProfileDiffOptions = {}): ProfileDiffResult {
  const type = options.type ?? 'cpu';
  const base = aggregateFunctions(baseRows, type, options.phase);
  const cand = aggregateFunctions(candRows, type, options.phase);
  const rows: DiffRow[] = [];
  for (const key of new Set([...base.keys(), ...cand.keys()])) {
    const b = base.get(key);
    const c = cand.get(key);
    const any = (c ?? b)!;
    const r: DiffRow = {
      function: any.function, file: any.file, line: any.line,
      base_self_pct: b?.self_pct ?? 0, cand_self_pct: c?.self_pct ?? 0, delta_self_pct: (c?.self_pct ?? 0) - (b?.self_pct ?? 0),
      base_total_pct: b?.total_pct ?? 0, cand_total_pct: c?.total_pct ?? 0, delta_total_pct: (c?.total_pct ?? 0) - (b?.total_pct ?? 0),
      status: !b ? 'added' : !c ? 'removed' : 'changed',
    };
    rows.push(r);
  }
  rows.sort((x, y) => Math.abs(y.delta_self_pct) - Math.abs(x.delta_self_pct) || Math.abs(y.delta_total_pct) - Math.abs(x.delta_total_pct));
  const top = rows.slice(0, options.limit ?? 20);
  const sum = (m: typeof base) => [...m.values()].reduce((s, r) => s + r.self, 0);
  const unit = [...base.values(), ...cand.values()][0]?.unit ?? '';
  const text = top.length === 0 ? `no ${type} profile rows on either side`
    : table(['Δself', 'base self', 'cand self', 'Δtotal', 'function', 'location'], top.map((r) => [
      pct(r.delta_self_pct, true), pct(r.base_self_pct), pct(r.cand_self_pct), pct(r.delta_total_pct, true),
      r.status === 'changed' ? r.function : `${r.function} (${r.status})`, location(r)]));
  return { type, baseTotal: sum(base), candTotal: sum(cand), unit, rows: top, text };
}
