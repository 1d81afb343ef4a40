/**
 * Spans from the service reach the run's spool while the run goes on: posted to the real OTLP
 * receiver of a capture session, published on a real bus within about a second, and written by
 * the store sink, redacted, into a real spool, all before the capture finishes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateScenario } from '@headroom/core';
import { RunSpool, readSpools, type Row } from '@headroom/store';
import { SampleBus, type BusEvent } from './bus.ts';
import { startServiceCapture } from './capture-bridge.ts';
import { StoreSink } from './sinks/store-sink.ts';
import { REDACTED } from './redact.ts';
import { SPAN_BATCH_DEFAULTS } from './span-batcher.ts';

const dir = mkdtempSync(join(tmpdir(), 'headroom-bridge-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An OTLP/JSON export request of `n` server spans, each carrying an Authorization header and a URL with a password. */
function exportRequest(prefix: string, n: number): string {
  const start = BigInt(Date.now()) * 1_000_000n;
  const spans = Array.from({ length: n }, (_, i) => ({
    traceId: '5b8efff798038103d269b633813fc60c',
    spanId: `${prefix}${i}`.padStart(16, '0'),
    name: `GET postgres://app:hunter2@db/${prefix}${i}`,
    kind: 2,
    startTimeUnixNano: String(start),
    endTimeUnixNano: String(start + 1_000_000n),
    attributes: [
      { key: 'http.request.header.authorization', value: { stringValue: 'Bearer abc' } },
      { key: 'url.path', value: { stringValue: '/orders' } },
    ],
  }));
  return JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans }] }] });
}

/** The spans rows the run's spool holds now, as the fold would read them. */
function spooled(db: string, runId: string): Partial<Row<'spans'>>[] {
  const spool = readSpools(db).find((s) => s.runId === runId);
  return (spool?.ops ?? []).flatMap((op) => (op.op === 'append' && op.table === 'spans' ? (op.rows as Partial<Row<'spans'>>[]) : []));
}

describe('capture bridge: spans while the run goes on', () => {
  it('publishes received spans within about a second and the store sink spools them, redacted, before finish', async () => {
    const db = join(dir, 'h.duckdb');
    const runId = 'bridge-run';
    const spool = RunSpool.create(db, { id: runId, kind: 'load', scenario: 'bridge', status: 'running' });
    const sinkErrors: unknown[] = [];
    const bus = new SampleBus((_name, err) => sinkErrors.push(err));
    const seen: { at: number; n: number }[] = [];
    bus.attach({
      name: 'watch',
      onEvent: (e: BusEvent) => {
        if (e.type === 'spans') seen.push({ at: Date.now(), n: e.spans.length });
      },
    });
    bus.attach(new StoreSink(spool, runId));
    const warnings: string[] = [];
    const scenario = validateScenario(
      {
        name: 'bridge',
        service: { command: ['node', 'server.ts'], ready: 'http://127.0.0.1:1/health', cpus: [0], capture: { traces: { sample: 1 } } },
        target: 'http://127.0.0.1:1',
        requests: [{ path: '/' }],
        workers: { cpus: [1] },
        phases: [{ name: 'steady', duration: '1s', rate: 10 }],
      },
      { file: join(dir, 'bridge.ts'), cpuCount: 2 },
    );
    const capture = await startServiceCapture(scenario, runId, join(dir, 'artifacts'), bus, (m) => warnings.push(m));
    expect(capture).not.toBeNull();
    const url = capture!.env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']!;
    const post = async (body: string) =>
      (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).status;

    const postedAt = Date.now();
    expect(await post(exportRequest('a', 3))).toBe(200);
    expect(await post(exportRequest('b', 2))).toBe(200);
    // The two export requests go out together once the batch's delay has passed, while the capture still runs.
    for (const end = Date.now() + 5000; spooled(db, runId).length < 5 && Date.now() < end;) await new Promise((r) => setTimeout(r, 50));
    expect(seen).toEqual([{ at: expect.any(Number), n: 5 }]);
    expect(seen[0]!.at - postedAt).toBeGreaterThanOrEqual(SPAN_BATCH_DEFAULTS.maxDelayMs - 50);
    expect(seen[0]!.at - postedAt).toBeLessThan(SPAN_BATCH_DEFAULTS.maxDelayMs + 2000);
    const rows = spooled(db, runId);
    expect(rows.map((r) => r.span_id)).toEqual([
      '00000000000000a0',
      '00000000000000a1',
      '00000000000000a2',
      '00000000000000b0',
      '00000000000000b1',
    ]);
    for (const r of rows) {
      expect(r).toMatchObject({ run_id: runId, kind: 'server', service: 'bridge', source: 'otlp' });
      // Redacted exactly as the store sink always did: the password in the name, the header's value.
      expect(r.name).not.toContain('hunter2');
      expect(JSON.parse(r.attributes as string)).toEqual({ 'http.request.header.authorization': REDACTED, 'url.path': '/orders' });
    }

    // Spans still waiting when the run ends go out with finish, not a second later.
    expect(await post(exportRequest('c', 4))).toBe(200);
    expect(spooled(db, runId)).toHaveLength(5);
    expect(await capture!.finish()).toBeNull();
    await bus.close();
    expect(seen.map((s) => s.n)).toEqual([5, 4]);
    expect(spooled(db, runId)).toHaveLength(9);
    expect(sinkErrors).toEqual([]);
    expect(warnings).toEqual([]);
    spool.finish({ status: 'completed' });
  }, 20_000);
});
