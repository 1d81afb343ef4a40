/**
 * What a store file has: readers open older files read-only (no migration), so a column a
 * later schema added may be missing and a query must not name it.
 */
import type { Store } from '../store.ts';

/** True when `table` has every one of `columns`. */
export async function hasColumns(store: Store, table: string, columns: readonly string[]): Promise<boolean> {
  const rows = await store.query<{ column_name: string }>('SELECT column_name FROM information_schema.columns WHERE table_name = $1', [
    table,
  ]);
  const have = new Set(rows.map((r) => r.column_name));
  return columns.every((c) => have.has(c));
}

/**
 * A SQL condition true for phase rows that are a finished phase's (not the partial aggregate of
 * a phase the run never finished, schema 7); `alias` is the phases table's alias in the query.
 */
export async function endedPhaseSql(store: Store, alias: string): Promise<string> {
  return (await hasColumns(store, 'phases', ['partial'])) ? `NOT coalesce(${alias}.partial, false)` : 'true';
}
