/** `headroom profile top` as text: the idle lines, then the ranked functions. */
import type { ProfileTopResult } from '@headroom/analysis';
import { formatTable } from '../table.ts';
import { idleLines } from './idle-lines.ts';
import { formatLocation, formatProfileValue, formatShare } from './profile-values.ts';

/** The top functions as an aligned table, idle stated above it. */
export function formatProfileTop(r: ProfileTopResult): string {
  if (r.rows.length === 0) return `no ${r.type} profile rows${r.phase ? ` for phase ${r.phase}` : ''}`;
  const table = formatTable(
    ['self', 'self%', 'total', 'total%', 'function', 'location'],
    r.rows.map((f) => [
      formatProfileValue(f.self, r.unit),
      formatShare(f.self_pct),
      formatProfileValue(f.total, r.unit),
      formatShare(f.total_pct),
      f.function,
      formatLocation(f),
    ]),
    { rightAlign: [true, true, true, true, false, false] },
  );
  const head = idleLines({ type: r.type, unit: r.unit, busyTotal: r.profileTotal, idle: r.idle, wallIdle: r.wallIdle });
  return [...head, ...(head.length > 0 ? [''] : []), table].join('\n');
}
