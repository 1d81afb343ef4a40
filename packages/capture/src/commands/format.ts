/** Plain-text formatting shared by the capture commands. */

/** A value in its unit, scaled for reading: nanoseconds as ms/s, bytes as KiB/MiB. */
export function formatValue(v: number, unit: string): string {
  if (unit === 'nanoseconds') {
    const ms = v / 1e6;
    return ms >= 1000 ? `${(ms / 1000).toFixed(2)}s` : `${ms.toFixed(ms >= 10 ? 0 : 1)}ms`;
  }
  if (unit === 'bytes') {
    const a = Math.abs(v);
    return a >= 1024 * 1024 ? `${(v / 1024 / 1024).toFixed(1)}MiB` : a >= 1024 ? `${(v / 1024).toFixed(1)}KiB` : `${v}B`;
  }
  return String(Math.round(v));
}

export function pct(f: number, signed = false): string {
  const s = `${(f * 100).toFixed(2)}%`;
  return signed && f > 0 ? `+${s}` : s;
}

/** Left-aligned columns, the last one unpadded. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
