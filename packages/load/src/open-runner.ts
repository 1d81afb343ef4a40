import type { ErrorKind } from '@headroom/core';
import type { ArrivalSchedule } from './arrival-schedule.ts';
import type { Connection } from './connection.ts';
import type { EngineContext } from './engine.ts';
import { PoolRunner } from './pool-runner.ts';

/**
 * The open model without coordinated omission. Arrivals follow the even schedule no
 * matter how the target responds; an arrival goes out on an idle connection of the pool
 * or waits for one, and its latency counts from its intended time either way. The queue
 * is just the index of the next unsent arrival, since intended times are computed from
 * the schedule, so it costs no memory. An arrival that waited longer than the timeout is
 * a timeout error; when every connection is backing off after failed connects, due
 * arrivals fail at once with that error (a refused target cannot build a backlog).
 */
/** How long before an arrival the runner stops sleeping and polls (only at modest rates). */
const POLL_WINDOW_MS = 1.2;
/** Per-worker arrival spacing from which polling is worth its CPU. */
const POLL_MIN_SPACING_MS = 2;

export class OpenRunner extends PoolRunner {
  readonly #schedule: ArrivalSchedule;
  #next = 0;
  readonly #idle: Connection[];
  readonly #poll: boolean;
  #down = 0;
  #downKind: ErrorKind = 'refused';
  #timer: NodeJS.Timeout | NodeJS.Immediate | null = null;

  constructor(ctx: EngineContext) {
    super(ctx);
    this.#schedule = ctx.unit.schedule!;
    this.#idle = [...this.conns].reverse();
    // Densest spacing of this worker's arrivals: at one end of the (ramped) schedule.
    const s = this.#schedule;
    const n = s.total;
    const spacing = n < 2 ? Infinity : Math.min(s.at(1) - s.at(0), s.at(n - 1) - s.at(n - 2));
    this.#poll = spacing >= POLL_MIN_SPACING_MS;
    this.#wake();
  }

  #wake = (): void => {
    this.#timer = null;
    const ctx = this.ctx;
    const s = this.#schedule;
    const rel = performance.now() - ctx.startPerf;
    while (this.#next < s.total) {
      const t = s.at(this.#next);
      if (t > rel) break;
      if (rel - t > ctx.timeoutMs) { ctx.recorder.failure('timeout'); this.#next++; continue; }
      const conn = this.#idle.pop();
      if (conn === undefined) {
        if (this.#down === this.conns.length) { ctx.recorder.failure(this.#downKind); this.#next++; continue; }
        break;
      }
      this.#next++;
      const intended = ctx.startPerf + t;
      ctx.recorder.sent(this.sendOn(conn, intended) - intended);
    }
    this.#arm();
    if (this.finishing) this.checkDrained();
  };

  #arm(): void {
    if (this.#timer !== null || this.#next >= this.#schedule.total) return;
    if (this.#idle.length === 0 && this.#down < this.conns.length) return; // a freed connection wakes us
    const due = this.ctx.startPerf + this.#schedule.at(this.#next) - performance.now();
    // Node's timers have 1 ms granularity and fire up to ~1 ms late. At modest rates the
    // runner sleeps on a timer until just before the arrival and polls the rest with
    // setImmediate (a few % of a core), so sends leave within µs. When arrivals are
    // denser the loop is busy with responses anyway and polling would only burn the
    // CPU the generator reports about itself; there a send may leave ≤ ~1 ms late, which
    // costs no truth (latency counts from the intended time) and is counted as lag.
    if (due <= 0.02) this.#timer = setImmediate(this.#wake);
    else if (this.#poll && due < POLL_WINDOW_MS) this.#timer = setImmediate(this.#wake);
    else this.#timer = setTimeout(this.#wake, this.#poll ? Math.floor(due - POLL_WINDOW_MS + 1) : due);
  }

  protected afterResponse(conn: Connection): void {
    this.#free(conn);
  }

  protected afterFailure(conn: Connection, kind: ErrorKind): void {
    const wait = conn.backoffMs();
    if (wait === 0) { this.#free(conn); return; }
    this.#down++;
    this.#downKind = kind;
    conn.timer = setTimeout(() => { conn.timer = null; this.#down--; this.#free(conn); }, wait);
    this.#arm();
  }

  #free(conn: Connection): void {
    this.#idle.push(conn);
    if (this.#next < this.#schedule.total && this.ctx.startPerf + this.#schedule.at(this.#next) <= performance.now()) this.#wake();
    else this.#arm();
  }

  protected onFinish(): void {
    this.#wake();
  }

  protected pending(): boolean {
    return this.#next < this.#schedule.total;
  }

  protected override onEnd(): void {
    if (this.#timer !== null) { clearTimeout(this.#timer as NodeJS.Timeout); clearImmediate(this.#timer as NodeJS.Immediate); }
    this.#timer = null;
  }
}
