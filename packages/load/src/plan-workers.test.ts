import { describe, expect, it } from 'vitest';
import { validateScenario } from '@headroom/core';
import { planWorkers } from './plan-workers.ts';

const scenario = (phases: unknown[]) =>
  validateScenario(
    {
      name: 's',
      target: 'http://127.0.0.1:9',
      requests: [{ path: '/a', weight: 3 }, { path: '/b' }],
      phases,
      timeout: '2s',
      trace: { sample: 0.1 },
      workers: { cpus: [0, 1], engine: 'headroom' },
    },
    { file: 's.ts', cpuCount: 4 },
  );

describe('planWorkers', () => {
  it('splits connections as evenly as possible and keeps the whole rate and everything else', () => {
    const s = scenario([
      { name: 'warmup', duration: '1s', connections: 10 },
      { name: 'steady', duration: '2s', rate: 900, connections: 7 },
    ]);
    const plans = planWorkers(s, 3, 12345);
    expect(plans.map((p) => p.phases[0]!.connections)).toEqual([4, 3, 3]);
    expect(plans.map((p) => p.phases[1]!.connections)).toEqual([3, 2, 2]);
    for (const [i, p] of plans.entries()) {
      expect(p).toMatchObject({
        index: i,
        count: 3,
        startAt: 12345,
        timeoutMs: 2000,
        traceSample: 0.1,
        engine: 'headroom',
        idle: 'sleep',
        target: s.target,
      });
      expect(p.requests).toEqual(s.requests);
      expect(p.phases[1]).toMatchObject({ model: 'constant', rate: 900 });
    }
  });

  it('plans fewer workers when a phase has fewer connections than workers', () => {
    const s = scenario([
      { name: 'a', duration: '1s', connections: 2 },
      { name: 'b', duration: '1s', rate: 100 },
    ]);
    const plans = planWorkers(s, 4, 0);
    expect(plans).toHaveLength(2);
    expect(plans.map((p) => [p.count, p.phases[0]!.connections, p.phases[1]!.connections])).toEqual([
      [2, 1, 32],
      [2, 1, 32],
    ]);
  });
});
