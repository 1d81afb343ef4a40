import { describe, expect, it } from 'vitest';
import { compare, compareSets } from './compare.ts';
import { regressionGate } from './regression-gate.ts';

/** mulberry32: a small seeded PRNG (Tommy Ettinger's public-domain generator), so trials are reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Benchmark-like timings: 1000 ns × lognormal noise with the given relative spread (Box-Muller). */
function timings(rand: () => number, n: number, scale: number, spread: number): number[] {
  return Array.from({ length: n }, () => {
    const z = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    return 1000 * scale * Math.exp(spread * z);
  });
}

const set = (label: string, benchmarks: Record<string, number[]>, unit = 'ns/op') => ({ label, unit, benchmarks });

describe('compare: error rates', () => {
  it('A/A: 1000 comparisons of the same distribution (n = 10 per side) are significant at most alpha of the time', () => {
    const rand = prng(42);
    let significant = 0;
    for (let i = 0; i < 1000; i++) {
      const c = compare(set('a', { f: timings(rand, 10, 1, 0.05) }), set('b', { f: timings(rand, 10, 1, 0.05) }));
      if (c.rows[0]?.verdict === 'slower' || c.rows[0]?.verdict === 'faster') significant++;
    }
    const rate = significant / 1000;
    // The exact test's true size for 10 vs 10 at 0.05 is 2·P(U <= 23) = 0.0433; SE over 1000 trials ≈ 0.0064.
    expect(rate).toBeLessThanOrEqual(0.05 + 0.015);
    expect(rate).toBeGreaterThan(0.015); // a test that never fires would also "pass" the bound above
    console.log(`A/A false-positive rate: ${rate}`);
  });

  it('power: a 10% slowdown with 5% noise and n = 10 per side is found in >= 80% of trials', () => {
    const rand = prng(7);
    let found = 0;
    for (let i = 0; i < 500; i++) {
      const c = compare(set('a', { f: timings(rand, 10, 1, 0.05) }), set('b', { f: timings(rand, 10, 1.1, 0.05) }));
      if (c.rows[0]?.verdict === 'slower') found++;
    }
    const power = found / 500;
    expect(power).toBeGreaterThanOrEqual(0.8);
    console.log(`power (10% slowdown, 5% noise, n=10): ${power}`);
  });
});

describe('compare: verdicts', () => {
  const base = [100, 101, 99, 100, 102, 98, 100, 101, 99, 100];
  const slower = base.map((v) => v * 1.2);

  it('reports slower, delta, p and CIs for a clear regression in ns/op', () => {
    const c = compare(set('old', { parse: base }), set('new', { parse: slower }));
    const r = c.rows[0]!;
    expect(r.verdict).toBe('slower');
    expect(r.deltaPct).toBeCloseTo(20, 6);
    expect(r.p).toBeLessThan(0.001);
    expect(r.method).toBe('exact');
    expect(r.baseline?.ci).toEqual({ low: 99, high: 101, coverage: expect.closeTo(0.9785, 3) });
    expect(c.geomean?.deltaPct).toBeCloseTo(20, 6);
    expect(JSON.parse(JSON.stringify(c))).toEqual(c); // JSON-serialisable
  });

  it('treats throughput units as higher-is-better', () => {
    const c = compare(set('old', { steady: slower }, 'req/s'), set('new', { steady: base }, 'req/s'));
    expect(c.higherIsBetter).toBe(true);
    expect(c.rows[0]?.verdict).toBe('slower');
    expect(compare(set('old', { s: base }, 'req/s'), set('new', { s: slower }, 'req/s')).rows[0]?.verdict).toBe('faster');
  });

  it("says '~' when not significant", () => {
    const c = compare(set('a', { f: [1, 3, 5, 7, 9, 11] }), set('b', { f: [2, 4, 6, 8, 10, 12] }));
    expect(c.rows[0]?.verdict).toBe('~');
    expect(c.rows[0]?.p).toBeGreaterThan(0.05);
  });

  it("says 'insufficient' when no outcome could be significant (3 vs 3) and warns", () => {
    const c = compare(set('a', { f: [1, 2, 3] }), set('b', { f: [10, 11, 12] }));
    expect(c.rows[0]?.verdict).toBe('insufficient');
    expect(c.rows[0]?.reason).toMatch(/smallest possible p is 0\.100 > alpha 0\.05/);
    expect(c.rows[0]?.deltaPct).toBeCloseTo(450, 6);
    expect(c.warnings.join('\n')).toMatch(/need >= 6 samples per side/);
  });

  it('a single run per side is a difference without a significance claim', () => {
    const c = compare(set('a', { f: [100] }), set('b', { f: [150] }));
    expect(c.rows[0]?.verdict).toBe('insufficient');
    expect(c.rows[0]?.reason).toMatch(/single run/);
    expect(regressionGate(c).status).toBe('passed');
  });

  it('marks benchmarks missing on one side and leaves them out of the geomean', () => {
    const c = compare(set('a', { f: base, g: base }), set('b', { f: slower, h: base }));
    expect(c.rows.map((r) => [r.name, r.verdict])).toEqual([
      ['f', 'slower'],
      ['g', 'missing'],
      ['h', 'missing'],
    ]);
    expect(c.warnings).toContain('g: missing in b');
    expect(c.warnings).toContain('h: missing in a');
    expect(c.geomean?.count).toBe(1);
  });

  it('compareSets pairs sets by unit', () => {
    const out = compareSets(
      [set('a', { f: base }, 'ns/op'), set('a', { f: [56, 56, 56, 56] }, 'B/op')],
      [set('b', { f: slower }, 'ns/op'), set('b', { f: [56, 56, 56, 56] }, 'B/op')],
    );
    expect(out.map((c) => [c.unit, c.rows[0]?.verdict])).toEqual([
      ['ns/op', 'slower'],
      ['B/op', '~'],
    ]);
  });
});

describe('regressionGate', () => {
  const base = [100, 101, 99, 100, 102, 98, 100, 101, 99, 100];
  it('fails on a significant slowdown beyond the noise floor', () => {
    const g = regressionGate(compare(set('a', { f: base }), set('b', { f: base.map((v) => v * 1.05) })));
    expect(g.status).toBe('failed');
    expect(g.regressions[0]?.name).toBe('f');
    expect(g.regressions[0]?.deltaPct).toBeCloseTo(5, 6);
  });
  it('passes a significant slowdown inside the noise floor, and improvements', () => {
    const tight = base.map((v, i) => 1000 + i * 0.01);
    const c = compare(set('a', { f: tight }), set('b', { f: tight.map((v) => v * 1.005) }));
    expect(c.rows[0]?.verdict).toBe('slower');
    expect(c.rows[0]?.withinNoise).toBe(true);
    expect(regressionGate(c).status).toBe('passed');
    expect(regressionGate(c, { noiseFloor: 0.001 }).status).toBe('failed');
    expect(regressionGate(compare(set('a', { f: base }), set('b', { f: base.map((v) => v * 0.8) }))).status).toBe('passed');
  });
  it('a significant change from a median of 0 (0 -> 1 allocs/op) fails whatever the floor; geomean says what it leaves out', () => {
    const zero = [0, 0, 0, 0, 0, 0];
    const c = compare(
      set('a', { A: zero, B: [201, 202, 203, 204, 205, 206] }, 'allocs/op'),
      set('b', { A: [1, 1, 1, 1, 1, 1], B: [201, 202, 203, 204, 205, 206] }, 'allocs/op'),
    );
    expect(c.rows[0]).toMatchObject({ verdict: 'slower', deltaPct: null });
    const g = regressionGate(c, { noiseFloor: 0.5 });
    expect(g.status).toBe('failed');
    expect(g.regressions[0]).toMatchObject({ name: 'A', deltaPct: null, reason: 'significant', baselineMedian: 0, candidateMedian: 1 });
    expect(c.geomean?.count).toBe(1);
    expect(c.warnings.some((w) => w.includes('allocs/op geomean leaves out 1 benchmark') && w.includes('A'))).toBe(true);
    // The other way (1 -> 0 allocs/op) is an improvement; for a higher-is-better unit, 0 -> 5 is one too.
    expect(regressionGate(compare(set('a', { A: [1, 1, 1, 1, 1, 1] }), set('b', { A: zero }))).status).toBe('passed');
    expect(regressionGate(compare(set('a', { r: zero }, 'req/s'), set('b', { r: [5, 5, 5, 5, 5, 5] }, 'req/s'))).status).toBe('passed');
  });
  it('max-change guard: one run a side cannot be significant, but p99 6.7 ms -> 4.68 s fails the guard; an improvement of any size passes', () => {
    const one = compare(set('a', { p99: [6.7] }, 'ms'), set('b', { p99: [4680] }, 'ms'));
    expect(one.rows[0]?.verdict).toBe('insufficient');
    const unguarded = regressionGate(one);
    expect(unguarded).toMatchObject({ status: 'passed', unjudged: 1 });
    const guarded = regressionGate(one, { maxChange: 0.2 });
    expect(guarded.status).toBe('failed');
    expect(guarded.regressions[0]).toMatchObject({ name: 'p99', reason: 'max-change', p: 1 }); // exact U with 1+1 runs: p = 1, never significant
    expect(guarded.regressions[0]?.deltaPct).toBeCloseTo(((4680 - 6.7) / 6.7) * 100, 6);
    // Higher is better for throughput: a 30% drop in req/s is a worsening, a 30% rise is not.
    expect(
      regressionGate(compare(set('a', { rate: [1000] }, 'req/s'), set('b', { rate: [700] }, 'req/s')), { maxChange: 0.2 }).status,
    ).toBe('failed');
    expect(
      regressionGate(compare(set('a', { rate: [1000] }, 'req/s'), set('b', { rate: [1300] }, 'req/s')), { maxChange: 0.2 }).status,
    ).toBe('passed');
    expect(regressionGate(compare(set('a', { p99: [10] }, 'ms'), set('b', { p99: [11.9] }, 'ms')), { maxChange: 0.2 }).status).toBe(
      'passed',
    );
  });
});
