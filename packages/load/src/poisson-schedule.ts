import { createPoissonArrivals, type PoissonArrivals } from '@headroom/internal';
import type { ArrivalSchedule } from './arrival-schedule.ts';

/** Options of {@link poissonSchedule}. */
export interface PoissonScheduleOptions {
  /** The whole run's mean rate, req/s. */
  rate: number;
  durationMs: number;
  /** The scenario's seed. */
  seed: number;
  /** This worker's stripe of the whole load, and how many stripes share the rate (WorkerPlan.stripe). */
  worker: number;
  workers: number;
  /** Which unit of the timeline (so each step draws its own stream). */
  unit: number;
}

/** Arrivals drawn ahead of the sends, at most this many at a time (a refill costs ~0.1 ms). */
const CHUNK = 1024;

/**
 * One worker's share of a Poisson arrival process at `rate`. Each worker draws its own
 * independent stream at rate/workers, seeded from (seed, unit, worker); the superposition of
 * independent Poisson processes is a Poisson process at the summed rate (Kingman, Poisson
 * Processes, 1993, §2.2), so the merged stream is Poisson at `rate`, and the same seed and
 * worker count offer the same bursts. Arrivals are drawn in chunks as the sends reach them,
 * not up front (200k draws take ~50 ms, which would make a step's first sends late), and the
 * ones both readers are past are dropped, so memory stays a few chunks however long the phase.
 * `total` is unknown until the stream has been drawn past the end; until then it reads as
 * Number.MAX_SAFE_INTEGER, and `at` answers Infinity beyond the last arrival.
 */
export class PoissonSchedule implements ArrivalSchedule {
  #times = new Float64Array(CHUNK * 2);
  /** Index of #times[0] in the worker's stream. */
  #base = 0;
  #len = 0;
  #done = false;
  /** Next arrival time, ms, not yet stored. */
  #pending = 0;
  /** The lowest index `at` and `before` may still need. */
  #atFloor = 0;
  #beforeFloor = 0;
  readonly #gaps: PoissonArrivals | null;
  readonly #durationMs: number;

  constructor(o: PoissonScheduleOptions) {
    this.#durationMs = o.durationMs;
    const rate = o.rate / o.workers;
    // SplitMix64 inside xoshiro128 decorrelates neighbouring seeds; the mix keeps (seed, unit, worker) triples apart.
    this.#gaps = rate > 0 ? createPoissonArrivals({ rate, seed: o.seed * 1_000_003 + o.unit * 1009 + o.worker }) : null;
    if (this.#gaps === null) this.#done = true;
    else this.#pending = this.#gaps.nextGap() * 1000;
    if (this.#pending >= o.durationMs) this.#done = true;
  }

  get total(): number {
    return this.#done ? this.#base + this.#len : Number.MAX_SAFE_INTEGER;
  }

  /** Arrivals held in memory now (for tests of the memory bound). */
  get retained(): number {
    return this.#len;
  }

  at(j: number): number {
    if (j > this.#atFloor) this.#atFloor = j;
    while (!this.#done && j >= this.#base + this.#len) this.#fill();
    const k = j - this.#base;
    return k >= 0 && k < this.#len ? (this.#times[k] as number) : Infinity;
  }

  before(ms: number): number {
    const end = Math.min(ms, this.#durationMs);
    while (!this.#done && this.#pending < end) this.#fill();
    // First stored arrival at or after `end`: binary search.
    let lo = 0;
    let hi = this.#len;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.#times[mid] as number) < end) lo = mid + 1;
      else hi = mid;
    }
    const n = this.#base + lo;
    if (n > this.#beforeFloor) this.#beforeFloor = n;
    return n;
  }

  #fill(): void {
    this.#compact();
    if (this.#len + CHUNK > this.#times.length) {
      const bigger = new Float64Array(Math.max(this.#times.length * 2, this.#len + CHUNK));
      bigger.set(this.#times.subarray(0, this.#len));
      this.#times = bigger;
    }
    const gaps = this.#gaps as PoissonArrivals;
    for (let k = 0; k < CHUNK && !this.#done; k++) {
      this.#times[this.#len++] = this.#pending;
      this.#pending += gaps.nextGap() * 1000;
      if (this.#pending >= this.#durationMs) this.#done = true;
    }
  }

  /** Drops arrivals both readers are past. */
  #compact(): void {
    const drop = Math.min(this.#atFloor, this.#beforeFloor) - this.#base;
    if (drop < CHUNK) return;
    this.#times.copyWithin(0, drop, this.#len);
    this.#len -= drop;
    this.#base += drop;
  }
}
