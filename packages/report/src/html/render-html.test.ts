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

  it('embeds the data so that JSON.parse of the block gives it back', () => {
    const block = /<script type="application\/json" id="headroom-data">([\s\S]*?)<\/script>/.exec(out)![1]!;
    expect(JSON.parse(block)).toEqual(fullReportData(XSS));
  });
});
