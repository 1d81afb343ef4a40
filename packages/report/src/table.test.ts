import { describe, expect, it } from 'vitest';
import { formatTable } from './table.ts';

describe('formatTable', () => {
  it('aligns columns to the widest cell, colour codes not counted', () => {
    const t = formatTable(
      ['name', 'n'],
      [
        ['a', '1'],
        ['\x1b[31mlonger\x1b[0m', '100'],
      ],
    ).split('\n');
    expect(t[0]).toBe('name      n');
    expect(t[2]).toBe('a         1');
    expect(t[3]).toBe('\x1b[31mlonger\x1b[0m  100');
  });
  it('takes 200,000 rows (a large runs sql result) without overflowing the stack', () => {
    const rows = Array.from({ length: 200_000 }, (_, i) => [String(i)]);
    const t = formatTable(['range'], rows);
    expect(t.split('\n')).toHaveLength(200_002);
    expect(t.endsWith('199999')).toBe(true);
  });
});
