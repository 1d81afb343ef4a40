/**
 * The `capacity` table: one row per analysed run phase (or points file), written by
 * `headroom capacity`, read by trends across runs.
 */
import type { Row } from '../schema.ts';
import type { Store } from '../store.ts';

/** A capacity result as stored: every column of the `capacity` table but the time it was computed. */
export type CapacityRecord = Omit<Row<'capacity'>, 'computed_at'>;

/**
 * Stores a capacity result. A run's phase has one row, replaced when analysed again; rows from
 * a points file (run_id null) accumulate, each with its time.
 */
export async function writeCapacity(store: Store, record: CapacityRecord, computedAt: number = Date.now()): Promise<void> {
  if (record.run_id !== null)
    await store.exec('DELETE FROM capacity WHERE run_id = $1 AND phase IS NOT DISTINCT FROM $2', [record.run_id, record.phase]);
  await store.append('capacity', [{ ...record, computed_at: computedAt }]);
}
