import { describe, expect, it } from 'vitest';
import { segmentIssues } from './segment.ts';
import { validateScenario } from './validate-scenario.ts';

const base = { name: 's', target: 'http://127.0.0.1:3000', requests: [{ path: '/' }], slo: { p99: '50ms' } };
const scenario = (extra: Record<string, unknown>) => validateScenario({ ...base, ...extra }, { file: 's.ts', cpuCount: 4 });

describe('segmentIssues', () => {
  it('accepts open and closed phases with a connection per segment', () => {
    const s = scenario({
      phases: [
        { name: 'warmup', duration: '1s', connections: 4 },
        { name: 'steady', duration: '3s', rate: 100, connections: 2 },
        { name: 'steps', rate: { from: 10, to: 30, step: 10 }, stepDuration: '1s' },
      ],
      thresholds: { 'steady.p99': '< 50ms' },
    });
    // An open phase's pool may be smaller than the segments: each keeps one connection, the arrivals stay exact.
    expect(segmentIssues(s, { index: 3, count: 4 })).toEqual([]);
  });

  it('lists every reason at once, each at its path: service, breakpoint search, too few connections, abortOnFail', () => {
    const s = scenario({
      service: { command: ['node', 'server.ts'], ready: 'http://127.0.0.1:3000/health', cpus: [0] },
      workers: { cpus: [1] },
      phases: [
        { name: 'warmup', duration: '1s', connections: 2 },
        { name: 'levels', connections: [1, 8], stepDuration: '1s' },
        { name: 'capacity', rate: { from: 10, to: 50, step: 10 }, stepDuration: '1s', stopWhen: 'slo' },
      ],
      thresholds: {
        'capacity.p99': [
          { threshold: '< 50ms', abortOnFail: true },
          { threshold: '< 80ms', abortOnFail: true },
        ],
      },
    });
    const issues = segmentIssues(s, { index: 0, count: 3 });
    expect(issues.map((i) => i.path)).toEqual([
      'service',
      'phases[0].connections',
      'phases[1].connections',
      'phases[2].stopWhen',
      'thresholds["capacity.p99"]',
    ]);
    expect(issues[0]!.message).toBe('each of the 3 segments would start its own service, and segments must load one shared target');
    expect(issues[1]!.message).toBe('phase warmup: 2 connections cannot be split over 3 segments; each segment needs at least one');
    expect(issues[2]!.message).toContain('1 connection (its smallest step)');
    expect(issues[3]!.message).toMatch(/^phase capacity: a breakpoint search cannot be split/);
    expect(issues[4]!.hint).toContain('headroom merge decides the thresholds');
  });
});
