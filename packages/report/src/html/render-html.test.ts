import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fullReportData } from '../../test/fixture.ts';
import type { ReportData } from '../data/report-data.ts';
import { renderHtmlReport } from './render-html.ts';

const XSS = '<img src=x onerror=alert(1)>';

describe('renderHtmlReport', () => {
  const out = renderHtmlReport(fullReportData(XSS));

  it('is one document whose CSP forbids every request and allows only its own script and style by hash', () => {
    const csp = (/<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(out)?.[1] ?? '').replaceAll('&#39;', "'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    const scripts = [...out.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    expect(scripts).toHaveLength(1);
    expect(csp).toContain(`'sha256-${createHash('sha256').update(scripts[0]!).digest('base64')}'`);
    const style = /<style>([\s\S]*?)<\/style>/.exec(out)![1]!;
    expect(csp).toContain(`'sha256-${createHash('sha256').update(style).digest('base64')}'`);
    expect(out).not.toMatch(/<(?:link|img|iframe|object|embed)\b/i);
    expect(out).not.toMatch(/\s(?:src|href)="(?:https?:)?\/\//i);
  });

  it('escapes the scenario name wherever it appears', () => {
    expect(out).not.toContain(XSS);
    expect(out).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('has a section and a nav link for each part with data, and none for absent parts', () => {
    for (const id of ['run', 'warnings', 'gates', 'red', 'spectrum', 'capacity', 'resources', 'trend', 'flames', 'traces', 'bench']) {
      expect(out, id).toContain(`<section id="${id}">`);
      expect(out, id).toContain(`<a href="#${id}">`);
    }
    const minimal: ReportData = { format: 1, generatedAt: 'now', run: fullReportData().run };
    const bare = renderHtmlReport(minimal);
    expect([...bare.matchAll(/<section id="([^"]+)">/g)].map((m) => m[1])).toEqual(['run']);
    expect(bare).not.toContain('class="chart"');
  });

  it('shows flows per phase after requests by name and before checks: cells as the summary formats them, messages escaped, most frequent first', () => {
    const order = ['requests', 'flows', 'checks'].map((id) => out.indexOf(`<section id="${id}">`));
    expect(order.every((i) => i > 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(out).toContain('<a href="#flows">Flows</a>');
    const flows = /<section id="flows">([\s\S]*?)<\/section>/.exec(out)![1]!;
    const rows = [...flows.matchAll(/<tr><td>([\s\S]*?)<\/tr>/g)].map((m) => m[0]!.replace(/<(?!td)[^>]*>/g, ''));
    expect(rows).toEqual([
      '<td>browse<td class="num">12,000<td class="num">0<td class="num">0<td class="num">900µs<td class="num">9.80ms<td class="num">30.0ms',
      '<td>checkout<td class="num">3,000<td class="num fail">9 (0.30%)<td class="num warn">25<td class="num">4.50ms<td class="num">14.0ms<td class="num">120ms',
    ]);
    const items = [...flows.matchAll(/<li data-flow="([^"]+)">([\s\S]*?)<\/li>/g)].map((m) => `${m[1]}: ${m[2]!.replace(/<[^>]*>/g, '')}`);
    expect(items).toEqual([
      'checkout: checkout 5× checkout answered &lt;img src=x onerror=alert(1)&gt;',
      'checkout: checkout 2× TypeError: cannot read token',
      'checkout: checkout 2× with other messages (only the first distinct messages of a phase are kept)',
    ]);
    expect(flows).toContain('dropped: arrivals of an open phase that found every VU busy');
    expect(flows).not.toContain('partial');
  });

  it('marks a partial phase in flows as the phases table does, and names one that stored no flows', () => {
    const d = fullReportData();
    d.phases![0]!.partial = true;
    d.phases!.push({ ...d.phases![0]!, name: 'tail', parent: 'tail', partial: true });
    // A stepped phase killed mid-step: its step's row is partial, and the phase stored no flows.
    d.phases!.push({ ...d.phases![0]!, name: 'ramp@200', parent: 'ramp', partial: true });
    const flows = /<section id="flows">([\s\S]*?)<\/section>/.exec(renderHtmlReport(d))![1]!;
    expect(flows).toContain('<h3>steady (partial: the run stopped while it ran)</h3>');
    expect(flows).toContain('<p class="note" data-partial="ramp">ramp (partial: the run stopped while it ran)');
    expect(flows).toContain(
      '<p class="note" data-partial="tail">tail (partial: the run stopped while it ran): no flow figures; a phase\'s flows are stored when it ends.</p>',
    );
  });

  it('has no flows section for a run without flows', () => {
    const d = fullReportData();
    delete d.scripted![0]!.flows;
    const plain = renderHtmlReport(d);
    expect(plain).toContain('<section id="requests">');
    expect(plain).not.toContain('<section id="flows">');
    expect(plain).not.toContain('href="#flows"');
  });

  it('embeds the data so that JSON.parse of the block gives it back', () => {
    const block = /<script type="application\/json" id="headroom-data">([\s\S]*?)<\/script>/.exec(out)![1]!;
    expect(JSON.parse(block)).toEqual(fullReportData(XSS));
  });
});
