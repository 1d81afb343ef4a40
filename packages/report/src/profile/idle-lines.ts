/**
 * The lines that state idle apart from the ranking. A wall profile weighs every sample by the
 * sampling interval, whatever the main thread does, so its `(idle)` share is the time the
 * thread had no JavaScript on its stack: waiting in the event loop, or native work (socket
 * reads and writes, HTTP parsing) that event-loop utilisation counts as busy. A cpu profile
 * weighs each sample by the CPU time the main thread used since the previous sample, charged to
 * the stack seen at the sample; its `(idle)` is CPU of intervals that ended with no JavaScript
 * on the stack (native I/O work, system calls, or JavaScript that ran between two samples):
 * real CPU, but no function's.
 */
import type { IdleShare } from '@headroom/analysis';
import { formatProfileValue, formatShare } from './profile-values.ts';

/** What the idle lines are about. */
export interface IdleLinesInput {
  type: string;
  unit: string;
  /** Busy total of `type`: what the shares of the ranked rows are of. */
  busyTotal: number;
  idle: IdleShare;
  wallIdle: IdleShare | null;
}

/** Up to three lines, or none when the profile has no idle samples and no wall idle is known. */
export function idleLines(r: IdleLinesInput): string[] {
  const lines: string[] = [];
  if (r.wallIdle && r.wallIdle.self > 0)
    lines.push(
      `wall idle ${formatShare(r.wallIdle.share)}: no JavaScript on the main thread (waiting for I/O, or native work such as socket writes; not ranked)`,
    );
  if (r.type !== 'wall' && r.idle.self > 0) {
    lines.push(
      `${r.type} not in any function ${formatShare(r.idle.share)}: sampled as (idle), e.g. native I/O work between JavaScript (not ranked)`,
    );
  }
  if (lines.length > 0) lines.push(`shares below are of the ${r.type} spent in functions, ${formatProfileValue(r.busyTotal, r.unit)}`);
  return lines;
}
