import { describe, expect, it } from 'vitest';
import { validateScenario } from '@headroom/core';
import { createHistogram, decodeHistogram, encodeHistogram, recordUs, summarize, type WorkerTick } from '@headroom/internal';
import { SecondMerger } from './aggregate.ts';
import { PhaseProgress } from './phase-progress.ts';

const scenario = validateScenario(
  {
    name: 's',
    target: 'http://127.0.0.1:1',
    requests: [{ path: '/' }],
    phases: [
      { name: 'warmup', duration: '2s', connections: 1 },
      { name: 'steady', duration: '10s', rate: 100 },
      { name: 'steps', rate: { from: 100, to: 300, step: 100 }, stepDuration: '2s' },
    ],
  },
  { file: 's.ts', cpuCount: 2 },
);

function tick(worker: number, second: number, phase: string, values: number[], failures = 0): WorkerTick {
  const h = createHistogram();
  for (const v of values) recordUs(h, v);
  const f = createHistogram();
  for (let i = 0; i < failures; i++) recordUs(f, 2_000_000);
  return {
    type: 'tick',
    worker,
    second,
    phase,
    requests: values.length + failures,
    ok: values.length,
    errors: failures > 0 ? { timeout: failures } : {},
    lateSends: 0,
    lateBeyondResolution: 0,
    queuedSends: 0,
    maxQueueUs: 0,
    maxLagUs: 0,
    offered: values.length + failures,
    bytesRead: 0,
    hist: encodeHistogram(h),
    serviceHist: encodeHistogram(h),
    ...(failures > 0 ? { failedHist: encodeHistogram(f) } : {}),
    cpu: 0.1,
  };
}

const START = 1_000_000;

describe('PhaseProgress', () => {
  it('aggregates the ticks of a running phase exactly across workers, as they arrive', () => {
    const progress = new PhaseProgress(scenario, START);
    const m = new SecondMerger([0, 1], progress);
    const values = (s: number, w: number) => Array.from({ length: 50 }, (_, i) => 1000 + 100 * i + 10 * s + w);
    // steady starts 2 s after second 0; seconds 2..4 of it from both workers (second 4 is not complete
    // for the per-second series yet: no worker moved past it; its ticks are in the phase already).
    for (let s = 2; s <= 4; s++) for (const w of [0, 1]) m.add(tick(w, s, 'steady', values(s, w), s === 3 && w === 1 ? 2 : 0));
    const [r, ...more] = progress.take(1);
    expect(more).toEqual([]);
    expect(r?.counts.requests).toBe(6 * 50 + 2);
    expect(r?.counts.errors).toEqual({ timeout: 2 });
    expect(r).toMatchObject({ phase: 'steady', parent: 'steady', ordinal: 1, partial: true, offeredRate: 100, startedAt: START + 2000 });
    expect(r?.endedAt).toBe(START + 5000);
    expect(r?.achievedRate).toBeCloseTo(300 / 3); // the 2 timeouts got no answer: errors, not throughput
    const all = createHistogram();
    for (const s of [2, 3, 4]) for (const w of [0, 1]) for (const v of values(s, w)) recordUs(all, v);
    const decoded = decodeHistogram(r?.hist as Uint8Array);
    expect(decoded.totalCount).toBe(300);
    expect(summarize(decoded)).toEqual(summarize(all));
    expect(r?.failed?.count).toBe(2);
    // Nothing moved since: nothing to write again.
    expect(progress.take(1)).toEqual([]);
    m.add(tick(0, 5, 'steady', values(5, 0)));
    expect(progress.take(1)[0]?.counts.requests).toBe(7 * 50 + 2);
  });

  it('a step and its step phase both get a running aggregate, the step first; an ended phase gets no more', () => {
    const progress = new PhaseProgress(scenario, START);
    const m = new SecondMerger([0], progress);
    m.add(tick(0, 12, 'steps@100', [1000, 2000]));
    m.add(tick(0, 13, 'steps@100', [1000]));
    m.add(tick(0, 14, 'steps@200', [3000, 3000, 3000]));
    m.add(tick(0, 15, 'steps@200', [3000]));
    const out = progress.take(7);
    expect(out.map((r) => [r.phase, r.parent, r.ordinal, r.counts.requests])).toEqual([
      ['steps@100', 'steps', 7, 3],
      ['steps@200', 'steps', 8, 4],
      ['steps', 'steps', 9, 7],
    ]);
    expect(out[2]?.offeredRate).toBe(150);
    expect(out[2]?.startedAt).toBe(START + 12_000);
    progress.end('steps@100');
    m.add(tick(0, 16, 'steps@200', [1]));
    m.add(tick(0, 16, 'steps@100', [1, 1])); // a late tick of an ended step: ignored by it, counted by its parent
    expect(progress.take(9).map((r) => [r.phase, r.counts.requests])).toEqual([
      ['steps@200', 5],
      ['steps', 10],
    ]);
    progress.end('steps');
    expect(progress.unfinished(0).map((r) => r.phase)).toEqual(['steps@200']);
  });
});
