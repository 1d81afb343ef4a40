/**
 * The agent's line to the runner, kept off the SUT's main thread. Posting with fetch or
 * holding an http.get stream from the main thread put the agent's sockets, requests and
 * responses through the same Node internals as the SUT's own server (net, streams,
 * http), and V8's inline caches there turned megamorphic: every request of the SUT paid
 * for it, +2% CPU per request with only runtime metrics on and +8% with tracing
 * (bench/capture-overhead.ts, perf). A worker thread has its own isolate and its own
 * caches, so the agent's I/O runs there (agent-io-thread.ts) and the main thread only
 * hands it bytes through a MessagePort.
 */
import { Worker } from 'node:worker_threads';
import type { AgentMessage, ControlMessage } from '../protocol.ts';

/** Main thread → I/O thread. */
export type AgentToIo = {
  type: 'post';
  id: number;
  url: string;
  contentType: string;
  body: Uint8Array | string;
  timeoutMs: number;
  /** Gzip the body on the I/O thread before posting it. */
  gzip: boolean;
};
/** I/O thread → main thread. */
export type IoToAgent = { type: 'result'; id: number; ok: boolean } | { type: 'control'; message: ControlMessage };

export class AgentIO {
  readonly #url: string;
  readonly #token: string;
  readonly #thread: Worker;
  readonly #pending = new Map<number, (ok: boolean) => void>();
  #next = 1;
  #dead = false;

  /** Starts the I/O thread; control messages from the runner arrive at `onControl`. */
  constructor(url: string, onControl: (m: ControlMessage) => void, token = '') {
    this.#url = url;
    this.#token = token;
    // No execArgv: the thread must not preload the agent (or anything else the SUT preloads).
    this.#thread = new Worker(new URL('./io-thread.ts', import.meta.url), { workerData: { url, token }, execArgv: [] });
    this.#thread.on('message', (m: IoToAgent) => {
      if (m.type === 'control') {
        onControl(m.message);
        return;
      }
      const done = this.#pending.get(m.id);
      this.#pending.delete(m.id);
      if (this.#pending.size === 0) this.#thread.unref();
      done?.(m.ok);
    });
    this.#thread.on('error', (e) => process.emitWarning(`headroom capture agent: I/O thread failed: ${e.message}`));
    // A thread that is gone answers nothing: every post in flight, and every later one, fails at once.
    this.#thread.on('exit', () => {
      this.#dead = true;
      for (const done of this.#pending.values()) done(false);
      this.#pending.clear();
    });
    // Like the sockets it replaces, the thread never keeps the SUT alive on its own.
    this.#thread.unref();
  }

  /**
   * POSTs `body` to `url` from the I/O thread; resolves whether the server took it (never
   * rejects). With `gzip` the thread compresses it first: node:zlib's gzip runs through a
   * Transform stream, and streams of a new shape on the main thread turned the SUT's own
   * HTTP stream code polymorphic (V8 deoptimised ReadableState, Readable.on, listenerCount,
   * getHighWaterMark for "wrong map" at every profile push).
   */
  post(url: string, contentType: string, body: Uint8Array | string, timeoutMs = 5_000, gzip = false): Promise<boolean> {
    if (this.#dead) return Promise.resolve(false);
    const id = this.#next++;
    if (this.#pending.size === 0) this.#thread.ref(); // a post in flight keeps the process alive, as a fetch would
    return new Promise((resolve) => {
      this.#pending.set(id, resolve);
      const m: AgentToIo = { type: 'post', id, url, contentType, body, timeoutMs, gzip };
      this.#thread.postMessage(m);
    });
  }

  /** Posts one agent message to the runner's `/agent` endpoint. */
  send(msg: AgentMessage): Promise<boolean> {
    return this.post(`${this.#url}/agent?token=${this.#token}`, 'application/json', JSON.stringify(msg));
  }
}
