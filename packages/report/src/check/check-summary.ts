/** The one-sentence verdict of `headroom check`, for the terminal, Markdown and CI summaries. */
import type { CheckOutcome } from '@headroom/runner';
import { formatCount, formatMs } from '../units.ts';

/** "Release candidate e4f5a6b: p99 at the 1,500 req/s peak 18.0ms (SLO 50ms); steady p99 −12.0% (p=0.002) vs a1b2c3d; all 9 checks passed." */
export function checkSummary(o: CheckOutcome): string {
  const parts: string[] = [];
  const peak = o.checks.find((c) => c.name === 'slo p99 at peak');
  if (peak && peak.value !== null && o.expectedPeak !== null)
    parts.push(`p99 at the ${formatCount(o.expectedPeak)} req/s peak ${formatMs(peak.value)} (SLO ${peak.limit.replace('<= ', '')})`);
  const headroom = o.checks.find((c) => c.group === 'budget' && c.name.startsWith('headroom'));
  if (headroom && headroom.value !== null) {
    const was =
      o.baselineHeadroom === null ? '' : `was ${o.baselineHeadroom.toFixed(2)}x at ${o.baselineSha?.slice(0, 7) ?? 'the baseline'}; `;
    const at = o.expectedPeak === null ? '' : ` at the ${formatCount(o.expectedPeak)} req/s peak`;
    parts.push(`capacity headroom${at} ${headroom.value.toFixed(2)}x (${was}budget ${headroom.limit})`);
  }
  const regressions = o.checks.filter((c) => c.group === 'regression');
  const worst = [...regressions]
    .filter((c) => c.value !== null)
    .sort((a, b) => Math.abs(b.value as number) - Math.abs(a.value as number))[0];
  if (o.baselineRuns.length > 0 && worst) {
    const p = /p=([\d.e-]+)/.exec(worst.detail)?.[1];
    parts.push(
      `largest change ${worst.name.replace('regression ', '')} ${(worst.value as number) >= 0 ? '+' : '−'}${Math.abs(worst.value as number).toFixed(1)}%${p ? ` (p = ${p})` : ' (too few runs for a p-value)'} vs ${o.baselineSha?.slice(0, 7) ?? 'the baseline'}`,
    );
  } else if (o.baselineNote) {
    parts.push('no baseline to compare with');
  }
  const failed = o.checks.filter((c) => c.verdict === 'failed' || c.verdict === 'no-data');
  const judged = o.checks.filter((c) => c.verdict !== 'note');
  const verdict =
    o.status === 'run-failed'
      ? `the run failed: ${o.runError ?? 'see the log'}`
      : failed.length === 0
        ? `all ${judged.length} checks passed`
        : `${failed.length} of ${judged.length} checks failed (${failed.map((c) => c.name).join(', ')})`;
  const sha = o.candidateSha ? `${o.candidateSha.slice(0, 7)}${o.candidateDirty ? '+dirty' : ''}` : 'the working tree';
  return `Release candidate ${sha}: ${[...parts, verdict].join('; ')}.`;
}
