import { formatTransfer } from '@headroom/report';
import { exportRuns, importRuns, resolveRunRef, runsOfScenario, type Store } from '@headroom/store';
import type { Output } from '../output.ts';

/** `headroom runs export <runs|scenario> -o <folder>`: a scenario name means all its runs; else run refs, comma-separated. */
export async function runsExportCommand(spec: string, dir: string, store: Store, out: Output): Promise<number> {
  const ofScenario = await runsOfScenario(store, spec);
  const ids = ofScenario.length > 0 ? ofScenario : await Promise.all(spec.split(',').map((s) => resolveRunRef(store, s.trim())));
  const r = await exportRuns(store, ids, dir);
  if (out.json) out.resultJson(r);
  else out.result(formatTransfer('exported', r));
  return 0;
}

/** `headroom runs import <folder>`: runs from another store (e.g. the main branch's, from a CI artifact). */
export async function runsImportCommand(dir: string, store: Store, out: Output): Promise<number> {
  const r = await importRuns(store, dir);
  if (out.json) out.resultJson(r);
  else out.result(formatTransfer('imported', r));
  return 0;
}
