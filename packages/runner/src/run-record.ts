/**
 * One place begins and ends a run, for load and bench runs alike: a new id, the identity
 * (git, host, CPU, Node), the redacted config, and at the end status, error, warnings,
 * gate verdict and pinning. The rows themselves are written by the store package.
 */
import { dirname, join } from 'node:path';
import { beginRun, finishRun, newRunId, type Store } from '@headroom/store';
import { redact, runIdentity, type RunIdentity } from './identity.ts';
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
}

/** A run that has begun: its id, start, identity and artifacts folder. */
export interface OpenRun {
  id: string;
  startedAt: number;
  identity: RunIdentity;
  /** results/<run-id>/ beside the store (or under ./results for an in-memory store). */
  artifactsDir: string;
}

/** How a run ended, as the run record keeps it. */
export interface CloseRunOptions {
  status: RunStatus;
  error: string | null;
  warnings: readonly string[];
  gates: 'passed' | 'failed' | null;
  pinning: readonly unknown[];
}

/** Begins a run: a `runs` row with status running. */
export async function openRun(store: Store, o: OpenRunOptions): Promise<OpenRun> {
  const id = newRunId();
  const startedAt = Date.now();
  const identity = runIdentity(o.file);
  await beginRun(store, {
    id, kind: o.kind, scenario: o.name, file: o.file, startedAt, ...identity,
    serviceCpus: o.serviceCpus, workerCpus: o.workerCpus, config: redact(o.config) as never,
  });
  const artifactsDir = join(store.path === ':memory:' ? 'results' : dirname(store.path), id);
  return { id, startedAt, identity, artifactsDir };
}

/** Ends a run; returns the end time. */
export async function closeRun(store: Store, run: OpenRun, o: CloseRunOptions): Promise<number> {
  const endedAt = Date.now();
  await finishRun(store, run.id, { ...o, endedAt });
  return endedAt;
}
