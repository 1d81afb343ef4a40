/**
 * When a run's phase 0 starts: a little after the run is prepared (its workers need time to
 * boot), or at an instant the user gave (`--start-at`), which is how the segments of one
 * scaled-out execution start their load together on different machines.
 */
import { UsageError, type Segment } from '@headroom/core';

/** Milliseconds from the common start to the first send: time for workers to boot, even on a busy machine. */
export const START_DELAY_MS = 2000;

/**
 * The least time a given start must still be ahead once the run is prepared: the load workers
 * must boot and get their plans before it, or their first sends leave late (and count the
 * delay as latency).
 */
export const MIN_START_LEAD_MS = 500;

/**
 * Phase 0's start for a run prepared at `now`: `requested` (epoch ms) when given, else
 * now + START_DELAY_MS. A requested start less than MIN_START_LEAD_MS ahead is refused with
 * E_START_PASSED (exit 2), saying how late it is.
 */
export function loadStartAt(requested: number | null, now: number): number {
  if (requested === null) return now + START_DELAY_MS;
  const late = now + MIN_START_LEAD_MS - requested;
  if (late <= 0) return requested;
  const when = new Date(requested).toISOString();
  const suggestion = new Date(Math.ceil((now + 120_000) / 60_000) * 60_000).toISOString().replace('.000Z', 'Z');
  throw new UsageError(
    `--start-at ${when} is ${formatSpan(late)} late: the run was prepared at ${new Date(now).toISOString()} and its load workers need ${MIN_START_LEAD_MS}ms to start before phase 0; pick a later time (e.g. --start-at ${suggestion}), the same for every segment`,
    'E_START_PASSED',
  );
}

/** The line that says when a given start is, while the run waits for it. */
export function waitLine(startAt: number, now: number, segment: Segment | null): string {
  const who = segment === null ? '' : `segment ${segment.index}/${segment.count}: `;
  return `${who}load starts at ${new Date(startAt).toISOString()} (in ${formatSpan(startAt - now)}); Ctrl-C stops the wait`;
}

/** `1.3s`, `4m 05s`, `2h 10m`: how long until (or since) an instant, for messages. */
export function formatSpan(ms: number): string {
  const s = Math.abs(ms) / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(Math.round(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}
