/**
 * Runs travel between CI jobs as a folder of Parquet files: one file per table that has rows
 * of the exported runs (every table keyed by run id, histograms and all), plus the runs rows
 * themselves. Import is idempotent: the rows of each imported run replace any it had.
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { listValue } from '@duckdb/node-api';
import { UsageError } from '@headroom/core';
import { TABLES, quote, type TableName } from '../schema.ts';
import type { Store } from '../store.ts';

/** What an export or import moved. */
export interface TransferResult {
  dir: string;
  runs: string[];
  /** Rows per table. */
  rows: Partial<Record<TableName, number>>;
}

/** Every table and the column that names the run of a row. */
function runTables(): [TableName, string][] {
  return (Object.keys(TABLES) as TableName[]).map((t) => [t, t === 'runs' ? 'id' : 'run_id']);
}

/** A file path as a SQL string literal (COPY takes no parameter for its target). */
function literal(path: string): string {
  return `'${path.replaceAll("'", "''")}'`;
}

/** Writes the given runs, with every row any table holds for them, to `dir` as Parquet files. */
export async function exportRuns(store: Store, ids: readonly string[], dir: string): Promise<TransferResult> {
  const out = resolve(dir);
  mkdirSync(out, { recursive: true });
  const rows: TransferResult['rows'] = {};
  for (const [table, key] of runTables()) {
    const [{ n }] = (await store.query<{ n: number }>(`SELECT count(*) AS n FROM ${table} WHERE list_contains($1, ${quote(key)})`, [
      listValue([...ids]),
    ])) as [{ n: number }];
    const file = join(out, `${table}.parquet`);
    if (n === 0) {
      // A folder reused for another export (a CI cache, a second try) must not keep the last export's rows.
      rmSync(file, { force: true });
      continue;
    }
    await store.exec(
      `COPY (SELECT * FROM ${table} WHERE list_contains($1, ${quote(key)})) TO ${literal(join(out, `${table}.parquet`))} (FORMAT parquet)`,
      [listValue([...ids])],
    );
    rows[table] = n;
  }
  return { dir: out, runs: [...ids], rows };
}

/** Reads a folder written by exportRuns into the store; runs already there are replaced with the imported rows. */
export async function importRuns(store: Store, dir: string): Promise<TransferResult> {
  const from = resolve(dir);
  const runsFile = join(from, 'runs.parquet');
  if (!existsSync(runsFile)) {
    throw new UsageError(
      `${from} has no runs.parquet; import a folder written by: headroom runs export <runs> -o <folder>`,
      'E_FILE_NOT_FOUND',
    );
  }
  const known = new Set<string>(Object.keys(TABLES));
  const unknown = readdirSync(from).filter((f) => f.endsWith('.parquet') && !known.has(f.slice(0, -'.parquet'.length)));
  if (unknown.length > 0)
    throw new UsageError(
      `${from} has tables this headroom does not know (${unknown.join(', ')}); it was exported by a newer headroom`,
      'E_STORE_NEWER',
    );
  let ids: string[];
  try {
    ids = (await store.query<{ id: string }>('SELECT id FROM read_parquet($1) ORDER BY started_at', [runsFile])).map((r) => r.id);
  } catch (err) {
    throw new UsageError(
      `${runsFile} is not a readable Parquet file (${(err as Error).message.split('\n')[0]}); export the runs again (headroom runs export <runs> -o <folder>)`,
      'E_BAD_EXPORT',
    );
  }
  const rows: TransferResult['rows'] = {};
  await store.exec('BEGIN TRANSACTION');
  try {
    for (const [table, key] of runTables()) {
      await store.exec(`DELETE FROM ${table} WHERE list_contains($1, ${quote(key)})`, [listValue(ids)]);
      const file = join(from, `${table}.parquet`);
      if (!existsSync(file)) continue;
      // By column name, so a file from a store with fewer columns (an older schema) still imports.
      let cols: string[];
      try {
        cols = (
          await store.query<{ name: string }>('SELECT name FROM parquet_schema($1) WHERE name IN (SELECT unnest($2))', [
            file,
            listValue(Object.keys(TABLES[table].columns)),
          ])
        ).map((c) => quote(c.name));
      } catch (err) {
        throw new UsageError(
          `${file} is not a readable Parquet file (${(err as Error).message.split('\n')[0]}); export the runs again (headroom runs export <runs> -o <folder>)`,
          'E_BAD_EXPORT',
        );
      }
      // Only rows of the runs in runs.parquet: a stray file from another export adds nothing.
      const own = `FROM read_parquet($1) WHERE list_contains($2, ${quote(key)})`;
      await store.exec(`INSERT INTO ${table} (${cols.join(', ')}) SELECT ${cols.join(', ')} ${own}`, [file, listValue(ids)]);
      const [{ n }] = (await store.query<{ n: number }>(`SELECT count(*) AS n ${own}`, [file, listValue(ids)])) as [{ n: number }];
      rows[table] = n;
    }
    await store.exec('COMMIT');
  } catch (err) {
    await store.exec('ROLLBACK');
    throw err;
  }
  return { dir: from, runs: ids, rows };
}
