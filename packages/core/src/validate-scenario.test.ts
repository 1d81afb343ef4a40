import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError } from './errors.ts';
import { validateScenario } from './validate-scenario.ts';
import { validateBench } from './bench.ts';

const base = {
  name: 'orders-api',
  target: 'http://127.0.0.1:3000',
  requests: [{ method: 'GET', path: '/orders' }],
  phases: [{ name: 'steady', duration: '30s', rate: 2000 }],
};

function issues(raw: unknown): { path: string; message: string; hint?: string }[] {
  try {
    validateScenario(raw, { file: 'x.ts', cpuCount: 2 });
  } catch (err) {
    if (err instanceof ValidationError) return [...err.issues];
    throw err;
  }
  return [];
}

describe('validateScenario', () => {
  it('resolves the DESIGN.md example: closed, open and step phases, units, defaults, thresholds', () => {
    const s = validateScenario(
      {
        ...base,
        service: {
          command: ['node', 'server.ts'],
          ready: 'http://127.0.0.1:3000/health',
          cpus: [0],
          capture: { cpu: true, traces: { sample: 0.01 } },
        },
        requests: [
          { method: 'GET', path: '/orders?limit=10' },
          { method: 'POST', path: '/orders', json: { sku: 'a1' }, weight: 2 },
        ],
        workers: { cpus: [1] },
        phases: [
          { name: 'warmup', duration: '5s', connections: 8 },
          { name: 'steady', duration: '30s', rate: 2000 },
          { name: 'steps', rate: { from: 500, to: 6000, step: 500 }, stepDuration: '10s' },
          { name: 'ramp', rate: { from: '1k', to: '3k' }, duration: '1m' },
        ],
        slo: { p99: '50ms', errorRate: '0.1%' },
        expectedPeak: 1500,
        thresholds: { 'steady.p99': '< 50ms', 'errors.rate': '< 0.1%', headroom: '>= 1.5', 'steps@1000.p99': '< 20ms' },
      },
      { file: 'x.ts', cpuCount: 2 },
    );
    expect(s.phases.map((p) => p.model)).toEqual(['closed', 'constant', 'steps', 'ramp']);
    expect(s.phases[0]).toMatchObject({ warmup: true, connections: 8, durationMs: 5000, thinkTimeMs: 0 });
    expect(s.phases[2]).toMatchObject({ from: 500, to: 6000, step: 500, stepDurationMs: 10_000, durationMs: 120_000 });
    expect(s.phases[3]).toMatchObject({ from: 1000, to: 3000, durationMs: 60_000 });
    expect(s.requests[1]).toMatchObject({
      body: '{"sku":"a1"}',
      headers: { 'content-type': 'application/json' },
      weight: 2,
      name: 'POST /orders',
    });
    expect(s.service?.capture).toEqual({ cpu: true, cpuProfiler: 'agent', heap: false, traces: { sample: 0.01 }, runtime: true });
    expect(s.service?.readyTimeoutMs).toBe(10_000);
    expect(s.timeoutMs).toBe(10_000);
    expect(s.slo).toEqual({ p50Ms: null, p95Ms: null, p99Ms: 50, errorRate: 0.001 });
    expect(s.thresholds.map((t) => [t.scope, t.metric, t.op, t.value])).toEqual([
      ['steady', 'p99', '<', 50],
      ['run', 'errorRate', '<', 0.001],
      ['run', 'headroom', '>=', 1.5],
      ['steps@1000', 'p99', '<', 20],
    ]);
  });

  it('reports every problem at once, each with its path and a hint', () => {
    const found = issues({
      name: 'bad name!',
      target: 'ftp://x',
      requests: [{ method: 'FETCH', path: 'orders' }],
      phases: [
        { name: 'a', duration: '30 sec', connections: 8 },
        { name: 'a', rate: { from: 100, to: 500, step: 0 }, stepDuration: '1s' },
        { name: 'c' },
      ],
      workers: { cpus: [7] },
      thresholds: { 'a.p99': '< 50 ms', 'a.bogus': '< 1' },
      extra: true,
    });
    const paths = found.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'name',
        'target',
        'requests[0].method',
        'requests[0].path',
        'phases[0].duration',
        'phases[1].name',
        'phases[1].rate.step',
        'phases[2]',
        'workers.cpus[0]',
        'thresholds["a.p99"]',
        'thresholds["a.bogus"]',
        'extra',
      ]),
    );
    expect(found.find((i) => i.path === 'phases[1].rate.step')?.message).toBe('must be > 0, got 0');
    expect(found.find((i) => i.path === 'workers.cpus[0]')?.message).toContain('CPU 7 does not exist');
    expect(found.find((i) => i.path === 'extra')?.hint).toContain('known fields');
    // Phase a has errors of its own: its threshold's bad expression is reported, not a false "no phase named".
    expect(found.filter((i) => i.path === 'thresholds["a.p99"]').map((i) => i.message)).not.toContainEqual(
      expect.stringContaining('no phase named'),
    );
    expect(found.find((i) => i.path === 'thresholds["a.p99"]')).toBeDefined();
  });
  it('takes outputs.prometheus.listen as host:port (IPv4, [IPv6], a name) and names a bad one or linger with its path', () => {
    const ok = (listen: string) =>
      validateScenario({ ...base, outputs: { prometheus: { listen, linger: '5s' } } }, { file: 'x.ts', cpuCount: 2 });
    expect(ok('127.0.0.1:9464').outputs.prometheus).toEqual({ host: '127.0.0.1', port: 9464, lingerMs: 5000 });
    expect(ok('[::1]:9464').outputs.prometheus).toEqual({ host: '::1', port: 9464, lingerMs: 5000 });
    expect(ok('localhost:1').outputs.prometheus?.host).toBe('localhost');
    expect(validateScenario(base, { file: 'x.ts', cpuCount: 2 }).outputs).toEqual({ prometheus: null, prometheusRemoteWrite: null });
    expect(issues({ ...base, outputs: { prometheusRemoteWrite: { url: 'ftp://x' } } }).map((i) => i.path)).toEqual([
      'outputs.prometheusRemoteWrite.url',
    ]);
    expect(issues({ ...base, outputs: { prometheus: { listen: '9464' } } }).map((i) => i.path)).toEqual(['outputs.prometheus.listen']);
    expect(issues({ ...base, outputs: { prometheus: { listen: '127.0.0.1:70000' } } }).map((i) => i.path)).toEqual([
      'outputs.prometheus.listen',
    ]);
    expect(issues({ ...base, outputs: { prometheus: { listen: '127.0.0.1:9464', linger: '1h' } } }).map((i) => i.path)).toEqual([
      'outputs.prometheus.linger',
    ]);
    expect(issues({ ...base, outputs: { grafana: {} } }).map((i) => i.path)).toEqual(['outputs.grafana']);
  });
  it('a threshold naming a phase with errors gets no "no phase named" on top; an unknown one lists every phase', () => {
    const found = issues({
      ...base,
      phases: [
        { name: 'warmup', duration: '2s', connections: 2 },
        { name: 'steady', duration: '30 sec', rate: 50 },
      ],
      thresholds: { 'steady.p99': '< 50ms', 'steady@1.p99': '< 50ms', 'stedy.p99': '< 50ms' },
    });
    expect(found.map((i) => i.path)).toEqual(['phases[1].duration', 'thresholds["stedy.p99"]']);
    expect(found[1]?.hint).toBe("phases: warmup, steady, or 'run' for the whole run");
  });

  it('resolves bench relative to the scenario file, and reports a missing or non-script bench file with its path', () => {
    const file = join(import.meta.dirname, '../../../scenarios/release-check.ts');
    const s = validateScenario({ ...base, bench: './quickstart.bench.ts' }, { file, cpuCount: 2 });
    expect(s.bench).toBe(join(import.meta.dirname, '../../../scenarios/quickstart.bench.ts'));
    expect(validateScenario(base, { file, cpuCount: 2 }).bench).toBeNull();
    expect(issues({ ...base, bench: './nope.bench.ts' })).toEqual([
      { path: 'bench', message: `${resolve('nope.bench.ts')} does not exist`, hint: 'the path is relative to the scenario file' },
    ]);
    expect(issues({ ...base, bench: 'bench.json' })[0]).toMatchObject({ path: 'bench', message: '"bench.json" is not a .ts or .js file' });
    expect(issues({ ...base, bench: 3 })[0]).toMatchObject({ path: 'bench' });
  });

  it('puts the generator on the CPUs the service does not use, by default', () => {
    const s = validateScenario(
      { ...base, service: { command: ['node', 's.ts'], ready: 'http://127.0.0.1:1/h', cpus: [0] } },
      { file: 'x.ts', cpuCount: 2 },
    );
    expect(s.workers).toEqual({ cpus: [1], count: 1, engine: 'headroom', idle: 'sleep', auto: { cpus: true, count: true } });
    // Without a service block: every CPU, marked as chosen by default so the runner may move them off a local target's CPUs.
    const bare = validateScenario({ ...base, workers: { count: 1 } }, { file: 'x.ts', cpuCount: 2 });
    expect(bare.workers).toEqual({ cpus: [0, 1], count: 1, engine: 'headroom', idle: 'sleep', auto: { cpus: true, count: false } });
  });

  it('refuses a headroom threshold without expectedPeak and thinkTime on an open phase', () => {
    const found = issues({
      ...base,
      phases: [{ name: 'steady', duration: '1s', rate: 10, thinkTime: '1ms' }],
      thresholds: { headroom: '>= 1.5' },
    });
    expect(found.map((i) => i.path)).toEqual(expect.arrayContaining(['phases[0].thinkTime', 'thresholds.headroom']));
  });

  it('refuses request splitting, header injection, timer overflow, zero timeouts, fd-limit and absurd connection counts, huge or sub-second step plans', () => {
    const raw = {
      ...base,
      timeout: '0s',
      requests: [
        { path: '/a\r\nHost: evil' },
        { path: '/b c' },
        { path: '/ok', headers: { 'X-A': 'v\r\nX-Injected: 1', 'Bad Name': 'x', 'X-Ok': 'tab\tis fine' } },
      ],
      phases: [
        { name: 'long', duration: '1000000h', rate: 10 },
        { name: 'conns', duration: '1s', connections: 5000 },
        { name: 'absurd', duration: '1s', connections: 10_000_000 },
        { name: 'many', rate: { from: 1, to: 5000, step: 1 }, stepDuration: '1s' },
        { name: 'short', rate: { from: 100, to: 200, step: 50 }, stepDuration: '500ms' },
      ],
    };
    let err: ValidationError | null = null;
    try {
      validateScenario(raw, { file: 'x.ts', cpuCount: 2, fdLimit: 1024 });
    } catch (e) {
      err = e as ValidationError;
    }
    const by = Object.fromEntries((err?.issues ?? []).map((i) => [i.path, i]));
    expect(by['timeout']?.message).toBe('must be at least 1ms, got 0s');
    expect(by['requests[0].path']?.message).toMatch(/control character/);
    expect(by['requests[1].path']?.hint).toMatch(/%20/);
    expect(by['requests[2].headers["X-A"]']?.message).toMatch(/CR\/LF would inject headers/);
    expect(by['requests[2].headers["Bad Name"]']?.message).toMatch(/not a valid header name/);
    expect(by['requests[2].headers["X-Ok"]']).toBeUndefined();
    expect(by['phases[0].duration']?.message).toMatch(/longer than timers can hold/);
    // One worker (2 CPUs, one for the service): 5000 connections need more than 1024 open files.
    expect(by['phases[1].connections']?.message).toMatch(/ulimit -n = 1024/);
    expect(by['phases[2].connections']?.message).toMatch(/more than 100000/);
    expect(by['phases[3].rate']?.message).toBe('makes 5000 steps, more than 1000');
    expect(by['phases[4].stepDuration']?.message).toBe('must be at least 1s, got 500ms');
    // Every problem at once, exit 2.
    expect(err?.exitCode).toBe(2);
    expect(err?.issues.length).toBe(10);
  });

  it('resolves traffic { peak, growth } for forecasts and reports a bad peak and growth with their paths', () => {
    const s = validateScenario({ ...base, traffic: { peak: '1.5k', growth: '4%/month' } }, { file: 'x.ts', cpuCount: 2 });
    expect(s.traffic).toEqual({ peak: 1500, growth: '4%/month' });
    expect(validateScenario(base, { file: 'x.ts', cpuCount: 2 }).traffic).toBeNull();
    const bad = issues({ ...base, traffic: { peak: 0, growth: '4% a month', burst: 2 } });
    expect(bad.map((i) => i.path).sort()).toEqual(['traffic.burst', 'traffic.growth', 'traffic.peak']);
    expect(bad.find((i) => i.path === 'traffic.growth')?.hint).toContain("'4%/month'");
    expect(issues({ ...base, traffic: { peak: 100, growth: '-100%/year' } }).map((i) => i.path)).toEqual(['traffic.growth']);
  });

  it('takes a CPU sampling rate and a heap sampling interval, and names a bad one with its path', () => {
    const svc = (capture: unknown) => ({ ...base, service: { command: ['node', 's.ts'], ready: 'http://127.0.0.1:3000/health', capture } });
    const s = validateScenario(svc({ cpu: { hz: 19 }, heap: { intervalBytes: 1 << 20 } }), { file: 'x.ts', cpuCount: 2 });
    expect(s.service?.capture).toEqual({
      cpu: true,
      cpuHz: 19,
      cpuProfiler: 'agent',
      heap: true,
      heapIntervalBytes: 1 << 20,
      traces: null,
      runtime: true,
    });
    // `{}` switches the profile on at the default setting, which capture resolves.
    expect(validateScenario(svc({ cpu: {} }), { file: 'x.ts', cpuCount: 2 }).service?.capture).toEqual({
      cpu: true,
      cpuProfiler: 'agent',
      heap: false,
      traces: null,
      runtime: true,
    });
    const bad = issues(svc({ cpu: { hz: 0 }, heap: { intervalBytes: 12.5, depth: 3 } }));
    expect(bad.map((i) => i.path).sort()).toEqual([
      'service.capture.cpu.hz',
      'service.capture.heap.depth',
      'service.capture.heap.intervalBytes',
    ]);
  });

  it("takes profiler 'perf' for the CPU profile, and names an unknown profiler with its path and the choices", () => {
    const svc = (capture: unknown) => ({ ...base, service: { command: ['nginx'], ready: 'http://127.0.0.1:3000/health', capture } });
    const s = validateScenario(svc({ cpu: { profiler: 'perf', hz: 99 } }), { file: 'x.ts', cpuCount: 2 });
    expect(s.service?.capture).toMatchObject({ cpu: true, cpuHz: 99, cpuProfiler: 'perf' });
    expect(
      validateScenario(svc({ cpu: { profiler: 'perf', callGraph: 'dwarf' } }), { file: 'x.ts', cpuCount: 2 }).service?.capture,
    ).toMatchObject({
      cpuProfiler: 'perf',
      cpuCallGraph: 'dwarf',
    });
    // callGraph is perf's: with the agent it is an error, as is an unknown walk.
    expect(issues(svc({ cpu: { callGraph: 'fp' } })).map((i) => i.hint)).toEqual(["add profiler: 'perf', or drop callGraph"]);
    expect(issues(svc({ cpu: { profiler: 'perf', callGraph: 'lbr' } })).map((i) => i.path)).toEqual(['service.capture.cpu.callGraph']);
    const bad = issues(svc({ cpu: { profiler: 'ebpf', hz: 0 } }));
    expect(bad.map((i) => i.path).sort()).toEqual(['service.capture.cpu.hz', 'service.capture.cpu.profiler']);
    const unknown = bad.find((i) => i.path === 'service.capture.cpu.profiler');
    expect(unknown?.message).toContain('"ebpf"');
    expect(unknown?.hint).toContain("'perf'");
  });
});

describe('a bench file and a scenario told apart', () => {
  const issuesOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      return (e as ValidationError).issues;
    }
    throw new Error('expected a ValidationError');
  };

  it('a bench file given to run is one problem naming the command that runs it', () => {
    expect(issuesOf(() => validateScenario({ name: 'b', tasks: { x: () => 1 } }, { file: 'b.bench.ts', cpuCount: 2 }))).toEqual([
      { path: '(file)', message: 'is a bench file (it has tasks), not a load scenario', hint: 'run it with: headroom bench b.bench.ts' },
    ]);
  });

  it('a scenario given to bench likewise', () => {
    const scenario = {
      name: 's',
      target: 'http://127.0.0.1:1',
      requests: [{ path: '/' }],
      phases: [{ name: 'p', duration: '1s', rate: 1 }],
    };
    expect(issuesOf(() => validateBench(scenario, { file: 'cap.ts', cpuCount: 2 }))).toEqual([
      {
        path: '(file)',
        message: 'is a load scenario (it has phases or requests), not a bench file',
        hint: 'run it with: headroom run cap.ts',
      },
    ]);
  });
});
