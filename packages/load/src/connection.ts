import net from 'node:net';
import type tls from 'node:tls';
import type { ErrorKind } from '@headroom/internal';
import { directWrite } from './direct-write.ts';
import { ResponseParser } from '@headroom/internal/response-parser';
import { isTlsErrorCode, type TlsTransport } from './tls-transport.ts';

/** Who a connection reports to. Calls are synchronous, from socket callbacks. */
export interface ConnectionOwner {
  /** The response is complete: read `conn.parser.status` / `conn.parser.bytes`. */
  onResponse(conn: Connection, doneMs: number): void;
  /**
   * The request failed without a response; the socket is gone and the next send reconnects.
   * `detail`: why, when the user must see it (the parser's message for a malformed response of
   * kind `other`, the code and message of a `tls` failure).
   */
  onFailure(conn: Connection, kind: ErrorKind, detail?: string): void;
}

/** Where to connect, and through which TLS transport for an https:// target (null: plain TCP). */
export interface Address {
  host: string;
  port: number;
  tls: TlsTransport | null;
}

/** The address of a target URL; `transport` is required for https:// (the worker builds it from the plan's TLS options). */
export function addressOf(target: string, transport: TlsTransport | null = null): Address {
  const url = new URL(target);
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const https = url.protocol === 'https:';
  if (https && transport === null) throw new Error(`${target} is https:// but the worker got no TLS options`);
  return { host, port: url.port === '' ? (https ? 443 : 80) : Number(url.port), tls: https ? transport : null };
}

// Reads land in one shared buffer: every read is parsed synchronously inside the
// callback, so no two sockets ever need it at once and reads allocate nothing.
const READ_BUFFER = Buffer.allocUnsafe(256 * 1024);

const BACKOFF_FIRST_MS = 20;
const BACKOFF_MAX_MS = 500;

/**
 * One keep-alive HTTP/1.1 connection with at most one request in flight. It connects
 * lazily on the first send, reconnects after the server closes it, and reports
 * failures by kind instead of throwing. Over TLS it counts as connected once the
 * handshake is done, and a reconnect offers the session it last got.
 */
export class Connection {
  readonly parser = new ResponseParser();
  readonly #address: Address;
  #owner: ConnectionOwner;
  #socket: net.Socket | null = null;
  #connected = false;
  /** The TLS session this connection last received, offered when it reconnects. */
  #session: Buffer | null = null;
  /** A request is in flight. */
  busy = false;
  /** performance.now() the latency of the request in flight counts from (see open-runner.ts), and of its actual send. */
  intendedMs = 0;
  sentMs = 0;
  /** performance.now() at which the connection last became free (open model). */
  freeAt = 0;
  /** Index of the request in flight, in the worker's encoded requests. */
  request = 0;
  /** Trace ids when the request in flight carries traceparent. */
  traceId: string | null = null;
  spanId: string | null = null;
  /** Consecutive failures to connect: drives the backoff. */
  connectFailures = 0;
  /** Free slot for the owner (e.g. a think-time timer). */
  timer: NodeJS.Timeout | null = null;

  constructor(address: Address, owner: ConnectionOwner) {
    this.#address = address;
    this.#owner = owner;
  }

  /** Who the connection reports to now. */
  get owner(): ConnectionOwner {
    return this.#owner;
  }

  /** Hands the connection, with its socket, to another owner (connection-pool.ts); only while no request is in flight. */
  bind(owner: ConnectionOwner): void {
    if (this.busy) throw new Error('a connection with a request in flight cannot change owner');
    this.#owner = owner;
  }

  /** Whether the socket is open (connected, or over TLS past its handshake). */
  get connected(): boolean {
    return this.#connected;
  }

  /** How long to wait before the next send after connecting failed (0 when it did not). */
  backoffMs(): number {
    return this.connectFailures === 0 ? 0 : Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** (this.connectFailures - 1));
  }

  /** Sends bytes now; the response or failure comes back through the owner. */
  send(bytes: Buffer, noBody: boolean, sentMs: number): void {
    const socket = this.#socket ?? this.#open();
    this.busy = true;
    this.sentMs = sentMs;
    this.parser.reset(noBody);
    // Over TLS, writes take the TLS socket's own path: its TLSWrap handle allows one write in
    // flight and completes it asynchronously, so a direct write after a fast response can land
    // on the unfinished one (node aborts: crypto_tls.cc TLSWrap::DoWrite `!current_write_`, seen
    // in bench/tls-throughput.ts). Measured there, the direct write saved no CPU per request anyway.
    const err = this.#address.tls === null ? directWrite(socket, bytes) : 1;
    if (err === 1) socket.write(bytes);
    else if (err < 0) {
      this.#drop();
      this.#fail('reset');
    }
  }

  /** Opens the socket now if there is none, so that the first send does not wait for a connect. */
  connect(): void {
    if (this.#socket === null) this.#open();
  }

  /** Gives up on the request in flight (timeout): the socket is replaced by a fresh one on the next send. */
  abort(kind: ErrorKind): void {
    this.#drop();
    if (this.busy) this.#fail(kind);
  }

  /** Closes the socket without reporting anything. */
  close(): void {
    this.busy = false;
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.#drop();
  }

  #open(): net.Socket {
    const { host, port, tls: transport } = this.#address;
    const onread = {
      buffer: READ_BUFFER,
      callback: (n: number, buf: Uint8Array): boolean => {
        if (socket === this.#socket) this.#read(buf as Buffer, n);
        return true;
      },
    };
    const socket: net.Socket =
      transport === null ? net.connect({ host, port, noDelay: true, onread }) : transport.connect(host, port, onread, this.#session);
    this.#socket = socket;
    this.#connected = false;
    socket.on(transport === null ? 'connect' : 'secureConnect', () => {
      if (socket !== this.#socket) return;
      this.#connected = true;
      this.connectFailures = 0;
      transport?.handshake(socket as tls.TLSSocket);
    });
    if (transport !== null)
      socket.on('session', (session: Buffer) => {
        this.#session = session;
        transport.latest = session;
      });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (socket !== this.#socket) return;
      const wasConnected = this.#connected;
      this.#drop();
      if (!wasConnected) this.connectFailures++;
      const kind = errorKind(err.code, wasConnected);
      // A TLS failure's reason (which certificate check, which alert) is what the user must see.
      if (this.busy) this.#fail(kind, kind === 'tls' ? `${err.code}: ${err.message}` : undefined);
    });
    socket.on('end', () => {
      if (socket !== this.#socket) return;
      const complete = this.busy && this.parser.end();
      this.#drop();
      if (complete) this.#complete();
      else if (this.busy) this.#fail('closed');
    });
    socket.on('close', () => {
      if (socket !== this.#socket) return;
      this.#drop();
      if (this.busy) this.#fail('closed');
    });
    return socket;
  }

  #read(buf: Buffer, n: number): void {
    if (!this.busy) return; // stray bytes after a response: ignore
    let complete: boolean;
    try {
      complete = this.parser.feed(buf, 0, n);
    } catch (err) {
      this.#drop();
      this.#fail('other', err instanceof Error ? err.message : String(err));
      return;
    }
    if (!complete) return;
    if (this.parser.close) this.#drop();
    this.#complete();
  }

  #complete(): void {
    this.busy = false;
    this.#owner.onResponse(this, performance.now());
  }

  #fail(kind: ErrorKind, detail?: string): void {
    this.busy = false;
    this.#owner.onFailure(this, kind, detail);
  }

  #drop(): void {
    const s = this.#socket;
    if (s === null) return;
    this.#socket = null;
    this.#connected = false;
    s.destroy();
  }
}

/** Maps a socket error to its kind. A connection that never opened and was refused is `refused`. */
export function errorKind(code: string | undefined, wasConnected: boolean): ErrorKind {
  if (isTlsErrorCode(code)) return 'tls';
  if (code === 'ECONNREFUSED') return 'refused';
  if (code === 'ECONNRESET' || code === 'EPIPE') return wasConnected ? 'reset' : 'refused';
  if (code === 'ETIMEDOUT') return 'timeout';
  return 'other';
}
