import { describe, expect, it } from 'vitest';
import { validateScenario, type Scenario } from '@headroom/core';
import { createHistogram, encodeHistogram, recordUs, summarize } from '@headroom/internal';
import type { PhaseResult } from './aggregate.ts';
import { evaluateThresholds } from './gates.ts';

function result(
  phase: string,
  latenciesUs: number[],
  opts: { parent?: string; offered?: number | null; errors?: number; durationS?: number } = {},
): PhaseResult {
  const h = createHistogram();
  for (const v of latenciesUs) recordUs(h, v);
  const requests = latenciesUs.length;
  const errors = opts.errors ?? 0;
  const durationS = opts.durationS ?? 1;
  return {
    phase,
    parent: opts.parent ?? phase,
    ordinal: 0,
    counts: {
      requests,
      ok: requests - errors,
      errors: errors ? { http_5xx: errors } : {},
      lateSends: 0,
      lateBeyondResolution: 0,
      maxLagUs: 0,
      queuedSends: 0,
      maxQueueUs: 0,
      offered: requests,
      bytesRead: 0,
    },
    errors,
    errorRate: errors / requests,
    offeredRate: opts.offered === undefined ? null : opts.offered,
    achievedRate: requests / durationS,
    startedAt: 0,
    endedAt: durationS * 1000,
    durationS,
    latency: summarize(h),
    service: summarize(h),
    hist: encodeHistogram(h),
    serviceHist: encodeHistogram(h),
    failed: null,
    failedHist: null,
    concurrency: 0,
  };
}

function scenario(extra: Record<string, unknown>): Scenario {
  return validateScenario(
    {
      name: 's',
      target: 'http://127.0.0.1:1',
      requests: [{ path: '/' }],
      phases: [
        { name: 'warmup', duration: '1s', connections: 1 },
        { name: 'steady', duration: '1s', rate: 100 },
        { name: 'steps', rate: { from: 100, to: 300, step: 100 }, stepDuration: '1s' },
      ],
      ...extra,
    },
    { file: 's.ts', cpuCount: 2 },
  );
}

// 1..100 ms in 1 ms steps: p50 ≈ 50 ms, p99 ≈ 99 ms (HDR reports the top of the bucket: 50.015 ms at 3 significant digits).
const ramp = Array.from({ length: 100 }, (_, i) => (i + 1) * 1000);

describe('evaluateThresholds', () => {
  it('evaluates latency, rate and error thresholds on merged data with verdicts and values', () => {
    const s = scenario({ thresholds: { 'steady.p99': '< 50ms', 'steady.p50': '< 51ms', 'steady.rate': '>= 100', 'errors.rate': '< 1%' } });
    const out = evaluateThresholds(s, [result('warmup', [1e6], { errors: 1 }), result('steady', ramp, { errors: 2 })], null);
    const by = Object.fromEntries(out.map((g) => [g.key, g]));
    expect(by['steady.p99']?.status).toBe('failed');
    expect(by['steady.p99']?.value).toBeCloseTo(99, 0);
    expect(by['steady.p50']?.status).toBe('passed');
    // rate counts successful responses: 98 of the 100 in the second were 2xx, so '>= 100' fails.
    expect(by['steady.rate']?.value).toBe(98);
    expect(by['steady.rate']?.status).toBe('failed');
    // run-wide error rate excludes the warm-up phase: 2 errors in 100 requests.
    expect(by['errors.rate']?.value).toBeCloseTo(0.02);
    expect(by['errors.rate']?.status).toBe('failed');
  });

  it('merges histograms for run scope rather than averaging percentiles', () => {
    const s = scenario({ thresholds: { 'run.p99': '< 1s' } });
    const fast = Array.from({ length: 990 }, () => 1000);
    const slow = Array.from({ length: 10 }, () => 500_000);
    const [g] = evaluateThresholds(s, [result('steady', fast), result('steps', slow)], null);
    // True p99 of the 1000 merged values is 1 ms (990 of them); the mean of per-phase p99s would be ~250 ms.
    expect(g?.value).toBeCloseTo(1, 1);
  });

  it('fails a threshold whose phase produced no data, and marks the one that aborted the run', () => {
    const s = scenario({ thresholds: { 'steps@300.p99': '< 1s', 'steady.p99': '< 1ms' } });
    const out = evaluateThresholds(s, [result('steady', ramp)], 'steady.p99');
    expect(out[0]?.status).toBe('no-data');
    expect(out[1]?.aborted).toBe(true);
  });

  it('a latency threshold over a phase where every request failed is no-data, not a pass at 0 µs', () => {
    const s = scenario({ thresholds: { 'steady.p99': '< 50ms', 'steady.requests': '> 0', 'steady.rate': '>= 45' } });
    // 100 requests, all refused: nothing in the latency histogram, ok = 0.
    const dead = result('steady', []);
    dead.counts = { ...dead.counts, requests: 100, ok: 0, errors: { refused: 100 } };
    const [p99, requests, rate] = evaluateThresholds(s, [dead], null);
    // A throughput gate counts successful responses: 100 refused requests a second are no throughput.
    expect(rate).toMatchObject({ status: 'failed', value: 0 });
    expect(p99?.status).toBe('no-data');
    expect(p99?.value).toBeNull();
    expect(p99?.reason).toBe('no successful requests in steady (100 failed)');
    expect(requests?.status).toBe('passed');
  });

  it('reads headroom as capacity analysis computes it: interpolated SLO capacity over expectedPeak', () => {
    const s = scenario({ slo: { p99: '50ms' }, expectedPeak: 100, thresholds: { headroom: '>= 1.5' } });
    const results = [
      result('steps@100', Array(100).fill(2000), { parent: 'steps', offered: 100 }),
      result('steps@200', Array(200).fill(3000), { parent: 'steps', offered: 200 }),
      result('steps@300', Array(300).fill(80_000), { parent: 'steps', offered: 300 }),
      result('steps', [...Array(600).fill(2000)], { offered: null }),
    ];
    // Step 300 broke the 50 ms p99: p99 crossed 50 ms at t = (50 − 3)/(80 − 3) of the way from step 200
    // (p99 3 ms, HDR's bucket top 3.0015) to step 300, so capacity = 200 + t·100 ≈ 261 req/s, headroom ≈ 2.61.
    const [g] = evaluateThresholds(s, results, null);
    const t = (50 - 3.0015) / (80.0255 - 3.0015);
    expect(g?.value).toBeCloseTo((200 + t * 100) / 100, 2);
    expect(g?.status).toBe('passed');
  });
});
