/**
 * The terminal table of `headroom compare`, after benchstat: one block per unit, baseline
 * and candidate medians with their confidence intervals, the change of medians with its
 * p-value and sample counts, "~" when the change is not significant, a geomean row, and the
 * warnings underneath.
 */
import type { BenchmarkComparison, Comparison } from '@headroom/analysis';
import { formatCompareValue, formatDeltaCell, formatMedianCell, formatPct } from './compare-values.ts';

export interface FormatCompareTextOptions {
  /** ANSI colours: worse in red, better in green, '~' dimmed. Callers pass false for NO_COLOR or non-TTY. @default false */
  color?: boolean;
}

const RED = '\x1b[31m';
const GREEN = '\x1b[32m';
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

function paint(text: string, r: BenchmarkComparison, color: boolean): string {
  if (!color) return text;
  if (r.verdict === 'slower' && !r.withinNoise) return `${RED}${text}${RESET}`;
  if (r.verdict === 'faster' && !r.withinNoise) return `${GREEN}${text}${RESET}`;
  if (r.verdict === '~' || r.verdict === 'insufficient' || r.withinNoise) return `${DIM}${text}${RESET}`;
  return text;
}

function block(c: Comparison, color: boolean): string[] {
  const labels = { baseline: c.baselineLabel, candidate: c.candidateLabel };
  const header = [`${c.unit} (${c.higherIsBetter ? 'higher' : 'lower'} is better)`, c.baselineLabel, c.candidateLabel, 'delta'];
  const rows: { cells: string[]; row?: BenchmarkComparison }[] = c.rows.map((r) => ({
    cells: [r.name, formatMedianCell(r.baseline, c.unit), formatMedianCell(r.candidate, c.unit), formatDeltaCell(r, labels)],
    row: r,
  }));
  if (c.geomean && c.rows.length > 1) {
    rows.push({
      cells: [
        'geomean',
        formatCompareValue(c.geomean.baseline, c.unit),
        formatCompareValue(c.geomean.candidate, c.unit),
        formatPct(c.geomean.deltaPct),
      ],
    });
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r.cells[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((s, i) => (i === cells.length - 1 ? s : s.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map((r) => (r.row ? paint(line(r.cells), r.row, color) : line(r.cells)))];
}

/** Renders one comparison (or several, e.g. one per unit) as an aligned plain-text table. */
export function formatCompareText(comparison: Comparison | readonly Comparison[], options: FormatCompareTextOptions = {}): string {
  const list: readonly Comparison[] = Array.isArray(comparison) ? comparison : [comparison as Comparison];
  const color = options.color ?? false;
  const out: string[] = [];
  for (const c of list) {
    if (out.length > 0) out.push('');
    out.push(...block(c, color));
  }
  const first = list[0];
  if (first)
    out.push(
      '',
      `~: not significant at alpha ${first.alpha} (two-sided Mann-Whitney U); ± is the ${first.confidence * 100}% confidence interval of the median`,
    );
  const warnings = [...new Set(list.flatMap((c) => c.warnings))];
  if (warnings.length > 0) out.push('warnings:', ...warnings.map((w) => `  ${w}`));
  return `${out.join('\n')}\n`;
}
