/**
 * `--series file.csv` and `--traffic peaks.csv`: a header naming the columns (`time,value`,
 * optional `sha`; `time,rate` for traffic), one row per observation. Times are ISO 8601
 * ("2026-11-30" or "2026-11-30T12:00:00Z") or Unix seconds (what Prometheus exports).
 * Fields are split on commas; quoting is not supported (no field needs it).
 *
 * Rows out of time order are sorted and rows repeating a time keep the last one, each with a
 * warning; a value that is not a number is an error naming its line (ValidationError, exit 2),
 * all such problems reported at once.
 */
import { ValidationError } from '@headroom/core';
import type { ValidationIssue } from '@headroom/core';
import type { SeriesPoint } from './series.ts';

/** Options of {@link parseSeriesCsv}. */
export interface SeriesCsvOptions {
  /** The column holding the values: 'value' for series, 'rate' for traffic peaks. @default 'value' */
  valueColumn?: string;
}

export const SERIES_CSV_DEFAULTS = { valueColumn: 'value' } as const;

/** A parsed series, sorted by time with unique times, and what was fixed on the way. */
export interface ParsedSeries {
  points: SeriesPoint[];
  warnings: string[];
}

const ISO_RE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Parses the CSV text of file `name`; throws ValidationError listing every bad line. */
export function parseSeriesCsv(text: string, name: string, options: SeriesCsvOptions = {}): ParsedSeries {
  const o = { ...SERIES_CSV_DEFAULTS, ...options };
  const lines = text.split(/\r?\n/);
  const issues: ValidationIssue[] = [];
  let header: string[] | null = null;
  let headerLine = 0;
  const rows: Array<{ line: number; point: SeriesPoint }> = [];
  let cols = { time: -1, value: -1, sha: -1 };
  lines.forEach((raw, i) => {
    const line = i + 1;
    const text = raw.trim();
    if (text === '' || text.startsWith('#')) return;
    const fields = text.split(',').map((f) => f.trim());
    if (header === null) {
      header = fields.map((f) => f.toLowerCase());
      headerLine = line;
      cols = { time: header.indexOf('time'), value: header.indexOf(o.valueColumn), sha: header.indexOf('sha') };
      if (cols.time < 0 || cols.value < 0) {
        issues.push({
          path: `line ${line}`,
          message: `the header must name the columns "time" and "${o.valueColumn}", got "${text}"`,
          hint: `time,${o.valueColumn}`,
        });
      }
      return;
    }
    if (cols.time < 0 || cols.value < 0) return;
    if (fields.length !== header.length) {
      issues.push({ path: `line ${line}`, message: `has ${fields.length} fields, the header (line ${headerLine}) has ${header.length}` });
      return;
    }
    const t = parseTime(fields[cols.time] as string);
    const vText = fields[cols.value] as string;
    const v = vText === '' ? Number.NaN : Number(vText);
    if (t === null)
      issues.push({
        path: `line ${line}`,
        message: `time "${fields[cols.time]}" is not an ISO date or Unix seconds`,
        hint: '2026-11-30 or 2026-11-30T12:00:00Z',
      });
    if (!Number.isFinite(v)) issues.push({ path: `line ${line}`, message: `${o.valueColumn} "${vText}" is not a number` });
    if (t === null || !Number.isFinite(v)) return;
    const sha = cols.sha >= 0 ? fields[cols.sha] : undefined;
    rows.push({ line, point: sha ? { time: t, value: v, sha } : { time: t, value: v } });
  });
  if (header === null) issues.push({ path: '(file)', message: 'is empty', hint: `time,${o.valueColumn}` });
  else if (issues.length === 0 && rows.length === 0) issues.push({ path: '(file)', message: 'has a header but no rows' });
  if (issues.length > 0) throw new ValidationError(name, issues);
  return sortAndDedup(rows);
}

function parseTime(text: string): number | null {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  if (!ISO_RE.test(text)) return null;
  const t = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text);
  return Number.isFinite(t) ? t : null;
}

function sortAndDedup(rows: Array<{ line: number; point: SeriesPoint }>): ParsedSeries {
  const warnings: string[] = [];
  const ordered = rows.every((r, i) => i === 0 || (rows[i - 1] as { point: SeriesPoint }).point.time <= r.point.time);
  if (!ordered) warnings.push('rows were not in time order; sorted by time');
  const sorted = [...rows].sort((a, b) => a.point.time - b.point.time || a.line - b.line);
  const points: SeriesPoint[] = [];
  const repeated: number[] = [];
  for (const r of sorted) {
    const prev = points.at(-1);
    if (prev && prev.time === r.point.time) {
      points[points.length - 1] = r.point; // keep the later row of the file
      repeated.push(r.line);
    } else {
      points.push(r.point);
    }
  }
  if (repeated.length > 0) {
    warnings.push(
      `${repeated.length} row${repeated.length === 1 ? '' : 's'} repeat${repeated.length === 1 ? 's' : ''} an earlier time (line${repeated.length === 1 ? '' : 's'} ${repeated.slice(0, 5).join(', ')}${repeated.length > 5 ? ', …' : ''}); kept the last row of each time`,
    );
  }
  return { points, warnings };
}
