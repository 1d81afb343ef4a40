/**
 * A minimal protobuf wire-format reader: just enough to walk the OTLP trace messages.
 * Encoding rules from https://protobuf.dev/programming-guides/encoding/ (varints, tags,
 * wire types 0 varint, 1 i64, 2 length-delimited, 5 i32). Every read is bounds-checked and
 * throws {@link WireError} on malformed input, so callers can answer 400 instead of crashing.
 */
export class WireError extends Error {
  override name = 'WireError';
}

/** One field as it sits on the wire. `bytes` is set for wire type 2, `int` for the others. */
export interface WireField {
  field: number;
  wireType: number;
  int: bigint;
  bytes: Uint8Array;
}

const EMPTY = new Uint8Array(0);

/** Reads a varint at `pos`; returns the value and the position after it. */
function readVarint(buf: Uint8Array, pos: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  for (let i = 0; i < 10; i++) {
    if (pos >= buf.length) throw new WireError('truncated varint');
    const b = buf[pos++]!;
    result |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return [BigInt.asUintN(64, result), pos];
    shift += 7n;
  }
  throw new WireError('varint longer than 10 bytes');
}

function readFixed(buf: Uint8Array, pos: number, size: 4 | 8): bigint {
  if (pos + size > buf.length) throw new WireError('truncated fixed field');
  const view = new DataView(buf.buffer, buf.byteOffset + pos, size);
  return size === 8 ? view.getBigUint64(0, true) : BigInt(view.getUint32(0, true));
}

/** Iterates over the fields of one message. Groups (wire types 3/4) are rejected. */
export function* fields(buf: Uint8Array): Generator<WireField> {
  let pos = 0;
  while (pos < buf.length) {
    const [tag, afterTag] = readVarint(buf, pos);
    pos = afterTag;
    const field = Number(tag >> 3n);
    const wireType = Number(tag & 7n);
    if (field === 0) throw new WireError('field number 0');
    if (wireType === 0) {
      const [v, next] = readVarint(buf, pos);
      pos = next;
      yield { field, wireType, int: v, bytes: EMPTY };
    } else if (wireType === 1 || wireType === 5) {
      const size = wireType === 1 ? 8 : 4;
      const v = readFixed(buf, pos, size);
      pos += size;
      yield { field, wireType, int: v, bytes: EMPTY };
    } else if (wireType === 2) {
      const [len, next] = readVarint(buf, pos);
      const end = next + Number(len);
      if (len > BigInt(buf.length) || end > buf.length) throw new WireError('length-delimited field past end');
      pos = end;
      yield { field, wireType, int: 0n, bytes: buf.subarray(next, end) };
    } else {
      throw new WireError(`unsupported wire type ${wireType}`);
    }
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Decodes a string field's bytes. */
export function str(f: WireField): string {
  return utf8.decode(f.bytes);
}

/** Lower-case hex of a bytes field (trace and span ids). */
export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Reinterprets a varint as a signed 64-bit integer (protobuf int64). */
export function int64(f: WireField): bigint {
  return BigInt.asIntN(64, f.int);
}

/** Reinterprets a fixed64 as an IEEE double (protobuf double). */
export function double(f: WireField): number {
  const b = new DataView(new ArrayBuffer(8));
  b.setBigUint64(0, f.int, true);
  return b.getFloat64(0, true);
}
