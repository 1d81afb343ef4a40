/** `headroom profile diff` as text: idle of each side, then the movers. */
import type { ProfileDiffResult } from '@headroom/analysis';
import { formatTable } from '../table.ts';
import { formatLocation, formatShare } from './profile-values.ts';

/** The biggest movers as an aligned table; shares are of each side's busy total. */
export function formatProfileDiff(r: ProfileDiffResult): string {
  if (r.rows.length === 0) return `no ${r.type} profile rows on either side`;
  const idle =
    r.baseIdle.self > 0 || r.candIdle.self > 0
      ? [
          `${r.type} not in any function (idle): base ${formatShare(r.baseIdle.share)}, candidate ${formatShare(r.candIdle.share)} (not ranked; shares below are of each side's ${r.type} spent in functions)`,
          '',
        ]
      : [];
  const table = formatTable(
    ['Δself', 'base self', 'cand self', 'Δtotal', 'function', 'location'],
    r.rows.map((d) => [
      formatShare(d.delta_self_pct, true),
      formatShare(d.base_self_pct),
      formatShare(d.cand_self_pct),
      formatShare(d.delta_total_pct, true),
      d.status === 'changed' ? d.function : `${d.function} (${d.status})`,
      formatLocation(d),
    ]),
    { rightAlign: [true, true, true, true, false, false] },
  );
  return [...idle, table].join('\n');
}
