/**
 * Spans through the real OTLP receiver into a collector: each export request is handed on as it
 * arrives (not at the end of the run), nothing is kept, and the span cap still drops and warns.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Collector } from './collector.ts';
import { ControlChannel } from './control.ts';
import { startReceivers, type Receivers } from './receivers.ts';
import { CAPTURE_DEFAULTS, type SpanRow } from './types.ts';

let receivers: Receivers | null = null;
afterEach(async () => {
  await receivers?.close();
  receivers = null;
});

/** An OTLP/JSON export request of `n` server spans named `<prefix> <i>`. */
function exportRequest(prefix: string, n: number): string {
  const start = BigInt(Date.now()) * 1_000_000n;
  const spans = Array.from({ length: n }, (_, i) => ({
    traceId: '5b8efff798038103d269b633813fc60c',
    spanId: (0x1000 + i).toString(16).padStart(16, '0'),
    name: `${prefix} ${i}`,
    kind: 'SPAN_KIND_SERVER',
    startTimeUnixNano: String(start),
    endTimeUnixNano: String(start + 2_000_000n),
    attributes: [{ key: 'url.path', value: { stringValue: '/orders' } }],
  }));
  return JSON.stringify({
    resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] }, scopeSpans: [{ spans }] }],
  });
}

async function post(url: string, body: string): Promise<number> {
  const r = await fetch(`${url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  await r.arrayBuffer();
  return r.status;
}

describe('collector: spans', () => {
  it('hands each export request on as it arrives, and keeps only a count', async () => {
    const batches: SpanRow[][] = [];
    const collector = new Collector({ onSpans: (b) => batches.push(b) });
    receivers = await startReceivers({ collector, control: new ControlChannel(), serviceName: 'default' });
    expect(await post(receivers.url, exportRequest('first', 3))).toBe(200);
    // Handed on before the exporter got its answer, long before any finalize.
    expect(batches.map((b) => b.map((s) => s.name))).toEqual([['first 0', 'first 1', 'first 2']]);
    expect(batches[0]![0]).toMatchObject({ kind: 'server', service: 'svc', duration_ms: 2, source: 'otlp' });
    expect(await post(receivers.url, exportRequest('second', 2))).toBe(200);
    expect(batches.map((b) => b.length)).toEqual([3, 2]);
    const dir = await mkdtemp(join(tmpdir(), 'headroom-collector-'));
    try {
      const result = await collector.finalize(dir);
      expect(result.spanCount).toBe(5);
      expect(result.warnings).toEqual([]);
      expect('spans' in result).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('drops the spans over the cap, with the warning once and the count at the end', async () => {
    const batches: SpanRow[][] = [];
    const warnings: string[] = [];
    const collector = new Collector({ onSpans: (b) => batches.push(b), onWarning: (m) => warnings.push(m), maxSpans: 10 });
    receivers = await startReceivers({ collector, control: new ControlChannel(), serviceName: 'default' });
    for (const [prefix, n] of [
      ['a', 6],
      ['b', 6],
      ['c', 3],
    ] as const)
      expect(await post(receivers.url, exportRequest(prefix, n))).toBe(200);
    // The second request fills the cap with its first four spans; the third is dropped whole.
    expect(batches.map((b) => b.map((s) => s.name))).toEqual([
      ['a 0', 'a 1', 'a 2', 'a 3', 'a 4', 'a 5'],
      ['b 0', 'b 1', 'b 2', 'b 3'],
    ]);
    expect(warnings).toEqual(['more than 10 spans received; later spans are dropped (lower traces.sample)']);
    const dir = await mkdtemp(join(tmpdir(), 'headroom-collector-'));
    try {
      const result = await collector.finalize(dir);
      expect(result.spanCount).toBe(10);
      expect(result.warnings.at(-1)).toBe('5 spans were dropped over the 10 cap');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('caps at CAPTURE_DEFAULTS.maxSpans unless told otherwise, with the same warning text', () => {
    const warnings: string[] = [];
    let handed = 0;
    const collector = new Collector({ onSpans: (b) => (handed += b.length), onWarning: (m) => warnings.push(m) });
    const span: SpanRow = {
      trace_id: 't',
      span_id: 's',
      parent_span_id: null,
      name: 'x',
      kind: 'server',
      service: 'svc',
      start_ms: 0,
      duration_ms: 1,
      status_code: 'unset',
      attributes: '{}',
      source: 'otlp',
    };
    // The same row object many times: the collector keeps none of them, so this costs no memory.
    const batch = Array.from({ length: 100_000 }, () => span);
    for (let i = 0; i < CAPTURE_DEFAULTS.maxSpans / batch.length; i++) collector.addSpans(batch);
    expect(warnings).toEqual([]);
    collector.addSpans([span, span]);
    expect(handed).toBe(CAPTURE_DEFAULTS.maxSpans);
    expect(collector.spanCount).toBe(CAPTURE_DEFAULTS.maxSpans);
    expect(warnings).toEqual([`more than ${CAPTURE_DEFAULTS.maxSpans} spans received; later spans are dropped (lower traces.sample)`]);
  });

  it('a callback that throws costs a warning, not the receiver', async () => {
    const warnings: string[] = [];
    const collector = new Collector({
      onSpans: () => {
        throw new Error('sink gone');
      },
      onWarning: (m) => warnings.push(m),
    });
    receivers = await startReceivers({ collector, control: new ControlChannel(), serviceName: 'default' });
    expect(await post(receivers.url, exportRequest('a', 1))).toBe(200);
    expect(await post(receivers.url, exportRequest('b', 1))).toBe(200);
    expect(warnings).toEqual(['spans could not be handed on: sink gone']);
  });

  it('a phase written early (finalizePhase) is handed on once: later pushes naming it are dropped and counted, the rest is written at the end in files of its own', async () => {
    const collector = new Collector();
    receivers = await startReceivers({ collector, control: new ControlChannel(), serviceName: 'default' });
    const url = receivers.url;
    const push = async (phase: string, folded: string): Promise<number> => {
      const name = encodeURIComponent(`app{phase=${phase}}`);
      const r = await fetch(`${url}/ingest?name=${name}&format=folded&units=samples&sampleRate=100`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: folded,
      });
      await r.arrayBuffer();
      return r.status;
    };
    const dir = await mkdtemp(join(tmpdir(), 'headroom-collector-'));
    try {
      collector.setPhase('first', true);
      expect(await push('first', 'main;work 7\nmain 3\n')).toBe(200);
      collector.setPhase('second', true);
      expect(await push('second', 'main;other 5\n')).toBe(200);

      const early = await collector.finalizePhase('first', dir);
      expect(early.profiles.length).toBeGreaterThan(0);
      expect(new Set(early.profiles.map((p) => p.phase))).toEqual(new Set(['first']));
      expect(early.functions.some((f) => f.phase === 'first' && f.function === 'work')).toBe(true);
      const firstTotal = early.profiles[0]!.total;
      expect(collector.isClosed('first')).toBe(true);
      expect(await push('first', 'main;work 100\n')).toBe(200); // answered, so the agent does not retry, and dropped
      expect(collector.latePushes).toBe(1);

      const rest = await collector.finalize(dir);
      expect(new Set(rest.profiles.map((p) => p.phase))).toEqual(new Set(['second']));
      expect(rest.functions.some((f) => f.phase === 'first')).toBe(false);
      const paths = [...early.profiles, ...rest.profiles].map((p) => p.path);
      for (const path of paths) expect(existsSync(path), path).toBe(true);
      expect(new Set(paths).size).toBe(new Set([...early.profiles, ...rest.profiles].map((p) => p.phase)).size);
      // The file written early was not rewritten with the late push: 10 samples, not 110.
      expect(firstTotal / 10).toBe(rest.profiles[0]!.total / 5);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
