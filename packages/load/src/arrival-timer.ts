import { wakeAt } from './precise-timer.ts';
import type { Recorder } from './recorder.ts';

/** Arrivals at least this far away are slept for on the precise timer thread (≤ 1000 wakes a second). */
const PRECISE_FROM_MS = 1;

/** HEADROOM_TIMER=plain: Node timers only, no timer thread. */
const TIMER_MODE = process.env['HEADROOM_TIMER'] ?? 'precise';

/**
 * The one wake-up an open-model runner has pending for its next arrival.
 *
 * Node's timers have 1 ms granularity and fire up to ~1 ms late. A sparse arrival is slept
 * for on the precise timer thread (precise-timer.ts), which wakes within tens of µs but
 * costs a thread hand-off per wake. Dense arrivals use a plain timer: each wake sends
 * everything that fell due meanwhile, and sends may leave up to ~1-2 ms late (counted as
 * late sends; latency still counts from the intended time), while the CPU the generator
 * reports stays the CPU its work takes. A runner also checks the schedule whenever a
 * response arrives, which at dense rates comes far more often than the 1 ms tick. Polling
 * only when the scenario asks for it (workers.idle 'poll'): then every turn of the loop
 * checks the schedule.
 *
 * Only a firing clears the pending handle. A runner that sends what fell due outside a firing
 * (on a response) leaves the armed wake in place, which then fires early and finds nothing,
 * instead of arming a second wake beside it: every such extra wake started a chain that never
 * ended, and at 1,000 req/s the wakes grew from ~35k to ~300k a second in 10 s, the CPU the
 * generator reported growing with them (issue 16, item 10).
 */
export class ArrivalTimer {
  readonly #onFire: () => void;
  readonly #recorder: Recorder;
  readonly #poll: boolean;
  #timer: NodeJS.Timeout | NodeJS.Immediate | null = null;
  #cancelWake: (() => void) | null = null;
  /** Wake-ups so far (a diagnostic: at most about one per arrival). */
  wakes = 0;

  /** A precise wake's lateness goes to `recorder`: the generator's own wake-up delay (recorder.ts, wakeDelay). */
  constructor(onFire: () => void, o: { poll: boolean; recorder: Recorder }) {
    this.#onFire = onFire;
    this.#poll = o.poll;
    this.#recorder = o.recorder;
  }

  /** Whether a wake is pending. */
  get armed(): boolean {
    return this.#timer !== null || this.#cancelWake !== null;
  }

  /** Arms a wake `dueMs` from now unless one is pending. */
  arm(dueMs: number): void {
    if (this.armed) return;
    if (dueMs <= 0 || this.#poll) this.#timer = setImmediate(this.#fired);
    else if (TIMER_MODE === 'precise' && dueMs >= PRECISE_FROM_MS) this.#cancelWake = wakeAt(performance.now() + dueMs, this.#firedPrecise);
    else this.#timer = setTimeout(this.#fired, dueMs);
  }

  cancel(): void {
    if (this.#timer !== null) {
      clearTimeout(this.#timer as NodeJS.Timeout);
      clearImmediate(this.#timer as NodeJS.Immediate);
    }
    this.#cancelWake?.();
    this.#cancelWake = null;
    this.#timer = null;
  }

  #fired = (): void => {
    this.#timer = null;
    this.#cancelWake = null;
    this.wakes++;
    this.#onFire();
  };

  #firedPrecise = (lateMs: number): void => {
    this.#recorder.wakeDelay(lateMs);
    this.#fired();
  };
}
