/**
 * The sections a capture run does not have yet (capacity with its USL fit and CPU budget, the
 * trend with change points and forecast band, bench results) drawn in chromium from a complete
 * ReportData: no console error, every series drawn, and the differential flame graph mounted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../src/index.ts';
import { chartSpecs } from '../src/html/client/specs.ts';
import { openReport, SKIP_REASON, type OpenedReport } from './browser.ts';
import { fullReportData } from './fixture.ts';

describe.skipIf(SKIP_REASON !== null)(
  `capacity, trend and bench sections in chromium${SKIP_REASON ? ` (skipped: ${SKIP_REASON})` : ''}`,
  () => {
    const data = fullReportData();
    let report: OpenedReport;
    beforeAll(async () => {
      report = await openReport(renderHtmlReport(data));
    });
    afterAll(async () => {
      await report?.close();
    });

    it('draws every chart of every section with no console error and no request', async () => {
      expect(report.consoleErrors).toEqual([]);
      expect(report.outside).toEqual([]);
      const reg = await report.page.evaluate(
        () =>
          (
            window as unknown as {
              __headroomReport: { charts: Record<string, { points: number; series: Record<string, number> }>; errors: string[] };
            }
          ).__headroomReport,
      );
      expect(reg.errors).toEqual([]);
      const specs = chartSpecs(data);
      expect(specs.map((s) => s.id)).toEqual([
        'red-rate',
        'red-latency',
        'spectrum-0',
        'capacity-steps',
        'capacity-usl',
        'capacity-cpu',
        'resources-cpu',
        'resources-memory',
        'resources-loop',
        'trend',
      ]);
      for (const s of specs) {
        for (const l of s.lines) {
          expect(reg.charts[s.id]?.series[l.label], `${s.id}/${l.label}`).toBe(
            l.values.filter((v) => v !== null && (!s.yLog || (l.scale ?? 'y') !== 'y' || v > 0)).length,
          );
        }
      }
      // The USL chart holds the six measured points; the trend holds five runs and two forecast points.
      expect(reg.charts['capacity-usl']!.series['measured']).toBe(6);
      expect(reg.charts['trend']!.series['forecast']).toBe(2);
      expect(reg.charts['trend']!.series[data.trend!.metric]).toBe(5);
    });

    it('shows the requests by name and the checks of a scripted run, each only when it has data', async () => {
      const cells = (sel: string) =>
        report.page
          .locator(`${sel} tbody tr`)
          .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
      expect(await report.page.locator('#requests h3').allTextContents()).toEqual(['steady']);
      expect(await cells('#requests table[data-phase="steady"]')).toEqual([
        ['list', '12,000', '0', '800µs', '3.00ms', '9.50ms', '30.0ms', '750µs', '5.00ms'],
        ['POST /orders', '3,000', '3 (0.10%: timeout 3)', '2.00ms', '4.00ms', '12.0ms', '31.0ms', '1.50ms', '6.00ms'],
      ]);
      expect(await cells('#checks')).toEqual([
        ['steady', 'status 200', '14,997', '3', '99.98%'],
        ['steady', 'has id', '3,000', '0', '100.00%'],
      ]);
      expect(await report.page.locator('#checks tbody tr:first-child td.fail').count()).toBe(2);
      expect(await report.page.locator('header nav a[href="#requests"], header nav a[href="#checks"]').count()).toBe(2);

      // A phase with one name and no flows says nothing its phase row does not: no section, no link.
      const plain = structuredClone(data);
      plain.scripted = [{ phase: 'steady', parent: 'steady', requestsByName: data.scripted![0]!.requestsByName!.slice(0, 1) }];
      const r = await openReport(renderHtmlReport(plain));
      try {
        expect(r.consoleErrors).toEqual([]);
        expect(await r.page.locator('#requests, #checks').count()).toBe(0);
        expect(await r.page.locator('header nav a[href="#requests"], header nav a[href="#checks"]').count()).toBe(0);
        expect(await r.page.locator('#red > table').count()).toBe(1);
      } finally {
        await r.close();
      }
    });

    it('shows the bench comparison and the differential flame graph', async () => {
      expect(await report.page.locator('#bench').textContent()).toContain('+23.4%');
      const drawn = await report.page.evaluate(
        () =>
          (window as unknown as { __headroomReport: { flames: Record<string, { drawn: number }> } }).__headroomReport.flames['flame-0']
            ?.drawn,
      );
      expect(drawn).toBe(4); // "all" and the three frames
    });
  },
);
