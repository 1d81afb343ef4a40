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
