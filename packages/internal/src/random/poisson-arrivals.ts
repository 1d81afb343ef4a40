/**
 * Seeded Poisson arrivals for the open model: the gaps between sends are independent
 * exponential draws with mean 1/rate, by inversion, gap = −ln(U)/rate with U uniform on (0, 1)
 * (Devroye, Non-Uniform Random Variate Generation, 1986, §II.2.1), U from xoshiro128**. The
 * same seed gives the same schedule, so two runs offer the same bursts.
 */
import { xoshiro128 } from './xoshiro128.ts';

/** Options of the Poisson arrival generators. */
export interface PoissonArrivalsOptions {
  /** Mean arrivals per second, > 0. */
  rate: number;
  /** PRNG seed (a safe integer). @default 1 */
  seed?: number;
}

/** A stream of inter-arrival gaps in seconds. */
export interface PoissonArrivals {
  nextGap(): number;
}

/** Creates a deterministic stream of exponential inter-arrival gaps. */
export function createPoissonArrivals(options: PoissonArrivalsOptions): PoissonArrivals {
  const { rate } = options;
  if (!(rate > 0 && Number.isFinite(rate))) throw new RangeError(`rate must be > 0, got ${rate}`);
  const rng = xoshiro128(options.seed ?? 1);
  return { nextGap: () => -Math.log(rng.nextUniform()) / rate };
}

/** The first `count` gaps (s) of the stream for these options. */
export function poissonGaps(options: PoissonArrivalsOptions & { count: number }): Float64Array {
  const arrivals = createPoissonArrivals(options);
  const out = new Float64Array(options.count);
  for (let i = 0; i < out.length; i++) out[i] = arrivals.nextGap();
  return out;
}

/** Intended send offsets (s from the phase start) of every arrival before `durationS`. */
export function poissonSchedule(options: PoissonArrivalsOptions & { durationS: number }): Float64Array {
  const arrivals = createPoissonArrivals(options);
  const times: number[] = [];
  for (let t = arrivals.nextGap(); t < options.durationS; t += arrivals.nextGap()) times.push(t);
  return Float64Array.from(times);
}
