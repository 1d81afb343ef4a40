import { describe, expect, it } from 'vitest';
import { ValidationError } from './errors.ts';
import { subPhases } from './scenario.ts';
import { validateScenario } from './validate-scenario.ts';

const base = { name: 'cap', target: 'http://127.0.0.1:3000', requests: [{ path: '/' }], slo: { p99: '20ms' } };
const opts = { file: 'x.ts', cpuCount: 2 };

function issues(raw: unknown): { path: string; message: string; hint?: string }[] {
  try {
    validateScenario(raw, opts);
  } catch (err) {
    if (err instanceof ValidationError) return [...err.issues];
    throw err;
  }
  return [];
}

describe('capacity fields of the scenario', () => {
  it('resolves a breakpoint search with Poisson arrivals, closed-model steps and budgets', () => {
    const s = validateScenario(
      {
        ...base,
        arrivals: 'poisson',
        seed: 7,
        expectedPeak: 300,
        budgets: {
          headroom: '>= 1.3',
          cpu: '< 60%',
          cpuPerRequest: '120us',
          rss: '< 0.5GB',
          forecastHeadroom: { horizon: '12w', min: 1.2 },
        },
        phases: [
          { name: 'usl', connections: { from: 1, to: 7, step: 3 }, stepDuration: '2s' },
          { name: 'list', connections: [1, 2, 4], stepDuration: '1s', thinkTime: '1ms' },
          { name: 'capacity', rate: { from: 100, to: 500, step: 200 }, stepDuration: '5s', stopWhen: 'slo' },
        ],
        thresholds: { 'usl@c4.p99': '< 10ms', 'capacity@300.p99': '< 10ms' },
      },
      opts,
    );
    expect(s.phases[0]).toMatchObject({ model: 'closed-steps', levels: [1, 4, 7], connections: 1, durationMs: 6000, stopWhen: null });
    expect(s.phases[1]).toMatchObject({ model: 'closed-steps', levels: [1, 2, 4], thinkTimeMs: 1 });
    expect(s.phases[2]).toMatchObject({ model: 'steps', stopWhen: { slo: true, after: 2 }, arrivals: { kind: 'poisson', seed: 7 } });
    expect(subPhases(s.phases[0]!).map((x) => x.name)).toEqual(['usl@c1', 'usl@c4', 'usl@c7']);
    expect(subPhases(s.phases[2]!).map((x) => x.name)).toEqual(['capacity@100', 'capacity@300', 'capacity@500']);
    expect(s.budgets).toEqual({
      headroom: { op: '>=', value: 1.3 },
      cpu: 0.6,
      cpuPerRequestUs: 120,
      rssMb: 512,
      forecastHeadroom: { horizonDays: 84, min: 1.2 },
    });
  });

  it('keeps even arrivals by default and lets a phase override the scenario', () => {
    const s = validateScenario(
      {
        ...base,
        arrivals: 'poisson',
        phases: [
          { name: 'a', rate: 10, duration: '1s', arrivals: 'even' },
          { name: 'b', rate: 10, duration: '1s' },
        ],
      },
      opts,
    );
    expect(s.phases.map((p) => (p.model === 'constant' ? p.arrivals : null))).toEqual([
      { kind: 'even', seed: 1 },
      { kind: 'poisson', seed: 1 },
    ]);
    const d = validateScenario({ ...base, phases: [{ name: 'a', rate: 10, duration: '1s' }] }, opts);
    expect(d.phases[0]).toMatchObject({ arrivals: { kind: 'even' } });
  });

  it('reports every malformed capacity field with its path and the accepted forms', () => {
    const found = issues({
      ...base,
      arrivals: 'bursty',
      seed: -1,
      budgets: {
        cpu: '60',
        headroom: 'lots',
        rss: '512',
        cpuPerRequest: '< fast',
        forecastHeadroom: { horizon: '3 months', min: 0 },
        memory: '1GB',
      },
      phases: [
        { name: 'a', rate: 100, duration: '1s', stopWhen: 'slo' },
        { name: 'b', connections: [2, 2], stepDuration: '1s' },
        { name: 'c', rate: { from: 1, to: 5 }, duration: '1s', arrivals: 'poisson' },
        { name: 'd', rate: { from: 1, to: 5, step: 1 }, stepDuration: '1s', stopWhen: { after: 0, when: 1 } },
      ],
    });
    const byPath = Object.fromEntries(found.map((i) => [i.path, i]));
    expect(Object.keys(byPath)).toEqual(
      expect.arrayContaining([
        'arrivals',
        'seed',
        'budgets.cpu',
        'budgets.headroom',
        'budgets.rss',
        'budgets.cpuPerRequest',
        'budgets.forecastHeadroom.horizon',
        'budgets.forecastHeadroom.min',
        'budgets.memory',
        'phases[0].stopWhen',
        'phases[1].connections',
        'phases[2].arrivals',
        'phases[3].stopWhen.after',
        'phases[3].stopWhen.when',
      ]),
    );
    expect(byPath['budgets.cpu']?.hint).toContain("'< 60%' or '60%'");
    expect(byPath['budgets.headroom']?.message).toContain('"lots" is not a headroom budget');
    expect(byPath['budgets.memory']?.hint).toContain('headroom, cpu, cpuPerRequest, rss, forecastHeadroom');
    expect(byPath['phases[0].stopWhen']?.message).toBe('only step phases stop early');
  });

  it('refuses a breakpoint search that is not the last phase, or has nothing to judge', () => {
    const notLast = issues({
      ...base,
      phases: [
        { name: 'a', rate: { from: 1, to: 5, step: 1 }, stepDuration: '1s', stopWhen: 'slo' },
        { name: 'b', rate: 1, duration: '1s' },
      ],
    });
    expect(notLast.map((i) => i.path)).toEqual(['phases[0].stopWhen']);
    const noSlo = issues({ ...base, slo: undefined, phases: [{ name: 'a', connections: [1, 2], stepDuration: '1s', stopWhen: 'slo' }] });
    expect(noSlo[0]?.message).toContain('sets none');
    const throughputOnly = validateScenario(
      { ...base, slo: undefined, phases: [{ name: 'a', rate: { from: 1, to: 5, step: 1 }, stepDuration: '1s', stopWhen: { slo: false } }] },
      opts,
    );
    expect(throughputOnly.phases[0]).toMatchObject({ stopWhen: { slo: false, after: 2 } });
    expect(issues({ ...base, phases: [{ name: 'a', rate: 1, duration: '1s' }], budgets: { headroom: 1.5 } }).map((i) => i.path)).toEqual([
      'budgets.headroom',
    ]);
  });
});
