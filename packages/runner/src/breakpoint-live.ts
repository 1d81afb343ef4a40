/**
 * A breakpoint step judged while it runs. A step's verdict is final only once its responses are
 * in, and against an overloaded service they drain for seconds, while the search drives the
 * next steps at higher rates. Some verdicts are certain earlier, because an open step's arrivals
 * are known ahead (rate × step duration, N) and its latency counts from each arrival's intended
 * time:
 *  - more than 1% of N already answered slower than the SLO's p99: its p99 can only end above it;
 *  - more of N already failed than the SLO's error rate allows of all N: so can its error rate;
 *  - "late" requests (answered slower than the SLO, failed without an answer, or sent more than
 *    the SLO ago and still unanswered, each of which can only end slow or failed) above
 *    (1% + f)·N, where f is the share of N that may fail without failing the step (the SLO's
 *    error rate, and at most 5%, past which achieved falls under 95% of offered): either more
 *    than f·N fail, or more than 1% of at most N answers are slow.
 */
import type { CapacitySlo } from '@headroom/analysis';
import { STEP_VERDICT_DEFAULTS } from '@headroom/analysis';
import { cumulativeCounts, decodeHistogram } from '@headroom/internal';
import type { PhaseResult } from './aggregate.ts';

/** A step that has certainly failed while still running: what is certain, and the evidence. */
export interface LiveFailure {
  /** Its p99 ends above the SLO. */
  latency: boolean;
  /** Its error rate ends above the SLO. */
  errors: boolean;
  /** For the user: what was counted, against how many arrivals (`<step> judged while running: <counted>`). */
  evidence: string;
  /** The counted part of the evidence alone. */
  counted: string;
}

/** What a step's answers so far show, whether it still runs or was cut short. */
export interface StepAnswers {
  phase: string;
  /** req/s the step offers; null for a closed step. */
  offeredRate: number | null;
  /** Encoded latency histogram of its answered requests. */
  hist: Uint8Array;
  errors: number;
}

/**
 * A step's failure certain from its answers alone (`a`, up to some instant of a step lasting
 * `stepMs`): more than 1% of its arrivals answered slower than the SLO's p99, or more failed than
 * its error rate allows of them all. Null while its answers could still pass. This holds as
 * well for a step cut short with these answers: its p99 would have ended above the SLO.
 */
export function failureFromAnswers(a: StepAnswers, stepMs: number, slo: CapacitySlo): LiveFailure | null {
  return answeredFailure(a, decodeHistogram(a.hist), stepMs, slo);
}

function answeredFailure(a: StepAnswers, h: ReturnType<typeof decodeHistogram>, stepMs: number, slo: CapacitySlo): LiveFailure | null {
  const n = arrivalsOf(a.offeredRate, stepMs);
  if (n <= 0) return null;
  const slow = slo.p99Ms === undefined ? 0 : slowOf(h, slo.p99Ms);
  // The final p99 is of at most n answers; one more than 1% of n, for the rank's rounding.
  const latency = slo.p99Ms !== undefined && slow >= Math.ceil(0.01 * n) + 1;
  const errors = slo.errorRate !== undefined && a.errors > slo.errorRate * n;
  if (!latency && !errors) return null;
  const parts = [
    latency ? `${slow} of its ${n} arrivals already answered slower than the SLO's p99 of ${slo.p99Ms}ms` : '',
    errors ? `${a.errors} of its ${n} arrivals already failed, over the SLO's error rate` : '',
  ].filter((p) => p !== '');
  return failure(a.phase, latency, errors, parts.join('; '));
}

/** An open step's arrivals (rate × duration); 0 for a closed step, whose count is not known ahead. */
function arrivalsOf(offeredRate: number | null, stepMs: number): number {
  return offeredRate === null ? 0 : Math.round((offeredRate * stepMs) / 1000);
}

function failure(phase: string, latency: boolean, errors: boolean, counted: string): LiveFailure {
  return { latency, errors, evidence: `${phase} judged while running: ${counted}`, counted };
}

function slowOf(h: ReturnType<typeof decodeHistogram>, p99Ms: number): number {
  return h.totalCount - (cumulativeCounts(h, [p99Ms * 1000]).counts[0] ?? 0);
}

/**
 * The certain failure of a running step from its aggregate up to its last whole second (`r`, a
 * provisional result), or null while it could still pass. `stepMs`: the step's duration.
 */
export function liveFailure(r: PhaseResult, stepMs: number, slo: CapacitySlo): LiveFailure | null {
  const n = arrivalsOf(r.offeredRate, stepMs);
  if (r.offeredRate === null || n <= 0) return null;
  const h = decodeHistogram(r.hist);
  const certain = answeredFailure(r, h, stepMs, slo);
  if (certain) return certain;
  if (slo.p99Ms === undefined) return null;
  const answered = h.totalCount;
  const slow = slowOf(h, slo.p99Ms);
  // Arrivals intended more than the SLO before the end of the last whole second, and not yet done.
  const failedUnanswered = r.counts.requests - answered;
  const old = Math.max(0, r.counts.offered - Math.ceil((r.offeredRate * slo.p99Ms) / 1000) - 1);
  const overdue = Math.max(0, old - r.counts.requests);
  const mayFail = Math.min(slo.errorRate ?? 1, 1 - STEP_VERDICT_DEFAULTS.minAchievedRatio);
  const late = slow + failedUnanswered + overdue;
  if (late < Math.ceil((0.01 + mayFail) * n) + 1) return null;
  return failure(
    r.phase,
    false,
    false,
    `${late} of its ${n} arrivals already later than the SLO's p99 of ${slo.p99Ms}ms (${overdue} of them still unanswered), more than its p99 and error or achieved rate allow together`,
  );
}
