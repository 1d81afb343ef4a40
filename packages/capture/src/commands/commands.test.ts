/** The capture commands on hand-built data whose answers are computed by hand in the comments. */
import { describe, it, expect, afterAll } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Profile, StringTable, ValueType, Function as PFunction, Location, Line, Sample, Label } from 'pprof-format';
import { profileTop } from './profile-top.ts';
import { profileDiff } from './profile-diff.ts';
import { exportProfile } from './export-profile.ts';
import { slowTraces } from './slow-traces.ts';
import { slowSpanProfile } from './slow-span-profile.ts';
import { writePprof } from '../profile-io.ts';
import { functionTable } from '../function-table.ts';
import type { FunctionRow, SpanRow } from '../types.ts';

const dirs: string[] = [];
afterAll(async () => { for (const d of dirs) await rm(d, { recursive: true, force: true }); });

const row = (fn: string, self: number, total: number, phase = 'steady'): FunctionRow =>
  ({ phase, type: 'cpu', function: fn, file: `/src/${fn}.ts`, line: 1, self, total, unit: 'nanoseconds' });

/** main → handler → parse (leaf), main → handler (leaf), main → gc; cpu values 60, 30, 10. */
function sampleProfile(): Profile {
  const st = new StringTable();
  const fn = (id: number, name: string) => new PFunction({ id, name: st.dedup(name), filename: st.dedup(`/src/${name}.ts`), startLine: id * 10 });
  const loc = (id: number) => new Location({ id, line: [new Line({ functionId: id, line: id * 10 + 1 })] });
  const span = (id: string) => [new Label({ key: st.dedup('span_id'), str: st.dedup(id) })];
  return new Profile({
    stringTable: st,
    sampleType: [new ValueType({ type: st.dedup('samples'), unit: st.dedup('count') }), new ValueType({ type: st.dedup('cpu'), unit: st.dedup('nanoseconds') })],
    function: [fn(1, 'main'), fn(2, 'handler'), fn(3, 'parse'), fn(4, 'gc')],
    location: [loc(1), loc(2), loc(3), loc(4)],
    sample: [
      new Sample({ locationId: [3, 2, 1], value: [6, 60], label: span('aaaaaaaaaaaaaaaa') }),
      new Sample({ locationId: [2, 1], value: [3, 30], label: span('bbbbbbbbbbbbbbbb') }),
      new Sample({ locationId: [4, 1], value: [1, 10] }),
    ],
  });
}

describe('functionTable', () => {
  it('counts self at the leaf and total once per stack', () => {
    const rows = functionTable(sampleProfile(), 1, 'steady');
    const by = Object.fromEntries(rows.map((r) => [r.function, [r.self, r.total, r.line]]));
    // parse: self 60 total 60; handler: self 30, total 60+30; main: self 0, total 100; gc: 10/10.
    expect(by).toEqual({ parse: [60, 60, 30], handler: [30, 90, 20], gc: [10, 10, 40], main: [0, 100, 10] });
  });
});

describe('profileTop', () => {
  it('sums phases, ranks by self and gives shares of the profile total', () => {
    const rows = [row('a', 50, 50), row('b', 30, 80), row('a', 10, 10, 'other'), row('c', 10, 90)];
    const top = profileTop(rows, { limit: 2 });
    // total = 50+30+10+10 = 100; a = 60 (two phases), b = 30.
    expect(top.profileTotal).toBe(100);
    expect(top.rows.map((r) => [r.function, r.self, r.self_pct, r.total_pct])).toEqual([['a', 60, 0.6, 0.6], ['b', 30, 0.3, 0.8]]);
    expect(top.text).toContain('60.00%');
    expect(profileTop(rows, { phase: 'other' }).rows).toHaveLength(1);
    expect(profileTop(rows, { sortBy: 'total', limit: 1 }).rows[0]!.function).toBe('c');
  });
});

describe('profileDiff', () => {
  it('compares shares of each side, biggest movers first', () => {
    // base total 100: a 50%, b 50%. cand total 400 (a busier run): a 25%, b 50%, c 25% (new).
    const base = [row('a', 50, 50), row('b', 50, 100)];
    const cand = [row('a', 100, 100), row('b', 200, 400), row('c', 100, 100)];
    const d = profileDiff(base, cand);
    expect(d.baseTotal).toBe(100);
    expect(d.candTotal).toBe(400);
    expect(d.rows.map((r) => [r.function, r.delta_self_pct, r.status])).toEqual([['a', -0.25, 'changed'], ['c', 0.25, 'added'], ['b', 0, 'changed']]);
    expect(d.text.split('\n')[1]).toMatch(/^-25\.00%/);
  });
});

describe('exportProfile and slowSpanProfile', () => {
  it('writes speedscope JSON with root-to-leaf stacks and extracts labelled samples', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'headroom-cmd-'));
    dirs.push(dir);
    const path = join(dir, 'steady.cpu.pb.gz');
    await writePprof(path, sampleProfile());
    const pprof = await exportProfile(path, 'pprof');
    expect([pprof.data[0], pprof.data[1]]).toEqual([0x1f, 0x8b]);
    const ss = await exportProfile(path, 'speedscope');
    expect(ss.fileName).toBe('steady.cpu.speedscope.json');
    const doc = JSON.parse(Buffer.from(ss.data).toString('utf8'));
    expect(doc.$schema).toBe('https://www.speedscope.app/file-format-schema.json');
    const cpu = doc.profiles[doc.activeProfileIndex];
    expect(cpu).toMatchObject({ type: 'sampled', unit: 'nanoseconds', startValue: 0, endValue: 100, weights: [60, 30, 10] });
    expect(cpu.samples[0].map((i: number) => doc.shared.frames[i].name)).toEqual(['main', 'handler', 'parse']);

    const slow = await slowSpanProfile({ profilePath: path, spanIds: ['AAAAAAAAAAAAAAAA'] });
    expect(slow.status).toBe('ok');
    if (slow.status === 'ok') expect(functionTable(slow.profile, 1, 'x').map((r) => [r.function, r.self])).toEqual([['parse', 60], ['handler', 0], ['main', 0]]);
    expect((await slowSpanProfile({ profilePath: path, spanIds: ['cccccccccccccccc'] })).status).toBe('no-match');
  });
});

describe('slowTraces', () => {
  it('lists the slowest sampled requests with their span trees', () => {
    const span = (id: string, parent: string | null, name: string, start: number, dur: number, trace = 't1'.padEnd(32, '0')): SpanRow => ({
      trace_id: trace, span_id: id, parent_span_id: parent, name, kind: parent === 'gen' ? 'server' : 'internal', service: 'api',
      start_ms: start, duration_ms: dur, status_code: 'unset', attributes: '{"url.path":"/orders"}', source: 'otlp' });
    const spans = [span('s1', 'gen', 'GET', 1002, 40), span('s2', 's1', 'db', 1010, 25), span('s3', 's1', 'render', 1005, 3)];
    const samples = [
      { traceId: 't1'.padEnd(32, '0'), spanId: 'gen', phase: 'steady', request: 'GET /orders', startedAt: 1000, latencyUs: 45_000, status: 200, error: null },
      { trace_id: 't2'.padEnd(32, '0'), span_id: 'gen2', phase: 'steady', request: 'POST /orders', started_at: 2000, latency_us: 5_000, status: 201, error: null },
      { trace_id: 't3'.padEnd(32, '0'), span_id: 'gen3', phase: 'warmup', request: 'GET /orders', started_at: 500, latency_us: 90_000, status: 200, error: null },
    ];
    const r = slowTraces(spans, samples, { limit: 2, phase: 'steady' });
    expect(r.traces.map((t) => t.latency_ms)).toEqual([45, 5]);
    const root = r.traces[0]!.spans[0]!;
    expect(root.offset_ms).toBe(2);
    expect(root.children.map((c) => c.name)).toEqual(['render', 'db']);
    expect(r.text).toContain('45.0ms  GET /orders');
    expect(r.text).toContain('└─ GET /orders (server, api) +2.0ms 40.0ms');
    expect(r.text).toContain('no spans received');
  });
});
