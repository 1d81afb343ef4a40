/**
 * HdrHistogram's percentile plot: latency against 1/(1−q) on a log axis, so p50, p90, p99,
 * p99.9 and p99.99 sit at equal distances (x = 2, 10, 100, 1000, 10000). Gil Tene's
 * "How NOT to measure latency" uses it to show coordinated omission as the gap between the
 * corrected and the uncorrected curve.
 */
import type { Histogram } from '@headroom/internal';
import type { SpectrumCurve } from './report-data.ts';

/** The highest x drawn: 1/(1−0.9999), i.e. p99.99. */
export const SPECTRUM_MAX_X = 10_000;

/** `points` log-spaced percentiles from p0 to p99.99 of a µs histogram, in ms; null when empty. */
export function spectrumOf(h: Histogram, points = 121): SpectrumCurve | null {
  const count = h.totalCount;
  if (count === 0) return null;
  const x: number[] = [];
  const ms: number[] = [];
  const decades = Math.log10(SPECTRUM_MAX_X);
  for (let i = 0; i < points; i++) {
    const xi = 10 ** ((decades * i) / (points - 1));
    const q = 1 - 1 / xi;
    x.push(round(xi, 6));
    ms.push(h.getValueAtPercentile(Math.min(100, q * 100)) / 1000);
  }
  return { x, ms, count };
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
