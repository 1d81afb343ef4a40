import { describe, expect, it } from 'vitest';
import { parseCsv } from './parse-csv.ts';

describe('parseCsv (RFC 4180)', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, CRLF or LF', () => {
    const r = parseCsv('name,note\r\n"Doe, J","said ""hi"""\r\nx,"two\nlines"\n\n');
    expect(r).toEqual({
      ok: true,
      rows: [
        { name: 'Doe, J', note: 'said "hi"' },
        { name: 'x', note: 'two\nlines' },
      ],
    });
  });

  it('names the line of a row with the wrong field count, counting line breaks inside quotes', () => {
    expect(parseCsv('a,b\n"1\n2",3\n4,5,6\n')).toEqual({ ok: false, line: 4, message: 'has 3 fields, the header has 2' });
  });

  it('rejects an unclosed quote, a duplicate column and an empty file', () => {
    expect(parseCsv('a\n"x\n')).toMatchObject({ ok: false, line: 2 });
    expect(parseCsv('a,a\n1,2\n')).toMatchObject({ ok: false, message: 'the header names column "a" twice' });
    expect(parseCsv('')).toMatchObject({ ok: false, line: 1 });
  });
});
