import type { Phase, Scenario } from '@headroom/core';
import type { WorkerPlan } from '@headroom/internal';

/**
 * Splits a scenario into one plan per load worker.
 *
 * Connections (the closed model's users, the open model's pool) are split as evenly as
 * possible, at least one each; when some phase has fewer connections than `count`, fewer
 * workers are planned so no worker idles. Open-model rates stay the whole run's: each
 * worker takes arrivals i, i+count, i+2·count … of the one global even schedule
 * (see arrival-schedule.ts), so the merged stream is evenly spaced.
 */
export function planWorkers(scenario: Scenario, count: number, startAt: number): WorkerPlan[] {
  const minConnections = Math.min(...scenario.phases.map((p) => p.connections));
  const n = Math.max(1, Math.min(Math.floor(count), Number.isFinite(minConnections) ? minConnections : count));
  const plans: WorkerPlan[] = [];
  for (let i = 0; i < n; i++) {
    plans.push({
      index: i,
      count: n,
      engine: scenario.workers.engine,
      idle: scenario.workers.idle,
      target: scenario.target,
      tls: scenario.tls,
      requests: scenario.requests,
      phases: scenario.phases.map((p) => shareOf(p, i, n)),
      timeoutMs: scenario.timeoutMs,
      traceSample: scenario.trace.sample,
      startAt,
      script: scenario.scripted ? { file: scenario.file, flows: scenario.flows, data: scenario.data, seed: scenario.seed } : null,
    });
  }
  return plans;
}

/** Worker i's share of `total`: floor(total/n), plus one for the first total mod n workers. */
export function shareOf<P extends Phase>(phase: P, i: number, n: number): P {
  const connections = shareCount(phase.connections, i, n);
  return phase.maxVus === undefined
    ? { ...phase, connections }
    : { ...phase, connections, maxVus: Math.max(connections, shareCount(phase.maxVus, i, n)) };
}

/**
 * Worker i's share of `total` connections. Closed-model steps keep the whole run's levels in
 * the plan (they name the sub-phases); the timeline takes each level's share with this.
 */
export function shareCount(total: number, i: number, n: number): number {
  return Math.max(1, Math.floor(total / n) + (i < total % n ? 1 : 0));
}
