/** exportProfile (speedscope) and slowSpanProfile on a hand-built pprof whose answers are worked out in the comments. */
import { describe, it, expect } from 'vitest';
import { gunzipSync } from 'node:zlib';
import { Profile, StringTable, ValueType, Function as PFunction, Location, Line, Sample, Label } from 'pprof-format';
import type { SpanRow } from '@headroom/capture';
import { exportProfile } from './export-profile.ts';
import { slowSpanProfile, slowestSpanIds } from './slow-span-profile.ts';

/** main → handler → parse (leaf), main → handler (leaf), main → gc; cpu values 60, 30, 10. */
function sampleProfile(): Profile {
  const st = new StringTable();
  const fn = (id: number, name: string) =>
    new PFunction({ id, name: st.dedup(name), filename: st.dedup(`/src/${name}.ts`), startLine: id * 10 });
  const loc = (id: number) => new Location({ id, line: [new Line({ functionId: id, line: id * 10 + 1 })] });
  const span = (id: string) => [new Label({ key: st.dedup('span_id'), str: st.dedup(id) })];
  return new Profile({
    stringTable: st,
    sampleType: [
      new ValueType({ type: st.dedup('samples'), unit: st.dedup('count') }),
      new ValueType({ type: st.dedup('cpu'), unit: st.dedup('nanoseconds') }),
    ],
    function: [fn(1, 'main'), fn(2, 'handler'), fn(3, 'parse'), fn(4, 'gc')],
    location: [loc(1), loc(2), loc(3), loc(4)],
    sample: [
      new Sample({ locationId: [3, 2, 1], value: [6, 60], label: span('aaaaaaaaaaaaaaaa') }),
      new Sample({ locationId: [2, 1], value: [3, 30], label: span('bbbbbbbbbbbbbbbb') }),
      new Sample({ locationId: [4, 1], value: [1, 10] }),
    ],
  });
}

const span = (id: string, ms: number, kind = 'server'): SpanRow => ({
  trace_id: 't'.repeat(32),
  span_id: id,
  parent_span_id: null,
  name: 'GET',
  kind,
  service: 'api',
  start_ms: 0,
  duration_ms: ms,
  status_code: 'unset',
  attributes: '{}',
  source: 'otlp',
});

describe('exportProfile', () => {
  it('writes speedscope JSON with root-to-leaf stacks, one sampled profile per type', () => {
    const bytes = sampleProfile().encode();
    const pprof = exportProfile(bytes, 'steady.cpu.pb.gz', 'pprof');
    expect(pprof.fileName).toBe('steady.cpu.pb.gz');
    expect(Profile.decode(gunzipSync(pprof.data)).sample).toHaveLength(3);
    const ss = exportProfile(bytes, 'steady.cpu.pb.gz', 'speedscope');
    expect(ss.fileName).toBe('steady.cpu.speedscope.json');
    const doc = JSON.parse(Buffer.from(ss.data).toString('utf8'));
    expect(doc.$schema).toBe('https://www.speedscope.app/file-format-schema.json');
    const cpu = doc.profiles[doc.activeProfileIndex];
    expect(cpu).toMatchObject({ type: 'sampled', unit: 'nanoseconds', startValue: 0, endValue: 100, weights: [60, 30, 10] });
    expect(cpu.samples[0].map((i: number) => doc.shared.frames[i].name)).toEqual(['main', 'handler', 'parse']);
  });

  it('refuses bytes that are not a profile', () => {
    expect(() => exportProfile(Buffer.from('not a profile'), 'x.pb.gz', 'pprof')).toThrow();
  });
});

describe('slowSpanProfile', () => {
  it('keeps the samples of the slowest server spans only', () => {
    // Spans by duration: a (9 ms), c (5 ms, no samples), b (1 ms). The two slowest are a and c.
    const spans = [
      span('AAAAAAAAAAAAAAAA', 9),
      span('bbbbbbbbbbbbbbbb', 1),
      span('cccccccccccccccc', 5),
      span('dddddddddddddddd', 50, 'internal'),
    ];
    expect(slowestSpanIds(spans, { limit: 2 })).toEqual(['AAAAAAAAAAAAAAAA', 'cccccccccccccccc']);
    const r = slowSpanProfile(sampleProfile(), spans, { limit: 2 });
    expect(r.status).toBe('ok');
    if (r.status !== 'ok') return;
    // Only the sample labelled aaaa… (main → handler → parse, 60 ns) is kept; ids match case-insensitively.
    expect(r.samples).toBe(1);
    expect(r.matchedSpans).toEqual(['aaaaaaaaaaaaaaaa']);
    expect(r.profile.sample.map((s) => s.value.map(Number))).toEqual([[6, 60]]);
  });

  it('says why there is nothing: no server spans, no labels, or no sample of those spans', () => {
    expect(slowSpanProfile(sampleProfile(), [span('x', 1, 'internal')]).status).toBe('no-spans');
    expect(slowSpanProfile(sampleProfile(), [span('eeeeeeeeeeeeeeee', 1)])).toEqual({ status: 'no-match', spanIds: ['eeeeeeeeeeeeeeee'] });
    const unlabelled = sampleProfile();
    for (const s of unlabelled.sample) s.label = [];
    unlabelled.stringTable.strings[unlabelled.stringTable.strings.indexOf('span_id')] = 'other';
    expect(slowSpanProfile(unlabelled, [span('AAAAAAAAAAAAAAAA', 1)]).status).toBe('no-labels');
  });
});
