/**
 * The function tinybench runs for a task, timed by headroom and handed to tinybench as its
 * `overriddenDuration`: tinybench keeps the loop, the time budget and the statistics.
 *
 * A clock read costs tens of ns, so a task of a few ns timed alone measures the clock. As Go's
 * testing.B and Google Benchmark do, a sample then times a batch of n iterations and records the
 * batch time / n. n is chosen after each phase's beforeAll (the warm-up's, then the measured
 * run's) so that a batch lasts at least 100 clock reads (timer error under 1%), and doubles
 * whenever a batch falls short, as it does once the JIT has optimised the task; a task that takes
 * that long already is timed one iteration per sample. beforeEach/afterEach must run around every
 * iteration, so a task with them is never batched, and neither is an async one.
 */
import type { FnHook, FnOptions, HookMode, Task } from 'tinybench';
import type { BenchFn } from '@headroom/core';
import { exitIfOrphaned } from './parent-watch.ts';

const now = process.hrtime.bigint;

/** A batch lasts at least this many clock reads. */
const BATCH_CLOCK_READS = 100;
const MAX_BATCH = 1e9;
/** A batch counts as long enough only if it stays so this many times: a first call pays for compiling. */
const CONFIRMATIONS = 3;
/** …unless it lasts this many targets: a slow task is not run three times over for nothing. */
const CLEARLY_LONG = 100;
const CLOCK_PAIRS = 200;

/** The task of a bench file, normalised. */
export interface TaskSpec {
  fn: BenchFn;
  beforeAll?: BenchFn;
  beforeEach?: BenchFn;
  afterEach?: BenchFn;
  afterAll?: BenchFn;
}

/** What a sample returns to tinybench: ms per iteration, and the batch's ms for the time budget. */
export interface TimedSample {
  overriddenDuration: number;
  overriddenIterationCost?: number;
}

type Call = (this: Task, mode?: HookMode) => unknown;

/** A task ready for `tinybench.add(name, fn, { ...hooks, async: true })`. */
export interface TimedTask {
  fn: (this: Task) => TimedSample | Promise<TimedSample>;
  hooks: Pick<FnOptions, 'beforeAll' | 'beforeEach' | 'afterEach' | 'afterAll'>;
  /** Iterations per sample at the end of the latest phase: the measured one once tinybench is done. */
  batch(): number;
  /** Iterations run in the samples of the latest phase. */
  iterations(): number;
}

/**
 * The cost of reading hrtime, as the median step between two reads that differ: the clock's
 * resolution or the cost of a read, whichever is larger. The least a single timed iteration can show.
 */
export function clockCostNs(): number {
  const steps: number[] = [];
  for (let i = 0; i < 2 * CLOCK_PAIRS; i++) {
    const t0 = now();
    let t1 = now();
    while (t1 === t0) t1 = now();
    if (i >= CLOCK_PAIRS) steps.push(Number(t1 - t0)); // the first half warms the clock's code up
  }
  steps.sort((a, b) => a - b);
  return steps[CLOCK_PAIRS >> 1] as number;
}

/**
 * Go's b.N search (testing/benchmark.go, launch): the smallest n tried whose batch lasts at least
 * `targetNs` (the shortest of up to 3 timings), predicting from the rate so far with 20% to spare,
 * growing 2x to 100x a step. `timeBatch(n)` runs n iterations and returns their ns.
 */
export function batchSize(timeBatch: (n: number) => number, targetNs: number): number {
  let n = 1;
  for (;;) {
    let ns = timeBatch(n);
    for (let i = 1; i < CONFIRMATIONS && ns >= targetNs && ns < CLEARLY_LONG * targetNs; i++) ns = Math.min(ns, timeBatch(n));
    if (ns >= targetNs || n >= MAX_BATCH) return n;
    const predicted = ns > 0 ? Math.ceil((targetNs * 1.2 * n) / ns) : n * 100;
    n = Math.min(Math.max(predicted, n * 2), n * 100, MAX_BATCH);
  }
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof (v as { then?: unknown } | null)?.then === 'function';
}

/** Wraps a task for tinybench; `clockNs` from {@link clockCostNs}. */
export function timedTask(spec: TaskSpec, clockNs: number): TimedTask {
  const fn = spec.fn as Call;
  const beforeAll = spec.beforeAll as Call | undefined;
  const targetNs = BATCH_CLOCK_READS * clockNs;
  /** Batched when no per-iteration hook needs running and the task turned out synchronous. */
  let batchable = !spec.beforeEach && !spec.afterEach;
  let n = 1;
  let iterations = 0;

  const runBatch = (self: Task, size: number): number => {
    const t0 = now();
    for (let i = 0; i < size; i++) fn.call(self);
    return Number(now() - t0);
  };

  /** After the task's beforeAll, which may set up what fn needs. Throws what fn throws: tinybench reports it. */
  async function calibrate(self: Task): Promise<void> {
    n = 1;
    iterations = 0;
    if (!batchable) return;
    const first = fn.call(self);
    if (isThenable(first)) {
      batchable = false;
      await first;
      return;
    }
    n = batchSize((size) => runBatch(self, size), targetNs);
  }

  function record(t0: bigint, t1: bigint, size: number): TimedSample {
    exitIfOrphaned(t1);
    const ns = Number(t1 - t0);
    iterations += size;
    // Calibrated on code the JIT has since optimised: the batch grows back to its target (never shrinks).
    if (batchable && ns < targetNs) n = Math.min(2 * size, MAX_BATCH);
    const ms = ns / 1e6;
    return size === 1 ? { overriddenDuration: ms } : { overriddenDuration: ms / size, overriddenIterationCost: ms };
  }

  function sample(this: Task): TimedSample | Promise<TimedSample> {
    const size = n;
    if (size > 1) {
      const t0 = now();
      for (let i = 0; i < size; i++) fn.call(this);
      return record(t0, now(), size);
    }
    const t0 = now();
    const r = fn.call(this);
    const t1 = now();
    return isThenable(r) ? Promise.resolve(r).then(() => record(t0, now(), 1)) : record(t0, t1, 1);
  }

  const hooks: TimedTask['hooks'] = {
    async beforeAll(this: Task, mode?: HookMode) {
      await beforeAll?.call(this, mode);
      await calibrate(this);
    },
  };
  // The task's own hooks may return anything; tinybench awaits what they return.
  if (spec.beforeEach) hooks.beforeEach = spec.beforeEach as FnHook;
  if (spec.afterEach) hooks.afterEach = spec.afterEach as FnHook;
  if (spec.afterAll) hooks.afterAll = spec.afterAll as FnHook;
  return { fn: sample, hooks, batch: () => n, iterations: () => iterations };
}
