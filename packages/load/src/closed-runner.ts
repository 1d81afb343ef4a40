import type { ErrorKind } from '@headroom/internal';
import type { Connection } from './connection.ts';
import type { EngineContext } from './engine.ts';
import { PoolRunner } from './pool-runner.ts';

/**
 * The closed model: each connection loops send → response → think time → send. The
 * intended send time is the actual one, so latency and service time coincide. After a
 * failed connect a connection backs off (20 ms doubling to 500 ms) so a refused target
 * is retried without spinning.
 */
export class ClosedRunner extends PoolRunner {
  constructor(ctx: EngineContext) {
    super(ctx);
    for (const c of this.conns) this.#next(c);
  }

  #next(conn: Connection): void {
    conn.timer = null;
    if (this.finishing) return;
    this.sendOn(conn);
  }

  #later(conn: Connection, ms: number): void {
    conn.timer = setTimeout(() => {
      this.#next(conn);
      this.checkDrained();
    }, ms);
  }

  protected afterResponse(conn: Connection): void {
    if (this.finishing) {
      this.release(conn);
      return;
    }
    const think = this.ctx.unit.thinkTimeMs;
    if (think > 0) this.#later(conn, think);
    else this.sendOn(conn);
  }

  protected afterFailure(conn: Connection, _kind: ErrorKind): void {
    if (this.finishing) {
      this.release(conn);
      return;
    }
    const wait = conn.backoffMs();
    if (wait > 0) this.#later(conn, wait);
    else this.sendOn(conn);
  }

  protected onFinish(): void {
    for (const c of this.conns)
      if (c.timer !== null) {
        clearTimeout(c.timer);
        c.timer = null;
        this.release(c); // waiting out its think time or backoff: idle
      }
  }

  protected pending(): boolean {
    return false;
  }
}
