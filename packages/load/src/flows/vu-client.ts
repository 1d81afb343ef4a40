import type { Checks, DataRow, Duration, HttpMethod, Vu, VuRequestOptions, VuResponse } from '@headroom/core';
import { parseDuration } from '@headroom/core';
import type { ErrorKind } from '@headroom/internal';
import { Connection } from '../connection.ts';
import type { Address, ConnectionOwner } from '../connection.ts';
import type { NameTable } from '../name-table.ts';
import type { Recorder } from '../recorder.ts';
import { ResponseCapture, failedResponse } from './captured-response.ts';
import { pathTemplate } from './path-template.ts';
import type { UnitStats } from './unit-stats.ts';

/** Thrown into a flow when its unit ended: the iteration stops and is not counted as failed. */
export class UnitEnded extends Error {
  constructor() {
    super('the phase ended');
    this.name = 'UnitEnded';
  }
}

/** What a VU reports into: the unit's recorder, names and stats. */
export interface VuSinks {
  recorder: Recorder;
  names: NameTable;
  stats: UnitStats;
  /** Host header value (host:port of the target). */
  host: string;
  timeoutMs: number;
  /** Called after each response or failure (the open model starts arrivals that fell due). */
  answered?: () => void;
  /** Says why a request failed when its kind alone does not (see warnFailure). */
  warnFailure(request: string, kind: ErrorKind, detail: string): void;
}

interface InFlight {
  name: string;
  checks: Checks | undefined;
  resolve(r: VuResponse): void;
}

/**
 * A virtual user: one keep-alive connection (from the connection layer, so a TLS transport
 * slots in), one cookie jar, a seeded random stream. It lives in its worker's pool
 * (vu-pool.ts) and reports into the unit (phase or step) it is bound to. Requests are timed like the static
 * path's: latency from the intended send (an arrival's scheduled time for an iteration's
 * first request, the planned end of a sleep for the one after it), service time from the
 * actual write.
 */
export class VuClient implements Vu, ConnectionOwner {
  readonly id: number;
  iteration = 0;
  data: Record<string, DataRow> = {};
  readonly #conn: Connection;
  readonly #capture: ResponseCapture;
  /** The unit this VU runs for (bind); null until its first. */
  #bound: VuSinks | null = null;
  readonly #jar = new Map<string, string>();
  readonly #random: () => number;
  #inFlight: InFlight | null = null;
  /** performance.now() the next request's latency counts from, when the generator may have delayed it. */
  intendedNext: number | null = null;
  #sleep: { timer: NodeJS.Timeout; resolve: () => void } | null = null;
  ended = false;

  constructor(id: number, address: Address, random: () => number) {
    this.id = id;
    this.#random = random;
    this.#conn = new Connection(address, this);
    this.#capture = new ResponseCapture(this.#conn.parser);
  }

  /** Starts running for a unit: its requests, checks and iterations are counted there. */
  bind(sinks: VuSinks): void {
    this.#bound = sinks;
    this.ended = false;
    this.data = {};
    this.intendedNext = null;
  }

  get #sinks(): VuSinks {
    if (this.#bound === null) throw new Error('VU used before it was bound to a unit');
    return this.#bound;
  }

  /** Opens the connection ahead of the first request (the pool does this before a unit starts). */
  connect(): void {
    this.#conn.connect();
  }

  random(): number {
    return this.#random();
  }

  get(path: string, options?: VuRequestOptions): Promise<VuResponse> {
    return this.request('GET', path, options);
  }
  post(path: string, options?: VuRequestOptions): Promise<VuResponse> {
    return this.request('POST', path, options);
  }
  put(path: string, options?: VuRequestOptions): Promise<VuResponse> {
    return this.request('PUT', path, options);
  }
  delete(path: string, options?: VuRequestOptions): Promise<VuResponse> {
    return this.request('DELETE', path, options);
  }

  request(method: HttpMethod, path: string, options: VuRequestOptions = {}): Promise<VuResponse> {
    if (this.ended) return Promise.reject(new UnitEnded());
    if (this.#inFlight !== null) return Promise.reject(new Error('a VU sends one request at a time: await each request before the next'));
    const name = options.name ?? pathTemplate(method, path);
    const bucket = this.#sinks.names.get(name); // throws past the name limit, before anything is sent
    const bytes = this.#encode(method, path, options);
    return new Promise<VuResponse>((resolve) => {
      this.#inFlight = { name, checks: options.check, resolve };
      void bucket;
      const now = performance.now();
      this.#conn.intendedMs = Math.min(now, this.intendedNext ?? now);
      this.intendedNext = null;
      this.#capture.reset();
      this.#conn.send(bytes, method === 'HEAD', now);
    });
  }

  check(r: VuResponse, checks: Checks): boolean {
    // A k6 habit such as vu.check('ok', r.status === 200) would otherwise count nothing, silently.
    if (typeof checks !== 'object' || checks === null || Object.values(checks).some((fn) => typeof fn !== 'function'))
      throw new TypeError(
        `vu.check(response, checks): checks must be an object of named functions, e.g. { 'is 200': (r) => r.status === 200 }; got ${describeValue(checks)}`,
      );
    let all = true;
    for (const [name, fn] of Object.entries(checks)) {
      let ok: boolean;
      try {
        ok = fn(r) === true;
      } catch {
        ok = false;
      }
      this.#sinks.stats.check(name, ok);
      all &&= ok;
    }
    return all;
  }

  sleep(duration: Duration | number): Promise<void> {
    if (this.ended) return Promise.reject(new UnitEnded());
    let ms: number;
    if (typeof duration === 'number') ms = duration;
    else {
      const d = parseDuration(duration);
      if (!d.ok) return Promise.reject(new Error(`vu.sleep(${JSON.stringify(duration)}): ${d.message}`));
      ms = d.value;
    }
    const until = performance.now() + Math.max(0, ms);
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#sleep = null;
        if (this.ended) reject(new UnitEnded());
        else {
          this.intendedNext = until; // a late wake is the generator's delay: the next request counts from `until`
          resolve();
        }
      }, ms);
      this.#sleep = { timer, resolve: () => reject(new UnitEnded()) };
    });
  }

  /** The request in flight has been waiting since before `limit` (performance.now()): give up on it. */
  sweep(limit: number): void {
    if (this.#inFlight !== null && this.#conn.sentMs < limit) this.#conn.abort('timeout');
  }

  get busy(): boolean {
    return this.#inFlight !== null;
  }

  /** The unit ended: a pending sleep ends the iteration; `hard` also drops the request in flight. */
  end(hard: boolean): void {
    this.ended = true;
    if (this.#sleep !== null) {
      clearTimeout(this.#sleep.timer);
      const s = this.#sleep;
      this.#sleep = null;
      s.resolve();
    }
    if (hard) {
      const f = this.#inFlight;
      this.#inFlight = null;
      this.#conn.close();
      f?.resolve(failedResponse('closed', 0));
    }
  }

  close(): void {
    this.#conn.close();
  }

  onResponse(conn: Connection, doneMs: number): void {
    const f = this.#inFlight;
    if (f === null) return;
    this.#inFlight = null;
    const p = conn.parser;
    this.#sinks.recorder.response(conn.intendedMs, conn.sentMs, doneMs, p.status, p.bytes);
    this.#sinks.names.get(f.name).response(doneMs - conn.intendedMs, doneMs - conn.sentMs, p.status);
    const { response: r, setsCookies } = this.#capture.take(p.status, doneMs - conn.intendedMs);
    if (setsCookies) this.#storeCookies(r.headers['set-cookie']);
    if (f.checks !== undefined) this.check(r, f.checks);
    f.resolve(r);
    this.#sinks.answered?.();
  }

  onFailure(conn: Connection, kind: ErrorKind, detail?: string): void {
    const f = this.#inFlight;
    if (f === null) return;
    this.#inFlight = null;
    const elapsed = performance.now() - conn.intendedMs;
    this.#sinks.recorder.failure(kind, elapsed);
    this.#sinks.names.get(f.name).failure(kind);
    if (detail !== undefined) this.#sinks.warnFailure(f.name, kind, detail);
    const r = failedResponse(kind, elapsed);
    if (f.checks !== undefined) this.check(r, f.checks);
    f.resolve(r);
    this.#sinks.answered?.();
  }

  #encode(method: HttpMethod, path: string, o: VuRequestOptions): Buffer {
    if (!path.startsWith('/') || /[\x00-\x20\x7f]/.test(path))
      throw new Error(`path ${JSON.stringify(path)} must start with / and hold no spaces or control characters (percent-encode them)`);
    let body: Buffer | null = null;
    let head = `${method} ${path} HTTP/1.1\r\nhost: ${this.#sinks.host}\r\n`;
    let hasType = false;
    for (const [k, v] of Object.entries(o.headers ?? {})) {
      if (/[\r\n]/.test(k) || /[\r\n]/.test(v)) throw new Error(`header ${JSON.stringify(k)} has a line break`);
      if (k.toLowerCase() === 'content-type') hasType = true;
      head += `${k}: ${v}\r\n`;
    }
    if (o.json !== undefined) {
      body = Buffer.from(JSON.stringify(o.json));
      if (!hasType) head += 'content-type: application/json\r\n';
    } else if (o.body !== undefined) body = Buffer.from(o.body);
    if (this.#jar.size > 0) head += `cookie: ${[...this.#jar].map(([k, v]) => `${k}=${v}`).join('; ')}\r\n`;
    if (body !== null) head += `content-length: ${body.length}\r\n`;
    else if (method === 'POST' || method === 'PUT' || method === 'PATCH') head += 'content-length: 0\r\n';
    const h = Buffer.from(`${head}\r\n`, 'latin1');
    return body === null ? h : Buffer.concat([h, body]);
  }

  /** A minimal per-VU jar: name=value of each set-cookie (attributes ignored; one target host); Max-Age=0 deletes. */
  #storeCookies(header: string | undefined): void {
    if (header === undefined) return;
    for (const line of header.split('\n')) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair?.indexOf('=') ?? -1;
      if (pair === undefined || eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const expired = attrs.some((a) => /^\s*max-age\s*=\s*(0|-\d+)\s*$/i.test(a));
      if (expired) this.#jar.delete(name);
      else this.#jar.set(name, pair.slice(eq + 1).trim());
    }
  }
}

/** A value as an error message names it: its type, and the value itself when short. */
function describeValue(v: unknown): string {
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'object' && v !== null)
    return `an object with ${Object.entries(v)
      .map(([k, x]) => `${k}: ${typeof x}`)
      .join(', ')}`;
  return `${typeof v} ${String(v).slice(0, 40)}`;
}
