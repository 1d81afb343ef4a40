import { describe, expect, it } from 'vitest';
import { createHistogram, encodeHistogram, LatencyCounts, recordUs } from './histogram.ts';

describe('LatencyCounts', () => {
  it('drains into exactly the histogram that recording each value directly gives, at every bucket edge', () => {
    // Bucket edges of the 3-digit layout (2048 sub-buckets, doubling), the clamps, and fractions.
    const values = [
      0,
      0.2,
      0.5,
      1,
      1.4,
      1.5,
      2,
      1023,
      1024,
      2047,
      2048,
      2049,
      4095,
      4096,
      8191,
      65_535,
      65_536,
      999_999,
      1e6,
      2 ** 31 - 1,
      2 ** 31,
      2 ** 32 - 1,
      3_599_999_999,
      3.6e9,
      5e9,
      Number.MAX_SAFE_INTEGER,
    ];
    let x = 7;
    const rnd = (): number => (x = (x * 1664525 + 1013904223) >>> 0) / 2 ** 32; // LCG (Numerical Recipes)
    for (let k = 0; k < 20_000; k++) values.push(Math.exp(rnd() * Math.log(4e9)));
    const direct = createHistogram();
    const counts = new LatencyCounts();
    const drained = createHistogram();
    for (const v of values) {
      recordUs(direct, v);
      counts.record(v);
    }
    counts.drainInto(drained);
    expect(drained.totalCount).toBe(values.length);
    expect(Buffer.from(encodeHistogram(drained)).equals(Buffer.from(encodeHistogram(direct)))).toBe(true);
    for (const p of [0, 0.1, 1, 50, 99, 99.99, 100]) expect(drained.getValueAtPercentile(p)).toBe(direct.getValueAtPercentile(p));
  });

  it('starts over after each drain', () => {
    const counts = new LatencyCounts();
    counts.record(100);
    const first = createHistogram();
    counts.drainInto(first);
    counts.record(5000);
    const second = createHistogram();
    counts.drainInto(second);
    expect(first.totalCount).toBe(1);
    expect(second.totalCount).toBe(1);
    expect(second.getValueAtPercentile(100)).toBe(direct(5000));
  });
});

function direct(us: number): number {
  const h = createHistogram();
  recordUs(h, us);
  return h.getValueAtPercentile(100);
}
