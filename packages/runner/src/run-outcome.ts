/** How a load run's end is judged from what it measured: exit codes and the runs in which nothing succeeded. */
import { ExitCode, RunFailedError, type ExitCodeValue, type Scenario } from '@headroom/core';
import type { PhaseResult } from './aggregate.ts';
import type { RunStatus } from './bus.ts';

export function exitCodeOf(status: RunStatus, gates: string | null): ExitCodeValue {
  if (status === 'failed') return ExitCode.runFailed;
  if (status === 'interrupted') return ExitCode.interrupted;
  if (status === 'aborted' || gates === 'failed') return ExitCode.gateFailed;
  return ExitCode.ok;
}

/** The failure of a completed run in which a measured phase made requests and none succeeded, else null. */
export function deadRunFailure(results: PhaseResult[], scenario: Scenario): RunFailedError | null {
  const dead = deadPhase(results, scenario);
  if (dead === null) return null;
  return unreachable(results)
    ? new RunFailedError(
        'E_TARGET_UNREACHABLE',
        `every request to ${scenario.target} failed to connect (${describeErrors(results)}); is the service listening there?`,
      )
    : new RunFailedError(
        'E_ALL_REQUESTS_FAILED',
        `every request of phase ${dead} failed (${describeErrors(results.filter((r) => r.phase === dead))}); the service at ${scenario.target} answered no request successfully`,
      );
}

/** The codes of deadRunFailure: such a run still shows its gates (latency ones as no-data), so nobody reads a pass into it. */
export const DEAD_RUN_CODES: readonly string[] = ['E_ALL_REQUESTS_FAILED', 'E_TARGET_UNREACHABLE'];

/** The first measured phase in which requests were made and none succeeded, else null. */
function deadPhase(results: PhaseResult[], scenario: Scenario): string | null {
  const warmups = new Set(scenario.phases.filter((p) => p.warmup).map((p) => p.name));
  const dead = results.find((r) => r.parent === r.phase && !warmups.has(r.phase) && r.counts.requests > 0 && r.counts.ok === 0);
  return dead?.phase ?? null;
}

function unreachable(results: PhaseResult[]): boolean {
  const top = results.filter((r) => r.parent === r.phase);
  const requests = top.reduce((s, r) => s + r.counts.requests, 0);
  const refused = top.reduce((s, r) => s + (r.counts.errors.refused ?? 0), 0);
  return requests > 0 && refused === requests;
}

function describeErrors(results: PhaseResult[]): string {
  const all: Record<string, number> = {};
  for (const r of results.filter((x) => x.parent === x.phase))
    for (const [k, v] of Object.entries(r.counts.errors)) all[k] = (all[k] ?? 0) + (v ?? 0);
  return Object.entries(all)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');
}
