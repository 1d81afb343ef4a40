import { describe, expect, it } from 'vitest';
import { PoissonSchedule } from './poisson-schedule.ts';

/** Every arrival of a schedule, in order (stops at Infinity). */
function drain(s: PoissonSchedule): number[] {
  const out: number[] = [];
  for (let j = 0; ; j++) {
    const t = s.at(j);
    if (!Number.isFinite(t)) break;
    out.push(t);
  }
  return out;
}

describe('PoissonSchedule', () => {
  const opts = { rate: 2000, durationMs: 20_000, seed: 3, workers: 2, unit: 0 };

  it('merged over workers is a Poisson process at the rate: count, mean gap and CV 1 (exponential gaps)', () => {
    const merged = [...drain(new PoissonSchedule({ ...opts, worker: 0 })), ...drain(new PoissonSchedule({ ...opts, worker: 1 }))].sort(
      (a, b) => a - b,
    );
    const n = merged.length;
    // Poisson count over 20 s at 2000/s: mean 40000, SD 200; allow 4 SD.
    expect(Math.abs(n - 40_000)).toBeLessThan(800);
    const gaps = merged.slice(1).map((t, i) => t - merged[i]!);
    const mean = gaps.reduce((s, g) => s + g, 0) / gaps.length;
    const sd = Math.sqrt(gaps.reduce((s, g) => s + (g - mean) ** 2, 0) / (gaps.length - 1));
    expect(mean).toBeCloseTo(0.5, 1); // ms
    // CV of exponential gaps is 1 (SE ≈ 1/√n ≈ 0.005); even spacing would give 0.
    expect(Math.abs(sd / mean - 1)).toBeLessThan(0.03);
    expect(merged.every((t) => t >= 0 && t < 20_000)).toBe(true);
  });

  it('knows its total once drawn past the end, and before() agrees with at()', () => {
    const s = new PoissonSchedule({ ...opts, worker: 0 });
    expect(s.total).toBe(Number.MAX_SAFE_INTEGER);
    const upTo5s = s.before(5000);
    const times = drain(new PoissonSchedule({ ...opts, worker: 0 }));
    expect(upTo5s).toBe(times.filter((t) => t < 5000).length);
    expect(s.at(upTo5s - 1)).toBeLessThan(5000);
    expect(s.at(upTo5s)).toBeGreaterThanOrEqual(5000);
    expect(s.before(20_000)).toBe(times.length);
    expect(s.total).toBe(times.length);
  });

  it('is reproducible by seed; workers and steps draw different streams; rate 0 has no arrivals', () => {
    const a = drain(new PoissonSchedule({ ...opts, worker: 0 }));
    expect(drain(new PoissonSchedule({ ...opts, worker: 0 }))).toEqual(a);
    expect(drain(new PoissonSchedule({ ...opts, worker: 1 })).slice(0, 5)).not.toEqual(a.slice(0, 5));
    expect(drain(new PoissonSchedule({ ...opts, worker: 0, unit: 1 })).slice(0, 5)).not.toEqual(a.slice(0, 5));
    expect(drain(new PoissonSchedule({ ...opts, worker: 0, seed: 4 })).slice(0, 5)).not.toEqual(a.slice(0, 5));
    const none = new PoissonSchedule({ ...opts, rate: 0, worker: 0 });
    expect([none.total, none.before(1000), none.at(0)]).toEqual([0, 0, Infinity]);
  });

  it('keeps memory bounded: readers that move forward let old arrivals go', () => {
    const s = new PoissonSchedule({ rate: 100_000, durationMs: 60_000, seed: 1, worker: 0, workers: 1, unit: 0 });
    let j = 0;
    for (let ms = 1000; ms <= 60_000; ms += 1000) {
      const n = s.before(ms);
      for (; j < n; j++) s.at(j);
    }
    expect(s.total).toBe(j);
    // 6M arrivals went through; what is kept is a second's worth plus a chunk, not 48 MB.
    expect(s.retained).toBeLessThan(300_000);
  });
});
