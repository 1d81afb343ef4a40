import { describe, expect, it } from 'vitest';
import { comparabilityProblems, type RunFacts } from './comparable.ts';

const run = (id: string, o: Partial<RunFacts> = {}): RunFacts => ({
  id,
  kind: 'load',
  scenario: 'orders',
  status: 'completed',
  measuredPhases: ['steady'],
  requests: 1000,
  benchReps: 0,
  ...o,
});

describe('comparabilityProblems', () => {
  it('accepts runs of one scenario with the same phases', () => {
    expect(comparabilityProblems([run('a'), run('b')], [run('c', { status: 'aborted' })])).toEqual([]);
  });
  it('refuses failed, interrupted and empty runs, never forcible', () => {
    const p = comparabilityProblems([run('a', { status: 'failed' })], [run('b', { status: 'interrupted' }), run('c', { requests: 0 })]);
    expect(p.map((x) => [x.message.split(':')[0], x.forcible])).toEqual([
      ['run a is failed, not completed', false],
      ['run b is interrupted, not completed', false],
      ['run c measured no requests', false],
    ]);
  });
  it('refuses other scenarios and other phase sets unless forced, and mixed kinds always', () => {
    const p = comparabilityProblems([run('a')], [run('b', { scenario: 'quickstart', measuredPhases: ['steady', 'spike'] })]);
    expect(p.map((x) => x.forcible)).toEqual([true, true]);
    expect(p[0]?.message).toContain('different scenarios (orders, quickstart)');
    expect(p[1]?.message).toContain('[steady] vs [steady,spike]');
    const mixed = comparabilityProblems([run('a')], [run('b', { kind: 'bench', benchReps: 10, measuredPhases: [] })]);
    expect(mixed.some((x) => !x.forcible && x.message.includes('mix load and bench'))).toBe(true);
  });
});
