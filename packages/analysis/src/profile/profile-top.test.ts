/** profileTop and profileDiff on hand-built function rows whose answers are computed by hand in the comments. */
import { describe, it, expect } from 'vitest';
import type { FunctionRow } from '@headroom/capture/profile';
import { profileTop } from './profile-top.ts';
import { profileDiff } from './profile-diff.ts';

const row = (fn: string, self: number, total: number, phase = 'steady', type = 'cpu'): FunctionRow => ({
  phase,
  type,
  function: fn,
  file: `/src/${fn}.ts`,
  line: 1,
  self,
  total,
  unit: 'nanoseconds',
});

describe('profileTop', () => {
  it('sums phases, ranks by self and gives shares of the profile total', () => {
    const rows = [row('a', 50, 50), row('b', 30, 80), row('a', 10, 10, 'other'), row('c', 10, 90)];
    const top = profileTop(rows, { limit: 2 });
    // total = 50+30+10+10 = 100; a = 60 (two phases), b = 30.
    expect(top.profileTotal).toBe(100);
    expect(top.rows.map((r) => [r.function, r.self, r.self_pct, r.total_pct])).toEqual([
      ['a', 60, 0.6, 0.6],
      ['b', 30, 0.3, 0.8],
    ]);
    expect(profileTop(rows, { phase: 'other' }).rows).toHaveLength(1);
    expect(profileTop(rows, { sortBy: 'total', limit: 1 }).rows[0]!.function).toBe('c');
    expect(top.wallIdle).toBeNull();
  });

  it('sets (idle) apart: not ranked, shares over the busy samples, idle as its share of everything', () => {
    // wall: idle 60 of 100 sampled; busy = handler 30 + (garbage collector) 10 = 40.
    const wall = [
      row('(idle)', 60, 60, 'steady', 'wall'),
      row('handler', 30, 30, 'steady', 'wall'),
      row('(garbage collector)', 10, 10, 'steady', 'wall'),
    ];
    // cpu: (idle) 5 (CPU while no JS ran), handler 15 → busy 15.
    const cpu = [row('(idle)', 5, 5), row('handler', 15, 15)];
    const w = profileTop([...wall, ...cpu], { type: 'wall' });
    expect(w.rows.map((r) => [r.function, r.self_pct, r.kind])).toEqual([
      ['handler', 0.75, 'code'],
      ['(garbage collector)', 0.25, 'runtime'],
    ]);
    expect(w.profileTotal).toBe(40);
    expect(w.idle).toEqual({ self: 60, share: 0.6 });
    expect(w.wallIdle).toEqual({ self: 60, share: 0.6 });
    const c = profileTop([...wall, ...cpu], { type: 'cpu' });
    expect(c.rows.map((r) => [r.function, r.self_pct])).toEqual([['handler', 1]]);
    expect(c.idle).toEqual({ self: 5, share: 0.25 });
    // The cpu view still reports how long the loop waited, from the wall profile of the same phase.
    expect(c.wallIdle).toEqual({ self: 60, share: 0.6 });
  });
});

describe('profileDiff', () => {
  it('compares shares of each side, biggest movers first', () => {
    // base total 100: a 50%, b 50%. cand total 400 (a busier run): a 25%, b 50%, c 25% (new).
    const base = [row('a', 50, 50), row('b', 50, 100)];
    const cand = [row('a', 100, 100), row('b', 200, 400), row('c', 100, 100)];
    const d = profileDiff(base, cand);
    expect(d.baseTotal).toBe(100);
    expect(d.candTotal).toBe(400);
    expect(d.rows.map((r) => [r.function, r.delta_self_pct, r.status])).toEqual([
      ['a', -0.25, 'changed'],
      ['c', 0.25, 'added'],
      ['b', 0, 'changed'],
    ]);
  });

  it('does not count a run that waited more as every function getting cheaper', () => {
    // Same work (a 30, b 10) on both sides; the candidate idled 3x as long.
    const base = [row('a', 30, 30), row('b', 10, 10), row('(idle)', 40, 40)];
    const cand = [row('a', 30, 30), row('b', 10, 10), row('(idle)', 120, 120)];
    const d = profileDiff(base, cand);
    expect(d.rows.map((r) => r.delta_self_pct)).toEqual([0, 0]);
    expect([d.baseIdle.share, d.candIdle.share]).toEqual([0.5, 0.75]);
  });
});
