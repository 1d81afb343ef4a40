/**
 * A minimal incremental HTTP/1.1 response parser for the hot path: status line,
 * content-length, chunked transfer coding, `connection: close`, and bodies delimited by
 * the end of the connection (RFC 9112 §6.3). It never copies the body and allocates only
 * when a response head is split across reads.
 */

const HEAD = 0;
const BODY_LENGTH = 1;
const CHUNK_SIZE = 2;
const CHUNK_EXT = 3;
const CHUNK_DATA = 4;
const CHUNK_DATA_END = 5;
const TRAILER = 6;
const BODY_EOF = 7;
const DONE = 8;

const CR = 13;
const MAX_HEAD_BYTES = 64 * 1024;
const LF = 10;

const CONTENT_LENGTH = Buffer.from('content-length');
const TRANSFER_ENCODING = Buffer.from('transfer-encoding');
const CONNECTION = Buffer.from('connection');
const CHUNKED = Buffer.from('chunked');
const CLOSE = Buffer.from('close');
const KEEP_ALIVE = Buffer.from('keep-alive');

/** Parse state of one response; reuse it across responses with `reset`. */
export class ResponseParser {
  /** Status code of the (final) response. */
  status = 0;
  /** The server will close the connection after this response. */
  close = false;
  /** Bytes of this response read so far (head and body). */
  bytes = 0;
  /** The response to a HEAD request has no body. */
  noBody = false;
  /** Once `feed` returned true: the index in that buffer just past the response's last byte. */
  endAt = 0;
  #state = HEAD;
  #remaining = 0;
  #lineLen = 0;
  #pending: Buffer | null = null;

  reset(noBody: boolean): void {
    this.status = 0;
    this.close = false;
    this.bytes = 0;
    this.noBody = noBody;
    this.#state = HEAD;
    this.#remaining = 0;
    this.#lineLen = 0;
    this.#pending = null;
  }

  /** Whether the response is complete. */
  get done(): boolean {
    return this.#state === DONE;
  }

  /**
   * Consumes buf[start, end). Returns true once the response is complete, with `endAt` where
   * it ended; bytes after it are not read (one request in flight per connection, so there
   * should be none). Throws on a response that is not HTTP/1.x.
   */
  feed(buf: Buffer, start: number, end: number): boolean {
    this.bytes += end - start;
    let i = start;
    while (i < end) {
      switch (this.#state) {
        case HEAD: {
          i = this.#head(buf, i, end);
          break;
        }
        case BODY_LENGTH: {
          i = this.#skipBody(i, end, DONE);
          break;
        }
        case CHUNK_SIZE: {
          const c = buf[i++] ?? 0;
          if (c === LF) this.#chunkSizeLineDone();
          else if (c === 59 /* ; */) this.#state = CHUNK_EXT;
          else if (c !== CR && c !== 32 && c !== 9) {
            const d = hexDigit(c);
            if (d < 0) throw new Error(`chunk size has a byte that is not a hex digit: ${describeByte(c)}`);
            this.#remaining = this.#remaining * 16 + d;
          }
          break;
        }
        case CHUNK_EXT: {
          if (buf[i++] === LF) this.#chunkSizeLineDone();
          break;
        }
        case CHUNK_DATA: {
          i = this.#skipBody(i, end, CHUNK_DATA_END);
          break;
        }
        case CHUNK_DATA_END: {
          if (buf[i++] === LF) {
            this.#state = CHUNK_SIZE;
            this.#remaining = 0;
          }
          break;
        }
        case TRAILER: {
          const c = buf[i++];
          if (c === LF) {
            if (this.#lineLen === 0) this.#state = DONE;
            this.#lineLen = 0;
          } else if (c !== CR) this.#lineLen++;
          break;
        }
        case BODY_EOF:
          return false;
        default:
          this.endAt = i;
          return true;
      }
      if (this.#state === DONE) {
        this.endAt = i;
        return true;
      }
    }
    if (this.#state !== DONE) return false;
    this.endAt = i;
    return true;
  }

  /** Skips up to `#remaining` body bytes of [i, end) (the parser never copies a body); moves to `next` once none remain. */
  #skipBody(i: number, end: number, next: number): number {
    const n = Math.min(this.#remaining, end - i);
    this.#remaining -= n;
    if (this.#remaining === 0) this.#state = next;
    return i + n;
  }

  /** A chunk-size line ended: its data follows, or, for the last chunk (size 0), the trailer. */
  #chunkSizeLineDone(): void {
    if (this.#remaining === 0) {
      this.#state = TRAILER;
      this.#lineLen = 0;
    } else this.#state = CHUNK_DATA;
  }

  /** The connection ended: completes a body delimited by close; false if the response was cut short. */
  end(): boolean {
    if (this.#state === BODY_EOF) this.#state = DONE;
    return this.#state === DONE;
  }

  /** Parses a head starting at i; returns where parsing stops. Keeps a split head until it is whole. */
  #head(buf: Buffer, i: number, end: number): number {
    const pending = this.#pending;
    if (pending === null) {
      const stop = this.#parseHead(buf, i, end);
      if (stop >= 0) return stop;
      this.#pending = Buffer.from(buf.subarray(i, end));
      return end;
    }
    const b = Buffer.concat([pending, buf.subarray(i, end)]);
    const stop = this.#parseHead(b, 0, b.length);
    if (stop < 0) {
      if (b.length > MAX_HEAD_BYTES) throw new Error(`response head longer than ${MAX_HEAD_BYTES} bytes`);
      this.#pending = b;
      return end;
    }
    this.#pending = null;
    return i + stop - pending.length;
  }

  /**
   * Parses the head at b[s, e) in one pass, line by line; returns the index just past the
   * blank line that ends it, or −1 (with nothing changed) when b does not hold all of it yet.
   */
  #parseHead(b: Buffer, s: number, e: number): number {
    const words = wordsOf(b);
    let eol = indexOfLF(b, words, s, e);
    if (eol < 0) return -1;
    // "HTTP/1.1 200 OK": status digits at s+9..s+11
    if (b[s] !== 72 /* H */ || b[s + 4] !== 47 /* / */)
      throw new Error(`response is not HTTP/1.x: it starts with ${JSON.stringify(b.toString('latin1', s, Math.min(eol, s + 24)))}`);
    const status = ((b[s + 9] ?? 0) - 48) * 100 + ((b[s + 10] ?? 0) - 48) * 10 + ((b[s + 11] ?? 0) - 48);
    let length = -1;
    let chunked = false;
    let close = b[s + 7] === 48; /* HTTP/1.0 */
    // Plain byte loops: for the ~100-byte heads of a load test they beat native indexOf calls.
    for (;;) {
      const line = eol + 1;
      if (line >= e) return -1;
      const first = b[line]!;
      if (first === CR || first === LF) {
        // the blank line (RFC 9112 §2.2 lets a bare LF end a line)
        if (first === CR && line + 1 >= e) return -1;
        this.#finishHead(status, length, chunked, close);
        return first === CR ? line + 2 : line + 1;
      }
      eol = indexOfLF(b, words, line, e);
      if (eol < 0) return -1;
      const lower = first | 0x20;
      if (lower !== 99 /* c */ && lower !== 116 /* t */) continue;
      let colon = line;
      while (colon < eol && b[colon] !== 58) colon++;
      if (colon === eol) continue;
      if (equalsLower(b, line, colon, CONTENT_LENGTH)) length = parseDecimal(b, colon + 1, eol);
      // Chunked only as the final coding (RFC 9112 §6.3); connection options are whole tokens (§9.3).
      else if (equalsLower(b, line, colon, TRANSFER_ENCODING)) chunked = tokenAt(b, colon + 1, eol, CHUNKED, true);
      else if (equalsLower(b, line, colon, CONNECTION)) {
        if (tokenAt(b, colon + 1, eol, CLOSE, false)) close = true;
        else if (tokenAt(b, colon + 1, eol, KEEP_ALIVE, false)) close = false;
      }
    }
  }

  #finishHead(status: number, length: number, chunked: boolean, close: boolean): void {
    if (status >= 100 && status < 200) return; // interim response: the final one follows (state stays HEAD)
    this.status = status;
    this.close = close;
    if (this.noBody || status === 204 || status === 304) this.#state = DONE;
    else if (chunked) {
      this.#state = CHUNK_SIZE;
      this.#remaining = 0;
    } else if (length >= 0) {
      this.#remaining = length;
      this.#state = length === 0 ? DONE : BODY_LENGTH;
    } else {
      this.#state = BODY_EOF;
      this.close = true;
    }
  }
}

// The head is scanned for line ends four bytes at a time, through an Int32Array view of
// the read buffer's memory: a word holds an LF byte iff (w ^ 0x0a0a0a0a) has a zero byte,
// which (x - 0x01010101) & ~x & 0x80808080 detects (the "haszero" test from Sean
// Anderson's Bit Twiddling Hacks). Reads land in one shared buffer, so its view is made once.
let viewOf: ArrayBufferLike | null = null;
let view: Int32Array<ArrayBufferLike> = new Int32Array(0);

function wordsOf(b: Buffer): Int32Array<ArrayBufferLike> {
  if (b.buffer !== viewOf) {
    viewOf = b.buffer;
    view = new Int32Array(b.buffer, 0, b.buffer.byteLength >> 2);
  }
  return view;
}

/** Index of the first LF in b[from, to), or −1. `words` is the Int32Array view of b's memory. */
function indexOfLF(b: Buffer, words: Int32Array<ArrayBufferLike>, from: number, to: number): number {
  const off = b.byteOffset;
  let i = from;
  while (i < to && ((off + i) & 3) !== 0) {
    if (b[i] === LF) return i;
    i++;
  }
  if (i >= to) return -1;
  let w = (off + i) >> 2;
  const wordsEnd = (off + to) >> 2;
  while (w < wordsEnd) {
    const x = words[w]! ^ 0x0a0a0a0a;
    if (((x - 0x01010101) & ~x & 0x80808080) !== 0) break;
    w++;
  }
  for (i = (w << 2) - off; i < to; i++) if (b[i] === LF) return i;
  return -1;
}

/** A byte for an error message: printable ASCII quoted, anything else in hex. */
function describeByte(c: number): string {
  return c >= 32 && c < 127 ? `"${String.fromCharCode(c)}"` : `0x${c.toString(16).padStart(2, '0')}`;
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 0x20;
  if (l >= 97 && l <= 102) return l - 87;
  return -1;
}

/** Whether b[from, to) (trailing blanks ignored) equals the lower-case ASCII `lower`, ignoring case. */
function equalsLower(b: Buffer, from: number, to: number, lower: Buffer): boolean {
  let end = to;
  while (end > from && (b[end - 1] === 32 || b[end - 1] === 9)) end--;
  if (end - from !== lower.length) return false;
  for (let k = 0; k < lower.length; k++) if (((b[from + k] ?? 0) | 0x20) !== lower[k]) return false;
  return true;
}

/**
 * Whether the comma-separated list in b[from, to) has `lower` as one of its tokens (or, with
 * `last`, as its last one), ignoring case and the blanks around each token.
 */
function tokenAt(b: Buffer, from: number, to: number, lower: Buffer, last: boolean): boolean {
  let found = false;
  let i = from;
  while (i <= to) {
    let e = i;
    while (e < to && b[e] !== 44 /* , */) e++;
    let s = i;
    let f = e;
    while (s < f && (b[s] === 32 || b[s] === 9)) s++;
    while (f > s && (b[f - 1] === 32 || b[f - 1] === 9 || b[f - 1] === CR)) f--;
    const match = f - s === lower.length && equalsLower(b, s, f, lower);
    if (last)
      found = match || (f === s && found); // an empty list element does not count (RFC 9110 §5.6.1)
    else if (match) return true;
    i = e + 1;
  }
  return found;
}

function parseDecimal(b: Buffer, from: number, to: number): number {
  let v = 0;
  let seen = false;
  for (let k = from; k < to; k++) {
    const c = b[k] ?? 0;
    if (c >= 48 && c <= 57) {
      v = v * 10 + (c - 48);
      seen = true;
    } else if (seen) break;
  }
  return seen ? v : -1;
}
