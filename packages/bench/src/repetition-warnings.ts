/**
 * What a repetition's own figures say about how far to trust them, or how long the bench will
 * take. Checks about the task rather than the repetition are made once, on its first repetition.
 */
import { formatDuration, type Bench } from '@headroom/core';
import type { RepetitionResult } from './run-bench.ts';

/** Below this CPU share a repetition was evidently preempted (the measuring loop itself keeps it near 1 otherwise). */
const CPU_SHARE_WARNING = 0.9;
/** An iteration timed alone within this many clock reads is mostly the clock. */
const CLOCK_BOUND_READS = 10;
/** Wall time of a repetition beyond this multiple of its time budgets means something uncounted dominates. */
const WALL_OVER_BUDGET = 10;

function formatWall(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)}s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

/** The warnings one successful repetition raises, in the order to show them. */
export function repetitionWarnings(r: RepetitionResult, bench: Bench): string[] {
  const warnings: string[] = [];
  const id = `${r.task} #${r.repetition}`;
  if (r.cpuShare < CPU_SHARE_WARNING) {
    warnings.push(
      `${id}: the worker got only ${(r.cpuShare * 100).toFixed(0)}% of a CPU while measuring: something else ran on CPUs [${bench.cpus.join(',')}] (or the task waits on I/O or timers), so this repetition is noisy`,
    );
  }
  if (!r.pinned) {
    warnings.push(
      `${id}: worker ${r.pid} threads were allowed CPUs ${JSON.stringify(r.threads.map((t) => t.cpus))}, not exactly [${bench.cpus.join(',')}]`,
    );
  }
  if (r.repetition !== 1) return warnings;
  if (r.batch === 1 && r.medianNs < CLOCK_BOUND_READS * r.clockNs) {
    warnings.push(
      `${r.task}: one iteration measured ${r.medianNs.toFixed(0)} ns, within ${CLOCK_BOUND_READS}x of what a clock read costs here (${r.clockNs} ns): a task with beforeEach/afterEach (or an async one) is timed one iteration at a time, so this figure is mostly timer overhead; without those hooks headroom times batches of iterations`,
    );
  }
  const budgetMs = bench.timeMs + bench.warmupMs;
  if (r.wallMs > WALL_OVER_BUDGET * budgetMs) {
    warnings.push(
      `${id}: the repetition took ${formatWall(r.wallMs)} of wall time for time '${formatDuration(bench.timeMs)}' and warmup '${formatDuration(bench.warmupMs)}': hooks (beforeEach, afterEach, beforeAll, afterAll) and the work between iterations are not counted in time, so at this pace the ${bench.runs} runs of ${r.task} take at least ${formatWall(r.wallMs * bench.runs)}`,
    );
  }
  return warnings;
}
