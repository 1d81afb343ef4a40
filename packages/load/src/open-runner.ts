import type { ErrorKind } from '@headroom/internal';
import type { ArrivalSchedule } from './arrival-schedule.ts';
import type { Connection } from './connection.ts';
import type { EngineContext } from './engine.ts';
import { PoolRunner } from './pool-runner.ts';
import { wakeAt } from './precise-timer.ts';

/** Arrivals at least this far away are slept for on the precise timer thread (≤ 1000 wakes a second). */
const PRECISE_FROM_MS = 1;

/** HEADROOM_TIMER=plain: Node timers only, no timer thread. */
const TIMER_MODE = process.env['HEADROOM_TIMER'] ?? 'precise';

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
  #timer: NodeJS.Timeout | NodeJS.Immediate | null = null;
  #cancelWake: (() => void) | null = null;

  constructor(ctx: EngineContext) {
    super(ctx);
    this.#schedule = ctx.unit.schedule!;
    this.#idle = [...this.conns];
    this.#wake();
  }

  /**
   * The armed timer fired: its handle is spent. Only here are the handles cleared. #wake
   * is also called directly (a connection freed while an arrival is due); clearing the
   * handles there, with the timer still pending, left that timer to fire later and arm a
   * second one beside the next: every such call added a wake-up chain that never ended,
   * and at 1,000 req/s the wakes grew from ~35k to ~300k a second in 10 s, the CPU the
   * generator reported growing with them (issue 16, item 10).
   */
  #fired = (): void => {
    this.#timer = null;
    this.#cancelWake = null;
    this.wakes++;
    this.#wake();
  };

  /** A wake on the precise timer: its lateness is the generator's own wake-up delay (recorder.ts, wakeDelay). */
  #firedPrecise = (lateMs: number): void => {
    this.ctx.recorder.wakeDelay(lateMs);
    this.#fired();
  };

  /** Timer wake-ups so far (a diagnostic: at most about one per arrival). */
  wakes = 0;

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
    if (this.#timer !== null || this.#cancelWake !== null || this.#next >= this.#schedule.total) return;
    if (this.#idle.length === 0 && this.#down < this.conns.length) return; // a freed connection wakes us
    const due = this.ctx.startPerf + this.#schedule.at(this.#next) - performance.now();
    // Node's timers have 1 ms granularity and fire up to ~1 ms late. A sparse arrival is
    // slept for on the precise timer thread (precise-timer.ts), which wakes within tens
    // of µs but costs a thread hand-off per wake. Dense arrivals use a plain timer: each
    // wake sends everything that fell due meanwhile, sends may leave up to ~1-2 ms late
    // (counted as late sends; latency still counts from the intended time), and the CPU
    // the generator reports stays the CPU its work takes. Polling only when the scenario asks
    // for it (workers.idle 'poll'): then every turn of the loop checks the schedule.
    if (due <= 0 || this.ctx.poll)
      this.#timer = setImmediate(this.#fired); // polling: check again next turn
    else if (TIMER_MODE === 'precise' && due >= PRECISE_FROM_MS) this.#cancelWake = wakeAt(performance.now() + due, this.#firedPrecise);
    else this.#timer = setTimeout(this.#fired, due);
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
    conn.freeAt = performance.now();
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
    if (this.#timer !== null) {
      clearTimeout(this.#timer as NodeJS.Timeout);
      clearImmediate(this.#timer as NodeJS.Immediate);
    }
    this.#cancelWake?.();
    this.#cancelWake = null;
    this.#timer = null;
  }
}
