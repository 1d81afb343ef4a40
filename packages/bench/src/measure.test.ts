import { describe, expect, it } from 'vitest';
import { thinSorted } from './measure.ts';

describe('thinSorted', () => {
  it('keeps everything under the cap, else min, max and evenly spaced ranks', () => {
    expect([...thinSorted([1, 2, 3], 5)]).toEqual([1, 2, 3]);
    const big = Array.from({ length: 1001 }, (_, i) => i);
    expect([...thinSorted(big, 11)]).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
  });
});
