/** What `headroom merge` prints: the merged run as `headroom run` shows a run, and the segments it was made of. */
import type { MergeOutcome, MergedSegment } from '@headroom/runner';
import { toRunJson } from './run-json.ts';
import { formatRunSummary, type RunJson, type RunSummaryOptions } from './run-summary.ts';
import { painter } from './table.ts';

/** The `--json` document of a merged run: a run's, plus its segments. */
export interface MergeJson extends RunJson {
  segments: MergedSegment[];
}

/** Converts a merge outcome to its JSON document; `db` is the store's path. */
export function toMergeJson(o: MergeOutcome, db: string): MergeJson {
  return { ...toRunJson(o, db), segments: o.segments };
}

/** The terminal summary of a merged run: the run summary, then one line naming the segments merged. */
export function formatMergeSummary(m: MergeJson, options: RunSummaryOptions): string {
  const c = painter(options.color);
  const first = m.segments[0];
  const each = m.segments.map(
    (s) =>
      `${s.index}/${s.count} ${s.runId}${s.host ? ` on ${s.host}` : ''}${s.status === 'completed' ? '' : ` (${s.status})`} from ${s.bundle}`,
  );
  const line = `merged ${m.segments.length} segment${m.segments.length === 1 ? '' : 's'}${first ? ` started ${first.startAt}` : ''}: ${each.join('; ')}`;
  return `${formatRunSummary(m, options)}\n${c('dim', line)}`;
}
