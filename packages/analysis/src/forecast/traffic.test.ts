import { describe, expect, it } from 'vitest';
import { forecastSeries } from './forecast.ts';
import { seededRandom } from '../stats/seeded-random.ts';
import { DAY_MS } from './series.ts';
import { parseGrowth, projectTraffic } from './traffic.ts';

const T0 = Date.UTC(2026, 2, 1);
const MONTH = (365.25 / 12) * DAY_MS;
const gauss = (r: () => number) => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());

/** Capacity flat at 3000 req/s (noise SD 20), a run a week for 20 weeks. */
function flatCapacity(seed: number) {
  const r = seededRandom(seed);
  return Array.from({ length: 20 }, (_, i) => ({ time: T0 + i * 7 * DAY_MS, value: 3000 + 20 * gauss(r) }));
}
const LAST = T0 + 19 * 7 * DAY_MS;

describe('traffic growth', () => {
  it('parses compounding growth rates', () => {
    expect(parseGrowth('4%/month').perMonth).toBeCloseTo(0.04, 12);
    expect(parseGrowth('48%/year').perMonth).toBeCloseTo(1.48 ** (1 / 12) - 1, 12);
    expect(parseGrowth('1%/day').logPerDay).toBeCloseTo(Math.log(1.01), 12);
    expect(() => parseGrowth('4 percent')).toThrow(RangeError);
  });

  it('a flat capacity runs out when 4%/month growth eats the headroom: 2.0x → 1.3x in ln(2/1.3)/ln(1.04) months', () => {
    const r = forecastSeries(flatCapacity(1), { traffic: { peak: 1500, growth: '4%/month' }, budget: 1.3, horizon: '1y' });
    const months = Math.log(2 / 1.3) / Math.log(1.04); // 10.98 months, by construction
    const c = r.crossing;
    expect(c?.status).toBe('crosses');
    if (c?.status === 'crosses') {
      // The fitted capacity line carries noise (slope SE ≈ 0.11 req/s/day, ~1% over a year), worth ~0.3 months.
      expect(Math.abs((c.at - LAST) / MONTH - months)).toBeLessThan(0.5);
      // Exactly: fitted capacity / peak equals the budget at the crossing.
      const capacity = r.trend?.projection.center(c.at) ?? 0;
      expect(capacity / (1500 * 1.04 ** ((c.at - LAST) / MONTH))).toBeCloseTo(1.3, 6);
      expect(c.low ?? 0).toBeLessThan(c.at);
      expect(c.high ?? Number.POSITIVE_INFINITY).toBeGreaterThan(c.at);
    }
    expect(r.forecast?.value).toBeCloseTo(2 / 1.04 ** (12 * 1 * (365 / 365.25)), 1);
    expect(r.summary).toContain('at the current trend and 4.0%/month traffic growth it falls below the 1.30 budget');
  });

  it('observed peaks give their own compounding trend, and a wider interval than a stated rate', () => {
    const rnd = seededRandom(7);
    const peaks = Array.from({ length: 12 }, (_, i) => ({
      time: T0 - 200 * DAY_MS + i * 30 * DAY_MS,
      value: 1500 * 1.04 ** ((i * 30 * DAY_MS - 200 * DAY_MS - (LAST - T0)) / MONTH) * Math.exp(0.01 * gauss(rnd)),
    }));
    const t = projectTraffic({ observed: peaks }, LAST);
    expect(t.growthPerMonth).toBeCloseTo(0.04, 2);
    expect(t.peakNow).toBeGreaterThan(1450);
    expect(t.peakNow).toBeLessThan(1550);
    const observed = forecastSeries(flatCapacity(1), { traffic: { observed: peaks }, budget: 1.3, horizon: '1y' });
    const stated = forecastSeries(flatCapacity(1), { traffic: { peak: 1500, growth: '4%/month' }, budget: 1.3, horizon: '1y' });
    const width = (x: typeof observed) => (x.forecast?.intervals[0]?.high ?? 0) - (x.forecast?.intervals[0]?.low ?? 0);
    expect(width(observed)).toBeGreaterThan(width(stated));
    expect(observed.crossing?.status).toBe('crosses');
    expect(() => projectTraffic({ observed: peaks.slice(0, 3) }, LAST)).toThrow(RangeError);
  });
});
