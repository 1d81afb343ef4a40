/**
 * `outputs.prometheus`: the run's figures at `/metrics`, in Prometheus' text exposition format
 * (https://prometheus.io/docs/instrumenting/exposition_formats/), while the run goes, for a
 * Prometheus (or anything that scrapes its format) to chart beside the service's own metrics.
 *
 * Counters grow with every merged second, per phase: requests finished, errors by kind, late
 * sends, and the latency from the intended send as a Prometheus histogram whose buckets are
 * cumulative counts read off the exact HDR histograms. Gauges hold the last second: the busiest
 * generator worker's CPU, the service's CPU and RSS (from /proc). A scrape sees whole seconds
 * only: a second is added once every worker has reported it.
 */
import http from 'node:http';
import type { Scenario } from '@headroom/core';
import { RunFailedError } from '@headroom/core';
import { createHistogram, cumulativeCounts, decodeHistogram } from '@headroom/internal';
import type { BusEvent, Sink } from '../bus.ts';

/** Latency bucket bounds, seconds: 0.5 ms to 10 s (Prometheus' default buckets, with sub-ms ones for fast services). */
const BUCKETS_S = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const BUCKETS_US = BUCKETS_S.map((b) => b * 1e6);

interface PhaseFigures {
  requests: number;
  lateSends: number;
  errors: Map<string, number>;
  /** Cumulative counts per bucket, then +Inf. */
  buckets: number[];
  count: number;
  sumS: number;
}

/** One metric family: its samples, each with its own labels (the scenario's label included). */
export interface MetricFamily {
  name: string;
  type: 'counter' | 'gauge' | 'histogram';
  help: string;
  samples: { name: string; labels: Record<string, string>; value: number }[];
}

/**
 * The run's figures as Prometheus metric families, from the bus: counters grow with every merged
 * second, gauges hold the last one. Shared by the scrape endpoint and remote write.
 */
export class RunFigures {
  readonly #scenario: string;
  readonly #phases = new Map<string, PhaseFigures>();
  runId = '';
  #generatorCpu: number | null = null;
  #service: { cpu: number; rssBytes: number } | null = null;
  #steal: { service: number | null; generator: number | null } | null = null;
  status = 'running';

  constructor(scenario: string) {
    this.#scenario = scenario;
  }

  /** Takes a bus event; true when the figures changed (a merged second). */
  onEvent(e: BusEvent): boolean {
    switch (e.type) {
      case 'run-start':
        this.runId = e.runId;
        return false;
      case 'second': {
        const s = e.sample;
        const f = this.#figures(s.phase);
        f.requests += s.counts.requests;
        f.lateSends += s.counts.lateSends;
        for (const [kind, n] of Object.entries(s.counts.errors)) f.errors.set(kind, (f.errors.get(kind) ?? 0) + (n ?? 0));
        const h = s.hist.length > 0 ? decodeHistogram(s.hist) : createHistogram();
        const c = cumulativeCounts(h, BUCKETS_US);
        c.counts.forEach((n, i) => (f.buckets[i]! += n));
        f.buckets[BUCKETS_US.length]! += h.totalCount;
        f.count += h.totalCount;
        f.sumS += c.sumUs / 1e6;
        this.#generatorCpu = s.genCpu;
        return true;
      }
      case 'proc':
        this.#service = { cpu: e.sample.cpu, rssBytes: e.sample.rssMb * 1024 * 1024 };
        return false;
      case 'steal':
        this.#steal = { service: e.sample.service, generator: e.sample.generator };
        return false;
      case 'run-end':
        this.status = e.status;
        return true;
      default:
        return false;
    }
  }

  #figures(phase: string): PhaseFigures {
    let f = this.#phases.get(phase);
    if (!f) {
      f = { requests: 0, lateSends: 0, errors: new Map(), buckets: BUCKETS_US.map(() => 0).concat(0), count: 0, sumS: 0 };
      this.#phases.set(phase, f);
    }
    return f;
  }

  /** The figures as they stand: counters since the run began, gauges of the last second. */
  families(): MetricFamily[] {
    const scenario = this.#scenario;
    const phases = [...this.#phases.entries()];
    const per = (name: string, f: (p: PhaseFigures) => number) =>
      phases.map(([phase, p]) => ({ name, labels: { scenario, phase }, value: f(p) }));
    const out: MetricFamily[] = [
      {
        name: 'headroom_run_info',
        type: 'gauge',
        help: 'The run being measured (1), with its id and status.',
        samples: [{ name: 'headroom_run_info', labels: { scenario, run_id: this.runId, status: this.status }, value: 1 }],
      },
      {
        name: 'headroom_requests_total',
        type: 'counter',
        help: 'Requests finished (answered or failed), by phase.',
        samples: per('headroom_requests_total', (p) => p.requests),
      },
      {
        name: 'headroom_errors_total',
        type: 'counter',
        help: 'Failed requests by phase and kind (refused, reset, timeout, http_5xx, ...).',
        samples: phases.flatMap(([phase, p]) =>
          [...p.errors].map(([kind, n]) => ({ name: 'headroom_errors_total', labels: { scenario, phase, kind }, value: n })),
        ),
      },
      {
        name: 'headroom_late_sends_total',
        type: 'counter',
        help: 'Open-model sends that left more than 1 ms after their slot (the generator, not the service).',
        samples: per('headroom_late_sends_total', (p) => p.lateSends),
      },
      {
        name: 'headroom_request_duration_seconds',
        type: 'histogram',
        help: 'Latency of answered requests from their intended send (coordinated-omission free), by phase.',
        samples: phases.flatMap(([phase, p]) => [
          ...[...BUCKETS_S.map(String), '+Inf'].map((le, i) => ({
            name: 'headroom_request_duration_seconds_bucket',
            labels: { scenario, phase, le },
            value: p.buckets[i]!,
          })),
          { name: 'headroom_request_duration_seconds_sum', labels: { scenario, phase }, value: p.sumS },
          { name: 'headroom_request_duration_seconds_count', labels: { scenario, phase }, value: p.count },
        ]),
      },
    ];
    if (this.#generatorCpu !== null)
      out.push({
        name: 'headroom_generator_cpu_ratio',
        type: 'gauge',
        help: "The busiest load worker's CPU in the last second, as a share of a core.",
        samples: [{ name: 'headroom_generator_cpu_ratio', labels: { scenario }, value: this.#generatorCpu }],
      });
    if (this.#service !== null)
      out.push(
        {
          name: 'headroom_service_cpu_ratio',
          type: 'gauge',
          help: "The service's process tree CPU in the last second, as a share of its CPU set.",
          samples: [{ name: 'headroom_service_cpu_ratio', labels: { scenario }, value: this.#service.cpu }],
        },
        {
          name: 'headroom_service_resident_memory_bytes',
          type: 'gauge',
          help: "The service's process tree resident memory.",
          samples: [{ name: 'headroom_service_resident_memory_bytes', labels: { scenario }, value: Math.round(this.#service.rssBytes) }],
        },
      );
    const steal = this.#steal;
    const sides = steal === null ? [] : (['generator', 'service'] as const).filter((side) => steal[side] !== null);
    if (steal !== null && sides.length > 0)
      out.push({
        name: 'headroom_host_steal_ratio',
        type: 'gauge',
        help: "The share of the generator's and the service's CPUs the hypervisor took in the last second (steal time, /proc/stat).",
        samples: sides.map((side) => ({ name: 'headroom_host_steal_ratio', labels: { scenario, side }, value: steal[side] as number })),
      });
    return out;
  }
}

/** The text exposition format: HELP and TYPE once per family, then its samples. */
export function renderText(families: readonly MetricFamily[]): string {
  const out: string[] = [];
  for (const f of families) {
    out.push(`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} ${f.type}`);
    for (const s of f.samples)
      out.push(
        `${s.name}{${Object.entries(s.labels)
          .map(([k, v]) => `${k}="${label(v)}"`)
          .join(',')}} ${s.value}`,
      );
  }
  return `${out.join('\n')}\n`;
}

/** The scrape endpoint: serves {@link RunFigures} at `/metrics` from before the load until `linger` after the run. */
export class PrometheusSink implements Sink {
  readonly name = 'prometheus';
  readonly #server: http.Server;
  readonly #lingerMs: number;
  readonly #figures: RunFigures;

  private constructor(server: http.Server, scenario: Scenario) {
    this.#server = server;
    this.#lingerMs = scenario.outputs.prometheus?.lingerMs ?? 0;
    this.#figures = new RunFigures(scenario.name);
    server.on('request', (req, res) => {
      if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('headroom serves /metrics\n');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(renderText(this.#figures.families()));
    });
  }

  /** Listens on the scenario's `outputs.prometheus.listen`; a taken port fails the run before any load. */
  static async start(scenario: Scenario): Promise<PrometheusSink> {
    const o = scenario.outputs.prometheus!;
    const server = http.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) =>
        reject(
          new RunFailedError(
            'E_PORT_IN_USE',
            `outputs.prometheus.listen ${o.host}:${o.port}: ${err.code === 'EADDRINUSE' ? 'the port is taken' : err.message}; pick another port`,
          ),
        ),
      );
      server.listen(o.port, o.host, () => resolve());
    });
    return new PrometheusSink(server, scenario);
  }

  onEvent(e: BusEvent): void {
    this.#figures.onEvent(e);
  }

  /** Stops serving, after `linger` so a scraper can read the final figures. */
  async close(): Promise<void> {
    if (this.#lingerMs > 0) await new Promise((r) => setTimeout(r, this.#lingerMs));
    this.#server.closeAllConnections();
    await new Promise<void>((r) => this.#server.close(() => r()));
  }
}

/** A label value escaped as the text format wants: backslash, double quote and line feed. */
function label(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
