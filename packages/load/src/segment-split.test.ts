/**
 * Scale-out segments (`headroom run --segment i/n`): the union of the n segments' load must be
 * exactly the whole scenario's, whatever number of workers each segment has on its machine.
 */
import { describe, expect, it } from 'vitest';
import { validateScenario } from '@headroom/core';
import type { WorkerPlan } from '@headroom/internal';
import { addressOf } from './connection.ts';
import { DataPicker } from './flows/data-picker.ts';
import { VuPool } from './flows/vu-pool.ts';
import { planWorkers } from './plan-workers.ts';
import { timeline } from './timeline.ts';

const scenario = (phases: unknown[], extra: Record<string, unknown> = {}) =>
  validateScenario(
    { name: 's', target: 'http://127.0.0.1:9', requests: [{ path: '/' }], phases, workers: { cpus: [0, 1, 2, 3] }, ...extra },
    { file: 's.ts', cpuCount: 8 },
  );

/** Every worker plan of every segment, each segment with its own local worker count. */
function segmentPlans(s: ReturnType<typeof scenario>, localWorkers: readonly number[]): WorkerPlan[] {
  const n = localWorkers.length;
  return localWorkers.flatMap((w, index) => planWorkers(s, w, 0, { segment: { index, count: n } }));
}

/** Every intended send time (ms after phase 0) of each unit of a set of plans, sorted. */
function sendTimes(plans: readonly WorkerPlan[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const p of plans)
    for (const u of timeline(p.phases, p.stripe.index, p.stripe.count)) {
      if (u.schedule === null) continue;
      const times = out.get(u.name) ?? [];
      for (let j = 0; j < u.schedule.total; j++) times.push(u.startMs + u.schedule.at(j));
      out.set(u.name, times);
    }
  for (const t of out.values()) t.sort((a, b) => a - b);
  return out;
}

const open = [
  { name: 'steady', duration: '3s', rate: 100 },
  { name: 'ramp', duration: '2s', rate: { from: 50, to: 350 } },
  { name: 'steps', rate: { from: 10, to: 70, step: 30 }, stepDuration: '1s' },
];

describe('segments of a scenario (headroom run --segment i/n)', () => {
  it.each([
    ['2 segments of 1 worker', [1, 1]],
    ['4 segments of 2 workers', [2, 2, 2, 2]],
    ['3 segments with 1, 3 and 2 workers', [1, 3, 2]],
  ])('even arrivals: the union of the segments’ send times is the unsegmented schedule (%s)', (_name, local) => {
    const s = scenario(open);
    const whole = sendTimes(planWorkers(s, 1, 0));
    const union = sendTimes(segmentPlans(s, local));
    expect([...union.keys()]).toEqual([...whole.keys()]);
    expect(whole.get('steady')).toHaveLength(300);
    for (const [name, times] of whole) {
      const u = union.get(name)!;
      expect(u, name).toHaveLength(times.length);
      for (const [g, t] of times.entries()) expect(u[g], `${name} arrival ${g}`).toBeCloseTo(t, 6);
    }
  });

  it('stripes: segment s of n holds global arrivals ≡ s (mod n); local index stays the worker number', () => {
    const s = scenario(open);
    const plans = planWorkers(s, 3, 0, { segment: { index: 1, count: 4 } });
    expect(plans.map((p) => [p.index, p.count, p.stripe.index, p.stripe.count])).toEqual([
      [0, 3, 1, 12],
      [1, 3, 5, 12],
      [2, 3, 9, 12],
    ]);
    expect(planWorkers(s, 2, 0).map((p) => p.stripe)).toEqual([
      { index: 0, count: 2 },
      { index: 1, count: 2 },
    ]);
  });

  it('Poisson arrivals: n segments of w workers draw exactly the streams of one run of n·w workers', () => {
    const s = scenario([{ name: 'p', duration: '2s', rate: 400 }], { arrivals: 'poisson', seed: 9 });
    const whole = sendTimes(planWorkers(s, 4, 0)).get('p')!;
    const union = sendTimes(segmentPlans(s, [2, 2])).get('p')!;
    expect(union).toEqual(whole);
    // And a Poisson count at the whole rate (800 expected, SD ≈ 28), whatever the split.
    const uneven = sendTimes(segmentPlans(s, [1, 3])).get('p')!;
    expect(Math.abs(uneven.length - 800)).toBeLessThan(4 * 28);
  });

  it.each([
    [[1, 1, 1], 7],
    [[2, 1, 3], 25],
    [[4, 4], 9],
  ])('connection shares of closed phases and closed steps sum to the whole (local workers %j, %i connections)', (local, c) => {
    const s = scenario([
      { name: 'closed', duration: '1s', connections: c },
      { name: 'csteps', connections: [c, c + 5, 2 * c], stepDuration: '1s' },
      { name: 'open', duration: '1s', rate: 100, connections: 64 },
    ]);
    const plans = segmentPlans(s, local);
    const sum = (f: (p: WorkerPlan) => number) => plans.reduce((a, p) => a + f(p), 0);
    expect(sum((p) => p.phases[0]!.connections)).toBe(c);
    expect(sum((p) => p.phases[2]!.connections)).toBe(64);
    for (const level of [c, c + 5, 2 * c]) {
      const units = plans.map((p) => timeline(p.phases, p.stripe.index, p.stripe.count).find((u) => u.name === `csteps@c${level}`)!);
      expect(units.reduce((a, u) => a + u.connections, 0)).toBe(level);
    }
    // Each stripe keeps at least one connection: a segment plans fewer workers rather than add load.
    for (const p of plans) expect(p.phases[0]!.connections).toBeGreaterThanOrEqual(1);
  });

  it('plans fewer local workers when a closed phase has fewer connections than stripes, and refuses fewer than segments', () => {
    const s = scenario([{ name: 'closed', duration: '1s', connections: 5 }]);
    const plans = planWorkers(s, 4, 0, { segment: { index: 0, count: 2 } });
    expect(plans).toHaveLength(2); // 2 segments × 2 workers = 4 stripes ≤ 5 connections
    expect(() => planWorkers(s, 1, 0, { segment: { index: 0, count: 6 } })).toThrow(
      /5 closed-model connections cannot be split over 6 segments/,
    );
  });

  it('VU ids and unique data rows are disjoint across every worker of every segment, and cover all rows', () => {
    const s = scenario([{ name: 'closed', duration: '1s', connections: 12 }]);
    const plans = segmentPlans(s, [2, 1, 3]);
    const rows = [...Array(60).keys()].map((i) => ({ i }));
    const spec = { name: 'd', kind: 'inline', file: null, pick: 'unique-per-iteration', whenExhausted: 'stop' } as const;
    const seen: number[] = [];
    for (const p of plans) {
      const picker = new DataPicker(spec as never, rows, p.stripe.index, p.stripe.count);
      for (let row = picker.pick({ vu: 0, random: Math.random }); row !== undefined; row = picker.pick({ vu: 0, random: Math.random }))
        seen.push(row['i'] as number);
    }
    expect(seen.sort((a, b) => a - b)).toEqual(rows.map((r) => r.i));
    const ids: number[] = [];
    for (const p of plans) {
      const pool = new VuPool(addressOf(p.target), { worker: p.stripe.index, workers: p.stripe.count, seed: 1 });
      for (let k = 0; k < 4; k++) ids.push(pool.take({} as never).id);
      pool.close();
    }
    expect(new Set(ids).size).toBe(ids.length);
  });
});
