import { describe, expect, it } from 'vitest';
import { createHistogram, encodeHistogram, recordUs, summarize, type WorkerPhaseEnd, type WorkerTick } from '@headroom/internal';
import { PhaseMerger, SecondMerger } from './aggregate.ts';

function tick(worker: number, second: number, values: number[], phase = 'steady'): WorkerTick {
  const h = createHistogram();
  for (const v of values) recordUs(h, v);
  return {
    type: 'tick',
    worker,
    second,
    phase,
    requests: values.length,
    ok: values.length - 1,
    errors: { http_5xx: 1 },
    lateSends: worker,
    lateBeyondResolution: 0,
    queuedSends: 0,
    maxQueueUs: 0,
    maxLagUs: 100 * (worker + 1),
    offered: values.length,
    bytesRead: 0,
    hist: encodeHistogram(h),
    serviceHist: encodeHistogram(h),
    cpu: 0.2 + worker / 10,
  };
}

describe('SecondMerger', () => {
  it('emits a second only when every live worker moved past it, merged exactly', () => {
    const m = new SecondMerger([0, 1]);
    const a = [100, 200, 300, 5000];
    const b = [150, 250, 10_000];
    expect(m.add(tick(0, 0, a))).toEqual([]);
    expect(m.add(tick(1, 0, b))).toEqual([]);
    expect(m.add(tick(0, 1, [1]))).toEqual([]);
    const [s] = m.add(tick(1, 1, [1]));
    const all = createHistogram();
    for (const v of [...a, ...b]) recordUs(all, v);
    expect(s?.latency).toEqual(summarize(all));
    expect(s?.counts.requests).toBe(7);
    expect(s?.errors).toBe(2);
    expect(s?.counts.maxLagUs).toBe(200);
    expect(s?.genCpu).toBeCloseTo(0.3);
  });

  it('merges two ticks of one worker for the same second (a phase boundary inside it) into one second', () => {
    const m = new SecondMerger([0]);
    expect(m.add(tick(0, 3, [100, 200], 'warmup'))).toEqual([]);
    expect(m.add(tick(0, 3, [300], 'steady'))).toEqual([]);
    const out = m.add(tick(0, 4, [1], 'steady'));
    expect(out.map((s) => [s.second, s.counts.requests])).toEqual([[3, 3]]);
    expect(out[0]?.phase).toBe('warmup');
  });

  it('stops waiting for a retired worker, and flushes partial seconds at the end', () => {
    const m = new SecondMerger([0, 1]);
    m.add(tick(0, 0, [1]));
    m.add(tick(0, 1, [1]));
    expect(m.retire(1).map((s) => s.second)).toEqual([0]);
    expect(m.retire(0).map((s) => s.second)).toEqual([1]);
    const m2 = new SecondMerger([0, 1]);
    m2.add(tick(0, 5, [1]));
    expect(m2.flush().map((s) => s.second)).toEqual([5]);
  });
});

describe('PhaseMerger', () => {
  it('merges per-worker phase ends into one result with exact percentiles and the union of its time span', () => {
    const m = new PhaseMerger(2);
    const end = (worker: number, values: number[], startedAt: number, endedAt: number): WorkerPhaseEnd => {
      const t = tick(worker, 0, values);
      return { ...t, type: 'phase-end', parent: 'steady', offeredRate: 100, startedAt, endedAt };
    };
    expect(m.add(end(0, [1000, 2000], 1000, 3000))).toBeNull();
    const r = m.add(end(1, [3000, 4000, 100_000], 1100, 3100));
    expect(r?.counts.requests).toBe(5);
    expect(r?.durationS).toBeCloseTo(2.1);
    expect(r?.achievedRate).toBeCloseTo(5 / 2.1);
    expect(r?.latency.maxMs).toBeCloseTo(100, 0);
    expect(r?.latency.p50Ms).toBeCloseTo(3, 2);
    expect(r?.errorRate).toBeCloseTo(2 / 5);
  });
});
