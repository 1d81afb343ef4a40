/**
 * A small ReportData with every section filled, for tests that need no store: numbers are
 * made up but consistent (the USL curve uses R `usl`'s toy parameters σ = κ = 0.02, λ = 1).
 */
import type { ReportData } from '../src/index.ts';

export function fullReportData(scenario = 'orders-api'): ReportData {
  const seconds = Array.from({ length: 20 }, (_, i) => i);
  const bands = [
    { phase: 'warmup', from: 0, to: 5 },
    { phase: 'steady', from: 5, to: 20 },
  ];
  const lat = { p50: 1.2, p90: 3.4, p99: 9.9, p999: 20, max: 31 };
  return {
    format: 1,
    generatedAt: '2026-12-02T00:00:00.000Z',
    summary: `${scenario} completed and passed its 1 gate.`,
    run: {
      id: '20261202-000000-abcd',
      kind: 'load',
      scenario,
      status: 'completed',
      gates: 'passed',
      startedAt: '2026-12-02T00:00:00.000Z',
      endedAt: '2026-12-02T00:00:20.000Z',
      durationS: 20,
      gitSha: 'a1b2c3d4e5f6a7b8',
      gitDirty: false,
      version: '0.1.0',
      host: 'vm',
      cpuModel: 'AMD EPYC',
      cpuCount: 2,
      nodeVersion: 'v24.21.0',
      serviceCpus: [0],
      workerCpus: [1],
      error: null,
    },
    slo: { p99: 50, errorRate: 0.001 },
    pinning: [{ role: 'service', pid: 10, requested: [0], allowed: [0], verified: true }],
    warnings: ['the generator fell behind'],
    gates: [{ key: 'steady.p99', expression: '< 50ms', value: 9.9, threshold: 50, passed: true, reason: null }],
    phases: [
      {
        name: 'steady',
        parent: 'steady',
        model: 'open',
        warmup: false,
        durationS: 15,
        offeredRate: 1000,
        achievedRate: 999,
        requests: 15000,
        errors: 3,
        errorRate: 0.0002,
        errorsByKind: { timeout: 3 },
        lateSends: 4,
        latency: lat,
        serviceTime: { ...lat, p99: 5 },
      },
    ],
    scripted: [
      {
        phase: 'steady',
        parent: 'steady',
        requestsByName: [
          {
            name: 'list',
            requests: 12000,
            errors: 0,
            errorsByKind: {},
            latencyMs: { p50: 0.8, p90: 3, p99: 9.5, max: 30 },
            serviceTimeMs: { p50: 0.75, p99: 5 },
          },
          {
            name: 'POST /orders',
            requests: 3000,
            errors: 3,
            errorsByKind: { timeout: 3 },
            latencyMs: { p50: 2, p90: 4, p99: 12, max: 31 },
            serviceTimeMs: { p50: 1.5, p99: 6 },
          },
        ],
        checks: [
          { name: 'status 200', passes: 14997, fails: 3 },
          { name: 'has id', passes: 3000, fails: 0 },
        ],
        flows: [
          { name: 'browse', iterations: 12000, failed: 0, dropped: 0, durationMs: { p50: 0.9, p99: 9.8, max: 30 }, messages: [] },
          {
            name: 'checkout',
            iterations: 3000,
            failed: 9,
            dropped: 25,
            durationMs: { p50: 4.5, p99: 14, max: 120.4 },
            // Kept in the order they first occurred; 2 failed iterations had messages past the kept ones.
            messages: [
              { message: 'TypeError: cannot read token', count: 2 },
              { message: `checkout answered ${scenario}`, count: 5 },
            ],
          },
        ],
      },
    ],
    red: {
      seconds,
      requests: seconds.map(() => 1000),
      errorsByKind: { timeout: seconds.map((s) => (s === 7 ? 3 : 0)) },
      p50: seconds.map(() => 1.2),
      p90: seconds.map(() => 3.4),
      p99: seconds.map((s) => (s === 0 ? null : 9.9)),
      bands,
    },
    spectra: [
      {
        phase: 'steady',
        corrected: { x: [1, 10, 100], ms: [0.5, 3.4, 9.9], count: 15000 },
        serviceTime: { x: [1, 10, 100], ms: [0.5, 3, 5], count: 15000 },
      },
    ],
    capacity: {
      steps: [1, 2, 4, 6, 8, 10].map((n, i) => ({
        phase: `steps-${i + 1}`,
        offeredRate: 1000 * (i + 1),
        concurrency: n,
        achievedRate: [1, 1.8868, 3.0769, 3.5294, 3.5398, 3.3557][i]! * 1000,
        p99: 5 * (i + 1) ** 1.5,
        serviceP99: 4 * (i + 1),
        errorRate: 0,
        cpu: 0.15 * (i + 1),
      })),
      sloP99: 50,
      capacity: { rate: 4200, bracket: [4000, 5000], limitedBy: 'latency SLO' },
      cpuBudget: 0.6,
      cpuBudgetCapacity: 4000,
      usl: { sigma: 0.02, kappa: 0.02, lambda: 1000, r2: 0.999, peakConcurrency: 7, peakThroughput: 3540 },
      expectedPeak: 3000,
      headroom: 1.33,
    },
    resources: {
      seconds,
      cpu: seconds.map(() => 0.4),
      rssMb: seconds.map((s) => 100 + s),
      heapMb: seconds.map(() => 30),
      elu: seconds.map(() => 0.5),
      eventLoopDelayP99Ms: seconds.map(() => 12),
      gcMs: seconds.map(() => 3),
      bands,
    },
    trend: {
      metric: 'headroom',
      unit: '×',
      points: [0, 1, 2, 3, 4].map((i) => ({
        runId: `r${i}`,
        time: `2026-11-0${i + 1}T00:00:00.000Z`,
        sha: `abc${i}`,
        value: 1.6 - i * 0.05,
      })),
      changePoints: [{ index: 2, changePct: -6.2 }],
      forecast: { time: ['2026-11-10T00:00:00.000Z', '2026-11-20T00:00:00.000Z'], value: [1.3, 1.2], low: [1.2, 1.05], high: [1.4, 1.35] },
      budget: 1.3,
      summary: 'Capacity headroom went from 1.60x to 1.40x; at the current trend it falls below the 1.3x budget on 2026-11-10.',
    },
    flameGraphs: [
      {
        id: 'flame-0',
        title: 'steady vs base',
        phase: 'steady',
        type: 'cpu',
        unit: 'nanoseconds',
        names: ['main', 'handle', 'sort'],
        files: ['/app/main.ts:1', '/app/handle.ts:2', '/app/sort.ts:3'],
        name: [0, 1, 2],
        depth: [0, 1, 2],
        total: [100, 80, 50],
        self: [20, 30, 50],
        sum: 100,
        baseline: { total: [100, 60, 20], self: [40, 40, 20], sum: 100, runId: 'base' },
      },
    ],
    slowRequests: [
      {
        traceId: 'abc',
        phase: 'steady',
        request: 'GET /orders',
        latencyMs: 30,
        status: 200,
        error: null,
        source: 'generator',
        spans: [
          {
            name: 'GET',
            kind: 'server',
            service: 'orders',
            depth: 0,
            offsetMs: 10,
            durationMs: 20,
            error: false,
            detail: 'url.path=/orders',
          },
        ],
      },
    ],
    bench: [
      {
        task: 'parse | json',
        repetitions: 10,
        medianNs: 1234,
        ci: { low: 1200, high: 1300, confidence: 0.95 },
        note: null,
        baseline: { medianNs: 1000, deltaPct: 23.4, p: 0.001, significant: true },
      },
    ],
  };
}
