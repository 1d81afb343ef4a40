/**
 * The agent's POSTs to the runner's receivers, written straight to a kept-alive TCP socket.
 *
 * node:http's client (ClientRequest, OutgoingMessage, the agent's socket pool, a parser per
 * response, their events) took ~1.5 ms of CPU per post on this project's 2-core KVM guest, at a
 * post every half second or so: at a few posts a second its code never gets hot. This does only
 * what a post to the receivers needs: one request at a time per host:port, a request head and
 * a body, and a response read to its end (Content-Length, chunked, or no body for 1xx/204/304)
 * for its status: ~0.7 ms per post in the same test (bench/agent-post-cost.ts, each including
 * the ~0.3 ms wake for the answer). Responses are read by the load engine's parser (HTTP/1.1
 * framing as in RFC 9112 §6), imported on its own so the service loads nothing else of headroom.
 */
import net from 'node:net';
import { ResponseParser } from '@headroom/internal/response-parser';

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

class HostLine {
  readonly #host: string;
  readonly #port: number;
  readonly #queue: Pending[] = [];
  #socket: net.Socket | null = null;
  /** The socket has carried a whole exchange, so a reset before any answer may be a stale keep-alive. */
  #reused = false;
  #current: Pending | null = null;
  readonly #parser = new ResponseParser();
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
    this.#parser.reset(false);
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
      if (this.#current === null) this.#socket = null;
      else if (this.#parser.end()) this.#finish();
      else this.#fail();
    });
    return s;
  }

  #data(d: Buffer): void {
    if (this.#current === null) {
      this.#drop(); // bytes nobody asked for: the line is out of step
      return;
    }
    let complete: boolean;
    try {
      complete = this.#parser.feed(d, 0, d.length);
    } catch {
      this.#fail(); // not HTTP/1.x, or a head beyond the parser's limit
      return;
    }
    if (!complete) return;
    if (this.#parser.endAt === d.length) this.#finish();
    else this.#fail(); // bytes beyond the response: the line is out of step
  }

  #finish(): void {
    const p = this.#current!;
    const { status, close } = this.#parser;
    this.#settle();
    if (close) this.#drop();
    else this.#reused = true;
    p.done(status >= 200 && status < 300);
    this.#next();
  }

  /** The exchange in flight failed (why does not change the outcome: the post did not get through). */
  #fail(timedOut = false): void {
    const p = this.#current;
    const stale = this.#reused && !timedOut && p !== null && this.#parser.bytes === 0;
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
  }

  #drop(): void {
    this.#socket?.destroy();
    this.#socket = null;
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
