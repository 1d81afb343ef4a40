import { ValidationError } from '@headroom/core';
import { describe, expect, it } from 'vitest';
import { isHigherBetter, sampleEntries } from './sample-set.ts';
import { parseSampleFile } from './parse-sample-file.ts';
import { compare } from './compare.ts';
import { regressionGate } from './regression-gate.ts';

const GO = `goos: linux
goarch: amd64
pkg: example.com/codec
cpu: Intel(R) Xeon(R) CPU @ 2.20GHz
BenchmarkEncode/small-8   	 1000000	      1234 ns/op	      56 B/op	       2 allocs/op
BenchmarkEncode/small-8   	 1000000	      1250 ns/op	      56 B/op	       2 allocs/op
BenchmarkEncode/small-8   	 1000000	      1241 ns/op	      56 B/op	       2 allocs/op
BenchmarkDecode-8         	  500000	      2480.5 ns/op	  40.31 MB/s
BenchmarkDecode-8         	  500000	      2502 ns/op	  39.96 MB/s
PASS
ok  	example.com/codec	5.123s
`;

function getErr(f: () => unknown): ValidationError {
  try {
    f();
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error('expected a ValidationError');
}

describe('parseSampleFile: Go benchmark format', () => {
  it('keeps -N where one benchmark ran at several GOMAXPROCS (go test -cpu 4,8), as benchstat keeps them apart', () => {
    const text = [
      'BenchmarkA-4 100 500 ns/op',
      'BenchmarkA-8 100 100 ns/op',
      'BenchmarkA-4 100 510 ns/op',
      'BenchmarkA-8 100 101 ns/op',
      'BenchmarkB-8 100 7 ns/op',
    ].join('\n');
    const ns = Object.fromEntries(sampleEntries(parseSampleFile(text, 'cpu.txt')[0]!));
    expect(ns).toEqual({ 'A-4': [500, 510], 'A-8': [100, 101], B: [7] });
  });
  it('gives one set per unit, strips "Benchmark" and -N, repeated lines are runs', () => {
    const sets = parseSampleFile(GO, 'old.txt');
    expect(sets.map((s) => s.unit)).toEqual(['ns/op', 'B/op', 'allocs/op', 'MB/s']);
    const ns = Object.fromEntries(sampleEntries(sets[0]!));
    expect(ns).toEqual({ 'Encode/small': [1234, 1250, 1241], Decode: [2480.5, 2502] });
    expect(sets[0]?.label).toBe('old.txt');
    expect(Object.fromEntries(sampleEntries(sets[3]!))).toEqual({ Decode: [40.31, 39.96] });
  });

  it('qualifies names by package when the file holds several packages', () => {
    const text = 'pkg: a/x\nBenchmarkF-4 10 5 ns/op\npkg: a/y\nBenchmarkF-4 10 7 ns/op\n';
    expect(Object.fromEntries(sampleEntries(parseSampleFile(text, 'f')[0]!))).toEqual({ 'x.F': [5], 'y.F': [7] });
  });

  it('names the line and what was expected for malformed result lines, all at once', () => {
    const e = getErr(() => parseSampleFile('BenchmarkA-8 abc 12 ns/op\nBenchmarkB-8 100 12\nBenchmarkC-8 100 x ns/op\n', 'bad.txt'));
    expect(e.exitCode).toBe(2);
    expect(e.issues.map((i) => i.path)).toEqual(['line 1', 'line 2', 'line 3']);
    expect(e.issues[0]?.message).toMatch(/iteration count/);
    expect(e.issues[1]?.message).toMatch(/value\/unit pairs/);
    expect(e.message).toMatch(/^bad\.txt: 3 problems/);
  });

  it('rejects a file with no results', () => {
    expect(getErr(() => parseSampleFile('PASS\nok x 1s\n', 'empty.txt')).issues[0]?.message).toMatch(/no benchmark result lines/);
  });
});

describe('parseSampleFile: JSON', () => {
  it('reads one object or a list of them', () => {
    const one = parseSampleFile('{"unit":"ns/op","benchmarks":{"parse":[1,2,3]}}', 'a.json');
    expect(one).toHaveLength(1);
    expect(one[0]?.label).toBe('a.json');
    const two = parseSampleFile('[{"unit":"ns/op","label":"v1","benchmarks":{"p":[1]}},{"unit":"B/op","benchmarks":{"p":[8]}}]', 'b.json');
    expect(two.map((s) => [s.label, s.unit])).toEqual([
      ['v1', 'ns/op'],
      ['b.json', 'B/op'],
    ]);
  });

  it('reports every problem with its path', () => {
    const e = getErr(() => parseSampleFile('{"units":"ns","benchmarks":{"a":[1,"x"],"b":[]}}', 'c.json'));
    expect(e.issues.map((i) => i.path).sort()).toEqual(['benchmarks.a[1]', 'benchmarks.b', 'unit', 'units'].sort());
  });

  it('reports broken JSON', () => {
    expect(getErr(() => parseSampleFile('{"unit":', 'd.json')).issues[0]?.message).toMatch(/not valid JSON/);
  });
});

describe('which way is better', () => {
  it('reads rates as higher-is-better whatever they are called, and times, sizes and counts per op as lower', () => {
    for (const u of [
      'req/s',
      'ops/s',
      'MB/s',
      'items/sec',
      'ops/min',
      'rows per second',
      'qps',
      'rps',
      'tps',
      'IOPS',
      'ops',
      'Hz',
      'kHz',
      'req/hour',
    ])
      expect([u, isHigherBetter(u)]).toEqual([u, true]);
    for (const u of ['ns/op', 'ms', 's', 'µs', 'B/op', 'allocs/op', 'bytes', 'MB', 'ns'])
      expect([u, isHigherBetter(u)]).toEqual([u, false]);
  });

  it('takes the direction a JSON sample file states, and the regression gate follows it', () => {
    const [q1] = parseSampleFile('{"unit":"qps","benchmarks":{"x":[100,101,99,100,102,98]}}', 'q1.json');
    const [q2] = parseSampleFile('{"unit":"qps","benchmarks":{"x":[50,51,49,50,52,48]}}', 'q2.json');
    // The audit's case: half the queries a second passed the gate when qps read as lower-is-better.
    expect(regressionGate(compare(q1!, q2!)).status).toBe('failed');
    const [score1] = parseSampleFile('{"unit":"points","better":"higher","benchmarks":{"x":[10,11,10,10,11,10]}}', 's1.json');
    const [score2] = parseSampleFile('{"unit":"points","better":"higher","benchmarks":{"x":[5,6,5,5,6,5]}}', 's2.json');
    expect(score1?.higherIsBetter).toBe(true);
    expect(regressionGate(compare(score1!, score2!)).status).toBe('failed');
    expect(regressionGate(compare(score2!, score1!)).status).toBe('passed');
    expect(getErr(() => parseSampleFile('{"unit":"x","better":"up","benchmarks":{"a":[1]}}', 'b.json')).issues[0]).toMatchObject({
      path: 'better',
      message: 'expected "higher" or "lower", got "up"',
    });
  });

  it('says a missing field is missing', () => {
    expect(getErr(() => parseSampleFile('{}', 'e.json')).issues.map((i) => i.message)).toContain(
      'expected an object, got nothing (the field is missing)',
    );
  });
});
