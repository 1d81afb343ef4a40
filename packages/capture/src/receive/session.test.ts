/**
 * End to end with real processes: the fixture server runs with the agent preloaded, real HTTP
 * requests (some with a traceparent) drive it, and finish() must hand back a real gzipped pprof
 * whose top CPU function is the fixture's heavy handler, the spans of the trace we sent, runtime
 * samples, and span labels that let the slow-span join find the handler.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCapture } from './session.ts';
import { decodePprof } from '../profile/io.ts';
import { profileOfSpans } from '../profile/span-labels.ts';
import { functionTable } from '../profile/function-table.ts';
import type { CaptureResult, SpanRow } from './types.ts';

const FIXTURE = fileURLToPath(new URL('../../test/fixtures/heavy-server.ts', import.meta.url));
const children: ChildProcess[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

function startSut(args: string[], env: Record<string, string>): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [...args, FIXTURE], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += String(d);
      const m = /listening (\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.on('exit', (code) => reject(new Error(`SUT exited with ${code}`)));
  });
}

async function drive(port: number, ms: number, traceId: string): Promise<number> {
  const end = Date.now() + ms;
  let n = 0;
  const worker = async () => {
    while (Date.now() < end) {
      const headers: Record<string, string> =
        n % 5 === 0 ? { traceparent: `00-${traceId}-${(n + 1).toString(16).padStart(16, '0')}-01` } : {};
      n++;
      const r = await fetch(`http://127.0.0.1:${port}/report`, { headers });
      await r.text();
    }
  };
  await Promise.all([worker(), worker(), worker()]);
  return n;
}

/** A traced request to a route that never answers, given up by the client after 100 ms. */
async function abandon(port: number, traceId: string): Promise<void> {
  const ac = new AbortController();
  const gone = fetch(`http://127.0.0.1:${port}/hang`, {
    signal: ac.signal,
    headers: { traceparent: `00-${traceId}-00000000000000aa-01` },
  }).catch(() => undefined);
  await new Promise((r) => setTimeout(r, 100));
  ac.abort();
  await gone;
  await new Promise((r) => setTimeout(r, 100)); // the server sees the connection close
}

describe('capture end to end', () => {
  let result: CaptureResult;
  /** Spans as the session handed them on, with how many had arrived before finish() was called. */
  const spans: SpanRow[] = [];
  let spansBeforeFinish = 0;
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const abandonedTraceId = '0af7651916cd43dd8448eb211c80319c';
  const warnings: string[] = [];
  const runtimeSeen: number[] = [];
  let requests = 0;

  it('captures profiles, spans and runtime of a real Node server', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'headroom-capture-'));
    dirs.push(dir);
    const session = await startCapture({
      runId: 'test-run',
      artifactsDir: dir,
      serviceName: 'fixture',
      capture: { cpu: true, heap: true, traces: { sample: 0.01 }, runtime: true },
      onWarning: (m) => warnings.push(m),
      onRuntimeSample: (s) => runtimeSeen.push(s.second_epoch),
      onSpans: (batch) => spans.push(...batch),
    });
    expect(session.nodeArgs[0]).toBe('--import');
    expect(session.receivers.otlp).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const { child, port } = await startSut(session.nodeArgs, session.env);
    await session.setPhase('warmup', false);
    // The CPU profiler runs from the agent's start; what it sampled before the measured phase is dropped.
    const warm = await drive(port, 1000, traceId);
    for (let i = 0; i < 20; i++) await (await fetch(`http://127.0.0.1:${port}/warm`)).text();
    await session.setPhase('steady', true);
    const n = await drive(port, 3000, traceId);
    expect(n).toBeGreaterThan(30);
    await abandon(port, abandonedTraceId);
    requests = n + warm;
    await session.setPhase(null, false);
    spansBeforeFinish = spans.length;
    result = await session.finish();
    child.kill('SIGTERM');
  }, 60_000);

  it('profiles only the measured phase, as a decodable gzipped pprof led by the heavy handler', async () => {
    expect(warnings).toEqual([]);
    expect(new Set(result.profiles.map((p) => p.phase))).toEqual(new Set(['steady']));
    const cpu = result.profiles.find((p) => p.type === 'cpu')!;
    expect(cpu.unit).toBe('nanoseconds');
    expect(cpu.total).toBeGreaterThan(0);
    const bytes = await readFile(cpu.path);
    expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]);
    const profile = decodePprof(bytes);
    const top = functionTable(
      profile,
      profile.sampleType.findIndex((t) => profile.stringTable.strings[Number(t.type)] === 'cpu'),
      'steady',
    );
    expect(top.slice(0, 3).map((r) => r.function)).toContain('heavyReport');
    expect(top.map((r) => r.function)).not.toContain('warmupOnly');
    const rows = result.functions.filter((r) => r.type === 'cpu' && r.phase === 'steady').sort((a, b) => b.self - a.self);
    expect(rows.slice(0, 3).map((r) => r.function)).toContain('heavyReport');
    expect(result.profiles.some((p) => p.type === 'wall')).toBe(true);
    expect(result.profiles.some((p) => p.type === 'heap' && p.total > 0)).toBe(true);
  });

  it('keeps the server spans of the trace the client started', () => {
    const ours = spans.filter((s) => s.trace_id === traceId);
    expect(ours.length).toBeGreaterThan(5);
    for (const s of ours) {
      expect(s.kind).toBe('server');
      expect(s.service).toBe('fixture');
      expect(s.parent_span_id).toMatch(/^[0-9a-f]{16}$/);
      expect(JSON.parse(s.attributes)['url.path']).toBe('/report');
    }
  });

  it('hands spans on while the phases run, not only when the run finishes', () => {
    // The agent exports every second and the phases took 4 s: most spans crossed before finish().
    expect(spansBeforeFinish).toBeGreaterThan(5);
    expect(result.spanCount).toBe(spans.length);
  });

  it('ends the span of a request whose client went away before the response, as an error', () => {
    const gone = spans.filter((s) => s.trace_id === abandonedTraceId);
    expect(gone).toHaveLength(1);
    expect(gone[0]!.status_code).toBe('error');
    expect(JSON.parse(gone[0]!.attributes)['url.path']).toBe('/hang');
  });

  it('samples requests without a traceparent at the configured ratio', () => {
    // One request in five carries a sampled traceparent; the rest are kept with p = 0.01.
    const others = spans.filter((s) => s.trace_id !== traceId).length;
    expect(others).toBeLessThan(Math.max(5, requests * 0.8 * 0.05));
  });

  it('sends per-second runtime samples', () => {
    expect(result.runtime.length).toBeGreaterThanOrEqual(3);
    expect(runtimeSeen.length).toBe(result.runtime.length);
    const s = result.runtime.at(-2)!;
    expect(s.cpu).toBeGreaterThan(0.05);
    expect(s.rss_mb).toBeGreaterThan(10);
    expect(s.elu).toBeGreaterThan(0);
    expect(s.elu).toBeLessThanOrEqual(1);
  });

  it('joins the slowest spans to their CPU samples through span_id labels', async () => {
    const cpu = result.profiles.find((p) => p.type === 'cpu')!;
    // Each request takes a few ms of CPU and samples come every 10 ms, so join enough spans to have samples.
    const ids = spans.filter((s) => s.trace_id === traceId).map((s) => s.span_id);
    const joined = profileOfSpans(decodePprof(await readFile(cpu.path)), ids);
    expect(joined.status).toBe('ok');
    if (joined.status !== 'ok') return;
    const idx = joined.profile.sampleType.findIndex((t) => joined.profile.stringTable.strings[Number(t.type)] === 'cpu');
    const jt = functionTable(joined.profile, idx, 'steady');
    // Every joined sample ran inside the /report handler; heavyReport is where its CPU goes.
    expect(jt.slice(0, 2).map((r) => r.function)).toContain('heavyReport');
    expect(jt.find((r) => r.function === 'heavyReport')!.self / jt.reduce((a, r) => a + r.self, 0)).toBeGreaterThan(0.1);
    // Every kept sample carries the span_id of one of the trace's spans.
    const st = joined.profile.stringTable.strings;
    const wanted = new Set(ids);
    expect(
      joined.profile.sample.every((smp) => smp.label.some((l) => st[Number(l.key)] === 'span_id' && wanted.has(st[Number(l.str)] ?? ''))),
    ).toBe(true);
  });
});
