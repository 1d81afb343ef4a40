/**
 * The files `headroom init` writes: a scenario for the user's service and an example bench
 * file, as TypeScript with comments that say what each field does and what to change.
 */
import type { ScenarioInput } from '@headroom/core';

/** A TypeScript string literal in single quotes. */
function str(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

const list = (items: readonly string[]) => `[${items.map(str).join(', ')}]`;

/** scenarios/<name>.ts for `scenario` (as made by scenarioFor). */
export function scenarioTemplate(scenario: ScenarioInput): string {
  const service = scenario.service;
  if (!service) throw new Error('scenarioTemplate: the init scenario always starts a service');
  const port = service.env?.['PORT'] ?? '';
  // init writes static requests and a URL target (scenarioFor); the wider input types allow functions and { url, tls }.
  const requests = (scenario.requests ?? [])
    .map((r) => `    { method: ${str(r.method ?? 'GET')}, path: ${str(typeof r.path === 'string' ? r.path : '/')} },`)
    .join('\n');
  const target = typeof scenario.target === 'string' ? scenario.target : scenario.target.url;
  const shared = service.cpus?.[0] === scenario.workers?.cpus?.[0];
  return `import { defineScenario } from '@headroom/core';

/**
 * Load test of ${scenario.name}, written by \`headroom init\`. Run it with
 *
 *   npx headroom run scenarios/${scenario.name}.ts
 *
 * then \`npx headroom runs ls\`, \`npx headroom report latest\`, and after a change
 * \`npx headroom compare latest~1 latest\`. Every field is described in headroom's README
 * (Scenario files); \`npx headroom run --help\` lists the options.
 */
export default defineScenario({
  name: ${str(scenario.name)},
  // What headroom starts before the load and stops after it. Delete \`service\` to load a
  // target that is already running (then only \`target\` is used).
  service: {
    // Run from the folder you run headroom in. The first word 'node' means the Node running headroom.
    command: ${list(service.command ?? [])},
    // Your service should listen on PORT (or change the port below to the one it uses).
    env: { PORT: ${str(port)} },
    // Polled until it answers 2xx; the load starts then.
    ready: ${str(service.ready ?? '')},
    // The CPUs the service may run on${shared ? ' (this machine has one CPU, so the load generator shares it)' : ', kept apart from the load generator’s (workers.cpus)'}.
    cpus: [${(service.cpus ?? []).join(', ')}],
    // CPU and heap profiles while the load runs: npx headroom profile top latest
    capture: { cpu: true, heap: true },
  },
  target: ${str(target)},
  // Each request is picked in turn by weight (add weight: n); POST/PUT take json: {...} or body: '...'.
  requests: [
${requests}
  ],
  workers: { cpus: [${(scenario.workers?.cpus ?? []).join(', ')}] },
  phases: [
    // Closed model: a fixed number of connections, each sending when its last response came back.
    { name: 'warmup', duration: '3s', connections: 8 },
    // Open model: requests arrive at a fixed rate (req/s) whatever the service does; latency is
    // measured from each request's intended send time. Raise the rate toward your production peak.
    { name: 'steady', duration: '10s', rate: 200 },
  ],
  // Your service-level objective, used by capacity and check.
  slo: { p99: '100ms', errorRate: '0.1%' },
  // The run fails (exit 1) when one of these does not hold.
  thresholds: { 'steady.p99': '< 100ms', 'errors.rate': '< 0.1%' },
});
`;
}

/** scenarios/<name>.bench.ts: an example to replace with the user's own hot functions. */
export function benchTemplate(name: string, cpu: number): string {
  return `import { defineBench } from '@headroom/core';

/**
 * Microbenchmarks, written by \`headroom init\` as an example: replace the tasks with your own
 * hot functions (import them from your sources). Run with
 *
 *   npx headroom bench scenarios/${name}.bench.ts
 *
 * and compare two runs (before and after a change) with \`npx headroom compare latest~1 latest\`.
 */
const order = { id: 1042, sku: 'a1-blue', quantity: 3, tags: ['gift', 'express'] };
const text = JSON.stringify(order);

export default defineBench({
  name: ${str(`${name}-bench`)},
  // Each repetition of each task runs in a fresh process pinned to these CPUs.
  cpus: [${cpu}],
  // Repetitions per task (6 or more give a 95% confidence interval of the median).
  runs: 6,
  // Measuring time per task per repetition, after a warm-up.
  time: '300ms',
  tasks: {
    'JSON.stringify': () => JSON.stringify(order),
    'JSON.parse': () => JSON.parse(text),
  },
});
`;
}
