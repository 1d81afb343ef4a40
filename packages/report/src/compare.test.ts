import { compare, compareSets, parseSampleFile } from '@headroom/analysis';
import { describe, expect, it } from 'vitest';
import { formatCompareMarkdown } from './compare-markdown.ts';
import { formatCompareText } from './compare-text.ts';
import { formatCompareValue } from './compare-values.ts';

const base = [1200, 1210, 1190, 1205, 1198, 1202, 1201, 1199, 1204, 1196];
const c = compare(
  { label: 'old.txt', unit: 'ns/op', benchmarks: { parse: base, stringify: base.map((v) => v / 2), gone: [5, 5] } },
  {
    label: 'new.txt',
    unit: 'ns/op',
    benchmarks: { parse: base.map((v) => v * 1.1), stringify: [...base.map((v) => v / 2)].reverse(), fresh: [1] },
  },
);

describe('formatCompareText', () => {
  it('prints a benchstat-like table with deltas, p, n, "~", geomean and warnings', () => {
    const text = formatCompareText(c, { color: false });
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^ns\/op \(lower is better\)\s+old\.txt\s+new\.txt\s+delta$/);
    expect(text).toMatch(/parse\s+1\.2µs ± 0\.4%\s+1\.321µs ± 0\.4%\s+\+10\.00% \(p=1\.1e-5 n=10\+10\)/);
    expect(text).toMatch(/stringify\s+600\.3ns ± 0\.4%\s+600\.3ns ± 0\.4%\s+~ \(p=1\.000 n=10\+10\)/);
    expect(text).toMatch(/gone\s+5ns ± ∞\s+—\s+missing in new\.txt/);
    expect(text).toMatch(/fresh\s+—\s+1ns ± ∞\s+missing in old\.txt/);
    expect(text).toMatch(/geomean\s+848\.9ns\s+890\.3ns\s+\+4\.88%/);
    expect(text).toMatch(/warnings:\n {2}gone: missing in new\.txt/);
    expect(text).not.toMatch(/\x1b\[/);
  });

  it('colours worse red and better green only when asked', () => {
    const text = formatCompareText(c, { color: true });
    expect(text).toMatch(/\x1b\[31mparse/);
    const better = compare(
      { label: 'a', unit: 'req/s', benchmarks: { s: base } },
      { label: 'b', unit: 'req/s', benchmarks: { s: base.map((v) => v * 1.1) } },
    );
    expect(formatCompareText(better, { color: true })).toMatch(/\x1b\[32ms\s/);
  });

  it('renders one block per unit for Go files, and the single-run case without a p claim', () => {
    const go = (ns: number) => `BenchmarkA-8 100 ${ns} ns/op 16 B/op\n`;
    const out = compareSets(parseSampleFile(go(100), 'a.txt'), parseSampleFile(go(150), 'b.txt'));
    const text = formatCompareText(out);
    expect(text).toMatch(/^ns\/op/m);
    expect(text).toMatch(/^B\/op/m);
    expect(text).toMatch(/A\s+100ns ± ∞\s+150ns ± ∞\s+\+50\.00% \? \(n=1\+1, too few runs for significance\)/);
  });
});

describe('formatCompareMarkdown', () => {
  it('renders a GitHub table with verdicts and warnings', () => {
    const md = formatCompareMarkdown(c);
    expect(md).toContain('| benchmark | old.txt | new.txt | delta | p | n | verdict |');
    expect(md).toMatch(/\| parse \| 1\.2µs ± 0\.4% \| 1\.321µs ± 0\.4% \| \+10\.00% \| 1\.1e-5 \| 10\+10 \| \*\*slower\*\* \|/);
    expect(md).toMatch(/\| stringify \| .* \| ~ not significant \|/);
    expect(md).toContain('| *geomean* |');
    expect(md).toContain('- gone: missing in new.txt');
  });
});

describe('formatCompareValue', () => {
  it('scales times and other units', () => {
    expect(formatCompareValue(1234, 'ns/op')).toBe('1.234µs');
    expect(formatCompareValue(2.5, 'ms')).toBe('2.5ms');
    expect(formatCompareValue(0.25, 'ms')).toBe('250µs');
    expect(formatCompareValue(40310, 'req/s')).toBe('40.31k');
    expect(formatCompareValue(56, 'B/op')).toBe('56');
  });
});
