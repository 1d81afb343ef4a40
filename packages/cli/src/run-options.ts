/**
 * The scale-out options of `headroom run`, checked together before anything loads:
 * `--segment i/n` (this process runs segment i of n of the scenario's load, i from 0 as
 * Kubernetes' JOB_COMPLETION_INDEX counts) and `--start-at <time>` (phase 0 starts at that
 * instant, so segments on several machines start together). Every problem is reported at once.
 */
import { MAX_SEGMENTS, UsageError, type Segment, type UsageCode } from '@headroom/core';
import { formatSpan } from '@headroom/runner';

/** The furthest ahead `--start-at` may be: further is more likely a wrong date than a plan. */
export const MAX_START_AHEAD_MS = 24 * 3_600_000;

/** The options as given on the command line. */
export interface RunOptionsInput {
  /** `--segment`, e.g. `'1/4'`. */
  segment?: string | undefined;
  /** `--start-at`: ISO 8601 with a time zone, or epoch milliseconds. */
  startAt?: string | undefined;
}

/** The options checked: null where not given. */
export interface RunOptions {
  segment: Segment | null;
  /** Epoch ms of phase 0's start. */
  startAt: number | null;
}

interface Problem {
  code: UsageCode;
  message: string;
}

/**
 * Parses and checks `--segment` and `--start-at` at `now`; throws one UsageError (exit 2) naming
 * every problem, as `headroom <command>` (`k8s` takes the same `--start-at`).
 */
export function parseRunOptions(raw: RunOptionsInput, now: number, command = 'run'): RunOptions {
  const problems: Problem[] = [];
  const segment = raw.segment === undefined ? null : parseSegment(raw.segment, problems);
  const startAt = raw.startAt === undefined ? null : parseStartAt(raw.startAt, now, problems);
  if (problems.length === 1) throw new UsageError(`headroom ${command}: ${problems[0]!.message}`, problems[0]!.code);
  if (problems.length > 1)
    throw new UsageError(
      `headroom ${command}: ${problems.length} problems\n${problems.map((p) => `  ${p.message}`).join('\n')}`,
      'E_OPTION_VALUE',
    );
  return { segment, startAt };
}

function parseSegment(text: string, problems: Problem[]): Segment | null {
  const bad = (message: string) => {
    problems.push({ code: 'E_OPTION_VALUE', message: `--segment ${text}: ${message}` });
    return null;
  };
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m)
    return bad(
      'write i/n with whole numbers, i counted from 0: --segment 0/4 … --segment 3/4 (in a Kubernetes Indexed Job, i is its JOB_COMPLETION_INDEX)',
    );
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1) return bad('n, the number of segments, must be at least 1');
  if (count > MAX_SEGMENTS) return bad(`at most ${MAX_SEGMENTS} segments`);
  if (index >= count)
    return bad(
      `the index counts from 0, as Kubernetes' JOB_COMPLETION_INDEX does: ${count === 1 ? '0/1' : count === 2 ? '0/2 and 1/2' : `0/${count} … ${count - 1}/${count}`}`,
    );
  return { index, count };
}

/** An ISO 8601 date and time, with seconds and fractions optional, and its zone (captured apart). */
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d{1,9})?)?(Z|[+-]\d\d:?\d\d)?$/i;

function parseStartAt(text: string, now: number, problems: Problem[]): number | null {
  const bad = (message: string, code: UsageCode = 'E_OPTION_VALUE') => {
    problems.push({ code, message: `--start-at ${text}: ${message}` });
    return null;
  };
  const parsed = parseInstant(text);
  if (typeof parsed === 'string') return bad(parsed);
  const at = parsed;
  if (at <= now) return bad(`passed ${formatSpan(now - at)} ago; pick a later time, the same for every segment`, 'E_START_PASSED');
  if (at - now > MAX_START_AHEAD_MS)
    return bad(`is ${formatSpan(at - now)} ahead, more than 24h; check the date (a run starts within a day of its command)`);
  return at;
}

/**
 * An instant as `--start-at` takes it: ISO 8601 with its time zone, or epoch milliseconds.
 * Returns epoch ms, or what is wrong with `text` (the message after `--start-at <text>: `).
 */
export function parseInstant(text: string): number | string {
  if (/^\d+$/.test(text)) {
    const at = Number(text);
    if (at < 1e9) return 'is not a time: give an ISO 8601 instant like 2026-12-03T18:40:00Z, or epoch milliseconds';
    if (at < 1e11)
      return `that is ${new Date(at * 1000).toISOString()} read as epoch seconds; give epoch milliseconds (${at}000) or an ISO 8601 time`;
    return at;
  }
  const m = ISO.exec(text);
  if (!m) return 'takes an ISO 8601 instant like 2026-12-03T18:40:00Z, or epoch milliseconds';
  if (m[1] === undefined)
    return `give its time zone, ${text}Z for UTC or an offset like ${text}+01:00: segments on other machines may not share this one's`;
  const at = Date.parse(text);
  return Number.isFinite(at) ? at : 'is not a real date and time (check the month, day and hour)';
}
