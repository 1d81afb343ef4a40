import type { Task } from 'tinybench';
import { describe, expect, it } from 'vitest';
import { batchSize, clockCostNs, timedTask, type TimedSample } from './timed-task.ts';

const task = {} as Task;

describe('batchSize', () => {
  it("follows Go's b.N search: predict from the rate with 20% to spare, at most 100x a step", () => {
    const tried: number[] = [];
    // 2 ns an iteration, a 6 µs target: 1 → 100 (capped at 100x) → 3600 (6000 * 1.2 / 2), which lasts 7.2 µs.
    const n = batchSize((k) => (tried.push(k), 2 * k), 6000);
    expect(n).toBe(3600);
    expect(tried).toEqual([1, 100, 3600, 3600, 3600]); // the long enough batch confirmed twice
  });

  it('does not take a slow first call (compiling) for the speed of the task', () => {
    let calls = 0;
    const n = batchSize((k) => (calls++ === 0 ? 50_000 : 2 * k), 6000);
    expect(n).toBe(3600);
  });

  it('times a task that outlasts the target one iteration per sample, running it once when clearly long', () => {
    let calls = 0;
    expect(batchSize(() => (calls++, 10_000_000), 6000)).toBe(1);
    expect(calls).toBe(1);
    expect(batchSize(() => 7000, 6000)).toBe(1);
  });
});

describe('timedTask', () => {
  const clockNs = clockCostNs();

  it('measures the clock: a positive step of at most a few µs', () => {
    expect(clockNs).toBeGreaterThan(0);
    expect(clockNs).toBeLessThan(5000);
  });

  it('batches a fast synchronous task and counts every iteration it ran', async () => {
    let calls = 0;
    const t = timedTask({ fn: () => calls++ }, clockNs);
    await t.hooks.beforeAll?.call(task, 'run');
    calls = 0;
    const samples = [1, 2, 3].map(() => t.fn.call(task) as TimedSample);
    expect(t.batch()).toBeGreaterThan(1);
    expect(t.iterations()).toBe(calls);
    for (const s of samples) expect(s.overriddenIterationCost).toBeGreaterThan(s.overriddenDuration);
  });

  it('times one iteration at a time around beforeEach/afterEach, and for an async task', async () => {
    const hooked = timedTask({ fn: () => 1 + 1, beforeEach: () => {} }, clockNs);
    await hooked.hooks.beforeAll?.call(task, 'run');
    expect(hooked.batch()).toBe(1);
    expect(hooked.hooks.beforeEach).toBeTypeOf('function');

    const async = timedTask({ fn: async () => 1 }, clockNs);
    await async.hooks.beforeAll?.call(task, 'run');
    const s = await async.fn.call(task);
    expect(async.batch()).toBe(1);
    expect(s.overriddenIterationCost).toBeUndefined();
    expect(async.iterations()).toBe(1);
  });

  it("runs the task's beforeAll before the task, with tinybench's phase", async () => {
    const seen: string[] = [];
    let ready = false;
    const t = timedTask(
      {
        fn: () => {
          if (!ready) throw new Error('ran before beforeAll');
        },
        beforeAll: function (this: unknown, ...args: unknown[]) {
          seen.push(String(args[0]));
          ready = true;
        },
      },
      clockNs,
    );
    await t.hooks.beforeAll?.call(task, 'warmup');
    expect(seen).toEqual(['warmup']);
  });
});
