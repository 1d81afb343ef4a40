import { describe, expect, it } from 'vitest';
import { findCrossing } from './crossing.ts';
import { olsFit } from './ols.ts';
import { seededRandom } from '../stats/seeded-random.ts';
import { DAY_MS } from './series.ts';
import { studentTCritical } from '../stats/student-t.ts';
import { fitTrend } from './trend.ts';

describe('findCrossing', () => {
  it('matches the closed-form inverse prediction interval of a line', () => {
    // Where ŷ(x) ∓ t·s·√(1 + 1/n + (x − x̄)²/Sxx) = B: with u = x − x̄ and k = t²s², the roots of
    // (b² − k/Sxx)·u² + 2b(ȳ − B)·u + (ȳ − B)² − k(1 + 1/n) = 0 (Draper & Smith, 3rd ed., §3.2).
    const r = seededRandom(4);
    const T0 = Date.UTC(2026, 0, 1);
    const pts = Array.from({ length: 25 }, (_, i) => ({
      time: T0 + i * 4 * DAY_MS,
      value: 2 - 0.004 * i * 4 + 0.03 * Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r()),
    }));
    const trend = fitTrend(pts, 0);
    const last = (pts.at(-1) as { time: number }).time;
    const B = 1.5;
    const c = findCrossing(trend.projection, {
      budget: B,
      direction: 'below',
      from: last,
      horizonEnd: last + 365 * DAY_MS,
      searchEnd: last + 3650 * DAY_MS,
      step: DAY_MS,
      level: 0.8,
    });
    expect(c.status).toBe('crosses');
    if (c.status !== 'crosses') return;
    const fit = olsFit(
      pts.map((p) => (p.time - T0) / DAY_MS),
      pts.map((p) => p.value),
    );
    const k = (studentTCritical(0.8, fit.df) * fit.residualSd) ** 2;
    const yBar = fit.intercept + fit.slope * fit.xMean;
    const qa = fit.slope ** 2 - k / fit.sxx;
    const qb = 2 * fit.slope * (yBar - B);
    const qc = (yBar - B) ** 2 - k * (1 + 1 / fit.n);
    const disc = Math.sqrt(qb * qb - 4 * qa * qc);
    const roots = [(-qb - disc) / (2 * qa), (-qb + disc) / (2 * qa)].map((u) => T0 + (u + fit.xMean) * DAY_MS).sort((a, b) => a - b);
    const centre = T0 + ((B - fit.intercept) / fit.slope) * DAY_MS;
    expect(Math.abs(c.at - centre)).toBeLessThan(60_000); // within a minute
    expect(Math.abs((c.low ?? 0) - (roots[0] as number))).toBeLessThan(60_000);
    expect(Math.abs((c.high ?? 0) - (roots[1] as number))).toBeLessThan(60_000);
  });
});
