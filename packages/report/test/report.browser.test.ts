/**
 * The HTML report of a real capture run, opened from file:// in chromium: it loads with no
 * console error and no request outside the file, every chart has its data drawn (the series
 * lengths the page exposes), a flame graph zooms on click and highlights on search, and a
 * scenario named like an XSS payload stays text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportRows } from '@headroom/store';
import {
  buildReportData,
  formatCount,
  formatMs,
  formatPercent,
  renderHtmlReport,
  renderMarkdownReport,
  type FlameGraph,
  type ReportData,
} from '../src/index.ts';
import { chartSpecs } from '../src/html/client/specs.ts';
import { openReport, SKIP_REASON, type OpenedReport } from './browser.ts';
import { captureRunRows } from './capture-run.ts';
import { BANNER, flowsRun, type FlowsRun } from './flows-run.ts';

interface Registry {
  charts: Record<string, { points: number; series: Record<string, number> }>;
  flames: Record<string, { frames: number; drawn: number; zoomedTo: string | null; matches: number; highlighted: number }>;
  waterfalls: Record<string, number>;
  errors: string[];
}

/** Frame indices drawn by default: the "(idle)" root and its subtree are hidden (a checkbox shows them). */
function visible(g: FlameGraph): number[] {
  const out: number[] = [];
  let inIdle = false;
  g.name.forEach((k, i) => {
    if (g.depth[i] === 0) inIdle = g.names[k] === '(idle)';
    if (!inIdle) out.push(i);
  });
  return out;
}

/** The flame graph the interaction tests use: the CPU one, or the heap one when the run stored no CPU profile. */
function firstGraph(d: ReportData): FlameGraph {
  const g = d.flameGraphs?.find((x) => x.type === 'cpu') ?? d.flameGraphs?.find((x) => !x.baseline);
  if (!g) throw new Error(`the capture run stored no profile to draw; its warnings: ${JSON.stringify(d.warnings ?? [])}`);
  return g;
}

const registryOf = (r: OpenedReport) => r.page.evaluate(() => (window as unknown as { __headroomReport: Registry }).__headroomReport);

describe.skipIf(SKIP_REASON !== null)(`HTML report in chromium${SKIP_REASON ? ` (skipped: ${SKIP_REASON})` : ''}`, () => {
  let rows: ReportRows;
  let data: ReportData;
  let report: OpenedReport;

  beforeAll(async () => {
    rows = await captureRunRows();
    data = await buildReportData(rows);
    report = await openReport(renderHtmlReport(data));
  });
  afterAll(async () => {
    await report?.close();
  });

  it('opens from file:// with no console error and no request outside the file', async () => {
    expect(report.consoleErrors).toEqual([]);
    expect(report.outside).toEqual([]);
    expect((await registryOf(report)).errors).toEqual([]);
  });

  it('draws every chart with all of its data', async () => {
    const reg = await registryOf(report);
    const specs = chartSpecs(data);
    // A capture run has RED, one spectrum per phase and the service's resources.
    expect(specs.map((s) => s.id)).toEqual(
      expect.arrayContaining([
        'red-rate',
        'red-latency',
        'spectrum-0',
        'spectrum-1',
        'resources-cpu',
        'resources-memory',
        'resources-loop',
      ]),
    );
    for (const s of specs) {
      const drawn = reg.charts[s.id];
      expect(drawn, s.id).toBeDefined();
      expect(drawn!.points).toBe(s.x.length);
      for (const l of s.lines) {
        const expected = l.values.filter((v) => v !== null && (!s.yLog || (l.scale ?? 'y') !== 'y' || v > 0)).length;
        expect(drawn!.series[l.label], `${s.id}/${l.label}`).toBe(expected);
      }
    }
    expect(reg.charts['red-rate']!.series['requests/s']).toBe(data.red!.seconds.length);
    expect(reg.charts['spectrum-1']!.series['corrected (from intended send)']).toBe(data.spectra![1]!.corrected!.x.length);
  });

  it('mounts each flame graph and each waterfall', async () => {
    const reg = await registryOf(report);
    for (const g of data.flameGraphs ?? []) expect(reg.flames[g.id]?.drawn, g.id).toBeGreaterThan(0);
    expect(Object.keys(reg.flames).length).toBeGreaterThanOrEqual(1);
    (data.slowRequests ?? []).forEach((r, i) => expect(reg.waterfalls[`waterfall-${i}`]).toBe(r.spans.length + 1));
    if (data.slowRequestsFlameId) {
      // The link from the slowest requests to their spans' CPU samples leads to a drawn flame graph.
      expect(await report.page.locator(`#traces a[href="#${data.slowRequestsFlameId}"]`).count()).toBe(1);
      expect(reg.flames[data.slowRequestsFlameId]?.drawn).toBeGreaterThan(0);
    }
  });

  it("shows each phase's requests by name as stored, and no checks section for a run without checks", async () => {
    // The quickstart's three named requests, read back from phase_requests; they add up to the phase.
    const stored = rows.scripted.requests.filter((n) => n.phase === 'steady');
    expect(stored.map((n) => n.name).sort()).toEqual(['create', 'list', 'report']);
    const phase = rows.phases.find((p) => p.phase === 'steady')!;
    expect(stored.reduce((s, n) => s + (n.requests ?? 0), 0)).toBe(phase.requests);
    const shown = await report.page
      .locator('#requests table[data-phase="steady"] tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    expect(shown).toEqual(
      stored.map((n) => [
        n.name,
        formatCount(n.requests),
        n.errors === 0 ? '0' : expect.stringMatching(new RegExp(`^${n.errors} \\(`)),
        ...[n.p50_ms, n.p90_ms, n.p99_ms, n.max_ms, n.svc_p50_ms, n.svc_p99_ms].map((v) => formatMs(v!)),
      ]),
    );
    expect(rows.scripted.checks).toEqual([]);
    expect(await report.page.locator('#checks').count()).toBe(0);
    expect(rows.scripted.flows).toEqual([]);
    expect(await report.page.locator('#flows, header nav a[href="#flows"]').count()).toBe(0);
    expect(await report.page.locator('header nav a[href="#requests"]').count()).toBe(1);
  });

  it('zooms into a flame graph frame on click and back out with Reset', async () => {
    const g = firstGraph(data);
    const canvas = report.page.locator(`[data-flame="${g.id}"] canvas`);
    await canvas.scrollIntoViewIfNeeded();
    const box = (await canvas.boundingBox())!;
    // Row 1 starts with the widest child of "all" at x = 0: the graph's first frame.
    await report.page.mouse.click(box.x + 3, box.y + 18 + 9);
    let state = (await registryOf(report)).flames[g.id]!;
    expect(state.zoomedTo).toBe(g.names[g.name[visible(g)[0]!]!]);
    const before = state.drawn;
    await report.page.locator(`[data-flame="${g.id}"] button`).click();
    state = (await registryOf(report)).flames[g.id]!;
    expect(state.zoomedTo).toBeNull();
    expect(state.drawn).toBeGreaterThanOrEqual(before);
  });

  it('shows a frame’s self and total on hover', async () => {
    const g = firstGraph(data);
    const canvas = report.page.locator(`[data-flame="${g.id}"] canvas`);
    await canvas.scrollIntoViewIfNeeded();
    const box = (await canvas.boundingBox())!;
    await report.page.mouse.move(box.x + 3, box.y + 18 + 9);
    const tip = report.page.locator(`[data-flame="${g.id}"] .flame-tip`);
    await expect.poll(() => tip.isVisible()).toBe(true);
    const text = (await tip.textContent())!;
    expect(text).toContain(g.names[g.name[visible(g)[0]!]!]!);
    expect(text).toMatch(/total .+ \(\d+(\.\d+)?%\)\s+self .+ \(\d+(\.\d+)?%\)/);
  });

  it('highlights the frames a search matches', async () => {
    const g = firstGraph(data);
    const name = g.names[g.name[g.name.length - 1]!]!;
    const expected = visible(g).filter((i) => g.names[g.name[i]!]!.toLowerCase().includes(name.toLowerCase())).length;
    await report.page.locator(`[data-flame="${g.id}"] input[type=search]`).fill(name);
    const state = (await registryOf(report)).flames[g.id]!;
    expect(state.matches).toBe(expected);
    expect(state.highlighted).toBeGreaterThan(0);
    expect(await report.page.locator(`[data-flame="${g.id}"] .flame-status`).textContent()).toMatch(/match/);
    await report.page.locator(`[data-flame="${g.id}"] input[type=search]`).fill('');
    expect((await registryOf(report)).flames[g.id]!.highlighted).toBe(0);
  });

  it('keeps hostile names as text: no element, no script, no dialog', async () => {
    const xss = '<img src=x onerror=alert(1)>';
    const evil: ReportData = structuredClone(data);
    evil.run.scenario = xss;
    evil.warnings = [...(evil.warnings ?? []), '</script><script>alert(2)</script>', 'line\u2028separator'];
    if (evil.phases?.[0]) evil.phases[0].name = '<i id="xss-phase">warmup</i>';
    const named = evil.scripted?.[0]?.requestsByName?.[0];
    if (named) named.name = xss;
    if (evil.red?.bands[0]) evil.red.bands[0].phase = xss;
    const g = evil.flameGraphs?.[0];
    if (g) g.names[g.name[0]!] = xss;
    if (evil.slowRequests?.[0]) {
      evil.slowRequests[0].request = xss;
      if (evil.slowRequests[0].spans[0]) evil.slowRequests[0].spans[0].name = xss;
    }
    const r = await openReport(renderHtmlReport(evil));
    try {
      expect(r.dialogs).toEqual([]);
      expect(r.outside).toEqual([]);
      expect(r.consoleErrors).toEqual([]);
      expect(await r.page.locator('img').count()).toBe(0);
      expect(await r.page.locator('#xss-phase').count()).toBe(0);
      expect(await r.page.locator('#red > table').textContent()).toContain('<i id="xss-phase">warmup</i>');
      expect(await r.page.locator('header h1').textContent()).toContain(xss);
      expect(await r.page.title()).toContain(xss);
      expect(await r.page.locator('#warnings').textContent()).toContain('</script><script>alert(2)</script>');
      expect(await r.page.locator('#traces summary').first().textContent()).toContain(xss);
      if (named) expect(await r.page.locator('#requests').textContent()).toContain(xss);
    } finally {
      await r.close();
    }
  });

  it('draws a differential flame graph against a baseline', async () => {
    const diff = await buildReportData(rows, { baseline: rows });
    const d = diff.flameGraphs!.find((x) => x.baseline);
    expect(d).toBeDefined();
    const r = await openReport(renderHtmlReport(diff));
    try {
      expect(r.consoleErrors).toEqual([]);
      expect((await registryOf(r)).flames[d!.id]!.drawn).toBeGreaterThan(0);
    } finally {
      await r.close();
    }
  });
});

describe.skipIf(SKIP_REASON !== null)(
  `the flows of a real scripted run in chromium${SKIP_REASON ? ` (skipped: ${SKIP_REASON})` : ''}`,
  () => {
    let run: FlowsRun;
    let data: ReportData;
    let report: OpenedReport;
    const cells = (sel: string) =>
      report.page
        .locator(`${sel} tbody tr`)
        .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));

    beforeAll(async () => {
      run = await flowsRun();
      data = await buildReportData(run.rows);
      report = await openReport(renderHtmlReport(data));
    }, 60_000);
    afterAll(async () => {
      await report?.close();
    });

    it('is the run the test means: flows stored for warmup and steady, drops and failures in steady, tail killed and partial', () => {
      expect(run.code, run.stderr).toBe(3); // the worker killed itself in tail
      expect(run.rows.phases.map((p) => [p.phase, p.partial])).toEqual([
        ['warmup', false],
        ['steady', false],
        ['tail', true],
      ]);
      expect(run.flows.map((f) => `${f.phase}/${f.flow}`)).toEqual([
        'steady/fragile',
        'steady/session',
        'warmup/fragile',
        'warmup/session',
      ]);
      const steady = (flow: string) => run.flows.find((f) => f.phase === 'steady' && f.flow === flow)!;
      expect(steady('session').dropped).toBeGreaterThan(0);
      expect(steady('fragile').failed).toBe(steady('fragile').iterations);
    });

    it("shows each phase's flows cell for cell as stored, after requests by name, with the page quiet", async () => {
      expect(report.consoleErrors).toEqual([]);
      expect(report.outside).toEqual([]);
      expect(report.dialogs).toEqual([]);
      expect(await report.page.locator('section').evaluateAll((ss) => ss.map((s) => s.id))).toEqual(
        expect.arrayContaining(['requests', 'flows']),
      );
      const ids = await report.page.locator('section').evaluateAll((ss) => ss.map((s) => s.id));
      expect(ids.indexOf('flows')).toBe(ids.indexOf('requests') + 1);
      expect(await report.page.locator('#flows h3').allTextContents()).toEqual(['warmup', 'steady']);
      for (const phase of ['warmup', 'steady']) {
        const stored = run.flows.filter((f) => f.phase === phase);
        expect(await cells(`#flows table[data-phase="${phase}"]`), phase).toEqual(
          stored.map((f) => [
            f.flow,
            formatCount(f.iterations),
            f.failed === 0 ? '0' : `${f.failed} (${formatPercent(f.failed! / f.iterations!, 2)})`,
            formatCount(f.dropped),
            ...[f.p50_ms, f.p99_ms, f.max_ms].map((v) => formatMs(v!)),
          ]),
        );
        const failedCells = await report.page.locator(`#flows table[data-phase="${phase}"] td.fail`).count();
        expect(failedCells).toBe(stored.filter((f) => (f.failed ?? 0) > 0).length);
      }
    });

    it('lists the stored failure messages with their counts, most frequent first, as text', async () => {
      const kept = (phase: string) =>
        run.flows
          .filter((f) => f.phase === phase)
          .flatMap((f) => (JSON.parse(f.messages!) as { message: string; count: number }[]).map((m) => ({ flow: f.flow, ...m })));
      // warmup keeps the rarer message first (the order they occurred): the report reorders them.
      const [firstKept, secondKept] = kept('warmup');
      expect(firstKept?.message).toBe(`upstream said ${BANNER}`);
      expect(secondKept?.message).toMatch(/^SyntaxError: .*<img src=x/);
      expect(secondKept!.count).toBeGreaterThan(firstKept!.count);
      for (const phase of ['warmup', 'steady']) {
        const stored = kept(phase).sort((a, b) => b.count - a.count);
        const shown = await report.page
          .locator(`#flows ul.messages[data-phase="${phase}"] li`)
          .evaluateAll((lis) => lis.map((li) => li.textContent));
        expect(shown, phase).toEqual(stored.map((m) => `${m.flow} ${formatCount(m.count)}× ${m.message}`));
      }
      expect(await report.page.locator('img, #flows script').count()).toBe(0);
      expect(report.dialogs).toEqual([]);

      const md = renderMarkdownReport(data);
      expect(md).not.toContain('<img');
      expect(md).not.toContain('<script');
      expect(md).toContain('upstream said &lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
      for (const f of run.flows) {
        const failed = f.failed === 0 ? '0' : `**${f.failed} (${formatPercent(f.failed! / f.iterations!, 2)})**`;
        const durations = [f.p50_ms, f.p99_ms, f.max_ms].map((v) => formatMs(v!)).join(' | ');
        expect(md).toContain(`| \`${f.flow}\` | ${formatCount(f.iterations)} | ${failed} | ${formatCount(f.dropped)} | ${durations} |`);
      }
    });

    it('names the partial phase as the phases table marks it', async () => {
      expect(await report.page.locator('#red > table tbody tr').allTextContents()).toEqual(
        expect.arrayContaining([expect.stringContaining('tail (partial: the run stopped while it ran)')]),
      );
      expect(await report.page.locator('#flows [data-partial="tail"]').textContent()).toBe(
        "tail (partial: the run stopped while it ran): no flow figures; a phase's flows are stored when it ends.",
      );
      expect(renderMarkdownReport(data)).toContain('tail (partial: the run stopped while it ran): no flow figures');
    });
  },
);
