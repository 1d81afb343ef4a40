/**
 * The one set of unit formatters every renderer uses (terminal, Markdown, HTML): times in
 * the unit that keeps 3-4 significant digits, rates and counts with thousands separators.
 */

/** 0.25 → "250µs", 2.5 → "2.50ms", 250 → "250ms", 12_500 → "12.50s". */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms < 0) return `-${formatMs(-ms)}`; // a forecast's interval can reach below 0
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

/** 12345.6 → "12,346"; null → `missing` ("-" unless given). */
export function formatCount(n: number | null, missing = '-'): string {
  return n === null ? missing : Math.round(n).toLocaleString('en-US');
}

/** Requests a second: "1,000/s" from 100 up, "12.5/s" below. */
export function formatRate(r: number): string {
  return `${r >= 100 ? Math.round(r).toLocaleString('en-US') : r.toFixed(1)}/s`;
}

/** A fraction as a percentage: 0.0012 → "0.120%" with `digits` decimals. */
export function formatPercent(fraction: number, digits = 1): string {
  return `${(fraction * 100).toFixed(digits)}%`;
}

/**
 * A value of a history metric in its unit: 'ms' (latency), 'us' (CPU per request), 'ns' (bench),
 * 'req/s', 'MB', 'x' (headroom); any other unit is appended to 4 significant digits.
 */
export function formatMetric(value: number, unit: string): string {
  if (!Number.isFinite(value)) return String(value);
  switch (unit) {
    case 'ms':
      return formatMs(value);
    case 'us':
      return formatMs(value / 1000);
    case 'ns':
      return formatNs(value);
    case 'req/s':
      return formatRate(value);
    case 'MB':
      return `${value.toFixed(value < 100 ? 1 : 0)} MB`;
    case 'x':
      return `${value.toFixed(2)}x`;
    default:
      return unit === '' ? String(Number(value.toPrecision(4))) : `${Number(value.toPrecision(4))} ${unit}`;
  }
}

/** A change of a metric with its sign: "+1.20ms", "-0.02x", "+0" for zero. */
export function formatSignedMetric(value: number, unit: string): string {
  return `${value < 0 ? '-' : '+'}${formatMetric(Math.abs(value), unit)}`;
}
