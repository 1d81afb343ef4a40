/**
 * Scale-out segments: `headroom run <scenario> --segment i/n` runs segment i of n of the
 * scenario's load, so that n processes (the pods of a Kubernetes Indexed Job, i being its
 * JOB_COMPLETION_INDEX) together offer exactly the whole scenario to one shared target, and
 * `headroom merge` joins their stores into one run. This module holds the types both sides
 * share and what makes a scenario unfit to be split.
 */
import { join } from './checker.ts';
import type { ValidationIssue } from './errors.ts';
import type { Scenario } from './scenario.ts';

/** Segment `index` of `count`; `index` counts from 0, as Kubernetes' JOB_COMPLETION_INDEX does. */
export interface Segment {
  index: number;
  count: number;
}

/**
 * What a segment run stores as `segment` in its runs.config (and prints in `--json`), for
 * `headroom merge` to find the segments of one execution. A run of the whole scenario has none.
 */
export interface SegmentRecord extends Segment {
  /** ISO 8601 instant of phase 0's start, the same for every segment of one execution (`--start-at`). */
  startAt: string;
  /** Load workers this segment ran on its machine (segments may differ: each splits its own share). */
  workers: number;
}

/** Most segments one execution may be split into. */
export const MAX_SEGMENTS = 1000;

/**
 * What keeps `scenario` from being run as `segment`, each problem with its path in the
 * scenario; [] when it can be. A segment sees only its own share of the load, so nothing that
 * starts the service or decides on the whole run's latencies while it runs can be split.
 */
export function segmentIssues(scenario: Scenario, segment: Segment): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const n = segment.count;
  if (scenario.service !== null)
    issues.push({
      path: 'service',
      message: `each of the ${n} segments would start its own service, and segments must load one shared target`,
      hint: 'start the service on its own, point target at it and leave the service block out of the scenario the segments run',
    });
  scenario.phases.forEach((p, i) => {
    const path = join('phases', i);
    if ((p.model === 'steps' || p.model === 'closed-steps') && p.stopWhen)
      issues.push({
        path: join(path, 'stopWhen'),
        message: `phase ${p.name}: a breakpoint search cannot be split, since a segment sees only its own share of the latencies and cannot tell when the service is past its limit`,
        hint: 'leave stopWhen out so every step runs; headroom merge then gives the whole run, whose steps headroom capacity reads',
      });
    // Closed-model connections are the load itself: each segment needs a whole one of every phase's.
    const closed = p.model === 'closed' ? p.connections : p.model === 'closed-steps' ? Math.min(...p.levels) : null;
    if (closed !== null && closed < n)
      issues.push({
        path: join(path, 'connections'),
        message: `phase ${p.name}: ${closed} connection${closed === 1 ? '' : 's'}${p.model === 'closed-steps' ? ' (its smallest step)' : ''} cannot be split over ${n} segments; each segment needs at least one`,
        hint: `use at least ${n} connections, or fewer segments`,
      });
  });
  for (const key of new Set(scenario.thresholds.filter((t) => t.abortOnFail).map((t) => t.key)))
    issues.push({
      path: join('thresholds', key),
      message: 'abortOnFail cannot be judged by a segment: it sees only its own share of the load',
      hint: 'leave abortOnFail out for a scaled-out run; headroom merge decides the thresholds over all segments',
    });
  return issues;
}
