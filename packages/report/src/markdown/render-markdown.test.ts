import { describe, expect, it } from 'vitest';
import { fullReportData } from '../../test/fixture.ts';
import { escapeMarkdown, renderMarkdownReport } from './render-markdown.ts';

describe('renderMarkdownReport', () => {
  const data = fullReportData('<img src=x onerror=alert(1)> | x');
  delete data.flameGraphs![0]!.baseline; // hottest functions are listed for plain (not differential) graphs
  const md = renderMarkdownReport(data);

  it('has the summary sentence and the numbers of each section', () => {
    expect(md).toContain('completed and passed its 1 gate.');
    expect(md).toMatch(
      /\| steady \| 1,000\/s \| 999\/s \| 15,000 \| 3 \| 1\.20ms \| 3\.40ms \| 9\.90ms \| 20\.0ms \| 31\.0ms \| 5\.00ms \|/,
    );
    expect(md).toContain('SLO-bounded capacity **4,200 req/s** (bracket 4,000 … 5,000), limited by latency SLO.');
    expect(
      renderMarkdownReport({ ...data, capacity: { ...data.capacity!, steps: [{ ...data.capacity!.steps[0]!, cutShort: true }] } }),
    ).toMatch(/\| \S+ \(cut short\) \|/);
    expect(md).toContain('Headroom **1.33×**');
    expect(md).toContain('| `sort` | /app/sort.ts:3 | 50.0% |');
    expect(md).toContain('+23.4% (p=0.001)');
    expect(md).toContain('| `POST /orders` | 3,000 | 3 (0.10%: timeout 3) | 2.00ms | 4.00ms | 12.0ms | 31.0ms | 1.50ms | 6.00ms |');
    expect(md).toContain('| steady | status 200 | 14,997 | 3 | ❌ 99.98% |');
  });

  it('has the flows of each phase between requests by name and checks, failures bold, messages escaped and most frequent first', () => {
    const at = ['by request name', '### Flows', '### Checks'].map((h) => md.indexOf(h));
    expect(at.every((i) => i > 0)).toBe(true);
    expect(at).toEqual([...at].sort((a, b) => a - b));
    expect(md).toContain('| `browse` | 12,000 | 0 | 0 | 900µs | 9.80ms | 30.0ms |');
    expect(md).toContain('| `checkout` | 3,000 | **9 (0.30%)** | 25 | 4.50ms | 14.0ms | 120ms |');
    const list = md.split('\n').filter((l) => l.startsWith('- `checkout`'));
    expect(list).toEqual([
      '- `checkout` 5× checkout answered &lt;img src=x onerror=alert(1)&gt; \\| x',
      '- `checkout` 2× TypeError: cannot read token',
      '- `checkout` 2× with other messages (only the first distinct messages of a phase are kept)',
    ]);
    expect(md).toContain("k6's dropped\\_iterations");
    const d = fullReportData();
    d.phases![0]!.partial = true;
    d.phases!.push({ ...d.phases![0]!, name: 'tail', parent: 'tail', partial: true });
    const partial = renderMarkdownReport(d);
    expect(partial).toContain('**steady** (partial: the run stopped while it ran)');
    expect(partial).toContain("tail (partial: the run stopped while it ran): no flow figures; a phase's flows are stored when it ends.");
  });

  it('leaves out requests by name and checks when the run has none to show', () => {
    const d = fullReportData();
    d.scripted = [{ phase: 'steady', parent: 'steady', requestsByName: d.scripted![0]!.requestsByName!.slice(0, 1) }];
    const plain = renderMarkdownReport(d);
    expect(plain).not.toContain('by request name');
    expect(plain).not.toContain('### Checks');
    expect(plain).not.toContain('### Flows');
  });

  it('escapes user strings so they cannot add markup or table cells', () => {
    expect(md).not.toContain('<img');
    expect(md).toContain('&lt;img src=x onerror=alert(1)&gt; \\| x');
    expect(md).toContain('| parse \\| json |');
    expect(escapeMarkdown('a\nb')).toBe('a b');
    const d = fullReportData();
    delete d.flameGraphs![0]!.baseline;
    d.flameGraphs![0]!.names[2] = 'a|b`c';
    expect(renderMarkdownReport(d)).toContain("| `a\\|b'c` |");
  });
});
