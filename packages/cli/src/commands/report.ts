import { writeFileSync } from 'node:fs';
import { buildReportData, renderHtmlReport, renderMarkdownReport, withCapacity, withForecast, withHeadroomTrend } from '@headroom/report';
import { capacityRecordOfRun, headroomByRun } from '@headroom/runner';
import { readCapacity, readReportRows, resolveRunRef, runsOfScenario, type Store } from '@headroom/store';
import { UsageError } from '@headroom/core';
import type { Output } from '../output.ts';

/** Options of `headroom report`. */
export interface ReportCommandOptions {
  /** Where to write; `-` for stdout; default `<run-id>.html` (or .md) in the current folder. */
  output?: string;
  format: 'html' | 'md';
  baseline?: string;
}

/** Resolves a run ref, or a scenario name to its latest run. */
async function resolve(store: Store, ref: string): Promise<string> {
  if ((await runsOfScenario(store, ref)).length > 0) return resolveRunRef(store, 'latest', { scenario: ref });
  return resolveRunRef(store, ref);
}

/** `headroom report <run|scenario>`: one self-contained HTML file (or Markdown) of a run and its scenario's history. */
export async function reportCommand(ref: string, store: Store, out: Output, o: ReportCommandOptions): Promise<number> {
  const id = await resolve(store, ref);
  const rows = await readReportRows(store, id);
  if (!rows) throw new UsageError(`run ${id} is not in ${store.path}`, 'E_RUN_NOT_FOUND');
  const base = o.baseline ? await readReportRows(store, await resolve(store, o.baseline)) : null;
  const built = await buildReportData(rows, { baseline: base });
  // The run's stored capacity result; when `headroom capacity` was never run on a run with
  // capacity steps, the same analysis computed now (not stored). Then the history's forecast.
  const stored = await readCapacity(store, id);
  const capacity = stored.length > 0 || !built.capacity ? stored : [await capacityRecordOfRun(store, id)];
  // A capacity run's history is its headroom run by run, against the headroom budget.
  const headroom = built.capacity
    ? await headroomByRun(
        store,
        rows.history.map((h) => h.id),
      )
    : new Map<string, number>();
  const data = withForecast(withHeadroomTrend(withCapacity(built, capacity), rows, headroom));
  const text = o.format === 'md' ? renderMarkdownReport(data) : await renderHtmlReport(data);
  if (o.output === '-') {
    // The report itself is the result (e.g. Markdown appended to $GITHUB_STEP_SUMMARY).
    out.result(text);
    return 0;
  }
  const dest = o.output ?? `${id}.${o.format === 'md' ? 'md' : 'html'}`;
  writeFileSync(dest, text);
  if (out.json) out.resultJson({ runId: id, format: o.format, path: dest, bytes: Buffer.byteLength(text) });
  else out.result(`report of ${id} written to ${dest} (${Math.round(Buffer.byteLength(text) / 1024)} KB)`);
  return 0;
}
