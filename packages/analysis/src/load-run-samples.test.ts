import { describe, expect, it } from 'vitest';
import { compareSets } from './compare.ts';
import { benchRepSamples, loadRunSamples } from './load-run-samples.ts';
import { sampleEntries } from './sample-set.ts';

describe('loadRunSamples', () => {
  const run = (id: string, rate: number, p50: number, p99: number) => [
    { run_id: id, phase: 'steady', achieved_rate: rate, p50_ms: p50, p99_ms: p99 },
    { run_id: id, phase: 'warmup', achieved_rate: rate / 2, p50_ms: p50, p99_ms: null },
  ];

  it('builds one value per run per metric', () => {
    const sets = loadRunSamples([...run('r1', 1000, 2, 9), ...run('r2', 1010, 2.1, 9.5)], 'base');
    expect(sets.map((s) => s.unit)).toEqual(['req/s', 'ms']);
    expect(Object.fromEntries(sampleEntries(sets[0]!))).toEqual({ 'steady req/s': [1000, 1010], 'warmup req/s': [500, 505] });
    expect(Object.fromEntries(sampleEntries(sets[1]!))).toEqual({ 'steady p50': [2, 2.1], 'steady p99': [9, 9.5], 'warmup p50': [2, 2.1] });
  });

  it('one run per side: a difference, never a significance claim', () => {
    const out = compareSets(loadRunSamples(run('a', 1000, 2, 9), 'a'), loadRunSamples(run('b', 500, 4, 40), 'b'));
    const rows = out.flatMap((c) => c.rows);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r.verdict).toBe('insufficient');
      expect(r.reason).toMatch(/single run/);
    }
    expect(rows.find((r) => r.name === 'steady p99')?.deltaPct).toBeCloseTo(344.44, 1);
  });
});

describe('benchRepSamples', () => {
  it('one value per repetition, in ns/op: the median by default, the mean on request', () => {
    const rows = [
      { task: 'a', median_ns: 10, mean_ns: 15 },
      { task: 'b', median_ns: 20, mean_ns: 25 },
      { task: 'a', median_ns: 11, mean_ns: 16 },
    ];
    const s = benchRepSamples(rows, 'run1');
    expect(s.unit).toBe('ns/op');
    expect(Object.fromEntries(sampleEntries(s))).toEqual({ a: [10, 11], b: [20] });
    expect(Object.fromEntries(sampleEntries(benchRepSamples(rows, 'run1', 'mean_ns')))).toEqual({ a: [15, 16], b: [25] });
  });
});
