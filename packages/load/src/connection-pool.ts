import { Connection, type Address, type ConnectionOwner } from './connection.ts';

/**
 * A worker's keep-alive connections to its target, kept across the phases and steps of a run
 * (the static engine's counterpart of flows/vu-pool.ts), as wrk keeps its connections for the
 * whole run and a k6 VU keeps its own across stages.
 *
 * Without it each unit opened its connections on its first sends: every step of a capacity
 * run began with a burst of connects (over TLS, a handshake each, ~0.4 ms of the generator's
 * CPU even resumed), and their time counted in the first latencies of the step. Now the first
 * unit's connections open before the run's second 0 (`prepare`), a unit takes its connections
 * from the pool, and gives each back as soon as it no longer needs it: when it finishes, the
 * idle ones at once, the rest as their last responses arrive. A unit that starts while the
 * previous one drains takes what is idle and opens the rest, and the pool keeps at most `cap`
 * idle connections (the most any unit of the worker uses), closing what comes back beyond it.
 */
export class ConnectionPool implements ConnectionOwner {
  readonly #address: Address;
  readonly #cap: number;
  readonly #idle: Connection[] = [];
  #closed = false;

  constructor(address: Address, cap: number) {
    this.#address = address;
    this.#cap = cap;
  }

  /** Opens connections until `n` are idle, ahead of the first unit. */
  prepare(n: number): void {
    while (this.#idle.length < Math.min(n, this.#cap)) {
      const c = new Connection(this.#address, this);
      c.connect();
      this.#idle.push(c);
    }
  }

  /** A connection for `owner`: an idle one (an open one first), else a new one that connects on its first send. */
  take(owner: ConnectionOwner): Connection {
    const k = this.#idle.findIndex((c) => c.connected);
    const c = k >= 0 ? this.#idle.splice(k, 1)[0]! : (this.#idle.pop() ?? new Connection(this.#address, owner));
    c.connectFailures = 0; // a failed early connect is not the unit's failure: its backoff starts afresh
    c.bind(owner);
    return c;
  }

  /** Takes back a connection its owner no longer needs (no request in flight). */
  give(c: Connection): void {
    if (c.timer !== null) {
      clearTimeout(c.timer);
      c.timer = null;
    }
    c.traceId = c.spanId = null;
    c.bind(this);
    if (this.#closed || this.#idle.length >= this.#cap) c.close();
    else this.#idle.push(c);
  }

  /** Closes every idle connection; connections given back later are closed too. */
  close(): void {
    this.#closed = true;
    for (const c of this.#idle.splice(0)) c.close();
  }

  // An idle connection has no request in flight, so its socket never reports to the pool.
  onResponse(): void {}
  onFailure(): void {}
}
