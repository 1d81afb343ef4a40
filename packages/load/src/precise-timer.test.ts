import { describe, expect, it } from 'vitest';
import { preciseTimerNotifies, wakeAt, warmPreciseTimer } from './precise-timer.ts';

describe('precise timer thread', () => {
  it('fires each deadline once, in order, not early; cancelled ones never', async () => {
    warmPreciseTimer();
    await new Promise((r) => setTimeout(r, 200)); // thread boot
    const t0 = performance.now();
    const fired: [number, number][] = [];
    const deadlines = [t0 + 30, t0 + 12, t0 + 20.5];
    await new Promise<void>((resolve) => {
      for (const d of deadlines)
        wakeAt(d, () => {
          fired.push([d, performance.now()]);
          if (fired.length === 3) resolve();
        });
      const cancel = wakeAt(t0 + 25, () => fired.push([-1, 0]));
      cancel();
    });
    expect(fired.map(([d]) => d)).toEqual([...deadlines].sort((a, b) => a - b));
    for (const [d, at] of fired) {
      expect(at).toBeGreaterThanOrEqual(d - 0.05);
      expect(at - d).toBeLessThan(50); // generous: shared CI boxes deschedule threads
    }
  });

  it('an even series of deadlines, each armed when the last fires, wakes the thread only for the first ones', async () => {
    warmPreciseTimer();
    const before = preciseTimerNotifies();
    const t0 = performance.now() + 5;
    const late: number[] = [];
    await new Promise<void>((resolve) => {
      const arm = (k: number): void => {
        if (k === 40) {
          resolve();
          return;
        }
        const d = t0 + k * 2.5;
        wakeAt(d, (lateMs) => {
          late.push(performance.now() - d - lateMs);
          arm(k + 1);
        });
      };
      arm(0);
    });
    // The thread predicts each next deadline (last + interval) and sleeps until it on its own.
    expect(preciseTimerNotifies() - before).toBeLessThan(10);
    expect(late).toHaveLength(40);
    for (const x of late) expect(Math.abs(x)).toBeLessThan(1); // lateMs is measured when the callback runs
  });
});
