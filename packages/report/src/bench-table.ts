/** The terminal summary of a bench run: one row per task with median, CI, CV, ops/s. */
import type { BenchTaskSummary } from '@headroom/analysis';
import { formatTable } from './table.ts';
import { formatCount, formatNs } from './units.ts';

/** What the bench summary shows. */
export interface BenchSummaryInput {
  runId: string;
  name: string;
  status: string;
  tasks: readonly BenchTaskSummary[];
  db: string;
  /** How each run was isolated. @default 'process' */
  isolation?: 'process' | 'thread';
}

/** Renders the bench summary table with its footnotes. */
export function formatBenchSummary(b: BenchSummaryInput): string {
  const rows = b.tasks.map((t) => [
    t.task,
    formatNs(t.medianNs),
    t.ciLowNs === null ? 'too few runs for a CI' : `${formatNs(t.ciLowNs)} … ${formatNs(t.ciHighNs)}`,
    t.cvPct === null ? '-' : `${t.cvPct.toFixed(1)}%`,
    formatCount(t.opsPerSec),
    `${t.runs}${t.failed ? ` (+${t.failed} failed)` : ''}`,
  ]);
  return [
    `${b.name}  run ${b.runId}  ${b.status}`,
    '',
    formatTable(['task', 'median/op', '95% CI of median', 'CV', 'ops/s', 'runs'], rows, {
      rightAlign: [false, true, true, true, true, true],
    }),
    '',
    `median of the per-run medians; CI from order statistics; ${b.isolation === 'thread' ? 'each run a fresh worker thread of one pinned process' : 'each run a fresh pinned process'}`,
    `stored in ${b.db} as ${b.runId}; compare with: headroom compare <baseline> ${b.runId}`,
  ].join('\n');
}
