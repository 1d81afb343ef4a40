import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ValidationError, segmentIssues } from '@headroom/core';
import { ProgressSink, formatRunSummary, toRunJson } from '@headroom/report';
import { loadScenario, runScenario } from '@headroom/runner';
import type { Output } from '../output.ts';
import { parseRunOptions, type RunOptionsInput } from '../run-options.ts';
import { reportCommand } from './report.ts';

/** Options of {@link runCommand}. */
export interface RunCommandOptions extends RunOptionsInput {
  /** Also write the HTML report. @default false */
  report?: boolean;
}

/** `headroom run <scenario>`: validate, start the service, load it (or one segment of its load), store the run. */
export async function runCommand(
  file: string,
  db: string,
  out: Output,
  signal: AbortSignal,
  urgent: AbortSignal,
  options: RunCommandOptions = {},
): Promise<number> {
  const { segment, startAt } = parseRunOptions(options, Date.now());
  const scenario = await loadScenario(file);
  if (segment !== null) {
    const issues = segmentIssues(scenario, segment);
    if (issues.length > 0) throw new ValidationError(`${file} cannot run as --segment ${segment.index}/${segment.count}`, issues);
  }
  const sinks = out.tty && !out.json ? [new ProgressSink()] : [];
  const outcome = await runScenario(scenario, { db, sinks, signal, urgent, log: out.log, segment, startAt });
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
