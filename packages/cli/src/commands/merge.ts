import { formatMergeSummary, toMergeJson } from '@headroom/report';
import { mergeSegments } from '@headroom/runner';
import type { Store } from '@headroom/store';
import { UsageError } from '@headroom/core';
import type { Output } from '../output.ts';
import { parseInstant } from '../run-options.ts';

/** Options of `headroom merge`, already parsed. */
export interface MergeCommandOptions {
  /** Merge the execution that started at this ISO instant. */
  startAt?: string;
}

/** `headroom merge <bundle...>`: the segment runs of one execution as one run, stored in --db. */
export async function mergeCommand(
  bundles: readonly string[],
  store: Store,
  db: string,
  out: Output,
  o: MergeCommandOptions,
): Promise<number> {
  let startAt: string | undefined;
  if (o.startAt !== undefined) {
    // The same instants run --start-at takes (a zone-less time would be read in this machine's zone), past or not.
    const at = parseInstant(o.startAt);
    if (typeof at === 'string') throw new UsageError(`--start-at ${o.startAt}: ${at}`, 'E_OPTION_VALUE');
    startAt = new Date(at).toISOString();
  }
  const outcome = await mergeSegments(bundles, { store, log: out.log, ...(startAt === undefined ? {} : { startAt }) });
  for (const w of outcome.warnings) out.log(`warning: ${w}`);
  if (outcome.error) out.log(`headroom: ${outcome.error}`);
  const json = toMergeJson(outcome, db);
  if (out.json) out.resultJson(json);
  else out.result(formatMergeSummary(json, { color: out.color }));
  return outcome.exitCode;
}
