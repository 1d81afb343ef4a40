import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ProgressSink, formatCheckJUnit, formatCheckMarkdown, formatCheckText } from '@headroom/report';
import { runCheck } from '@headroom/runner';
import type { Output } from '../output.ts';

/** Options of `headroom check`, already parsed and validated. */
export interface CheckCommandOptions {
  baseline?: string;
  repeat: number;
  runs?: string[];
  requireBaseline: boolean;
  /** null: the guard is off. */
  maxChange: number | null;
  noiseFloor: number;
  alpha: number;
  markdown: boolean;
  junit?: string;
}

/** `headroom check <scenario>`: the pre-release check a CI pipeline runs. */
export async function checkCommand(
  file: string,
  db: string,
  out: Output,
  signal: AbortSignal,
  urgent: AbortSignal,
  o: CheckCommandOptions,
): Promise<number> {
  const started = new Date();
  const outcome = await runCheck(file, {
    db,
    signal,
    urgent,
    log: out.log,
    repeat: o.repeat,
    requireBaseline: o.requireBaseline,
    maxChange: o.maxChange,
    noiseFloor: o.noiseFloor,
    alpha: o.alpha,
    ...(o.baseline === undefined ? {} : { baseline: o.baseline }),
    ...(o.runs ? { runs: o.runs } : {}),
    sinks: () => (out.tty && !out.json ? [new ProgressSink()] : []),
  });
  const seconds = (Date.now() - started.getTime()) / 1000;
  if (o.junit) {
    mkdirSync(dirname(o.junit), { recursive: true });
    writeFileSync(o.junit, formatCheckJUnit(outcome, started, seconds));
    out.log(`JUnit XML: ${o.junit}`);
  }
  const summaryFile = process.env['GITHUB_STEP_SUMMARY'];
  if (summaryFile) appendFileSync(summaryFile, `${formatCheckMarkdown(outcome)}\n`);
  if (out.json) out.resultJson(outcome);
  else out.result(o.markdown ? formatCheckMarkdown(outcome) : formatCheckText(outcome));
  return outcome.exitCode;
}
