import { describe, expect, it } from 'vitest';
import { parseCpuList, pinnedTo, readThreadAffinity } from './affinity.ts';
import { thinSorted } from './measure.ts';

describe('affinity', () => {
  it('parses kernel CPU lists', () => {
    expect(parseCpuList('0-2,5,7-8\n')).toEqual([0, 1, 2, 5, 7, 8]);
    expect(parseCpuList('3')).toEqual([3]);
    expect(() => parseCpuList('a-b')).toThrow();
  });

  it('reads every thread of this process from /proc', () => {
    const threads = readThreadAffinity(process.pid);
    expect(threads.length).toBeGreaterThan(1);
    expect(threads.some((t) => t.tid === process.pid)).toBe(true);
    expect(readThreadAffinity(2 ** 22 + 12345)).toEqual([]);
  });

  it('pinnedTo requires every thread to have exactly the set', () => {
    expect(pinnedTo([{ tid: 1, name: 'a', cpus: [1] }, { tid: 2, name: 'b', cpus: [1] }], [1])).toBe(true);
    expect(pinnedTo([{ tid: 1, name: 'a', cpus: [1] }, { tid: 2, name: 'b', cpus: [0, 1] }], [1])).toBe(false);
    expect(pinnedTo([], [1])).toBe(false);
  });
});

describe('thinSorted', () => {
  it('keeps everything under the cap, else min, max and evenly spaced ranks', () => {
    expect([...thinSorted([1, 2, 3], 5)]).toEqual([1, 2, 3]);
    const big = Array.from({ length: 1001 }, (_, i) => i);
    expect([...thinSorted(big, 11)]).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
  });
});
