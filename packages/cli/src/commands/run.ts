import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ProgressSink, formatRunSummary, toRunJson } from '@headroom/report';
import { loadScenario, runScenario } from '@headroom/runner';
import type { Output } from '../output.ts';
import { reportCommand } from './report.ts';

/** `headroom run <scenario>`: validate, start the service, load it, store the run. */
export async function runCommand(
  file: string,
  db: string,
  out: Output,
  signal: AbortSignal,
  urgent: AbortSignal,
  options: { report?: boolean } = {},
): Promise<number> {
  const scenario = await loadScenario(file);
  const sinks = out.tty && !out.json ? [new ProgressSink()] : [];
  const outcome = await runScenario(scenario, { db, sinks, signal, urgent, log: out.log });
  const json = toRunJson(outcome, db);
  if (outcome.error) out.log(`headroom: ${outcome.error}`);
  if (options.report) {
    const path = join(outcome.artifactsDir, 'report.html');
    mkdirSync(outcome.artifactsDir, { recursive: true });
    const { Store } = await import('@headroom/store');
    const store = await Store.open(db, { readOnly: true });
    try {
      await reportCommand(outcome.runId, store, { ...out, json: false, result: () => {} }, { format: 'html', output: path });
    } finally {
      store.close();
    }
    out.log(`report: ${path}`);
  }
  if (out.json) out.resultJson(json);
  else out.result(formatRunSummary(json, { color: out.color }));
  return outcome.exitCode;
}
