import { describe, expect, it } from 'vitest';
import { createHistogram, encodeHistogram, recordUs, summarize } from '@headroom/internal';
import type { MeasuredRows, Row } from '@headroom/store';
import { mergePhases } from './merge-phases.ts';
import { mergeSeries } from './merge-series.ts';

/** An encoded histogram of these latencies (µs). */
function hist(values: readonly number[]): Uint8Array {
  const h = createHistogram();
  for (const v of values) recordUs(h, v);
  return encodeHistogram(h);
}

function summaryOf(values: readonly number[]) {
  const h = createHistogram();
  for (const v of values) recordUs(h, v);
  return summarize(h);
}

/** A stored phase row of one segment, as the store sink writes it (only what the merge reads). */
function phase(name: string, values: number[], o: Partial<Row<'phases'>> = {}): Row<'phases'> {
  return {
    run_id: 'seg',
    phase: name,
    parent: name,
    ordinal: 0,
    model: 'open',
    warmup: false,
    started_at: new Date(1_700_000_000_000),
    ended_at: new Date(1_700_000_010_000),
    duration_s: 10,
    offered_rate: 100,
    achieved_rate: values.length / 10,
    requests: values.length,
    ok: values.length,
    errors: 0,
    errors_by_kind: '{}',
    late_sends: 1,
    max_lag_ms: 2,
    hist: hist(values),
    service_hist: hist(values.map((v) => v / 2)),
    failed_hist: null,
    gen_late_sends: 0,
    queued_sends: 0,
    max_queue_ms: 0,
    gen_cpu: 0.3,
    gen_limited: false,
    concurrency: 1,
    cpu_util: null,
    cpu_s: null,
    cpu_per_request_us: null,
    cut_short: false,
    partial: false,
    ...o,
  } as Row<'phases'>;
}

function rows(phases: Row<'phases'>[], extra: Partial<MeasuredRows> = {}): MeasuredRows {
  return { phases, series: [], requests: [], checks: [], flows: [], traceSamples: [], spans: [], ...extra };
}

// Deterministic spread of latencies: a long tail so p99 and p99.9 fall on different buckets.
const spread = (n: number, seed: number) =>
  Array.from({ length: n }, (_, i) => 200 + ((i * 7919 + seed * 104729) % 5000) + (i % 97 === 0 ? 80_000 : 0));

describe('mergePhases', () => {
  it("gives the percentiles of ONE histogram of every segment's values (exact), counts and error kinds summed", () => {
    const a = spread(3000, 1);
    const b = spread(1700, 2);
    const c = [...spread(500, 3), 900_000];
    const merged = mergePhases(
      [
        rows([phase('steady', a, { errors: 3, ok: a.length - 3, errors_by_kind: '{"http_5xx":2,"timeout":1}', max_lag_ms: 4.5 })]),
        rows([phase('steady', b, { errors: 1, ok: b.length - 1, errors_by_kind: '{"http_5xx":1}', gen_cpu: 0.95, gen_limited: true })]),
        rows([phase('steady', c, { errors: 2, ok: c.length - 2, errors_by_kind: '{"reset":2}', duration_s: 10.4 })]),
      ],
      ['0/3', '1/3', '2/3'],
    );
    expect(merged).toHaveLength(1);
    const r = merged[0]!.result;
    const all = [...a, ...b, ...c];
    expect(r.latency).toEqual(summaryOf(all));
    expect(r.service).toEqual(summaryOf(all.map((v) => v / 2)));
    expect(r.counts.requests).toBe(all.length);
    expect(r.counts.ok).toBe(all.length - 6);
    expect(r.errors).toBe(6);
    expect(r.errorRate).toBeCloseTo(6 / all.length, 12);
    expect(r.counts.errors).toEqual({ http_5xx: 3, timeout: 1, reset: 2 });
    expect(r.counts.lateSends).toBe(3);
    expect(r.counts.maxLagUs).toBe(4500);
    // Rates are the segments' shares added; the phase lasted as long as its longest segment.
    expect(r.offeredRate).toBe(300);
    expect(r.achievedRate).toBeCloseTo(all.length / 10, 9);
    expect(r.durationS).toBe(10.4);
    expect(r.concurrency).toBe(3);
    expect(r.generator).toEqual({ limited: true, cpu: 0.95, reason: null });
    expect(merged[0]!.meta).toEqual({ model: 'open', warmup: false });
  });

  it('keeps the service CPU only where exactly one segment measured it; partial and cut short if any segment was', () => {
    const one = mergePhases(
      [rows([phase('s', [100], { cpu_util: 0.5, cpu_s: 5, cpu_per_request_us: 50 })]), rows([phase('s', [200], { cut_short: true })])],
      ['0/2', '1/2'],
    )[0]!.result;
    expect(one.serviceCpu).toEqual({ seconds: 5, util: 0.5, perRequestUs: 50 });
    expect(one.cutShort).toBe(true);
    const two = mergePhases(
      [rows([phase('s', [100], { cpu_util: 0.5, cpu_s: 5 })]), rows([phase('s', [200], { cpu_util: 0.6, cpu_s: 6, partial: true })])],
      ['0/2', '1/2'],
    )[0]!.result;
    expect(two.serviceCpu).toBeNull();
    expect(two.partial).toBe(true);
    expect(two.names).toBeUndefined();
  });

  it('merges per-name histograms exactly, sums checks and flows, and keeps the first flow messages up to the cap', () => {
    const named = (run: string, values: number[]): Row<'phase_requests'> =>
      ({
        run_id: run,
        phase: 's',
        name: 'GET /a',
        requests: values.length,
        ok: values.length - 1,
        errors: 1,
        errors_by_kind: '{"http_4xx":1}',
        hist: hist(values),
        service_hist: hist(values),
      }) as Row<'phase_requests'>;
    const flow = (messages: string[]): Row<'phase_flows'> =>
      ({
        run_id: 'x',
        phase: 's',
        flow: 'checkout',
        iterations: 10,
        failed: messages.length,
        dropped: 1,
        hist: hist([1000, 2000]),
        messages: JSON.stringify(messages.map((message) => ({ message, count: 1 }))),
      }) as Row<'phase_flows'>;
    const a = spread(400, 5);
    const b = spread(300, 6);
    const [m] = mergePhases(
      [
        rows([phase('s', a)], {
          requests: [named('a', a)],
          checks: [{ run_id: 'a', phase: 's', name: 'ok', passes: 8, fails: 2, rate: 0.8 }],
          flows: [flow(['e1', 'e2', 'e3', 'e4'])],
        }),
        rows([phase('s', b)], {
          requests: [named('b', b)],
          checks: [{ run_id: 'b', phase: 's', name: 'ok', passes: 5, fails: 5, rate: 0.5 }],
          flows: [flow(['e4', 'e5', 'e6'])],
        }),
      ],
      ['0/2', '1/2'],
    );
    const n = m!.result.names![0]!;
    expect(n).toMatchObject({ name: 'GET /a', requests: 700, ok: 698, errors: { http_4xx: 2 } });
    expect(n.latency).toEqual(summaryOf([...a, ...b]));
    expect(m!.result.checks).toEqual([{ name: 'ok', passes: 13, fails: 7 }]);
    const f = m!.result.flows![0]!;
    expect(f).toMatchObject({ name: 'checkout', iterations: 20, failed: 7, dropped: 2 });
    expect(f.duration).toEqual(summaryOf([1000, 2000, 1000, 2000]));
    expect(f.messages.map((x) => x.message)).toEqual(['e1', 'e2', 'e3', 'e4', 'e5']);
    expect(f.messages.find((x) => x.message === 'e4')?.count).toBe(2);
  });

  it('refuses segments whose phases differ, naming the segment and the phases', () => {
    expect(() => mergePhases([rows([phase('a', [1]), phase('b', [1])]), rows([phase('a', [1])])], ['0/2', '1/2'])).toThrow(
      expect.objectContaining({
        code: 'E_SEGMENT_MISMATCH',
        message: expect.stringMatching(/^segment 1\/2 lacks b \(of segment 0\/2's phases\), though it completed/),
      }),
    );
    expect(() =>
      mergePhases([rows([phase('a', [1]), phase('b', [1])]), rows([phase('a', [1]), phase('c', [1])])], ['0/2', '1/2'], [false, true]),
    ).toThrow(
      expect.objectContaining({ code: 'E_SEGMENT_MISMATCH', message: expect.stringMatching(/^segment 1\/2 lacks b and has c besides/) }),
    );
  });

  it('merges a segment that stopped early: the phases it lacks come from the others, marked partial', () => {
    // Segment 1 was interrupted during phase a: it has a (ended early, as an interrupted run stores it) and no b.
    const merged = mergePhases(
      [rows([phase('a', [1000, 2000]), phase('b', [3000])]), rows([phase('a', [1500])])],
      ['0/2', '1/2'],
      [false, true],
    );
    expect(merged.map((m) => [m.result.phase, m.result.counts.requests, m.result.partial])).toEqual([
      ['a', 3, true],
      ['b', 1, true],
    ]);
  });
});

describe('mergeSeries', () => {
  it('adds each second across segments: counts summed, p99 of the merged histogram, generator worst, service only from one', () => {
    const second = (k: number, values: number[], o: Partial<Row<'series'>> = {}): Row<'series'> =>
      ({
        run_id: 'x',
        second: k,
        phase: 'steady',
        requests: values.length,
        ok: values.length,
        errors: 0,
        errors_by_kind: '{}',
        late_sends: 0,
        queued_sends: 0,
        concurrency: 1,
        gen_cpu: 0.2,
        gen_wake_delay_us: null,
        sut_cpu: null,
        proc_cpu: null,
        hist: hist(values),
        ...o,
      }) as Row<'series'>;
    const a = spread(200, 1);
    const b = spread(100, 2);
    const merged = mergeSeries('m', [
      [second(0, a, { sut_cpu: 0.4, errors: 1, errors_by_kind: '{"timeout":1}' }), second(1, [10])],
      [second(0, b, { gen_cpu: 0.7, proc_cpu: 0.3, errors: 2, errors_by_kind: '{"timeout":2}' })],
    ]);
    expect(merged.map((r) => r.second)).toEqual([0, 1]);
    const s0 = merged[0]!;
    const all = summaryOf([...a, ...b]);
    expect(s0).toMatchObject({ run_id: 'm', requests: 300, errors: 3, gen_cpu: 0.7, sut_cpu: 0.4, proc_cpu: 0.3, concurrency: 2 });
    expect(JSON.parse(s0.errors_by_kind as string)).toEqual({ timeout: 3 });
    expect([s0.p50_ms, s0.p90_ms, s0.p99_ms, s0.max_ms]).toEqual([all.p50Ms, all.p90Ms, all.p99Ms, all.maxMs]);
    expect(merged[1]).toMatchObject({ requests: 1, sut_cpu: null });
  });
});
