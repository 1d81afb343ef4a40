import { describe, expect, it } from 'vitest';
import { detectLeak } from './leak.ts';
import type { MemorySample } from './leak.ts';
import { seededRandom } from '../stats/seeded-random.ts';

const MB = 1024 * 1024;
const gauss = (r: () => number) => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());

/**
 * An hour of RSS, one sample a second: 200 MB, a GC sawtooth (grows 4 MB over 30 s, then
 * drops), `mbPerHour` of growth, and AR(1) noise with coefficient `phi` and SD 1 MB.
 */
function rss(seed: number, mbPerHour: number, phi = 0.9): MemorySample[] {
  const r = seededRandom(seed);
  let e = 0;
  return Array.from({ length: 3600 }, (_, s) => {
    e = phi * e + Math.sqrt(1 - phi * phi) * gauss(r);
    const mb = 200 + ((s % 30) / 30) * 4 + (mbPerHour * s) / 3600 + e;
    return { time: 1_700_000_000_000 + s * 1000, bytes: mb * MB };
  });
}

describe('detectLeak', () => {
  it('reports a 5 MB/hour leak with an interval that holds the true slope', () => {
    const v = detectLeak(rss(1, 5));
    expect(v.status).toBe('suspected-leak');
    if (v.status === 'too-few-samples') return;
    expect(v.mbPerHour).toBeCloseTo(5, 0);
    expect(v.low).toBeLessThan(5);
    expect(v.high).toBeGreaterThan(5);
  });

  it('calls a flat, autocorrelated series a leak rarely; plain OLS on the raw samples would do so often', () => {
    let corrected = 0;
    let naive = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const s = rss(seed, 0, 0.98);
      // minMbPerHour 0: only the interval decides here.
      if (detectLeak(s, { minMbPerHour: 0 }).status === 'suspected-leak') corrected++;
      if (detectLeak(s, { minMbPerHour: 0, autocorrelation: false, blocks: 0 }).status === 'suspected-leak') naive++;
    }
    // A positive false call is one side of a two-sided 95% interval: 2.5% nominal.
    expect(corrected).toBeLessThanOrEqual(4);
    expect(naive).toBeGreaterThanOrEqual(15);
  });

  it('ignores growth that is significant but too small to matter, and says when samples are too few', () => {
    expect(detectLeak(rss(3, 0.5, 0)).status).toBe('no-leak');
    expect(detectLeak(rss(3, 0.5, 0), { minMbPerHour: 0 }).status).toBe('suspected-leak');
    expect(detectLeak(rss(4, 5).slice(0, 3)).status).toBe('too-few-samples');
  });

  it('leaves out the warm-up', () => {
    const s = rss(5, 0, 0.5).map((x, i) => (i < 300 ? { ...x, bytes: x.bytes - (300 - i) * 0.1 * MB } : x));
    const all = detectLeak(s);
    const after = detectLeak(s, { warmupMs: 300_000 });
    if (all.status === 'too-few-samples' || after.status === 'too-few-samples') throw new Error('unexpected');
    expect(all.mbPerHour).toBeGreaterThan(5); // the warm-up ramp (30 MB in 5 minutes) tilts the line
    expect(after.status).toBe('no-leak');
    expect(Math.abs(after.mbPerHour)).toBeLessThan(1);
    expect(after.n).toBe(60); // 3300 samples in 60 blocks
  });
});
