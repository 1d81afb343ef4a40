/**
 * Comparisons that check what they compare: both sides must be runs of one kind and one
 * scenario, with the same measured phases, and every run must have finished and measured
 * something. A failed or empty run compared as if it were data is how a broken service
 * "improves" p99; a different scenario on one side makes any verdict meaningless.
 */

/** What the check needs to know of each run. */
export interface RunFacts {
  id: string;
  kind: string;
  scenario: string;
  status: string;
  /** Names of measured (non-warmup, top-level) phases. */
  measuredPhases: readonly string[];
  /** Requests in measured phases (load runs). */
  requests: number;
  /** Successful repetitions (bench runs). */
  benchReps: number;
}

/** One reason two sides cannot be compared, and whether `--force` may override it. */
export interface ComparabilityProblem {
  message: string;
  /** Different scenarios or phase sets can be forced; a failed or empty run never. */
  forcible: boolean;
}

/** Statuses whose data is a complete measurement ('aborted' is a threshold with abortOnFail: its data up to then is real). */
const USABLE = new Set(['completed', 'aborted']);

/** Every problem with comparing `baseline` runs to `candidate` runs; [] when they are comparable. */
export function comparabilityProblems(baseline: readonly RunFacts[], candidate: readonly RunFacts[]): ComparabilityProblem[] {
  const problems: ComparabilityProblem[] = [];
  for (const r of [...baseline, ...candidate]) {
    if (!USABLE.has(r.status))
      problems.push({
        message: `run ${r.id} is ${r.status}, not completed: its figures are not a measurement of the service (see headroom runs show ${r.id})`,
        forcible: false,
      });
    else if (r.kind === 'load' && r.requests === 0) problems.push({ message: `run ${r.id} measured no requests`, forcible: false });
    else if (r.kind === 'bench' && r.benchReps === 0)
      problems.push({ message: `run ${r.id} has no successful repetitions`, forcible: false });
  }
  const all = [...baseline, ...candidate];
  const kinds = [...new Set(all.map((r) => r.kind))];
  if (kinds.length > 1) problems.push({ message: `the sides mix ${kinds.join(' and ')} runs`, forcible: false });
  const scenarios = [...new Set(all.map((r) => r.scenario))];
  if (scenarios.length > 1)
    problems.push({
      message: `the runs are of different scenarios (${scenarios.join(', ')}); scope refs with latest:<scenario> or pass --force`,
      forcible: true,
    });
  const phaseSets = [...new Set(all.filter((r) => r.kind === 'load').map((r) => r.measuredPhases.join(',')))];
  if (phaseSets.length > 1)
    problems.push({
      message: `the runs measured different phases (${phaseSets.map((p) => `[${p}]`).join(' vs ')}); pass --force to compare the phases they share`,
      forcible: true,
    });
  return problems;
}
