import { describe, expect, it } from 'vitest';
import { wakeAt, warmPreciseTimer } from './precise-timer.ts';

describe('precise timer thread', () => {
  it('fires each deadline once, in order, not early; cancelled ones never', async () => {
    warmPreciseTimer();
    await new Promise((r) => setTimeout(r, 200)); // thread boot
    const t0 = performance.now();
    const fired: [number, number][] = [];
    const deadlines = [t0 + 30, t0 + 12, t0 + 20.5];
    await new Promise<void>((resolve) => {
      for (const d of deadlines) wakeAt(d, () => { fired.push([d, performance.now()]); if (fired.length === 3) resolve(); });
      const cancel = wakeAt(t0 + 25, () => fired.push([-1, 0]));
      cancel();
    });
    expect(fired.map(([d]) => d)).toEqual([...deadlines].sort((a, b) => a - b));
    for (const [d, at] of fired) {
      expect(at).toBeGreaterThanOrEqual(d - 0.05);
      expect(at - d).toBeLessThan(50); // generous: shared CI boxes deschedule threads
    }
  });
});
