/**
 * The scenario's bench file in `headroom check`: which bench it is, the candidate's and the
 * baseline's bench runs, and one regression check per task median. Bench runs are runs of
 * their own (kind 'bench', named after the bench), so a side's bench runs are found by id
 * among the refs given, or by the commit the side's load runs were made from.
 */
import { benchRegressionChecks, type CheckResult, type RegressionCheckOptions } from '@headroom/analysis';
import { loadBench } from '@headroom/bench';
import type { Scenario } from '@headroom/core';
import { readBenchRepetitions, readRun, resolveRunRef, runsAtCommit, type Store } from '@headroom/store';

/** The bench a scenario names. */
export interface CheckBench {
  /** The bench's name: the `scenario` its runs are stored under. */
  name: string;
  /** Absolute path of the bench file. */
  file: string;
  /** The CPUs headroom may use, to validate the bench's CPU set against when it runs. */
  cpus: readonly number[];
}

/**
 * Loads and validates the scenario's bench file (a bad one is exit 2 before anything runs);
 * null when it names none. `cpus` is headroom's allowed set, seen before a load run pins it
 * to the generator's CPUs.
 */
export async function checkBenchOf(scenario: Scenario, cpus: readonly number[]): Promise<CheckBench | null> {
  if (scenario.bench === null) return null;
  const b = await loadBench(scenario.bench, { cpus });
  return { name: b.name, file: b.file, cpus };
}

/** A run ref within the scenario, or else within its bench (so `--runs` and `--baseline` may name bench runs too). */
export async function resolveCheckRef(store: Store, ref: string, scenario: string, bench: CheckBench | null): Promise<string> {
  try {
    return await resolveRunRef(store, ref, { scenario });
  } catch (err) {
    if (bench === null || (err as { code?: string }).code !== 'E_RUN_NOT_FOUND') throw err;
    return resolveRunRef(store, ref, { scenario: bench.name });
  }
}

/** Run ids split by kind: bench runs apart from load runs. */
export async function splitByKind(store: Store, ids: readonly string[]): Promise<{ load: string[]; bench: string[] }> {
  const out = { load: [] as string[], bench: [] as string[] };
  for (const id of ids) ((await readRun(store, id))?.kind === 'bench' ? out.bench : out.load).push(id);
  return out;
}

/** Clean-tree, completed runs of the bench at a commit, minus `exclude`. */
export async function benchRunsAt(store: Store, bench: CheckBench, sha: string | null, exclude: readonly string[]): Promise<string[]> {
  if (sha === null) return [];
  return (await runsAtCommit(store, bench.name, sha)).filter((id) => !exclude.includes(id));
}

/** One check per task median present on both sides, or a note saying which side has no bench runs. */
export async function benchChecks(
  store: Store,
  bench: CheckBench,
  baseline: readonly string[],
  candidate: readonly string[],
  options: RegressionCheckOptions,
): Promise<CheckResult[]> {
  const missing = candidate.length === 0 ? 'the candidate' : baseline.length === 0 ? 'the baseline' : null;
  if (missing !== null)
    return [
      {
        name: `bench ${bench.name}`,
        group: 'regression',
        value: null,
        limit: 'bench runs on both sides',
        unit: '',
        verdict: 'note',
        detail: `${missing} has no runs of bench ${bench.name}: its task medians were not compared (name them in ${missing === 'the candidate' ? '--runs' : '--baseline'}, or run the bench at that commit)`,
      },
    ];
  const rows = async (ids: readonly string[]) =>
    (await readBenchRepetitions(store, ids)).map((r) => ({ task: r.task as string, median_ns: r.median_ns as number }));
  return benchRegressionChecks(await rows(baseline), await rows(candidate), options);
}
