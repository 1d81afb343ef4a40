import { validateScenario } from '@headroom/core';
import { createHistogram, encodeHistogram, recordUs, summarize } from '@headroom/internal';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { emptyCounts, type PhaseResult } from './aggregate.ts';
import { cpuTimes, readSteal, StealSampler, stealBetween, stealWarning, type StealReading } from './host-steal.ts';
import { PhaseWatch } from './phase-watch.ts';

// /proc/stat as proc(5) documents it: user nice system idle iowait irq softirq steal guest guest_nice (USER_HZ ticks).
const stat = (cpu0: number[], cpu1: number[]) =>
  [`cpu  ${cpu0.map((v, i) => v + cpu1[i]!).join(' ')}`, `cpu0 ${cpu0.join(' ')}`, `cpu1 ${cpu1.join(' ')}`, 'intr 1 2 3', 'ctxt 42'].join(
    '\n',
  );

describe('cpuTimes: a CPU set from /proc/stat', () => {
  it('sums steal and the columns that make up wall time (user..steal; guest is inside user)', () => {
    const text = stat([100, 5, 50, 800, 3, 1, 1, 40, 7, 0], [10, 0, 10, 900, 0, 0, 0, 80, 0, 0]);
    expect(cpuTimes(text, [0])).toEqual({ steal: 40, total: 1000 });
    expect(cpuTimes(text, [1])).toEqual({ steal: 80, total: 1000 });
    expect(cpuTimes(text, [0, 1])).toEqual({ steal: 120, total: 2000 });
  });

  it('is null for a CPU the file does not list, or an empty set (not a 0% it did not measure)', () => {
    const text = stat([1, 0, 1, 8, 0, 0, 0, 0, 0, 0], [1, 0, 1, 8, 0, 0, 0, 0, 0, 0]);
    expect(cpuTimes(text, [0, 7])).toBeNull();
    expect(cpuTimes(text, [])).toBeNull();
  });

  it('reads this machine: every CPU this process may use has a line, and the counters only grow', () => {
    const cpus = [0];
    const a = readSteal(null, cpus);
    const text = readFileSync('/proc/stat', 'utf8');
    expect(text).toMatch(/^cpu0 /m);
    let x = 0;
    for (let i = 0; i < 3e6; i++) x += Math.sqrt(i); // let some ticks pass
    const b = readSteal(null, cpus);
    expect(x).toBeGreaterThan(0);
    expect(a?.service).toBeNull();
    expect(b!.generator!.total).toBeGreaterThanOrEqual(a!.generator!.total);
    expect(b!.generator!.steal).toBeGreaterThanOrEqual(a!.generator!.steal);
  });
});

describe('stealBetween and the warning', () => {
  const at = (genSteal: number, genTotal: number, svc: [number, number] | null): StealReading => ({
    generator: { steal: genSteal, total: genTotal },
    service: svc === null ? null : { steal: svc[0], total: svc[1] },
  });

  it('is the steal share of the time that passed on each set', () => {
    const s = stealBetween(at(10, 1000, [0, 1000]), at(40, 1300, [6, 1200]));
    expect(s.generator).toBeCloseTo(0.1, 12);
    expect(s.service).toBeCloseTo(0.03, 12);
    expect(stealBetween(at(0, 100, null), at(5, 200, null)).service).toBeNull();
    expect(stealBetween(at(5, 100, null), at(5, 100, null)).generator).toBeNull(); // no time passed
  });

  it('warns above 5% on either side, naming each side over it, and is quiet at or below', () => {
    expect(stealWarning('steady', { generator: 0.05, service: 0.01 })).toBeNull();
    expect(stealWarning('steady', { generator: 0.12, service: null })).toBe(
      "steady: the hypervisor took 12.0% of the generator's CPUs (steal time). Latencies and CPU figures include pauses that are the host's, not the service's: compare such runs with care, or measure on a dedicated or quieter host",
    );
    expect(stealWarning('steady', { generator: 0.2, service: 0.075 })).toMatch(
      /took 20\.0% of the generator's CPUs and 7\.5% of the service's CPUs/,
    );
  });

  it("warns of bursts a phase's mean hides, with the p99 of the seconds they hit beside the others'", () => {
    // As measured here (README): 2.5% over a 20 s phase, but 8-20% in four of its seconds, which hold its tail.
    const seconds = [
      ...[0.08, 0.135, 0.202, 0.061].map((steal, i) => ({ steal, p99Ms: [18.1, 17.9, 15.6, 9.7][i]! })),
      ...Array.from({ length: 16 }, (_, i) => ({ steal: i % 4 === 0 ? 0.01 : 0, p99Ms: 0.3 + i / 100 })),
    ];
    expect(stealWarning('steady', { generator: 0.025, service: 0.03 }, seconds)).toBe(
      "steady: the hypervisor took more than 5.0% of the generator's or the service's CPUs in 4 of its 20 seconds (up to 20.2%); " +
        'their p99 was up to 18.1ms against a median of 0.38ms in the others. ' +
        "Latencies and CPU figures include pauses that are the host's, not the service's: compare such runs with care, or measure on a dedicated or quieter host",
    );
    expect(stealWarning('steady', { generator: 0.025, service: 0.03 }, seconds.slice(4))).toBeNull();
    expect(stealWarning('steady', { generator: 0.3, service: null }, seconds.slice(0, 2))).toMatch(
      /^steady: the hypervisor took 30\.0% of the generator's CPUs \(steal time\); it took more than 5\.0% .* in 2 of its 2 seconds \(up to 13\.5%\); their p99 was up to 18\.1ms\. /,
    );
  });
});

describe('StealSampler', () => {
  it("gives each second of the run the steal between that second's boundaries", { timeout: 20_000 }, async () => {
    const readings = [at(0, 0), at(10, 100), at(10, 200), at(60, 300)];
    function at(steal: number, total: number): StealReading {
      return { generator: { steal, total }, service: null };
    }
    const got: { second: number; generator: number | null }[] = [];
    const sampler = new StealSampler({
      serviceCpus: null,
      generatorCpus: [0],
      startAt: Date.now(),
      onSample: (s) => got.push({ second: s.second, generator: s.generator }),
      read: () => readings.shift() ?? null,
    });
    // The fourth boundary comes 3 s in; a busy machine may be late to it, so wait for it (up to 15 s).
    for (let i = 0; i < 150 && got.length < 3; i++) await new Promise((r) => setTimeout(r, 100));
    sampler.stop();
    expect(got).toEqual([
      { second: 0, generator: 0.1 },
      { second: 1, generator: 0 },
      { second: 2, generator: 0.5 },
    ]);
  });
});

describe('PhaseWatch: steal per phase', () => {
  const scenario = validateScenario(
    {
      name: 's',
      target: 'http://127.0.0.1:9',
      requests: [{ path: '/' }],
      phases: [
        { name: 'warmup', duration: '1s', rate: 10 },
        { name: 'steady', duration: '1s', rate: 10 },
        { name: 'ramp', rate: { from: 10, to: 20, step: 10 }, stepDuration: '1s' },
      ],
    },
    { file: 's.ts', cpuCount: 2 },
  );
  const result = (phase: string, parent = phase): PhaseResult => {
    const h = createHistogram();
    return {
      phase,
      parent,
      ordinal: 0,
      counts: emptyCounts(),
      errors: 0,
      errorRate: 0,
      offeredRate: 10,
      achievedRate: 10,
      startedAt: 0,
      endedAt: 1000,
      durationS: 1,
      latency: summarize(h),
      service: summarize(h),
      hist: encodeHistogram(h),
      serviceHist: encodeHistogram(h),
      failed: null,
      failedHist: null,
      concurrency: 0,
    };
  };

  it('charges each phase from its start to the next one, and warns once per measured phase of the scenario', () => {
    // Each start reads the next of these; the generator's steal is 20% throughout, the service's 2%.
    let t = 0;
    const read = (): StealReading => {
      t += 1000;
      return { generator: { steal: 0.2 * t, total: t }, service: { steal: 0.02 * t, total: t } };
    };
    const w = new PhaseWatch({ scenario, readSteal: read });
    for (const name of ['warmup', 'steady', 'ramp@10', 'ramp@20']) w.onPhaseStart(name);
    const warm = result('warmup');
    expect(w.enrich(warm).filter((m) => m.includes('hypervisor'))).toEqual([]); // a warm-up is not measured
    expect(warm.hostSteal?.generator).toBeCloseTo(0.2, 12);
    const steady = result('steady');
    expect(w.enrich(steady).filter((m) => m.includes('hypervisor'))).toEqual([
      expect.stringMatching(/^steady: the hypervisor took 20\.0% of the generator's CPUs \(steal time\)\. /),
    ]);
    expect(steady.hostSteal?.service).toBeCloseTo(0.02, 12);
    const step = result('ramp@10', 'ramp');
    expect(w.enrich(step).filter((m) => m.includes('hypervisor'))).toEqual([]); // a step is in its step phase's figure
    expect(step.hostSteal?.generator).toBeCloseTo(0.2, 12);
    expect(w.enrich(result('ramp')).filter((m) => m.includes('hypervisor'))).toHaveLength(1);
  });

  it("joins each second's steal to its p99: a burst inside a quiet phase is warned of", () => {
    const quiet = (): StealReading => ({ generator: { steal: 0, total: 1000 }, service: null });
    const w = new PhaseWatch({ scenario, readSteal: quiet });
    w.onPhaseStart('steady');
    for (let second = 0; second < 10; second++) {
      const h = createHistogram();
      for (let i = 0; i < 100; i++) recordUs(h, second === 3 ? 20_000 : 300);
      w.onSecond({
        second,
        phase: 'steady',
        counts: emptyCounts(),
        errors: 0,
        latency: summarize(h),
        hist: encodeHistogram(h),
        genCpu: 0.1,
        genWakeDelayUs: null,
        concurrency: 1,
      });
      w.onSteal({ second, generator: second === 3 ? 0.3 : 0, service: null });
    }
    const r = result('steady');
    expect(w.enrich(r).filter((m) => m.includes('hypervisor'))).toEqual([
      expect.stringMatching(
        /in 1 of its 10 seconds \(up to 30\.0%\); their p99 was up to 20\.0ms against a median of 0\.30ms in the others/,
      ),
    ]);
  });

  it('leaves hostSteal null where it was not read', () => {
    const w = new PhaseWatch({ scenario });
    w.onPhaseStart('steady');
    const r = result('steady');
    w.enrich(r);
    expect(r.hostSteal).toBeNull();
  });
});
