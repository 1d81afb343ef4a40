import { ExitCode, ValidationError } from '@headroom/core';
import { describe, expect, it } from 'vitest';
import { parseSeriesCsv } from './series-csv.ts';

describe('parseSeriesCsv', () => {
  it('reads time,value,sha with ISO dates and Unix seconds', () => {
    const r = parseSeriesCsv('time,value,sha\n2026-09-01,1.30,a1b2c3d\n2026-09-08T12:00:00Z,1.35,e4f5a6b\n1789000000,1.4,\n', 'h.csv');
    expect(r.points).toEqual([
      { time: Date.UTC(2026, 8, 1), value: 1.3, sha: 'a1b2c3d' },
      { time: Date.UTC(2026, 8, 8, 12), value: 1.35, sha: 'e4f5a6b' },
      { time: 1789000000 * 1000, value: 1.4 },
    ]);
    expect(r.warnings).toEqual([]);
  });

  it('sorts and deduplicates with warnings, keeping the later row', () => {
    const r = parseSeriesCsv('# exported\nvalue,time\n3,2026-01-03\n1,2026-01-01\n2,2026-01-02\n9,2026-01-01\n', 'h.csv');
    expect(r.points.map((p) => p.value)).toEqual([9, 2, 3]);
    expect(r.warnings).toEqual([
      'rows were not in time order; sorted by time',
      '1 row repeats an earlier time (line 6); kept the last row of each time',
    ]);
  });

  it('reports every non-numeric value and bad time with its line number, exit 2', () => {
    let err: unknown;
    try {
      parseSeriesCsv('time,value\n2026-01-01,1\n2026-01-02,abc\n2026-01-03,\nyesterday,4\n2026-01-05,5,6\n', 'bad.csv');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    const v = err as ValidationError;
    expect(v.exitCode).toBe(ExitCode.badInput);
    expect(v.issues.map((i) => i.path)).toEqual(['line 3', 'line 4', 'line 5', 'line 6']);
    expect(v.issues[0]?.message).toBe('value "abc" is not a number');
    expect(v.message).toContain('bad.csv: 4 problems');
  });

  it('reads traffic peaks as time,rate and rejects a wrong header or an empty file', () => {
    expect(parseSeriesCsv('time,rate\n2026-01-01,1500\n', 'p.csv', { valueColumn: 'rate' }).points[0]?.value).toBe(1500);
    expect(() => parseSeriesCsv('when,value\n2026-01-01,1\n', 'h.csv')).toThrow(/must name the columns "time" and "value"/);
    expect(() => parseSeriesCsv('\n\n', 'h.csv')).toThrow(/is empty/);
    expect(() => parseSeriesCsv('time,value\n', 'h.csv')).toThrow(/no rows/);
  });
});
