/**
 * What `headroom init` needs to know about the user's service, where each answer comes from
 * (a flag, a question on a terminal, or a default it says it used), and the scenario those
 * answers make.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { UsageError, allowedCpus, type HttpMethod, type ScenarioInput } from '@headroom/core';

/** The answers, as typed on the command line or at a prompt. */
export interface InitAnswers {
  /** The scenario's name and file name: scenarios/<name>.ts. */
  name: string;
  /** The command that starts the service, e.g. `node server.js`. */
  start: string;
  /** The port the service listens on (given to it as PORT). */
  port: number;
  /** The path answering 2xx once the service is ready. */
  ready: string;
  /** Requests to load, `METHOD:/path`. */
  routes: readonly string[];
}

/** Defaults for what the folder's package.json does not suggest. */
export const INIT_DEFAULTS = { name: 'service', start: 'node server.js', port: 3000, ready: '/health', routes: ['GET:/'] } as const;

/** Questions in the order they are asked, with their prompts. */
export const QUESTIONS: readonly { key: keyof InitAnswers; prompt: string }[] = [
  { key: 'name', prompt: 'Scenario name' },
  { key: 'start', prompt: 'Command that starts your service' },
  { key: 'port', prompt: 'Port it listens on' },
  { key: 'ready', prompt: 'Path that answers 2xx once it is ready' },
  { key: 'routes', prompt: 'Requests to load (METHOD:/path, comma-separated)' },
];

/** Defaults for `dir`: its package.json's name and `main` when it has them. */
export function initDefaults(dir: string): InitAnswers {
  let pkg: { name?: string; main?: string } = {};
  const file = join(dir, 'package.json');
  if (existsSync(file)) {
    try {
      pkg = JSON.parse(readFileSync(file, 'utf8')) as typeof pkg;
    } catch {
      /* an unreadable package.json only costs the suggestions */
    }
  }
  const name = (pkg.name ?? basename(dir)).replace(/^@[^/]+\//, '').replace(/[^\w.-]+/g, '-');
  return {
    ...INIT_DEFAULTS,
    name: /^[\w][\w.-]*$/.test(name) ? name : INIT_DEFAULTS.name,
    start: pkg.main ? `node ${pkg.main}` : INIT_DEFAULTS.start,
  };
}

/** Splits a command line into words, honouring single and double quotes (no other shell syntax). */
export function splitCommand(line: string): string[] {
  const words: string[] = [];
  for (const m of line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) words.push(m[1] ?? m[2] ?? m[3] ?? '');
  return words;
}

/** `GET:/orders?limit=10` → method and path; a usage error names the malformed one. */
export function parseRoute(route: string): { method: HttpMethod; path: string } {
  const m = /^([A-Za-z]+):(\/\S*)$/.exec(route.trim());
  if (!m) throw new UsageError(`headroom init: --route ${JSON.stringify(route)} is not METHOD:/path, e.g. GET:/orders`, 'E_OPTION_VALUE');
  return { method: (m[1] as string).toUpperCase() as HttpMethod, path: m[2] as string };
}

/**
 * The scenario the answers describe: the service started and pinned apart from the load
 * generator (when the machine has two CPUs), a short closed-model warm-up, then a steady
 * open-model phase, an SLO and thresholds to start from.
 */
export function scenarioFor(a: InitAnswers, cpus: readonly number[] = allowedCpus()): ScenarioInput {
  const command = splitCommand(a.start);
  if (command.length === 0)
    throw new UsageError('headroom init: --start is empty; give the command that starts your service', 'E_OPTION_VALUE');
  if (!Number.isInteger(a.port) || a.port < 1 || a.port > 65535)
    throw new UsageError(`headroom init: the port must be a whole number from 1 to 65535; got ${a.port}`, 'E_OPTION_VALUE');
  if (!a.ready.startsWith('/')) throw new UsageError(`headroom init: --ready ${a.ready} must be a path starting with /`, 'E_OPTION_VALUE');
  const origin = `http://127.0.0.1:${a.port}`;
  // The first two CPUs this process may use (a container's cpuset need not start at 0).
  const [serviceCpu = 0, workerCpu = serviceCpu] = cpus;
  return {
    name: a.name,
    service: {
      command,
      env: { PORT: String(a.port) },
      ready: `${origin}${a.ready}`,
      cpus: [serviceCpu],
      capture: { cpu: true, heap: true },
    },
    target: origin,
    requests: a.routes.map(parseRoute),
    workers: { cpus: [workerCpu] },
    phases: [
      { name: 'warmup', duration: '3s', connections: 8 },
      { name: 'steady', duration: '10s', rate: 200 },
    ],
    slo: { p99: '100ms', errorRate: '0.1%' },
    thresholds: { 'steady.p99': '< 100ms', 'errors.rate': '< 0.1%' },
  };
}
