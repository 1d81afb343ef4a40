import type { ErrorKind } from '@headroom/internal';
import type { ArrivalSchedule } from './arrival-schedule.ts';
import type { Connection } from './connection.ts';
import type { EngineContext } from './engine.ts';
import { ArrivalTimer } from './arrival-timer.ts';
import { PoolRunner } from './pool-runner.ts';

/**
 * The open model without coordinated omission. Arrivals follow the even schedule no
 * matter how the target responds; an arrival goes out on an idle connection of the pool
 * or waits for one, and the wait counts in its latency: a request that found every
 * connection busy at its intended time t, and went out when one freed at f, has latency
 * (f − t) + its service time — the latency a real user arriving at t would have seen.
 * The generator's own lateness (Node's 1 ms timers, being descheduled) is not charged
 * to the target: it is counted as send lag (lateSends, maxLagUs) and warned about, so a
 * slow generator cannot pass itself off as a slow service. The queue
 * is just the index of the next unsent arrival, since intended times are computed from
 * the schedule, so it costs no memory. An arrival that waited longer than the timeout is
 * a timeout error; when every connection is backing off after failed connects, due
 * arrivals fail at once with that error (a refused target cannot build a backlog).
 */
export class OpenRunner extends PoolRunner {
  readonly #schedule: ArrivalSchedule;
  #next = 0;
  readonly #idle: Connection[];
  #down = 0;
  #downKind: ErrorKind = 'refused';
  readonly #timer: ArrivalTimer;

  constructor(ctx: EngineContext) {
    super(ctx);
    this.#schedule = ctx.unit.schedule!;
    this.#idle = [...this.conns];
    this.#timer = new ArrivalTimer(() => this.#wake(), { poll: ctx.poll, recorder: ctx.recorder });
    this.#wake();
  }

  /** Timer wake-ups so far (a diagnostic: at most about one per arrival). */
  get wakes(): number {
    return this.#timer.wakes;
  }

  #wake(): void {
    const ctx = this.ctx;
    const s = this.#schedule;
    const rel = performance.now() - ctx.startPerf;
    while (this.#next < s.total) {
      const t = s.at(this.#next);
      if (t > rel) break;
      if (rel - t > ctx.timeoutMs) {
        ctx.recorder.failure('timeout', rel - t);
        if (ctx.byIndex !== null) ctx.byIndex[ctx.mix.next()]?.failure('timeout'); // unsent: charged to the request it would have been
        this.#next++;
        continue;
      }
      const conn = this.#idle.shift(); // the longest-idle: the one that could have taken this arrival first
      if (conn === undefined) {
        if (this.#down === this.conns.length) {
          ctx.recorder.failure(this.#downKind, rel - t);
          if (ctx.byIndex !== null) ctx.byIndex[ctx.mix.next()]?.failure(this.#downKind);
          this.#next++;
          continue;
        }
        break;
      }
      this.#next++;
      const intended = ctx.startPerf + t;
      const queued = Math.max(0, conn.freeAt - intended);
      // Waiting for a free connection is the service's queue; only the rest is the generator's lateness.
      ctx.recorder.sent(this.sendOn(conn, queued) - intended - queued, queued);
    }
    this.#arm();
    if (this.finishing) this.checkDrained();
  }

  #arm(): void {
    if (this.#next >= this.#schedule.total) return;
    if (this.#idle.length === 0 && this.#down < this.conns.length) return; // a freed connection wakes us
    this.#timer.arm(this.ctx.startPerf + this.#schedule.at(this.#next) - performance.now());
  }

  protected afterResponse(conn: Connection): void {
    this.#free(conn);
  }

  protected afterFailure(conn: Connection, kind: ErrorKind): void {
    const wait = conn.backoffMs();
    if (wait === 0) {
      this.#free(conn);
      return;
    }
    this.#down++;
    this.#downKind = kind;
    conn.timer = setTimeout(() => {
      conn.timer = null;
      this.#down--;
      this.#free(conn);
    }, wait);
    this.#arm();
  }

  #free(conn: Connection): void {
    if (this.finishing && !this.pending()) {
      this.release(conn); // nothing left to send: the next unit may have it
      return;
    }
    conn.freeAt = performance.now();
    this.#idle.push(conn);
    if (this.#next < this.#schedule.total && this.ctx.startPerf + this.#schedule.at(this.#next) <= performance.now()) this.#wake();
    else this.#arm();
  }

  protected onFinish(): void {
    this.#wake();
    if (!this.pending()) for (const c of this.#idle.splice(0)) this.release(c);
  }

  protected pending(): boolean {
    return this.#next < this.#schedule.total;
  }

  protected override onEnd(): void {
    this.#timer.cancel();
  }
}
