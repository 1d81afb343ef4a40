import { Worker } from 'node:worker_threads';

/**
 * A one-shot wake-up at a µs-precise performance.now() deadline, without polling.
 *
 * Node's timers have 1 ms granularity and fire up to ~1 ms late, and polling with
 * setImmediate burns the CPU the generator reports about itself. Here a helper thread
 * sleeps in Atomics.wait (a futex with a fractional-ms timeout) until the deadline and
 * then posts a message, which wakes the main event loop within tens of µs. The thread
 * shares the worker's CPU set and sleeps between deadlines.
 *
 * Every wake of the thread is a context switch on the generator's CPU, and on a VM each
 * costs tens of µs of CPU. So arming does not wake the thread when it is already asleep
 * until no later than the new deadline: after firing, the thread sleeps until the deadline
 * it predicts (the last one plus the last interval, exact for an even schedule) and
 * publishes that time; an arming at or after it only writes the deadline and bumps the
 * sequence, which the thread reads when it wakes. The thread always waits on the sequence
 * value it last read, so a bump it has not seen makes its wait return at once: no lost wake.
 */
export class PreciseTimer {
  readonly #shared = new SharedArrayBuffer(24);
  readonly #seq = new Int32Array(this.#shared, 0, 1);
  readonly #deadline = new Float64Array(this.#shared, 8, 1);
  /** When the thread will wake next on its own (main's clock), Infinity when it waits for a notify. */
  readonly #planned = new Float64Array(this.#shared, 16, 1);
  /** Notifies sent to the thread (a diagnostic: armings that had to wake it). */
  notifies = 0;
  readonly #thread: Worker;
  #armed = false;
  #onFire: () => void;

  constructor(onFire: () => void) {
    this.#onFire = onFire;
    this.#deadline[0] = Infinity;
    this.#planned[0] = Infinity;
    this.#thread = new Worker(THREAD, { eval: true, workerData: { shared: this.#shared, origin: performance.timeOrigin } });
    this.#thread.on('message', (seq: number) => {
      if (!this.#armed || seq !== Atomics.load(this.#seq, 0)) return; // fired for an older arming
      this.#armed = false;
      this.#thread.unref();
      this.#onFire();
    });
    this.#thread.unref();
  }

  /** Fires `onFire` once at `deadline` (performance.now() ms of this process); replaces any earlier arming. */
  arm(deadline: number): void {
    if (!this.#armed) this.#thread.ref(); // an armed timer keeps the process alive, like setTimeout
    this.#armed = true;
    this.#deadline[0] = deadline;
    Atomics.add(this.#seq, 0, 1);
    if (this.#planned[0]! > deadline) {
      this.notifies++;
      Atomics.notify(this.#seq, 0);
    }
  }

  cancel(): void {
    if (this.#armed) this.#thread.unref();
    this.#armed = false;
    this.#deadline[0] = Infinity;
    Atomics.add(this.#seq, 0, 1); // the thread sees it when it next wakes; nothing to fire meanwhile
  }

  close(): void {
    this.cancel();
    void this.#thread.terminate();
  }
}

// The thread converts between clocks with both time origins: performance.now() differs per thread.
// Each arming bumps seq; the thread fires once per seq. After firing it sleeps until the
// deadline it predicts (published in planned), or, with no prediction, until notified.
const THREAD = `
const { workerData, parentPort } = require('node:worker_threads');
const seq = new Int32Array(workerData.shared, 0, 1);
const deadline = new Float64Array(workerData.shared, 8, 1);
const planned = new Float64Array(workerData.shared, 16, 1);
const shift = workerData.origin - performance.timeOrigin; // main's now = thread's now - shift
let fired = -1;
let last = NaN;
let interval = NaN;
for (;;) {
  const s = Atomics.load(seq, 0);
  const d = deadline[0];
  const now = performance.now() - shift;
  if (s !== fired && d !== Infinity) {
    const left = d - now;
    if (left > 0.02) { planned[0] = d; Atomics.wait(seq, 0, s, left); continue; }
    parentPort.postMessage(s);
    fired = s;
    interval = d - last;
    last = d;
  }
  const next = last + interval;
  if (next - now > 0.02 && interval < 1000) { planned[0] = next; Atomics.wait(seq, 0, s, next - now); continue; }
  planned[0] = Infinity;
  Atomics.wait(seq, 0, s);
}
`;

interface Entry {
  deadline: number;
  fn: (lateMs: number) => void;
}
let timer: PreciseTimer | null = null;
const entries = new Set<Entry>();

function fire(): void {
  const now = performance.now();
  const due = [...entries].filter((e) => e.deadline <= now + 0.02).sort((a, b) => a.deadline - b.deadline);
  for (const e of due) {
    entries.delete(e);
    e.fn(Math.max(0, now - e.deadline));
  }
  rearm();
}

function rearm(): void {
  let min = Infinity;
  for (const e of entries) if (e.deadline < min) min = e.deadline;
  if (min === Infinity) timer?.cancel();
  else timer!.arm(min);
}

/** Armings that had to wake the timer thread so far (a diagnostic; see PreciseTimer). */
export function preciseTimerNotifies(): number {
  return timer?.notifies ?? 0;
}

/** Starts the shared timer thread ahead of need, so the first deadline is not late by its boot. */
export function warmPreciseTimer(): void {
  timer ??= new PreciseTimer(fire);
}

/**
 * Calls `fn` once at `deadline` (performance.now() ms) with how late it runs (ms, from the
 * deadline to the moment the timer's message was handled: the thread hand-off and this
 * thread's own wake-up); returns a cancel function.
 */
export function wakeAt(deadline: number, fn: (lateMs: number) => void): () => void {
  warmPreciseTimer();
  const e: Entry = { deadline, fn };
  entries.add(e);
  rearm();
  return () => {
    if (entries.delete(e)) rearm();
  };
}
