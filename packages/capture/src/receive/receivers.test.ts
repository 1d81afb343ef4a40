/**
 * The receivers against real clients: a separate process posts OTLP protobuf (the real
 * exporter), OTLP JSON and a Pyroscope multipart upload; garbage and oversized bodies get a
 * 4xx, and the receiver keeps answering afterwards.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { request } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCapture } from './session.ts';
import type { CaptureSession, SpanRow } from './types.ts';

const CLIENT = fileURLToPath(new URL('../../test/fixtures/foreign-client.ts', import.meta.url));
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function session(warnings: string[], spans: SpanRow[] = []): Promise<CaptureSession> {
  const dir = await mkdtemp(join(tmpdir(), 'headroom-receivers-'));
  dirs.push(dir);
  return startCapture({
    runId: 'r',
    artifactsDir: dir,
    serviceName: 'unknown-service',
    capture: { cpu: false, heap: false, traces: null, runtime: false },
    onWarning: (m) => warnings.push(m),
    onSpans: (batch) => spans.push(...batch),
  });
}

describe('receivers', () => {
  it('accept the real wire formats of a foreign client process', async () => {
    const warnings: string[] = [];
    const received: SpanRow[] = [];
    const s = await session(warnings, received);
    expect(s.nodeArgs).toEqual([]);
    await s.setPhase('steady', true);
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const { stdout } = await promisify(execFile)(process.execPath, [CLIENT, s.receivers.otlp, traceId], { timeout: 30_000 });
    expect(stdout).toContain('json 200');
    expect(stdout).toContain('ingest 200');
    await s.setPhase(null, false);
    const r = await s.finish();
    expect(warnings).toEqual([]);
    expect(r.spanCount).toBe(received.length);
    const proto = received.filter((x) => !x.name.endsWith('(json)'));
    const json = received.filter((x) => x.name.endsWith('(json)'));
    for (const spans of [proto, json]) {
      expect(spans).toHaveLength(2);
      const server = spans.find((x) => x.kind === 'server')!;
      const db = spans.find((x) => x.kind === 'client')!;
      expect(server.trace_id).toBe(traceId);
      expect(server.parent_span_id).toBe('00f067aa0ba902b7');
      expect(server.service).toBe('foreign-go-ish');
      expect(db.parent_span_id).toBe(server.span_id);
      expect(JSON.parse(server.attributes)).toMatchObject({ 'http.route': '/orders', 'http.response.status_code': 200 });
      expect(server.start_ms).toBeGreaterThan(Date.now() - 60_000);
      // A span of the foreign client's own request, in ms: a unit slip (µs, ns) would be far above a minute.
      expect(server.duration_ms).toBeGreaterThanOrEqual(0);
      expect(server.duration_ms).toBeLessThan(60_000);
    }
    const cpu = r.profiles.find((p) => p.type === 'cpu')!;
    expect(cpu).toMatchObject({ phase: 'steady', sample_type: 'cpu', unit: 'nanoseconds', total: 350_000_000 });
    const hot = r.functions.find((f) => f.type === 'cpu' && f.function === 'main.foreignHot')!;
    expect(hot).toMatchObject({ self: 300_000_000, total: 300_000_000, file: '/src/hot.go', line: 42 });
    expect(r.functions.find((f) => f.type === 'cpu' && f.function === 'main.main')).toMatchObject({ self: 50_000_000, total: 350_000_000 });
  }, 60_000);

  it('forward what they receive to real servers when configured', async () => {
    // A second capture's receivers stand in for a real Pyroscope server and OTLP collector.
    const upstreamWarnings: string[] = [];
    const theirs: SpanRow[] = [];
    const upstream = await session(upstreamWarnings, theirs);
    await upstream.setPhase('steady', true);
    const dir = await mkdtemp(join(tmpdir(), 'headroom-receivers-'));
    dirs.push(dir);
    const warnings: string[] = [];
    const mine: SpanRow[] = [];
    const s = await startCapture({
      runId: 'r',
      artifactsDir: dir,
      serviceName: 'svc',
      onWarning: (m) => warnings.push(m),
      onSpans: (batch) => mine.push(...batch),
      capture: { cpu: false, heap: false, traces: null, runtime: false },
      forward: { pyroscopeUrl: upstream.receivers.pyroscope, otlpEndpoint: upstream.receivers.otlp },
    });
    await s.setPhase('steady', true);
    const traceId = '1af7651916cd43dd8448eb211c80319c';
    await promisify(execFile)(process.execPath, [CLIENT, s.receivers.otlp, traceId], { timeout: 30_000 });
    await s.finish();
    const upstreamResult = await upstream.finish();
    expect(warnings).toEqual([]);
    expect(upstreamWarnings).toEqual([]);
    expect(mine.length).toBeGreaterThan(0);
    expect(theirs.map((x) => x.span_id).sort()).toEqual(mine.map((x) => x.span_id).sort());
    expect(upstreamResult.functions.find((f) => f.function === 'main.foreignHot')?.self).toBe(300_000_000);
  }, 60_000);

  it('reject garbage and oversized bodies with 4xx and keep working', async () => {
    const warnings: string[] = [];
    const s = await session(warnings);
    await s.setPhase('steady', true);
    const url = s.receivers.otlp;
    const post = (path: string, body: string | Uint8Array, type: string) =>
      fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': type }, body });
    expect((await post('/v1/traces', new Uint8Array([0x0a, 0xff, 0xff, 0xff]), 'application/x-protobuf')).status).toBe(400);
    expect((await post('/v1/traces', '{"resourceSpans": 3', 'application/json')).status).toBe(400);
    expect((await post('/v1/traces', 'hello', 'text/plain')).status).toBe(415);
    expect((await post('/ingest?name=x&format=pprof', new Uint8Array([1, 2, 3, 4, 5]), 'application/octet-stream')).status).toBe(400);
    expect((await post('/ingest?format=pprof', new Uint8Array([1]), 'application/octet-stream')).status).toBe(400);
    expect((await post('/ingest?name=x&format=jfr', new Uint8Array([1]), 'application/octet-stream')).status).toBe(415);
    expect((await post('/ingest?name=x', 'no count here', 'text/plain')).status).toBe(400);
    expect(await post('/v1/traces', new Uint8Array([1, 2, 3]), 'application/x-protobuf').then((r) => r.status)).toBe(400);
    // 33 MiB, streamed without a content-length: cut off at 32 MiB with 413.
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      const chunk = Buffer.alloc(1024 * 1024, 0x0a);
      let i = 0;
      const write = () => {
        while (i < 33) {
          i++;
          if (!req.write(chunk)) {
            req.once('drain', write);
            return;
          }
        }
        req.end();
      };
      write();
    });
    expect(status).toBe(413);
    // Still serving, and valid data still lands.
    const ok = await post('/ingest?name=app&format=folded&units=samples&sampleRate=100', 'main;work 7\nmain 3\n', 'text/plain');
    expect(ok.status).toBe(200);
    await s.setPhase(null, false);
    const r = await s.finish();
    expect(r.functions.find((f) => f.function === 'work')).toMatchObject({ self: 70_000_000, type: 'cpu' });
    expect(warnings.length).toBeGreaterThan(3);
    expect(warnings.some((w) => w.includes('413'))).toBe(true);
  }, 60_000);
});
