import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createHistogram, encodeHistogram, recordUs } from '@headroom/internal';
import { writePprof } from '@headroom/capture/profile';
import type { ReportRows } from '@headroom/store';
import { profile } from '../../test/pprof.ts';
import { buildReportData } from './build-report-data.ts';

const T0 = Date.parse('2026-12-01T10:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'headroom-build-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function hist(values: number[]): Uint8Array {
  const h = createHistogram();
  for (const v of values) recordUs(h, v);
  return encodeHistogram(h);
}

async function rows(): Promise<ReportRows> {
  const cpuPath = join(dir, 'steps.cpu.pb.gz');
  await writePprof(
    cpuPath,
    profile([
      [['main', 'handle', 'sort'], 30, 's1'],
      [['main', 'other'], 70],
    ]),
  );
  const step = (n: number, offered: number, p99: number) =>
    ({
      run_id: 'r',
      phase: `steps@${offered}`,
      parent: 'steps',
      ordinal: n,
      warmup: false,
      started_at: new Date(T0 + n * 1000),
      ended_at: new Date(T0 + n * 1000 + 999),
      offered_rate: offered,
      achieved_rate: offered * 0.99,
      requests: 100,
      errors: 0,
      p99_ms: p99,
      svc_p99_ms: p99 / 2,
      error_rate: 0,
      errors_by_kind: '{}',
      hist: hist([1000, 2000, 3000]),
      service_hist: hist([500, 1000]),
    }) as unknown as ReportRows['phases'][number];
  return {
    run: {
      id: 'r',
      kind: 'load',
      scenario: 'orders',
      status: 'completed',
      gates: null,
      started_at: new Date(T0),
      ended_at: new Date(T0 + 3000),
      config: JSON.stringify({ slo: { p99Ms: 50, errorRate: null }, expectedPeak: 150 }),
      pinning: '[]',
      warnings: '["w"]',
    } as unknown as ReportRows['run'],
    phases: [step(1, 100, 10), step(2, 200, 60)],
    series: [1, 2].map((n) => ({
      run_id: 'r',
      second: n,
      phase: `steps@${n * 100}`,
      requests: 100,
      errors_by_kind: '{}',
      sut_cpu: 0.2 * n,
      p50_ms: 1,
      p90_ms: 2,
      p99_ms: 3,
    })) as unknown as ReportRows['series'],
    gates: [],
    profiles: [
      { run_id: 'r', phase: 'steps@200', type: 'cpu', path: cpuPath, sample_type: 'cpu', unit: 'nanoseconds', total: 100 },
      { run_id: 'r', phase: 'steps@100', type: 'cpu', path: join(dir, 'deleted.pb.gz'), sample_type: 'cpu', unit: 'nanoseconds', total: 1 },
    ],
    benchReps: [],
    slowRequests: [
      {
        trace_id: 't1',
        span_id: 's1',
        phase: null,
        request: 'GET /x',
        latency_ms: 12,
        status: 200,
        error: null,
        started_at_ms: T0 + 2000,
        source: 'server',
      },
    ],
    spans: [
      {
        run_id: 'r',
        trace_id: 't1',
        span_id: 'S1',
        parent_span_id: null,
        name: 'GET',
        kind: 'server',
        service: 'orders',
        start_ms: T0 + 2000,
        duration_ms: 12,
        status_code: 'unset',
        attributes: '{}',
        source: 'otlp',
      },
    ],
    history: [],
    scripted: { requests: [], checks: [], flows: [] },
  };
}

describe('buildReportData', () => {
  it('turns step phases into capacity steps with the service CPU of their seconds and the SLO', async () => {
    const d = await buildReportData(await rows());
    expect(d.capacity!.steps.map((s) => [s.phase, s.offeredRate, s.p99, s.cpu])).toEqual([
      ['steps@100', 100, 10, 0.2],
      ['steps@200', 200, 60, 0.4],
    ]);
    expect(d.capacity!.sloP99).toBe(50);
    expect(d.capacity!.expectedPeak).toBe(150);
    expect(d.slo).toEqual({ p99: 50, errorRate: null });
  });

  it('marks a step the breakpoint search cut short, and leaves out one the run never finished', async () => {
    const r = await rows();
    const [first, second] = r.phases as unknown as Record<string, unknown>[];
    r.phases.push({
      ...second,
      phase: 'steps@300',
      offered_rate: 300,
      ordinal: 3,
      partial: true,
    } as unknown as ReportRows['phases'][number]);
    second!['cut_short'] = true;
    first!['cut_short'] = false;
    const d = await buildReportData(r);
    expect(d.capacity!.steps.map((s) => [s.phase, s.cutShort])).toEqual([
      ['steps@100', false],
      ['steps@200', true],
    ]);
  });

  it('decodes each phase’s corrected and service-time histograms into spectra', async () => {
    const d = await buildReportData(await rows());
    const s = d.spectra![0]!;
    expect(s.corrected!.count).toBe(3);
    expect(s.serviceTime!.count).toBe(2);
    expect(s.corrected!.ms[s.corrected!.ms.length - 1]).toBeCloseTo(3, 2);
  });

  it('draws the stored profiles, skips a missing artifact, and joins the slow request’s span to its CPU samples', async () => {
    const d = await buildReportData(await rows());
    expect(d.flameGraphs!.map((g) => g.id)).toEqual(['flame-0', 'flame-slow-requests']);
    const joined = d.flameGraphs![1]!;
    expect(joined.sum).toBe(30);
    expect(joined.name.map((k) => joined.names[k])).toEqual(['main', 'handle', 'sort']);
    expect(d.slowRequestsFlameId).toBe('flame-slow-requests');
    expect(d.slowRequests![0]!.phase).toBe('steps@200');
    expect(d.slowRequests![0]!.spans).toHaveLength(1);
    expect(d.slowRequests![0]).not.toHaveProperty('spanIds');
  });

  it('leaves out sections without data', async () => {
    const r = await rows();
    const d = await buildReportData({ ...r, phases: [], series: [], profiles: [], slowRequests: [], spans: [] });
    expect(Object.keys(d).sort()).toEqual(['format', 'generatedAt', 'run', 'slo', 'summary', 'warnings']);
  });
});
