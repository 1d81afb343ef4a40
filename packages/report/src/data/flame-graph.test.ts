import { describe, expect, it } from 'vitest';
import { profile } from '../../test/pprof.ts';
import { diffFlameGraphOf, flameGraphOf } from './flame-graph.ts';

const opts = { id: 'f', title: 't', phase: 'steady', type: 'cpu', minShare: 0 };

describe('flameGraphOf', () => {
  it('merges stacks into a pre-order tree, widest child first, with self and total', () => {
    const g = flameGraphOf(
      {
        profile: profile([
          [['main', 'a', 'b'], 3],
          [['main', 'a'], 2],
          [['main', 'c'], 4],
        ]),
        typeIndex: 0,
      },
      opts,
    )!;
    const frames = g.name.map((k, i) => [g.names[k], g.depth[i], g.total[i], g.self[i]]);
    expect(frames).toEqual([
      ['main', 0, 9, 0],
      ['a', 1, 5, 2],
      ['b', 2, 3, 3],
      ['c', 1, 4, 4],
    ]);
    expect(g.sum).toBe(9);
    expect(g.unit).toBe('nanoseconds');
    expect(g.files[g.name[0]!]).toBe('/app/main.ts:3');
  });

  it('puts an inlined function under the function it was inlined into', () => {
    const g = flameGraphOf({ profile: profile([[['main', 'inner+outer'], 7]]), typeIndex: 0 }, opts)!;
    expect(g.name.map((k) => g.names[k])).toEqual(['main', 'outer', 'inner']);
    expect(g.depth).toEqual([0, 1, 2]);
  });

  it('keeps only the samples of the given spans (the trace–profile join)', () => {
    const p = profile([
      [['main', 'a'], 3, 'AA'],
      [['main', 'b'], 5, 'bb'],
      [['main', 'c'], 11],
    ]);
    const g = flameGraphOf({ profile: p, typeIndex: 0, spanIds: new Set(['aa']) }, opts)!;
    expect(g.sum).toBe(3);
    expect(g.name.map((k) => g.names[k])).toEqual(['main', 'a']);
    expect(flameGraphOf({ profile: p, typeIndex: 0, spanIds: new Set(['zz']) }, opts)).toBeNull();
  });

  it('leaves out frames under minShare', () => {
    const g = flameGraphOf(
      {
        profile: profile([
          [['main', 'big'], 999],
          [['main', 'tiny'], 1],
        ]),
        typeIndex: 0,
      },
      { ...opts, minShare: 0.01 },
    )!;
    expect(g.name.map((k) => g.names[k])).toEqual(['main', 'big']);
    expect(g.total[0]).toBe(1000);
  });
});

describe('diffFlameGraphOf', () => {
  it('aligns both sides on one tree, each as a share of its own total', () => {
    const base = profile([
      [['main', 'a'], 50],
      [['main', 'b'], 50],
    ]);
    const cand = profile([
      [['main', 'a'], 150],
      [['main', 'b'], 50],
      [['main', 'new'], 100],
    ]);
    const g = diffFlameGraphOf({ profile: cand, typeIndex: 0 }, { profile: base, typeIndex: 0 }, 'base-run', opts)!;
    const rows = g.name.map((k, i) => [g.names[k], g.total[i]! / g.sum, g.baseline!.total[i]! / g.baseline!.sum]);
    // a: 50% → 50% (same share although it took 3× the time: the candidate ran longer); b: 50% → 16.7%; new: 0 → 33.3%.
    expect(rows).toEqual([
      ['main', 1, 1],
      ['a', 0.5, 0.5],
      ['b', 50 / 300, 0.5],
      ['new', 100 / 300, 0],
    ]);
    expect(g.baseline!.runId).toBe('base-run');
  });
});
