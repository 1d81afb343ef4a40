import { describe, expect, it } from 'vitest';
import { fullReportData } from '../test/fixture.ts';
import { renderHtmlReport } from './html/render-html.ts';
import { renderMarkdownReport } from './markdown/render-markdown.ts';
import { stealLine } from './steal-line.ts';

describe("the hypervisor's steal beside the phases", () => {
  it('names each phase with 1% or more on either side, and is left out when none had', () => {
    expect(
      stealLine([
        { phase: 'warmup', generator: 0.004, service: 0.002 },
        { phase: 'steady', generator: 0.183, service: null },
        { phase: 'peak', generator: 0.0, service: 0.01 },
      ]),
    ).toBe(
      "hypervisor steal (time the host took from this VM's CPUs; it is in the figures), generator / service: steady 18.3% / -, peak 0.0% / 1.0%",
    );
    expect(stealLine([{ phase: 'steady', generator: 0.009, service: 0.0 }])).toBeNull();
    expect(stealLine([{ phase: 'steady', generator: null, service: null }])).toBeNull();
  });

  it('is under the phases table of the Markdown and HTML reports when measured, and absent from a quiet run', () => {
    const quiet = fullReportData('x');
    const stolen = { ...quiet, phases: quiet.phases!.map((p) => ({ ...p, steal: { generator: 0.25, service: 0.031 } })) };
    expect(renderMarkdownReport(stolen)).toMatch(/hypervisor steal .*generator \/ service: \S+ 25\.0% \/ 3\.1%/);
    expect(renderHtmlReport(stolen)).toMatch(/<p class="note" data-steal>hypervisor steal [^<]*25\.0% \/ 3\.1%/);
    expect(renderMarkdownReport(quiet)).not.toContain('hypervisor steal');
    expect(renderHtmlReport(quiet)).not.toContain('data-steal');
  });
});
