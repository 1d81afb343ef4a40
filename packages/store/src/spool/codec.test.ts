import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeLine, encodeOp, spoolLines } from './codec.ts';

const dir = mkdtempSync(join(tmpdir(), 'headroom-codec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('spool lines', () => {
  it('reads lines longer than its 1 MiB chunk, with multi-byte characters across chunk edges, and drops a torn last line', () => {
    // 3-byte characters: with a 1 MiB chunk some fall across an edge (1 MiB is not a multiple of 3).
    const lines = ['a', '€'.repeat(700_000), '', 'ü'.repeat(1_048_575), 'last'];
    const path = join(dir, 'lines.jsonl');
    writeFileSync(path, `${lines.join('\n')}\n{"op":"append","table":"spa`);
    expect([...spoolLines(path)]).toEqual(lines);
  });

  it('skips the lines a filter leaves out without parsing them', () => {
    const spans = encodeOp({ op: 'append', table: 'spans', rows: [{ span_id: 's1' }] }).trimEnd();
    const series = encodeOp({ op: 'upsert', table: 'series', rows: [{ second: 1 }] }).trimEnd();
    const onlyUpserts = (op: 'append' | 'upsert') => op === 'upsert';
    expect(decodeLine(spans, onlyUpserts)).toBeNull();
    expect(decodeLine(series, onlyUpserts)).toEqual({ op: 'upsert', table: 'series', rows: [{ second: 1 }] });
    expect(decodeLine(spans)).toEqual({ op: 'append', table: 'spans', rows: [{ span_id: 's1' }] });
    // A line that does not start the way encodeOp writes is parsed, never silently dropped.
    expect(decodeLine('{"table":"spans","op":"append","rows":[]}', onlyUpserts)).toEqual({ table: 'spans', op: 'append', rows: [] });
  });
});
