import { describe, it, expect } from 'vitest';
import { Function as PFunction, Label, Line, Location, Profile, Sample, StringTable, ValueType } from 'pprof-format';
import { demangle, mergeProfiles, sampleTypeNames } from './merge.ts';
import { functionTable } from './function-table.ts';

describe('demangle', () => {
  // Names as @pyroscope/nodejs 0.6.4 processProfile rewrites them: `${path relative to cwd}:${name}:${line}`.
  it('restores the function name Pyroscope prefixed with path and suffixed with line', () => {
    expect(demangle('./src/server.ts:heavyReport:12', '/app/src/server.ts')).toBe('heavyReport');
    expect(demangle('./src/server.ts:(anonymous:L#18:C#34):18', '/app/src/server.ts')).toBe('(anonymous:L#18:C#34)');
    expect(demangle('file:///app/x.mjs:run:3', 'file:///app/x.mjs')).toBe('run');
    expect(demangle('./src/server.ts::7', '/app/src/server.ts')).toBe('(anonymous)');
  });
  it('leaves names alone that are not of that shape or not about that file', () => {
    expect(demangle('heavyReport', '/app/src/server.ts')).toBe('heavyReport');
    expect(demangle('a:b:1', '/app/src/server.ts')).toBe('a:b:1');
    expect(demangle('Garbage Collection', '')).toBe('Garbage Collection');
  });
});

interface Fn {
  id: number;
  name: string;
  line: number;
}
interface Smp {
  stack: number[];
  value: [number, number];
  span?: string;
}

/** A pprof built the way profilers write one: its own ids and its own string order. */
function build(types: [string, string], fns: Fn[], samples: Smp[], timeNanos: number, durationNanos: number): Profile {
  const st = new StringTable();
  const vt = (t: string, u: string) => new ValueType({ type: st.dedup(t), unit: st.dedup(u) });
  const sampleType = [vt('samples', 'count'), vt(types[0], types[1])];
  return new Profile({
    stringTable: st,
    sampleType,
    period: 10_000_000,
    periodType: vt(types[0], types[1]),
    timeNanos,
    durationNanos,
    function: fns.map((f) => new PFunction({ id: f.id, name: st.dedup(f.name), filename: st.dedup('/srv/app.js'), startLine: f.line })),
    // One location per function, with the same id as the function (ids are each profile's own).
    location: fns.map((f) => new Location({ id: f.id, line: [new Line({ functionId: f.id, line: f.line + 1 })] })),
    sample: samples.map(
      (s) =>
        new Sample({
          locationId: s.stack,
          value: s.value,
          label: s.span ? [new Label({ key: st.dedup('span_id'), str: st.dedup(s.span) })] : [],
        }),
    ),
  });
}

// Profile 1: main (id 1), work (id 2).
const P1 = () =>
  build(
    ['cpu', 'nanoseconds'],
    [
      { id: 1, name: 'main', line: 10 },
      { id: 2, name: 'work', line: 20 },
    ],
    [
      { stack: [2, 1], value: [1, 10], span: 'a' },
      { stack: [1], value: [2, 20] },
    ],
    1_000,
    500,
  );
// Profile 2: the same functions under other ids, work's name mangled by Pyroscope, and a new one.
const P2 = () =>
  build(
    ['cpu', 'nanoseconds'],
    [
      { id: 9, name: 'main', line: 10 },
      { id: 7, name: './app.js:work:20', line: 20 },
      { id: 3, name: 'other', line: 30 },
    ],
    [
      { stack: [7, 9], value: [3, 30], span: 'a' },
      { stack: [7, 9], value: [1, 5], span: 'b' },
      { stack: [3, 9], value: [1, 7] },
    ],
    1_200,
    800,
  );

/** Each sample as `leaf<…<root|span:values`, sorted, names resolved through the merged tables. */
function samplesOf(p: Profile): string[] {
  const st = p.stringTable.strings;
  const fn = new Map(p.function.map((f) => [Number(f.id), st[Number(f.name)]]));
  const loc = new Map(p.location.map((l) => [Number(l.id), fn.get(Number(l.line[0]!.functionId))]));
  return p.sample
    .map(
      (s) =>
        `${s.locationId.map((id) => loc.get(Number(id))).join('<')}|${s.label.map((l) => st[Number(l.str)]).join(',')}:${s.value.map(Number).join(',')}`,
    )
    .sort();
}

describe('mergeProfiles', () => {
  it('sums samples with equal stacks and labels, and keeps the others apart', () => {
    const m = mergeProfiles([P1(), P2()]);
    // work<main with span a: [1,10] + [3,30]; span b stays apart; main alone and other<main as they were.
    expect(samplesOf(m)).toEqual(['main|:2,20', 'other<main|:1,7', 'work<main|a:4,40', 'work<main|b:1,5']);
    // Every value is kept: cpu 10+20 + 30+5+7 = 72, samples 1+2 + 3+1+1 = 8.
    const sum = (i: number) => m.sample.reduce((s, x) => s + Number(x.value[i]), 0);
    expect([sum(0), sum(1)]).toEqual([8, 72]);
  });

  it('stores each function, location and string once, with the mangled name restored', () => {
    const m = mergeProfiles([P1(), P2(), P1()]);
    const st = m.stringTable.strings;
    expect(m.function.map((f) => st[Number(f.name)]).sort()).toEqual(['main', 'other', 'work']);
    expect(m.location).toHaveLength(3);
    expect(new Set(st).size).toBe(st.length);
    // Ids are dense and every reference resolves.
    const fnIds = new Set(m.function.map((f) => Number(f.id)));
    const locIds = new Set(m.location.map((l) => Number(l.id)));
    expect(m.location.every((l) => l.line.every((ln) => fnIds.has(Number(ln.functionId))))).toBe(true);
    expect(m.sample.every((s) => s.locationId.every((id) => locIds.has(Number(id))))).toBe(true);
    // Merging P1 twice doubles its samples: main alone 2×[2,20].
    expect(samplesOf(m)).toContain('main|:4,40');
  });

  it('keeps sample types, period and default type, and spans the time of all inputs', () => {
    const m = mergeProfiles([P2(), P1()]);
    expect(sampleTypeNames(m)).toEqual(['samples', 'cpu']);
    expect(m.stringTable.strings[Number(m.sampleType[1]!.unit)]).toBe('nanoseconds');
    expect(m.stringTable.strings[Number(m.defaultSampleType)]).toBe('cpu');
    expect(Number(m.period)).toBe(10_000_000);
    // P1 covers 1000..1500, P2 1200..2000.
    expect([Number(m.timeNanos), Number(m.durationNanos)]).toEqual([1_000, 1_000]);
    // The function table of the merge equals the sum of the inputs' tables: work self 10 + 30 + 5.
    expect(functionTable(m, 1, 's').find((r) => r.function === 'work')!.self).toBe(45);
  });

  it('refuses profiles of other sample types, and an empty list', () => {
    const wall = build(['wall', 'nanoseconds'], [{ id: 1, name: 'main', line: 10 }], [{ stack: [1], value: [1, 1] }], 0, 0);
    expect(() => mergeProfiles([P1(), wall])).toThrow(expect.objectContaining({ code: 'E_PROFILE_MISMATCH' }));
    expect(() => mergeProfiles([])).toThrow(expect.objectContaining({ code: 'E_PROFILE_MISMATCH' }));
  });
});
