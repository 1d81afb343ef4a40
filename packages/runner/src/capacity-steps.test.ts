import { describe, expect, it } from 'vitest';
import { pickCapacityPhases } from './capacity-steps.ts';

describe('pickCapacityPhases', () => {
  it("takes the last step phase's steps in order, leaving out its total, warm-ups and earlier step phases", () => {
    const rows = [
      { phase: 'warmup', parent: 'warmup', warmup: true },
      { phase: 'usl@c1', parent: 'usl' },
      { phase: 'usl@c2', parent: 'usl' },
      { phase: 'usl', parent: 'usl' },
      { phase: 'cap@100', parent: 'cap' },
      { phase: 'cap@200', parent: 'cap' },
      { phase: 'cap', parent: 'cap' },
    ];
    expect(pickCapacityPhases(rows).map((r) => r.phase)).toEqual(['cap@100', 'cap@200']);
  });

  it('without steps, the measured top-level phases stand for steps', () => {
    const rows = [
      { phase: 'warmup', parent: 'warmup' },
      { phase: 'low', parent: 'low' },
      { phase: 'high', parent: 'high' },
    ];
    expect(pickCapacityPhases(rows, new Set(['warmup'])).map((r) => r.phase)).toEqual(['low', 'high']);
  });
});
