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
import type net from 'node:net';
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

export class PrometheusSink implements Sink {
  readonly name = 'prometheus';
  readonly #server: http.Server;
  readonly #lingerMs: number;
  readonly #scenario: string;
  readonly #phases = new Map<string, PhaseFigures>();
  #runId = '';
  #generatorCpu: number | null = null;
  #service: { cpu: number; rssBytes: number } | null = null;
  #status = 'running';

  private constructor(server: http.Server, scenario: Scenario) {
    this.#server = server;
    this.#lingerMs = scenario.outputs.prometheus?.lingerMs ?? 0;
    this.#scenario = scenario.name;
    server.on('request', (req, res) => {
      if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('headroom serves /metrics\n');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(this.render());
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

  /** The port it listens on. */
  get port(): number {
    return (this.#server.address() as net.AddressInfo).port;
  }

  onEvent(e: BusEvent): void {
    switch (e.type) {
      case 'run-start':
        this.#runId = e.runId;
        break;
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
        break;
      }
      case 'proc':
        this.#service = { cpu: e.sample.cpu, rssBytes: e.sample.rssMb * 1024 * 1024 };
        break;
      case 'run-end':
        this.#status = e.status;
        break;
      default:
        break;
    }
  }

  /** Stops serving, after `linger` so a scraper can read the final figures. */
  async close(): Promise<void> {
    if (this.#lingerMs > 0) await new Promise((r) => setTimeout(r, this.#lingerMs));
    this.#server.closeAllConnections();
    await new Promise<void>((r) => this.#server.close(() => r()));
  }

  #figures(phase: string): PhaseFigures {
    let f = this.#phases.get(phase);
    if (!f) {
      f = { requests: 0, lateSends: 0, errors: new Map(), buckets: BUCKETS_US.map(() => 0).concat(0), count: 0, sumS: 0 };
      this.#phases.set(phase, f);
    }
    return f;
  }

  /** The exposition text: HELP and TYPE once per metric family, then its samples. */
  render(): string {
    const sc = `scenario="${label(this.#scenario)}"`;
    const out: string[] = [];
    const family = (name: string, type: string, help: string, lines: string[]) => {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...lines);
    };
    family('headroom_run_info', 'gauge', 'The run being measured (1), with its id and status.', [
      `headroom_run_info{${sc},run_id="${label(this.#runId)}",status="${label(this.#status)}"} 1`,
    ]);
    const phases = [...this.#phases.entries()];
    const per = (f: (p: PhaseFigures) => number) => phases.map(([name, p]) => `{${sc},phase="${label(name)}"} ${f(p)}`);
    family(
      'headroom_requests_total',
      'counter',
      'Requests finished (answered or failed), by phase.',
      per((p) => p.requests).map((l) => `headroom_requests_total${l}`),
    );
    family(
      'headroom_errors_total',
      'counter',
      'Failed requests by phase and kind (refused, reset, timeout, http_5xx, ...).',
      phases.flatMap(([name, p]) =>
        [...p.errors].map(([kind, n]) => `headroom_errors_total{${sc},phase="${label(name)}",kind="${label(kind)}"} ${n}`),
      ),
    );
    family(
      'headroom_late_sends_total',
      'counter',
      'Open-model sends that left more than 1 ms after their slot (the generator, not the service).',
      per((p) => p.lateSends).map((l) => `headroom_late_sends_total${l}`),
    );
    family(
      'headroom_request_duration_seconds',
      'histogram',
      'Latency of answered requests from their intended send (coordinated-omission free), by phase.',
      phases.flatMap(([name, p]) => {
        const l = `${sc},phase="${label(name)}"`;
        return [
          ...BUCKETS_S.map((b, i) => `headroom_request_duration_seconds_bucket{${l},le="${b}"} ${p.buckets[i]}`),
          `headroom_request_duration_seconds_bucket{${l},le="+Inf"} ${p.buckets[BUCKETS_S.length]}`,
          `headroom_request_duration_seconds_sum{${l}} ${p.sumS}`,
          `headroom_request_duration_seconds_count{${l}} ${p.count}`,
        ];
      }),
    );
    if (this.#generatorCpu !== null)
      family('headroom_generator_cpu_ratio', 'gauge', "The busiest load worker's CPU in the last second, as a share of a core.", [
        `headroom_generator_cpu_ratio{${sc}} ${this.#generatorCpu}`,
      ]);
    if (this.#service !== null) {
      family('headroom_service_cpu_ratio', 'gauge', "The service's process tree CPU in the last second, as a share of its CPU set.", [
        `headroom_service_cpu_ratio{${sc}} ${this.#service.cpu}`,
      ]);
      family('headroom_service_resident_memory_bytes', 'gauge', "The service's process tree resident memory.", [
        `headroom_service_resident_memory_bytes{${sc}} ${Math.round(this.#service.rssBytes)}`,
      ]);
    }
    return `${out.join('\n')}\n`;
  }
}

/** A label value escaped as the text format wants: backslash, double quote and line feed. */
function label(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
