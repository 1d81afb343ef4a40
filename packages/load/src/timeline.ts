import { subPhases } from '@headroom/core';
import type { Arrivals, Phase } from '@headroom/core';
import { arrivalSchedule } from './arrival-schedule.ts';
import type { ArrivalSchedule } from './arrival-schedule.ts';
import { shareCount } from './plan-workers.ts';
import { PoissonSchedule } from './poisson-schedule.ts';

/** One stretch of load with a single model: a phase, or one step of a step phase. */
export interface RunUnit {
  /** Reported name: the phase, or `steps@500` for a step. */
  name: string;
  /** The phase it belongs to (its own name unless it is a step). */
  parent: string;
  /** Start, ms after plan.startAt. */
  startMs: number;
  durationMs: number;
  /** This worker's connections. */
  connections: number;
  model: 'closed' | 'open';
  thinkTimeMs: number;
  /** Open model: this worker's arrivals. */
  schedule: ArrivalSchedule | null;
  /** Open model: the whole run's offered rate, req/s (mean for a ramp). */
  offeredRate: number | null;
  /** Open model: the whole run's rate at the start and end of the unit (equal unless a ramp). */
  rateFrom: number;
  rateTo: number;
  /** Open model with flows: this worker's most VUs (k6's maxVUs). */
  maxVus: number;
  /** The last step of a step phase: its end also ends the parent phase. */
  closesParent: boolean;
}

/** A constant rate's schedule: even (computed, no memory) or Poisson (drawn from the seed). */
function constantSchedule(
  rate: number,
  durationMs: number,
  arrivals: Arrivals | undefined,
  worker: number,
  workers: number,
  unit: number,
): ArrivalSchedule {
  if (arrivals?.kind === 'poisson') return new PoissonSchedule({ rate, durationMs, seed: arrivals.seed, worker, workers, unit });
  return arrivalSchedule({ from: rate, to: rate, durationMs, worker, workers });
}

/**
 * Lays a worker's phases out back to back from plan.startAt, steps expanded into sub-phases;
 * `worker` of `workers` is its stripe of the whole load (WorkerPlan.stripe), which shapes its
 * arrivals and its share of closed-model steps.
 */
export function timeline(phases: readonly Phase[], worker: number, workers: number): RunUnit[] {
  const units: RunUnit[] = [];
  let at = 0;
  for (const p of phases) {
    const base = {
      parent: p.name,
      connections: p.connections,
      maxVus: Math.max(p.connections, p.maxVus ?? 0),
      thinkTimeMs: 0,
      closesParent: false,
    };
    if (p.model === 'closed') {
      units.push({
        ...base,
        name: p.name,
        startMs: at,
        durationMs: p.durationMs,
        model: 'closed',
        thinkTimeMs: p.thinkTimeMs,
        schedule: null,
        offeredRate: null,
        rateFrom: 0,
        rateTo: 0,
      });
      at += p.durationMs;
    } else if (p.model === 'closed-steps') {
      const steps = subPhases(p);
      steps.forEach((s, k) => {
        units.push({
          ...base,
          name: s.name,
          startMs: at,
          durationMs: p.stepDurationMs,
          model: 'closed',
          connections: shareCount(s.connections as number, worker, workers),
          maxVus: shareCount(s.connections as number, worker, workers),
          thinkTimeMs: p.thinkTimeMs,
          schedule: null,
          offeredRate: null,
          rateFrom: 0,
          rateTo: 0,
          closesParent: k === steps.length - 1,
        });
        at += p.stepDurationMs;
      });
    } else if (p.model === 'steps') {
      const steps = subPhases(p);
      steps.forEach((s, k) => {
        const rate = s.rate as number;
        units.push({
          ...base,
          name: s.name,
          startMs: at,
          durationMs: p.stepDurationMs,
          model: 'open',
          schedule: constantSchedule(rate, p.stepDurationMs, p.arrivals, worker, workers, units.length),
          offeredRate: rate,
          rateFrom: rate,
          rateTo: rate,
          closesParent: k === steps.length - 1,
        });
        at += p.stepDurationMs;
      });
    } else {
      const from = p.model === 'ramp' ? p.from : p.rate;
      const to = p.model === 'ramp' ? p.to : p.rate;
      units.push({
        ...base,
        name: p.name,
        startMs: at,
        durationMs: p.durationMs,
        model: 'open',
        schedule:
          p.model === 'constant'
            ? constantSchedule(p.rate, p.durationMs, p.arrivals, worker, workers, units.length)
            : arrivalSchedule({ from, to, durationMs: p.durationMs, worker, workers }),
        offeredRate: (from + to) / 2,
        rateFrom: from,
        rateTo: to,
      });
      at += p.durationMs;
    }
  }
  return units;
}
