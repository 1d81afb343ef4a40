import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { resolveAllowedCpus } from './allowed-cpus.ts';
import { Checker, join } from './checker.ts';
import { ValidationError } from './errors.ts';
import type { Arrivals, Capture, CpuProfiler, PerfCallGraph, Scenario, Service } from './scenario.ts';
import { subPhases } from './scenario.ts';
import { checkBudgets } from './validate-budgets.ts';
import { checkArrivals, checkPhases, PHASE_DEFAULTS } from './validate-phases.ts';
import { checkLimits, openFileLimit, timerDuration } from './validate-limits.ts';
import { checkThresholds } from './threshold.ts';
import { checkHttpUrl, checkTarget } from './validate-target.ts';
import { checkRequests } from './validate-requests.ts';
import { checkData, checkFlows } from './validate-scripting.ts';

const SCENARIO_KEYS = [
  'name',
  'service',
  'target',
  'requests',
  'flows',
  'data',
  'workers',
  'phases',
  'timeout',
  'slo',
  'expectedPeak',
  'traffic',
  'thresholds',
  'trace',
  'redact',
  'arrivals',
  'seed',
  'budgets',
  'bench',
  'outputs',
];

/** Defaults applied when a scenario leaves a field out; README documents each. */
export const SCENARIO_DEFAULTS = {
  readyTimeout: '10s',
  stopTimeout: '5s',
  timeout: '10s',
  openConnections: PHASE_DEFAULTS.openConnections,
  serviceCpus: [0],
  /** Fraction of requests the service traces on its own; requests the generator sends with traceparent are always traced. */
  traceSample: 0.01,
  /** The in-process agent; `perf` is asked for by name. */
  cpuProfiler: 'agent',
} as const;

const CPU_PROFILERS = ['agent', 'perf'] as const;

export interface ValidateScenarioOptions {
  /** Path of the scenario file, for messages and to resolve `service.cwd`. */
  file: string;
  /** The CPUs CPU sets may name and their defaults come from. @default this process's affinity (allowed-cpus.ts) */
  cpus?: readonly number[];
  /** Shorthand for `cpus` 0 … cpuCount − 1 (tests, and callers that know only a count). */
  cpuCount?: number;
  /** Open files a process may have (`ulimit -n`). @default the soft limit from /proc/self/limits, else 1024 */
  fdLimit?: number;
}

/** Validates a scenario's default export and resolves it; throws ValidationError listing every problem. */
export function validateScenario(raw: unknown, options: ValidateScenarioOptions): Scenario {
  const c = new Checker();
  const allowed = resolveAllowedCpus(options);
  const o = c.object(raw, '') ?? {};
  // A bench file given to run: one problem that says so, not a list of its unknown fields.
  if (o['tasks'] !== undefined && o['phases'] === undefined && o['requests'] === undefined)
    throw new ValidationError(options.file, [
      {
        path: '(file)',
        message: 'is a bench file (it has tasks), not a load scenario',
        hint: `run it with: headroom bench ${options.file}`,
      },
    ]);
  c.known(o, '', SCENARIO_KEYS);
  const name = c.string(o['name'], 'name');
  if (name !== undefined && !/^[\w.-]+$/.test(name))
    c.add('name', `"${name}" has characters other than letters, digits, _ . -`, 'use a name like "orders-api"');
  const service = o['service'] === undefined ? null : checkService(c, o['service'], options.file, allowed);
  const { url: target, tls } = checkTarget(c, o['target'], options.file);
  const flows = checkFlows(c, o['flows']);
  const requests = checkRequests(c, o['requests'], flows.length === 0 && o['flows'] === undefined);
  if (o['flows'] !== undefined && o['requests'] !== undefined)
    c.add('requests', 'a scenario has requests or flows, not both', 'make the requests a flow, or drop flows');
  const data = checkData(c, o['data'], options.file);
  const workers = checkWorkers(c, o['workers'], service?.cpus ?? [], allowed);
  const slo = checkSlo(c, o['slo']);
  const seed =
    o['seed'] === undefined
      ? PHASE_DEFAULTS.seed
      : (c.number(o['seed'], 'seed', { integer: true, min: 0, max: Number.MAX_SAFE_INTEGER }) ?? PHASE_DEFAULTS.seed);
  const arrivals: Arrivals = checkArrivals(c, o['arrivals'], 'arrivals', { kind: PHASE_DEFAULTS.arrivals, seed });
  const phases = checkPhases(c, o['phases'], { arrivals, hasSlo: slo.p99Ms !== null || slo.errorRate !== null });
  const timeoutMs = timerDuration(c, o['timeout'] ?? SCENARIO_DEFAULTS.timeout, 'timeout', 1);
  checkLimits(c, phases, o['phases'], workers.count, options.fdLimit ?? openFileLimit());
  const expectedPeak = o['expectedPeak'] === undefined ? null : c.count(o['expectedPeak'], 'expectedPeak', { exclusiveMin: 0 });
  const traffic = checkTraffic(c, o['traffic']);
  const budgets = checkBudgets(c, o['budgets'], expectedPeak !== undefined && expectedPeak !== null);
  const scopes = new Set<string>();
  for (const p of phases) {
    scopes.add(p.name);
    for (const s of subPhases(p)) scopes.add(s.name);
  }
  const scripted = flows.length > 0 || data.length > 0 || requests.some((r) => r.dynamic === true || (r.checks?.length ?? 0) > 0);
  if (scripted && workers.engine === 'autocannon')
    c.add(
      'workers.engine',
      'the autocannon engine cannot run flows, data, checks or dynamic requests',
      "use workers.engine 'headroom' (the default)",
    );
  if (
    workers.engine === 'autocannon' &&
    phases.some((p) => (p.model === 'constant' || p.model === 'steps') && p.arrivals?.kind === 'poisson')
  ) {
    c.add(
      'arrivals',
      'the autocannon engine cannot send Poisson arrivals',
      "use workers.engine 'headroom' (the default) or arrivals 'even'",
    );
  }
  if (tls !== null && workers.engine === 'autocannon')
    c.add(
      'workers.engine',
      'the autocannon engine does not take target.tls here',
      "use workers.engine 'headroom' (the default) for https:// targets",
    );
  // A phase with errors of its own is already reported: thresholds naming it (or its steps) are not "no phase named" too.
  const invalid = new Set<string>();
  if (Array.isArray(o['phases']))
    for (const raw of o['phases'] as unknown[]) {
      const name = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>)['name'] : undefined;
      if (typeof name === 'string' && !scopes.has(name)) invalid.add(name);
    }
  const thresholds = checkThresholds(c, o['thresholds'], 'thresholds', scopes, invalid);
  if (thresholds.some((t) => t.metric === 'headroom') && expectedPeak === null)
    c.add('thresholds.headroom', 'needs expectedPeak', 'set expectedPeak: <req/s in production>');
  const trace = checkTrace(c, o['trace']);
  const bench = checkBench(c, o['bench'], options.file);
  const redact = checkRedact(c, o['redact']);
  const outputs = checkOutputs(c, o['outputs']);

  if (c.issues.length > 0) throw new ValidationError(options.file, c.issues);
  return {
    name: name as string,
    file: resolve(options.file),
    service,
    target: target as string,
    tls,
    requests,
    flows,
    data,
    scripted,
    seed,
    workers,
    phases,
    timeoutMs: timeoutMs as number,
    slo,
    expectedPeak: expectedPeak ?? null,
    traffic,
    budgets,
    bench,
    thresholds,
    trace,
    redact,
    outputs,
  };
}

/** `outputs.prometheus.listen`: a host (IPv4, [IPv6] or a name) and a port, like Prometheus' own --web.listen-address. */
function checkOutputs(c: Checker, raw: unknown): Scenario['outputs'] {
  const o = c.object(raw, 'outputs', false);
  if (!o) return { prometheus: null, prometheusRemoteWrite: null };
  c.known(o, 'outputs', ['prometheus', 'prometheusRemoteWrite']);
  return { prometheus: checkPrometheus(c, o['prometheus']), prometheusRemoteWrite: checkRemoteWrite(c, o['prometheusRemoteWrite']) };
}

function checkPrometheus(c: Checker, raw: unknown): Scenario['outputs']['prometheus'] {
  const p = c.object(raw, 'outputs.prometheus', false);
  if (!p) return null;
  c.known(p, 'outputs.prometheus', ['listen', 'linger']);
  const listen = c.string(p['listen'], 'outputs.prometheus.listen');
  const lingerMs = p['linger'] === undefined ? 0 : c.duration(p['linger'], 'outputs.prometheus.linger');
  if (listen === undefined || lingerMs === undefined) return null;
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:\s\[\]]+):(\d{1,5})$/.exec(listen.trim());
  const port = m ? Number(m[2]) : NaN;
  if (!m || !(port >= 1 && port <= 65535)) {
    c.add(
      'outputs.prometheus.listen',
      `"${listen}" is not host:port`,
      "e.g. '127.0.0.1:9464' (Prometheus' exporter port range), or '[::1]:9464'",
    );
    return null;
  }
  if (lingerMs > 600_000) {
    c.add('outputs.prometheus.linger', 'must be at most 10m', 'a few scrape intervals is enough, e.g. 15s');
    return null;
  }
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port, lingerMs };
}

function checkRemoteWrite(c: Checker, raw: unknown): Scenario['outputs']['prometheusRemoteWrite'] {
  const o = c.object(raw, 'outputs.prometheusRemoteWrite', false);
  if (!o) return null;
  c.known(o, 'outputs.prometheusRemoteWrite', ['url']);
  const url = c.string(o['url'], 'outputs.prometheusRemoteWrite.url');
  if (url === undefined) return null;
  let u: URL | null;
  try {
    u = new URL(url);
  } catch {
    u = null;
  }
  if (u === null || (u.protocol !== 'http:' && u.protocol !== 'https:')) {
    c.add(
      'outputs.prometheusRemoteWrite.url',
      `"${url}" is not an http(s) URL`,
      "e.g. 'http://127.0.0.1:9090/api/v1/write' (a Prometheus started with --web.enable-remote-write-receiver)",
    );
    return null;
  }
  return { url };
}

/** A bench file beside the scenario: a .ts/.js/.mjs path, relative to the scenario file, that exists. */
function checkBench(c: Checker, raw: unknown, file: string): string | null {
  if (raw === undefined) return null;
  const s = c.string(raw, 'bench');
  if (s === undefined) return null;
  const path = resolve(dirname(resolve(file)), s);
  if (!/\.(?:[cm]?ts|[cm]?js)$/.test(s))
    c.add('bench', `"${s}" is not a .ts or .js file`, "name the bench file, e.g. bench: './quickstart.bench.ts'");
  else if (!existsSync(path)) c.add('bench', `${path} does not exist`, 'the path is relative to the scenario file');
  else return path;
  return null;
}

function checkRedact(c: Checker, raw: unknown): string[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    c.add('redact', 'must be a list of names', "e.g. redact: ['X-Tenant', 'ssn']");
    return [];
  }
  const out: string[] = [];
  raw.forEach((v, i) => {
    if (typeof v !== 'string' || v.trim() === '') c.add(`redact[${i}]`, 'must be a non-empty name');
    else out.push(v.trim().toLowerCase());
  });
  return out;
}

function checkService(c: Checker, raw: unknown, file: string, allowed: readonly number[]): Service | null {
  const o = c.object(raw, 'service');
  if (!o) return null;
  c.known(o, 'service', ['command', 'cwd', 'env', 'ready', 'readyTimeout', 'cpus', 'capture', 'stopTimeout']);
  const cmd = o['command'];
  if (!Array.isArray(cmd) || cmd.length === 0 || !cmd.every((x) => typeof x === 'string' && x.length > 0)) {
    c.add('service.command', 'expected a non-empty array of strings', 'e.g. ["node", "examples/orders/server.ts"]');
  }
  const env = o['env'] === undefined ? {} : c.object(o['env'], 'service.env');
  if (env)
    for (const [k, v] of Object.entries(env))
      if (typeof v !== 'string') c.add(join('service.env', k), `expected a string, got ${typeof v}`);
  const ready = checkHttpUrl(c, o['ready'], 'service.ready', 'use an http:// or https:// URL (https:// is polled with target.tls)');
  const readyTimeoutMs = timerDuration(c, o['readyTimeout'] ?? SCENARIO_DEFAULTS.readyTimeout, 'service.readyTimeout', 1);
  const stopTimeoutMs = timerDuration(c, o['stopTimeout'] ?? SCENARIO_DEFAULTS.stopTimeout, 'service.stopTimeout');
  // The default [0] is the first CPU this process may use, where CPU 0 is not one of them.
  const cpus = c.cpus(o['cpus'] ?? defaultServiceCpus(allowed), 'service.cpus', allowed);
  const capture = checkCapture(c, o['capture']);
  const cwd = c.string(o['cwd'], 'service.cwd', false);
  return {
    command: (cmd as string[]) ?? [],
    cwd: resolve(cwd ?? process.cwd()),
    env: (env ?? {}) as Record<string, string>,
    ready: ready ?? '',
    readyTimeoutMs: readyTimeoutMs ?? 0,
    cpus: cpus ?? [],
    capture,
    stopTimeoutMs: stopTimeoutMs ?? 0,
  };
}

function checkCapture(c: Checker, raw: unknown): Capture {
  const o = c.object(raw, 'service.capture', false);
  if (!o) return { cpu: false, heap: false, traces: null, runtime: false };
  c.known(o, 'service.capture', ['cpu', 'heap', 'traces', 'runtime']);
  const cpuOpt = checkProfileSwitch(c, o['cpu'], 'service.capture.cpu', ['hz', 'profiler', 'callGraph'], 'hz', {
    min: 1,
    max: 1000,
    integer: true,
  });
  const cpuProfiler = checkCpuProfiler(c, o['cpu']);
  const cpuCallGraph = checkCallGraph(c, o['cpu'], cpuProfiler);
  const heapOpt = checkProfileSwitch(c, o['heap'], 'service.capture.heap', ['intervalBytes'], 'intervalBytes', {
    min: 1024,
    max: 1 << 30,
    integer: true,
  });
  const cpu = cpuOpt.on;
  const heap = heapOpt.on;
  let traces: Capture['traces'] = null;
  const t = o['traces'];
  if (t === true) traces = { sample: SCENARIO_DEFAULTS.traceSample };
  else if (t !== undefined && t !== false) {
    const to = c.object(t, 'service.capture.traces');
    if (to) {
      c.known(to, 'service.capture.traces', ['sample']);
      const sample =
        to['sample'] === undefined
          ? SCENARIO_DEFAULTS.traceSample
          : c.number(to['sample'], 'service.capture.traces.sample', { min: 0, max: 1 });
      if (sample !== undefined) traces = { sample };
    }
  }
  const runtime = c.boolean(o['runtime'], 'service.capture.runtime') ?? (cpu || heap || traces !== null);
  return {
    cpu,
    ...(cpuOpt.value === undefined ? {} : { cpuHz: cpuOpt.value }),
    cpuProfiler,
    ...(cpuCallGraph === undefined ? {} : { cpuCallGraph }),
    heap,
    ...(heapOpt.value === undefined ? {} : { heapIntervalBytes: heapOpt.value }),
    traces,
    runtime,
  };
}

/** `service.capture.cpu.profiler`: who samples, 'agent' unless the object names 'perf'. */
function checkCpuProfiler(c: Checker, raw: unknown): CpuProfiler {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return SCENARIO_DEFAULTS.cpuProfiler;
  const v = (raw as Record<string, unknown>)['profiler'];
  if (v === undefined) return SCENARIO_DEFAULTS.cpuProfiler;
  if (typeof v === 'string' && (CPU_PROFILERS as readonly string[]).includes(v)) return v as CpuProfiler;
  c.add(
    'service.capture.cpu.profiler',
    `unknown profiler ${JSON.stringify(v)}`,
    "use 'agent' (in-process, Node services, the default) or 'perf' (Linux perf from outside, any language)",
  );
  return SCENARIO_DEFAULTS.cpuProfiler;
}

/** `service.capture.cpu.callGraph`: 'fp' or 'dwarf', and only with the perf profiler. */
function checkCallGraph(c: Checker, raw: unknown, profiler: CpuProfiler): PerfCallGraph | undefined {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const v = (raw as Record<string, unknown>)['callGraph'];
  if (v === undefined) return undefined;
  if (v !== 'fp' && v !== 'dwarf') {
    c.add('service.capture.cpu.callGraph', `unknown call graph ${JSON.stringify(v)}`, "use 'fp' (frame pointers) or 'dwarf'");
    return undefined;
  }
  if (profiler !== 'perf') {
    c.add('service.capture.cpu.callGraph', 'only perf walks stacks this way', "add profiler: 'perf', or drop callGraph");
    return undefined;
  }
  return v;
}

/** `true`, `false` or `{ <key>: number, … }` (on, with a setting); `keys` are the object's allowed keys. */
function checkProfileSwitch(
  c: Checker,
  raw: unknown,
  path: string,
  keys: readonly string[],
  key: string,
  range: { min: number; max: number; integer: boolean },
): { on: boolean; value?: number } {
  if (raw === undefined || typeof raw === 'boolean') return { on: c.boolean(raw, path) ?? false };
  const o = c.object(raw, path);
  if (!o) return { on: false };
  c.known(o, path, keys);
  const value = o[key] === undefined ? undefined : c.number(o[key], `${path}.${key}`, range);
  return value === undefined ? { on: true } : { on: true, value };
}

/** SCENARIO_DEFAULTS.serviceCpus where this process may use them, else its first allowed CPU. */
function defaultServiceCpus(allowed: readonly number[]): number[] {
  return SCENARIO_DEFAULTS.serviceCpus.every((c) => allowed.includes(c)) ? [...SCENARIO_DEFAULTS.serviceCpus] : allowed.slice(0, 1);
}

function checkWorkers(c: Checker, raw: unknown, serviceCpus: number[], allowed: readonly number[]): Scenario['workers'] {
  const o = c.object(raw, 'workers', false) ?? {};
  c.known(o, 'workers', ['cpus', 'count', 'engine', 'idle']);
  const free = allowed.filter((i) => !serviceCpus.includes(i));
  const cpus = c.cpus(o['cpus'] ?? (free.length > 0 ? free : allowed.slice(-1)), 'workers.cpus', allowed) ?? [];
  const count =
    o['count'] === undefined ? Math.max(1, cpus.length) : (c.number(o['count'], 'workers.count', { integer: true, min: 1, max: 64 }) ?? 1);
  const engine = o['engine'] ?? 'headroom';
  if (engine !== 'headroom' && engine !== 'autocannon')
    c.add('workers.engine', `unknown engine ${JSON.stringify(engine)}`, "use 'headroom' or 'autocannon'");
  const idle = o['idle'] ?? 'sleep';
  if (idle !== 'sleep' && idle !== 'poll')
    c.add(
      'workers.idle',
      `unknown idle mode ${JSON.stringify(idle)}`,
      "use 'sleep' (the default) or 'poll' (a core per worker, no wake-up delay)",
    );
  else if (idle === 'poll' && engine === 'autocannon')
    c.add('workers.idle', "'poll' needs the headroom engine", 'remove workers.engine or idle');
  return {
    cpus,
    count,
    engine: engine as 'headroom' | 'autocannon',
    idle: idle === 'poll' ? 'poll' : 'sleep',
    auto: { cpus: o['cpus'] === undefined, count: o['count'] === undefined },
  };
}

function checkSlo(c: Checker, raw: unknown): Scenario['slo'] {
  const o = c.object(raw, 'slo', false) ?? {};
  c.known(o, 'slo', ['p50', 'p95', 'p99', 'errorRate']);
  const d = (k: string) => (o[k] === undefined ? null : (c.duration(o[k], join('slo', k)) ?? null));
  return {
    p50Ms: d('p50'),
    p95Ms: d('p95'),
    p99Ms: d('p99'),
    errorRate: o['errorRate'] === undefined ? null : (c.percent(o['errorRate'], 'slo.errorRate') ?? null),
  };
}

/** A growth rate: a percentage per day, week, month or year (analysis' parseGrowth reads the same form). */
const GROWTH_RE = /^-?\d+(?:\.\d+)?%\s*\/\s*(?:day|week|month|year)$/;

function checkTraffic(c: Checker, raw: unknown): Scenario['traffic'] {
  const o = c.object(raw, 'traffic', false);
  if (!o) return null;
  c.known(o, 'traffic', ['peak', 'growth']);
  const peak = c.count(o['peak'], 'traffic.peak', { exclusiveMin: 0 });
  const growth = c.string(o['growth'], 'traffic.growth');
  if (growth !== undefined && (!GROWTH_RE.test(growth.trim()) || Number.parseFloat(growth) <= -100)) {
    c.add('traffic.growth', `"${growth}" is not a growth rate`, "write a percentage per day, week, month or year, e.g. '4%/month'");
  }
  return peak === undefined || growth === undefined ? null : { peak, growth: growth.trim() };
}

function checkTrace(c: Checker, raw: unknown): Scenario['trace'] {
  const o = c.object(raw, 'trace', false);
  if (!o) return { sample: 0 };
  c.known(o, 'trace', ['sample']);
  return { sample: c.number(o['sample'], 'trace.sample', { min: 0, max: 1 }) ?? 0 };
}
