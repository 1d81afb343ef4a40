/**
 * A whole run written at once, for a run made from stored data rather than measured live (the
 * merge of segment runs): its `runs` row with every row it has, in one transaction, so a merge
 * that fails midway leaves nothing behind.
 */
import type { Row } from '../schema.ts';
import type { Store } from '../store.ts';

/** A run's rows to write: every one carries the run's id. */
export interface RunRows {
  run: Partial<Row<'runs'>>;
  phases: readonly Partial<Row<'phases'>>[];
  series: readonly Partial<Row<'series'>>[];
  requests: readonly Partial<Row<'phase_requests'>>[];
  checks: readonly Partial<Row<'phase_checks'>>[];
  flows: readonly Partial<Row<'phase_flows'>>[];
  gates: readonly Partial<Row<'gates'>>[];
  /** @default none */
  traceSamples?: readonly Partial<Row<'trace_samples'>>[];
  /** @default none */
  spans?: readonly Partial<Row<'spans'>>[];
}

/** Writes a run and all its rows in one transaction. */
export async function writeRunRows(store: Store, r: RunRows): Promise<void> {
  await store.exec('BEGIN TRANSACTION');
  try {
    await store.upsert('runs', [r.run]);
    await store.append('phases', r.phases);
    await store.append('series', r.series);
    await store.append('phase_requests', r.requests);
    await store.append('phase_checks', r.checks);
    await store.append('phase_flows', r.flows);
    await store.append('gates', r.gates);
    if (r.traceSamples && r.traceSamples.length > 0) await store.append('trace_samples', r.traceSamples);
    if (r.spans && r.spans.length > 0) await store.append('spans', r.spans);
    await store.exec('COMMIT');
  } catch (err) {
    await store.exec('ROLLBACK');
    throw err;
  }
}
