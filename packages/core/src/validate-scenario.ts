import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { Checker, join } from './checker.ts';
import { ValidationError } from './errors.ts';
import type { Arrivals, Capture, HttpMethod, Request, Scenario, Service } from './scenario.ts';
import { subPhases } from './scenario.ts';
import { checkBudgets } from './validate-budgets.ts';
import { checkArrivals, checkPhases, PHASE_DEFAULTS } from './validate-phases.ts';
import { checkLimits, openFileLimit, timerDuration } from './validate-limits.ts';
import { checkThresholds } from './threshold.ts';

/** An HTTP field name: an RFC 9110 token. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
const SCENARIO_KEYS = [
  'name',
  'service',
  'target',
  'requests',
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
} as const;

export interface ValidateScenarioOptions {
  /** Path of the scenario file, for messages and to resolve `service.cwd`. */
  file: string;
  /** CPUs on this machine. @default os.availableParallelism() */
  cpuCount?: number;
  /** Open files a process may have (`ulimit -n`). @default the soft limit from /proc/self/limits, else 1024 */
  fdLimit?: number;
}

/** Validates a scenario's default export and resolves it; throws ValidationError listing every problem. */
export function validateScenario(raw: unknown, options: ValidateScenarioOptions): Scenario {
  const c = new Checker();
  const cpuCount = options.cpuCount ?? availableParallelism();
  const o = c.object(raw, '') ?? {};
  c.known(o, '', SCENARIO_KEYS);
  const name = c.string(o['name'], 'name');
  if (name !== undefined && !/^[\w.-]+$/.test(name))
    c.add('name', `"${name}" has characters other than letters, digits, _ . -`, 'use a name like "orders-api"');
  const service = o['service'] === undefined ? null : checkService(c, o['service'], options.file, cpuCount);
  const target = checkUrl(c, o['target'], 'target');
  const requests = checkRequests(c, o['requests']);
  const workers = checkWorkers(c, o['workers'], service?.cpus ?? [], cpuCount);
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
  const thresholds = checkThresholds(c, o['thresholds'], 'thresholds', scopes);
  if (thresholds.some((t) => t.metric === 'headroom') && expectedPeak === null)
    c.add('thresholds.headroom', 'needs expectedPeak', 'set expectedPeak: <req/s in production>');
  const trace = checkTrace(c, o['trace']);
  const bench = checkBench(c, o['bench'], options.file);
  const redact = checkRedact(c, o['redact']);

  if (c.issues.length > 0) throw new ValidationError(options.file, c.issues);
  return {
    name: name as string,
    file: resolve(options.file),
    service,
    target: target as string,
    requests,
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
  };
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

function checkUrl(c: Checker, v: unknown, path: string): string | undefined {
  const s = c.string(v, path);
  if (s === undefined) return undefined;
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    return c.add(path, `"${s}" is not a URL`, 'write e.g. "http://127.0.0.1:3000"');
  }
  if (u.protocol !== 'http:') return c.add(path, `protocol ${u.protocol} is not supported`, 'use an http:// URL');
  return s.replace(/\/+$/, '');
}

function checkService(c: Checker, raw: unknown, file: string, cpuCount: number): Service | null {
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
  const ready = checkUrl(c, o['ready'], 'service.ready');
  const readyTimeoutMs = timerDuration(c, o['readyTimeout'] ?? SCENARIO_DEFAULTS.readyTimeout, 'service.readyTimeout', 1);
  const stopTimeoutMs = timerDuration(c, o['stopTimeout'] ?? SCENARIO_DEFAULTS.stopTimeout, 'service.stopTimeout');
  const cpus = c.cpus(o['cpus'] ?? SCENARIO_DEFAULTS.serviceCpus, 'service.cpus', cpuCount);
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
  const cpu = c.boolean(o['cpu'], 'service.capture.cpu') ?? false;
  const heap = c.boolean(o['heap'], 'service.capture.heap') ?? false;
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
  return { cpu, heap, traces, runtime };
}

function checkRequests(c: Checker, raw: unknown): Request[] {
  if (!Array.isArray(raw) || raw.length === 0) {
    c.add('requests', raw === undefined ? 'is required' : 'expected a non-empty array', "e.g. [{ method: 'GET', path: '/health' }]");
    return [];
  }
  const out: Request[] = [];
  raw.forEach((r, i) => {
    const p = `requests[${i}]`;
    const o = c.object(r, p);
    if (!o) return;
    c.known(o, p, ['name', 'method', 'path', 'headers', 'json', 'body', 'weight']);
    const method = (o['method'] ?? 'GET') as HttpMethod;
    if (!METHODS.includes(method))
      c.add(join(p, 'method'), `unknown method ${JSON.stringify(o['method'])}`, `one of ${METHODS.join(', ')}`);
    const path = c.string(o['path'], join(p, 'path'));
    if (path !== undefined && !path.startsWith('/')) c.add(join(p, 'path'), `"${path}" must start with /`);
    if (path !== undefined && /[\x00-\x20\x7f]/.test(path))
      c.add(
        join(p, 'path'),
        `${JSON.stringify(path)} has a space or control character (CR/LF would split the request)`,
        'percent-encode it: %20 for a space',
      );
    const headersRaw = o['headers'] === undefined ? {} : c.object(o['headers'], join(p, 'headers'));
    const headers: Record<string, string> = {};
    if (headersRaw)
      for (const [k, v] of Object.entries(headersRaw)) {
        const hp = join(join(p, 'headers'), k);
        if (!HEADER_NAME.test(k))
          c.add(hp, `${JSON.stringify(k)} is not a valid header name`, "letters, digits and !#$%&'*+-.^_`|~ only (RFC 9110 token)");
        if (typeof v !== 'string') c.add(hp, 'expected a string');
        else if (/[\x00-\x08\x0a-\x1f\x7f]/.test(v))
          c.add(
            hp,
            `value ${JSON.stringify(v)} has a control character (CR/LF would inject headers)`,
            'remove line breaks and control characters',
          );
        else headers[k.toLowerCase()] = v;
      }
    if (o['json'] !== undefined && o['body'] !== undefined) c.add(p, 'has both json and body', 'keep one');
    let body: string | null = null;
    if (o['json'] !== undefined) {
      body = JSON.stringify(o['json']);
      headers['content-type'] ??= 'application/json';
    } else if (o['body'] !== undefined) body = c.string(o['body'], join(p, 'body')) ?? null;
    const weight = o['weight'] === undefined ? 1 : c.number(o['weight'], join(p, 'weight'), { exclusiveMin: 0 });
    const name = c.string(o['name'], join(p, 'name'), false) ?? `${method} ${path}`;
    if (path !== undefined && weight !== undefined) out.push({ name, method, path, headers, body, weight });
  });
  return out;
}

function checkWorkers(c: Checker, raw: unknown, serviceCpus: number[], cpuCount: number): Scenario['workers'] {
  const o = c.object(raw, 'workers', false) ?? {};
  c.known(o, 'workers', ['cpus', 'count', 'engine']);
  const free = Array.from({ length: cpuCount }, (_, i) => i).filter((i) => !serviceCpus.includes(i));
  const cpus = c.cpus(o['cpus'] ?? (free.length > 0 ? free : [cpuCount - 1]), 'workers.cpus', cpuCount) ?? [];
  const count =
    o['count'] === undefined ? Math.max(1, cpus.length) : (c.number(o['count'], 'workers.count', { integer: true, min: 1, max: 64 }) ?? 1);
  const engine = o['engine'] ?? 'headroom';
  if (engine !== 'headroom' && engine !== 'autocannon')
    c.add('workers.engine', `unknown engine ${JSON.stringify(engine)}`, "use 'headroom' or 'autocannon'");
  return { cpus, count, engine: engine as 'headroom' | 'autocannon' };
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
