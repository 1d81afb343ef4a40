import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type net from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { alive, freePort, headroom, tempDir, writeScenario } from './helpers.ts';

/** Debian's prometheus (CI installs it): a real scraper of the run's /metrics. */
const hasPrometheus = spawnSync('prometheus', ['--version']).status === 0;

const dir = tempDir();
const cleanup: (() => void)[] = [];
afterAll(() => {
  for (const c of cleanup) c();
});

async function until<T>(what: string, fn: () => Promise<T | null>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => null);
    if (v !== null) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** One instant query against Prometheus' HTTP API: the first sample's value, or null when there is none. */
async function promQuery(port: number, q: string): Promise<number | null> {
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(q)}`);
  const body = (await res.json()) as { data: { result: { value: [number, string] }[] } };
  const first = body.data.result[0];
  return first === undefined ? null : Number(first.value[1]);
}

describe('outputs.prometheus (end to end, a real Prometheus scraping the run)', () => {
  it.skipIf(!hasPrometheus)(
    "a run serves /metrics; Prometheus' scrapes hold its request counts and latency histogram exactly",
    async () => {
      // A target that counts what it answers, and 1 in 10 answered with a 503.
      let served = 0;
      const target = http.createServer((_q, res) => {
        served++;
        res.writeHead(served % 10 === 0 ? 503 : 200).end('ok');
      });
      await new Promise<void>((r) => target.listen(0, '127.0.0.1', () => r()));
      cleanup.push(() => target.close());
      const targetPort = (target.address() as net.AddressInfo).port;
      const metricsPort = await freePort();
      const promPort = await freePort();
      const config = join(dir, 'prometheus.yml');
      writeFileSync(
        config,
        `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: headroom\n    static_configs:\n      - targets: ['127.0.0.1:${metricsPort}']\n`,
      );
      const prom: ChildProcess = spawn(
        'prometheus',
        [
          `--config.file=${config}`,
          `--storage.tsdb.path=${join(dir, 'tsdb')}`,
          `--web.listen-address=127.0.0.1:${promPort}`,
          '--web.enable-remote-write-receiver',
        ],
        { stdio: 'ignore' },
      );
      cleanup.push(() => prom.kill('SIGKILL'));
      await until('prometheus ready', async () => ((await fetch(`http://127.0.0.1:${promPort}/-/ready`)).ok ? true : null));

      const file = writeScenario(
        dir,
        'prom',
        `{ name: 'prom', target: 'http://127.0.0.1:${targetPort}', requests: [{ path: '/' }], workers: { cpus: [1] },
           phases: [{ name: 'warmup', duration: '1s', rate: 20 }, { name: 'steady', duration: '4s', rate: 50 }],
           outputs: { prometheus: { listen: '127.0.0.1:${metricsPort}', linger: '4s' },
                      prometheusRemoteWrite: { url: 'http://127.0.0.1:${promPort}/api/v1/write' } } }`,
      );
      const r = await headroom(['run', file, '--json', '--db', join(dir, 'h.duckdb')]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`prometheus: the run's figures at http://127.0.0.1:${metricsPort}/metrics`);
      const out = JSON.parse(r.stdout);
      const steady = out.phases.find((p: { phase: string }) => p.phase === 'steady');
      expect(steady.requests).toBe(200);

      // The last scrape (during the linger) holds the final figures, which match the run's own.
      const requests = await until('the final scrape', async () => {
        const v = await promQuery(promPort, 'last_over_time(headroom_requests_total{phase="steady"}[1m])');
        return v === steady.requests ? v : null;
      });
      expect(requests).toBe(200);
      expect(await promQuery(promPort, 'last_over_time(headroom_errors_total{phase="steady",kind="http_5xx"}[1m])')).toBe(
        steady.errorsByKind.http_5xx,
      );
      // Every answered request is in the histogram (503s are answers); the +Inf bucket equals the count.
      const count = await promQuery(promPort, 'last_over_time(headroom_request_duration_seconds_count{phase="steady"}[1m])');
      expect(count).toBe(200);
      expect(await promQuery(promPort, 'last_over_time(headroom_request_duration_seconds_bucket{phase="steady",le="+Inf"}[1m])')).toBe(200);
      // Prometheus' own quantile estimate from the buckets lies in the bucket that holds the run's exact p50.
      const p50 = (await promQuery(
        promPort,
        'histogram_quantile(0.5, last_over_time(headroom_request_duration_seconds_bucket{phase="steady"}[1m]))',
      )) as number;
      const bounds = [0, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1];
      const exact = steady.latencyMs.p50 / 1000;
      const i = bounds.findIndex((b, k) => exact > b && exact <= (bounds[k + 1] ?? Infinity));
      expect(p50).toBeGreaterThan(bounds[i]!);
      expect(p50).toBeLessThanOrEqual(bounds[i + 1]! * 1.001);
      expect(
        await promQuery(promPort, `last_over_time(headroom_run_info{run_id="${out.runId}",status="completed",job="headroom"}[1m])`),
      ).toBe(1);
      // Remote write pushed the same figures (series without the scrape's job label), the last push at the run's end.
      expect(r.stderr).not.toContain('outputs.prometheusRemoteWrite');
      expect(await promQuery(promPort, 'last_over_time(headroom_requests_total{phase="steady",job=""}[1m])')).toBe(200);
      expect(await promQuery(promPort, 'last_over_time(headroom_request_duration_seconds_count{phase="steady",job=""}[1m])')).toBe(200);
      expect(await promQuery(promPort, `last_over_time(headroom_run_info{run_id="${out.runId}",status="completed",job=""}[1m])`)).toBe(1);
      // Pushed every second while the run went: more than one sample of the counter in the window.
      expect(await promQuery(promPort, 'count_over_time(headroom_requests_total{phase="steady",job=""}[1m])')).toBeGreaterThan(2);
      // The host's steal on the generator's CPUs came along too: a share, 0 on bare metal.
      const steal = await promQuery(promPort, 'last_over_time(headroom_host_steal_ratio{side="generator",job="headroom"}[1m])');
      expect(steal).toBeGreaterThanOrEqual(0);
      expect(steal).toBeLessThanOrEqual(1);
      // The endpoint is gone once the run has ended.
      await expect(fetch(`http://127.0.0.1:${metricsPort}/metrics`)).rejects.toThrow();
      prom.kill('SIGTERM');
      await until('prometheus to exit', async () => (alive(prom.pid!) ? null : true));
    },
    60_000,
  );

  it('a bad listen address is exit 2 with its path; a taken port fails the run before any load (exit 3); a receiver that refuses pushes is a warning, not a failed run', async () => {
    const bad = writeScenario(
      dir,
      'prom-bad',
      `{ name: 'prom-bad', target: 'http://127.0.0.1:1', requests: [{ path: '/' }], phases: [{ name: 's', duration: '1s', rate: 10 }],
         outputs: { prometheus: { listen: '9464' } } }`,
    );
    const b = await headroom(['run', bad, '--db', join(dir, 'h2.duckdb')]);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('outputs.prometheus.listen: "9464" is not host:port');
    const taken = http.createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', () => r()));
    cleanup.push(() => taken.close());
    const port = (taken.address() as net.AddressInfo).port;
    let hits = 0;
    const target = http.createServer((_q, res) => {
      hits++;
      res.end('ok');
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', () => r()));
    cleanup.push(() => target.close());
    const file = writeScenario(
      dir,
      'prom-taken',
      `{ name: 'prom-taken', target: 'http://127.0.0.1:${(target.address() as net.AddressInfo).port}', requests: [{ path: '/' }],
         phases: [{ name: 's', duration: '1s', rate: 10 }], outputs: { prometheus: { listen: '127.0.0.1:${port}' } } }`,
    );
    const t = await headroom(['run', file, '--json', '--db', join(dir, 'h2.duckdb')]);
    expect(t.code).toBe(3);
    expect(JSON.parse(t.stdout).error).toContain(`outputs.prometheus.listen 127.0.0.1:${port}: the port is taken`);
    expect(hits).toBe(0);
    const refusing = writeScenario(
      dir,
      'prom-rw-refused',
      `{ name: 'prom-rw-refused', target: 'http://127.0.0.1:${(target.address() as net.AddressInfo).port}', requests: [{ path: '/' }],
         phases: [{ name: 's', duration: '1s', rate: 10 }], outputs: { prometheusRemoteWrite: { url: 'http://127.0.0.1:${port}/api/v1/write' } } }`,
    );
    const rw = await headroom(['run', refusing, '--json', '--db', join(dir, 'h2.duckdb')]);
    expect(rw.code, rw.stderr).toBe(0);
    expect(rw.stderr).toMatch(/outputs\.prometheusRemoteWrite: a push to http:\/\/127\.0\.0\.1:\d+\/api\/v1\/write failed/);
    expect(JSON.parse(rw.stdout).phases[0].requests).toBe(10);
  }, 30_000);
});
