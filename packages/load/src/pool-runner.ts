import type { ErrorKind } from '@headroom/internal';
import { addressOf, Connection } from './connection.ts';
import type { ConnectionOwner } from './connection.ts';
import type { EngineContext, UnitRun } from './engine.ts';
import { warnFailure } from './failure-warning.ts';

/**
 * What the closed and open runners of the headroom engine share: a pool of keep-alive
 * connections, sending one request of the mix (with traceparent when sampled),
 * recording outcomes, the timeout sweep, and draining at the end of the unit.
 */
export abstract class PoolRunner implements ConnectionOwner, UnitRun {
  protected readonly ctx: EngineContext;
  protected readonly conns: Connection[] = [];
  protected finishing = false;
  readonly drained: Promise<void>;
  #resolve!: () => void;
  #sweep: NodeJS.Timeout;
  #ended = false;

  constructor(ctx: EngineContext) {
    this.ctx = ctx;
    const address = addressOf(ctx.target, ctx.tls ?? null);
    const pool = ctx.pool ?? null;
    for (let k = 0; k < ctx.unit.connections; k++) this.conns.push(pool === null ? new Connection(address, this) : pool.take(this));
    this.drained = new Promise((r) => {
      this.#resolve = r;
    });
    // One sweep for all connections instead of a timer per request; timeouts resolve to a tenth of the limit.
    const every = Math.min(250, Math.max(5, ctx.timeoutMs / 10));
    this.#sweep = setInterval(() => this.#sweepTimeouts(), every);
  }

  finish(): void {
    this.finishing = true;
    this.onFinish();
    this.checkDrained();
  }

  abort(): void {
    this.finishing = true;
    this.#end();
  }

  /**
   * Sends the next request of the mix on `conn`; returns the actual send time. `queuedMs`:
   * how long the request waited for a free connection (open model), which its latency includes.
   */
  protected sendOn(conn: Connection, queuedMs = 0): number {
    const ctx = this.ctx;
    const idx = ctx.mix.next();
    const enc = ctx.requests[idx]!;
    let bytes = enc.full;
    if (ctx.traces.take()) {
      const ids = ctx.traces.ids();
      conn.traceId = ids.traceId;
      conn.spanId = ids.spanId;
      bytes = Buffer.concat([enc.head, ids.line, enc.tail]);
    } else if (conn.traceId !== null) {
      conn.traceId = conn.spanId = null;
    }
    conn.request = idx;
    const now = performance.now();
    conn.intendedMs = now - queuedMs;
    conn.send(bytes, enc.noBody, now);
    return now;
  }

  onResponse(conn: Connection, doneMs: number): void {
    const p = conn.parser;
    this.ctx.recorder.response(conn.intendedMs, conn.sentMs, doneMs, p.status, p.bytes);
    this.ctx.byIndex?.[conn.request]?.response(doneMs - conn.intendedMs, doneMs - conn.sentMs, p.status);
    if (conn.traceId !== null) this.#trace(conn, (doneMs - conn.intendedMs) * 1000, p.status, null);
    if (this.#ended) return;
    this.afterResponse(conn);
    if (this.finishing) this.checkDrained();
  }

  onFailure(conn: Connection, kind: ErrorKind, detail?: string): void {
    const elapsedMs = performance.now() - conn.intendedMs;
    this.ctx.recorder.failure(kind, elapsedMs);
    this.ctx.byIndex?.[conn.request]?.failure(kind);
    if (detail !== undefined) warnFailure(this.ctx, this.ctx.requests[conn.request]!.name, kind, detail);
    if (conn.traceId !== null) this.#trace(conn, elapsedMs * 1000, 0, kind);
    if (this.#ended) return;
    this.afterFailure(conn, kind);
    if (this.finishing) this.checkDrained();
  }

  protected abstract afterResponse(conn: Connection): void;
  protected abstract afterFailure(conn: Connection, kind: ErrorKind): void;
  protected abstract onFinish(): void;
  /** Whether work other than requests in flight remains (e.g. queued arrivals). */
  protected abstract pending(): boolean;

  protected checkDrained(): void {
    if (this.#ended || !this.finishing || this.pending()) return;
    for (const c of this.conns) if (c.owner === this && c.busy) return;
    this.#end();
  }

  /**
   * Gives a connection this unit no longer needs back to the worker's pool (connection-pool.ts),
   * where the next unit takes it with its socket open; without a pool it closes at the end.
   */
  protected release(conn: Connection): void {
    const pool = this.ctx.pool ?? null;
    if (pool !== null && conn.owner === this && !conn.busy) pool.give(conn);
  }

  #end(): void {
    if (this.#ended) return;
    this.#ended = true;
    clearInterval(this.#sweep);
    const pool = this.ctx.pool ?? null;
    for (const c of this.conns) {
      if (c.owner !== this) continue; // given back already
      if (pool !== null && !c.busy) pool.give(c);
      else c.close();
    }
    this.onEnd();
    this.#resolve();
  }

  /** Hook for subclasses to clear their own timers. */
  protected onEnd(): void {}

  #sweepTimeouts(): void {
    const limit = performance.now() - this.ctx.timeoutMs;
    for (const c of this.conns) if (c.owner === this && c.busy && c.sentMs < limit) c.abort('timeout');
  }

  #trace(conn: Connection, latencyUs: number, status: number, error: ErrorKind | null): void {
    this.ctx.traces.record({
      traceId: conn.traceId!,
      spanId: conn.spanId!,
      phase: this.ctx.unit.name,
      request: this.ctx.requests[conn.request]!.name,
      // The latency's own start (intendedMs, see open-runner.ts), so that startedAt + latency is
      // when the response was read: from the scheduled time instead, a send the generator made
      // late put the client's end before the server span's.
      startedAt: performance.timeOrigin + conn.intendedMs,
      latencyUs: Math.round(latencyUs),
      status,
      error,
    });
    conn.traceId = conn.spanId = null;
  }
}
