import { describe, expect, it } from 'vitest';
import { DAY_MS, forecastSeries } from '@headroom/analysis';
import { historyRows } from './forecast-parts.ts';
import { formatForecastMarkdown } from './forecast-markdown.ts';
import { formatForecastText } from './forecast-text.ts';

// 20 runs at 10 ms, then 20 at 15 ms (a step known by construction), a tiny alternating wobble.
const T0 = Date.UTC(2026, 0, 1);
const points = Array.from({ length: 40 }, (_, i) => ({
  time: T0 + i * DAY_MS,
  value: (i < 20 ? 10 : 15) + (i % 2 ? 0.1 : -0.1),
  sha: `s${i}abcdef`,
}));
const result = forecastSeries(points, { budget: 20, direction: 'above', summary: { label: 'p99 of steady' } });

describe('forecast report', () => {
  it('shortens a long history to its ends, the change point with the run before it, and gaps that count what they hide', () => {
    expect(result.changePoints.map((c) => c.index)).toEqual([20]);
    const rows = historyRows({ title: 't', unit: 'ms', result });
    const shape = rows.map((r) => (r.kind === 'gap' ? `…${r.count}` : String(r.index)));
    expect(shape).toEqual(['0', '1', '…17', '19', '20', '…14', '35', '36', '37', '38', '39']);
    expect(rows.filter((r) => r.kind === 'point').length + 17 + 14).toBe(40);
  });

  it('marks the change, states trend, forecast and crossing, and ends with the summary sentence (text and Markdown)', () => {
    const runs = points.map((_, i) => ({ id: `run${i}`, branch: 'main', dirty: i === 39, status: 'completed' }));
    const text = formatForecastText({ title: 'orders: p99 of steady', unit: 'ms', result, runs });
    expect(text).toMatch(/\n20 +2026-01-21 +s20abcd +main +14\.9ms +◀ change 10\.0ms → 15\.0ms \(\+50\.0%, p=0\.0050\) +run20\n/);
    expect(text).toMatch(/\n +… 17 more/);
    expect(text).toContain('run39+dirty');
    expect(text).toMatch(/\ntrend +[+-]\S+\/day \(OLS, 20 points since 2026-01-21, the last change point\)/);
    expect(text.split('\n').at(-1)).toBe(result.summary);
    const md = formatForecastMarkdown({ title: 'orders: p99 of steady', unit: 'ms', result, runs });
    expect(md.split('\n')[2]).toBe(`**${result.summary}**`);
    expect(md).toContain('| 20 | 2026-01-21 | `s20abcd` | main | 14.9ms | **change 10.0ms → 15.0ms (+50.0%, p=0.0050)** |');
    expect(md).toContain('| | … 17 more | | | | | |');
  });
});
