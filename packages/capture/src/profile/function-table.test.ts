/** functionTable and profileOfSpans on a hand-built pprof whose answers are worked out in the comments. */
import { describe, it, expect } from 'vitest';
import { Profile, StringTable, ValueType, Function as PFunction, Location, Line, Sample, Label } from 'pprof-format';
import { functionTable } from './function-table.ts';
import { profileOfSpans } from './span-labels.ts';

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

describe('functionTable', () => {
  it('counts self at the leaf and total once per stack', () => {
    const rows = functionTable(sampleProfile(), 1, 'steady');
    const by = Object.fromEntries(rows.map((r) => [r.function, [r.self, r.total, r.line]]));
    // parse: self 60 total 60; handler: self 30, total 60+30; main: self 0, total 100; gc: 10/10.
    expect(by).toEqual({ parse: [60, 60, 30], handler: [30, 90, 20], gc: [10, 10, 40], main: [0, 100, 10] });
  });
});

describe('profileOfSpans', () => {
  it('keeps the samples labelled with the given span ids, case-insensitively', () => {
    const r = profileOfSpans(sampleProfile(), ['AAAAAAAAAAAAAAAA']);
    expect(r.status).toBe('ok');
    if (r.status !== 'ok') return;
    expect(functionTable(r.profile, 1, 'x').map((f) => [f.function, f.self])).toEqual([
      ['parse', 60],
      ['handler', 0],
      ['main', 0],
    ]);
    expect(profileOfSpans(sampleProfile(), ['cccccccccccccccc']).status).toBe('no-match');
  });
});
