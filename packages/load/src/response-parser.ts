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
   * Consumes buf[start, end). Returns true once the response is complete; bytes after it
   * are ignored (one request in flight per connection, so there are none). Throws on a
   * response that is not HTTP/1.x.
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
          const n = Math.min(this.#remaining, end - i);
          this.#remaining -= n;
          i += n;
          if (this.#remaining === 0) this.#state = DONE;
          break;
        }
        case CHUNK_SIZE: {
          const c = buf[i++] ?? 0;
          if (c === LF) {
            if (this.#remaining === 0) { this.#state = TRAILER; this.#lineLen = 0; } else this.#state = CHUNK_DATA;
          } else if (c === 59 /* ; */) this.#state = CHUNK_EXT;
          else if (c !== CR && c !== 32 && c !== 9) {
            const d = hexDigit(c);
            if (d < 0) throw new Error(`bad chunk size byte ${c}`);
            this.#remaining = this.#remaining * 16 + d;
          }
          break;
        }
        case CHUNK_EXT: {
          if (buf[i++] === LF) {
            if (this.#remaining === 0) { this.#state = TRAILER; this.#lineLen = 0; } else this.#state = CHUNK_DATA;
          }
          break;
        }
        case CHUNK_DATA: {
          const n = Math.min(this.#remaining, end - i);
          this.#remaining -= n;
          i += n;
          if (this.#remaining === 0) this.#state = CHUNK_DATA_END;
          break;
        }
        case CHUNK_DATA_END: {
          if (buf[i++] === LF) { this.#state = CHUNK_SIZE; this.#remaining = 0; }
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
          return true;
      }
      if (this.#state === DONE) return true;
    }
    return this.#state === DONE;
  }

  /** The connection ended: completes a body delimited by close; false if the response was cut short. */
  end(): boolean {
    if (this.#state === BODY_EOF) this.#state = DONE;
    return this.#state === DONE;
  }

  /** Parses a head starting at i; returns where parsing stops. Keeps a split head until it is whole. */
  #head(buf: Buffer, i: number, end: number): number {
    let b = buf;
    let s = i;
    let e = end;
    if (this.#pending !== null) {
      b = Buffer.concat([this.#pending, buf.subarray(i, end)]);
      s = 0;
      e = b.length;
    }
    const stop = endOfHead(b, s, e);
    if (stop < 0) {
      this.#pending = Buffer.from(b.subarray(s, e));
      return end;
    }
    const consumedFromBuf = this.#pending === null ? stop + 4 - i : stop + 4 - (b.length - (end - i));
    this.#pending = null;
    this.#parseHead(b, s, stop);
    return i + consumedFromBuf;
  }

  #parseHead(b: Buffer, s: number, stop: number): void {
    // "HTTP/1.1 200 OK": status digits at s+9..s+11
    if (b[s] !== 72 /* H */ || b[s + 4] !== 47 /* / */) throw new Error('response is not HTTP/1.x');
    const status = ((b[s + 9] ?? 0) - 48) * 100 + ((b[s + 10] ?? 0) - 48) * 10 + ((b[s + 11] ?? 0) - 48);
    const http10 = b[s + 7] === 48; /* '0' in HTTP/1.0 */
    let length = -1;
    let chunked = false;
    let close = http10;
    // Plain byte loops: for the ~100-byte heads of a load test they beat native indexOf calls.
    let line = s;
    while (line < stop && b[line] !== LF) line++;
    line++;
    while (line < stop) {
      let eol = line;
      while (eol < stop && b[eol] !== LF) eol++;
      const lineEnd = eol;
      const first = (b[line] ?? 0) | 0x20;
      if (first === 99 /* c */ || first === 116 /* t */) {
        let colon = line;
        while (colon < lineEnd && b[colon] !== 58) colon++;
        if (colon < lineEnd) {
          if (equalsLower(b, line, colon, CONTENT_LENGTH)) length = parseDecimal(b, colon + 1, lineEnd);
          else if (equalsLower(b, line, colon, TRANSFER_ENCODING)) chunked = containsLower(b, colon + 1, lineEnd, CHUNKED);
          else if (equalsLower(b, line, colon, CONNECTION)) {
            if (containsLower(b, colon + 1, lineEnd, CLOSE)) close = true;
            else if (containsLower(b, colon + 1, lineEnd, KEEP_ALIVE)) close = false;
          }
        }
      }
      line = eol + 1;
    }
    if (status >= 100 && status < 200) return; // interim response: the final one follows (state stays HEAD)
    this.status = status;
    this.close = close;
    if (this.noBody || status === 204 || status === 304) this.#state = DONE;
    else if (chunked) { this.#state = CHUNK_SIZE; this.#remaining = 0; }
    else if (length >= 0) { this.#remaining = length; this.#state = length === 0 ? DONE : BODY_LENGTH; }
    else { this.#state = BODY_EOF; this.close = true; }
  }
}

/** Index of the CRLFCRLF ending a head that starts at s, or −1 if b[s, e) does not hold it yet. */
function endOfHead(b: Buffer, s: number, e: number): number {
  for (let k = s + 3; k < e; k++) {
    if (b[k] === LF && b[k - 2] === LF && b[k - 1] === CR && b[k - 3] === CR) return k - 3;
  }
  return -1;
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

/** Whether b[from, to) contains the lower-case ASCII `lower`, ignoring case. */
function containsLower(b: Buffer, from: number, to: number, lower: Buffer): boolean {
  const last = to - lower.length;
  outer: for (let i = from; i <= last; i++) {
    for (let k = 0; k < lower.length; k++) if (((b[i + k] ?? 0) | 0x20) !== lower[k]) continue outer;
    return true;
  }
  return false;
}

function parseDecimal(b: Buffer, from: number, to: number): number {
  let v = 0;
  let seen = false;
  for (let k = from; k < to; k++) {
    const c = b[k] ?? 0;
    if (c >= 48 && c <= 57) { v = v * 10 + (c - 48); seen = true; } else if (seen) break;
  }
  return seen ? v : -1;
}
