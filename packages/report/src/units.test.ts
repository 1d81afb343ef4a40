import { describe, expect, it } from 'vitest';
import { formatCount, formatMetric, formatMs, formatNs, formatPercent, formatRate, formatSignedMetric } from './units.ts';

describe('unit formatters', () => {
  it('keep 3-4 significant digits in the unit that fits', () => {
    expect([0.25, 2.5, 25, 250, 12_500].map(formatMs)).toEqual(['250µs', '2.50ms', '25.0ms', '250ms', '12.50s']);
    expect([-0.25, -13_524.88, -18_747_731.6].map(formatMs)).toEqual(['-250µs', '-13.52s', '-18747.73s']);
    expect([355.5, 1234, 2.5e6, 3e9].map(formatNs)).toEqual(['355.5ns', '1.23µs', '2.50ms', '3.00s']);
    expect(formatNs(null)).toBe('-');
    expect([formatCount(12345.6), formatRate(1000), formatRate(12.5), formatPercent(0.0012, 3)]).toEqual([
      '12,346',
      '1,000/s',
      '12.5/s',
      '0.120%',
    ]);
  });
  it('format a history metric in its unit, with a sign for changes', () => {
    expect([
      formatMetric(4.25, 'ms'),
      formatMetric(180, 'us'),
      formatMetric(1234, 'ns'),
      formatMetric(2100, 'req/s'),
      formatMetric(81.26, 'MB'),
      formatMetric(1.3, 'x'),
      formatMetric(0.123456, ''),
    ]).toEqual(['4.25ms', '180µs', '1.23µs', '2,100/s', '81.3 MB', '1.30x', '0.1235']);
    expect([formatSignedMetric(-0.004, 'x'), formatSignedMetric(50, 'ms')]).toEqual(['-0.00x', '+50.0ms']);
  });
});
