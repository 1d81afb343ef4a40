import { describe, expect, it } from 'vitest';
import { createHistogram, decodeHistogram, mergeEncoded, recordUs } from '@headroom/internal';
import { Recorder } from './recorder.ts';

describe('histograms across the process boundary', () => {
  it('merging encoded per-worker, per-second histograms equals one histogram fed every value', () => {
    // Deterministic pseudo-random latencies spanning µs to seconds (LCG from Numerical Recipes).
    let x = 12345;
    const rnd = () => (x = (x * 1664525 + 1013904223) >>> 0) / 2 ** 32;
    const reference = createHistogram();
    const merged = createHistogram();
    for (let worker = 0; worker < 3; worker++) {
      const rec = new Recorder();
      const perWorker = createHistogram();
      for (let second = 0; second < 4; second++) {
        for (let k = 0; k < 5000; k++) {
          const us = Math.exp(rnd() * Math.log(5e6)); // log-uniform 1µs..5s
          recordUs(reference, us);
          recordUs(perWorker, us);
          rec.response(0, 0, us / 1000, 200, 10);
        }
        const tick = rec.closeSecond();
        mergeEncoded(merged, tick.hist);
      }
      // The phase total carried by phase-end is the exact sum of its seconds.
      const total = decodeHistogram(rec.total.encoded().hist);
      expect(total.totalCount).toBe(20000);
      for (const p of [0, 50, 99, 99.99, 100]) expect(total.getValueAtPercentile(p)).toBe(perWorker.getValueAtPercentile(p));
    }
    expect(merged.totalCount).toBe(reference.totalCount);
    for (const p of [0, 1, 10, 50, 90, 99, 99.9, 99.99, 100])
      expect(merged.getValueAtPercentile(p)).toBe(reference.getValueAtPercentile(p));
    expect(merged.mean).toBe(reference.mean);
    // maxValue itself differs in the last digits: a decoded histogram only knows buckets, not the exact max recorded.
    expect(merged.maxValue).toBe(reference.getValueAtPercentile(100));
  });

  it('counts outcomes by kind and late sends', () => {
    const rec = new Recorder();
    rec.response(0, 0, 1, 200, 5);
    rec.response(0, 0, 1, 404, 5);
    rec.response(0, 0, 1, 503, 5);
    rec.response(0, 0, 1, 302, 5);
    rec.failure('refused');
    rec.sent(0.5);
    rec.sent(1.5); // late, but within twice the timer resolution
    rec.sent(2.5);
    const c = rec.closeSecond();
    expect(c).toMatchObject({ requests: 5, ok: 1, lateSends: 2, maxLagUs: 2500, bytesRead: 20 });
    expect(rec.total.lateBeyondResolution).toBe(1);
    expect(c.errors).toEqual({ http_3xx: 1, http_4xx: 1, http_5xx: 1, refused: 1 });
  });

  it('keeps the time to failure of requests without a response apart, and sends none when nothing failed', () => {
    const rec = new Recorder();
    rec.response(0, 0, 1, 200, 5);
    expect(rec.closeSecond().failedHist).toBeUndefined();
    rec.failure('timeout', 2000);
    rec.failure('reset', 3);
    const c = rec.closeSecond();
    const failed = decodeHistogram(c.failedHist as Uint8Array);
    expect(failed.totalCount).toBe(2);
    expect(failed.maxValue).toBeGreaterThanOrEqual(1_999_000);
    // The latency histogram holds only the response.
    expect(decodeHistogram(c.hist).totalCount).toBe(0);
    const total = rec.total;
    expect(total.failedHist?.totalCount).toBe(2);
    expect(total.hist.totalCount).toBe(1);
  });

  it('reports the median wake-up delay of each second in µs, and null for a second without precise wakes', () => {
    const rec = new Recorder();
    for (const ms of [0.01, 0.02, 0.03, 0.5, 0.015]) rec.wakeDelay(ms);
    expect(rec.closeSecond().wakeDelayUs).toBe(20); // median of 10, 15, 20, 30, 500 µs
    expect(rec.closeSecond().wakeDelayUs).toBeNull();
  });
});
