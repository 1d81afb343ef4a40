import { ProgressSink, formatRunSummary, toRunJson } from '@headroom/report';
import { loadScenario, runScenario } from '@headroom/runner';
import type { Output } from '../output.ts';

/** `headroom run <scenario>`: validate, start the service, load it, store the run. */
export async function runCommand(file: string, db: string, out: Output, signal: AbortSignal, urgent: AbortSignal): Promise<number> {
  const scenario = await loadScenario(file);
  const sinks = out.tty && !out.json ? [new ProgressSink()] : [];
  const outcome = await runScenario(scenario, { db, sinks, signal, urgent, log: out.log });
  const json = toRunJson(outcome, db);
  if (outcome.error) out.log(`headroom: ${outcome.error}`);
  if (out.json) out.resultJson(json);
  else out.result(formatRunSummary(json, { color: out.color }));
  return outcome.exitCode;
}
