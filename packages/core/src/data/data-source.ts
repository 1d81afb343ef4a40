/**
 * Test data for scripted load: `csv('users.csv')`, `json('ids.json')` or an array, each with a
 * picking policy. The helpers only describe a source; validation reads the file (relative to
 * the scenario file) and reports a bad row with its line, and the load worker reads it again.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DataRow } from '../flow.ts';
import { parseCsv } from './parse-csv.ts';

/**
 * Which row an iteration gets:
 * - `sequential`: each worker walks the rows in order from the first (workers may repeat rows);
 * - `random`: a row drawn from the VU's seeded stream each iteration;
 * - `unique-per-iteration`: every iteration of the whole run gets a row no other iteration got
 *   (worker i of n takes rows i, i+n, i+2n …);
 * - `unique-per-vu`: each VU keeps one row for all its iterations, no two VUs share one.
 */
export type DataPick = 'sequential' | 'random' | 'unique-per-iteration' | 'unique-per-vu';

/** After the last row: start over (`cycle`), or start no more iterations that need a row (`stop`). */
export type DataExhausted = 'cycle' | 'stop';

/** Options of a data source. */
export interface DataOptions {
  /** @default 'sequential' */
  pick?: DataPick;
  /** @default 'cycle' */
  whenExhausted?: DataExhausted;
}

/** A data source as written in a scenario (what `csv`, `json` and `rows` return). */
export interface DataSourceInput extends DataOptions {
  readonly kind: 'csv' | 'json' | 'inline';
  /** File path as written, relative to the scenario file (csv, json). */
  readonly path?: string;
  /** The rows themselves (inline). */
  readonly rows?: readonly DataRow[];
}

/** A validated data source: the worker reloads its rows from `file`, or from the scenario module (inline). */
export interface DataSpec {
  name: string;
  kind: 'csv' | 'json' | 'inline';
  /** Absolute path (csv, json), null for inline rows. */
  file: string | null;
  pick: DataPick;
  whenExhausted: DataExhausted;
  /** Number of rows (checked at validation). */
  rows: number;
}

/** Rows from a CSV file whose first line names the columns: `vu.data.users.email`. Path relative to the scenario file. */
export function csv(path: string, options: DataOptions = {}): DataSourceInput {
  return { kind: 'csv', path, ...options };
}

/** Rows from a JSON file holding an array. Path relative to the scenario file. */
export function json(path: string, options: DataOptions = {}): DataSourceInput {
  return { kind: 'json', path, ...options };
}

/** Rows given inline, with a picking policy (a bare array picks sequentially). */
export function rows(list: readonly DataRow[], options: DataOptions = {}): DataSourceInput {
  return { kind: 'inline', rows: list, ...options };
}

/** The rows of a file source, or the problem (with its line for CSV). `scenarioFile` anchors relative paths. */
export function readDataFile(
  kind: 'csv' | 'json',
  path: string,
  scenarioFile: string,
): { ok: true; file: string; rows: DataRow[] } | { ok: false; file: string; message: string } {
  const file = resolve(dirname(resolve(scenarioFile)), path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    return { ok: false, file, message: `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
  }
  if (kind === 'csv') {
    const r = parseCsv(text);
    return r.ok ? { ok: true, file, rows: r.rows } : { ok: false, file, message: `${file}:${r.line}: ${r.message}` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, file, message: `${file}: not JSON (${(err as Error).message})` };
  }
  if (!Array.isArray(value)) return { ok: false, file, message: `${file}: must hold a JSON array of rows` };
  return { ok: true, file, rows: value as DataRow[] };
}
