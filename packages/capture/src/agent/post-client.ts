/**
 * The agent's POSTs to the runner's receivers, written straight to a kept-alive TCP socket.
 *
 * node:http's client (ClientRequest, OutgoingMessage, the agent's socket pool, a parser per
 * response, their events) took ~1.5 ms of CPU per post on this project's 2-core KVM guest, at a
 * post every half second or so: at a few posts a second its code never gets hot. This does only
 * what a post to the receivers needs: one request at a time per host:port, a request head and
 * a body, and a response read to its end (Content-Length, chunked, or no body for 1xx/204/304)
 * for its status: ~0.7 ms per post in the same test (bench/agent-post-cost.ts, each including
 * the ~0.3 ms wake for the answer). HTTP/1.1 message framing as in RFC 9112 §6.
 */
import net from 'node:net';

/** Resolves whether the server answered 2xx; never rejects. */
type Done = (ok: boolean) => void;

interface Pending {
  head: string;
  body: Uint8Array;
  timeoutMs: number;
  done: Done;
  /** Sent once already on a kept-alive socket that the server closed before answering. */
  retried: boolean;
}

/** Where a response stands while its bytes arrive. */
interface Reading {
  buf: Buffer;
  status: number;
  /** Bytes of body still to read; -1 while the head is incomplete; -2 chunked; -3 until the socket closes. */
  left: number;
  close: boolean;
}

const MAX_HEAD = 16 * 1024;

class HostLine {
  readonly #host: string;
  readonly #port: number;
  readonly #queue: Pending[] = [];
  #socket: net.Socket | null = null;
  /** The socket has carried a whole exchange, so a reset before any answer may be a stale keep-alive. */
  #reused = false;
  #current: Pending | null = null;
  #reading: Reading | null = null;
  #timer: NodeJS.Timeout | null = null;

  constructor(host: string, port: number) {
    this.#host = host;
    this.#port = port;
  }

  add(p: Pending): void {
    this.#queue.push(p);
    if (this.#current === null) this.#next();
  }

  #next(): void {
    const p = this.#queue.shift();
    if (p === undefined) return;
    this.#current = p;
    this.#reading = { buf: Buffer.alloc(0), status: 0, left: -1, close: false };
    const s = this.#socket ?? this.#connect();
    this.#timer = setTimeout(() => this.#fail(true), p.timeoutMs);
    this.#timer.unref();
    s.write(p.body.byteLength < 64 * 1024 ? Buffer.concat([Buffer.from(p.head, 'latin1'), p.body]) : p.head);
    if (p.body.byteLength >= 64 * 1024) s.write(p.body);
  }

  #connect(): net.Socket {
    const s = net.connect({ host: this.#host, port: this.#port, noDelay: true });
    s.unref();
    this.#socket = s;
    this.#reused = false;
    s.on('data', (d: Buffer) => {
      if (s === this.#socket) this.#data(d);
    });
    s.on('error', () => {
      if (s === this.#socket) this.#fail();
    });
    s.on('close', () => {
      if (s !== this.#socket) return;
      // A body delimited by the close is complete now; otherwise an exchange in flight has failed.
      if (this.#reading?.left === -3) this.#finish();
      else if (this.#current !== null) this.#fail();
      else this.#socket = null;
    });
    return s;
  }

  #data(d: Buffer): void {
    const r = this.#reading;
    if (r === null) {
      this.#drop(); // bytes nobody asked for: the line is out of step
      return;
    }
    r.buf = r.buf.length === 0 ? d : Buffer.concat([r.buf, d]);
    while (r.left === -1) {
      const end = r.buf.indexOf('\r\n\r\n');
      if (end < 0) {
        if (r.buf.length > MAX_HEAD) this.#fail();
        return;
      }
      const head = r.buf.toString('latin1', 0, end);
      r.buf = r.buf.subarray(end + 4);
      if (!readHead(r, head)) {
        this.#fail();
        return;
      }
    }
    if (r.left >= 0) {
      if (r.buf.length > r.left) this.#fail();
      else if (r.buf.length === r.left) this.#finish();
    } else if (r.left === -2) {
      const end = chunkedEnd(r.buf);
      if (end === r.buf.length) this.#finish();
      else if (end !== -1) this.#fail(); // malformed, or bytes beyond the response
    }
  }

  #finish(): void {
    const p = this.#current!;
    const r = this.#reading!;
    this.#settle();
    if (r.close) this.#drop();
    else this.#reused = true;
    p.done(r.status >= 200 && r.status < 300);
    this.#next();
  }

  /** The exchange in flight failed (why does not change the outcome: the post did not get through). */
  #fail(timedOut = false): void {
    const p = this.#current;
    const r = this.#reading;
    const stale = this.#reused && !timedOut && r !== null && r.left === -1 && r.buf.length === 0 && r.status === 0;
    this.#settle();
    this.#drop();
    if (p === null) return;
    // A kept-alive socket the receiver closed just as it was reused, before any answer: once more on a fresh one.
    if (stale && !p.retried) this.#queue.unshift({ ...p, retried: true });
    else p.done(false);
    this.#next();
  }

  #settle(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#current = null;
    this.#reading = null;
  }

  #drop(): void {
    this.#socket?.destroy();
    this.#socket = null;
  }
}

/**
 * Reads a response head (status line and the framing headers, RFC 9112 §6.3) into `r`; an
 * interim (1xx) response leaves `r.left` at -1, to read the next head. False when malformed.
 */
function readHead(r: Reading, head: string): boolean {
  const lines = head.split('\r\n');
  const m = /^HTTP\/1\.([01]) (\d{3})/.exec(lines[0] ?? '');
  if (m === null) return false;
  r.status = Number(m[2]);
  if (r.status < 200) return true; // we send no Expect, so none should come; the final one follows
  r.close = m[1] === '0';
  let length: number | null = null;
  let chunked = false;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(':');
    if (colon < 0) return false;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line
      .slice(colon + 1)
      .trim()
      .toLowerCase();
    if (name === 'content-length') {
      if (!/^\d+$/.test(value) || (length !== null && length !== Number(value))) return false;
      length = Number(value);
    } else if (name === 'transfer-encoding') chunked = value.split(',').at(-1)?.trim() === 'chunked';
    else if (name === 'connection') r.close ||= value.split(',').some((v) => v.trim() === 'close');
  }
  if (r.status === 204 || r.status === 304) r.left = 0;
  else if (chunked) r.left = -2;
  else if (length !== null) r.left = length;
  else {
    r.left = -3; // delimited by the close
    r.close = true;
  }
  return true;
}

/**
 * Where a chunked body ends in `buf` (the index after its last CRLF), -1 when it has not
 * ended yet, -2 when it is malformed. Trailer fields are allowed and skipped.
 */
export function chunkedEnd(buf: Buffer): number {
  let at = 0;
  for (;;) {
    const eol = buf.indexOf('\r\n', at);
    if (eol < 0) return buf.length - at > 64 ? -2 : -1;
    const size = Number.parseInt(buf.toString('latin1', at, eol).split(';')[0]!.trim(), 16);
    if (Number.isNaN(size)) return -2;
    if (size === 0) {
      // Trailer section: lines until an empty one.
      let t = eol + 2;
      for (;;) {
        const e = buf.indexOf('\r\n', t);
        if (e < 0) return -1;
        if (e === t) return e + 2;
        t = e + 2;
      }
    }
    const next = eol + 2 + size + 2;
    if (buf.length < next) return -1;
    if (buf[next - 2] !== 13 || buf[next - 1] !== 10) return -2;
    at = next;
  }
}

/** POSTs over one kept-alive connection per host:port, one request at a time on each. */
export class PostClient {
  /** By origin (`http://host:port`): its connection and its Host header. */
  readonly #lines = new Map<string, { line: HostLine; host: string } | null>();

  /** Resolves whether the server answered 2xx; false on any failure or after `timeoutMs`; never rejects. */
  post(url: string, contentType: string, body: Uint8Array, timeoutMs: number): Promise<boolean> {
    // The agent posts to a handful of URLs on one origin; parsing only the origin, once, is most
    // of what new URL() cost per post in this cold code.
    const slash = url.indexOf('/', url.indexOf('//') + 2);
    const origin = slash < 0 ? url : url.slice(0, slash);
    const path = slash < 0 ? '/' : url.slice(slash);
    let to = this.#lines.get(origin);
    if (to === undefined) {
      to = lineFor(origin);
      this.#lines.set(origin, to);
    }
    if (to === null || /[\s#]/.test(path)) return Promise.resolve(false);
    const { line, host } = to;
    const head = `POST ${path} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: ${contentType}\r\nContent-Length: ${body.byteLength}\r\n\r\n`;
    return new Promise((done) => line.add({ head, body, timeoutMs, done, retried: false }));
  }
}

/** The connection for an `http://host:port` origin, or null when it is not one. */
function lineFor(origin: string): { line: HostLine; host: string } | null {
  let u: URL;
  try {
    u = new URL(origin);
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' || u.username !== '' || u.password !== '') return null;
  const host = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
  return { line: new HostLine(host, u.port === '' ? 80 : Number(u.port)), host: u.host };
}
