/**
 * The baseline of `headroom check`: `--baseline` as run refs (ids, latest~N, bench runs too),
 * or a git ref whose merge base with HEAD names the commit whose stored runs are the baseline,
 * or a sha. A missing baseline is a note unless it is required.
 */
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CheckResult } from '@headroom/analysis';
import { UsageError, type Scenario } from '@headroom/core';
import { Store, readRun, runsAtCommit } from '@headroom/store';
import { benchRunsAt, resolveCheckRef, splitByKind, type CheckBench } from './check-bench.ts';
import { gitMergeBase } from './identity.ts';

/** The baseline's runs: load runs of the scenario and runs of its bench, and the commit they came from. */
export interface Baseline {
  runs: string[];
  benchRuns: string[];
  sha: string | null;
  note: string | null;
}

/** A run ref in --baseline: latest, latest~N, latest:<name>, or a run id (prefix). */
function isRunRef(r: string): boolean {
  return /^latest(~\d+)?(:.+)?$/.test(r) || /^\d{8}-\d{6}/.test(r);
}

/** A git ref's merge base with HEAD, or the ref itself when it looks like a sha; null when it is neither. */
function baselineCommit(scenario: Scenario, ref: string): string | null {
  return gitMergeBase(dirname(scenario.file), ref) ?? (/^[0-9a-f]{7,40}$/.test(ref) ? ref : null);
}

/** Resolves --baseline (run refs, a git ref's merge base with HEAD, or a sha) to the baseline's runs, never the candidate's own. */
export async function resolveBaseline(
  store: Store,
  scenario: Scenario,
  bench: CheckBench | null,
  candidates: readonly string[],
  ref: string | undefined,
): Promise<Baseline> {
  if (ref === undefined) return { runs: [], benchRuns: [], sha: null, note: 'no --baseline given: regressions were not checked' };
  const exclude = (ids: string[]) => ids.filter((id) => !candidates.includes(id));
  const refs = ref.split(',').map((r) => r.trim());
  if (refs.every(isRunRef)) {
    const ids = await Promise.all(refs.map((r) => resolveCheckRef(store, r, scenario.name, bench)));
    const split = await splitByKind(store, exclude(ids));
    const sha = (await readRun(store, split.load[0] ?? split.bench[0] ?? ''))?.gitSha ?? null;
    // Bench runs named in --baseline are the bench side; else the bench runs of the load runs' commit.
    const benchRuns = split.bench.length || !bench ? split.bench : await benchRunsAt(store, bench, sha, candidates);
    return { runs: split.load, benchRuns, sha, note: null };
  }
  const sha = baselineCommit(scenario, ref);
  if (sha === null)
    return { runs: [], benchRuns: [], sha: null, note: `baseline "${ref}" is neither a git ref known here, a sha, nor a run` };
  const runs = exclude(await runsAtCommit(store, scenario.name, sha));
  const benchRuns = bench ? await benchRunsAt(store, bench, sha, candidates) : [];
  const note =
    runs.length === 0 && benchRuns.length === 0
      ? `no stored runs of ${scenario.name} at ${sha.slice(0, 8)} (the merge base with ${ref}); import them (headroom runs import) or run the scenario there first`
      : null;
  return { runs, benchRuns, sha, note };
}

/** A missing baseline: a note, or a failed check with --require-baseline. */
export function baselineChecks(b: Baseline, required: boolean): CheckResult[] {
  if (b.note === null) return [];
  return [
    {
      name: 'baseline',
      group: 'baseline',
      value: null,
      limit: 'runs of the baseline commit',
      unit: '',
      verdict: required ? 'failed' : 'note',
      detail: b.note,
    },
  ];
}

/** Run refs in --baseline (latest~N, ids) become run ids before the check runs anything; git refs and shas stay as they are. */
export async function preResolveBaseline(
  db: string,
  scenario: Scenario,
  bench: CheckBench | null,
  ref: string | undefined,
): Promise<string | undefined> {
  if (ref === undefined) return undefined;
  const refs = ref.split(',').map((r) => r.trim());
  // A git ref nobody here knows is a typo or an unfetched branch: say so before anything runs, never a
  // quiet note that turns every regression check off.
  if (!refs.every(isRunRef) && baselineCommit(scenario, ref) === null)
    throw new UsageError(
      `--baseline "${ref}" is neither a git ref known here (git merge-base HEAD ${ref} found nothing), a sha, nor a run (an id, latest~N); check the name, and in a shallow CI clone fetch it first (git fetch --depth=50 origin ${ref})`,
      'E_OPTION_VALUE',
    );
  if (!refs.every((r) => /^latest(~\d+)?(:.+)?$/.test(r)) || !existsSync(db)) return ref;
  const store = await Store.open(db, { readOnly: true });
  try {
    return (await Promise.all(refs.map((r) => resolveCheckRef(store, r, scenario.name, bench)))).join(',');
  } finally {
    store.close();
  }
}
