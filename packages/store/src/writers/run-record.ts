/**
 * The run record: the one row per run in `runs`, begun when a run starts (status
 * `running`) and finished when it ends. Load runs and bench runs alike go through here.
 */
import type { JsonValue } from '../store.ts';
import type { Store } from '../store.ts';

/** Who ran what, where: recorded once when the run begins. */
export interface RunBegin {
  id: string;
  kind: 'load' | 'bench';
  /** Scenario or bench name. */
  scenario: string;
  file: string;
  startedAt: number;
  gitSha: string | null;
  gitDirty: boolean | null;
  /** The branch checked out (or named by $HEADROOM_GIT_BRANCH); null when detached or outside git. */
  gitBranch: string | null;
  version: string;
  host: string;
  cpuModel: string;
  cpuCount: number;
  nodeVersion: string;
  serviceCpus: number[] | null;
  workerCpus: number[];
  /** The resolved configuration, secrets already redacted. */
  config: JsonValue;
}

/** How a run ended. */
export interface RunEnd {
  status: string;
  endedAt: number;
  error: string | null;
  warnings: readonly string[];
  /** 'passed' | 'failed' when the run had gates, else null. */
  gates: 'passed' | 'failed' | null;
  pinning: readonly unknown[];
}

/** Writes the `runs` row of a run that starts now, with status `running`. */
export async function beginRun(store: Store, r: RunBegin): Promise<void> {
  await store.upsert('runs', [
    {
      id: r.id,
      kind: r.kind,
      scenario: r.scenario,
      file: r.file,
      status: 'running',
      started_at: r.startedAt,
      git_sha: r.gitSha,
      git_dirty: r.gitDirty,
      git_branch: r.gitBranch,
      version: r.version,
      host: r.host,
      cpu_model: r.cpuModel,
      cpu_count: r.cpuCount,
      node_version: r.nodeVersion,
      service_cpus: JSON.stringify(r.serviceCpus),
      worker_cpus: JSON.stringify(r.workerCpus),
      config: JSON.stringify(r.config),
    },
  ]);
}

/** Records the CPUs each process of the run was verified to run on, as soon as they are known. */
export async function setRunPinning(store: Store, id: string, pinning: readonly unknown[]): Promise<void> {
  await store.exec('UPDATE runs SET pinning = $1 WHERE id = $2', [JSON.stringify(pinning), id]);
}

/** Finishes the `runs` row: status, end time, error, warnings, gate verdict, pinning. */
export async function finishRun(store: Store, id: string, e: RunEnd): Promise<void> {
  await store.exec(
    'UPDATE runs SET status = $1, ended_at = make_timestamp($2::BIGINT), error = $3, warnings = $4, gates = $5, pinning = $6 WHERE id = $7',
    [e.status, BigInt(Math.round(e.endedAt * 1000)), e.error, JSON.stringify(e.warnings), e.gates, JSON.stringify(e.pinning), id],
  );
}
