import { describe, expect, it } from 'vitest';
import { arrivalSchedule } from './arrival-schedule.ts';

describe('arrivalSchedule', () => {
  it('spaces a constant rate evenly and counts rate × duration arrivals', () => {
    const s = arrivalSchedule({ from: 1000, to: 1000, durationMs: 2000, worker: 0, workers: 1 });
    expect(s.total).toBe(2000);
    expect(s.at(0)).toBe(0);
    expect(s.at(1)).toBeCloseTo(1, 9);
    expect(s.at(1999)).toBeCloseTo(1999, 6);
    expect(s.before(500)).toBe(500);
    expect(s.before(500.5)).toBe(501);
  });

  it('ramps linearly: counts follow the integral of the rate', () => {
    // 0 → 1000 req/s over 2 s: N(t) = 250·t² (t in s) ⇒ 1000 arrivals, 250 in the first second.
    const s = arrivalSchedule({ from: 0, to: 1000, durationMs: 2000, worker: 0, workers: 1 });
    expect(s.total).toBe(1000);
    expect(s.before(1000)).toBe(250);
    // arrival g at t = sqrt(g/250) s
    expect(s.at(100)).toBeCloseTo(Math.sqrt(100 / 250) * 1000, 6);
    const down = arrivalSchedule({ from: 1000, to: 0, durationMs: 2000, worker: 0, workers: 1 });
    expect(down.total).toBe(1000);
    expect(down.before(1000)).toBe(750);
  });

  it('interleaves workers so their merged stream is the single global schedule', () => {
    const one = arrivalSchedule({ from: 300, to: 900, durationMs: 1500, worker: 0, workers: 1 });
    const merged: number[] = [];
    let total = 0;
    for (let w = 0; w < 3; w++) {
      const s = arrivalSchedule({ from: 300, to: 900, durationMs: 1500, worker: w, workers: 3 });
      total += s.total;
      for (let j = 0; j < s.total; j++) merged.push(s.at(j));
      expect(s.before(700)).toBe([...Array(one.before(700)).keys()].filter((g) => g % 3 === w).length);
    }
    merged.sort((a, b) => a - b);
    expect(total).toBe(one.total);
    for (let g = 0; g < one.total; g++) expect(merged[g]).toBeCloseTo(one.at(g), 9);
  });
});
