/**
 * What a scripted run (flows, named requests, checks) stored per phase besides the phase rows:
 * `runs show` and the HTML report read it back. Histograms stay in the store.
 */
import type { Row } from '../schema.ts';
import type { Store } from '../store.ts';
import { hasColumns } from './columns.ts';

/** A run's per-name, check and flow rows, JSON columns as stored (strings). */
export interface StoredScripted {
  requests: Omit<Row<'phase_requests'>, 'run_id' | 'hist' | 'service_hist'>[];
  checks: Omit<Row<'phase_checks'>, 'run_id'>[];
  flows: Omit<Row<'phase_flows'>, 'run_id' | 'hist'>[];
}

/**
 * The per-name, check and flow rows of run `id` (each list empty for a plain run): names busiest
 * first as the summary lists them, checks and flows by name.
 */
export async function readScripted(store: Store, id: string): Promise<StoredScripted> {
  // A store opened read-only is not migrated: one from before schema 6 has none of these tables.
  if (!(await hasColumns(store, 'phase_requests', ['run_id']))) return { requests: [], checks: [], flows: [] };
  const [requests, checks, flows] = await Promise.all([
    store.query<StoredScripted['requests'][number]>(
      'SELECT * EXCLUDE (run_id, hist, service_hist) FROM phase_requests WHERE run_id = $1 ORDER BY phase, requests DESC, name',
      [id],
    ),
    store.query<StoredScripted['checks'][number]>('SELECT * EXCLUDE (run_id) FROM phase_checks WHERE run_id = $1 ORDER BY phase, name', [
      id,
    ]),
    store.query<StoredScripted['flows'][number]>(
      'SELECT * EXCLUDE (run_id, hist) FROM phase_flows WHERE run_id = $1 ORDER BY phase, flow',
      [id],
    ),
  ]);
  return { requests, checks, flows };
}
