/**
 * Strict parsers for the units users write in scenario files.
 * Each returns a number or a message that says what is accepted, so callers can
 * collect every problem before reporting.
 */

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string; hint: string };

const DURATION_UNITS: Record<string, number> = { us: 0.001, µs: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION_RE = /^(\d+(?:\.\d+)?)(us|µs|ms|s|m|h)$/;
const DURATION_HINT = 'write a number followed by us, ms, s, m or h, e.g. "250ms", "30s", "2m"';

/** Parses "250ms", "30s", "2m", "1.5h", "500us" into milliseconds. */
export function parseDuration(input: unknown): Parsed<number> {
  if (typeof input !== 'string') {
    return { ok: false, message: `expected a duration string, got ${describe(input)}`, hint: DURATION_HINT };
  }
  const m = DURATION_RE.exec(input.trim());
  if (!m) return { ok: false, message: `"${input}" is not a duration`, hint: DURATION_HINT };
  return { ok: true, value: Number(m[1]) * (DURATION_UNITS[m[2] as string] as number) };
}

const COUNT_RE = /^(\d+(?:\.\d+)?)(k|M)?$/;
const COUNT_HINT = 'write a number, optionally with k or M, e.g. 2000, "2k", "1.5M"';

/** Parses 2000, "2k", "1.5M" into a number. */
export function parseCount(input: unknown): Parsed<number> {
  if (typeof input === 'number') {
    return Number.isFinite(input)
      ? { ok: true, value: input }
      : { ok: false, message: `expected a finite number, got ${input}`, hint: COUNT_HINT };
  }
  if (typeof input !== 'string') return { ok: false, message: `expected a number, got ${describe(input)}`, hint: COUNT_HINT };
  const m = COUNT_RE.exec(input.trim());
  if (!m) return { ok: false, message: `"${input}" is not a count`, hint: COUNT_HINT };
  const scale = m[2] === 'k' ? 1e3 : m[2] === 'M' ? 1e6 : 1;
  return { ok: true, value: Number(m[1]) * scale };
}

const PERCENT_RE = /^(\d+(?:\.\d+)?)%$/;
const PERCENT_HINT = 'write a percentage string such as "0.1%" or "5%"';

/** Parses "0.1%" into the fraction 0.001. */
export function parsePercent(input: unknown): Parsed<number> {
  if (typeof input !== 'string') return { ok: false, message: `expected a percentage, got ${describe(input)}`, hint: PERCENT_HINT };
  const m = PERCENT_RE.exec(input.trim());
  if (!m) return { ok: false, message: `"${input}" is not a percentage`, hint: PERCENT_HINT };
  const v = Number(m[1]) / 100;
  if (v > 1) return { ok: false, message: `"${input}" is over 100%`, hint: PERCENT_HINT };
  return { ok: true, value: v };
}

/** Formats a duration in ms as the shortest unit string that parses back ("30s", "2m"). */
export function formatDuration(ms: number): string {
  if (ms % 3_600_000 === 0 && ms > 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0 && ms > 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'nothing (the field is missing)';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `"${v}"`;
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}
