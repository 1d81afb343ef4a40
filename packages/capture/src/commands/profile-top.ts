/** `headroom profile top`: the functions with the most self time (or bytes) in a profile. */
import type { FunctionRow } from '../types.ts';
import { formatValue, pct, table } from './format.ts';

export interface ProfileTopOptions {
  /** Only this phase; all phases summed when omitted. */
  phase?: string;
  /** @default 'cpu' */
  type?: string;
  /** @default 20 */
  limit?: number;
  /** @default 'self' */
  sortBy?: 'self' | 'total';
}

export interface TopRow { function: string; file: string; line: number; self: number; total: number; self_pct: number; total_pct: number; unit: string }

export interface ProfileTopResult { type: string; phase: string | null; unit: string; profileTotal: number; rows: TopRow[]; text: string }

/** Sums rows of the same function (across phases, when no phase is given). */
export function aggregateFunctions(rows: readonly FunctionRow[], type: string, phase?: string): Map<string, TopRow> {
  const out = new Map<string, TopRow>();
  for (const r of rows) {
    if (r.type !== type || (phase !== undefined && r.phase !== phase)) continue;
    const key = `${r.function}\0${r.file}`;
    const a = out.get(key);
    if (a) { a.self += r.self; a.total += r.total; }
    else out.set(key, { function: r.function, file: r.file, line: r.line, self: r.self, total: r.total, self_pct: 0, total_pct: 0, unit: r.unit });
  }
  // Self values partition the samples, so their sum is the profile's total.
  const total = [...out.values()].reduce((s, r) => s + r.self, 0);
  for (const r of out.values()) { r.self_pct = total > 0 ? r.self / total : 0; r.total_pct = total > 0 ? r.total / total : 0; }
  return out;
}

/** The top functions of one profile type. */
export function profileTop(rows: readonly FunctionRow[], options: ProfileTopOptions = {}): ProfileTopResult {
  const type = options.type ?? 'cpu';
  const limit = options.limit ?? 20;
  const sortBy = options.sortBy ?? 'self';
  const all = [...aggregateFunctions(rows, type, options.phase).values()];
  const profileTotal = all.reduce((s, r) => s + r.self, 0);
  const unit = all[0]?.unit ?? '';
  const top = all.sort((a, b) => b[sortBy] - a[sortBy] || a.function.localeCompare(b.function)).slice(0, limit);
  const text = top.length === 0
    ? `no ${type} profile rows${options.phase ? ` for phase ${options.phase}` : ''}`
    : table(['self', 'self%', 'total', 'total%', 'function', 'location'], top.map((r) => [
      formatValue(r.self, unit), pct(r.self_pct), formatValue(r.total, unit), pct(r.total_pct), r.function, location(r)]));
  return { type, phase: options.phase ?? null, unit, profileTotal, rows: top, text };
}

export function location(r: { file: string; line: number }): string {
  return r.file ? `${r.file}${r.line ? `:${r.line}` : ''}` : '';
}
