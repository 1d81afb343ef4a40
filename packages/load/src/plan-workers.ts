import type { Phase, Scenario, Segment } from '@headroom/core';
import type { WorkerPlan } from '@headroom/internal';

/** Options of {@link planWorkers}. */
export interface PlanWorkersOptions {
  /** Plan only this segment of the scenario's load (`headroom run --segment i/n`). @default null: the whole load */
  segment?: Segment | null;
}

/** The whole scenario as one segment. */
const WHOLE: Segment = { index: 0, count: 1 };

/**
 * How many workers a run (or a segment of one) plans when `count` are asked for: fewer when
 * some phase has fewer connections than stripes, so that every stripe gets at least one and no
 * worker idles. A segment of n needs n·w stripes for w workers.
 */
export function plannedWorkerCount(scenario: Scenario, count: number, segment: Segment | null = null): number {
  const n = (segment ?? WHOLE).count;
  const minConnections = Math.min(...scenario.phases.map((p) => p.connections));
  const perSegment = Number.isFinite(minConnections) ? Math.floor(minConnections / n) : count;
  return Math.max(1, Math.min(Math.floor(count), perSegment));
}

/**
 * Splits a scenario (or one segment of it) into one plan per load worker.
 *
 * Each worker carries one stripe of the whole load (see WorkerPlan.stripe): connections (the
 * closed model's users, the open model's pool) are split as evenly as possible over the
 * stripes, at least one each; open-model rates stay the whole scenario's, and stripe i of G
 * takes arrivals i, i+G, i+2·G … of the one global even schedule (see arrival-schedule.ts),
 * so the merged stream of all stripes, in every segment, is that schedule itself.
 */
export function planWorkers(scenario: Scenario, count: number, startAt: number, options: PlanWorkersOptions = {}): WorkerPlan[] {
  const segment = options.segment ?? WHOLE;
  const closedMin = Math.min(
    ...scenario.phases.map((p) => (p.model === 'closed' || p.model === 'closed-steps' ? p.connections : Infinity)),
  );
  // core's segmentIssues refuses this up front: a stripe given a connection it has not would add load that is not the scenario's.
  if (closedMin < segment.count)
    throw new RangeError(`${closedMin} closed-model connections cannot be split over ${segment.count} segments`);
  const n = plannedWorkerCount(scenario, count, options.segment ?? null);
  const plans: WorkerPlan[] = [];
  for (let i = 0; i < n; i++) {
    const stripe = { index: segment.index + segment.count * i, count: segment.count * n };
    plans.push({
      index: i,
      count: n,
      stripe,
      engine: scenario.workers.engine,
      idle: scenario.workers.idle,
      target: scenario.target,
      tls: scenario.tls,
      requests: scenario.requests,
      phases: scenario.phases.map((p) => shareOf(p, stripe.index, stripe.count)),
      timeoutMs: scenario.timeoutMs,
      traceSample: scenario.trace.sample,
      startAt,
      script: scenario.scripted ? { file: scenario.file, flows: scenario.flows, data: scenario.data, seed: scenario.seed } : null,
    });
  }
  return plans;
}

/** Stripe i's share of a phase's connections (and VUs) of n stripes; see {@link shareCount}. */
export function shareOf<P extends Phase>(phase: P, i: number, n: number): P {
  const connections = shareCount(phase.connections, i, n);
  return phase.maxVus === undefined
    ? { ...phase, connections }
    : { ...phase, connections, maxVus: Math.max(connections, shareCount(phase.maxVus, i, n)) };
}

/**
 * Stripe i's share of `total` connections of n stripes: floor(total/n), plus one for the first
 * total mod n stripes, which is the number of c < total with c ≡ i (mod n). Interleaved like the
 * arrivals, the shares of a segment's stripes (i ≡ s mod segments) add up to its own share
 * whatever its worker count, and all segments' to the total. At least one each. Closed-model
 * steps keep the whole run's levels in the plan (they name the sub-phases); the timeline takes
 * each level's share with this.
 */
export function shareCount(total: number, i: number, n: number): number {
  return Math.max(1, Math.floor(total / n) + (i < total % n ? 1 : 0));
}
