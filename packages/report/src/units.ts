/**
 * The one set of unit formatters every renderer uses (terminal, Markdown, HTML): times in
 * the unit that keeps 3-4 significant digits, rates and counts with thousands separators.
 */

/** 0.25 → "250µs", 2.5 → "2.50ms", 250 → "250ms", 12_500 → "12.50s". */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms < 1) return `${Math.round(ms * 1000)}µs`;
  if (ms < 100) return `${ms.toFixed(ms < 10 ? 2 : 1)}ms`;
  if (ms < 10_000) return `${Math.round(ms)}ms`;
  return `${(ms / 1000).toFixed(2)}s`;
}

/** Nanoseconds per operation: 355.5 → "355.5ns", 1234 → "1.23µs", 2.5e6 → "2.50ms". */
export function formatNs(ns: number | null): string {
  if (ns === null) return '-';
  if (!Number.isFinite(ns)) return String(ns);
  if (ns < 1000) return `${ns.toFixed(1)}ns`;
  if (ns < 1e6) return `${(ns / 1e3).toFixed(2)}µs`;
  if (ns < 1e9) return `${(ns / 1e6).toFixed(2)}ms`;
  return `${(ns / 1e9).toFixed(2)}s`;
}

/** 12345.6 → "12,346"; null → "-". */
export function formatCount(n: number | null): string {
  return n === null ? '-' : Math.round(n).toLocaleString('en-US');
}

/** Requests a second: "1,000/s" from 100 up, "12.5/s" below. */
export function formatRate(r: number): string {
  return `${r >= 100 ? Math.round(r).toLocaleString('en-US') : r.toFixed(1)}/s`;
}

/** A fraction as a percentage: 0.0012 → "0.120%" with `digits` decimals. */
export function formatPercent(fraction: number, digits = 1): string {
  return `${(fraction * 100).toFixed(digits)}%`;
}
