import { describe, expect, it } from 'vitest';
import { findCrossing } from './crossing.ts';
import { forecastSeries } from './forecast.ts';
import { forecastJson } from './forecast-json.ts';
import { seededRandom } from '../stats/seeded-random.ts';
import { DAY_MS } from './series.ts';
import type { SeriesPoint } from './series.ts';
import { fitTrend } from './trend.ts';

const T0 = Date.UTC(2026, 0, 5);
const gauss = (r: () => number) => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());

/**
 * Known by construction: 30 runs every 3 days at headroom 1.30, then a release lifts it to
 * 1.55 (day 90), after which it declines by 0.002/day: it reaches the 1.3 budget on day
 * 90 + 0.25/0.002 = day 215, 38 days after the last of 60 runs (day 177). Noise SD 0.02.
 */
function shiftThenDecline(seed: number): SeriesPoint[] {
  const r = seededRandom(seed);
  return Array.from({ length: 60 }, (_, i) => {
    const day = 3 * i;
    const truth = i < 30 ? 1.3 : 1.55 - 0.002 * (day - 90);
    return { time: T0 + day * DAY_MS, value: truth + 0.02 * gauss(r), sha: (0x1000000 + i * 7919).toString(16) };
  });
}
const TRUE_CROSSING = T0 + 215 * DAY_MS;

describe('forecast honesty: a level shift, then a linear decline', () => {
  it('finds the shift, fits the decline after it, and lands within three weeks of the true crossing', () => {
    let inInterval = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const r = forecastSeries(shiftThenDecline(seed), { budget: 1.3, horizon: '90d' });
      expect(
        r.changePoints.map((c) => c.index),
        `seed ${seed}`,
      ).toEqual([30]);
      expect(r.trend?.fromIndex).toBe(30);
      const c = r.crossing;
      expect(c?.status, `seed ${seed}`).toBe('crosses');
      if (c?.status !== 'crosses') continue;
      expect(Math.abs(c.at - TRUE_CROSSING) / DAY_MS, `seed ${seed}`).toBeLessThan(21);
      if (c.low !== null && c.high !== null && c.low <= TRUE_CROSSING && TRUE_CROSSING <= c.high) inInterval++;
    }
    // The 80% interval of dates should hold the true date in most of the 20 series.
    expect(inInterval).toBeGreaterThanOrEqual(13);
  });

  it('a naive fit over the whole series (ignoring the shift) would not', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const points = shiftThenDecline(seed);
      const naive = fitTrend(points, 0);
      const last = (points.at(-1) as SeriesPoint).time;
      const c = findCrossing(naive.projection, {
        budget: 1.3,
        direction: 'below',
        from: last,
        horizonEnd: last + 90 * DAY_MS,
        searchEnd: last + 36525 * DAY_MS,
        step: DAY_MS,
        level: 0.8,
      });
      // Before the shift the level was at the budget and after it higher: the whole-series slope is upward.
      expect(naive.slope).toBeGreaterThan(0);
      expect(c.status).toBe('never-at-this-trend');
    }
  });
});

describe('forecastSeries', () => {
  it('fills the --json contract', () => {
    const r = forecastSeries(shiftThenDecline(3), {
      budget: 1.3,
      summary: { label: 'Capacity headroom', format: (v) => `${v.toFixed(2)}x` },
    });
    const j = forecastJson(r);
    expect(Object.keys(j)).toEqual(['points', 'changePoints', 'trend', 'forecast', 'crossing', 'summary']);
    expect(j.points).toBe(60);
    expect(Object.keys(j.changePoints[0] ?? {})).toEqual(['index', 'time', 'sha', 'before', 'after', 'changePct', 'p']);
    expect(j.changePoints[0]?.time).toBe(new Date(T0 + 90 * DAY_MS).toISOString());
    expect(j.changePoints[0]?.before).toBeCloseTo(1.3, 1);
    expect(j.trend).toMatchObject({ from: new Date(T0 + 90 * DAY_MS).toISOString(), method: 'ols' });
    expect(j.trend?.slopePerDay).toBeCloseTo(-0.002, 3);
    expect(j.forecast?.horizon).toBe('90d');
    expect(j.forecast?.low).toBeLessThan(j.forecast?.value ?? 0);
    expect(typeof j.crossing?.time).toBe('string');
    expect(j.summary).toMatch(
      /^Capacity headroom went from 1\.\d\dx \([0-9a-f]{7}, 2026-01-05\) to 1\.\d\dx \([0-9a-f]{7}, 2026-07-01\); /,
    );
    expect(j.summary).toContain('; it changed from 1.30x to 1.4');
    expect(j.summary).toMatch(/it falls below the 1\.30x budget on 2026-0[78]-\d\d \(80%: 2026-\d\d-\d\d … 20\d\d-\d\d-\d\d\)$/);
  });

  it('says when there are too few points for a trend', () => {
    const pts = [1, 2, 3].map((i) => ({ time: T0 + i * DAY_MS, value: 10 + i }));
    const r = forecastSeries(pts, { budget: 5 });
    expect(r.trend).toBeNull();
    expect(r.crossing).toBeNull();
    expect(r.summary).toContain('no trend: 3 points, at least 4 are needed');
    expect(forecastJson(r)).toMatchObject({ points: 3, trend: null, forecast: null, crossing: null });
  });

  it('says when the history is far shorter than the horizon (5 runs over 55 s, forecast 90 days ahead)', () => {
    const pts = [0, 1, 2, 3, 4].map((i) => ({ time: T0 + i * 13_750, value: 10 + (i % 2) }));
    const r = forecastSeries(pts, { horizon: '90d' });
    expect(r.notes.some((n) => n.startsWith("the trend's 5 runs span 55 s: a forecast 90d ahead extrapolates 141,382x beyond them"))).toBe(
      true,
    );
    const long = forecastSeries(shiftThenDecline(1), { horizon: '90d' });
    expect(long.notes.some((n) => n.includes('extrapolates'))).toBe(false);
  });

  it('says never, not within the horizon, or already past', () => {
    const line = (slope: number, start = 2) =>
      Array.from({ length: 10 }, (_, i) => ({ time: T0 + i * 7 * DAY_MS, value: start + slope * i * 7 + (i % 2 ? 0.001 : -0.001) }));
    expect(forecastSeries(line(0.001), { budget: 1.5 }).crossing?.status).toBe('never-at-this-trend');
    const slow = forecastSeries(line(-0.001), { budget: 1.5, horizon: '90d' });
    expect(slow.crossing?.status).toBe('not-within-horizon');
    // 2 − 0.001·63 = 1.937 at the last point; 1.5 is reached 437 days later.
    const c = slow.crossing;
    // (the ±0.001 wiggle moves the fitted line a little, hence the tolerance of a few days)
    if (c?.status === 'not-within-horizon') expect(Math.abs(((c.at ?? 0) - (T0 + 63 * DAY_MS)) / DAY_MS - 437)).toBeLessThan(6);
    expect(slow.summary).toContain('stays above the 1.50 budget through the 90d horizon');
    expect(forecastSeries(line(-0.001, 1.4), { budget: 1.5 }).crossing?.status).toBe('already-past');
    // A metric whose bad side is above (p99 in ms).
    const up = forecastSeries(line(0.02, 40), { budget: 45, direction: 'above', horizon: '1y' });
    expect(up.crossing?.status).toBe('crosses');
    expect(up.summary).toContain('rises above the 45.0 budget');
  });

  it('forecasts per release with basis index', () => {
    const r0 = seededRandom(11);
    const pts = Array.from({ length: 12 }, (_, i) => ({ time: T0 + i * i * DAY_MS, value: 100 - 2 * i + 0.3 * gauss(r0) }));
    const r = forecastSeries(pts, { basis: 'index', horizon: '5r', budget: 70 });
    expect(r.trend?.slope).toBeCloseTo(-2, 1);
    expect(r.forecast?.at).toBe(16);
    expect(r.forecast?.value).toBeCloseTo(100 - 32, 0);
    const j = forecastJson(r);
    expect(j.trend?.slopePerDay).toBeNull();
    expect(j.trend?.slopePerRelease).toBeCloseTo(-2, 1);
    expect(j.crossing?.time).toBeCloseTo(15, 0);
    expect(() => forecastSeries(pts, { basis: 'index', horizon: '90d' })).toThrow(RangeError);
  });

  it('with method theil-sen, one wild run in the trend barely moves the slope', () => {
    const r0 = seededRandom(21);
    const pts = Array.from({ length: 20 }, (_, i) => ({ time: T0 + i * 7 * DAY_MS, value: 2 - 0.01 * i * 7 + 0.01 * gauss(r0) }));
    (pts[17] as SeriesPoint).value = 3; // a run measured on a quiet machine
    const ts = forecastSeries(pts, { method: 'theil-sen', budget: 1.3 });
    const ols = forecastSeries(pts, { method: 'ols', budget: 1.3 });
    expect(ts.changePoints).toEqual([]);
    expect(ts.trend?.method).toBe('theil-sen');
    expect(Math.abs((ts.trend?.slope ?? 0) + 0.01)).toBeLessThan(0.0005);
    expect(Math.abs((ols.trend?.slope ?? 0) + 0.01)).toBeGreaterThan(0.001);
    expect(forecastJson(ts).trend?.method).toBe('theil-sen');
  });
});
