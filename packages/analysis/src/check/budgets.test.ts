import { describe, expect, it } from 'vitest';
import { checksPassed } from './check-result.ts';
import { budgetChecks, type BudgetLimits } from './budgets.ts';

const none: BudgetLimits = { headroom: null, cpu: null, cpuPerRequestUs: null, rssMb: null, forecastHeadroom: null };

describe('budgetChecks', () => {
  it('judges each budget on the median over runs, and only the budgets the scenario sets', () => {
    expect(budgetChecks(none, { headroom: [1], cpuAtPeak: [], cpuPerRequestUs: [], rssMb: [], forecastHeadroom: null })).toEqual([]);
    const c = budgetChecks(
      { headroom: { op: '>=', value: 1.3 }, cpu: 0.6, cpuPerRequestUs: 120, rssMb: 512, forecastHeadroom: { horizonDays: 90, min: 1.2 } },
      {
        headroom: [1.2, 1.5, 1.4],
        cpuAtPeak: [0.5, 0.7, 0.65],
        cpuPerRequestUs: [100, 110, 130],
        rssMb: [90, 95, null],
        forecastHeadroom: { value: 1.1, low: 0.9, points: 8 },
      },
    );
    expect(c.map((x) => [x.name, x.value, x.verdict])).toEqual([
      ['headroom', 1.4, 'passed'],
      ['cpu at peak', 0.65, 'failed'],
      ['cpu per request at peak', 110, 'passed'],
      ['rss', 92.5, 'passed'],
      ['forecast headroom in 90d', 1.1, 'failed'],
    ]);
    expect(checksPassed(c)).toBe(false);
  });
  it('a budget with nothing to measure it is no-data, which fails, and says what it needs', () => {
    const [h] = budgetChecks(
      { ...none, headroom: { op: '>', value: 1 } },
      { headroom: [null], cpuAtPeak: [], cpuPerRequestUs: [], rssMb: [], forecastHeadroom: null },
    );
    expect(h).toMatchObject({ verdict: 'no-data', value: null });
    expect(h?.detail).toContain('expectedPeak');
    expect(checksPassed([h!])).toBe(false);
  });
});
