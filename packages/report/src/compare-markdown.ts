/**
 * Markdown of a comparison, for pull requests and CI step summaries ($GITHUB_STEP_SUMMARY):
 * one table per unit with the verdict in words, a geomean row and the warnings as a list.
 */
import type { BenchmarkComparison, Comparison } from '@headroom/analysis';
import { formatCompareValue, formatMedianCell, formatP, formatPct, formatRowPct } from './compare-values.ts';

function escapeCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function verdictCell(r: BenchmarkComparison): string {
  switch (r.verdict) {
    case 'slower':
      return r.withinNoise ? 'slower (within noise)' : '**slower**';
    case 'faster':
      return r.withinNoise ? 'faster (within noise)' : '**faster**';
    case '~':
      return '~ not significant';
    case 'insufficient':
      return 'too few runs';
    case 'missing':
      return 'missing';
  }
}

/** Renders one comparison (or several, one per unit) as GitHub-flavoured Markdown. */
export function formatCompareMarkdown(comparison: Comparison | readonly Comparison[]): string {
  const list: readonly Comparison[] = Array.isArray(comparison) ? comparison : [comparison as Comparison];
  const out: string[] = [];
  for (const c of list) {
    out.push(
      `#### ${escapeCell(c.unit)} (${c.higherIsBetter ? 'higher' : 'lower'} is better): \`${c.baselineLabel}\` → \`${c.candidateLabel}\``,
      '',
    );
    out.push(`| benchmark | ${escapeCell(c.baselineLabel)} | ${escapeCell(c.candidateLabel)} | delta | p | n | verdict |`);
    out.push('|---|---:|---:|---:|---:|---:|---|');
    for (const r of c.rows) {
      const n = `${r.baseline?.n ?? 0}+${r.candidate?.n ?? 0}`;
      out.push(
        `| ${escapeCell(r.name)} | ${formatMedianCell(r.baseline, c.unit)} | ${formatMedianCell(r.candidate, c.unit)} | ${formatRowPct(r)} | ${formatP(r.p)} | ${n} | ${verdictCell(r)} |`,
      );
    }
    if (c.geomean && c.rows.length > 1) {
      out.push(
        `| *geomean* | ${formatCompareValue(c.geomean.baseline, c.unit)} | ${formatCompareValue(c.geomean.candidate, c.unit)} | ${formatPct(c.geomean.deltaPct)} | | | |`,
      );
    }
    out.push('');
  }
  const first = list[0];
  if (first)
    out.push(
      `Medians ± ${first.confidence * 100}% confidence interval; p from a two-sided Mann-Whitney U test, alpha ${first.alpha}; "~" means not significant. Runs are the unit of observation.`,
      '',
    );
  const warnings = [...new Set(list.flatMap((c) => c.warnings))];
  if (warnings.length > 0) out.push('**Warnings**', '', ...warnings.map((w) => `- ${escapeCell(w)}`), '');
  return out.join('\n');
}
