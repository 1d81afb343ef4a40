/**
 * Segment runs: load runs made with `headroom run --segment i/n`, each one pod's (or process's)
 * share of one execution. Their `runs.config` carries a `segment` object; `headroom merge`
 * finds them here.
 */
import type { Row } from '../schema.ts';
import type { Store } from '../store.ts';
import { toStoredRun, type StoredRun } from './runs.ts';

/** Every segment run in the store, oldest first. */
export async function readSegmentRuns(store: Store): Promise<StoredRun[]> {
  const rows = await store.query<Row<'runs'>>(
    "SELECT * FROM runs WHERE kind = 'load' AND json_extract(config, '$.segment') IS NOT NULL ORDER BY started_at, id",
  );
  return rows.map((r) => toStoredRun(r));
}
