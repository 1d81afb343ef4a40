/**
 * The spool's line format: one JSON object per line, each a write the run made (append or
 * upsert of rows into a table). Blobs travel as base64 and timestamps as epoch ms, so a
 * line read back is what the writer meant. A line cut short by a crash is skipped.
 */
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

/** The table a line writes, read from its start (encodeOp puts `op` and `table` first); null for other lines. */
const TABLE_OF_LINE = /^\{"op":"(?:append|upsert)","table":"(\w+)"/;

/**
 * Parses a spool's text; a last line without its newline (the process died mid-write) is dropped.
 * With `tables`, lines that write other tables are skipped unparsed (a reader that wants a run's
 * progress need not parse every span it received).
 */
export function decodeOps(text: string, tables?: ReadonlySet<TableName>): SpoolOp[] {
  const lines = text.split('\n');
  lines.pop(); // complete lines end with '\n': the last piece is empty or a torn write
  const out: SpoolOp[] = [];
  for (const line of lines) {
    if (line === '') continue;
    if (tables) {
      const table = TABLE_OF_LINE.exec(line.slice(0, 64))?.[1];
      if (table !== undefined && !tables.has(table as TableName)) continue;
    }
    try {
      out.push(
        JSON.parse(line, (_k, v: unknown) =>
          v !== null && typeof v === 'object' && B64 in v
            ? new Uint8Array(Buffer.from((v as Record<string, string>)[B64] as string, 'base64'))
            : v,
        ) as SpoolOp,
      );
    } catch {
      /* a torn line in the middle cannot happen with appends; skip rather than lose the rest */
    }
  }
  return out;
}
