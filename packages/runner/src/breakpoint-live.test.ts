import { validateScenario } from '@headroom/core';
import { createHistogram, encodeHistogram, recordUs, summarize } from '@headroom/internal';
import { describe, expect, it } from 'vitest';
import { emptyCounts, type PhaseResult } from './aggregate.ts';
import { liveFailure } from './breakpoint-live.ts';
import { PhaseWatch } from './phase-watch.ts';

/** A step's aggregate with these answered latencies (ms) and `failed` requests that got no answer. */
function step(name: string, rate: number | null, latenciesMs: number[], failed = 0): PhaseResult {
  const h = createHistogram();
  for (const ms of latenciesMs) recordUs(h, ms * 1000);
  const latency = summarize(h);
  const requests = latenciesMs.length + failed;
  return {
    phase: name,
    parent: name.split('@')[0] as string,
    ordinal: 0,
    counts: { ...emptyCounts(), requests, ok: latenciesMs.length, errors: failed > 0 ? { timeout: failed } : {} },
    errors: failed,
    errorRate: requests > 0 ? failed / requests : 0,
    offeredRate: rate,
    achievedRate: latenciesMs.length,
    startedAt: 0,
    endedAt: 1000,
    durationS: 1,
    latency,
    service: latency,
    hist: encodeHistogram(h),
    serviceHist: encodeHistogram(h),
    failed: null,
    failedHist: null,
    concurrency: 1,
  };
}
const fast = (n: number) => Array.from({ length: n }, () => 5);
const slow = (n: number) => Array.from({ length: n }, () => 500);

describe('liveFailure: a running step whose SLO failure is already certain', () => {
  // A 3 s step at 200/s has 600 arrivals: its p99 is above 50 ms once 1% of them (6), plus one for the rank, came back slower.
  it('is certain once more than 1% of all the step will send came back slower than the SLO', () => {
    expect(liveFailure(step('c@200', 200, [...fast(100), ...slow(6)]), 3000, { p99Ms: 50 })).toBeNull();
    const f = liveFailure(step('c@200', 200, [...fast(100), ...slow(7)]), 3000, { p99Ms: 50 });
    expect(f).toMatchObject({ latency: true, errors: false });
    expect(f?.evidence).toBe("c@200 judged while running: 7 of its 600 arrivals already answered slower than the SLO's p99 of 50ms");
  });

  it('counts against every arrival of the step, not the responses so far (a slow start alone proves nothing)', () => {
    // 20 slow of 25 answered is 80% so far, but only 20 of the 6000 the step will send.
    expect(liveFailure(step('c@2000', 2000, [...fast(5), ...slow(20)]), 3000, { p99Ms: 50 })).toBeNull();
  });

  it('is certain for the error rate once more failed than it allows of all arrivals', () => {
    expect(liveFailure(step('c@200', 200, fast(50), 6), 3000, { errorRate: 0.01 })).toBeNull();
    expect(liveFailure(step('c@200', 200, fast(50), 7), 3000, { errorRate: 0.01 })).toMatchObject({ latency: false, errors: true });
  });

  it('counts arrivals sent more than the SLO ago and still unanswered: each can only end slow or failed', () => {
    // 250/s for 2 s: 500 arrivals; 5% may fail (achieved ≥ 95% of offered) and 1% be slow, so 31 late settle it.
    const queued = (offered: number) => ({ ...step('c@250', 250, []), counts: { ...emptyCounts(), offered } });
    // 40 sent, of which those intended before the last 40 ms (10 arrivals, plus one) are 29: not yet.
    expect(liveFailure(queued(40), 2000, { p99Ms: 40 })).toBeNull();
    const f = liveFailure(queued(250), 2000, { p99Ms: 40 });
    expect(f).toMatchObject({ latency: false, errors: false });
    expect(f?.evidence).toBe(
      "c@250 judged while running: 239 of its 500 arrivals already later than the SLO's p99 of 40ms (239 of them still unanswered), more than its p99 and error or achieved rate allow together",
    );
  });

  it('never judges a closed step live (how many requests it makes is not known ahead)', () => {
    expect(liveFailure(step('c@c8', null, slow(100)), 3000, { p99Ms: 50 })).toBeNull();
  });
});

describe('PhaseWatch: the breakpoint search decides on steps that certainly failed while running', () => {
  const scenario = validateScenario(
    {
      name: 'bp',
      target: 'http://127.0.0.1:9',
      requests: [{ method: 'GET', path: '/' }],
      phases: [{ name: 'c', rate: { from: 100, to: 500, step: 100 }, stepDuration: '3s', stopWhen: 'slo' }],
      slo: { p99: '50ms' },
    },
    { file: 'bp.ts', cpuCount: 2 },
  );
  const sending = new Set<string>();
  const watch = () => new PhaseWatch({ scenario, sending: (n) => sending.has(n) });

  it('stops at the second consecutive failure, cutting only the step still sending; the one draining ends whole', () => {
    const w = watch();
    for (const s of ['c@100', 'c@200', 'c@300']) w.onPhaseStart(s);
    expect(w.afterStep(step('c@100', 100, fast(300)))).toBeNull();
    // c@200 has finished sending and drains; c@300 is sending. Both already certainly failed.
    sending.clear();
    sending.add('c@300');
    expect(w.liveStep(step('c@200', 200, [...fast(100), ...slow(7)]))).toBeNull(); // one failure: not yet
    const stop = w.liveStep(step('c@300', 300, [...fast(100), ...slow(10)]));
    expect(stop).toMatchObject({ phase: 'c', after: 'c@300', cutShort: ['c@300'], notRun: ['c@400', 'c@500'] });
    expect(stop?.reason).toMatch(
      /^latency-slo failed in 2 consecutive steps \(c@200 judged while running: 7 of its 600 .*; c@300 judged while running: 10 of its 900 /,
    );
    // Decided once.
    expect(w.afterStep(step('c@200', 200, slow(600)))).toBeNull();
  });

  it('does not count a live failure past a step still undecided', () => {
    const w = watch();
    for (const s of ['c@100', 'c@200', 'c@300']) w.onPhaseStart(s);
    sending.clear();
    // c@100 has no result yet and is not certainly failed: c@200 and c@300 failing live are not "after it".
    expect(w.liveStep(step('c@200', 200, slow(50)))).toBeNull();
    expect(w.liveStep(step('c@300', 300, slow(50)))).toBeNull();
    // Its result arrives failing: now three in a row.
    expect(w.afterStep(step('c@100', 100, slow(300)))).toMatchObject({ after: 'c@300', cutShort: [], notRun: ['c@400', 'c@500'] });
  });
});
