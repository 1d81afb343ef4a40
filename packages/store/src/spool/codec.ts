/**
 * The spool's line format: one JSON object per line, each a write the run made (append or
 * upsert of rows into a table). Blobs travel as base64 and timestamps as epoch ms, so a
 * line read back is what the writer meant. A line cut short by a crash is skipped.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type { Row, TableName } from '../schema.ts';

/** Who wrote a spool: the process, so the next open can tell a live run from a dead one. */
export interface SpoolOwner {
  pid: number;
  /** Start time of the process in clock ticks since boot (/proc/<pid>/stat): pids are reused. */
  start: number;
  host: string;
}

/** One line of a spool. */
export type SpoolOp = { op: 'owner'; owner: SpoolOwner } | { op: 'append' | 'upsert'; table: TableName; rows: Partial<Row<TableName>>[] };

const B64 = '$b64';

/** Serialises an op as one line (with its newline). */
export function encodeOp(op: SpoolOp): string {
  return `${JSON.stringify(op, function replacer(this: Record<string, unknown>, key, value: unknown) {
    const raw = this[key];
    if (raw instanceof Date) return raw.getTime();
    if (raw instanceof Uint8Array) return { [B64]: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64') };
    return value;
  })}\n`;
}

/** Which lines to parse, told from a line's start (encodeOp writes `op` and `table` first). */
export type LineFilter = (op: 'append' | 'upsert', table: TableName) => boolean;

const HEAD_OF_LINE = /^\{"op":"(append|upsert)","table":"(\w+)"/;

/** One spool line parsed; null for a torn line or one `keep` leaves out (skipped unparsed). */
export function decodeLine(line: string, keep?: LineFilter): SpoolOp | null {
  if (line === '') return null;
  if (keep) {
    const head = HEAD_OF_LINE.exec(line.slice(0, 64));
    if (head && !keep(head[1] as 'append' | 'upsert', head[2] as TableName)) return null;
  }
  try {
    return JSON.parse(line, (_k, v: unknown) =>
      v !== null && typeof v === 'object' && B64 in v
        ? new Uint8Array(Buffer.from((v as Record<string, string>)[B64] as string, 'base64'))
        : v,
    ) as SpoolOp;
  } catch {
    return null; // a torn line in the middle cannot happen with appends; skip rather than lose the rest
  }
}

/** Parses a spool's text; a last line without its newline (the process died mid-write) is dropped. */
export function decodeOps(text: string, keep?: LineFilter): SpoolOp[] {
  const lines = text.split('\n');
  lines.pop(); // complete lines end with '\n': the last piece is empty or a torn write
  const out: SpoolOp[] = [];
  for (const line of lines) {
    const op = decodeLine(line, keep);
    if (op) out.push(op);
  }
  return out;
}

/**
 * The complete lines of a spool file, read a chunk at a time: a long traced run's spool can
 * outgrow the longest string V8 makes (~512 MiB), and a fold needs only one line at a time.
 * A last line without its newline (a torn write) is dropped.
 */
export function* spoolLines(path: string): Generator<string> {
  const fd = openSync(path, 'r');
  try {
    const chunk = Buffer.allocUnsafe(1 << 20);
    let parts: Buffer[] = [];
    for (let n = readSync(fd, chunk); n > 0; n = readSync(fd, chunk)) {
      let from = 0;
      for (let nl = chunk.indexOf(10, from); nl !== -1 && nl < n; nl = chunk.indexOf(10, from)) {
        parts.push(chunk.subarray(from, nl));
        const line = Buffer.concat(parts).toString('utf8');
        parts = [];
        from = nl + 1;
        yield line;
      }
      // Copied: the chunk is read into again.
      if (from < n) parts.push(Buffer.from(chunk.subarray(from, n)));
    }
  } finally {
    closeSync(fd);
  }
}
