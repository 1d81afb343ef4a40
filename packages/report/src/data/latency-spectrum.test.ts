import { describe, expect, it } from 'vitest';
import { createHistogram, recordUs } from '@headroom/internal';
import { SPECTRUM_MAX_X, spectrumOf } from './latency-spectrum.ts';

describe('spectrumOf', () => {
  it('puts pXX at x = 1/(1−q) with the histogram’s values (uniform 1..100000 µs: pq = q·100 ms)', () => {
    // Known by construction: for values 1..N µs recorded once each, the q-quantile is q·N µs,
    // within HdrHistogram's 3 significant digits.
    const h = createHistogram();
    for (let us = 1; us <= 100_000; us++) recordUs(h, us);
    const s = spectrumOf(h)!;
    expect(s.count).toBe(100_000);
    expect(s.x[0]).toBe(1);
    expect(s.x[s.x.length - 1]).toBe(SPECTRUM_MAX_X);
    const at = (x: number) => s.ms[s.x.findIndex((v) => Math.abs(v - x) < 1e-6 * x)]!;
    expect(at(10)).toBeCloseTo(90, 0); // p90
    expect(at(100)).toBeCloseTo(99, 0); // p99
    expect(at(1000) / 99.9).toBeCloseTo(1, 2); // p99.9
    expect(at(10_000) / 99.99).toBeCloseTo(1, 2); // p99.99
    for (let i = 1; i < s.ms.length; i++) expect(s.ms[i]).toBeGreaterThanOrEqual(s.ms[i - 1]!);
  });

  it('is null for an empty histogram', () => {
    expect(spectrumOf(createHistogram())).toBeNull();
  });
});
