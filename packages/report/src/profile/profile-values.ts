/** Cells of the profile reports: a sampled value in its pprof unit, a share, a source location. */
import { formatCompareValue } from '../compare-values.ts';

/** A value in its pprof unit, scaled for reading: nanoseconds as ns…s, bytes as B/KiB/MiB/GiB, counts as integers. */
export function formatProfileValue(v: number, unit: string): string {
  if (unit === 'nanoseconds') return formatCompareValue(v, 'ns');
  if (unit === 'bytes') {
    const a = Math.abs(v);
    const [div, suffix] = a >= 2 ** 30 ? [2 ** 30, 'GiB'] : a >= 2 ** 20 ? [2 ** 20, 'MiB'] : a >= 2 ** 10 ? [2 ** 10, 'KiB'] : [1, 'B'];
    return div === 1 ? `${v}B` : `${(v / div).toFixed(1)}${suffix}`;
  }
  return String(Math.round(v));
}

/** A share 0..1 as a percentage with two decimals; `signed` puts + on gains. */
export function formatShare(f: number, signed = false): string {
  const s = `${(f * 100).toFixed(2)}%`;
  return signed && f > 0 ? `+${s}` : s;
}

/** `file:line`, `file`, or nothing. */
export function formatLocation(r: { file: string; line: number }): string {
  return r.file ? `${r.file}${r.line ? `:${r.line}` : ''}` : '';
}
