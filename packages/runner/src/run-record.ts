/**
 * One place begins and ends a run, for load and bench runs alike: a new id, the identity
 * (git, host, CPU, Node), the redacted config, and at the end status, error, warnings,
 * gate verdict and pinning. While it runs, everything goes to the run's own spool file
 * (store/spool), so the run never holds the store's lock: readers never wait, and a run
 * killed midway keeps what it wrote (the next open folds it in as `abandoned`). At the end
 * the spool is folded into the store.
 */
import { dirname, join, resolve } from 'node:path';
import { HeadroomError } from '@headroom/core';
import { RunSpool, Store, foldSpools, newRunId, type Row } from '@headroom/store';
import { runIdentity, type RunIdentity } from './identity.ts';
import { redact } from './redact.ts';
import type { RunStatus } from './bus.ts';

/** What a run is, as known before it starts. */
export interface OpenRunOptions {
  kind: 'load' | 'bench';
  /** Scenario or bench name. */
  name: string;
  file: string;
  /** The resolved config; it is redacted before it is stored. */
  config: unknown;
  serviceCpus: number[] | null;
  workerCpus: number[];
  /** More names whose values are secrets (the scenario's `redact` list). @default [] */
  redact?: readonly string[];
}

/** A run that has begun: its id, start, identity, spool and artifacts folder. */
export interface OpenRun {
  id: string;
  startedAt: number;
  identity: RunIdentity;
  /** results/<run-id>/ beside the store. */
  artifactsDir: string;
  /** The store file the run is folded into at the end. */
  db: string;
  spool: RunSpool;
}

/** How a run ended, as the run record keeps it. */
export interface CloseRunOptions {
  status: RunStatus;
  error: string | null;
  warnings: readonly string[];
  gates: 'passed' | 'failed' | null;
  pinning: readonly unknown[];
}

/** How long the end of a run waits for a reader (a long `runs sql`) to let go of the store. */
const FOLD_WAIT_MS = 15_000;

/** Begins a run: its spool, with the `runs` row in status running. */
export function openRun(db: string, o: OpenRunOptions): OpenRun {
  const id = newRunId();
  const startedAt = Date.now();
  const identity = runIdentity(o.file);
  const row: Partial<Row<'runs'>> = {
    id,
    kind: o.kind,
    scenario: o.name,
    file: o.file,
    status: 'running',
    started_at: startedAt,
    git_sha: identity.gitSha,
    git_dirty: identity.gitDirty,
    git_branch: identity.gitBranch,
    version: identity.version,
    host: identity.host,
    cpu_model: identity.cpuModel,
    cpu_count: identity.cpuCount,
    node_version: identity.nodeVersion,
    service_cpus: JSON.stringify(o.serviceCpus),
    worker_cpus: JSON.stringify(o.workerCpus),
    config: JSON.stringify(redact(o.config, o.redact ?? [])),
  };
  const spool = RunSpool.create(db, row);
  const artifactsDir = join(dirname(resolve(db)), id);
  return { id, startedAt, identity, artifactsDir, db: resolve(db), spool };
}

/**
 * Replaces the run's stored config (redacted as at its start, with `redact` as the secret
 * names): a segment run learns its phase-0 start and worker count only once it is prepared.
 */
export function updateRunConfig(run: OpenRun, config: unknown, redactNames: readonly string[] = []): void {
  run.spool.updateRun({ config: JSON.stringify(redact(config, redactNames)) });
}

/** Marks the run's status at once (synchronous: a second Ctrl-C may exit right after). */
export function markRun(run: OpenRun, status: RunStatus, error: string | null = null): void {
  run.spool.updateRun({ status, error, ended_at: Date.now() });
}

/** What closing found: the end time, and the error that kept the run out of the store, if any. */
export interface ClosedRun {
  endedAt: number;
  /** The spool could not be written or folded (disk full, store busy or corrupt); null when all is stored. */
  storeError: HeadroomError | null;
}

/** Ends a run: the final `runs` row, then the spool folded into the store. */
export async function closeRun(run: OpenRun, o: CloseRunOptions): Promise<ClosedRun> {
  const endedAt = Date.now();
  const final: Partial<Row<'runs'>> = {
    status: o.status,
    ended_at: endedAt,
    error: o.error,
    warnings: JSON.stringify(o.warnings),
    gates: o.gates,
    pinning: JSON.stringify(o.pinning),
  };
  run.spool.finish(final);
  run.spool.sync();
  let storeError: HeadroomError | null = null;
  try {
    const store = await Store.open(run.db, { waitMs: FOLD_WAIT_MS, fold: false });
    try {
      await foldSpools(store, run.spool.currentRun());
    } finally {
      store.close();
    }
  } catch (err) {
    storeError =
      err instanceof HeadroomError
        ? err
        : new HeadroomError('E_STORE_OPEN', `the run could not be folded into ${run.db}: ${(err as Error).message}`, { cause: err });
  }
  return { endedAt, storeError };
}
