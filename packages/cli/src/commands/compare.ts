import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { ExitCode, UsageError, parsePercent } from '@headroom/core';
import {
  benchRepSamples,
  comparabilityProblems,
  compareSets,
  loadRunSamples,
  parseSampleFile,
  regressionGate,
  sampleEntries,
  type Regression,
  type SampleSet,
} from '@headroom/analysis';
import { formatCompareMarkdown, formatCompareText } from '@headroom/report';
import {
  readBenchRepetitions,
  readMeasuredPhases,
  readRunChecks,
  resolveRunRef,
  runsBetween,
  type RunCheck,
  type Store,
} from '@headroom/store';
import type { Output } from '../output.ts';

export interface CompareCommandOptions {
  /** Significance level. @default 0.05 */
  alpha?: number;
  /** Changes smaller than this fraction never fail the gate. @default 0.01 */
  noiseFloor?: number;
  /** 'regression': exit 1 when something got significantly worse by more than the noise floor. */
  failOn?: 'regression';
  /** Markdown instead of the terminal table. @default false */
  markdown?: boolean;
  /** Fail a worsening larger than this fraction even where significance cannot be judged. @default undefined (off) */
  maxChange?: number;
  /** Compare runs of different scenarios or phase sets anyway. @default false */
  force?: boolean;
  /** Resolve `latest`, `latest~N` and ranges within this scenario or bench. */
  scenario?: string;
}

/**
 * `headroom compare <baseline> <candidate>`. Each side is a sample file (JSON or Go
 * benchmark text), a run (id, prefix, latest, latest~N), a comma list of runs, or a range
 * `latest~5..latest~3`. Bench runs compare per repetition; load runs compare per run.
 */
export async function compareCommand(
  baseSpec: string,
  candSpec: string,
  store: Store | null,
  out: Output,
  options: CompareCommandOptions,
): Promise<number> {
  // Two files of one name (base/bench.txt, head/bench.txt) are told apart by their paths.
  const samePlainName = basename(baseSpec) === basename(candSpec) && baseSpec !== candSpec;
  const base = await side(baseSpec, store, options.scenario, samePlainName);
  const cand = await side(candSpec, store, options.scenario, samePlainName);
  const problems = comparabilityProblems(base.runs, cand.runs).filter((p) => !(options.force && p.forcible));
  if (problems.length > 0) {
    throw new UsageError(
      `cannot compare ${baseSpec} with ${candSpec}:\n${problems.map((p) => `  ${p.message}`).join('\n')}`,
      'E_COMPARE_MISMATCH',
    );
  }
  const comparisons = compareSets(base.sets, cand.sets, {
    ...(options.alpha !== undefined ? { alpha: options.alpha } : {}),
    ...(options.noiseFloor !== undefined ? { noiseFloor: options.noiseFloor } : {}),
  });
  if (comparisons.length === 0)
    throw new UsageError(
      `nothing in common to compare: baseline units ${units(base.sets)}, candidate units ${units(cand.sets)}`,
      'E_COMPARE_MISMATCH',
    );
  if (comparisons.every((c) => c.rows.every((r) => r.verdict === 'missing')))
    throw new UsageError(
      `nothing in common to compare: no benchmark is on both sides (baseline ${names(base.sets)}; candidate ${names(cand.sets)})`,
      'E_COMPARE_MISMATCH',
    );
  const gate =
    options.failOn === 'regression' || options.maxChange !== undefined
      ? regressionGate(comparisons, {
          ...(options.noiseFloor !== undefined ? { noiseFloor: options.noiseFloor } : {}),
          ...(options.maxChange !== undefined ? { maxChange: options.maxChange } : {}),
        })
      : null;
  if (out.json) out.resultJson({ baseline: base.label, candidate: cand.label, comparisons, gate });
  else if (options.markdown) out.result(formatCompareMarkdown(comparisons));
  else out.result(formatCompareText(comparisons, { color: out.color }));
  if (gate && gate.unjudged > 0 && options.maxChange === undefined) {
    out.log(
      `note: ${gate.unjudged} of ${gate.checked} comparisons have too few runs to judge significance; repeat runs, or add --max-change 20% to fail large changes anyway`,
    );
  }
  if (gate && gate.status === 'failed') {
    const why = (r: Regression) =>
      r.reason === 'significant'
        ? `p=${(r.p as number).toPrecision(2)}`
        : `beyond --max-change ${((options.maxChange ?? 0) * 100).toFixed(0)}%, not a significance test`;
    out.log(
      `regression gate failed: ${gate.regressions.map((r) => `${r.name} ${r.deltaPct === null ? `from 0 to ${r.candidateMedian} ${r.unit}` : `${r.unit} ${r.deltaPct > 0 ? '+' : ''}${r.deltaPct.toFixed(1)}%`} (${why(r)})`).join(', ')}`,
    );
    return ExitCode.gateFailed;
  }
  return ExitCode.ok;
}

interface Side {
  kind: 'bench' | 'load' | 'file';
  label: string;
  sets: SampleSet[];
  runs: RunCheck[];
}

async function side(spec: string, store: Store | null, scenario: string | undefined, fullPath: boolean): Promise<Side> {
  if (existsSync(spec)) {
    const label = fullPath ? spec : basename(spec);
    return { kind: 'file', label, sets: parseSampleFile(readFileSync(spec, 'utf8'), label), runs: [] };
  }
  if (looksLikeFile(spec))
    throw new UsageError(
      `no file ${spec}: a side is a sample file (JSON or Go benchmark text) or a run; check the path`,
      'E_FILE_NOT_FOUND',
    );
  if (!store) throw new UsageError(`"${spec}" is not a file, and there is no store to look runs up in; pass --db <file>`, 'E_NO_STORE');
  const ids = await resolveRuns(store, spec, scenario);
  const runs = await readRunChecks(store, ids);
  const kind = runs[0]?.kind === 'bench' ? 'bench' : 'load';
  const label = ids.length === 1 ? (ids[0] as string) : `${ids.length} runs`;
  if (kind === 'bench') {
    const rows = await readBenchRepetitions(store, ids);
    return {
      kind,
      label,
      runs,
      sets: [
        benchRepSamples(
          rows.map((r) => ({ task: r.task as string, median_ns: r.median_ns as number, mean_ns: r.mean_ns as number })),
          label,
        ),
      ],
    };
  }
  const rows = await readMeasuredPhases(store, ids);
  const samples = rows.map((r) => ({
    run_id: r.run_id as string,
    phase: r.phase as string,
    achieved_rate: r.achieved_rate as number,
    p50_ms: r.p50_ms as number,
    p99_ms: r.p99_ms as number,
  }));
  return { kind, label, runs, sets: loadRunSamples(samples, label) };
}

/** A path (a slash, or a sample file's extension), never a run reference (ids, latest~N, A..B). */
function looksLikeFile(spec: string): boolean {
  return spec.includes('/') || /\.(json|txt|csv|out)$/i.test(spec);
}

/** `a,b,c` → each; `A..B` → every run of A's kind and scenario from A to B inclusive. */
async function resolveRuns(store: Store, spec: string, scenario: string | undefined): Promise<string[]> {
  const scope = scenario === undefined ? {} : { scenario };
  if (spec.includes(',')) return Promise.all(spec.split(',').map((s) => resolveRunRef(store, s.trim(), scope)));
  const range = spec.split('..');
  if (range.length === 2) {
    const [from, to] = (await Promise.all(range.map((s) => resolveRunRef(store, s, scope)))) as [string, string];
    const [a, b] = await readRunChecks(store, [from, to]);
    if (a && b && (a.kind !== b.kind || a.scenario !== b.scenario))
      throw new UsageError(
        `${spec}: a range spans runs of one kind and scenario, but ${from} is a ${a.kind} run of "${a.scenario}" and ${to} a ${b.kind} run of "${b.scenario}"; pick ends of one scenario (--scenario <name> makes latest~N count within it)`,
        'E_COMPARE_MISMATCH',
      );
    return runsBetween(store, from, to);
  }
  return [await resolveRunRef(store, spec, scope)];
}

/** "A, B (ns/op)": the names a side has, with their units; the first few only. */
function names(sets: SampleSet[]): string {
  const all = sets.flatMap((s) => sampleEntries(s).map(([n]) => `${n} (${s.unit})`));
  if (all.length === 0) return 'nothing';
  return all.length > 6 ? `${all.slice(0, 6).join(', ')} and ${all.length - 6} more` : all.join(', ');
}

function units(sets: SampleSet[]): string {
  return sets.map((s) => s.unit).join(', ') || 'none';
}

/** Parses `--noise-floor 2%` or `--max-change 20%` (or a fraction, 0.02) into a fraction. */
export function parsePercentOption(name: string, v: string, command = 'compare'): number {
  const p = v.endsWith('%') ? parsePercent(v) : { ok: true as const, value: Number(v) };
  if (!p.ok || !(p.value >= 0 && p.value < 1))
    throw new UsageError(
      `headroom ${command}: --${name} must be a percentage like 1% (or a fraction like 0.01); got ${v}`,
      'E_OPTION_VALUE',
    );
  return p.value;
}
