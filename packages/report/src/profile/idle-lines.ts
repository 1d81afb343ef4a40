/**
 * The lines that state idle apart from the ranking. A wall profile samples the main thread at
 * a fixed rate whatever it does, so its `(idle)` share is the time the event loop waited; a cpu
 * profile weighs each sample by the CPU time used, so its `(idle)` holds CPU spent while no
 * JavaScript ran (polling for I/O, system calls). Neither is work a function did.
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

/** One to three lines, or none when the profile has no idle samples and no wall profile. */
export function idleLines(r: IdleLinesInput): string[] {
  const lines: string[] = [];
  if (r.wallIdle) lines.push(`wall idle ${formatShare(r.wallIdle.share)}: the main thread waited in the event loop (not ranked)`);
  if (r.type !== 'wall' && r.idle.self > 0) {
    lines.push(`${r.type} in (idle) ${formatShare(r.idle.share)}: used while no JavaScript ran, e.g. polling for I/O (not ranked)`);
  }
  if (lines.length > 0) lines.push(`shares below are of the busy ${r.type} total, ${formatProfileValue(r.busyTotal, r.unit)}`);
  return lines;
}
