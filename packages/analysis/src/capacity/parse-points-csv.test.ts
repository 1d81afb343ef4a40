import { ExitCode, ValidationError } from '@headroom/core';
import { describe, expect, it } from 'vitest';
import { parsePointsCsv } from './parse-points-csv.ts';

function issuesOf(text: string): { path: string; message: string }[] {
  try {
    parsePointsCsv(text, 'points.csv');
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    expect((e as ValidationError).exitCode).toBe(ExitCode.badInput);
    expect((e as ValidationError).message).toMatch(/^points\.csv: /);
    return (e as ValidationError).issues.map(({ path, message }) => ({ path, message }));
  }
  throw new Error('expected a ValidationError');
}

describe('parsePointsCsv', () => {
  it('reads concurrency and throughput, with optional p99_ms, in any column order', () => {
    expect(parsePointsCsv('concurrency,throughput\n1,955.16\n2,1878.91\n')).toEqual([
      { n: 1, x: 955.16 },
      { n: 2, x: 1878.91 },
    ]);
    expect(parsePointsCsv('# from prod\r\nP99_ms, Concurrency, throughput\r\n\r\n1.5, 4, 300\r\n')).toEqual([{ n: 4, x: 300, p99Ms: 1.5 }]);
  });

  it('reports a bad header with its line number', () => {
    expect(issuesOf('n,x\n1,2\n')).toEqual([
      { path: 'line 1', message: 'unknown column "n"' },
      { path: 'line 1', message: 'unknown column "x"' },
      { path: 'line 1', message: 'missing column "concurrency"' },
      { path: 'line 1', message: 'missing column "throughput"' },
    ]);
    expect(issuesOf('\n\n1,955\n').map((i) => i.path)).toEqual(['line 3', 'line 3', 'line 3', 'line 3']);
    expect(issuesOf('')).toEqual([{ path: 'line 1', message: 'the file is empty' }]);
  });

  it('reports negative and non-numeric values and wrong field counts, every one with its line', () => {
    expect(issuesOf('concurrency,throughput,p99_ms\n1,100,2\n2,-5,3\nabc,200,1\n0,1,1\n4,300\n5,400,\n')).toEqual([
      { path: 'line 3, throughput', message: 'throughput must be >= 0, got -5' },
      { path: 'line 4, concurrency', message: 'expected a number, got "abc"' },
      { path: 'line 5, concurrency', message: 'concurrency must be > 0, got 0' },
      { path: 'line 6', message: 'expected 3 values (concurrency,throughput,p99_ms), got 2' },
      { path: 'line 7, p99_ms', message: 'expected a number, got ""' },
    ]);
  });

  it('needs at least one data row', () => {
    expect(issuesOf('concurrency,throughput\n')).toEqual([{ path: '(file)', message: 'no data rows after the header' }]);
  });
});
