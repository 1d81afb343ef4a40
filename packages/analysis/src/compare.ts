/**
 * Baseline vs candidate, benchmark by benchmark: medians with order-statistic confidence
 * intervals, the change of medians, an exact Mann-Whitney U p-value, and a verdict that
 * never claims more than the samples allow. Runs are the unit of observation: each value in
 * a SampleSet must come from an independent run.
 *
 * Modelled on benchstat's documented behaviour (golang.org/x/perf/cmd/benchstat): "~" when
 * the difference is not significant at alpha, a geomean row over benchmarks present on both
 * sides, and explicit notes when there are too few samples for a confidence interval or for
 * significance.
 */
import { geomean } from './geomean.ts';
import { mannWhitneyU, minAchievableP } from './mann-whitney.ts';
import { medianCI, minSamplesForCI } from './median-ci.ts';
import { isHigherBetter, sampleEntries, type SampleSet } from './sample-set.ts';

export interface CompareOptions {
  /** Significance level of the two-sided test. @default 0.05 */
  alpha?: number;
  /** Relative changes smaller than this are flagged `withinNoise` and never fail a gate. @default 0.01 (1%) */
  noiseFloor?: number;
  /** Confidence level of the median intervals. @default 0.95 */
  confidence?: number;
  /** Exact U distribution while n1 + n2 <= this. @default 50 */
  exactMaxN?: number;
  /** Override the unit's direction (default: throughput units like req/s are higher-is-better). */
  higherIsBetter?: boolean;
}

export const COMPARE_DEFAULTS = { alpha: 0.05, noiseFloor: 0.01, confidence: 0.95, exactMaxN: 50 } as const;

/** 'slower' means worse in this unit (for req/s: lower), 'faster' means better. */
export type Verdict = 'slower' | 'faster' | '~' | 'insufficient' | 'missing';

export interface SideSummary {
  n: number;
  median: number;
  /** Order-statistic interval of the median, or null (see ciReason). */
  ci: { low: number; high: number; coverage: number } | null;
  ciReason?: string;
  values: number[];
}

export interface BenchmarkComparison {
  name: string;
  unit: string;
  higherIsBetter: boolean;
  baseline: SideSummary | null;
  candidate: SideSummary | null;
  /** (candidate median − baseline median) / baseline median × 100; null when a side is missing or the baseline median is 0. */
  deltaPct: number | null;
  p: number | null;
  method: 'exact' | 'normal' | null;
  verdict: Verdict;
  /** |delta| below the noise floor: reported, but not a regression. */
  withinNoise: boolean;
  /** Why the verdict is '~', 'insufficient' or 'missing', in words. */
  reason?: string;
}

export interface GeomeanRow {
  /** Benchmarks present on both sides with positive medians. */
  count: number;
  baseline: number;
  candidate: number;
  /** Geometric mean of candidate/baseline median ratios. */
  ratio: number;
  deltaPct: number;
}

/** JSON-serialisable result of compare(). */
export interface Comparison {
  baselineLabel: string;
  candidateLabel: string;
  unit: string;
  higherIsBetter: boolean;
  alpha: number;
  noiseFloor: number;
  confidence: number;
  rows: BenchmarkComparison[];
  geomean: GeomeanRow | null;
  warnings: string[];
}

function summarize(values: readonly number[], confidence: number): SideSummary {
  const m = medianCI(values, confidence);
  const s: SideSummary = {
    n: m.n,
    median: m.median,
    ci: m.ci ? { low: m.ci.low, high: m.ci.high, coverage: m.ci.coverage } : null,
    values: [...values],
  };
  if (m.reason) s.ciReason = m.reason;
  return s;
}

/** Compares two sample sets of the same unit. Pure; never throws for small or missing samples. */
export function compare(baseline: SampleSet, candidate: SampleSet, options: CompareOptions = {}): Comparison {
  const alpha = options.alpha ?? COMPARE_DEFAULTS.alpha;
  const noiseFloor = options.noiseFloor ?? COMPARE_DEFAULTS.noiseFloor;
  const confidence = options.confidence ?? COMPARE_DEFAULTS.confidence;
  const exactMaxN = options.exactMaxN ?? COMPARE_DEFAULTS.exactMaxN;
  const unit = baseline.unit;
  const higherIsBetter = options.higherIsBetter ?? baseline.higherIsBetter ?? isHigherBetter(unit);
  const warnings: string[] = [];
  if (candidate.unit !== baseline.unit)
    warnings.push(`units differ: baseline is ${baseline.unit}, candidate is ${candidate.unit}; compared as ${unit}`);

  const base = new Map(sampleEntries(baseline));
  const cand = new Map(sampleEntries(candidate));
  const names = [...base.keys(), ...[...cand.keys()].filter((k) => !base.has(k))];
  const rows: BenchmarkComparison[] = [];
  let fewForCI = 0;
  for (const name of names) {
    const b = base.get(name);
    const c = cand.get(name);
    const row: BenchmarkComparison = {
      name,
      unit,
      higherIsBetter,
      baseline: b && b.length > 0 ? summarize(b, confidence) : null,
      candidate: c && c.length > 0 ? summarize(c, confidence) : null,
      deltaPct: null,
      p: null,
      method: null,
      verdict: 'missing',
      withinNoise: false,
    };
    rows.push(row);
    if (!row.baseline || !row.candidate) {
      const side = !row.baseline ? baseline.label : candidate.label;
      row.reason = `no samples in ${side}`;
      warnings.push(`${name}: missing in ${side}`);
      continue;
    }
    if (!row.baseline.ci || !row.candidate.ci) fewForCI++;
    const bm = row.baseline.median;
    const cm = row.candidate.median;
    row.deltaPct = bm === 0 ? null : ((cm - bm) / Math.abs(bm)) * 100;
    row.withinNoise = row.deltaPct !== null && Math.abs(row.deltaPct) / 100 < noiseFloor;
    const t = mannWhitneyU(row.baseline.values, row.candidate.values, { exactMaxN });
    row.p = t.p;
    row.method = t.method;
    const n1 = row.baseline.n;
    const n2 = row.candidate.n;
    const floorP = minAchievableP(n1, n2);
    if (t.method === 'exact' && floorP > alpha) {
      row.verdict = 'insufficient';
      row.reason =
        n1 === 1 && n2 === 1
          ? 'a single run per side: the difference is shown, but one run cannot support a significance claim'
          : `with ${n1} vs ${n2} samples the smallest possible p is ${floorP.toPrecision(3)} > alpha ${alpha}: no result could be significant`;
      warnings.push(`${name}: ${row.reason}`);
    } else if (t.p > alpha) {
      row.verdict = '~';
      row.reason = `not significant: p=${t.p.toPrecision(3)} > alpha ${alpha}`;
    } else {
      const up = cm > bm;
      row.verdict = up === higherIsBetter ? 'faster' : 'slower';
    }
  }
  if (fewForCI > 0) {
    warnings.push(
      `${fewForCI} benchmark${fewForCI === 1 ? '' : 's'}: need >= ${minSamplesForCI(confidence)} samples per side for a ${confidence * 100}% confidence interval of the median`,
    );
  }
  return {
    baselineLabel: baseline.label,
    candidateLabel: candidate.label,
    unit,
    higherIsBetter,
    alpha,
    noiseFloor,
    confidence,
    rows,
    geomean: geomeanRow(rows, unit, warnings),
    warnings,
  };
}

/** A change from a median of 0 to one that is not (0 → 1 allocs/op): it has no percentage (`deltaPct` null). */
export function isFromZero(r: BenchmarkComparison): boolean {
  return r.deltaPct === null && r.baseline?.median === 0 && r.candidate !== null && r.candidate.median !== 0;
}

function geomeanRow(rows: readonly BenchmarkComparison[], unit: string, warnings: string[]): GeomeanRow | null {
  const paired = rows.filter((r) => r.baseline && r.candidate);
  const both = paired.filter((r) => r.baseline!.median > 0 && r.candidate!.median > 0);
  const left = paired.length - both.length;
  if (left > 0 && paired.length > 1)
    warnings.push(
      `${unit} geomean leaves out ${left} benchmark${left === 1 ? '' : 's'} whose median is 0 or negative on a side (${paired
        .filter((r) => !both.includes(r))
        .map((r) => r.name)
        .join(', ')}): a geometric mean has no ratio to or from 0`,
    );
  if (both.length === 0) return null;
  const b = geomean(both.map((r) => (r.baseline as SideSummary).median));
  const c = geomean(both.map((r) => (r.candidate as SideSummary).median));
  const ratio = geomean(both.map((r) => (r.candidate as SideSummary).median / (r.baseline as SideSummary).median));
  return { count: both.length, baseline: b, candidate: c, ratio, deltaPct: (ratio - 1) * 100 };
}

/**
 * Compares lists of sample sets (e.g. one per unit from a Go benchmark file), pairing them by
 * unit. A unit present on one side only yields a comparison whose rows are all 'missing'.
 */
export function compareSets(baseline: readonly SampleSet[], candidate: readonly SampleSet[], options: CompareOptions = {}): Comparison[] {
  const units = [...new Set([...baseline.map((s) => s.unit), ...candidate.map((s) => s.unit)])];
  return units.map((unit) => {
    const b = baseline.find((s) => s.unit === unit) ?? { label: baseline[0]?.label ?? 'baseline', unit, benchmarks: {} };
    const c = candidate.find((s) => s.unit === unit) ?? { label: candidate[0]?.label ?? 'candidate', unit, benchmarks: {} };
    return compare(b, c, options);
  });
}
