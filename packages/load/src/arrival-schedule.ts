/**
 * The open model's even arrival schedule and one worker's interleaved share of it.
 *
 * Globally, arrivals follow the rate r(t) = from + (to − from)·t/D over a (sub-)phase of
 * length D, so the expected count by time t is N(t) = from·t + (to − from)·t²/(2D)
 * (seconds). Arrival g (0-based) is intended at the t solving N(t) = g, i.e. the
 * quadratic's positive root written in the cancellation-free form
 *   t = 2g / (from + √(from² + 2(to − from)·g/D)),
 * which is exact for constant rates (to = from ⇒ t = g/from) and for ramps from 0.
 * Stripe i of n takes arrivals g = i + j·n, so the merged stream of all workers (of all
 * segments) is the global schedule itself (wrk2 takes the same approach per connection).
 */
export interface ArrivalSchedule {
  /** This worker's arrivals in the whole (sub-)phase. */
  readonly total: number;
  /** Intended time of this worker's arrival j, in ms after the (sub-)phase start. */
  at(j: number): number;
  /** This worker's arrivals intended strictly before `ms` after the (sub-)phase start. */
  before(ms: number): number;
}

export interface ScheduleOptions {
  /** Rate at the start, req/s (whole run). */
  from: number;
  /** Rate at the end, req/s (whole run); equal to `from` for a constant rate. */
  to: number;
  durationMs: number;
  /** This worker's stripe of the whole load (WorkerPlan.stripe.index). */
  worker: number;
  /** Number of stripes sharing the schedule, over every worker of every segment (WorkerPlan.stripe.count). */
  workers: number;
}

/** The schedule of one worker's arrivals for a constant or linearly ramped rate. */
export function arrivalSchedule(o: ScheduleOptions): ArrivalSchedule {
  const d = o.durationMs / 1000;
  const slope2 = (2 * (o.to - o.from)) / d;
  const globalAt = (g: number): number => {
    if (g === 0) return 0;
    const den = o.from + Math.sqrt(Math.max(0, o.from * o.from + slope2 * g));
    return den > 0 ? (2000 * g) / den : Infinity;
  };
  const expected = (ms: number): number => {
    const t = Math.min(ms, o.durationMs) / 1000;
    return o.from * t + ((o.to - o.from) * t * t) / (2 * d);
  };
  /** Global arrivals with t_g < ms: g < N(t) ⇔ g ≤ ceil(N(t)) − 1 (tiny epsilon against float noise). */
  const globalBefore = (ms: number): number => (ms <= 0 ? 0 : Math.max(0, Math.ceil(expected(ms) - 1e-9)));
  const mine = (g: number): number => (g > o.worker ? Math.floor((g - 1 - o.worker) / o.workers) + 1 : 0);
  return {
    total: mine(globalBefore(o.durationMs)),
    at: (j) => globalAt(o.worker + j * o.workers),
    before: (ms) => mine(globalBefore(ms)),
  };
}
