/**
 * `headroom capacity --points file.csv`: a capacity planner's own measurements, one row per
 * concurrency level (repeats allowed), to fit the USL to.
 *
 *   concurrency,throughput,p99_ms
 *   1,955.16,1.2
 *   2,1878.91,1.3
 *
 * The header names the columns in any order; `concurrency` and `throughput` are required,
 * `p99_ms` is optional. Blank lines and lines starting with `#` are skipped. Every problem is
 * reported at once with its line number, as a ValidationError (exit 2).
 */
import { ValidationError, type ValidationIssue } from '@headroom/core';

/** One row: throughput x (req/s) at concurrency n, and its p99 latency when the file has one. */
export interface CapacityPoint {
  n: number;
  x: number;
  p99Ms?: number;
}

const COLUMNS = { concurrency: 'n', throughput: 'x', p99_ms: 'p99Ms' } as const;
type Column = keyof typeof COLUMNS;
const HEADER_HINT = 'the first line must be a header such as "concurrency,throughput" or "concurrency,throughput,p99_ms"';

/** Parses a points CSV; `source` names the file in error messages. */
export function parsePointsCsv(text: string, source = 'points file'): CapacityPoint[] {
  const issues: ValidationIssue[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let header: Column[] | null = null;
  const points: CapacityPoint[] = [];
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const path = `line ${i + 1}`;
    const fields = line.split(',').map((f) => f.trim());
    if (header === null) {
      header = parseHeader(fields, path, issues);
      return;
    }
    if (header.length === 0) return; // bad header already reported
    if (fields.length !== header.length) {
      issues.push({ path, message: `expected ${header.length} values (${header.join(',')}), got ${fields.length}` });
      return;
    }
    const point: Partial<CapacityPoint> = {};
    let ok = true;
    header.forEach((col, c) => {
      const text = fields[c]!;
      const v = Number(text);
      if (text === '' || !Number.isFinite(v)) {
        issues.push({ path: `${path}, ${col}`, message: `expected a number, got ${JSON.stringify(text)}` });
        ok = false;
      } else if (col === 'concurrency' ? !(v > 0) : v < 0) {
        issues.push({ path: `${path}, ${col}`, message: `${col} must be ${col === 'concurrency' ? '> 0' : '>= 0'}, got ${text}` });
        ok = false;
      } else {
        point[COLUMNS[col]] = v;
      }
    });
    if (ok) points.push(point as CapacityPoint);
  });
  if (header === null) issues.push({ path: 'line 1', message: 'the file is empty', hint: HEADER_HINT });
  else if (issues.length === 0 && points.length === 0) issues.push({ path: '(file)', message: 'no data rows after the header' });
  if (issues.length > 0) throw new ValidationError(source, issues);
  return points;
}

function parseHeader(fields: string[], path: string, issues: ValidationIssue[]): Column[] {
  const names = fields.map((f) => f.toLowerCase());
  const bad: ValidationIssue[] = [];
  for (const name of names) {
    if (!(name in COLUMNS)) bad.push({ path, message: `unknown column ${JSON.stringify(name)}`, hint: HEADER_HINT });
  }
  for (const need of ['concurrency', 'throughput']) {
    if (!names.includes(need)) bad.push({ path, message: `missing column "${need}"`, hint: HEADER_HINT });
  }
  if (new Set(names).size !== names.length) bad.push({ path, message: 'a column is named twice' });
  issues.push(...bad);
  return bad.length > 0 ? [] : (names as Column[]);
}
