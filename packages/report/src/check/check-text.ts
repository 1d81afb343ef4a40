/** Terminal and Markdown tables of `headroom check`: one row per check with value, limit and verdict. */
import type { CheckResult } from '@headroom/analysis';
import type { CheckOutcome } from '@headroom/runner';
import { formatTable } from '../table.ts';
import { formatMs } from '../units.ts';
import { checkSummary } from './check-summary.ts';

const MARK = { passed: '✓', failed: '✗', 'no-data': '✗', note: '·' } as const;

/** A check's value in its unit. */
export function formatCheckValue(c: CheckResult): string {
  if (c.value === null) return 'no data';
  if (c.unit === 'ms') return formatMs(c.value);
  if (c.unit === 'ratio') return `${(c.value * 100).toFixed(3)}%`;
  if (c.unit === '%') return `${c.value >= 0 ? '+' : ''}${c.value.toFixed(1)}%`;
  if (c.unit === 'x') return `${c.value.toFixed(2)}x`;
  if (c.unit === 'MB') return `${c.value.toFixed(1)}MB`;
  if (c.unit === 'us') return `${c.value.toFixed(1)}µs`;
  return String(Number(c.value.toPrecision(4)));
}

function evidenceLines(o: CheckOutcome): string[] {
  if (!o.evidence) return [];
  return [
    '',
    `functions that moved most (CPU profile, ${o.evidence.baselineRun} → ${o.evidence.candidateRun}, share of busy CPU):`,
    ...o.evidence.movers.map(
      (m) => `  ${m.delta_self_pct >= 0 ? '+' : ''}${m.delta_self_pct.toFixed(1)} pts  ${m.function}  ${m.file}:${m.line}`,
    ),
  ];
}

/** The terminal report. */
export function formatCheckText(o: CheckOutcome): string {
  const rows = o.checks.map((c) => [`${MARK[c.verdict]} ${c.name}`, formatCheckValue(c), c.limit, c.verdict, c.detail]);
  return [
    `check ${o.scenario}  runs ${o.candidateRuns.join(', ')}${o.baselineRuns.length ? `  baseline ${o.baselineSha?.slice(0, 8) ?? ''} (${o.baselineRuns.length} run${o.baselineRuns.length === 1 ? '' : 's'})` : ''}`,
    '',
    formatTable(['check', 'value', 'limit', 'verdict', 'evidence'], rows, { rightAlign: [false, true, false, false, false] }),
    ...evidenceLines(o),
    '',
    checkSummary(o),
  ].join('\n');
}

function md(s: string): string {
  return s.replace(/[|\\`*_[\]<>]/g, (ch) => `\\${ch}`);
}

/** The Markdown report (pull request comment, $GITHUB_STEP_SUMMARY). */
export function formatCheckMarkdown(o: CheckOutcome): string {
  return [
    `### headroom check: ${md(o.scenario)} ${o.status === 'passed' ? '✅' : '❌'}`,
    '',
    md(checkSummary(o)),
    '',
    '| | check | value | limit | evidence |',
    '|---|---|---:|---|---|',
    ...o.checks.map((c) => `| ${MARK[c.verdict]} | ${md(c.name)} | ${md(formatCheckValue(c))} | ${md(c.limit)} | ${md(c.detail)} |`),
    ...(o.evidence
      ? [
          '',
          '<details><summary>Functions that moved most (CPU profile)</summary>',
          '',
          ...evidenceLines(o)
            .slice(2)
            .map((l) => `- ${md(l.trim())}`),
          '',
          '</details>',
        ]
      : []),
  ].join('\n');
}
