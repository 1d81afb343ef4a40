import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { ExitCode, UsageError, parsePercent } from '@headroom/core';
import { benchRepSamples, compareSets, loadRunSamples, parseSampleFile, regressionGate, type SampleSet } from '@headroom/analysis';
import { formatCompareMarkdown, formatCompareText } from '@headroom/report';
import { readBenchRepetitions, readMeasuredPhases, readRunKinds, resolveRunRef, runsBetween, type Store } from '@headroom/store';
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
}

/**
 * `headroom compare <baseline> <candidate>`. Each side is a sample file (JSON or Go
 * benchmark text), a run (id, prefix, latest, latest~N), a comma list of runs, or a range
 * `latest~5..latest~3`. Bench runs compare per repetition; load runs compare per run.
 */
export async function compareCommand(baseSpec: string, candSpec: string, store: Store | null, out: Output, options: CompareCommandOptions): Promise<number> {
  const base = await side(baseSpec, store);
  const cand = await side(candSpec, store);
  if (base.kind !== cand.kind && base.kind !== 'file' && cand.kind !== 'file') {
    throw new UsageError(`cannot compare a ${base.kind} run with a ${cand.kind} run; pick two bench runs or two sets of load runs`, 'E_COMPARE_MISMATCH');
  }
  const comparisons = compareSets(base.sets, cand.sets, {
    ...(options.alpha !== undefined ? { alpha: options.alpha } : {}),
    ...(options.noiseFloor !== undefined ? { noiseFloor: options.noiseFloor } : {}),
  });
  if (comparisons.length === 0) throw new UsageError(`nothing in common to compare: baseline units ${units(base.sets)}, candidate units ${units(cand.sets)}`, 'E_COMPARE_MISMATCH');
  const gate = options.failOn === 'regression' ? regressionGate(comparisons, options.noiseFloor !== undefined ? { noiseFloor: options.noiseFloor } : {}) : null;
  if (out.json) out.resultJson({ baseline: base.label, candidate: cand.label, comparisons, gate });
  else if (options.markdown) out.result(formatCompareMarkdown(comparisons));
  else out.result(formatCompareText(comparisons, { color: out.color }));
  if (gate && gate.status === 'failed') {
    out.log(`regression gate failed: ${gate.regressions.map((r) => `${r.name} ${r.deltaPct > 0 ? '+' : ''}${r.deltaPct.toFixed(1)}% (p=${r.p.toPrecision(2)})`).join(', ')}`);
    return ExitCode.gateFailed;
  }
  return ExitCode.ok;
}

interface Side { kind: 'bench' | 'load' | 'file'; label: string; sets: SampleSet[] }

async function side(spec: string, store: Store | null): Promise<Side> {
  if (existsSync(spec)) return { kind: 'file', label: basename(spec), sets: parseSampleFile(readFileSync(spec, 'utf8'), basename(spec)) };
  if (!store) throw new UsageError(`"${spec}" is not a file, and there is no store to look runs up in; pass --db <file>`, 'E_NO_STORE');
  const ids = await resolveRuns(store, spec);
  const kinds = await readRunKinds(store, ids);
  if (kinds.length > 1) throw new UsageError(`"${spec}" mixes ${kinds.map((k) => `${k.kind} ${k.scenario}`).join(' and ')}; a side must be runs of one scenario or bench`, 'E_COMPARE_MISMATCH');
  const kind = kinds[0]?.kind === 'bench' ? 'bench' : 'load';
  const label = ids.length === 1 ? (ids[0] as string) : `${ids.length} runs`;
  if (kind === 'bench') {
    const rows = await readBenchRepetitions(store, ids);
    return { kind, label, sets: [benchRepSamples(rows.map((r) => ({ task: r.task as string, median_ns: r.median_ns as number, mean_ns: r.mean_ns as number })), label)] };
  }
  const rows = await readMeasuredPhases(store, ids);
  const samples = rows.map((r) => ({
    run_id: r.run_id as string, phase: r.phase as string, achieved_rate: r.achieved_rate as number, p50_ms: r.p50_ms as number, p99_ms: r.p99_ms as number,
  }));
  return { kind, label, sets: loadRunSamples(samples, label) };
}

/** `a,b,c` → each; `A..B` → every run of A's kind and scenario from A to B inclusive. */
async function resolveRuns(store: Store, spec: string): Promise<string[]> {
  if (spec.includes(',')) return Promise.all(spec.split(',').map((s) => resolveRunRef(store, s.trim())));
  const range = spec.split('..');
  if (range.length === 2) {
    const [from, to] = await Promise.all(range.map((s) => resolveRunRef(store, s)));
    return runsBetween(store, from as string, to as string);
  }
  return [await resolveRunRef(store, spec)];
}

function units(sets: SampleSet[]): string {
  return sets.map((s) => s.unit).join(', ') || 'none';
}

/** Parses `--noise-floor 2%` (or 0.02) into a fraction. */
export function parseNoiseFloor(nf: string): number {
  const p = nf.endsWith('%') ? parsePercent(nf) : { ok: true as const, value: Number(nf) };
  if (!p.ok || !(p.value >= 0 && p.value < 1)) throw new UsageError(`headroom compare: --noise-floor must be a percentage like 1% (or a fraction like 0.01); got ${nf}`, 'E_OPTION_VALUE');
  return p.value;
}
