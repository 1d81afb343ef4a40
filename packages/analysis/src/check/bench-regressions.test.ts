import { describe, expect, it } from 'vitest';
import { benchRegressionChecks } from './bench-regressions.ts';

/** `n` repetitions of `task` with medians `ns(i)`. */
const reps = (task: string, n: number, ns: (i: number) => number) => Array.from({ length: n }, (_, i) => ({ task, median_ns: ns(i) }));

describe('benchRegressionChecks', () => {
  it('fails a task twice as slow over 6 repetitions a side; an unchanged task passes', () => {
    const base = [...reps('spin', 6, (i) => 1000 + i), ...reps('same', 6, (i) => 500 + i)];
    const cand = [...reps('spin', 6, (i) => 2000 + i), ...reps('same', 6, (i) => 500 + ((i * 5) % 6))];
    const checks = benchRegressionChecks(base, cand);
    const spin = checks.find((c) => c.name === 'regression bench spin median');
    expect(spin?.group).toBe('regression');
    expect(spin?.verdict).toBe('failed');
    // medians 1002.5 → 2002.5 ns: +99.75% (shown to 4 digits); 6 vs 6 fully separated: exact two-sided p = 2 / C(12,6) = 0.0022
    expect(spin?.value).toBeCloseTo(99.75, 2);
    expect(spin?.detail).toMatch(/^\+99\.8% \(n=6\+6, p=0\.002\); baseline 1003 ns\/op, candidate 2003 ns\/op$/);
    // the same values in another order: U = 18, p = 1
    expect(checks.find((c) => c.name === 'regression bench same median')?.verdict).toBe('passed');
  });
  it('a faster task passes; a significant change inside the noise floor passes', () => {
    const faster = benchRegressionChecks(
      reps('t', 6, (i) => 2000 + i),
      reps('t', 6, (i) => 1000 + i),
    );
    expect(faster[0]?.verdict).toBe('passed');
    const tiny = benchRegressionChecks(
      reps('t', 6, (i) => 1000 + i),
      reps('t', 6, (i) => 1005 + i),
      { noiseFloor: 0.01 },
    );
    expect(tiny[0]?.verdict).toBe('passed');
    expect(tiny[0]?.detail).toContain('within the noise floor');
  });
  it('one repetition a side: reports the difference, says it cannot judge significance, and the max-change guard fails a large worsening', () => {
    const small = benchRegressionChecks(
      reps('t', 1, () => 1000),
      reps('t', 1, () => 1100),
    );
    expect(small[0]?.verdict).toBe('passed');
    expect(small[0]?.detail).toMatch(/^\+10\.0% \(n=1\+1\): too few repetitions to judge significance/);
    const big = benchRegressionChecks(
      reps('t', 1, () => 1000),
      reps('t', 1, () => 1500),
    );
    expect(big[0]?.verdict).toBe('failed');
    expect(big[0]?.detail).toContain('max-change guard');
    expect(
      benchRegressionChecks(
        reps('t', 1, () => 1000),
        reps('t', 1, () => 1500),
        { maxChange: null },
      )[0]?.verdict,
    ).toBe('note');
  });
  it('a task on one side only is not checked', () => {
    expect(
      benchRegressionChecks(
        reps('old', 6, () => 1),
        reps('new', 6, () => 1),
      ),
    ).toEqual([]);
  });
});
