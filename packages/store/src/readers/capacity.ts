/** Typed readers of stored capacity results. */
import type { Row } from '../schema.ts';
import type { Store } from '../store.ts';

/** A stored capacity row, JSON columns parsed. */
export type StoredCapacity = Omit<Row<'capacity'>, 'warnings' | 'result'> & { warnings: string[]; result: unknown };

/** The capacity rows of a run (one per analysed phase), newest first. */
export async function readCapacity(store: Store, runId: string): Promise<StoredCapacity[]> {
  const rows = await store.query<Row<'capacity'>>('SELECT * FROM capacity WHERE run_id = $1 ORDER BY computed_at DESC', [runId]);
  return rows.map(parseRow);
}

/** Capacity over time of every run of a scenario, oldest first (for trends). */
export async function readCapacityHistory(store: Store, scenario: string): Promise<(StoredCapacity & { started_at: Date })[]> {
  const rows = await store.query<Row<'capacity'> & { started_at: Date }>(
    'SELECT c.*, r.started_at FROM capacity c JOIN runs r ON r.id = c.run_id WHERE r.scenario = $1 ORDER BY r.started_at',
    [scenario],
  );
  return rows.map((r) => ({ ...parseRow(r), started_at: r.started_at }));
}

function parseRow<T extends Row<'capacity'>>(r: T): Omit<T, 'warnings' | 'result'> & { warnings: string[]; result: unknown } {
  return { ...r, warnings: r.warnings ? (JSON.parse(r.warnings) as string[]) : [], result: r.result ? JSON.parse(r.result) : null };
}
